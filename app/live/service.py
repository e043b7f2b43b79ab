"""The live room's state changes: open an item, present a page, wall-screen links.

Plain functions over explicit arguments: they change rows in the current transaction and return the delta
data to publish; the caller hands it to app.live.broadcast.publish, which commits and then emits.
"""
from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa

from app.audit.service import record
from app.auth.service import hash_token
from app.documents.models import Document
from app.errors import BadInput, Gone, InvalidTransition, NotFound
from app.extensions import db
from app.live.broadcast import ensure_state
from app.live.models import DisplayLink, LiveState
from app.live.snapshot import document_meta
from app.meetings.models import Meeting
from app.meetings.service import numbered_agenda
from app.timeutil import utcnow

DISPLAY_PREFIX = "d"


def ensure_writable(meeting: Meeting) -> None:
    """A closed meeting is read-only: nothing on screen changes any more."""
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; the live room is read-only now.")


def get_state(meeting: Meeting) -> LiveState:
    """The meeting's live state (created empty if new)."""
    return ensure_state(meeting.id)


def open_item(meeting: Meeting, item_id: int, actor_id: int | None) -> dict[str, Any]:
    """Make an agenda item the current one; the presented document is put away. Returns the delta data."""
    ensure_writable(meeting)
    ids = [n.item.id for n in numbered_agenda(meeting)]
    if item_id not in ids:
        raise NotFound("This agenda item is not on this meeting's agenda.")
    state = get_state(meeting)
    state.current_item_id = item_id
    state.document_id = None
    state.page = None
    record("live.item_opened", actor_id, meeting.id, item_id=item_id)
    return {"item_id": item_id, "presented": None}


def next_item(meeting: Meeting, actor_id: int | None) -> dict[str, Any]:
    """Open the item after the current one in reading order (the first when none is open)."""
    ensure_writable(meeting)
    ids = [n.item.id for n in numbered_agenda(meeting)]
    if not ids:
        raise InvalidTransition("The agenda is empty; add items before leading the meeting.")
    state = get_state(meeting)
    if state.current_item_id in ids:
        index = ids.index(state.current_item_id) + 1
        if index >= len(ids):
            raise InvalidTransition("This is the last item of the agenda; there is no next item.")
    else:
        index = 0
    return open_item(meeting, ids[index], actor_id)


def present(meeting: Meeting, document_id: int | None, page: int | None, actor_id: int | None) -> dict[str, Any]:
    """Show a document page to the room (document None: show no document). Returns the delta data."""
    ensure_writable(meeting)
    state = get_state(meeting)
    if document_id is None:
        state.document_id = None
        state.page = None
        return {"presented": None, "item_id": state.current_item_id}
    doc = db.session.get(Document, document_id)
    if doc is None:
        raise NotFound("This document does not exist (it may have been removed).")
    if doc.meeting_id != meeting.id:
        raise NotFound("This document is not part of this meeting.")
    page = 1 if page is None else page
    if not 1 <= page <= doc.page_count:
        raise BadInput("Page %(page)s does not exist: “%(title)s” has pages 1 to %(pages)s.", page=page, title=doc.title,
                       pages=doc.page_count)
    changed = state.document_id != doc.id
    if changed:
        record("live.document_presented", actor_id, meeting.id, document_id=doc.id, page=page)
    state.document_id = doc.id
    state.page = page
    state.current_item_id = doc.item_id
    presented: dict[str, Any] = {"document_id": doc.id, "page": page, "item_id": doc.item_id}
    if changed:
        # The document's meta rides along only when the document changes: a page turn is the message every
        # tablet gets most often, and each tablet already holds the meta (from this delta or its snapshot).
        presented["document"] = document_meta(doc)
    return {"presented": presented, "item_id": doc.item_id}


# ----- wall-screen links -----

def create_display_link(meeting: Meeting, actor_id: int | None) -> str:
    """A new wall-screen link for the meeting (older ones keep working until revoked). Returns the raw token."""
    raw = DISPLAY_PREFIX + secrets.token_urlsafe(24)
    db.session.add(DisplayLink(meeting_id=meeting.id, token_hash=hash_token(raw), created_by=actor_id))
    db.session.flush()
    record("display_link.created", actor_id, meeting.id)
    return raw


def _working_links(what: Any, meeting_id: Any) -> sa.Select:
    return (sa.select(what).where(DisplayLink.meeting_id == meeting_id, DisplayLink.revoked_at.is_(None))
            .order_by(DisplayLink.id))


def active_display_links(meeting: Meeting) -> list[DisplayLink]:
    """The meeting's wall-screen links that still work."""
    return list(db.session.scalars(_working_links(DisplayLink, meeting.id)))


_WORKING_LINK_IDS = _working_links(DisplayLink.id, sa.bindparam("meeting"))


def active_display_link_ids(meeting_id: int) -> list[int]:
    """The ids of those links, in a statement built once (the ballot counter asks 4 times a second)."""
    return list(db.session.scalars(_WORKING_LINK_IDS, {"meeting": meeting_id}))


def revoke_display_links(meeting: Meeting, actor_id: int | None) -> list[int]:
    """Revoke every working wall-screen link of the meeting at once; returns their ids."""
    links = active_display_links(meeting)
    now = utcnow()
    for link in links:
        link.revoked_at = now
    if links:
        record("display_link.revoked", actor_id, meeting.id, count=len(links))
    return [link.id for link in links]


def resolve_display(raw: str) -> DisplayLink:
    """The working display link for a raw token; NotFound for unknown, Gone for revoked."""
    if not raw or len(raw) > 128:
        raise NotFound("This wall-screen link is not valid. Ask the chair for the current link.")
    link = db.session.scalar(sa.select(DisplayLink).where(DisplayLink.token_hash == hash_token(raw)))
    if link is None:
        raise NotFound("This wall-screen link is not valid. Ask the chair for the current link.")
    if link.revoked_at is not None:
        raise Gone("This wall-screen link has been revoked. Ask the chair for the current link.")
    return link


def display_link_active(link_id: int) -> bool:
    """True while the link has not been revoked."""
    link = db.session.get(DisplayLink, link_id)
    return link is not None and link.revoked_at is None
