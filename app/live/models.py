"""The live state of each meeting (what is on screen now, and the delta sequence) and wall-screen links."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class LiveState(db.Model):
    """One row per meeting: the current item, the presented document and page, and the last delta's seq.

    Written in the same transaction as the change it describes and committed before any broadcast, so a
    restarted server shows exactly what the room saw.
    """

    __tablename__ = "live_states"

    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    seq: so.Mapped[int] = so.mapped_column(default=0)
    current_item_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    document_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("documents.id", ondelete="SET NULL"))
    page: so.Mapped[int | None]
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint("seq >= 0", name="seq_positive"),
        sa.CheckConstraint("page IS NULL OR page >= 1", name="page_positive"),
    )


class DisplayLink(db.Model):
    """A wall-screen link of a meeting; only the SHA-256 of its token is stored. Revoked links never work again."""

    __tablename__ = "display_links"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    created_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: so.Mapped[datetime | None]

    meeting = so.relationship("Meeting")

    @property
    def active(self) -> bool:
        """Not revoked."""
        return self.revoked_at is None
