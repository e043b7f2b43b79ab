"""Socket.IO handlers of voting (thin: the live room's helper validates and authorizes; the service stores)."""
from __future__ import annotations

from pydantic import Field

from app.live.handler import VOTERS, LiveContext, MeetingPayload, live_event
from app.voting import live, service

ID_MAX = 2_147_483_647


class Cast(MeetingPayload):
    """vote.cast payload."""

    vote: int = Field(ge=1, le=ID_MAX)
    options: list[int] = Field(min_length=1, max_length=100)
    on_behalf_of: int | None = Field(default=None, ge=1, le=ID_MAX)


@live_event("vote.cast", Cast, roles=VOTERS)
def cast(ctx: LiveContext, p: Cast):
    """Voting members: cast a ballot (own, or for a member whose proxy they hold); acked only after commit."""
    receipt = service.cast_ballot(p.vote, ctx.user_id, p.options, p.on_behalf_of, meeting_id=ctx.meeting.id)
    live.after_ballot(receipt)
    return {"ballot": receipt.to_dict()}
