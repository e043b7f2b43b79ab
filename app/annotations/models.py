"""Annotations: a person's highlights, ink and notes on a document page, stored as vectors in PDF points."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class Annotation(db.Model):
    """One highlight, ink drawing or sticky note by one author on one page of one document.

    Geometry is in PDF page coordinates (points, origin top-left, as PyMuPDF's page.rect), so it sits
    right at any zoom. `geometry` holds {"rects": [[x0, y0, x1, y1], ...]} for a highlight,
    {"strokes": [[[x, y], ...], ...]} for ink and {"point": [x, y]} for a note.
    """

    __tablename__ = "annotations"

    HIGHLIGHT = "highlight"
    INK = "ink"
    NOTE = "note"
    KINDS = (HIGHLIGHT, INK, NOTE)

    PRIVATE = "private"
    MEETING = "meeting"
    CHAIR = "chair"
    VISIBILITIES = (PRIVATE, MEETING, CHAIR)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    document_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"))
    page: so.Mapped[int]
    author_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    visibility: so.Mapped[str] = so.mapped_column(sa.String(16), default=PRIVATE)
    color: so.Mapped[str] = so.mapped_column(sa.String(7), default="#ffd400")
    width: so.Mapped[float | None]
    geometry: so.Mapped[dict] = so.mapped_column(sa.JSON)
    text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # A highlight's words as the page prints them (pages.highlighted_words, read when it is drawn or moved;
    # empty for a scan without text and for the other kinds): "My notes" shows what was marked.
    quote: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    version: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)

    author = so.relationship("User", lazy="joined")

    __table_args__ = (
        sa.Index("ix_annotations_document_page", "document_id", "page"),
        sa.CheckConstraint("kind IN ('highlight', 'ink', 'note')", name="kind"),
        sa.CheckConstraint("visibility IN ('private', 'meeting', 'chair')", name="visibility"),
        sa.CheckConstraint("page >= 1", name="page_positive"),
    )

    @property
    def is_private(self) -> bool:
        """Only the author may ever see it."""
        return self.visibility == self.PRIVATE

    def __repr__(self) -> str:
        return f"<Annotation {self.id} {self.kind} p{self.page} {self.visibility}>"
