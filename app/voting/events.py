"""Socket.IO handlers of voting (thin: check the caller and the payload, hand the ballot to the writer).

`vote.cast` is the one event of Dais that arrives 500 times in a second, so it does not use the live
room's `@live_event` helper, whose meeting, user and membership look-ups cost three queries per event.
It applies the same first checks (`admit`: rate limit, a signed-in connection of this process, one
payload of bounded size, the strict pydantic model), then refuses wall screens, from what the connection
already knows (its user id, fixed at connect from the session); who the caller is in the meeting (member,
observer, proxy holder) is decided by the writer inside the ballot's own transaction, for the whole batch.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_babel import gettext
from pydantic import Field

from app.errors import DomainError, Forbidden, Unauthorized
from app.extensions import db
from app.live.handler import MeetingPayload, admit, register_handler
from app.live.runtime import runtime
from app.voting import live, service
from app.voting.writer import writer

log = logging.getLogger("dais.voting")
ID_MAX = 2_147_483_647


class Cast(MeetingPayload):
    """vote.cast payload."""

    vote: int = Field(ge=1, le=ID_MAX)
    options: list[int] = Field(min_length=1, max_length=100)
    on_behalf_of: int | None = Field(default=None, ge=1, le=ID_MAX)


def cast(data: Any = None, *extra: Any) -> dict:
    """Voting members: cast a ballot (own, or for a member whose proxy they hold); acked only after the
    commit that stores it, with {"ok": true, "ballot": {...}} or the sentence that refuses it."""
    sid = request.sid
    rt = runtime()
    conn = rt.conns.get(sid)
    try:
        conn, p = admit(rt, sid, data, extra, Cast)
        if conn.user_id is None:
            raise Forbidden("A wall screen only shows the meeting; it cannot send this.")
        ballot_writer = writer()
        ballot = service.prepare_ballot(p.vote, conn.user_id, p.options, p.on_behalf_of, meeting_id=p.meeting,
                                        cache=ballot_writer.facts)
        db.session.rollback()  # hold no connection while waiting for the writer
        receipt = ballot_writer.submit(ballot)
        live.after_ballot(receipt, sid)
        return {"ok": True, "ballot": receipt.to_dict()}
    except DomainError as exc:
        db.session.rollback()
        if isinstance(exc, (Forbidden, Unauthorized)):
            log.warning("refused vote.cast from user %s (sid %s): %s", conn and conn.user_id, sid, exc.message)
        return exc.to_dict()
    except Exception:
        db.session.rollback()
        log.exception("vote.cast from user %s failed", conn and conn.user_id)
        return {"ok": False, "error": "server_error",
                "message": gettext("Something went wrong on the server; nothing was changed. Try again.")}


register_handler("vote.cast", cast)
