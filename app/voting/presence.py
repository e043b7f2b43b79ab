"""Who is present, for the quorum of a vote: the attendance package answers when it is installed.

`present_weight(meeting_id) -> (members_present, weight_present)` is the whole interface. Without the
attendance package every voting member counts as present (so a quorum can always be reached).
"""
from __future__ import annotations


def present_weight(meeting_id: int) -> tuple[int, int]:
    """(present voting members, their summed vote weight)."""
    try:
        from app.attendance.service import present_weight as attendance_present
    except ImportError:
        from app.voting.service import members_weight

        return members_weight(meeting_id)
    return attendance_present(meeting_id)


ROOM_KEYS = ("basis", "met", "present_members", "total_members", "needed_members", "present_weight", "total_weight",
             "needed_weight")


def room(meeting_id: int) -> dict | None:
    """The meeting's own quorum as it stands (who is present against its rule), kept with a vote's result at its
    close for the minutes; None without the attendance package."""
    try:
        from app.attendance.service import quorum
    except ImportError:
        return None
    now = quorum(meeting_id)
    return {key: now[key] for key in ROOM_KEYS}


def checked_in(membership_id: int) -> bool | None:
    """Whether the member is in the room now; None without the attendance package (nobody knows)."""
    try:
        from app.attendance.service import my_status
        from app.meetings.models import Membership
        from app.extensions import db
    except ImportError:
        return None
    member = db.session.get(Membership, membership_id)
    return my_status(member.meeting_id, membership_id) == "present" if member else None
