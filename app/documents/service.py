"""Attach PDFs to agenda items: validate, store once per content, record."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from app.audit.service import record
from app.documents.ingest import PdfInfo, inspect_pdf, store_original
from app.documents.models import Document, PdfFile
from app.errors import NotFound
from app.extensions import db
from app.meetings.models import AgendaItem


def ensure_pdf_file(info: PdfInfo) -> PdfFile:
    """The PdfFile row for this content, created if new."""
    pdf = db.session.get(PdfFile, info.sha256)
    if pdf is None:
        pdf = PdfFile(
            sha256=info.sha256, size_bytes=info.size_bytes, page_count=info.page_count, repaired=info.repaired
        )
        db.session.add(pdf)
        db.session.flush()
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


def get_document(document_id: int) -> Document:
    """The document, or NotFound."""
    doc = db.session.get(Document, document_id)
    if doc is None:
        raise NotFound("This document does not exist (it may have been removed).")
    return doc
