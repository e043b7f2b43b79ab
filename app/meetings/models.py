"""Meetings, their agenda and who belongs to them."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class Meeting(db.Model):
    """A session of a body: title, time, place, and a status that moves one way."""

    __tablename__ = "meetings"

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    LIVE = "live"
    CLOSED = "closed"
    STATUSES = (DRAFT, SCHEDULED, LIVE, CLOSED)
    # Which status may follow which: a closed meeting never reopens.
    TRANSITIONS = {
        DRAFT: (SCHEDULED,),
        SCHEDULED: (DRAFT, LIVE),
        LIVE: (CLOSED,),
        CLOSED: (),
    }

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True, index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    starts_at: so.Mapped[datetime | None]
    place: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=DRAFT)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    items: so.Mapped[list["AgendaItem"]] = so.relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    memberships: so.Mapped[list["Membership"]] = so.relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("status IN ('draft', 'scheduled', 'live', 'closed')", name="status"),
    )

    @property
    def is_closed(self) -> bool:
        """A closed meeting is read-only."""
        return self.status == self.CLOSED

    def top_items(self) -> list["AgendaItem"]:
        """Agenda items at the top level, in order."""
        return [i for i in self.items if i.parent_id is None]

    def __repr__(self) -> str:
        return f"<Meeting {self.slug} {self.status}>"


def _votes_by_role(context) -> bool:
    """A new member votes unless seated as secretary (a clerk) or observer; the roster can say otherwise."""
    return Membership.decide_votes(context.get_current_parameters().get("role"), None)


class Membership(db.Model):
    """A person's seat in one meeting: role, seat label, vote weight and whether they vote (`votes`: chairs and
    delegates by default; a secretary only where the roster says so, a secretary who is a member of the body;
    an observer never)."""

    __tablename__ = "memberships"

    CHAIR = "chair"
    SECRETARY = "secretary"
    DELEGATE = "delegate"
    OBSERVER = "observer"
    ROLES = (CHAIR, SECRETARY, DELEGATE, OBSERVER)
    STAFF_ROLES = (CHAIR, SECRETARY)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    seat: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    vote_weight: so.Mapped[int] = so.mapped_column(default=1)
    votes: so.Mapped[bool] = so.mapped_column(default=_votes_by_role, server_default=sa.true())
    badge_serial: so.Mapped[int] = so.mapped_column(default=1)

    meeting: so.Mapped[Meeting] = so.relationship(back_populates="memberships")
    user = so.relationship("User", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_memberships_meeting_user"),
        sa.UniqueConstraint("meeting_id", "seat", name="uq_memberships_meeting_seat"),
        sa.CheckConstraint("role IN ('chair', 'secretary', 'delegate', 'observer')", name="role"),
        sa.CheckConstraint("vote_weight > 0", name="vote_weight_positive"),
        sa.CheckConstraint("role <> 'observer' OR NOT votes", name="observer_never_votes"),
    )

    @classmethod
    def votes_by_role(cls, role: str | None) -> bool:
        """Whether a member of this role votes when nobody says otherwise."""
        return role in (cls.CHAIR, cls.DELEGATE)

    @classmethod
    def decide_votes(cls, role: str | None, said: bool | None) -> bool:
        """Whether someone of this role votes, given what the roster said (None: nothing): an observer never."""
        if role == cls.OBSERVER:
            return False
        return cls.votes_by_role(role) if said is None else said

    @property
    def is_staff(self) -> bool:
        """Chair and secretary run the meeting."""
        return self.role in self.STAFF_ROLES

    @classmethod
    def voting(cls) -> sa.ColumnElement[bool]:
        """The SQL condition of can_vote (who counts for a quorum and may cast a ballot)."""
        return sa.and_(cls.votes.is_(sa.true()), cls.role != cls.OBSERVER)

    @property
    def can_vote(self) -> bool:
        """Voting members: `votes` (as the role says until it is stored), and never an observer."""
        return self.decide_votes(self.role, self.votes)


class AgendaItem(db.Model):
    """One point of the agenda; items nest one level or more below a parent."""

    __tablename__ = "agenda_items"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    parent_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(default=0)
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    meeting: so.Mapped[Meeting] = so.relationship(back_populates="items")
    # Sub-items go with their parent through the database's ON DELETE CASCADE ("all": even when loaded, the ORM
    # leaves them to it instead of making them top-level items by clearing their parent_id).
    children: so.Mapped[list["AgendaItem"]] = so.relationship(
        order_by="AgendaItem.position", overlaps="items,meeting", passive_deletes="all"
    )

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} {self.title!r}>"
