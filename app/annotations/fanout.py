"""Pushes annotation changes to exactly the devices of the people who may read them.

An annotation reaches its readers as a `live.delta` (seq null, like every per-user delta) with kind
`annotation.saved` or `annotation.removed`, emitted once to the list of their `user:<id>` rooms: a
private annotation only ever goes to its author's devices, one shared with the chair to the author and
the chair(s), one shared with the meeting to the author and every member. Never to the meeting room,
which also holds wall screens and admins who are not members.
"""
from __future__ import annotations

from typing import Any

from app.live.broadcast import notify
from app.live.rooms import user_room

SAVED = "annotation.saved"
REMOVED = "annotation.removed"


def _emit(meeting_id: int, kind: str, data: dict[str, Any], user_ids: set[int]) -> None:
    if not user_ids:
        return
    notify(meeting_id, kind, data, sorted(user_room(u) for u in user_ids))


def push_saved(annotation: dict[str, Any], readers: set[int], readers_before: set[int] = frozenset()) -> None:
    """A created or changed annotation: readers get it; those who could see it before and no longer may get its removal."""
    _emit(annotation["meeting_id"], SAVED, {"annotation": annotation}, set(readers))
    lost = set(readers_before) - set(readers)
    push_removed(annotation, lost)


def push_removed(annotation: dict[str, Any], readers: set[int]) -> None:
    """A deleted (or no longer visible) annotation: only its id and place go out."""
    data = {"id": annotation["id"], "document_id": annotation["document_id"], "page": annotation["page"]}
    _emit(annotation["meeting_id"], REMOVED, data, set(readers))
