"""Write audit entries inside the caller's transaction, so a change and its record commit together."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db


def record(action: str, actor_id: int | None = None, meeting_id: int | None = None, **detail: Any) -> None:
    """Add an audit entry to the current transaction (committed by the caller)."""
    db.session.add(AuditEntry(action=action, actor_id=actor_id, meeting_id=meeting_id, detail=detail))


def entries(meeting_id: int | None = None, action: str | None = None) -> list[AuditEntry]:
    """Audit entries, oldest first, optionally for one meeting or one action."""
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if meeting_id is not None:
        query = query.where(AuditEntry.meeting_id == meeting_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))
