"""Attendance: who is in the room, and the meeting's quorum rule."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class Attendance(db.Model):
    """The presence of one membership (no row means absent). One row per membership, enforced."""

    __tablename__ = "attendance"

    PRESENT = "present"
    LEFT = "left"
    EXCUSED = "excused"
    STATUSES = (PRESENT, LEFT, EXCUSED)
    # How the delegate got here: scanned badge, marked by hand, or their own tablet.
    SCAN = "scan"
    MANUAL = "manual"
    SELF = "self"
    METHODS = (SCAN, MANUAL, SELF)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    membership_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("memberships.id", ondelete="CASCADE"), unique=True
    )
    status: so.Mapped[str] = so.mapped_column(sa.String(16))
    method: so.Mapped[str] = so.mapped_column(sa.String(8), default=MANUAL)
    arrived_at: so.Mapped[datetime | None]
    left_at: so.Mapped[datetime | None]
    excuse: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    # The state before the last change, so the secretary can undo one mistake (None: there was no row).
    previous: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    membership = so.relationship("Membership", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("status IN ('present', 'left', 'excused')", name="status"),
        sa.CheckConstraint("method IN ('scan', 'manual', 'self')", name="method"),
    )

    def state(self) -> dict:
        """The fields undo restores, as JSON-safe values."""
        return {
            "status": self.status,
            "method": self.method,
            "arrived_at": self.arrived_at.isoformat() if self.arrived_at else None,
            "left_at": self.left_at.isoformat() if self.left_at else None,
            "excuse": self.excuse or "",
        }


class AttendanceSettings(db.Model):
    """Per meeting: the quorum rule and whether delegates may check themselves in."""

    __tablename__ = "attendance_settings"

    MEMBERS = "members"
    WEIGHT = "weight"
    BOTH = "both"
    BASES = (MEMBERS, WEIGHT, BOTH)

    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    # Quorum: present share of voting members (and/or of vote weight) must exceed (or reach) num/den.
    quorum_basis: so.Mapped[str] = so.mapped_column(sa.String(8), default=MEMBERS)
    quorum_num: so.Mapped[int] = so.mapped_column(default=1)
    quorum_den: so.Mapped[int] = so.mapped_column(default=2)
    quorum_strict: so.Mapped[bool] = so.mapped_column(default=True)
    # Some bodies do not count excused members in the base of the quorum.
    exclude_excused: so.Mapped[bool] = so.mapped_column(default=False)
    self_checkin: so.Mapped[bool] = so.mapped_column(default=True)

    __table_args__ = (
        sa.CheckConstraint("quorum_basis IN ('members', 'weight', 'both')", name="quorum_basis"),
        sa.CheckConstraint("quorum_den > 0 AND quorum_num >= 0 AND quorum_num <= quorum_den", name="quorum_fraction"),
    )
