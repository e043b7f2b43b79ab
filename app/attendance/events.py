"""Attendance socket events (thin: the live helper checks payload, caller and role; the service decides)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.attendance import live, service
from app.attendance.schemas import ZonedTime
from app.live.handler import MEMBERS, STAFF, LiveContext, MeetingPayload, live_event
from app.validation import Id

live.register()


class SelfCheckIn(MeetingPayload):
    """No fields besides the meeting."""


class Scan(MeetingPayload):
    code: str = Field(min_length=1, max_length=500)


class Mark(MeetingPayload):
    membership: Id
    action: Literal["present", "left", "excused", "undo"]
    excuse: str = Field(default="", max_length=300)
    at: ZonedTime | None = None  # ISO text with its zone; naive UTC once parsed


def _reply(ctx: LiveContext, membership) -> dict:
    return live.publish_change(ctx.meeting.id, membership.id, membership.user_id)


@live_event("attendance.self_check_in", SelfCheckIn, roles=MEMBERS, writes=True)
def self_check_in(ctx: LiveContext, p: SelfCheckIn):
    """A member's tablet: check myself in (when the chair allows). Ack {member, quorum}."""
    service.self_check_in(ctx.meeting, ctx.membership)
    return _reply(ctx, ctx.membership)


@live_event("attendance.scan", Scan, roles=STAFF, writes=True)
def scan(ctx: LiveContext, p: Scan):
    """Staff: check in the holder of a scanned badge (URL or code). Ack {member, quorum}."""
    membership = service.resolve_badge(ctx.meeting, p.code)
    service.check_in(ctx.meeting, membership, ctx.user_id, method="scan")
    return _reply(ctx, membership)


@live_event("attendance.mark", Mark, roles=STAFF, writes=True)
def mark(ctx: LiveContext, p: Mark):
    """Staff: mark a member present, left (at a time), excused (with a reason), or undo. Ack {member, quorum}."""
    membership = service.get_membership(ctx.meeting, p.membership)
    if p.action == "present":
        service.check_in(ctx.meeting, membership, ctx.user_id, method="manual")
    elif p.action == "left":
        service.mark_left(ctx.meeting, membership, ctx.user_id, at=p.at)
    elif p.action == "excused":
        service.mark_excused(ctx.meeting, membership, ctx.user_id, p.excuse)
    else:
        service.undo(ctx.meeting, membership, ctx.user_id)
    return _reply(ctx, membership)
