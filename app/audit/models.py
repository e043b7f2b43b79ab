"""The audit log: who did what, when."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class AuditEntry(db.Model):
    """One action by one actor (a user, or the system when actor_id is empty)."""

    __tablename__ = "audit_log"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    meeting_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    action: so.Mapped[str] = so.mapped_column(sa.String(64))
    detail: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
