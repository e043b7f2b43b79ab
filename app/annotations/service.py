"""Annotations: create, edit, delete, share and read them, with privacy decided here and only here.

Who may read an annotation: its author always; when shared with the meeting, every member of its
meeting; when shared with the chair, the meeting's chair(s). Nobody else (secretaries and admins
included) ever reads a private one, by any path: every read goes through `visible_query`.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.annotations.models import Annotation
from app.annotations.pages import highlighted_words, page_size
from app.audit.service import record
from app.auth.models import User
from app.documents.models import Document
from app.errors import BadInput, Count, Forbidden, NotFound, Term
from app.extensions import db
from app.i18n import N_
from app.meetings.models import Meeting, Membership
from app.meetings.service import membership_of, require_member
from app.timeutil import utcnow

MAX_STROKES = 50
MAX_POINTS_PER_STROKE = 5_000
MAX_RECTS = 500
MAX_TEXT = 10_000
MIN_WIDTH, MAX_WIDTH = 0.25, 24.0
EDGE_TOLERANCE = 0.5  # points: a pen that slips a hair past the edge is clamped, not refused
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLORS = {Annotation.HIGHLIGHT: "#ffd400", Annotation.INK: "#d32f2f", Annotation.NOTE: "#f7c948"}
GEOMETRY_KEY = {Annotation.HIGHLIGHT: "rects", Annotation.INK: "strokes", Annotation.NOTE: "point"}
NOT_FOUND = N_("This annotation does not exist, or it is not yours to see.")
KIND_WORDS = {Annotation.HIGHLIGHT: Term("annotation kind", "highlight"), Annotation.INK: Term("annotation kind", "ink"),
              Annotation.NOTE: Term("annotation kind", "note")}


# ----- who may see what -----

def visible_query(user: User, meeting: Meeting) -> sa.Select:
    """The annotations of a meeting this user may read (the single privacy rule for every read)."""
    seen = [Annotation.author_id == user.id]
    membership = membership_of(user, meeting)
    if membership is not None:
        seen.append(Annotation.visibility == Annotation.MEETING)
        if membership.role == Membership.CHAIR:
            seen.append(Annotation.visibility == Annotation.CHAIR)
    return sa.select(Annotation).where(Annotation.meeting_id == meeting.id, sa.or_(*seen))


def audience(annotation: Annotation) -> set[int]:
    """Ids of the users who may read this annotation as it is now (its author and, if shared, whom it is shared with)."""
    users = {annotation.author_id}
    if annotation.visibility == Annotation.PRIVATE:
        return users
    query = sa.select(Membership.user_id).where(Membership.meeting_id == annotation.meeting_id)
    if annotation.visibility == Annotation.CHAIR:
        query = query.where(Membership.role == Membership.CHAIR)
    users.update(db.session.scalars(query))
    return users


def can_read(user: User, annotation: Annotation) -> bool:
    """True when the annotation is in the user's view."""
    return user.id in audience(annotation)


# ----- reading -----

def document_in_meeting(user: User, meeting: Meeting, document_id: int) -> Document:
    """A document of this meeting the user may open (member or admin); refuses others' documents."""
    require_member(user, meeting)
    doc = db.session.get(Document, document_id)
    if doc is None:
        raise NotFound("There is no document %(id)s; it may have been removed from the agenda.", id=document_id)
    if doc.meeting_id != meeting.id:
        raise NotFound("Document %(id)s is not on the agenda of “%(meeting)s”; open it from its own meeting.",
                       id=document_id, meeting=meeting.title)
    return doc


def check_page(doc: Document, page: int) -> None:
    """Refuse a page number the document does not have."""
    if page < 1 or page > doc.page_count:
        raise NotFound("“%(title)s” has %(pages)s pages; there is no page %(page)s.", title=doc.title,
                       pages=doc.page_count, page=page)


def visible_on(user: User, meeting: Meeting, document_id: int, page: int | None = None) -> list[Annotation]:
    """The annotations the user may see on a document (or one page of it), oldest first."""
    doc = document_in_meeting(user, meeting, document_id)
    query = visible_query(user, meeting).where(Annotation.document_id == doc.id)
    if page is not None:
        check_page(doc, page)
        query = query.where(Annotation.page == page)
    return list(db.session.scalars(query.order_by(Annotation.page, Annotation.id)))


def mine_in_meeting(user: User, meeting: Meeting) -> list[Annotation]:
    """Every annotation the user wrote in the meeting, by document and page ("my notes")."""
    require_member(user, meeting)
    query = (sa.select(Annotation).join(Document, Document.id == Annotation.document_id)
             .where(Annotation.meeting_id == meeting.id, Annotation.author_id == user.id)
             .order_by(Document.item_id, Document.position, Annotation.document_id, Annotation.page, Annotation.id))
    return list(db.session.scalars(query))


def mine_on_document(user: User, meeting: Meeting, document_id: int) -> tuple[Document, list[Annotation]]:
    """The document and the user's own annotations on it (what the annotated copy holds)."""
    doc = document_in_meeting(user, meeting, document_id)
    query = (sa.select(Annotation).where(Annotation.document_id == doc.id, Annotation.author_id == user.id)
             .order_by(Annotation.page, Annotation.id))
    return doc, list(db.session.scalars(query))


def get_readable(user: User, annotation_id: int, meeting_id: int | None = None) -> Annotation:
    """One annotation the user may read (in that meeting, if named); NotFound (never Forbidden) otherwise,
    so a private one's existence does not show."""
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None or not can_read(user, annotation):
        raise NotFound(NOT_FOUND)
    if meeting_id is not None and annotation.meeting_id != meeting_id:
        raise NotFound("This annotation belongs to another meeting; change it from there.")
    return annotation


def get_own(user: User, annotation_id: int, meeting_id: int | None = None) -> Annotation:
    """One annotation of the user's own, for a change."""
    annotation = get_readable(user, annotation_id, meeting_id)
    if annotation.author_id != user.id:
        raise Forbidden("Only its author may change or delete an annotation; this one is shared by %(name)s.",
                        name=annotation.author.name)
    return annotation


# ----- checking input -----

def clean_text(text: str | None) -> str:
    """Note text within the limit; NUL characters (which databases refuse) are dropped."""
    text = (text or "").replace("\x00", "")
    if len(text) > MAX_TEXT:
        raise BadInput("A note may hold up to %(limit)s characters; this one has %(length)s. Shorten it.",
                       limit=Count(MAX_TEXT), length=Count(len(text)))
    return text


def clean_color(kind: str, color: str | None) -> str:
    """A #rrggbb colour (the kind's default when none is given)."""
    if color is None or color == "":
        return DEFAULT_COLORS[kind]
    if not COLOR_RE.match(color):
        raise BadInput("“%(color)s” is not a colour; use the form #rrggbb, e.g. #d32f2f.", color=color[:20])
    return color.lower()


def clean_width(kind: str, width: float | None) -> float | None:
    """Pen width in points for ink (2 when none is given). Other kinds draw no line: a width sent for one is
    refused, not dropped, so a client never takes a change that was ignored for one that was made."""
    if kind != Annotation.INK:
        if width is not None:
            raise BadInput("A %(kind)s annotation has no pen width; leave out “width” (only ink has one).",
                           kind=KIND_WORDS[kind])
        return None
    if width is None:
        return 2.0
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise BadInput("The pen width must be between %(min)s and %(max)s points; %(width)s is not.",
                       min=Count(MIN_WIDTH), max=Count(MAX_WIDTH), width=Count(width))
    return round(float(width), 2)


def clean_geometry(kind: str, geometry: dict[str, Any], size: tuple[float, float], page: int) -> dict[str, Any]:
    """Check the shape for its kind, refuse what lies outside the page, clamp hairline slips, round to 0.01 pt."""
    key = GEOMETRY_KEY[kind]
    given = {k for k, v in geometry.items() if v is not None}
    if given != {key}:
        raise BadInput("A %(kind)s annotation needs “%(key)s” (and nothing else) in its geometry.",
                       kind=KIND_WORDS[kind], key=key)
    width, height = size

    def xy(x: float, y: float) -> list[float]:
        if not (-EDGE_TOLERANCE <= x <= width + EDGE_TOLERANCE and -EDGE_TOLERANCE <= y <= height + EDGE_TOLERANCE):
            raise BadInput("The point (%(x)s, %(y)s) lies outside page %(page)s, which is %(width)s × %(height)s points.",
                           x=Count(x), y=Count(y), page=page, width=Count(width), height=Count(height))
        return [round(min(max(x, 0.0), width), 2), round(min(max(y, 0.0), height), 2)]

    if kind == Annotation.NOTE:
        return {"point": xy(*geometry["point"])}
    if kind == Annotation.HIGHLIGHT:
        rects = geometry["rects"]
        if not rects:
            raise BadInput("A highlight needs at least one rectangle.")
        if len(rects) > MAX_RECTS:
            raise BadInput("A highlight may cover up to %(limit)s lines; this one has %(count)s.", limit=MAX_RECTS,
                           count=len(rects))
        out = []
        for x0, y0, x1, y1 in rects:
            a, b = xy(min(x0, x1), min(y0, y1)), xy(max(x0, x1), max(y0, y1))
            if b[0] - a[0] < 0.5 or b[1] - a[1] < 0.5:
                raise BadInput("A highlight rectangle must be at least half a point wide and high.")
            out.append(a + b)
        return {"rects": out}
    strokes = geometry["strokes"]
    if not strokes:
        raise BadInput("An ink drawing needs at least one stroke.")
    if len(strokes) > MAX_STROKES:
        raise BadInput("An ink drawing may have up to %(limit)s strokes; this one has %(count)s. Split it.",
                       limit=MAX_STROKES, count=len(strokes))
    out_strokes = []
    for stroke in strokes:
        if not stroke:
            raise BadInput("An ink stroke needs at least one point.")
        if len(stroke) > MAX_POINTS_PER_STROKE:
            raise BadInput("An ink stroke may have up to %(limit)s points; this one has %(count)s.",
                           limit=Count(MAX_POINTS_PER_STROKE), count=Count(len(stroke)))
        out_strokes.append([xy(x, y) for x, y in stroke])
    return {"strokes": out_strokes}


def check_shared_text(kind: str, text: str) -> None:
    """A sticky note says something."""
    if kind == Annotation.NOTE and not text.strip():
        raise BadInput("Write something in the note before saving it.")


# ----- changing -----

def create(user: User, meeting: Meeting, *, document_id: int, page: int, kind: str, geometry: dict[str, Any],
           data_dir: Path, color: str | None = None, width: float | None = None, text: str = "",
           visibility: str = Annotation.PRIVATE) -> Annotation:
    """A new annotation by `user` on a page of a document of `meeting` (the caller commits)."""
    if kind not in Annotation.KINDS:
        raise BadInput("“%(kind)s” is not a kind of annotation; use highlight, ink or note.", kind=kind)
    if visibility not in Annotation.VISIBILITIES:
        raise BadInput("“%(visibility)s” is not a way to share; use private, meeting or chair.", visibility=visibility)
    doc = document_in_meeting(user, meeting, document_id)
    check_page(doc, page)
    text = clean_text(text)
    check_shared_text(kind, text)
    annotation = Annotation(
        meeting_id=meeting.id, document_id=doc.id, page=page, author_id=user.id, kind=kind,
        visibility=visibility, color=clean_color(kind, color), width=clean_width(kind, width),
        geometry=clean_geometry(kind, geometry, page_size(data_dir, doc.sha256, page), page), text=text,
    )
    if kind == Annotation.HIGHLIGHT:
        annotation.quote = highlighted_words(data_dir, doc.sha256, page, annotation.geometry["rects"])
    db.session.add(annotation)
    db.session.flush()
    if visibility != Annotation.PRIVATE:
        record("annotation.shared", user.id, meeting.id, annotation_id=annotation.id, visibility=visibility)
    return annotation


def update(user: User, annotation_id: int, *, data_dir: Path, meeting_id: int | None = None, geometry: dict[str, Any] | None = None,
           color: str | None = None, width: float | None = None, text: str | None = None,
           visibility: str | None = None) -> tuple[Annotation, set[int]]:
    """Change the author's own annotation; returns it and who could read it before (for the broadcast).

    Every value is checked before any is applied: a refusal leaves the annotation as it was (same version, no
    audit entry), whichever field it is about."""
    annotation = get_own(user, annotation_id, meeting_id)
    before = audience(annotation)
    kind = annotation.kind
    changes: dict[str, Any] = {}
    if geometry is not None:
        doc = db.session.get(Document, annotation.document_id)
        size = page_size(data_dir, doc.sha256, annotation.page)
        changes["geometry"] = clean_geometry(kind, geometry, size, annotation.page)
        if kind == Annotation.HIGHLIGHT:
            changes["quote"] = highlighted_words(data_dir, doc.sha256, annotation.page, changes["geometry"]["rects"])
    if color is not None:
        changes["color"] = clean_color(kind, color)
    if width is not None:
        changes["width"] = clean_width(kind, width)
    if text is not None:
        cleaned = clean_text(text)
        check_shared_text(kind, cleaned)
        changes["text"] = cleaned
    if visibility is not None and visibility != annotation.visibility:
        if visibility not in Annotation.VISIBILITIES:
            raise BadInput("“%(visibility)s” is not a way to share; use private, meeting or chair.", visibility=visibility)
        record("annotation.shared", user.id, annotation.meeting_id, annotation_id=annotation.id,
               visibility=visibility, was=annotation.visibility)
        changes["visibility"] = visibility
    for name, value in changes.items():
        setattr(annotation, name, value)
    annotation.version += 1
    annotation.updated_at = utcnow()
    db.session.flush()
    return annotation, before


def delete(user: User, annotation_id: int, meeting_id: int | None = None) -> tuple[dict[str, Any], set[int]]:
    """Delete the author's own annotation; returns what it was (for undo) and who could read it."""
    annotation = get_own(user, annotation_id, meeting_id)
    gone = to_dict(annotation)
    readers = audience(annotation)
    db.session.delete(annotation)
    db.session.flush()
    return gone, readers


def purge_before(before: datetime, actor_id: int | None = None) -> int:
    """Retention: delete every annotation last changed before `before`; returns how many (the caller commits)."""
    result = db.session.execute(sa.delete(Annotation).where(Annotation.updated_at < before))
    count = int(result.rowcount or 0)
    record("annotations.purged", actor_id, None, before=before.isoformat(), count=count)
    return count


# ----- shapes for the wire -----

def to_dict(annotation: Annotation) -> dict[str, Any]:
    """The annotation as the API and the events send it (the client shows `text` with textContent only)."""
    return {
        "id": annotation.id,
        "meeting_id": annotation.meeting_id,
        "document_id": annotation.document_id,
        "page": annotation.page,
        "kind": annotation.kind,
        "geometry": annotation.geometry,
        "color": annotation.color,
        "width": annotation.width,
        "text": annotation.text,
        "quote": annotation.quote or "",
        "visibility": annotation.visibility,
        "author": {"id": annotation.author_id, "name": annotation.author.name if annotation.author else ""},
        "version": annotation.version,
        "created_at": annotation.created_at.isoformat() + "Z",
        "updated_at": annotation.updated_at.isoformat() + "Z",
    }
