"""Attendance in the live room: its part of the snapshot, and the deltas after each change."""
from __future__ import annotations

from typing import Any

from app.attendance import service

KIND_QUORUM = "attendance.quorum"
KIND_BOARD = "attendance.board"
KIND_ME = "attendance.me"


def snapshot_part(meeting, membership, viewer) -> dict[str, Any]:
    """Everyone sees the quorum; staff also see the board; a member sees their own status."""
    part = service.snapshot(meeting.id, staff=viewer.is_staff)
    if membership is not None:
        part["me"] = {"status": service.my_status(meeting.id, membership.id),
                      "self_checkin": part["quorum"]["self_checkin"]}
    return part


def publish_change(meeting_id: int, membership_id: int | None = None, user_id: int | None = None) -> None:
    """Commit, then send the new quorum to the meeting, the board to the staff, and the member's own status."""
    from app.live.broadcast import publish

    quorum = service.quorum(meeting_id)
    publish(meeting_id, KIND_QUORUM, {"quorum": quorum}, to="meeting")
    publish(meeting_id, KIND_BOARD, {"board": service.board(meeting_id), "quorum": quorum,
                                     "membership_id": membership_id}, to="staff")
    if user_id is not None and membership_id is not None:
        publish(meeting_id, KIND_ME, {"status": service.my_status(meeting_id, membership_id)}, to=user_id)


def on_roster_changed(meeting) -> None:
    """A member added, changed or taken off: the board and the quorum (weights, roles) are new."""
    publish_change(meeting.id)


def register() -> None:
    """Add the attendance part to the live snapshot; follow the roster."""
    from app.live.snapshot import register_provider
    from app.signals import roster_changed

    register_provider("attendance", snapshot_part)
    roster_changed.connect(on_roster_changed)
