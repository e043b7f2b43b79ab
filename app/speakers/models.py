"""The list of speakers: requests for the floor per agenda item, and each meeting's speaking time."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow

# A request is "open" while it waits or speaks; the partial indexes below use this condition.
_OPEN = sa.text("status IN ('waiting', 'speaking')")
_SPEAKING = sa.text("status = 'speaking'")


class SpeakerRequest(db.Model):
    """One member's request to speak on one agenda item, from waiting to done (or withdrawn)."""

    __tablename__ = "speaker_requests"

    WAITING = "waiting"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    STATUSES = (WAITING, SPEAKING, DONE, WITHDRAWN)
    OPEN = (WAITING, SPEAKING)
    NORMAL = "normal"
    POINT_OF_ORDER = "point_of_order"
    KINDS = (NORMAL, POINT_OF_ORDER)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    item_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    membership_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16), default=NORMAL)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=WAITING)
    position: so.Mapped[int] = so.mapped_column(default=0)
    requested_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # The timer is started_at + limit_seconds, so every screen computes it and it survives a restart.
    started_at: so.Mapped[datetime | None]
    limit_seconds: so.Mapped[int | None]
    ended_at: so.Mapped[datetime | None]
    # The chair holds the clock (a disturbance, a question to the chair): while paused_at is set the timer stands;
    # paused_seconds is the time of the pauses before, so the timer is started_at + limit_seconds + paused_seconds.
    paused_at: so.Mapped[datetime | None]
    paused_seconds: so.Mapped[int] = so.mapped_column(default=0, server_default="0")

    membership = so.relationship("Membership", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("status IN ('waiting', 'speaking', 'done', 'withdrawn')", name="status"),
        sa.CheckConstraint("kind IN ('normal', 'point_of_order')", name="kind"),
        # One open request per member per item; one speaker at a time per meeting (SQLite and PostgreSQL).
        sa.Index("uq_speaker_requests_open", "item_id", "membership_id", unique=True,
                 sqlite_where=_OPEN, postgresql_where=_OPEN),
        sa.Index("uq_speaker_requests_speaking", "meeting_id", unique=True,
                 sqlite_where=_SPEAKING, postgresql_where=_SPEAKING),
    )


class SpeakerSettings(db.Model):
    """Per meeting: the default speaking time and when the warning shows."""

    __tablename__ = "speaker_settings"

    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    limit_seconds: so.Mapped[int] = so.mapped_column(default=180)
    warn_seconds: so.Mapped[int] = so.mapped_column(default=30)

    __table_args__ = (
        sa.CheckConstraint("limit_seconds > 0", name="limit_positive"),
        sa.CheckConstraint("warn_seconds >= 0", name="warn_nonnegative"),
    )
