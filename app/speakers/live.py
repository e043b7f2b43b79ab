"""The speakers list in the live room: its part of the snapshot and the delta after each change."""
from __future__ import annotations

from typing import Any

from app.speakers import service

KIND = "speakers"


def snapshot_part(meeting, membership, viewer) -> dict[str, Any]:
    """Everyone following the meeting sees the list and the timer (names and seats only)."""
    part = service.snapshot(meeting.id)
    if membership is not None:
        part["my_membership_id"] = membership.id
    return part


def publish_change(meeting_id: int) -> dict:
    """Commit, then send the whole speakers part to everyone in the meeting (it is small)."""
    from app.live.broadcast import publish

    return publish(meeting_id, KIND, service.snapshot(meeting_id), to="meeting")


def on_item_opened(meeting, item_id: int, actor_id: int | None = None, **_kw) -> None:
    """The chair opened another agenda item: the floor is released (the speech on the item left ends) and every
    screen gets the speakers part without it."""
    if service.release_floor(meeting, item_id, actor_id) is not None:
        publish_change(meeting.id)


def register() -> None:
    """Add the speakers part to the live snapshot; end a running speech when the agenda moves on."""
    from app.live.snapshot import register_provider
    from app.signals import item_opened

    register_provider("speakers", snapshot_part)
    item_opened.connect(on_item_opened)
