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
