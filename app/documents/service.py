"""Attach PDFs to agenda items: validate, store once per content, record."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from app.audit.service import record
from app.documents import queue, render
from app.documents.ingest import PdfInfo, inspect_pdf, store_original
from app.documents.models import Document, PdfFile, PdfPage
from app.documents.search import search_pages
from app.errors import BadInput, Conflict, Forbidden, NotFound
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership


def ensure_pdf_file(info: PdfInfo) -> PdfFile:
    """The PdfFile row for this content, created if new (and its pages queued for rendering, once)."""
    pdf = db.session.get(PdfFile, info.sha256)
    if pdf is None:
        pdf = PdfFile(
            sha256=info.sha256, size_bytes=info.size_bytes, page_count=info.page_count, repaired=info.repaired
        )
        db.session.add(pdf)
        db.session.flush()
        queue.enqueue_document(db.session.connection(), info.sha256, info.page_count)
    return pdf


def attach_pdf(
    item: AgendaItem,
    src: Path,
    *,
    filename: str,
    title: str | None,
    data_dir: Path,
    max_pages: int,
    max_bytes: int,
    actor_id: int | None = None,
) -> Document:
    """Check and store a PDF and attach it to the item (the caller commits). Same file twice: one document."""
    info = inspect_pdf(src, max_pages=max_pages, max_bytes=max_bytes, name=filename)
    store_original(src, data_dir, info)
    ensure_pdf_file(info)
    doc = db.session.scalar(
        sa.select(Document).where(Document.item_id == item.id, Document.sha256 == info.sha256)
    )
    clean_title = (title or Path(filename).stem).strip()[:300] or "Document"
    if doc is None:
        position = len(getattr(item, "documents", []) or [])
        doc = Document(
            meeting_id=item.meeting_id,
            item_id=item.id,
            sha256=info.sha256,
            title=clean_title,
            filename=Path(filename).name[:255],
            position=position,
        )
        db.session.add(doc)
        db.session.flush()
        record("document.added", actor_id, item.meeting_id, document_id=doc.id, sha256=info.sha256,
               pages=info.page_count, repaired=info.repaired)
    elif title and doc.title != clean_title:
        doc.title = clean_title
    return doc


def remove_document(doc: Document, actor_id: int | None) -> None:
    """Take a document off its agenda item (the caller commits): its readers' notes on it go with it, and a
    tablet showing it is told by the agenda change. The stored PDF stays (another item may hold the same
    content), but members of this meeting can no longer read its pages."""
    from app.meetings.service import ensure_editable

    ensure_editable(doc.item.meeting)
    record("document.removed", actor_id, doc.meeting_id, document_id=doc.id, title=doc.title, item_id=doc.item_id)
    item = doc.item
    db.session.delete(doc)
    db.session.flush()
    for n, other in enumerate(sorted((d for d in item.documents if d is not doc), key=lambda d: d.position)):
        other.position = n


def change_document(doc: Document, title: str, item_id: int, actor_id: int | None) -> Document:
    """Rename a document, or move it to another item of its meeting (at the end of that item's documents); the
    caller commits. Members' notes on it stay with it."""
    from app.meetings.models import AgendaItem
    from app.meetings.service import ensure_editable

    ensure_editable(doc.item.meeting)
    title = " ".join((title or "").split())
    if not title:
        raise BadInput("Give the document a title.")
    if len(title) > 300:
        raise BadInput("A document's title has at most 300 characters.")
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != doc.meeting_id:
        raise NotFound("There is no such agenda item in this meeting.")
    before = {"title": doc.title, "item_id": doc.item_id}
    if item.id != doc.item_id:
        if any(d.sha256 == doc.sha256 for d in item.documents):
            raise Conflict("“%(item)s” already has this document; nothing was moved.", item=item.title)
        old = doc.item
        doc.item_id, doc.position = item.id, len(item.documents)
        db.session.flush()
        db.session.expire(old, ["documents"])
        for n, other in enumerate(sorted((d for d in old.documents if d.id != doc.id), key=lambda d: d.position)):
            other.position = n
    doc.title = title
    if before != {"title": doc.title, "item_id": doc.item_id}:
        record("document.changed", actor_id, doc.meeting_id, document_id=doc.id, title=before["title"],
               new_title=doc.title, item_id=before["item_id"], new_item_id=doc.item_id)
    db.session.flush()
    return doc


def get_document(document_id: int) -> Document:
    """The document, or NotFound."""
    doc = db.session.get(Document, document_id)
    if doc is None:
        raise NotFound("This document does not exist (it may have been removed).")
    return doc


def can_read(user, doc: Document) -> bool:
    """Members of the document's meeting and admins may read it."""
    if user.is_admin:
        return True
    return db.session.scalar(sa.select(Membership.id).where(
        Membership.meeting_id == doc.meeting_id, Membership.user_id == user.id)) is not None


def require_reader(user, doc: Document) -> None:
    """Forbidden unless the user may read the document."""
    if not can_read(user, doc):
        raise Forbidden("You are not a member of the meeting this document belongs to.")


def page_text(doc: Document, page: int) -> str | None:
    """The text of one page of the document, as the render worker extracted it (for search, and for readers who
    cannot see the page image: a screen reader, a very large font); None while the page is not rendered yet.
    NotFound for a page the document does not have."""
    if not 1 <= page <= doc.page_count:
        raise NotFound("This document has no page %(page)s; it has %(pages)s.", page=page, pages=doc.page_count)
    return db.session.scalar(sa.select(PdfPage.text).where(PdfPage.sha256 == doc.sha256, PdfPage.page == page))


def can_read_pdf(user, sha256: str) -> bool:
    """Whether the user may see pages of this PDF: an admin, or a member of a meeting that has it."""
    if user.is_admin:
        return db.session.get(PdfFile, sha256) is not None
    query = (sa.select(Document.id).join(Membership, Membership.meeting_id == Document.meeting_id)
             .where(Document.sha256 == sha256, Membership.user_id == user.id).limit(1))
    return db.session.scalar(query) is not None


def document_meta(doc: Document) -> dict:
    """What a reader needs to show a document (the JSON of GET /api/documents/<id>)."""
    from app.documents.progress import progress_of

    pdf = doc.pdf
    return {
        "ok": True, "id": doc.id, "title": doc.title, "meeting": doc.item.meeting.slug, "item_id": doc.item_id,
        "pages": pdf.page_count, "sha256": pdf.sha256, "widths": list(render.WIDTHS),
        "default_width": render.DEFAULT_WIDTH, "thumb_width": render.THUMB_WIDTH,
        "page_url": render.page_url(pdf.sha256, "{page}", "{width}"),
        "outline": list(pdf.outline or []), "rendered": progress_of(doc)["rendered"], "repaired": pdf.repaired,
    }


def check_page(sha256: str, page: int, width: int) -> PdfFile:
    """The PdfFile if (page, width) names a page image that can exist; NotFound otherwise."""
    pdf = db.session.get(PdfFile, sha256) if render.SHA_RE.match(sha256) else None
    if pdf is None or width not in render.WIDTHS or not 1 <= page <= pdf.page_count:
        raise NotFound("There is no such page.")
    return pdf


def request_page(sha256: str, page: int, width: int) -> None:
    """Move this page image to the front of the render queue (the caller commits)."""
    queue.request_page(db.session.connection(), sha256, page, width)


def meeting_documents(meeting: Meeting) -> list[Document]:
    """The documents of a meeting in agenda order."""
    return list(db.session.scalars(sa.select(Document).where(Document.meeting_id == meeting.id)
                                   .order_by(Document.item_id, Document.position, Document.id)))


def search_meeting(meeting: Meeting, query: str) -> list[dict]:
    """Pages of the meeting's documents that contain the words, as {document_id, title, page, snippet}."""
    query = (query or "").strip()
    if len(query) > 200:
        raise BadInput("The search is too long; use a few words (up to 200 characters).")
    docs = meeting_documents(meeting)
    by_sha: dict[str, list[Document]] = {}
    for d in docs:
        by_sha.setdefault(d.sha256, []).append(d)
    hits = search_pages(db.session.connection(), list(by_sha), query)
    return [{"document_id": d.id, "title": d.title, "page": h.page, "snippet": h.snippet}
            for h in hits for d in by_sha[h.sha256]]
