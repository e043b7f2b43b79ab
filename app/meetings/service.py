"""Meetings: creation, status changes, the agenda, the roster and who may do what."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.audit.service import record
from app.auth.models import User
from app.errors import BadInput, Forbidden, InvalidTransition, Listing, NotFound, Phrase, Term
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

# Statuses and roles as words of a sentence (“Only the chair or secretary of this meeting may do this.”).
STATUS_WORDS = {Meeting.DRAFT: Term("meeting status", "draft"), Meeting.SCHEDULED: Term("meeting status", "scheduled"),
                Meeting.LIVE: Term("meeting status", "live"), Meeting.CLOSED: Term("meeting status", "closed")}
ROLE_WORDS = {Membership.CHAIR: Term("meeting role", "chair"),
              Membership.SECRETARY: Term("meeting role", "secretary"),
              Membership.DELEGATE: Term("meeting role", "delegate"),
              Membership.OBSERVER: Term("meeting role", "observer")}


def roles_word(roles: tuple[str, ...]) -> Listing:
    """“chair or secretary”, in the reader's language when shown."""
    return Listing([ROLE_WORDS.get(r, r) for r in roles], style="or")


def get_meeting(slug: str) -> Meeting:
    """The meeting with this slug, or NotFound."""
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.slug == slug))
    if meeting is None:
        raise NotFound("There is no meeting “%(slug)s”.", slug=slug)
    return meeting


def membership_of(user: User, meeting: Meeting) -> Membership | None:
    """The user's membership in the meeting, if any."""
    return db.session.scalar(
        sa.select(Membership).where(Membership.meeting_id == meeting.id, Membership.user_id == user.id)
    )


def require_member(user: User, meeting: Meeting) -> Membership | None:
    """The membership of a member (admins pass with None); Forbidden for anyone else."""
    membership = membership_of(user, meeting)
    if membership is None and not user.is_admin:
        raise Forbidden("You are not a member of this meeting.")
    return membership


def require_staff(user: User, meeting: Meeting, roles: tuple[str, ...] = Membership.STAFF_ROLES) -> None:
    """Admins and the meeting's chair or secretary pass; everyone else is refused."""
    if user.is_admin:
        return
    membership = membership_of(user, meeting)
    if membership is None or membership.role not in roles:
        raise Forbidden("Only the %(roles)s of this meeting (or an admin) may do this.", roles=roles_word(roles))


def meetings_for(user: User) -> list[Meeting]:
    """Meetings the user may open: all for an admin, their own for everyone else."""
    query = sa.select(Meeting).order_by(Meeting.starts_at.desc().nulls_last(), Meeting.id.desc())
    if not user.is_admin:
        query = query.join(Membership).where(Membership.user_id == user.id)
    return list(db.session.scalars(query))


def create_meeting(slug: str, title: str, starts_at: datetime | None, place: str, actor_id: int | None) -> Meeting:
    """A new draft meeting (the caller commits)."""
    slug = slug.strip().lower()
    if not SLUG_RE.match(slug):
        raise BadInput("The short name may use lowercase letters, digits and dashes (up to 64), e.g. “council-2026-12”.")
    if db.session.scalar(sa.select(Meeting.id).where(Meeting.slug == slug)) is not None:
        raise BadInput("A meeting with the short name “%(slug)s” already exists; choose another.", slug=slug)
    if not title.strip():
        raise BadInput("Give the meeting a title.")
    meeting = Meeting(slug=slug, title=title.strip()[:300], starts_at=starts_at, place=place.strip()[:300])
    db.session.add(meeting)
    db.session.flush()
    record("meeting.created", actor_id, meeting.id, slug=slug)
    return meeting


def change_status(meeting: Meeting, new_status: str, actor_id: int | None) -> Meeting:
    """Move the meeting along draft -> scheduled -> live -> closed; refuse any other move."""
    if new_status not in Meeting.STATUSES:
        raise BadInput("“%(status)s” is not a meeting status.", status=new_status)
    if new_status not in Meeting.TRANSITIONS[meeting.status]:
        raise InvalidTransition("Cannot make meeting “%(slug)s” %(new)s: it is %(status)s.", slug=meeting.slug,
                                new=STATUS_WORDS[new_status], status=STATUS_WORDS[meeting.status])
    old = meeting.status
    meeting.status = new_status
    record("meeting.status", actor_id, meeting.id, old=old, new=new_status)
    return meeting


@dataclass
class NumberedItem:
    """An agenda item with its number (“5.1”) and depth."""

    number: str
    depth: int
    item: AgendaItem


def numbered_agenda(meeting: Meeting) -> list[NumberedItem]:
    """The agenda in reading order with numbers, children after their parent."""
    by_parent: dict[int | None, list[AgendaItem]] = {}
    for item in sorted(meeting.items, key=lambda i: (i.position, i.id)):
        by_parent.setdefault(item.parent_id, []).append(item)
    out: list[NumberedItem] = []

    def walk(parent_id: int | None, prefix: str, depth: int) -> None:
        for n, item in enumerate(by_parent.get(parent_id, []), start=1):
            number = f"{prefix}{n}"
            out.append(NumberedItem(number, depth, item))
            walk(item.id, number + ".", depth + 1)

    walk(None, "", 0)
    return out


def add_item(meeting: Meeting, title: str, description: str = "", parent_id: int | None = None,
             actor_id: int | None = None) -> AgendaItem:
    """Append an item to the agenda (or under a parent item)."""
    ensure_editable(meeting)
    title = title.strip()
    if not title:
        raise BadInput("Give the agenda item a title.")
    if parent_id is not None:
        parent = db.session.get(AgendaItem, parent_id)
        if parent is None or parent.meeting_id != meeting.id:
            raise BadInput("The parent item is not on this meeting's agenda.")
    siblings = [i for i in meeting.items if i.parent_id == parent_id]
    item = AgendaItem(meeting=meeting, parent_id=parent_id, title=title[:300], description=description.strip(),
                      position=max((i.position for i in siblings), default=-1) + 1)
    db.session.add(item)
    db.session.flush()
    record("agenda.item_added", actor_id, meeting.id, item_id=item.id)
    return item


def update_item(item: AgendaItem, title: str, description: str, actor_id: int | None) -> AgendaItem:
    """Change an item's title and description."""
    ensure_editable(item.meeting)
    if not title.strip():
        raise BadInput("Give the agenda item a title.")
    item.title = title.strip()[:300]
    item.description = description.strip()
    record("agenda.item_changed", actor_id, item.meeting_id, item_id=item.id)
    return item


def move_item(item: AgendaItem, direction: int, actor_id: int | None) -> None:
    """Swap the item with its previous (-1) or next (+1) sibling."""
    ensure_editable(item.meeting)
    siblings = sorted((i for i in item.meeting.items if i.parent_id == item.parent_id),
                      key=lambda i: (i.position, i.id))
    for n, sibling in enumerate(siblings):
        sibling.position = n
    index = siblings.index(item)
    other = index + direction
    if 0 <= other < len(siblings):
        siblings[index].position, siblings[other].position = other, index
        record("agenda.item_moved", actor_id, item.meeting_id, item_id=item.id, to=other)


def delete_item(item: AgendaItem, actor_id: int | None) -> None:
    """Remove an item and its sub-items (and their documents)."""
    ensure_editable(item.meeting)
    record("agenda.item_deleted", actor_id, item.meeting_id, item_id=item.id, title=item.title)
    db.session.delete(item)


def ensure_editable(meeting: Meeting) -> None:
    """A closed meeting is the record: it cannot change."""
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; its agenda and roster can no longer change.")


def get_item(meeting: Meeting, item_id: int) -> AgendaItem:
    """An item of this meeting, or NotFound."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound("This agenda item does not exist in this meeting.")
    return item


# ----- roster -----

@dataclass
class RosterRow:
    """One person to seat in a meeting."""

    name: str
    role: str
    seat: str | None
    weight: int
    username: str | None = None
    line: int = 0


def slugify_username(name: str) -> str:
    """A username from a display name: ascii, lowercase, dashes."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:64] or "member"


def parse_roster_csv(text: str) -> list[RosterRow]:
    """Parse a roster CSV (name, role, seat, weight[, username]); every bad row is reported, none kept."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    missing = [f for f in ("name", "role") if f not in fields]
    if missing:
        raise BadInput("The roster CSV needs a header row with the columns name and role (seat, weight and username "
                       "may follow); missing: %(missing)s.", missing=Listing(missing, sep=", "))
    rows: list[RosterRow] = []
    problems: list[Phrase] = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        try:
            rows.append(make_roster_row(row, n))
        except BadInput as exc:
            problems.append(Phrase("row %(row)s: %(problem)s", row=n, problem=exc))
    if not rows and not problems:
        raise BadInput("The roster CSV has no rows below its header.")
    problems += [Phrase("row %(row)s: %(problem)s", row=line, problem=p) for line, p in check_roster(rows)]
    if problems:
        raise BadInput("Nothing was imported. Fix these rows and upload again: %(problems)s",
                       problems=Listing(problems, sep="; "))
    return rows


def make_roster_row(row: dict, line: int) -> RosterRow:
    """Validate one roster entry (from CSV or an agenda pack)."""
    name = str(row.get("name") or "").strip()
    if not name:
        raise BadInput("the name is empty")
    role = str(row.get("role") or "").strip().lower()
    if role not in Membership.ROLES:
        raise BadInput("unknown role “%(role)s” (use chair, secretary, delegate or observer)", role=role)
    seat = str(row.get("seat") or "").strip() or None
    if seat and len(seat) > 16:
        raise BadInput("the seat “%(seat)s” is longer than 16 characters", seat=seat)
    raw_weight = row.get("weight")
    if raw_weight in (None, ""):
        weight = 1
    else:
        try:
            weight = int(str(raw_weight))
        except ValueError:
            raise BadInput("the weight “%(weight)s” is not a whole number", weight=raw_weight)
        if weight < 1 or weight > 1000:
            raise BadInput("the weight %(weight)s must be between 1 and 1000", weight=weight)
    username = str(row.get("username") or "").strip().lower() or None
    if username and not USERNAME_RE.match(username):
        raise BadInput("the username “%(username)s” may use lowercase letters, digits, dots and dashes only",
                       username=username)
    return RosterRow(name=name[:200], role=role, seat=seat, weight=weight, username=username, line=line)


def check_roster(rows: list[RosterRow]) -> list[tuple[int, Phrase]]:
    """Duplicate seats and people within one roster: (line, problem) for each."""
    problems: list[tuple[int, Phrase]] = []
    seats: dict[str, int] = {}
    people: dict[str, int] = {}
    for row in rows:
        if row.seat:
            if row.seat in seats:
                problems.append((row.line, Phrase("seat “%(seat)s” is already taken by row %(other)s", seat=row.seat,
                                                  other=seats[row.seat])))
            seats.setdefault(row.seat, row.line)
        key = row.username or slugify_username(row.name)
        if key in people:
            problems.append((row.line, Phrase("“%(name)s” is listed twice (also row %(other)s)", name=row.name,
                                              other=people[key])))
        people.setdefault(key, row.line)
    return problems


def roster_rights(meeting: Meeting, rows: list[RosterRow], by_admin: bool) -> list[tuple[int, Phrase]]:
    """What a chair or secretary may not do through an import: (line, problem) for each row that would.

    Accounts are shared by every meeting, and the chair and secretary run one: so only an administrator (the web
    page's admins, the `flask agenda import` operator) renames an existing account, seats an administrator's
    account, makes someone chair or secretary, or changes a chair's or secretary's role. A chair or secretary
    seats delegates and observers, and existing accounts under the names they have."""
    if by_admin:
        return []
    problems: list[tuple[int, Phrase]] = []
    members = {m.user.username: m for m in meeting.memberships}
    for row in rows:
        username = row.username or slugify_username(row.name)
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is not None and user.is_admin:
            problems.append((row.line, Phrase("“%(username)s” is an administrator's account; only an administrator can "
                                              "seat it", username=username)))
            continue
        if user is not None and user.name != row.name:
            how = (Phrase("write the name as on the account") if row.username else
                   Phrase("write the name as on the account, or give this person a username of their own in a "
                          "username column"))
            problems.append((row.line, Phrase("the account “%(username)s” is %(name)s, not %(row_name)s (only an "
                                              "administrator renames an account): %(how)s", username=username,
                                              name=user.name, row_name=row.name, how=how)))
        member = members.get(username)
        before = member.role if member is not None else None
        if before != row.role and (before in Membership.STAFF_ROLES or row.role in Membership.STAFF_ROLES):
            problems.append((row.line, Phrase("only an administrator can make someone chair or secretary, or change "
                                              "a chair's or secretary's role")))
    return problems


def apply_roster(meeting: Meeting, rows: list[RosterRow], actor_id: int | None, by_admin: bool = False) -> dict[str, int]:
    """Create or update the memberships for these rows (the caller commits; the caller rolls back on error).
    Unless `by_admin` (an administrator, the pack importer), the rows must keep to `roster_rights`, or nothing
    is changed."""
    ensure_editable(meeting)
    problems = roster_rights(meeting, rows, by_admin)
    if problems:
        raise BadInput("Nothing was imported. Fix these rows and upload again: %(problems)s",
                       problems=Listing([Phrase("row %(row)s: %(problem)s", row=line, problem=p) for line, p in problems],
                                        sep="; "))
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    existing = {m.user.username: m for m in meeting.memberships}
    wanted_seats = {r.seat: r for r in rows if r.seat}
    # Free seats that change hands in this import before assigning them (the unique constraint holds throughout).
    for m in meeting.memberships:
        row_for_seat = wanted_seats.get(m.seat) if m.seat else None
        if row_for_seat and (row_for_seat.username or slugify_username(row_for_seat.name)) != m.user.username:
            m.seat = None
    db.session.flush()
    for row in rows:
        username = row.username or slugify_username(row.name)
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            user = User(username=username, name=row.name)
            db.session.add(user)
            db.session.flush()
        elif user.name != row.name:
            user.name = row.name
        membership = existing.get(username)
        if membership is None:
            membership = Membership(meeting=meeting, user=user, role=row.role, seat=row.seat, vote_weight=row.weight)
            db.session.add(membership)
            counts["added"] += 1
        elif (membership.role, membership.seat, membership.vote_weight) != (row.role, row.seat, row.weight):
            membership.role, membership.seat, membership.vote_weight = row.role, row.seat, row.weight
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
        db.session.flush()
    if counts["added"] or counts["updated"]:
        record("roster.imported", actor_id, meeting.id, **counts)
    return counts


def add_one_member(meeting: Meeting, row: RosterRow, actor_id: int | None, by_admin: bool) -> Membership:
    """Seat one person (the caller commits). Unlike an import, which is the whole roster, it takes nobody's seat
    and changes nobody already seated: a seat that is taken or a person already on the roster is refused."""
    ensure_editable(meeting)
    username = row.username or slugify_username(row.name)
    for m in meeting.memberships:
        if m.user.username == username:
            raise BadInput("%(name)s is already on the roster (seat %(seat)s).", name=m.user.name, seat=m.seat or "—")
        if row.seat and m.seat == row.seat:
            raise BadInput("Seat %(seat)s is taken by %(name)s.", seat=row.seat, name=m.user.name)
    for _line, problem in roster_rights(meeting, [row], by_admin):
        raise BadInput("%(name)s cannot be added: %(problem)s.", name=row.name, problem=problem)
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        user = User(username=username, name=row.name)
        db.session.add(user)
    membership = Membership(meeting=meeting, user=user, role=row.role, seat=row.seat, vote_weight=row.weight)
    db.session.add(membership)
    db.session.flush()
    record("roster.member_added", actor_id, meeting.id, membership_id=membership.id)
    return membership


def roster(meeting: Meeting) -> list[Membership]:
    """Memberships in seat order (staff first)."""
    order = {r: n for n, r in enumerate(Membership.ROLES)}
    return sorted(meeting.memberships, key=lambda m: (order[m.role], m.seat or "~", m.user.name))
