"""Minutes: the secretary's notes and decision per agenda item, and the chair's approvals."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class ItemMinutes(db.Model):
    """Notes and decision text of one agenda item; `version` grows by one on every save (optimistic locking)."""

    __tablename__ = "minutes_items"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), unique=True)
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    decision: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    version: so.Mapped[int] = so.mapped_column(default=1)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    updated_by = so.relationship("User")

    __table_args__ = (sa.CheckConstraint("version > 0", name="version_positive"),)


class MinutesApproval(db.Model):
    """The chair's approval of the minutes as they stood: their content hash, a snapshot and the signed PDF."""

    __tablename__ = "minutes_approvals"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    approved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    approved_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # SHA-256 of the canonical JSON of what was approved (notes, decisions, votes, attendance, speakers).
    content_hash: so.Mapped[str] = so.mapped_column(sa.String(64))
    snapshot: so.Mapped[dict] = so.mapped_column(sa.JSON)
    signed_pdf: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    signer_subject: so.Mapped[str] = so.mapped_column(sa.String(300), default="")

    approved_by = so.relationship("User")
