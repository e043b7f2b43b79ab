"""The helper every Socket.IO event handler of Dais uses: `@live_event(name, Model, roles=...)`.

    from app.live.handler import STAFF, LiveContext, MeetingPayload, live_event

    class Cast(MeetingPayload):
        vote: int = Field(ge=1)
        choice: Literal["yes", "no", "abstain"]

    @live_event("vote.cast", Cast, roles=VOTERS)
    def cast(ctx: LiveContext, p: Cast):
        \"\"\"Delegates: cast a ballot.\"\"\"
        ...                                   # call your service with ctx.meeting, ctx.viewer, p
        publish(ctx.meeting.id, "vote", {...}) # commits, then emits
        return {"ballot": 12}                 # the ack becomes {"ok": true, "ballot": 12}

Before the function runs, the helper: applies the per-connection rate limit, refuses oversized payloads,
parses the payload with the pydantic model (strict types, no unknown fields), loads the meeting, resolves
the caller (signed-in user and membership, or a wall screen), checks the role, and (writes=True) refuses a
closed meeting. A DomainError raised anywhere becomes the error ack {"ok": false, "error", "message"} and
the transaction is rolled back; refusals of unauthorized callers are logged; an unexpected exception is
logged and answered with "server_error" — the handler never crashes the connection and never stays silent.
"""
from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from flask import request
from flask_babel import gettext
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, ValidationError

from app.auth.models import User
from app.errors import BadInput, Count, DomainError, Forbidden, InvalidTransition, NotFound, RateLimited, Unauthorized
from app.extensions import db, socketio
from app.live.runtime import Conn, Runtime, runtime
from app.live.viewer import Viewer
from app.meetings.models import Meeting, Membership
from app.meetings.service import membership_of, roles_word
from app.validation import Id, field_name, holds_non_text, problem

log = logging.getLogger("dais.live")

STAFF: tuple[str, ...] = Membership.STAFF_ROLES
MEMBERS: tuple[str, ...] = Membership.ROLES
VOTERS: tuple[str, ...] = (Membership.CHAIR, Membership.SECRETARY, Membership.DELEGATE)

P = TypeVar("P", bound=BaseModel)


class MeetingPayload(BaseModel):
    """Base of every live payload: strict types, unknown fields refused, the meeting's id."""

    model_config = ConfigDict(extra="forbid", strict=True)
    meeting: Id


@dataclass
class LiveContext:
    """What a handler gets besides its payload."""

    sid: str
    meeting: Meeting
    viewer: Viewer
    conn: Conn
    runtime: Runtime

    @property
    def membership(self) -> Membership | None:
        """The caller's membership (None for admins off the roster and for wall screens)."""
        return self.viewer.membership

    @property
    def user_id(self) -> int | None:
        """The caller's user id (None for a wall screen)."""
        return self.viewer.user_id


def refusal(error: ValidationError) -> BadInput:
    """The refusal of a payload that does not fit its event's model, naming the first wrong field."""
    first = error.errors()[0]
    where = field_name(first)
    if first.get("type") == "model_type" or not where:
        return BadInput("The event payload must be an object (a JSON dictionary) with the fields this event documents.")
    if first.get("type") == "extra_forbidden":
        return BadInput("The field “%(field)s” is not part of this event; check the API documentation.", field=where)
    return BadInput("The event was refused: %(problem)s.", problem=problem(first))


def resolve_viewer(conn: Conn, meeting: Meeting) -> Viewer:
    """The caller in this meeting: a signed-in person, or a wall screen of this very meeting."""
    if conn.display_link_id is not None:
        if conn.display_meeting_id != meeting.id:
            raise Forbidden("This wall screen belongs to another meeting.")
        return Viewer(user_id=None, name="display", display_link_id=conn.display_link_id)
    if not current_user.is_authenticated:
        raise Unauthorized("Your sign-in has ended. Scan your badge or sign in again.")
    user: User = current_user._get_current_object()
    membership = membership_of(user, meeting)
    if membership is None and not user.is_admin:
        raise Forbidden("You are not a member of this meeting.")
    return Viewer(user_id=user.id, name=user.name, is_admin=user.is_admin, membership=membership)


def check_role(viewer: Viewer, roles: tuple[str, ...], displays: bool, event: str) -> None:
    """Refuse callers whose role the event does not allow (admins pass; wall screens only when displays=True)."""
    if viewer.is_display:
        if not displays:
            raise Forbidden("A wall screen only shows the meeting; it cannot send this.")
        return
    if viewer.is_admin:
        return
    if viewer.membership is None or viewer.membership.role not in roles:
        raise Forbidden("Only the %(roles)s of this meeting may send “%(event)s”.", roles=roles_word(roles), event=event)


def admit(rt: Any, sid: str, data: Any, extra: tuple, model: type[P]) -> tuple[Any, P]:
    """The checks every client event passes first, with no database work: the per-connection rate limit, a
    signed-in connection, one JSON payload within the size cap, and the payload's schema."""
    if not rt.bucket.allow(sid):
        raise RateLimited("Too many messages from this device; wait a moment and try again.")
    conn = rt.conns.get(sid)
    if conn is None:
        raise Unauthorized("This connection is not signed in; reload the page.")
    if extra:
        raise BadInput("Send one payload object per event.")
    try:
        size = len(json.dumps(data, separators=(",", ":")))
    except (TypeError, ValueError):
        raise BadInput("The event payload must be JSON.")
    if size > rt.max_event_bytes:
        raise BadInput("The event payload is too large (%(size)s bytes; the limit is %(limit)s).", size=Count(size),
                       limit=Count(rt.max_event_bytes))
    if holds_non_text(data):
        raise BadInput("The request holds a character that is not text (a NUL byte or half of a surrogate pair); "
                       "remove it and send again.")
    try:
        return conn, model.model_validate(data)
    except ValidationError as exc:
        raise refusal(exc)


def live_event(name: str, model: type[P], roles: tuple[str, ...] = MEMBERS, displays: bool = False,
               writes: bool = False) -> Callable[[Callable[[LiveContext, P], dict | None]], Callable]:
    """Register fn(ctx, payload) as the handler of Socket.IO event `name` (see the module docstring)."""

    def decorate(fn: Callable[[LiveContext, P], dict | None]) -> Callable:
        @functools.wraps(fn)
        def handler(data: Any = None, *extra: Any) -> dict:
            sid = request.sid
            rt = runtime()
            user_id = getattr(current_user, "id", None) if current_user.is_authenticated else None
            try:
                conn, payload = admit(rt, sid, data, extra, model)
                meeting = db.session.get(Meeting, payload.meeting)  # type: ignore[attr-defined]
                if meeting is None:
                    raise NotFound("This meeting does not exist.")
                viewer = resolve_viewer(conn, meeting)
                check_role(viewer, roles, displays, name)
                if writes and meeting.is_closed:
                    raise InvalidTransition("This meeting is closed; the live room is read-only now.")
                result = fn(LiveContext(sid=sid, meeting=meeting, viewer=viewer, conn=conn, runtime=rt), payload)
                return {"ok": True, **(result or {})}
            except DomainError as exc:
                db.session.rollback()
                if isinstance(exc, (Forbidden, Unauthorized)):
                    log.warning("refused %s from user %s (sid %s): %s", name, user_id, sid, exc.message)
                elif isinstance(exc, RateLimited):
                    log.info("rate limited %s from user %s (sid %s)", name, user_id, sid)
                try:
                    return exc.to_dict()
                except Exception:  # noqa: BLE001 - the refusal stands even if its translation fails: in English
                    log.exception("refusal of %s could not be translated", name)
                    return {"ok": False, "error": exc.code, "message": exc.message}
            except Exception:
                db.session.rollback()
                log.exception("event %s from user %s failed", name, user_id)
                return {"ok": False, "error": "server_error",
                        "message": gettext("Something went wrong on the server; nothing was changed. Try again.")}

        register_handler(name, handler)
        return handler

    return decorate


def register_handler(name: str, handler: Callable) -> None:
    """Register a Socket.IO handler so that every app built afterwards gets it too.

    Flask-SocketIO replays `socketio.handlers` for each new app's server, but a handler registered while a
    server exists goes to that server only; the tests (and `flask` commands) build many apps per process.
    """
    server = socketio.server
    socketio.server = None
    try:
        socketio.on_event(name, handler)
    finally:
        socketio.server = server
    if server is not None:
        message, wrapped, namespace = socketio.handlers[-1]
        server.on(message, wrapped, namespace=namespace)


def register_raw_handler(name: str, handler: Callable[..., Any]) -> None:
    """Register handler(sid, *args) on python-socketio itself, without Flask-SocketIO's wrapper (no request
    context, no session); every app built afterwards gets it too (see register_handler). For the one event
    whose volume makes the request context's cost matter (`vote.cast`); the handler pushes an app context
    itself, and must never raise."""
    socketio.handlers.append((name, handler, "/"))
    if socketio.server is not None:
        socketio.server.on(name, handler, namespace="/")
