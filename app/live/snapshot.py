"""The snapshot: the whole live state one viewer may see, sent on every join and on request.

Other domains add their part with a provider:

    from app.live.snapshot import register_provider

    def vote_part(meeting, membership, viewer):   # membership: Membership or None (admins, wall screens)
        return {"open": None}

    register_provider("vote", vote_part)         # the snapshot then has snapshot["vote"] == {"open": None}

A provider returns a JSON-serialisable dict (or None to leave its key out), must not write to the
database, and must only include what this viewer may see (check viewer.is_staff / viewer.is_display).
"""
from __future__ import annotations

import logging
from typing import Any, Callable

import sqlalchemy as sa

from app.extensions import db
from app.live.broadcast import ensure_state
from app.live.viewer import Viewer
from app.meetings.models import Meeting, Membership
from app.meetings.service import numbered_agenda

log = logging.getLogger("dais.live")

Provider = Callable[[Meeting, "Membership | None", Viewer], "dict[str, Any] | None"]
_providers: dict[str, Provider] = {}
CORE_KEYS = frozenset({"meeting", "seq", "agenda", "current_item", "presented", "me", "presence", "roster"})


def register_provider(key: str, fn: Provider) -> None:
    """Add fn's dict to every snapshot under `key` (registering the same key again replaces it)."""
    if key in CORE_KEYS:
        raise ValueError(f"snapshot key {key!r} belongs to the live room itself")
    _providers[key] = fn


def providers() -> dict[str, Provider]:
    """The registered providers (a copy)."""
    return dict(_providers)


def document_meta(doc) -> dict[str, Any]:
    """What a tablet needs to show a document before (or without) asking the documents API."""
    return {"id": doc.id, "title": doc.title, "pages": doc.page_count, "sha256": doc.sha256, "item_id": doc.item_id}


def agenda_part(meeting: Meeting) -> list[dict[str, Any]]:
    """The numbered agenda with each item's documents."""
    return [
        {
            "id": n.item.id,
            "number": n.number,
            "depth": n.depth,
            "title": n.item.title,
            "description": n.item.description,
            "documents": [document_meta(d) for d in getattr(n.item, "documents", [])],
        }
        for n in numbered_agenda(meeting)
    ]


def presented_part(state) -> dict[str, Any] | None:
    """The presented page with its document's meta, or None (nothing presented, or the document is gone)."""
    if state.document_id is None or state.page is None:
        return None
    from app.documents.models import Document

    doc = db.session.get(Document, state.document_id)
    if doc is None:
        return None
    return {"document_id": doc.id, "page": state.page, "item_id": doc.item_id, "document": document_meta(doc)}


def build_snapshot(meeting: Meeting, viewer: Viewer, presence: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole live state of the meeting as this viewer may see it."""
    state = ensure_state(meeting.id)
    presented = presented_part(state)
    snap: dict[str, Any] = {
        "seq": state.seq,
        "meeting": {"id": meeting.id, "slug": meeting.slug, "title": meeting.title, "place": meeting.place,
                    "status": meeting.status, "read_only": meeting.is_closed},
        "agenda": agenda_part(meeting),
        "current_item": state.current_item_id,
        "presented": presented,
        "me": {"user_id": viewer.user_id, "name": viewer.name, "role": viewer.role, "is_staff": viewer.is_staff,
               "is_display": viewer.is_display,
               # whether a vote is theirs to cast (the roster's "votes"; a clerk or an observer is not called to one)
               "can_vote": bool(viewer.membership is not None and viewer.membership.can_vote)},
    }
    if viewer.is_staff:
        snap["roster"] = roster_part(meeting)
        snap["presence"] = presence or {"connected": [], "displays": 0}
    for key, fn in _providers.items():
        try:
            part = fn(meeting, viewer.membership, viewer)
        except Exception:  # one broken provider must not take the room down
            log.exception("snapshot provider %r failed for meeting %s", key, meeting.id)
            continue
        if part is not None:
            snap[key] = part
    return snap


def roster_part(meeting: Meeting) -> list[dict[str, Any]]:
    """Who belongs to the meeting (staff view: the presence list refers to these user ids)."""
    from app.meetings.service import seat_order

    order = {r: n for n, r in enumerate(Membership.ROLES)}
    rows = db.session.scalars(sa.select(Membership).where(Membership.meeting_id == meeting.id))
    people = sorted(rows, key=lambda m: (order[m.role], seat_order(m.seat), m.user.name))   # D2 before D10
    return [{"user_id": m.user_id, "membership_id": m.id, "name": m.user.name, "role": m.role, "seat": m.seat}
            for m in people]
