"""What other domains hold of a meeting's members, asked without importing their models.

Attendance marks, ballots, proxies and requests to speak point at a membership with foreign keys that cascade:
deleting a membership deletes them. The roster must therefore ask, before it takes someone off, whether a record
of theirs exists; before it makes someone an observer, whether they give or hold a proxy; before it changes a
weight or a role, whether a vote is open. Those tables belong to the voting, attendance and speakers domains, so
each of them registers here, when it is imported, a question this module asks for the roster:

    @holds.membership_records(Term("roster record", "attendance"))
    def _attendance(membership_id): ...   # does the meeting hold such a record of this member?

The meetings domain knows the questions, not the tables; a domain added later registers its own records and the
roster protects them without a change here."""
from __future__ import annotations

from typing import Callable

from app.errors import Phrase, Term

# (what the record is called in a sentence, membership id -> whether one is held)
RecordsCheck = Callable[[int], bool]
_records: list[tuple[Term, RecordsCheck]] = []
# meeting id -> membership ids who must keep their vote (a proxy given or held)
_voters: list[Callable[[int], set[int]]] = []
# meeting id -> why the weights and roles of its voters must stay as they are now (a vote is open), or None
_freezes: list[Callable[[int], Phrase | None]] = []


def membership_records(label: Term) -> Callable[[RecordsCheck], RecordsCheck]:
    """Register a kind of record kept of a membership, which must not be deleted with it."""
    def register(check: RecordsCheck) -> RecordsCheck:
        if (label, check) not in _records:
            _records.append((label, check))
        return check
    return register


def bound_voters(check: Callable[[int], set[int]]) -> Callable[[int], set[int]]:
    """Register who must keep the right to vote (the roster makes none of them an observer)."""
    if check not in _voters:
        _voters.append(check)
    return check


def roster_freeze(check: Callable[[int], Phrase | None]) -> Callable[[int], Phrase | None]:
    """Register a reason the voters' weights and roles must stand still for now."""
    if check not in _freezes:
        _freezes.append(check)
    return check


def records_of(membership_id: int) -> list[Term]:
    """What the meeting holds of this member, by name of the record ("attendance", "ballots" ...)."""
    return [label for label, check in _records if check(membership_id)]


def voters_bound(meeting_id: int) -> set[int]:
    """Membership ids of this meeting who give or hold a proxy, or are otherwise bound to keep their vote."""
    out: set[int] = set()
    for check in _voters:
        out |= check(meeting_id)
    return out


def freeze_reason(meeting_id: int) -> Phrase | None:
    """Why weights and roles may not change now (“vote 3 is open”), or None."""
    return next((reason for reason in (check(meeting_id) for check in _freezes) if reason is not None), None)

