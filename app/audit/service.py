"""Write audit entries inside the caller's transaction, so a change and its record commit together; read them
back a page at a time, by kind, with the people, votes, items and documents they name."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db

# The kinds of entry the log can be narrowed to, by the first part of the action ("vote.opened" is a vote's).
KINDS: dict[str, tuple[str, ...]] = {
    "votes": ("vote.",),
    "attendance": ("attendance.", "signin.", "signin_link.", "badge.", "roster."),
    "speakers": ("speakers.",),
    "agenda": ("agenda.", "document.", "live.", "display_link.", "annotation.", "annotations."),
    "meeting": ("meeting.", "minutes."),
}
PAGE_SIZE = 200


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


@dataclass
class Page:
    """Entries of one meeting, newest first: `rows`, how many there are of this kind in all, and the id to ask
    for (`before`) to see the older ones, None on the last page."""

    rows: list[AuditEntry]
    total: int
    older: int | None
    newer: int = 0   # entries of this kind on the pages before this one
    names: dict[str, dict[int, str]] = field(default_factory=dict)


def _of_kind(query: sa.Select, kind: str | None) -> sa.Select:
    if kind is None:
        return query
    return query.where(sa.or_(*[AuditEntry.action.startswith(prefix) for prefix in KINDS[kind]]))


def page(meeting_id: int, kind: str | None = None, before: int | None = None, size: int = PAGE_SIZE) -> Page:
    """One page of a meeting's log (see Page), newest first; `kind` one of KINDS or None for every entry."""
    query = _of_kind(sa.select(AuditEntry).where(AuditEntry.meeting_id == meeting_id), kind)
    count = _of_kind(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.meeting_id == meeting_id), kind)
    total = db.session.scalar(count) or 0
    newer = 0
    if before is not None:
        query = query.where(AuditEntry.id < before)
        newer = db.session.scalar(count.where(AuditEntry.id >= before)) or 0
    rows = list(db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(size + 1)))
    older = rows[size - 1].id if len(rows) > size else None
    rows = rows[:size]
    return Page(rows=rows, total=int(total), older=older, newer=int(newer), names=names_in(meeting_id, rows))


# The ballot counter's entries come four a second while a room votes: on the page, a run of them for one vote
# reads as its newest, with how many earlier ones it stands for (the CSV keeps every entry).
FOLDED = "vote.ballots"


def folded(rows: list[AuditEntry]) -> list[tuple[AuditEntry, int]]:
    """Entries (newest first) with, for each, how many entries right after it it stands for: a run of ballot counts
    of the same vote is its newest."""
    out: list[tuple[AuditEntry, int]] = []
    for row in rows:
        if (out and row.action == FOLDED and out[-1][0].action == FOLDED
                and (row.detail or {}).get("vote_id") == (out[-1][0].detail or {}).get("vote_id")):
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((row, 0))
    return out


def names_in(meeting_id: int, rows: list[AuditEntry]) -> dict[str, dict[int, str]]:
    """What the entries' ids stand for, for people to read: members (seat and name), users (actors), votes
    (question), agenda items (title) and documents (title), each read once for the whole page."""
    from app.auth.models import User
    from app.documents.models import Document
    from app.meetings.models import AgendaItem, Membership
    from app.voting.models import Vote

    wanted: dict[str, set[int]] = {"member": set(), "vote": set(), "item": set(), "document": set(), "user": set()}
    for row in rows:
        if row.actor_id:
            wanted["user"].add(row.actor_id)
        for key, value in (row.detail or {}).items():
            kind = DETAIL_IDS.get(key)
            if kind and isinstance(value, int) and not isinstance(value, bool):
                wanted[kind].add(value)
    out: dict[str, dict[int, str]] = {kind: {} for kind in wanted}
    if wanted["member"]:
        for m in db.session.scalars(sa.select(Membership).where(Membership.meeting_id == meeting_id,
                                                                Membership.id.in_(wanted["member"]))):
            out["member"][m.id] = " · ".join(part for part in (m.seat, m.user.name) if part)
    if wanted["user"]:
        out["user"] = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(wanted["user"]))).all())
    if wanted["vote"]:
        out["vote"] = dict(db.session.execute(sa.select(Vote.id, Vote.question).where(
            Vote.meeting_id == meeting_id, Vote.id.in_(wanted["vote"]))).all())
    if wanted["item"]:
        for item in db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting_id,
                                                                   AgendaItem.id.in_(wanted["item"]))):
            out["item"][item.id] = item.title
    if wanted["document"]:
        out["document"] = dict(db.session.execute(sa.select(Document.id, Document.title).where(
            Document.meeting_id == meeting_id, Document.id.in_(wanted["document"]))).all())
    return out


# Detail keys that hold the id of something with a name (see names_in).
DETAIL_IDS = {"membership_id": "member", "giver": "member", "holder": "member", "vote_id": "vote", "user_id": "user",
              "item_id": "item", "new_item_id": "item", "document_id": "document"}
