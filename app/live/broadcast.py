"""The one place that turns a change into emits.

Every change reaches clients as one Socket.IO event, `live.delta`:

    {"meeting": <id>, "seq": <int or null>, "kind": "<kind>", "data": {...}}

Meeting-wide deltas (to="meeting") carry the meeting's next sequence number, persisted in
`live_states.seq` in the same transaction as the change, and are emitted only after that commit. A client
that sees seq jump by more than one asks for a fresh snapshot. Deltas for the staff room or for one user's
devices carry seq null: they do not consume the meeting's sequence (delegates would see gaps), and the
snapshot on every (re)connect carries their state.
"""
from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from socketio import PubSubManager

from app.extensions import db, socketio
from app.live.models import LiveState
from app.live.rooms import meeting_room, staff_room, user_room

log = logging.getLogger("dais.live")

DELTA_EVENT = "live.delta"


def ensure_state(meeting_id: int) -> LiveState:
    """The meeting's live state row, created (and flushed) if missing."""
    state = db.session.get(LiveState, meeting_id)
    if state is None:
        state = LiveState(meeting_id=meeting_id, seq=0)
        db.session.add(state)
        db.session.flush()
    return state


def next_seq(meeting_id: int) -> int:
    """Take the meeting's next sequence number inside the current transaction (atomic across processes)."""
    ensure_state(meeting_id)
    # A Core UPDATE on the session's connection: the ORM form would also synchronise the loaded LiveState
    # (an extra evaluation on every page turn); the commit that follows expires it anyway.
    seq = db.session.connection().execute(_NEXT_SEQ, {"meeting": meeting_id}).scalar_one()
    return int(seq)


_states = LiveState.__table__
_NEXT_SEQ = (sa.update(_states).where(_states.c.meeting_id == sa.bindparam("meeting"))
             .values(seq=_states.c.seq + 1).returning(_states.c.seq))


def publish(meeting_id: int, kind: str, data: dict[str, Any] | None = None, to: str | int = "meeting",
            skip_sid: str | None = None) -> dict:
    """Commit the caller's pending change, then emit it as a `live.delta`; returns the message sent.

    to="meeting": everyone following the meeting (tablets, console, wall), with the next seq.
    to="staff":   the chair, secretary and admins of the meeting, seq null.
    to=<user id>: every device of that user, seq null.
    skip_sid:     a connection that is not sent the delta (the one whose ack already says it; user deltas only).
    """
    seq: int | None = None
    if to == "meeting":
        seq = next_seq(meeting_id)
        room = meeting_room(meeting_id)
    elif to == "staff":
        room = staff_room(meeting_id)
    elif isinstance(to, int) and not isinstance(to, bool):
        room = user_room(to)
    else:
        raise ValueError(f"publish(to=...) takes 'meeting', 'staff' or a user id, not {to!r}")
    # Persist before broadcast: a restarted server (or a snapshot) must never be behind what tablets saw.
    db.session.commit()
    message = delta(meeting_id, kind, data or {}, seq)
    if skip_sid is not None and seq is not None:
        raise ValueError("a meeting delta has a seq and goes to every connection; skip_sid is for user deltas")
    socketio.emit(DELTA_EVENT, message, to=room, skip_sid=skip_sid)
    return message


def delta(meeting_id: int, kind: str, data: dict[str, Any], seq: int | None = None) -> dict[str, Any]:
    """The `live.delta` message (see the module docstring)."""
    return {"meeting": meeting_id, "seq": seq, "kind": kind, "data": data}


def notify(meeting_id: int, kind: str, data: dict[str, Any], rooms: list[str], skip_sid: str | None = None) -> None:
    """A `live.delta` that persists nothing (seq null, no commit) to several rooms at once: python-socketio
    sends it once per socket, even to a socket in two of the rooms."""
    socketio.emit(DELTA_EVENT, delta(meeting_id, kind, data), to=rooms, skip_sid=skip_sid)


def notify_user(meeting_id: int, kind: str, data: dict[str, Any], user_id: int, skip_sid: str | None = None) -> None:
    """`notify` one user's devices, except the connection `skip_sid` (e.g. "your ballot is recorded"). When
    this process serves every socket (no message queue) and the user has no other device here, nothing is
    encoded or sent (the hot path of a ballot)."""
    room = user_room(user_id)
    manager = socketio.server.manager
    if not isinstance(manager, PubSubManager) and all(
            sid == skip_sid for sid, _ in manager.get_participants("/", room)):
        return
    notify(meeting_id, kind, data, [room], skip_sid)


def emit_to(room: str, event: str, data: dict[str, Any]) -> None:
    """A raw emit for control messages that are not state (e.g. `live.revoked` to wall screens)."""
    socketio.emit(event, data, to=room)
