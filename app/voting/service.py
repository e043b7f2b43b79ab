"""Votes: create, open, cast, close, publish, annul; proxies; results for the minutes.

Plain functions over explicit arguments. They change rows in the current transaction; the callers commit
(except cast_ballot and close_vote, which commit themselves, because the moment of commit is their contract:
a ballot is acknowledged only after it is stored, and a close must not count a ballot that arrives after it).
"""
from __future__ import annotations

import csv
import io
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

import sqlalchemy as sa

from app.audit.service import record
from app.auth.models import User
from app.errors import BadInput, Conflict, DomainError, Forbidden, InvalidTransition, NotFound, Phrase, Term
from app.extensions import db
from app.i18n import N_
from app.meetings import holds
from app.meetings.models import AgendaItem, Meeting, Membership
from app.meetings.service import STATUS_WORDS, require_staff
from app.timeutil import utcnow
from app.voting import presence, rules
from app.voting.batch_sql import BatchSQL, Person
from app.voting.models import Vote, VoteNamedChoice, VoteOption, VoteParticipation, VoteProxy
from app.voting.schemas import VoteSpec

log = logging.getLogger("dais.voting")

CHAIR_ONLY = (Membership.CHAIR,)
PREPARERS = Membership.STAFF_ROLES

# The states and the state changes of a vote as words in a refusal (“Cannot open vote 7: it is closed.”).
STATE_WORDS = {Vote.DRAFT: Term("vote state", "draft"), Vote.OPEN: Term("vote state", "open"),
               Vote.CLOSED: Term("vote state", "closed"), Vote.PUBLISHED: Term("vote state", "published"),
               Vote.ANNULLED: Term("vote state", "annulled")}
ACTION_WORDS = {"change": Term("vote action", "change"), "delete": Term("vote action", "delete"),
                "open": Term("vote action", "open"), "close": Term("vote action", "close"),
                "publish": Term("vote action", "publish"), "annul": Term("vote action", "annul")}


def state_word(state: str) -> str:
    """A vote state as a word of a sentence (translated when the sentence is shown)."""
    return STATE_WORDS.get(state, state)


# ----- lookups -----

def get_vote(vote_id: int) -> Vote:
    """The vote with this id, or NotFound."""
    vote = db.session.get(Vote, vote_id)
    if vote is None:
        raise NotFound("There is no vote %(id)s.", id=vote_id)
    return vote


def votes_of(meeting: Meeting, include_drafts: bool) -> list[Vote]:
    """The meeting's votes, oldest first (drafts only for staff)."""
    query = sa.select(Vote).where(Vote.meeting_id == meeting.id).order_by(Vote.id)
    if not include_drafts:
        query = query.where(Vote.state != Vote.DRAFT)
    return list(db.session.scalars(query))


def open_vote_of(meeting_id: int) -> Vote | None:
    """The vote that is open in this meeting now, if any."""
    return db.session.scalar(sa.select(Vote).where(Vote.meeting_id == meeting_id, Vote.state == Vote.OPEN))


def _membership(meeting_id: int, user_id: int) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(Membership.meeting_id == meeting_id, Membership.user_id == user_id)
    )


def voting_members(meeting_id: int) -> list[Membership]:
    """Every member who may vote (Membership.can_vote)."""
    return list(db.session.scalars(
        sa.select(Membership).where(Membership.meeting_id == meeting_id, Membership.voting())
    ))


_ELIGIBLE = (sa.select(sa.func.count(Membership.id), sa.func.coalesce(sa.func.sum(Membership.vote_weight), 0))
             .where(Membership.meeting_id == sa.bindparam("meeting"), Membership.voting()))


def members_weight(meeting_id: int) -> tuple[int, int]:
    """(voting members, their summed vote weight)."""
    count, weight = db.session.execute(_ELIGIBLE, {"meeting": meeting_id}).one()
    return int(count), int(weight)


# ----- create and change drafts -----

# The default answers are stored as these catalogue entries, in no one's language: every screen shows them in its
# reader's (the scripts through vote_strings' opt_*, the minutes through gettext). Before, they were stored in the
# language of whoever prepared the vote, and a Vietnamese chair's motion read “Tán thành” on an English wall.
DEFAULT_MOTION = ((N_("For"), VoteOption.YES), (N_("Against"), VoteOption.NO), (N_("Abstain"), VoteOption.ABSTAIN))


def create_vote(meeting: Meeting, user: User, spec: VoteSpec) -> Vote:
    """A draft vote on an agenda item (the current one when none is given); chair or secretary."""
    require_staff(user, meeting, PREPARERS)
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; no more votes can be created in it.")
    item_id = spec.agenda_item_id
    if item_id is None:
        item_id = _current_item(meeting)
    elif db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.id == item_id,
                                                          AgendaItem.meeting_id == meeting.id)) is None:
        raise BadInput("The agenda item is not on this meeting's agenda.")
    vote = Vote(meeting_id=meeting.id, agenda_item_id=item_id, created_by=user.id)
    _apply_spec(vote, spec)
    db.session.add(vote)
    db.session.flush()
    record("vote.created", user.id, meeting.id, vote_id=vote.id, question=vote.question, method=vote.method,
           secret=vote.secret)
    return vote


def update_vote(vote: Vote, user: User, spec: VoteSpec) -> Vote:
    """Change a draft (question, options, rule...); an opened vote never changes."""
    meeting = db.session.get(Meeting, vote.meeting_id)
    require_staff(user, meeting, PREPARERS)
    _ensure_drafts_open(meeting)
    _require_state(vote, Vote.DRAFT, "change")
    if spec.agenda_item_id is not None:
        if db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.id == spec.agenda_item_id,
                                                            AgendaItem.meeting_id == vote.meeting_id)) is None:
            raise BadInput("The agenda item is not on this meeting's agenda.")
        vote.agenda_item_id = spec.agenda_item_id
    vote.options.clear()
    db.session.flush()
    _apply_spec(vote, spec)
    db.session.flush()
    record("vote.changed", user.id, vote.meeting_id, vote_id=vote.id)
    return vote


def delete_draft(vote: Vote, user: User) -> None:
    """Remove a draft that was never opened (opened votes stay in the record)."""
    meeting = db.session.get(Meeting, vote.meeting_id)
    require_staff(user, meeting, PREPARERS)
    _ensure_drafts_open(meeting)
    _require_state(vote, Vote.DRAFT, "delete")
    record("vote.deleted", user.id, vote.meeting_id, vote_id=vote.id, question=vote.question)
    db.session.delete(vote)


def _ensure_drafts_open(meeting: Meeting) -> None:
    """A closed meeting is the record: its drafts stay as they were, like everything else in it."""
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; its draft votes can no longer change.")


def _current_item(meeting: Meeting) -> int | None:
    try:
        from app.live.service import get_state
    except ImportError:  # the live room is optional for the voting service
        return None
    return get_state(meeting).current_item_id


def _apply_spec(vote: Vote, spec: VoteSpec) -> None:
    vote.question = spec.question
    vote.method = spec.method
    vote.secret = spec.secret
    vote.max_choices = spec.max_choices if spec.method == Vote.ELECTION else 1
    vote.rule = spec.rule
    vote.rule_num, vote.rule_den = spec.fraction if spec.rule == Vote.FRACTION else (1, 2)
    vote.abstentions_count = spec.abstentions_count
    vote.quorum_num, vote.quorum_den = spec.quorum if spec.quorum else (None, None)
    # A secret ballot is final once cast (see docs/architecture.md, "Why secret ballots cannot be changed").
    vote.allow_change = False if spec.secret else spec.allow_change
    vote.duration_seconds = spec.duration_seconds
    if spec.method == Vote.MOTION:
        labels = spec.options or [label for label, _ in DEFAULT_MOTION]
        options = [(label, kind) for label, (_, kind) in zip(labels, DEFAULT_MOTION)]
    else:
        options = [(label, VoteOption.CANDIDATE) for label in spec.options]
        if spec.abstain_option:
            options.append((spec.abstain_text(), VoteOption.ABSTAIN))
    vote.options = [VoteOption(position=n, label=label, kind=kind) for n, (label, kind) in enumerate(options)]


# ----- state machine -----

def _require_state(vote: Vote, wanted: str | tuple[str, ...], verb: str) -> None:
    allowed = (wanted,) if isinstance(wanted, str) else wanted
    if vote.state not in allowed:
        raise InvalidTransition("Cannot %(action)s vote %(id)s: it is %(state)s.", action=ACTION_WORDS[verb],
                                id=vote.id, state=state_word(vote.state))


def _meeting_of(vote: Vote) -> Meeting:
    return db.session.get(Meeting, vote.meeting_id)


def quorum_status(vote: Vote) -> dict[str, Any]:
    """Present weight against the vote's quorum (always reached when it has none)."""
    _, total = members_weight(vote.meeting_id)
    members, present = presence.present_weight(vote.meeting_id)
    return {
        "required": rules.quorum_required(total, vote.quorum_num, vote.quorum_den),
        "present_weight": present,
        "present_members": members,
        "members_weight": total,
        "reached": rules.quorum_reached(present, total, vote.quorum_num, vote.quorum_den),
        "fraction": [vote.quorum_num, vote.quorum_den] if vote.quorum_num else None,
    }


def open_vote(vote: Vote, user: User) -> Vote:
    """Open a draft for ballots (chair): the meeting must be live, no other vote open, the quorum reached."""
    meeting = _meeting_of(vote)
    require_staff(user, meeting, CHAIR_ONLY)
    _require_state(vote, Vote.DRAFT, "open")
    if meeting.status != Meeting.LIVE:
        raise InvalidTransition("Cannot open vote %(id)s: the meeting is %(status)s, not live.", id=vote.id,
                                status=STATUS_WORDS.get(meeting.status, meeting.status))
    other = open_vote_of(meeting.id)
    if other is not None:
        raise InvalidTransition("Cannot open vote %(id)s: vote %(other)s is still open; close it first.", id=vote.id,
                                other=other.id)
    quorum = quorum_status(vote)
    if not quorum["reached"]:
        raise InvalidTransition(
            "Cannot open vote %(id)s: the quorum is not reached (present weight %(present)s of %(required)s needed).",
            id=vote.id, present=quorum["present_weight"], required=quorum["required"])
    now = utcnow()
    done = db.session.execute(
        sa.update(Vote).where(Vote.id == vote.id, Vote.state == Vote.DRAFT).values(
            state=Vote.OPEN, opened_at=now,
            deadline=now + timedelta(seconds=vote.duration_seconds) if vote.duration_seconds else None,
        )
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise InvalidTransition("Cannot open vote %(id)s: it was changed at the same moment; reload.", id=vote.id)
    db.session.expire(vote)
    record("vote.opened", user.id, meeting.id, vote_id=vote.id, present_weight=quorum["present_weight"],
           deadline=vote.deadline.isoformat() if vote.deadline else None)
    return vote


def close_vote(vote: Vote, user: User | None, now: datetime | None = None) -> Vote:
    """Close an open vote and store its tally (chair, or the timer when user is None); commits.

    The state flips with a conditional UPDATE of the vote row first: ballots hold a shared lock on that row
    until they commit, so every ballot acknowledged before this commit is counted and none after.
    """
    meeting = _meeting_of(vote)
    if user is not None:
        require_staff(user, meeting, CHAIR_ONLY)
    _require_state(vote, Vote.OPEN, "close")
    vote_id = vote.id
    from app.voting.writer import flush

    flush(vote_id)  # ballots this process already received go in before the close (and its facts are dropped)
    done = db.session.execute(
        sa.update(Vote).where(Vote.id == vote_id, Vote.state == Vote.OPEN).values(
            state=Vote.CLOSED, closed_at=now or utcnow())
    )
    if done.rowcount != 1:
        db.session.rollback()
        vote = get_vote(vote_id)
        raise InvalidTransition("Cannot %(action)s vote %(id)s: it is %(state)s.", action=ACTION_WORDS["close"],
                                id=vote_id, state=state_word(vote.state))
    db.session.expire(vote)
    result = compute_result(vote)
    room = presence.room(vote.meeting_id)
    if room is not None:
        result["room"] = room   # who was in the room, against the meeting's quorum, when the vote closed
    vote.result = result
    vote.passed = result["passed"]
    record("vote.closed", user.id if user else None, meeting.id, vote_id=vote_id, by="chair" if user else "timer",
           ballots=result["ballots"], cast_weight=result["cast_weight"], passed=result["passed"])
    db.session.commit()
    if vote.secret:
        forget_ballot_history()
    return vote


def forget_ballot_history() -> bool:
    """After a secret vote closes: drop the database's own history of the counters and participations.

    The tables never link a voter to a choice, but the database keeps, for a while, each commit's version of the
    rows: SQLite in its write-ahead log (until the log starts over), PostgreSQL as dead row versions (until a
    vacuum). Comparing the counters of two consecutive versions gives one batch's choices, and a batch of one
    ballot (the usual case in a quiet vote) is one voter's. So on close the log is copied back and emptied
    (SQLite: a TRUNCATE checkpoint) or the dead versions are vacuumed away (PostgreSQL), and what stays is the
    record: who voted, and the totals. What cannot be reached from here is said in docs/architecture.md (the
    server's write-ahead log on PostgreSQL, a copy taken while the vote ran). True when it was done."""
    try:
        if db.engine.dialect.name == "sqlite":
            from app import checkpoint

            if checkpoint.active is not None:   # the server: its native thread does it, the event loop never waits
                checkpoint.request_truncate()
                return True
            busy = checkpoint.checkpoint_file(db.engine.url.database, "TRUNCATE")[0]
            if busy:
                log.warning("the write-ahead log could not be emptied after a secret vote (a reader held it)")
            return not busy
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM vote_options, vote_participations")
        return True
    except Exception:  # noqa: BLE001 - the vote is closed and counted; this is hygiene, logged
        log.warning("forgetting the ballot history after a secret vote failed", exc_info=True)
        return False


def publish_vote(vote: Vote, user: User) -> Vote:
    """Confirm a closed vote's result as the meeting's decision (chair)."""
    require_staff(user, _meeting_of(vote), CHAIR_ONLY)
    _require_state(vote, Vote.CLOSED, "publish")
    vote.state = Vote.PUBLISHED
    vote.decided_at = utcnow()
    record("vote.published", user.id, vote.meeting_id, vote_id=vote.id, passed=vote.passed)
    return vote


def annul_vote(vote: Vote, user: User, reason: str = "") -> Vote:
    """Declare a closed (or published) vote void; it stays in the record, marked (chair)."""
    require_staff(user, _meeting_of(vote), CHAIR_ONLY)
    _require_state(vote, (Vote.CLOSED, Vote.PUBLISHED), "annul")
    vote.state = Vote.ANNULLED
    vote.decided_at = utcnow()
    result = dict(vote.result or {})
    result["annul_reason"] = reason.strip()[:500]
    vote.result = result
    record("vote.annulled", user.id, vote.meeting_id, vote_id=vote.id, reason=reason.strip()[:500])
    return vote


def overdue_votes(now: datetime | None = None) -> list[int]:
    """Ids of open votes whose timer ran out (the ticker closes them; survives restarts)."""
    now = now or utcnow()
    return list(db.session.scalars(
        sa.select(Vote.id).where(Vote.state == Vote.OPEN, Vote.deadline.is_not(None), Vote.deadline <= now)
    ))


def close_overdue(now: datetime | None = None) -> list[Vote]:
    """Close every vote whose deadline has passed; returns the closed votes."""
    closed = []
    for vote_id in overdue_votes(now):
        try:
            closed.append(close_vote(get_vote(vote_id), None))
        except InvalidTransition:  # the chair (or another process) closed it first
            db.session.rollback()
    return closed


# ----- ballots -----

@dataclass
class Receipt:
    """What the voter is told after the commit: whose ballot was recorded, and whether it replaced one."""

    vote_id: int
    meeting_id: int
    membership_id: int
    user_id: int
    changed: bool
    recorded_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"vote_id": self.vote_id, "membership_id": self.membership_id, "changed": self.changed,
                "recorded_at": self.recorded_at.isoformat() + "Z"}


@dataclass(frozen=True)
class BallotFacts:
    """What a ballot needs to know about its vote; none of it changes once the vote is open."""

    meeting_id: int
    secret: bool
    allow_change: bool
    method: str
    max_choices: int
    deadline: datetime | None
    options: dict[int, str]  # option id -> kind


class FactsCache:
    """The fixed facts of open votes, so that a burst of ballots does not read the vote 500 times. Owned by
    whoever receives ballots (the process's ballot writer) and passed in; one loader at a time: when a burst
    starts, the first ballot reads the vote and the others wait for it instead of all reading it at once."""

    LIMIT = 1000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._facts: dict[int, BallotFacts] = {}

    def get(self, vote_id: int) -> BallotFacts:
        """The vote's facts (kept once the vote is open; its state is checked in each ballot's transaction)."""
        facts = self._facts.get(vote_id)
        if facts is not None:
            return facts
        with self._lock:
            facts = self._facts.get(vote_id)
            if facts is not None:
                return facts
            facts, state = _read_facts(vote_id)
            if state == Vote.OPEN:
                if len(self._facts) >= self.LIMIT:
                    self._facts.clear()
                self._facts[vote_id] = facts
            return facts

    def forget(self, vote_id: int) -> None:
        self._facts.pop(vote_id, None)

    def __contains__(self, vote_id: int) -> bool:
        return vote_id in self._facts


def _read_facts(vote_id: int) -> tuple[BallotFacts, str]:
    """The vote's fixed facts and its current state, read from the database."""
    vote = db.session.get(Vote, vote_id)
    if vote is None:
        raise NotFound("There is no vote %(id)s.", id=vote_id)
    facts = BallotFacts(vote.meeting_id, vote.secret, vote.allow_change, vote.method, vote.max_choices,
                        vote.deadline, {o.id: o.kind for o in vote.options})
    return facts, vote.state


@dataclass
class Ballot:
    """A ballot as it arrived (checked against its vote's fixed facts), waiting to be stored."""

    vote_id: int
    user_id: int
    option_ids: list[int]
    on_behalf_of: int | None
    facts: BallotFacts
    now: datetime


def prepare_ballot(vote_id: int, user_id: int, option_ids: Iterable[int], on_behalf_of: int | None = None,
                   meeting_id: int | None = None, now: datetime | None = None,
                   cache: FactsCache | None = None) -> Ballot:
    """The checks that need no transaction (the vote exists and belongs to `meeting_id`, when given);
    everything else is decided by store_ballots inside the ballot's transaction. `cache` keeps the facts
    of open votes between ballots."""
    facts = cache.get(vote_id) if cache is not None else _read_facts(vote_id)[0]
    if meeting_id is not None and facts.meeting_id != meeting_id:
        raise Forbidden("Vote %(id)s belongs to another meeting; nothing was recorded.", id=vote_id)
    return Ballot(vote_id, user_id, list(option_ids), on_behalf_of, facts, now or utcnow())


def cast_ballot(vote_id: int, user_id: int, option_ids: Iterable[int], on_behalf_of: int | None = None,
                meeting_id: int | None = None, now: datetime | None = None) -> Receipt:
    """Store one ballot and commit; the receipt exists only once the ballot is in the database.

    `on_behalf_of` is the membership id of an absent member whose proxy this user holds; `meeting_id`, when
    given, is the meeting the tablet follows (a ballot for a vote of another meeting is refused).
    """
    outcome = store_ballots([prepare_ballot(vote_id, user_id, option_ids, on_behalf_of, meeting_id, now)])[0]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome



def store_ballots(ballots: list[Ballot], driver: Any = None) -> list[Receipt | Exception]:
    """Store a batch of ballots in ONE transaction and commit; one outcome per ballot, in order: its receipt
    (stored) or the DomainError that refuses it alone. If the batch fails as a whole, each ballot is tried
    on its own, so one bad ballot never refuses the others; an unexpected error is that ballot's outcome.

    `driver`: a database driver connection the caller keeps for its batches (the writer's process does:
    no session, pool or transaction bookkeeping per batch); by default the session's own connection."""
    def reset() -> None:
        if driver is None:
            db.session.rollback()

    reset()
    try:
        return _store(ballots, driver)
    except Exception as exc:
        reset()
        if len(ballots) == 1 and not isinstance(exc, (sa.exc.IntegrityError, db.engine.dialect.loaded_dbapi.IntegrityError)):
            return [exc]
        # A ballot stored meanwhile by another process (the unique constraint said no), or one bad row:
        # each ballot on its own, so one never refuses the others (and a raced one now sees the stored one).
        log.warning("a batch of %d ballots failed (%s); storing them one by one", len(ballots), exc)
    out: list[Receipt | Exception] = []
    for ballot in ballots:
        try:
            out.extend(_store([ballot], driver))
        except Exception as exc:  # noqa: BLE001 - the caller answers this ballot with a server error
            reset()
            out.append(exc)
    return out


def _store(ballots: list[Ballot], driver: Any) -> list[Receipt | Exception]:
    """One transaction for the batch (see _store_batch); once more, patient, if the vote's row was locked."""
    try:
        return _store_batch(ballots, False, driver)
    except Exception as exc:
        if driver is None:
            db.session.rollback()
        if not BatchSQL.of(db.engine.dialect).lock_busy(exc):
            raise
    return _store_batch(ballots, True, driver)


def _store_batch(ballots: list[Ballot], patient: bool, driver: Any = None,
                 rehearse: bool = False) -> list[Receipt | Exception]:
    """One transaction for the batch (see store_ballots), on the driver's connection (app/voting/batch_sql.py).
    First, together: the votes' states under a lock, then the memberships, proxies and who already has a
    ballot; then the new participations in one insert, one counter update per option row (the batch's sums:
    secret choices are aggregated before they are written), named choices, and the commit.
    `rehearse`: every statement runs, then the transaction is rolled back (see warm_up); nothing changes."""
    outcomes: list[Receipt | Exception | None] = [None] * len(ballots)
    if driver is None:
        conn = db.session.connection()
        sql, raw = BatchSQL.of(conn.dialect), conn.connection.dbapi_connection
    else:
        sql, raw = BatchSQL.of(db.engine.dialect), driver
    votes = sorted({b.vote_id for b in ballots})
    wanted_owners = sorted({b.on_behalf_of for b in ballots if b.on_behalf_of is not None})
    fresh: dict[tuple[int, int], int] = {}    # (vote, owner) -> index of the ballot that may insert it
    later: list[tuple[int, int, int, list[int]]] = []  # (index, owner, voter, chosen): already has a ballot
    accepted: dict[int, tuple[int, int, int, list[int]]] = {}  # index -> (owner, voter, weight, chosen)
    with sql.transaction(raw, patient) as read_states:
        # One round trip on PostgreSQL: the states (locked until the commit), the voters, the owners.
        states_cursor, voters_cursor, owners_cursor = raw.cursor(), raw.cursor(), raw.cursor()
        states_cursor.execute(read_states, {"votes": sql.ids(votes)})
        voters_cursor.execute(sql.voters, {"users": sql.ids(sorted({b.user_id for b in ballots})),
                                           "votes": sql.ids(votes),
                                           "meetings": sql.ids(sorted({b.facts.meeting_id for b in ballots}))})
        if wanted_owners:
            owners_cursor.execute(sql.owners, {"ids": sql.ids(wanted_owners), "votes": sql.ids(votes)})
        states = dict(states_cursor.fetchall())
        voters: dict[tuple[int, int], Person] = {}
        existing: set[tuple[int, int]] = set()  # (vote, membership) that already has a ballot
        for r in sql.people(voters_cursor):
            voters[(r.meeting_id, r.user_id)] = r
            if r.voted_in is not None:
                existing.add((r.voted_in, r.id))
        owners: dict[int, Person] = {}
        for r in sql.people(owners_cursor) if wanted_owners else ():
            owners[r.id] = r
            if r.voted_in is not None:
                existing.add((r.voted_in, r.id))
        for i, b in enumerate(ballots):
            try:
                voter = voters.get((b.facts.meeting_id, b.user_id))
                if voter is None:
                    raise Forbidden("You are not a member of this meeting, so you cannot vote in it.")
                if voter.role == Membership.OBSERVER:
                    raise Forbidden("Observers follow the meeting but do not vote.")
                if not voter.votes:
                    raise Forbidden("The roster seats you in this meeting without a vote, so you cannot vote. "
                                    "Ask the secretary if that is wrong.")
                owner_id, weight = _ballot_owner(voter, b.on_behalf_of, owners)
                state = states.get(b.vote_id)
                if state is None:
                    raise NotFound("There is no vote %(id)s.", id=b.vote_id)
                if state != Vote.OPEN:
                    raise InvalidTransition("Cannot vote in vote %(id)s: it is %(state)s.", id=b.vote_id,
                                            state=state_word(state))
                if b.facts.deadline is not None and b.now >= b.facts.deadline:
                    raise InvalidTransition("Cannot vote in vote %(id)s: its time is up.", id=b.vote_id)
                chosen = _check_choices(b.facts, b.option_ids)
            except DomainError as exc:
                outcomes[i] = exc
                continue
            if (b.vote_id, owner_id) in fresh or (b.vote_id, owner_id) in existing:
                # a second device of the same member in this very batch, or a ballot stored before
                later.append((i, owner_id, voter.id, chosen))
            else:
                fresh[(b.vote_id, owner_id)] = i
                accepted[i] = (owner_id, voter.id, weight, chosen)
        if accepted:
            # A ballot stored by another process since the read (PostgreSQL) breaks the unique constraint:
            # the batch is rolled back and store_ballots stores its ballots one by one.
            insert_cursor, add_cursor = raw.cursor(), raw.cursor()
            # In (vote, member) order: two writers' batches that both hold a member's row (two devices)
            # take the unique index's locks in the same order, and the later one waits instead of deadlocking.
            rows = sorted((ballots[i].vote_id, owner, voter_id, weight, ballots[i].now)
                          for i, (owner, voter_id, weight, _) in accepted.items())
            insert_cursor.execute(sql.participate(len(rows)), sql.participation_params(rows))
            named = [(ballots[i].vote_id, owner, chosen) for i, (owner, _, _, chosen) in accepted.items()
                     if not ballots[i].facts.secret]
            # SQLite commits only once the insert's rows are read; PostgreSQL reads them with the commit's
            # answer (one round trip), except where the named choices need the new ids first.
            inserted = None if sql.postgres and not named else insert_cursor.fetchall()
            sums: dict[int, dict[int, list[int]]] = {}
            for i, (_, _, weight, chosen) in accepted.items():
                counters = sums.setdefault(ballots[i].vote_id, {o: [0, 0] for o in ballots[i].facts.options})
                for o in chosen:
                    counters[o][0] += 1
                    counters[o][1] += weight
            # One UPDATE per option row, in id order (no two writers lock them in different orders), every
            # row written even with +0 (see _count).
            add_cursor.executemany(sql.add, [{"oid": o, "add_ballots": n, "add_weight": w}
                                             for vote_id in sorted(sums) for o, (n, w) in sorted(sums[vote_id].items())])
            if named:
                ids = {(v, m): pid for pid, v, m in inserted}
                raw.cursor().executemany(sql.named, [{"pid": ids[(v, owner)], "oid": o}
                                                     for v, owner, chosen in named for o in chosen])
            if rehearse:
                raw.rollback()
            else:
                raw.commit()
            if inserted is None:
                insert_cursor.fetchall()  # every result of the pipeline is read before it ends
        else:
            raw.rollback()
    if rehearse:
        if driver is None:
            db.session.rollback()
        return []
    if driver is None:
        db.session.commit()  # the session's own bookkeeping: the driver has committed already
    for i, (owner, _, _, _) in accepted.items():
        b = ballots[i]
        outcomes[i] = Receipt(b.vote_id, b.facts.meeting_id, owner, b.user_id, False, b.now)
    for i, owner, voter_id, chosen in sorted(later):
        b = ballots[i]
        if not b.facts.allow_change:
            outcomes[i] = _already_recorded(b.facts.secret, owner != voter_id)
            continue
        try:
            outcomes[i] = _change_ballot(b.vote_id, b.facts.meeting_id, owner, voter_id, b.user_id, chosen, b.now)
        except DomainError as exc:
            outcomes[i] = exc
    return outcomes  # type: ignore[return-value]


def _already_recorded(secret: bool, proxy: bool) -> Conflict:
    """The refusal of a second ballot where the first is final."""
    if secret and proxy:
        return Conflict("This member's ballot in this secret vote is already recorded; secret ballots are final once "
                        "cast.")
    if secret:
        return Conflict("Your ballot in this secret vote is already recorded; secret ballots are final once cast.")
    if proxy:
        return Conflict("This member's ballot in this vote is already recorded; the chair does not allow changing it.")
    return Conflict("Your ballot in this vote is already recorded; the chair does not allow changing it.")


def _change_ballot(vote_id: int, meeting_id: int, owner_id: int, voter_id: int, user_id: int,
                   chosen: list[int], now: datetime) -> Receipt:
    """Replace a NAMED ballot (only where the chair allows changes)."""
    # First statement is a write: it locks the participation row (PostgreSQL) or the database (SQLite),
    # so two devices changing at once are applied one after the other.
    row = db.session.execute(
        sa.update(VoteParticipation)
        .where(VoteParticipation.vote_id == vote_id, VoteParticipation.membership_id == owner_id)
        .values(cast_by_id=voter_id, cast_at=now)
        .returning(VoteParticipation.id, VoteParticipation.weight)
    ).one()
    participation_id, weight = row
    _lock_open(vote_id)
    old = sorted(db.session.scalars(
        sa.select(VoteNamedChoice.option_id).where(VoteNamedChoice.participation_id == participation_id)))
    if old != sorted(chosen):
        _count(vote_id, old, -1, -weight)
        db.session.execute(sa.delete(VoteNamedChoice).where(VoteNamedChoice.participation_id == participation_id))
        db.session.execute(sa.insert(VoteNamedChoice), [{"participation_id": participation_id, "option_id": o}
                                                        for o in chosen])
        _count(vote_id, chosen, 1, weight)
    db.session.commit()
    return Receipt(vote_id, meeting_id, owner_id, user_id, True, now)


def _lock_open(vote_id: int) -> None:
    """Inside the ballot's transaction: the vote must still be open (a shared row lock on PostgreSQL holds
    off a concurrent close until this ballot commits; SQLite already holds the write lock)."""
    state = db.session.execute(
        sa.select(Vote.state).where(Vote.id == vote_id).with_for_update(read=True)
    ).scalar_one()
    if state != Vote.OPEN:
        db.session.rollback()
        raise InvalidTransition("Cannot vote in vote %(id)s: it is %(state)s.", id=vote_id, state=state_word(state))


def _count(vote_id: int, chosen: list[int], ballots: int, weight: int) -> None:
    """Add to the counters of the chosen options. Every option row of the vote is written, so that row
    versions (PostgreSQL's xmin) say only that a ballot was cast, not which option it chose."""
    hit = VoteOption.id.in_(chosen)
    # Lock the counter rows in id order first: a multi-row UPDATE locks rows in physical order, which moves
    # as rows are rewritten, and two ballots locking in different orders deadlock (seen on PostgreSQL).
    db.session.execute(sa.select(VoteOption.id).where(VoteOption.vote_id == vote_id).order_by(VoteOption.id)
                       .with_for_update())
    db.session.execute(
        sa.update(VoteOption).where(VoteOption.vote_id == vote_id).values(
            ballots=VoteOption.ballots + sa.case((hit, ballots), else_=0),
            weight=VoteOption.weight + sa.case((hit, weight), else_=0),
        )
    )


def _ballot_owner(voter: Person, on_behalf_of: int | None, owners: dict[int, Person]) -> tuple[int, int]:
    """Whose ballot this is (membership id, weight): the voter's own, or that of an absent member whose
    proxy they hold. `voter` and `owners` are membership rows with `holder_id`, who carries their vote."""
    if on_behalf_of is None or on_behalf_of == voter.id:
        if voter.holder_id is not None:
            raise Forbidden("Your vote is carried by proxy by %(name)s; ask the secretary to withdraw the proxy if "
                            "you want to vote yourself.", name=voter.holder_name)
        return voter.id, voter.vote_weight
    owner = owners.get(on_behalf_of)
    if owner is None or owner.holder_id != voter.id or owner.meeting_id != voter.meeting_id \
            or owner.role == Membership.OBSERVER or not owner.votes:
        raise Forbidden("You do not hold this member's proxy, so you cannot vote for them.")
    return owner.id, owner.vote_weight


def _check_choices(vote: BallotFacts, option_ids: Iterable[int]) -> list[int]:
    """The chosen option ids, valid for this vote's method."""
    given = list(option_ids)
    chosen = sorted(set(given))
    kinds = vote.options
    if not chosen:
        raise BadInput("Choose an option before confirming your ballot.")
    if len(chosen) != len(given):
        raise BadInput("Choose each option once.")
    if any(o not in kinds for o in chosen):
        raise BadInput("This option is not part of this vote; reload the ballot.")
    abstain = [o for o in chosen if kinds[o] == VoteOption.ABSTAIN]
    if abstain and len(chosen) > 1:
        raise BadInput("Abstain cannot be combined with other choices.")
    limit = vote.max_choices if vote.method == Vote.ELECTION else 1
    if len(chosen) > limit:
        if limit > 1:
            raise BadInput("Choose at most %(limit)s options.", limit=limit)
        raise BadInput("Choose exactly one option.")
    return chosen


def ballot_status(vote: Vote, user_id: int) -> dict[str, Any]:
    """For one user's tablet: the ballots they may cast in this vote (own and proxies) and which are in."""
    voter = _membership(vote.meeting_id, user_id)
    if voter is None or not voter.can_vote:
        return {"eligible": False, "ballots": []}
    owners: list[tuple[Membership, bool]] = []
    if db.session.scalar(sa.select(VoteProxy.id).where(VoteProxy.giver_id == voter.id)) is None:
        owners.append((voter, False))
    for proxy in db.session.scalars(sa.select(VoteProxy).where(VoteProxy.holder_id == voter.id)):
        giver = db.session.get(Membership, proxy.giver_id)
        if giver is not None and giver.can_vote:
            owners.append((giver, True))
    cast = {row.membership_id: row for row in db.session.scalars(
        sa.select(VoteParticipation).where(VoteParticipation.vote_id == vote.id,
                                           VoteParticipation.membership_id.in_([m.id for m, _ in owners])))}
    ballots = []
    for member, by_proxy in owners:
        row = cast.get(member.id)
        entry: dict[str, Any] = {"membership_id": member.id, "name": member.user.name, "proxy": by_proxy,
                                 "weight": member.vote_weight, "voted": row is not None,
                                 "recorded_at": row.cast_at.isoformat() + "Z" if row else None}
        if row is not None and not vote.secret:  # a named choice is public anyway; secret ones are unknowable
            entry["choice"] = list(db.session.scalars(sa.select(VoteNamedChoice.option_id).where(
                VoteNamedChoice.participation_id == row.id)))
        ballots.append(entry)
    return {"eligible": True, "ballots": ballots}


_CAST = (sa.select(sa.func.count(VoteParticipation.id), sa.func.coalesce(sa.func.sum(VoteParticipation.weight), 0))
         .where(VoteParticipation.vote_id == sa.bindparam("vote")))


def progress(vote: Vote) -> dict[str, Any]:
    """Ballots cast against eligible voters (never the choices): for the console and the wall screen."""
    ballots, weight = db.session.execute(_CAST, {"vote": vote.id}).one()
    eligible, eligible_weight = members_weight(vote.meeting_id)
    return {"vote_id": vote.id, "ballots": int(ballots), "eligible": eligible, "cast_weight": int(weight),
            "eligible_weight": eligible_weight}


def progress_tick(vote_id: int, driver: Any = None) -> dict[str, Any] | None:
    """The database half of a ballot counter tick (see voting/live.py): the open vote's progress, recorded
    in the audit log and committed, with what the emit needs: {"meeting_id", "data", "displays": the ids of
    the meeting's working wall-screen links}. None once the vote is no longer open. Runs where the ballots
    are stored (the writer's process under a real server, on its driver connection `driver`), between two
    batches, which wait for it: so it is plain SQL in two round trips (batch_sql.BatchSQL.tick), not the
    seven of the ORM (7.6 ms each on PostgreSQL at a vote's peak, measured)."""
    if driver is None:
        conn = db.session.connection()
        sql, raw = BatchSQL.of(conn.dialect), conn.connection.dbapi_connection
    else:
        sql, raw = BatchSQL.of(db.engine.dialect), driver
    found = sql.tick(raw, vote_id, utcnow())
    if driver is None:
        db.session.commit()  # the session's own bookkeeping: the driver has committed already
    if found is None:
        return None
    meeting_id, data, displays = found
    return {"meeting_id": meeting_id, "data": data, "displays": displays}


def warm_up(driver: Any = None, vote_id: int | None = None) -> bool:
    """Run the statements of a ballot batch and of a counter tick once, so that the first ballots do not
    pay for building them: at start on nothing (a vote that does not exist); when a vote opens
    (`vote_id`), a whole batch of one ballot of one of its voters, rolled back instead of committed (on
    PostgreSQL the first batches of a vote otherwise took 3-5 ms: the server's first plans and row
    look-ups for its tables). True when the statements ran; False when there was nothing to rehearse (the
    vote is not open, or has no voter) or it failed (logged, never raised). Nothing is ever written."""
    try:
        if vote_id is None:
            _store_batch([], False, driver)
            progress_tick(0, driver)
            return True
        rehearsal = _rehearsal_ballot(vote_id)
        if rehearsal is None:
            return False
        _store_batch([rehearsal], True, driver, rehearse=True)
        return True
    except Exception:  # noqa: BLE001 - a warm-up never stops anything
        log.warning("warming up the ballot statements of vote %s failed", vote_id, exc_info=True)
        if driver is not None:
            driver.rollback()
        return False
    finally:
        db.session.rollback()


def _rehearsal_ballot(vote_id: int) -> Ballot | None:
    """A ballot of the first voting member of the vote's meeting for its first option (never stored);
    None if the vote does not exist, is not open or has no voter."""
    try:
        facts, state = _read_facts(vote_id)
    except NotFound:
        return None
    user_id = db.session.scalar(sa.select(Membership.user_id).where(
        Membership.meeting_id == facts.meeting_id, Membership.voting()).order_by(Membership.id).limit(1))
    if state != Vote.OPEN or user_id is None or not facts.options:
        return None
    return Ballot(vote_id, user_id, [min(facts.options)], None, facts, utcnow())


# ----- results -----

def compute_result(vote: Vote) -> dict[str, Any]:
    """The tally from the counters, the rule's outcome and (named votes) who voted what."""
    options = list(db.session.scalars(sa.select(VoteOption).where(VoteOption.vote_id == vote.id)
                                      .order_by(VoteOption.position)))
    prog = progress(vote)
    abstain_weight = sum(o.weight for o in options if o.kind == VoteOption.ABSTAIN)
    rule = rules.Rule(vote.rule, vote.rule_num, vote.rule_den, vote.abstentions_count)
    _, members_total = members_weight(vote.meeting_id)
    if vote.method == Vote.MOTION:
        yes = sum(o.weight for o in options if o.kind == VoteOption.YES)
        outcome = rules.decide_motion(rule, yes, prog["cast_weight"], abstain_weight, members_total)
        winners = [o.id for o in options if o.kind == VoteOption.YES] if outcome.passed else []
    else:
        weights = {o.id: o.weight for o in options if o.kind == VoteOption.CANDIDATE}
        seats = vote.max_choices if vote.method == Vote.ELECTION else 1
        outcome = rules.decide_choice(rule, weights, seats, prog["cast_weight"], abstain_weight, members_total)
        winners = outcome.winners
    quorum = quorum_status(vote) if vote.quorum_num else None
    passed = outcome.passed
    reason = outcome.reason
    if quorum is not None and not quorum["reached"]:
        passed, reason, winners = False, "no_quorum", []
    result: dict[str, Any] = {
        "ballots": prog["ballots"], "cast_weight": prog["cast_weight"], "eligible": prog["eligible"],
        "eligible_weight": prog["eligible_weight"], "abstain_weight": abstain_weight,
        "base": outcome.base, "required": outcome.required, "passed": passed, "tie": outcome.tie,
        "reason": reason, "quorum": quorum,
        "options": [{"id": o.id, "label": o.label, "kind": o.kind, "ballots": o.ballots, "weight": o.weight,
                     "won": o.id in winners} for o in options],
    }
    if not vote.secret:
        result["named"] = named_ballots(vote.id)
        # the roll call's other half: who could vote and did not (by seat)
        # (one query for the whole roster: a congress's 500 members read one by one slowed the close)
        voted = {n["membership_id"] for n in result["named"]}
        roster = db.session.execute(
            sa.select(Membership.id, Membership.seat, User.name).join(User, User.id == Membership.user_id)
            .where(Membership.meeting_id == vote.meeting_id, Membership.voting())).all()
        result["not_voted"] = [{"name": name, "seat": seat}
                               for mid, seat, name in sorted(roster, key=lambda r: (r.seat or "~", r.name))
                               if mid not in voted]
    return result


def named_ballots(vote_id: int) -> list[dict[str, Any]]:
    """Who voted what in a NAMED vote, by seat."""
    labels = dict(db.session.execute(sa.select(VoteOption.id, VoteOption.label).where(VoteOption.vote_id == vote_id)).all())
    rows = db.session.execute(
        sa.select(VoteParticipation, VoteNamedChoice.option_id)
        .join(VoteNamedChoice, VoteNamedChoice.participation_id == VoteParticipation.id)
        .where(VoteParticipation.vote_id == vote_id)
    ).all()
    by_member: dict[int, dict[str, Any]] = {}
    for part, option_id in rows:
        entry = by_member.get(part.membership_id)
        if entry is None:
            member = db.session.get(Membership, part.membership_id)
            holder = db.session.get(Membership, part.cast_by_id) if part.cast_by_id != part.membership_id else None
            entry = by_member[part.membership_id] = {
                "membership_id": member.id, "name": member.user.name, "seat": member.seat, "weight": part.weight,
                "choices": [], "proxy_by": holder.user.name if holder else None,
            }
        entry["choices"].append(labels[option_id])
    for entry in by_member.values():
        entry["choices"].sort()
    return sorted(by_member.values(), key=lambda e: (e["seat"] or "~", e["name"]))


def vote_view(vote: Vote, staff: bool = False) -> dict[str, Any]:
    """A vote as clients see it: the ballot while open, the result once closed (never a secret choice)."""
    out: dict[str, Any] = {
        "id": vote.id, "meeting_id": vote.meeting_id, "agenda_item_id": vote.agenda_item_id,
        "question": vote.question, "method": vote.method, "secret": vote.secret, "state": vote.state,
        "max_choices": vote.max_choices, "allow_change": vote.allow_change,
        "rule": {"kind": vote.rule, "fraction": [vote.rule_num, vote.rule_den],
                 "abstentions_count": vote.abstentions_count},
        "quorum": [vote.quorum_num, vote.quorum_den] if vote.quorum_num else None,
        "duration_seconds": vote.duration_seconds,
        "deadline": vote.deadline.isoformat() + "Z" if vote.deadline else None,
        "opened_at": vote.opened_at.isoformat() + "Z" if vote.opened_at else None,
        "closed_at": vote.closed_at.isoformat() + "Z" if vote.closed_at else None,
        "options": [{"id": o.id, "label": o.label, "kind": o.kind} for o in vote.options],
    }
    if vote.state in (Vote.CLOSED, Vote.PUBLISHED, Vote.ANNULLED):
        out["result"] = vote.result
        out["passed"] = vote.passed
    if vote.state == Vote.OPEN:
        out["progress"] = progress(vote)
    return out


def results_for_meeting(meeting_id: int) -> list[dict[str, Any]]:
    """Every vote of the meeting that was opened, with its result (for the minutes and the exports)."""
    out = []
    votes = db.session.scalars(sa.select(Vote).where(Vote.meeting_id == meeting_id, Vote.state != Vote.DRAFT)
                               .order_by(Vote.id))
    for vote in votes:
        item = db.session.get(AgendaItem, vote.agenda_item_id) if vote.agenda_item_id else None
        view = vote_view(vote)
        view.pop("progress", None)
        view["agenda_item_title"] = item.title if item else None
        view["annulled"] = vote.state == Vote.ANNULLED
        out.append(view)
    return out


def results_csv(meeting_id: int) -> str:
    """One row per option of every closed vote (named votes add one row per member's choice)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["vote_id", "agenda_item", "question", "kind", "state", "passed", "row", "label", "ballots",
                     "weight", "won"])
    for v in results_for_meeting(meeting_id):
        result = v.get("result") or {}
        kind = "secret" if v["secret"] else "named"
        base = [v["id"], _csv_safe(v["agenda_item_title"] or ""), _csv_safe(v["question"]), kind, v["state"],
                "" if v.get("passed") is None else ("yes" if v["passed"] else "no")]
        for o in result.get("options", []):
            writer.writerow(base + ["option", _csv_safe(o["label"]), o["ballots"], o["weight"], "yes" if o["won"] else ""])
        for n in result.get("named", []) or []:
            writer.writerow(base + ["member", _csv_safe(n["name"]), 1, n["weight"], _csv_safe("; ".join(n["choices"]))])
        if not result:
            writer.writerow(base + ["open", "", "", "", ""])
    return buf.getvalue()


def _csv_safe(text: str) -> str:
    """Keep spreadsheets from running a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# ----- proxies -----

def proxies_record(meeting_id: int) -> list[dict[str, Any]]:
    """Who carries whose vote in a meeting (the minutes list them), in the order they were given."""
    out = []
    for p in db.session.scalars(sa.select(VoteProxy).where(VoteProxy.meeting_id == meeting_id).order_by(VoteProxy.id)):
        giver, holder = db.session.get(Membership, p.giver_id), db.session.get(Membership, p.holder_id)
        out.append({"id": p.id, "giver_id": giver.id, "giver": giver.user.name, "giver_seat": giver.seat,
                    "holder_id": holder.id, "holder": holder.user.name, "holder_seat": holder.seat})
    return out


def give_proxy(meeting: Meeting, user: User, giver_id: int, holder_id: int) -> VoteProxy:
    """The secretary (or chair) lets `holder` cast the ballot of absent `giver` as well as their own."""
    require_staff(user, meeting, PREPARERS)
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; proxies can no longer change.")
    giver, holder = db.session.get(Membership, giver_id), db.session.get(Membership, holder_id)
    if giver is None or giver.meeting_id != meeting.id or holder is None or holder.meeting_id != meeting.id:
        raise BadInput("Both people must be members of this meeting.")
    if giver.id == holder.id:
        raise BadInput("A member cannot hold their own proxy.")
    if not giver.can_vote or not holder.can_vote:
        raise BadInput("%(name)s does not vote in this meeting, so they can neither give nor hold a proxy.",
                       name=(holder if giver.can_vote else giver).user.name)
    if db.session.scalar(sa.select(VoteProxy.id).where(VoteProxy.giver_id == giver.id)) is not None:
        raise Conflict("%(name)s has already given their proxy; withdraw it first.", name=giver.user.name)
    if db.session.scalar(sa.select(VoteProxy.id).where(VoteProxy.giver_id == holder.id)) is not None:
        raise Conflict("%(name)s has given their own proxy away, so they cannot hold one.", name=holder.user.name)
    if db.session.scalar(sa.select(VoteProxy.id).where(VoteProxy.holder_id == giver.id)) is not None:
        raise Conflict("%(name)s holds someone else's proxy; a proxy cannot be passed on.", name=giver.user.name)
    proxy = VoteProxy(meeting_id=meeting.id, giver_id=giver.id, holder_id=holder.id, created_by=user.id)
    db.session.add(proxy)
    db.session.flush()
    record("vote.proxy_given", user.id, meeting.id, giver=giver.id, holder=holder.id)
    return proxy


def proxy_notes(proxy: VoteProxy) -> list[Phrase]:
    """What the secretary should know of a proxy just given (it stands; these are not refusals): its giver is in
    the room, or its holder is not."""
    notes = []
    giver, holder = db.session.get(Membership, proxy.giver_id), db.session.get(Membership, proxy.holder_id)
    if presence.checked_in(giver.id):
        notes.append(Phrase("%(name)s is checked in, but while the proxy stands only %(holder)s votes for them; "
                            "withdraw it if %(name)s votes in person.", name=giver.user.name, holder=holder.user.name))
    if presence.checked_in(holder.id) is False:
        notes.append(Phrase("%(name)s is not checked in: they carry this vote once they are in the room and signed in.",
                            name=holder.user.name))
    return notes


def withdraw_proxy(meeting: Meeting, user: User, proxy_id: int) -> None:
    """End a proxy (ballots already cast with it stay counted)."""
    require_staff(user, meeting, PREPARERS)
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; proxies can no longer change.")
    proxy = db.session.get(VoteProxy, proxy_id)
    if proxy is None or proxy.meeting_id != meeting.id:
        raise NotFound("This proxy does not exist in this meeting.")
    record("vote.proxy_withdrawn", user.id, meeting.id, giver=proxy.giver_id, holder=proxy.holder_id)
    db.session.delete(proxy)


# What the roster must not lose or change while it matters to a vote (see app/meetings/holds.py).

@holds.membership_records(Term("roster record", "ballots"))
def _has_ballots(membership_id: int) -> bool:
    query = sa.select(VoteParticipation.id).where(sa.or_(VoteParticipation.membership_id == membership_id,
                                                         VoteParticipation.cast_by_id == membership_id))
    return db.session.scalar(query.limit(1)) is not None


@holds.membership_records(Term("roster record", "proxy"))
def _has_proxy(membership_id: int) -> bool:
    query = sa.select(VoteProxy.id).where(sa.or_(VoteProxy.giver_id == membership_id,
                                                 VoteProxy.holder_id == membership_id))
    return db.session.scalar(query.limit(1)) is not None


@holds.bound_voters
def _proxy_parties(meeting_id: int) -> set[int]:
    rows = db.session.execute(sa.select(VoteProxy.giver_id, VoteProxy.holder_id)
                              .where(VoteProxy.meeting_id == meeting_id))
    return {member for row in rows for member in row}


@holds.roster_freeze
def _open_vote(meeting_id: int) -> Phrase | None:
    vote = db.session.scalar(sa.select(Vote).where(Vote.meeting_id == meeting_id, Vote.state == Vote.OPEN)
                             .order_by(Vote.id).limit(1))
    if vote is None:
        return None
    return Phrase("vote %(id)s (“%(question)s”) is open, and its ballots count with the weights and roles of now: "
                  "change them once it is closed", id=vote.id, question=vote.question)
