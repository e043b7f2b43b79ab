"""Votes, their options, who has voted, named choices and proxies.

Secrecy by schema: for a SECRET vote the only trace of a ballot is one `vote_participations` row (who
voted) and `+1 / +weight` on the counters of `vote_options` (what was chosen), written in the same
transaction. There is no per-ballot choice row, and the counters carry no timestamp, id or order that
could join them to a participation. `vote_named_choices` rows exist only for NAMED votes.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.timeutil import utcnow


class Vote(db.Model):
    """One question put to the meeting, with its rule and a state that moves one way."""

    __tablename__ = "votes"

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"
    ANNULLED = "annulled"
    STATES = (DRAFT, OPEN, CLOSED, PUBLISHED, ANNULLED)
    # Which state may follow which (delete is only for drafts and is not a state).
    TRANSITIONS = {
        DRAFT: (OPEN,),
        OPEN: (CLOSED,),
        CLOSED: (PUBLISHED, ANNULLED),
        PUBLISHED: (ANNULLED,),
        ANNULLED: (),
    }

    MOTION = "motion"      # For / Against / Abstain: does the motion pass?
    CHOICE = "choice"      # one of several custom options
    ELECTION = "election"  # k of n candidates
    METHODS = (MOTION, CHOICE, ELECTION)

    SIMPLE = "simple"          # more than half of the votes cast
    ABSOLUTE = "absolute"      # more than half of the voting weight of all members
    TWO_THIRDS = "two_thirds"  # at least two thirds of the votes cast
    FRACTION = "fraction"      # at least num/den of the votes cast
    PLURALITY = "plurality"    # a choice or an election: the most votes win (relative majority)
    RULES = (SIMPLE, ABSOLUTE, TWO_THIRDS, FRACTION, PLURALITY)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    question: so.Mapped[str] = so.mapped_column(sa.String(500))
    method: so.Mapped[str] = so.mapped_column(sa.String(16), default=MOTION)
    secret: so.Mapped[bool] = so.mapped_column(default=False)
    max_choices: so.Mapped[int] = so.mapped_column(default=1)
    rule: so.Mapped[str] = so.mapped_column(sa.String(16), default=SIMPLE)
    rule_num: so.Mapped[int] = so.mapped_column(default=1)
    rule_den: so.Mapped[int] = so.mapped_column(default=2)
    abstentions_count: so.Mapped[bool] = so.mapped_column(default=False)
    # Quorum: at least quorum_num/quorum_den of all members' voting weight present, to open and to close.
    quorum_num: so.Mapped[int | None]
    quorum_den: so.Mapped[int | None]
    allow_change: so.Mapped[bool] = so.mapped_column(default=True)
    duration_seconds: so.Mapped[int | None]
    state: so.Mapped[str] = so.mapped_column(sa.String(16), default=DRAFT)
    # Stored, so that a restarted server resumes the timer.
    deadline: so.Mapped[datetime | None]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    created_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: so.Mapped[datetime | None]
    closed_at: so.Mapped[datetime | None]
    decided_at: so.Mapped[datetime | None]
    # The result as computed at close (tally, eligible, rule outcome): the record does not move afterwards.
    result: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    passed: so.Mapped[bool | None]

    options: so.Mapped[list["VoteOption"]] = so.relationship(
        back_populates="vote", cascade="all, delete-orphan", order_by="VoteOption.position"
    )

    __table_args__ = (
        sa.CheckConstraint("state IN ('draft', 'open', 'closed', 'published', 'annulled')", name="state"),
        sa.CheckConstraint("method IN ('motion', 'choice', 'election')", name="method"),
        sa.CheckConstraint("rule IN ('simple', 'absolute', 'two_thirds', 'fraction', 'plurality')", name="rule"),
        sa.CheckConstraint("rule_den > 0 AND rule_num > 0 AND rule_num <= rule_den", name="rule_fraction"),
        sa.CheckConstraint("max_choices >= 1", name="max_choices"),
        # A secret ballot is final once cast: changing it would need the server to link voter and choice.
        sa.CheckConstraint("NOT (secret AND allow_change)", name="secret_final"),
    )

    @property
    def is_named(self) -> bool:
        """Named votes publish who voted what."""
        return not self.secret

    def __repr__(self) -> str:
        return f"<Vote {self.id} {self.state}>"


class VoteOption(db.Model):
    """An answer of a vote, with its running counters (ballots and weight)."""

    __tablename__ = "vote_options"

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    CANDIDATE = "candidate"
    KINDS = (YES, NO, ABSTAIN, CANDIDATE)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    vote_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    position: so.Mapped[int] = so.mapped_column(default=0)
    label: so.Mapped[str] = so.mapped_column(sa.String(200))
    kind: so.Mapped[str] = so.mapped_column(sa.String(16), default=CANDIDATE)
    ballots: so.Mapped[int] = so.mapped_column(default=0)
    weight: so.Mapped[int] = so.mapped_column(default=0)

    vote: so.Mapped[Vote] = so.relationship(back_populates="options")

    __table_args__ = (
        sa.UniqueConstraint("vote_id", "position", name="uq_vote_options_vote_position"),
        sa.CheckConstraint("kind IN ('yes', 'no', 'abstain', 'candidate')", name="kind"),
        sa.CheckConstraint("ballots >= 0 AND weight >= 0", name="counters"),
    )


class VoteParticipation(db.Model):
    """That a membership's ballot was cast in a vote (never what it was). One per member per vote."""

    __tablename__ = "vote_participations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    vote_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    # Whose ballot this is (the absent member, for a proxy ballot).
    membership_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    # Who pressed the button (the proxy holder, or the member themself).
    cast_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("memberships.id", ondelete="CASCADE"))
    weight: so.Mapped[int] = so.mapped_column(default=1)
    cast_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    __table_args__ = (
        # The database, not only the code, allows one ballot per member per vote.
        sa.UniqueConstraint("vote_id", "membership_id", name="uq_vote_participations_vote_membership"),
    )


class VoteNamedChoice(db.Model):
    """What a member chose in a NAMED vote (never written for a secret vote)."""

    __tablename__ = "vote_named_choices"

    participation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("vote_participations.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("vote_options.id", ondelete="CASCADE"), primary_key=True)


class VoteProxy(db.Model):
    """An absent member's vote carried by another member of the same meeting."""

    __tablename__ = "vote_proxies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    # A member gives their proxy to one holder at a time.
    giver_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("memberships.id", ondelete="CASCADE"), unique=True)
    holder_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    created_by: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (sa.CheckConstraint("giver_id <> holder_id", name="not_self"),)
