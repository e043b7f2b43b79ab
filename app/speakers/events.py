"""Speakers socket events (thin: the live helper checks payload, caller and role; the service decides)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.live.handler import LiveContext, MeetingPayload, live_event
from app.meetings.models import Membership
from app.speakers import live, service
from app.validation import Id

live.register()

CHAIR = (Membership.CHAIR,)
SPEAKERS = (Membership.CHAIR, Membership.SECRETARY, Membership.DELEGATE)


class Ask(MeetingPayload):
    item: Id
    kind: Literal["normal", "point_of_order"] = "normal"


class Ref(MeetingPayload):
    request: Id


class Reorder(MeetingPayload):
    item: Id
    order: list[Id] = Field(max_length=500)


class Floor(MeetingPayload):
    item: Id
    request: Id | None = None


class End(MeetingPayload):
    """No fields besides the meeting."""


class Add(MeetingPayload):
    item: Id
    member: Id
    kind: Literal["normal", "point_of_order"] = "normal"


class Time(MeetingPayload):
    seconds: int = Field(ge=-service.MAX_TIME_STEP, le=service.MAX_TIME_STEP)


class Limits(MeetingPayload):
    limit_seconds: int = Field(ge=10, le=3600)
    warn_seconds: int = Field(default=30, ge=0, le=3600)


@live_event("speakers.request", Ask, roles=SPEAKERS, writes=True)
def ask(ctx: LiveContext, p: Ask):
    """A member: ask for the floor on an item (or a point of order). Ack {request}; everyone gets `speakers`."""
    req = service.request_floor(ctx.meeting, ctx.membership, p.item, p.kind)
    live.publish_change(ctx.meeting.id)
    return {"request": req.id}


@live_event("speakers.withdraw", Ref, roles=SPEAKERS, writes=True)
def withdraw(ctx: LiveContext, p: Ref):
    """A member: withdraw my own waiting request."""
    service.withdraw(ctx.meeting, service.get_request(ctx.meeting, p.request), ctx.membership)
    live.publish_change(ctx.meeting.id)


@live_event("speakers.remove", Ref, roles=CHAIR, writes=True)
def remove(ctx: LiveContext, p: Ref):
    """The chair: take a waiting request off the list."""
    service.remove(ctx.meeting, service.get_request(ctx.meeting, p.request), ctx.user_id)
    live.publish_change(ctx.meeting.id)


@live_event("speakers.reorder", Reorder, roles=CHAIR, writes=True)
def reorder(ctx: LiveContext, p: Reorder):
    """The chair: the new order of an item's waiting requests (every one, once)."""
    service.reorder(ctx.meeting, p.item, p.order, ctx.user_id)
    live.publish_change(ctx.meeting.id)


@live_event("speakers.floor", Floor, roles=CHAIR, writes=True)
def floor(ctx: LiveContext, p: Floor):
    """The chair: give the floor (to a request, or the next in line); a running speech ends first."""
    req = service.give_floor(ctx.meeting, p.item, p.request, ctx.user_id)
    live.publish_change(ctx.meeting.id)
    return {"request": req.id}


@live_event("speakers.end", End, roles=CHAIR, writes=True)
def end(ctx: LiveContext, p: End):
    """The chair: end the running speech."""
    service.end_speech(ctx.meeting, ctx.user_id)
    live.publish_change(ctx.meeting.id)


@live_event("speakers.add", Add, roles=CHAIR, writes=True)
def add(ctx: LiveContext, p: Add):
    """The chair: put a member (by membership id) on an item's list: someone without a tablet, a guest observer."""
    req = service.add_speaker(ctx.meeting, p.member, p.item, p.kind, ctx.user_id)
    live.publish_change(ctx.meeting.id)
    return {"request": req.id}


@live_event("speakers.time", Time, roles=CHAIR, writes=True)
def time(ctx: LiveContext, p: Time):
    """The chair: more time for the running speech (seconds; fewer when negative)."""
    service.add_time(ctx.meeting, p.seconds, ctx.user_id)
    live.publish_change(ctx.meeting.id)


@live_event("speakers.pause", End, roles=CHAIR, writes=True)
def pause(ctx: LiveContext, p: End):
    """The chair: hold the running speech's clock (every screen's timer stands)."""
    service.pause(ctx.meeting, ctx.user_id)
    live.publish_change(ctx.meeting.id)


@live_event("speakers.resume", End, roles=CHAIR, writes=True)
def resume(ctx: LiveContext, p: End):
    """The chair: let the held clock run on from where it stood."""
    service.resume(ctx.meeting, ctx.user_id)
    live.publish_change(ctx.meeting.id)


@live_event("speakers.settings", Limits, roles=Membership.STAFF_ROLES, writes=True)
def settings(ctx: LiveContext, p: Limits):
    """Chair or secretary: the default speaking time and the warning, in seconds."""
    service.update_settings(ctx.meeting, p.limit_seconds, p.warn_seconds, ctx.user_id)
    live.publish_change(ctx.meeting.id)
