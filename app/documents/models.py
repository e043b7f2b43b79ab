"""Documents on the agenda and the content-addressed PDF files behind them."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class PdfFile(db.Model):
    """One stored original, keyed by its SHA-256: the same file is stored and rendered once."""

    __tablename__ = "pdf_files"

    sha256: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    size_bytes: so.Mapped[int]
    page_count: so.Mapped[int]
    repaired: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # The PDF outline as [{"level", "title", "page"}]; None until a render worker has read it.
    outline: so.Mapped[list | None] = so.mapped_column(sa.JSON, nullable=True)


class Document(db.Model):
    """A PDF attached to an agenda item of a meeting."""

    __tablename__ = "documents"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    item_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    sha256: so.Mapped[str] = so.mapped_column(sa.ForeignKey("pdf_files.sha256"), index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    filename: so.Mapped[str] = so.mapped_column(sa.String(255))
    position: so.Mapped[int] = so.mapped_column(default=0)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    pdf: so.Mapped[PdfFile] = so.relationship(lazy="joined")
    item = so.relationship(
        "AgendaItem",
        backref=so.backref("documents", order_by="Document.position", cascade="all, delete-orphan", passive_deletes=True),
    )

    __table_args__ = (sa.UniqueConstraint("item_id", "sha256", name="uq_documents_item_sha256"),)

    @property
    def page_count(self) -> int:
        """Pages in the PDF."""
        return self.pdf.page_count


class PdfPage(db.Model):
    """The text of one page, extracted by a render worker, for full-text search."""

    __tablename__ = "pdf_pages"

    sha256: so.Mapped[str] = so.mapped_column(
        sa.ForeignKey("pdf_files.sha256", ondelete="CASCADE"), primary_key=True
    )
    page: so.Mapped[int] = so.mapped_column(primary_key=True)  # 1-based
    text: so.Mapped[str] = so.mapped_column(sa.Text, default="")


class RenderJob(db.Model):
    """A page image still to be made: the durable render queue (a row is deleted once its file exists).

    Workers take the lowest (priority, page, width) first: a page a reader asks for gets priority 0,
    uploads queue their pages at priority 100, so first pages come first and a requested page jumps the queue.
    """

    __tablename__ = "render_jobs"

    ON_DEMAND = 0
    EAGER = 100

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    sha256: so.Mapped[str] = so.mapped_column(sa.ForeignKey("pdf_files.sha256", ondelete="CASCADE"))
    page: so.Mapped[int]  # 1-based
    width: so.Mapped[int]
    priority: so.Mapped[int] = so.mapped_column(default=EAGER)
    claimed_by: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    claimed_at: so.Mapped[datetime | None]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("sha256", "page", "width", name="uq_render_jobs_sha256_page_width"),
        sa.Index("ix_render_jobs_order", "priority", "page", "width"),
        sa.CheckConstraint("page >= 1", name="page_positive"),
    )
