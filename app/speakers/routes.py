"""Speakers list: the JSON API (thin; the same actions are socket events in events.py)."""
from __future__ import annotations

from flask_login import current_user, login_required

from app.attendance.schemas import parse
from app.meetings import service as meetings
from app.meetings.models import Membership
from app.speakers import bp, live, service
from app.speakers.schemas import AddIn, FloorIn, ReorderIn, RequestIn, SettingsIn, TimeIn
from app.web import json_object

CHAIR_ONLY = (Membership.CHAIR,)


def _chair_meeting(slug: str):
    """The meeting, for its chair (or an admin) only: the list is the chair's to run."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting, roles=CHAIR_ONLY)
    return meeting


def _done(meeting_id: int, **extra) -> dict:
    """Commit and broadcast; reply with the new state of the list."""
    message = live.publish_change(meeting_id)
    return {"ok": True, "speakers": message["data"], **extra}


@bp.route("/api/meetings/<slug>/speakers")
@login_required
def api_list(slug: str):
    """Members: the speakers part of the snapshot (every item's queue, the current speaker, the timer)."""
    meeting = meetings.get_meeting(slug)
    meetings.require_member(current_user, meeting)
    return {"ok": True, "speakers": service.snapshot(meeting.id)}


@bp.route("/api/meetings/<slug>/speakers", methods=["POST"])
@login_required
def api_request(slug: str):
    """A member asks for the floor on an item (`kind`: normal or point_of_order)."""
    meeting = meetings.get_meeting(slug)
    data = parse(RequestIn, json_object())
    req = service.request_floor(meeting, meetings.membership_of(current_user, meeting), data.item_id, data.kind)
    return _done(meeting.id, request_id=req.id)


@bp.route("/api/meetings/<slug>/speakers/<int:request_id>/withdraw", methods=["POST"])
@login_required
def api_withdraw(slug: str, request_id: int):
    """A member withdraws their own waiting request."""
    meeting = meetings.get_meeting(slug)
    req = service.get_request(meeting, request_id)
    service.withdraw(meeting, req, meetings.membership_of(current_user, meeting))
    return _done(meeting.id)


@bp.route("/api/meetings/<slug>/speakers/<int:request_id>/remove", methods=["POST"])
@login_required
def api_remove(slug: str, request_id: int):
    """The chair takes a waiting request off the list."""
    meeting = _chair_meeting(slug)
    service.remove(meeting, service.get_request(meeting, request_id), current_user.id)
    return _done(meeting.id)


@bp.route("/api/meetings/<slug>/speakers/reorder", methods=["POST"])
@login_required
def api_reorder(slug: str):
    """The chair reorders an item's waiting requests."""
    meeting = _chair_meeting(slug)
    data = parse(ReorderIn, json_object())
    service.reorder(meeting, data.item_id, data.order, current_user.id)
    return _done(meeting.id)


@bp.route("/api/meetings/<slug>/speakers/floor", methods=["POST"])
@login_required
def api_floor(slug: str):
    """The chair gives the floor (to a request, or to the next in line); a running speech ends first."""
    meeting = _chair_meeting(slug)
    data = parse(FloorIn, json_object())
    req = service.give_floor(meeting, data.item_id, data.request_id, current_user.id)
    return _done(meeting.id, request_id=req.id)


@bp.route("/api/meetings/<slug>/speakers/end", methods=["POST"])
@login_required
def api_end(slug: str):
    """The chair ends the running speech."""
    meeting = _chair_meeting(slug)
    service.end_speech(meeting, current_user.id)
    return _done(meeting.id)


@bp.route("/api/meetings/<slug>/speakers/add", methods=["POST"])
@login_required
def api_add(slug: str):
    """The chair puts a member on an item's list (someone without a tablet, a guest observer)."""
    meeting = _chair_meeting(slug)
    data = parse(AddIn, json_object())
    req = service.add_speaker(meeting, data.membership_id, data.item_id, data.kind, current_user.id)
    return _done(meeting.id, request_id=req.id)


@bp.route("/api/meetings/<slug>/speakers/time", methods=["POST"])
@login_required
def api_time(slug: str):
    """The chair gives the running speech more time (or takes some back)."""
    meeting = _chair_meeting(slug)
    data = parse(TimeIn, json_object())
    service.add_time(meeting, data.seconds, current_user.id)
    return _done(meeting.id)


@bp.route("/api/meetings/<slug>/speakers/pause", methods=["POST"])
@login_required
def api_pause(slug: str):
    """The chair holds the running speech's clock."""
    meeting = _chair_meeting(slug)
    service.pause(meeting, current_user.id)
    return _done(meeting.id)


@bp.route("/api/meetings/<slug>/speakers/resume", methods=["POST"])
@login_required
def api_resume(slug: str):
    """The chair lets the held clock run on."""
    meeting = _chair_meeting(slug)
    service.resume(meeting, current_user.id)
    return _done(meeting.id)


@bp.route("/api/meetings/<slug>/speakers/settings", methods=["POST"])
@login_required
def api_settings(slug: str):
    """Chair or secretary: the default speaking time and the warning."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    data = parse(SettingsIn, json_object())
    service.update_settings(meeting, data.limit_seconds, data.warn_seconds, current_user.id)
    return _done(meeting.id)
