"""Attendance in the live room: its part of the snapshot, and the deltas after each change.

A change of one member sends the staff that member's line (`attendance.row`), not the board: at a congress the
board is hundreds of lines, and every check-in sent it whole to every staff screen. Only the attendance board
page shows the board; it reads it over HTTP on every snapshot (join, reconnect, gap) and keeps it with the rows.
"""
from __future__ import annotations

from typing import Any

from app.attendance import service

KIND_QUORUM = "attendance.quorum"
KIND_ROW = "attendance.row"
KIND_BOARD = "attendance.board"
KIND_ME = "attendance.me"


def snapshot_part(meeting, membership, viewer) -> dict[str, Any]:
    """Everyone sees the quorum; a member sees their own status. No board: no screen built on the snapshot shows it."""
    part: dict[str, Any] = {"quorum": service.quorum(meeting.id)}
    if membership is not None:
        part["me"] = {"status": service.my_status(meeting.id, membership.id), "staff": membership.is_staff,
                      "self_checkin": membership.is_staff or part["quorum"]["self_checkin"]}
    return part


def publish_change(meeting_id: int, membership_id: int, user_id: int | None = None) -> dict[str, Any]:
    """Commit one member's change, then send the new quorum to the meeting, the member's line to the staff and
    their status to their own devices; returns {member, quorum} (the reply to whoever made the change)."""
    from app.live.broadcast import publish

    quorum = service.quorum(meeting_id)
    line = service.board_row(meeting_id, membership_id)
    publish(meeting_id, KIND_QUORUM, {"quorum": quorum}, to="meeting")
    # The quorum goes once, with the meeting's seq; staff are in the meeting's room too.
    publish(meeting_id, KIND_ROW, {"row": line}, to="staff")
    if user_id is not None:
        publish(meeting_id, KIND_ME, {"status": line["status"] if line else service.ABSENT}, to=user_id)
    return {"member": line, "quorum": quorum}


def publish_quorum(meeting_id: int) -> dict[str, Any]:
    """Commit a change of the rule, then send the new quorum to the meeting (no line changes); returns it."""
    from app.live.broadcast import publish

    quorum = service.quorum(meeting_id)
    publish(meeting_id, KIND_QUORUM, {"quorum": quorum}, to="meeting")
    return quorum


def publish_board(meeting_id: int) -> None:
    """Commit a change of many lines, then send the quorum to the meeting and the whole board to the staff."""
    from app.live.broadcast import publish

    publish_quorum(meeting_id)
    publish(meeting_id, KIND_BOARD, {"board": service.board(meeting_id)}, to="staff")


def on_roster_changed(meeting) -> None:
    """A member added, changed or taken off: the board and the quorum (weights, roles) are new."""
    publish_board(meeting.id)


def register() -> None:
    """Add the attendance part to the live snapshot; follow the roster."""
    from app.live.snapshot import register_provider
    from app.signals import roster_changed

    register_provider("attendance", snapshot_part)
    roster_changed.connect(on_roster_changed)
