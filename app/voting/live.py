"""Voting in the live room: what is pushed to whom, the snapshot part, the throttled ballot counter and
the timer that closes votes (it reads stored deadlines, so it resumes after a restart)."""
from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask, current_app

from app.extensions import db, socketio
from app.meetings.models import Meeting
from app.voting import service
from app.voting.models import Vote

log = logging.getLogger("dais.voting")

PROGRESS_DELAY = 0.25  # seconds: ballot counts reach the console and the wall at most 4 times a second
TICK = 1.0             # seconds between two looks for votes whose timer ran out


def push(meeting_id: int, kind: str, data: dict[str, Any], to: str | int = "meeting", skip_sid: str | None = None) -> None:
    """Commit and emit one change through the live room's broadcast (the only place that emits)."""
    from app.live.broadcast import publish

    publish(meeting_id, kind, data, to=to, skip_sid=skip_sid)


def announce(vote: Vote) -> dict[str, Any]:
    """After a state change (open, close, publish, annul): tell the whole meeting; returns the public view."""
    db.session.commit()
    view = service.vote_view(vote)
    push(vote.meeting_id, f"vote.{vote.state}", view)
    return view


def after_ballot(receipt: service.Receipt, sid: str | None = None) -> None:
    """After a committed ballot: the voter's other devices show it as recorded (not the device `sid` that
    cast it: its ack says so); the counter moves (throttled)."""
    from app.live.broadcast import notify_user

    notify_user(receipt.meeting_id, "vote.recorded", receipt.to_dict(), receipt.user_id, skip_sid=sid)
    schedule_progress(current_app._get_current_object(), receipt.vote_id, receipt.meeting_id)


def proxies_changed(meeting: Meeting, membership_ids: list[int]) -> None:
    """Tell the holder and the giver of a proxy to reload their ballots, and the staff's screens (the
    attendance board's proxies) who carries whose vote now."""
    from app.meetings.models import Membership

    for mid in membership_ids:
        member = db.session.get(Membership, mid)
        if member is not None:
            push(meeting.id, "vote.proxies", {"membership_id": mid}, to=member.user_id)
    push(meeting.id, "vote.proxy_list", {"proxies": service.proxies_record(meeting.id)}, to="staff")


def _state(app: Flask) -> dict[str, Any]:
    return app.extensions.setdefault("dais_voting", {"pending": set(), "lock": threading.Lock(), "ticker": False})


def schedule_progress(app: Flask, vote_id: int, meeting_id: int) -> None:
    """Send the ballot count of a vote at most once per PROGRESS_DELAY (and audit it, aggregated)."""
    delay = float(app.config.get("VOTING_PROGRESS_DELAY", PROGRESS_DELAY))
    if delay <= 0:  # tests: at once, in the caller's context
        send_progress(vote_id)
        return
    state = _state(app)
    with state["lock"]:
        if vote_id in state["pending"]:
            return
        state["pending"].add(vote_id)

    def later() -> None:
        socketio.sleep(delay)
        with state["lock"]:
            state["pending"].discard(vote_id)
        with app.app_context():
            try:
                send_progress(vote_id)
            except Exception:
                db.session.rollback()
                log.exception("ballot count broadcast failed for vote %s", vote_id)

    socketio.start_background_task(later)


def send_progress(vote_id: int) -> dict[str, Any] | None:
    """Publish how many ballots are in (never what they are), recorded in the audit log by the ballot writer
    (service.progress_tick, in its process or here); the data sent, or None once the vote is closed."""
    from app.voting.writer import writer

    tick = writer().progress(vote_id)
    if tick is None:
        return None
    # Only the console and the wall screens show the counter: sending it to 500 tablets four times a second
    # would cost the server more than the ballots themselves.
    from app.live.broadcast import notify
    from app.live.rooms import display_room, staff_room

    meeting_id = tick["meeting_id"]
    notify(meeting_id, "vote.progress", tick["data"],
           [staff_room(meeting_id), *(display_room(link_id) for link_id in tick["displays"])])
    return tick["data"]


def snapshot_part(meeting, membership, viewer) -> dict[str, Any]:
    """The `vote` key of the snapshot: the open vote (with my ballots), the latest result, drafts for staff."""
    open_vote = service.open_vote_of(meeting.id)
    part: dict[str, Any] = {"open": None, "last": None}
    if open_vote is not None:
        view = service.vote_view(open_vote)
        if viewer.user_id is not None:
            view["me"] = service.ballot_status(open_vote, viewer.user_id)
        part["open"] = view
    done = [v for v in service.votes_of(meeting, include_drafts=False) if v.state != Vote.OPEN]
    if done:
        part["last"] = service.vote_view(done[-1])
    if viewer.is_staff:
        part["drafts"] = [service.vote_view(v, True) for v in service.votes_of(meeting, True) if v.state == Vote.DRAFT]
    return part


def register() -> None:
    """Add the vote part to the live snapshot."""
    from app.live.snapshot import register_provider

    register_provider("vote", snapshot_part)


def tick(app: Flask) -> list[int]:
    """Close the votes whose timer ran out and announce them; returns their ids."""
    with app.app_context():
        closed = service.close_overdue()
        for vote in closed:
            announce(vote)
        return [v.id for v in closed]


def start_ticker(app: Flask) -> None:
    """Run tick() every TICK seconds in the server (one loop per app; the close itself is idempotent)."""
    state = _state(app)
    if state["ticker"]:
        return
    state["ticker"] = True

    def loop() -> None:
        while True:
            socketio.sleep(TICK)
            try:
                tick(app)
            except Exception:
                log.exception("vote timer failed")

    socketio.start_background_task(loop)
