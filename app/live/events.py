"""Socket.IO handlers of the live room (thin: who is asking, validate, call the service, broadcast).

Every event and its payload is documented in docs/api.md ("Socket.IO: the live room").
"""
from __future__ import annotations

import logging
from typing import Literal

from flask import request, session
from flask_babel import gettext
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room  # its own class: the reason reaches the client
from pydantic import Field

from app.auth import service as auth_service
from app.errors import BadInput, DomainError
from app.extensions import db
from app.live import service
from app.live.broadcast import ensure_state, publish
from app.live.handler import MEMBERS, STAFF, LiveContext, MeetingPayload, live_event, register_handler
from app.live.rooms import display_room, meeting_room, staff_room, user_room
from app.live.runtime import Conn, runtime
from app.live.snapshot import agenda_part, build_snapshot, presented_part
from app.meetings.models import Meeting
from app.meetings.service import change_status
from app.signals import agenda_changed, item_opened, meeting_status_changed, signins_ended
from app.validation import ID_MAX, PAGE_MAX, holds_non_text
from app.web import MALFORMED_EVENT

log = logging.getLogger("dais.live")


def on_connect(auth=None):
    """Any client: a signed-in user, or a wall screen with auth {"display": "<token>"}; anyone else is refused."""
    rt = runtime()
    token = auth.get("display") if isinstance(auth, dict) else None
    if token is not None:
        if not isinstance(token, str) or holds_non_text(token):
            raise ConnectionRefusedError(gettext("This wall-screen link is not valid. Ask the chair for the current link."))
        try:
            link = service.resolve_display(token)
        except DomainError as exc:
            log.warning("refused wall-screen connection from %s: %s", request.remote_addr, exc.code)
            raise ConnectionRefusedError(exc.localized())
        rt.conns[request.sid] = Conn(user_id=None, display_link_id=link.id, display_meeting_id=link.meeting_id)
        join_room(display_room(link.id))
    else:
        if not current_user.is_authenticated:
            log.warning("refused anonymous socket from %s", request.remote_addr)
            raise ConnectionRefusedError(gettext("Sign in first: scan your badge or sign in with your password."))
        signin = auth_service.signin_id(session.get(auth_service.SIGNIN_KEY))
        rt.conns[request.sid] = Conn(user_id=current_user.id, signin_id=signin)
        if signin is not None:
            rt.presence.add_signin(signin, request.sid)
        join_room(user_room(current_user.id))
    rt.start_heartbeat()


def on_disconnect(*_args):
    """A socket went away: forget it and update who is connected."""
    rt = runtime()
    conn = rt.conns.pop(request.sid, None)
    rt.bucket.forget(request.sid)
    if conn is not None and conn.signin_id is not None:
        rt.presence.remove_signin(conn.signin_id, request.sid)
    if conn is not None and conn.meeting_id is not None:
        rt.presence.remove(conn.meeting_id, request.sid)
        rt.schedule_presence(conn.meeting_id)


def on_unknown_event(event, *args):
    """Any event this server has no handler for (a client of another version, a typo): answered through its ack
    with a sentence, where it would otherwise go unanswered and the client wait until it gives up."""
    name = event if isinstance(event, str) else ""
    return {"ok": False, "error": "not_found",
            "message": gettext("This server has no event “%(event)s”: the page and the server are of different "
                               "versions. Reload the page; if this comes again, the server needs a restart (tell the "
                               "admin).",
                               event=name[:80])}


def on_malformed(*args):
    """A packet this server cannot read: not JSON, nested too deeply, or not the shape of an event (see
    app.web.SocketJSON and SocketPacket)."""
    return {"ok": False, "error": "bad_input",
            "message": gettext("The message was not understood: it is not an event this server can read. Nothing "
                               "was done.")}


register_handler("connect", on_connect)
register_handler(MALFORMED_EVENT, on_malformed)
register_handler("disconnect", on_disconnect)
register_handler("*", on_unknown_event)


class Join(MeetingPayload):
    """meeting.join payload."""


@live_event("meeting.join", Join, roles=MEMBERS, displays=True)
def join(ctx: LiveContext, p: Join):
    """Members, admins, wall screens: follow a meeting (one per socket); the ack carries the snapshot."""
    conn, sid = ctx.conn, ctx.sid
    if ctx.viewer.is_display and not service.display_link_active(ctx.viewer.display_link_id or 0):
        raise BadInput("This wall-screen link has been revoked. Ask the chair for the current link.")
    if conn.meeting_id is not None and conn.meeting_id != ctx.meeting.id:
        leave_room(meeting_room(conn.meeting_id))
        leave_room(staff_room(conn.meeting_id))
        ctx.runtime.presence.remove(conn.meeting_id, sid)
        ctx.runtime.schedule_presence(conn.meeting_id)
    conn.meeting_id = ctx.meeting.id
    conn.is_staff = ctx.viewer.is_staff
    join_room(meeting_room(ctx.meeting.id))
    if ctx.viewer.is_staff:
        join_room(staff_room(ctx.meeting.id))
    who = f"d:{ctx.viewer.display_link_id}" if ctx.viewer.is_display else f"u:{ctx.viewer.user_id}"
    ctx.runtime.presence.add(ctx.meeting.id, sid, who)
    snapshot = build_snapshot(ctx.meeting, ctx.viewer, ctx.runtime.presence_of(ctx.meeting.id))
    db.session.commit()  # the live state row, if it was just created
    ctx.runtime.schedule_presence(ctx.meeting.id)
    return {"snapshot": snapshot}


class SnapshotRequest(MeetingPayload):
    """live.snapshot payload."""


@live_event("live.snapshot", SnapshotRequest, roles=MEMBERS, displays=True)
def snapshot(ctx: LiveContext, p: SnapshotRequest):
    """Anyone who joined the meeting: a fresh snapshot (after a gap in seq)."""
    if ctx.conn.meeting_id != ctx.meeting.id:
        raise BadInput("Join the meeting first (meeting.join), then ask for its snapshot.")
    snap = build_snapshot(ctx.meeting, ctx.viewer, ctx.runtime.presence_of(ctx.meeting.id))
    db.session.commit()
    return {"snapshot": snap}


class OpenItem(MeetingPayload):
    """chair.open_item payload."""

    item: int = Field(ge=1, le=ID_MAX)


def _item_opened(ctx: LiveContext, data: dict) -> int:
    """Publish the `item` delta (commits), then tell the other domains; the delta's seq."""
    seq = publish(ctx.meeting.id, "item", data)["seq"]
    item_opened.send(ctx.meeting, item_id=data["item_id"], actor_id=ctx.user_id)
    return seq


@live_event("chair.open_item", OpenItem, roles=STAFF, writes=True)
def open_item(ctx: LiveContext, p: OpenItem):
    """Chair, secretary, admin: make an agenda item the current one (puts the presented document away; a speech
    on another item ends)."""
    data = service.open_item(ctx.meeting, p.item, ctx.user_id)
    return {"seq": _item_opened(ctx, data)}


class NextItem(MeetingPayload):
    """chair.next_item payload."""


@live_event("chair.next_item", NextItem, roles=STAFF, writes=True)
def next_item(ctx: LiveContext, p: NextItem):
    """Chair, secretary, admin: open the next agenda item."""
    data = service.next_item(ctx.meeting, ctx.user_id)
    return {"seq": _item_opened(ctx, data), "item": data["item_id"]}


class Present(MeetingPayload):
    """chair.present payload: document null shows no document."""

    document: int | None = Field(ge=1, le=ID_MAX)
    page: int | None = Field(default=None, ge=1, le=PAGE_MAX)


@live_event("chair.present", Present, roles=STAFF, writes=True)
def present(ctx: LiveContext, p: Present):
    """Chair, secretary, admin: show a document page to the room (every following tablet and the wall)."""
    data = service.present(ctx.meeting, p.document, p.page, ctx.user_id)
    return {"seq": publish(ctx.meeting.id, "present", data)["seq"]}


class Status(MeetingPayload):
    """chair.status payload."""

    status: Literal["scheduled", "live", "closed"]


@live_event("chair.status", Status, roles=STAFF)
def status(ctx: LiveContext, p: Status):
    """Chair, secretary, admin: schedule a draft, start (live) or close the meeting; every tablet hears of it."""
    change_status(ctx.meeting, p.status, ctx.user_id)
    db.session.commit()
    meeting_status_changed.send(ctx.meeting)
    return {"status": ctx.meeting.status}


def on_status_changed(meeting: Meeting, **_kw) -> None:
    """After any committed status change (HTTP route or chair.status): tell every tablet of the meeting."""
    publish(meeting.id, "status", {"status": meeting.status, "read_only": meeting.is_closed})


meeting_status_changed.connect(on_status_changed)


def on_agenda_changed(meeting: Meeting, **_kw) -> None:
    """After any committed agenda change (the preparation page works during a meeting too): every screen of
    the meeting gets the new agenda, so a document added mid-meeting appears without a reload; with the
    current item and the presented page, which an item deleted meanwhile may have taken away."""
    state = ensure_state(meeting.id)
    publish(meeting.id, "agenda", {"agenda": agenda_part(meeting), "current_item": state.current_item_id,
                                   "presented": presented_part(state)})


agenda_changed.connect(on_agenda_changed)


def on_signins_ended(_sender, ids: list[int], reason: str = "signed_out", **_kw) -> None:
    """Signed out, a badge reissued as lost, or a new password: tell every socket those sign-ins opened why (`live.signed_out`,
    in its owner's language: the tablet says it in words, not “Reconnecting…”), then close it, in every process
    (a socket's ballots and events go by the connection, not by the cookie, so the socket itself must go); the
    tablet's reconnect is then refused until someone signs in again."""
    from flask_babel import force_locale

    from app.extensions import socketio
    from app.live.broadcast import emit_to

    rt = runtime()
    languages = auth_service.signin_languages(ids)
    for signin in ids:
        sids = rt.presence.signin_sids(signin)
        if not sids:
            continue
        with force_locale(languages.get(signin) or "en"):
            message = {
                "reason": reason,
                "message": gettext("This badge was reported lost, so it no longer signs anyone in: this device is "
                                   "signed out. Ask the secretary for your new badge.") if reason == "badge_reissued"
                else gettext("An administrator gave your account a new password, so this device is signed out. "
                             "Sign in with the new password.") if reason == "password_reset"
                else gettext("You signed out on this device."),
                "action": gettext("Sign in again"), "href": "/login",
            }
        for sid in sids:
            # A socket of this process is closed at once, so its message must not take the message queue's longer
            # road (it would come after the close); another process's gets both through the queue, in order.
            local = sid in rt.conns
            if local:
                socketio.server.emit("live.signed_out", message, to=sid, namespace="/", ignore_queue=True)
            else:
                emit_to(sid, "live.signed_out", message)
            socketio.server.disconnect(sid, namespace="/")


signins_ended.connect(on_signins_ended)
