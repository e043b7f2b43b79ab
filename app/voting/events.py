"""Socket.IO handlers of voting (thin: check the caller and the payload, hand the ballot to the writer).

`vote.cast` is the one event of Dais that arrives 500 times in a second, so it takes a shorter road than
every other event:
- It is registered on python-socketio directly (`register_raw_handler`), not through Flask-SocketIO's
  wrapper, which builds a request context for every event: matching the URL against every route of the
  app, copying the session. The ballot needs neither: it runs in an app context, and the connection's user
  id was fixed at connect from the session. A refusal (rare) is answered inside the request context every
  other event gets, so its sentence is in the user's language.
- It does not use the live room's `@live_event` helper, whose meeting, user and membership look-ups cost
  three queries per event. It applies the same first checks (`admit`: rate limit, a signed-in connection of
  this process, one payload of bounded size, the strict pydantic model), then refuses wall screens; who the
  caller is in the meeting (member, observer, proxy holder) is decided by the writer inside the ballot's own
  transaction, for the whole batch.
"""
from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext
from pydantic import Field

from app.errors import DomainError, Forbidden, Unauthorized
from app.extensions import db, socketio
from app.live.handler import MeetingPayload, admit, register_raw_handler
from app.live.runtime import runtime
from app.voting import live, service
from app.validation import ID_MAX
from app.voting.writer import writer

log = logging.getLogger("dais.voting")
EVENT = "vote.cast"


class Cast(MeetingPayload):
    """vote.cast payload."""

    vote: int = Field(ge=1, le=ID_MAX)
    options: list[int] = Field(min_length=1, max_length=100)
    on_behalf_of: int | None = Field(default=None, ge=1, le=ID_MAX)


def cast_ballot(sid: str, data: Any, extra: tuple) -> dict:
    """Voting members: cast a ballot (own, or for a member whose proxy they hold). Returns the ack
    {"ok": true, "ballot": {...}} only after the commit that stores it; raises the DomainError that
    refuses it. Runs in an app context."""
    conn, p = admit(runtime(), sid, data, extra, Cast)
    if conn.user_id is None:
        raise Forbidden("A wall screen only shows the meeting; it cannot send this.")
    ballot_writer = writer()
    ballot = service.prepare_ballot(p.vote, conn.user_id, p.options, p.on_behalf_of, meeting_id=p.meeting,
                                    cache=ballot_writer.facts)
    if db.session.registry.has():  # the vote's facts were read: hold no connection while waiting
        db.session.remove()
    receipt = ballot_writer.submit(ballot)
    live.after_ballot(receipt, sid)
    return {"ok": True, "ballot": receipt.to_dict()}


def cast(sid: str, data: Any = None, *extra: Any) -> dict:
    """The python-socketio handler of `vote.cast` (see the module docstring)."""
    environ = socketio.server.get_environ(sid, namespace="/")
    if not environ:  # not a connection of this server (any more): no request context to translate in
        return Unauthorized("This connection is not signed in; reload the page.").to_dict()
    with environ["flask.app"].app_context():
        try:
            return cast_ballot(sid, data, extra)
        except Exception as exc:  # noqa: BLE001 - answered below, never raised into the server
            db.session.rollback()
            failure = exc
    return socketio._handle_event(lambda *_: _refusal(failure, sid), EVENT, "/", sid, data)


def _refusal(exc: Exception, sid: str) -> dict:
    """The ack of a refused or failed ballot, in the request context of the caller (their language)."""
    user_id = getattr(runtime().conns.get(sid), "user_id", None)
    if isinstance(exc, DomainError):
        if isinstance(exc, (Forbidden, Unauthorized)):
            log.warning("refused %s from user %s (sid %s): %s", EVENT, user_id, sid, exc.message)
        return exc.to_dict()
    log.error("%s from user %s failed", EVENT, user_id, exc_info=exc)
    return {"ok": False, "error": "server_error",
            "message": gettext("Something went wrong on the server; nothing was changed. Try again.")}


register_raw_handler(EVENT, cast)
