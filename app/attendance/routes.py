"""Attendance views: the check-in page, the board, the JSON API and the CSV export (thin)."""
from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.attendance import bp, live, service
from app.attendance.schemas import MarkIn, ScanIn, SettingsIn, TypedIn, parse
from app.meetings import service as meetings
from app.meetings.models import Membership
from app.web import json_object


def _staff_meeting(slug: str):
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting)
    return meeting


def _changed(meeting_id: int, membership: Membership) -> dict:
    """Commit and broadcast; reply with the member's new line and the quorum."""
    return {"ok": True, **live.publish_change(meeting_id, membership.id, membership.user_id)}


def strings() -> dict[str, str]:
    """The translated strings of the attendance screens (for the scripts)."""
    return {
        "present": _("Present"), "left": _("Left"), "excused": _("Excused"), "absent": _("Absent"),
        "quorum": _("Quorum"), "quorum_met": _("Quorum reached"), "quorum_not_met": _("No quorum"),
        "members": _("members"), "weight": _("vote weight"), "needed": _("needed"), "of": _("of"),
        "checked_in": _("Checked in"), "already": _("Already here"), "refused": _("Refused"),
        "mark_present": _("Present"), "mark_left": _("Left"), "mark_excused": _("Excused"), "undo": _("Undo"),
        "excuse_prompt": _("Reason for the excuse (for the minutes):"), "since": _("since"),
        "excuse_placeholder": _("e.g. illness, official travel"), "cancel": _("Cancel"),
        "camera_off": _("No camera: type the person's seat or name below."),
        "camera_starting": _("Starting the camera…"), "camera_on": _("Point the camera at a badge."),
        "camera_denied": _("The camera is blocked or missing. Allow it in the browser, or type the person's seat or "
                           "name below."),
        "typed_choose": _("Several people match “%(text)s”: choose the one at the door."),
        "typed_one": _("One person matches “%(text)s”: check them in if it is them."),
        "typed_more": _("Not everyone who matches is shown: type more of the name, or the seat."),
        "typed_none": _("Not found"),
        "network": _("The server did not answer. Check the Wi-Fi and try again."),
        "seat": _("Seat"), "name": _("Name"), "status": _("Status"), "time": _("Time"),
        "everyone": _("Everyone"), "nobody_matches": _("Nobody on the roster matches."),
        "proxies": _("Proxies"), "proxy_none": _("No proxies given."), "proxy_new": _("Give a proxy"),
        "proxy_giver": _("Whose vote"), "proxy_holder": _("Carried by"), "proxy_pick": _("Choose…"),
        "proxy_find": _("Find a name or seat"),
        "proxy_give": _("Give the proxy"), "proxy_carried_by": _("carried by"), "proxy_withdraw": _("Withdraw"),
        "proxy_withdraw_confirm": _("Withdraw the proxy of %(giver)s? Ballots already cast with it stay counted."),
        "proxy_gave": _("Proxy given to %(holder)s"), "proxy_holds": _("Also votes for %(givers)s"),
    }


@bp.route("/meetings/<slug>/checkin")
@login_required
def checkin_page(slug: str):
    """The secretary's check-in page: camera scanner, a field for a seat, a name or a badge link, the last
    check-ins and the quorum (not the board)."""
    meeting = _staff_meeting(slug)
    return render_template("attendance/checkin.html", meeting=meeting, is_staff=True,
                           strings=strings(), state={"quorum": service.quorum(meeting.id)},
                           read_only=meeting.is_closed)


@bp.route("/meetings/<slug>/attendance")
@login_required
def board_page(slug: str):
    """The attendance board for chair and secretary: present, excused, absent; by hand changes; the quorum.

    The rows are drawn here for a first look; the page's script reads the board from the API with each live
    snapshot and keeps it with the `attendance.row` deltas."""
    meeting = _staff_meeting(slug)
    sets_rule = meetings.has_role(current_user, meeting, roles=(Membership.CHAIR,))   # as api_settings asks
    return render_template("attendance/board.html", meeting=meeting, is_staff=True, sets_rule=sets_rule,
                           settings=service.settings_for(meeting.id), strings=strings(),
                           board=service.board(meeting.id), state={"quorum": service.quorum(meeting.id)},
                           read_only=meeting.is_closed)


@bp.route("/meetings/<slug>/attendance.csv")
@login_required
def export(slug: str):
    """The attendance list as CSV."""
    meeting = _staff_meeting(slug)
    return Response(service.export_csv(meeting.id), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="attendance-{meeting.slug}.csv"'})


@bp.route("/api/meetings/<slug>/attendance")
@login_required
def api_board(slug: str):
    """Staff: the board and the quorum. Members: the quorum and their own status."""
    meeting = meetings.get_meeting(slug)
    membership = meetings.require_member(current_user, meeting)
    staff = current_user.is_admin or (membership is not None and membership.is_staff)
    out = {"ok": True, **service.snapshot(meeting.id, staff=staff)}
    out["me"] = {"status": service.my_status(meeting.id, membership.id if membership else None)}
    return out


@bp.route("/api/meetings/<slug>/attendance/scan", methods=["POST"])
@login_required
def api_scan(slug: str):
    """Staff: check in the holder of a scanned badge (the URL or the code); the scanning device stays who it is."""
    meeting = _staff_meeting(slug)
    data = parse(ScanIn, json_object())
    membership = service.resolve_badge(meeting, data.code)
    service.check_in(meeting, membership, current_user.id, method="scan")
    return _changed(meeting.id, membership)


@bp.route("/api/meetings/<slug>/attendance/typed", methods=["POST"])
@login_required
def api_typed(slug: str):
    """Staff: check in whom the text typed at the door stands for (a badge's link or code, a seat, a name), or
    reply with the members a name may mean, to choose from (then marked present by their membership id)."""
    meeting = _staff_meeting(slug)
    data = parse(TypedIn, json_object())
    answer = service.check_in_typed(meeting, data.text, current_user.id)
    if answer.member is None:
        return {"ok": True, "candidates": answer.candidates, "more": answer.more}
    return _changed(meeting.id, answer.member)


@bp.route("/api/meetings/<slug>/attendance/self", methods=["POST"])
@login_required
def api_self(slug: str):
    """A member checks in from their own tablet (when the chair allows self check-in)."""
    meeting = meetings.get_meeting(slug)
    membership = meetings.membership_of(current_user, meeting)
    service.self_check_in(meeting, membership)
    return _changed(meeting.id, membership)


@bp.route("/api/meetings/<slug>/attendance/<int:membership_id>", methods=["POST"])
@login_required
def api_mark(slug: str, membership_id: int):
    """Staff: mark a member present, left, excused, or undo the last change."""
    meeting = _staff_meeting(slug)
    data = parse(MarkIn, json_object())
    membership = service.get_membership(meeting, membership_id)
    if data.action == "present":
        service.check_in(meeting, membership, current_user.id, method="manual")
    elif data.action == "left":
        service.mark_left(meeting, membership, current_user.id, at=data.at)
    elif data.action == "excused":
        service.mark_excused(meeting, membership, current_user.id, data.excuse)
    else:
        service.undo(meeting, membership, current_user.id)
    return _changed(meeting.id, membership)


@bp.route("/api/meetings/<slug>/attendance/settings", methods=["POST"])
@login_required
def api_settings(slug: str):
    """The chair (or an admin) changes the quorum rule or turns self check-in on or off."""
    meeting = meetings.get_meeting(slug)
    meetings.require_staff(current_user, meeting, roles=(Membership.CHAIR,))
    data = parse(SettingsIn, json_object())
    changes = data.model_dump(exclude_none=True)
    service.update_settings(meeting, current_user.id, **changes)
    return {"ok": True, "quorum": live.publish_quorum(meeting.id)}
