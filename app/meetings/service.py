"""Meetings: creation, status changes, the agenda, the roster and who may do what."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.audit.service import record
from app.auth.models import User
from app.errors import BadInput, Forbidden, InvalidTransition, Listing, NotFound, Phrase, Term
from app.extensions import db
from app.meetings import holds
from app.meetings.models import AgendaItem, Meeting, Membership
from app.validation import holds_non_text

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


def has_role(user: User, meeting: Meeting, roles: tuple[str, ...] = Membership.STAFF_ROLES) -> bool:
    """Whether the user is an admin or holds one of `roles` in the meeting (what require_staff lets through)."""
    if user.is_admin:
        return True
    membership = membership_of(user, meeting)
    return membership is not None and membership.role in roles


def require_staff(user: User, meeting: Meeting, roles: tuple[str, ...] = Membership.STAFF_ROLES) -> None:
    """Admins and the meeting's chair or secretary pass; everyone else is refused."""
    if not has_role(user, meeting, roles):
        raise Forbidden("Only the %(roles)s of this meeting (or an admin) may do this.", roles=roles_word(roles))


def meetings_for(user: User) -> list[Meeting]:
    """Meetings the user may open: all for an admin, their own for everyone else."""
    query = sa.select(Meeting).order_by(Meeting.starts_at.desc().nulls_last(), Meeting.id.desc())
    if not user.is_admin:
        query = query.join(Membership).where(Membership.user_id == user.id)
    return list(db.session.scalars(query))


def is_staff_anywhere(user_id: int) -> bool:
    """Whether the user chairs or is secretary of any meeting."""
    query = sa.select(Membership.id).where(Membership.user_id == user_id, Membership.role.in_(Membership.STAFF_ROLES))
    return db.session.scalar(query.limit(1)) is not None


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


def session_times(meeting_id: int) -> dict[str, datetime | None]:
    """When the meeting was opened (it first went live) and closed, as the audit log recorded its status changes;
    None for what has not happened (or happened before the log kept it)."""
    from app.audit.models import AuditEntry

    opened = closed = None
    for at, detail in db.session.execute(sa.select(AuditEntry.at, AuditEntry.detail).where(
            AuditEntry.meeting_id == meeting_id, AuditEntry.action == "meeting.status").order_by(AuditEntry.id)):
        new = (detail or {}).get("new")
        if new == Meeting.LIVE and opened is None:
            opened = at
        elif new == Meeting.CLOSED:
            closed = at
    return {"opened_at": opened, "closed_at": closed}


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


KEEP = object()   # update_item: leave the parent as it is


def update_item(item: AgendaItem, title: str, description: str, actor_id: int | None,
                parent_id: int | None | object = KEEP) -> AgendaItem:
    """Change an item's title and description, and (given `parent_id`, None for a main item) put it under another
    item, last there; never under itself or one of its own sub-items."""
    ensure_editable(item.meeting)
    if not title.strip():
        raise BadInput("Give the agenda item a title.")
    detail: dict = {"item_id": item.id}
    if parent_id is not KEEP and parent_id != item.parent_id:
        parent = None
        if parent_id is not None:
            parent = db.session.get(AgendaItem, parent_id)
            if parent is None or parent.meeting_id != item.meeting_id:
                raise BadInput("The parent item is not on this meeting's agenda.")
            if parent.id == item.id or parent in item_subtree(item)[0]:
                raise BadInput("An item cannot go under itself or one of its own sub-items.")
        siblings = [i for i in item.meeting.items if i.parent_id == parent_id and i.id != item.id]
        before = db.session.get(AgendaItem, item.parent_id) if item.parent_id is not None else None
        detail["old"], detail["new"] = (before.title if before else "—"), (parent.title if parent else "—")
        item.parent_id = parent_id
        item.position = max((i.position for i in siblings), default=-1) + 1
    item.title = title.strip()[:300]
    item.description = description.strip()
    record("agenda.item_changed", actor_id, item.meeting_id, **detail)
    return item


def move_item(item: AgendaItem, direction: int, actor_id: int | None) -> bool:
    """Swap the item with its previous (-1) or next (+1) sibling; False when it is already first or last among
    them (an item moves within its parent)."""
    ensure_editable(item.meeting)
    siblings = sorted((i for i in item.meeting.items if i.parent_id == item.parent_id),
                      key=lambda i: (i.position, i.id))
    for n, sibling in enumerate(siblings):
        sibling.position = n
    index = siblings.index(item)
    other = index + direction
    if not 0 <= other < len(siblings):
        return False
    siblings[index].position, siblings[other].position = other, index
    record("agenda.item_moved", actor_id, item.meeting_id, item_id=item.id, to=other)
    return True


def item_subtree(item: AgendaItem) -> tuple[list[AgendaItem], list]:
    """An item's sub-items (at any depth) and the documents of the item and of them: what deleting it takes."""
    subs: list[AgendaItem] = []
    docs = list(item.documents)
    stack = list(item.children)
    while stack:
        sub = stack.pop(0)
        subs.append(sub)
        docs.extend(sub.documents)
        stack.extend(sub.children)
    return subs, docs


def delete_item(item: AgendaItem, actor_id: int | None) -> tuple[int, int]:
    """Remove an item and its sub-items (and their documents); (sub-items, documents) it took, each named in the
    audit log."""
    ensure_editable(item.meeting)
    subs, docs = item_subtree(item)
    detail = {"item_id": item.id, "title": item.title}
    if subs:
        detail["sub_items"] = "; ".join(s.title for s in subs)
    if docs:
        detail["documents"] = "; ".join(d.title for d in docs)
    record("agenda.item_deleted", actor_id, item.meeting_id, **detail)
    db.session.delete(item)
    return len(subs), len(docs)


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
    votes: bool | None = None   # None: as the role says (Membership.votes_by_role)

    @property
    def voting(self) -> bool:
        """Whether this person votes: as the row says, else as the role says; an observer never."""
        return Membership.decide_votes(self.role, self.votes)


def slugify_username(name: str) -> str:
    """A username from a display name: ascii, lowercase, dashes (“member” when the name has no Latin letters or
    digits; `resolve_rows` numbers it when taken)."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:64] or "member"


def parse_roster_csv(text: str) -> list[RosterRow]:
    """Parse a roster CSV (name, role, seat, weight[, username]); every bad row is reported, none kept."""
    rows, problems = read_roster_csv(text)
    _refuse(problems)
    return rows


def read_roster_csv(text: str) -> tuple[list[RosterRow], list[tuple[int, Phrase]]]:
    """The good rows of a roster CSV and the (line, problem) of each bad one (`parse_roster_csv` refuses when there
    is any; the roster page hands them to `apply_roster`, which adds what the import rules find in the good rows,
    so that one upload lists every problem). A file that is not a roster at all is refused here."""
    if holds_non_text(text):
        raise BadInput("The roster file holds a NUL character, which is not text: save it again as “CSV UTF-8” and "
                       "upload it again.")
    text = text.lstrip("\ufeff")
    # Spreadsheets in much of Europe save “CSV” with semicolons (the comma is their decimal mark); some use tabs.
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter if header.count(delimiter) else ",")
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    missing = [f for f in ("name", "role") if f not in fields]
    if missing:
        raise BadInput("The roster CSV needs a header row with the columns name and role (seat, weight and username "
                       "may follow); missing: %(missing)s.", missing=Listing(missing, sep=", "))
    rows: list[RosterRow] = []
    problems: list[tuple[int, Phrase]] = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        try:
            rows.append(make_roster_row(row, n))
        except BadInput as exc:
            problems.append((n, exc))
    if not rows and not problems:
        raise BadInput("The roster CSV has no rows below its header.")
    return rows, problems + check_roster(rows)


def make_roster_row(row: dict, line: int) -> RosterRow:
    """Validate one roster entry (from CSV or an agenda pack)."""
    name = unicodedata.normalize("NFC", str(row.get("name") or "").strip())
    if not name:
        raise BadInput("the name is empty")
    if len(name) > 200:
        raise BadInput("the name is longer than 200 characters")
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
        if not re.fullmatch(r"[0-9]{1,9}", str(raw_weight).strip()):   # not “1_000”, “٣” or “1e3”
            raise BadInput("the weight “%(weight)s” is not a whole number", weight=raw_weight)
        weight = int(str(raw_weight).strip())
        if weight < 1 or weight > 1000:
            raise BadInput("the weight %(weight)s must be between 1 and 1000", weight=weight)
    username = str(row.get("username") or "").strip().lower() or None
    if username and not USERNAME_RE.match(username):
        raise BadInput("the username “%(username)s” may use lowercase letters, digits, dots and dashes only",
                       username=username)
    votes = read_votes(row.get("votes"))
    if votes and role == Membership.OBSERVER:
        raise BadInput("an observer does not vote: leave “votes” empty or write no, or seat them as a delegate")
    return RosterRow(name=name, role=role, seat=seat, weight=weight, username=username, line=line, votes=votes)


VOTES_WORDS = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False, "false": False, "0": False}


def read_votes(raw) -> bool | None:
    """A roster's `votes` value: yes or no (also y/n, true/false, 1/0, a TOML boolean); empty: as the role says."""
    if raw is None or isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if not text:
        return None
    if text not in VOTES_WORDS:
        raise BadInput("“votes” says “%(value)s”: write yes or no (or leave it empty: chairs and delegates vote, "
                       "secretaries and observers do not)", value=raw)
    return VOTES_WORDS[text]


def vote_word(votes: bool) -> str:
    """How the audit log and the change list write whether someone votes."""
    return "yes" if votes else "no"


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def same_name(a: str, b: str) -> bool:
    """Two ways of writing one name: Unicode's composed and decomposed forms (some exports write the latter),
    and capitals, make no difference."""
    return _name_key(a) == _name_key(b)


STAFF_ROLE_WORDS = {Membership.CHAIR: Term("meeting role", "chair"), Membership.SECRETARY: Term("meeting role", "secretary")}


def _seat_key(seat: str) -> str:
    return seat.casefold()   # “d01” is seat D01


def _person_key(row: RosterRow) -> str:
    """Who a row is, within one file: their username; without one their name and seat (two people may share a
    name, as many do in Vietnam: at two seats they are two people); without a seat, their name."""
    if row.username:
        return f"user:{row.username}"
    return f"name:{_name_key(row.name)}@{_seat_key(row.seat) if row.seat else ''}"


def check_roster(rows: list[RosterRow]) -> list[tuple[int, Phrase]]:
    """Duplicate seats and people within one roster: (line, problem) for each (see `_person_key`)."""
    problems: list[tuple[int, Phrase]] = []
    seats: dict[str, int] = {}
    people: dict[str, int] = {}
    for row in rows:
        if row.seat:
            if _seat_key(row.seat) in seats:
                problems.append((row.line, Phrase("seat “%(seat)s” is already taken by row %(other)s", seat=row.seat,
                                                  other=seats[_seat_key(row.seat)])))
            seats.setdefault(_seat_key(row.seat), row.line)
        key = _person_key(row)
        if key in people:
            problems.append((row.line, Phrase("“%(name)s” is listed twice (also row %(other)s)", name=row.name,
                                              other=people[key])))
        people.setdefault(key, row.line)
    return problems


@dataclass
class Seating:
    """Whom a roster row stands for: the account's username, the account if it exists, and the person's
    membership of this meeting if they have one."""

    row: RosterRow
    username: str
    user: User | None
    member: Membership | None
    problem: Phrase | None = None
    by_name: bool = False   # the member was found by their name (the row has no username)


def resolve_rows(meeting: Meeting, rows: list[RosterRow]) -> list[Seating]:
    """Which person each row stands for. With a username: that account. Without: the member of this meeting of
    that name; else the account whose username the name makes, if it bears the name (the same person, seated in
    other meetings); else a new account under a username nobody has (the name's, numbered when taken: two people
    may share a name, and a name in a script without Latin letters makes no username of its own)."""
    members = {m.user.username: m for m in meeting.memberships}
    by_name: dict[str, list[Membership]] = {}
    for m in meeting.memberships:
        by_name.setdefault(_name_key(m.user.name), []).append(m)
    # Names the file gives to more than one row (at different seats: `check_roster`): those rows are told apart
    # by their seats, never by the name alone.
    in_file: dict[str, int] = {}
    for row in rows:
        if not row.username:
            in_file[_name_key(row.name)] = in_file.get(_name_key(row.name), 0) + 1
    new_names: set[str] = set()
    out: list[Seating] = []

    def account(username: str) -> User | None:
        return db.session.scalar(sa.select(User).where(User.username == username))

    for row in rows:
        if row.username:
            out.append(Seating(row, row.username, account(row.username), members.get(row.username)))
            continue
        named = by_name.get(_name_key(row.name), [])
        if len(named) > 1 or (named and in_file[_name_key(row.name)] > 1):
            # Namesakes: the one at this row's seat is this row's person; with none there, a row could be any of
            # them, or someone new.
            at_seat = [m for m in named if m.seat and row.seat and _seat_key(m.seat) == _seat_key(row.seat)]
            if at_seat:
                m = at_seat[0]
                out.append(Seating(row, m.user.username, m.user, m, by_name=True))
                continue
            out.append(Seating(row, named[0].user.username, named[0].user, named[0], Phrase(
                "%(count)s people are called %(name)s here, and none of them sits at %(seat)s: add a username "
                "column to say who is who", count=len(named) + in_file[_name_key(row.name)],
                name=row.name, seat=row.seat or "—"), by_name=True))
            continue
        if named:
            out.append(Seating(row, named[0].user.username, named[0].user, named[0], by_name=True))
            continue
        base = slugify_username(row.name)
        n, candidate = 1, base
        while True:
            user = None if candidate in new_names else account(candidate)
            if candidate not in new_names and user is None:
                new_names.add(candidate)
                out.append(Seating(row, candidate, None, None))
                break
            if user is not None and not user.is_admin and same_name(user.name, row.name):
                out.append(Seating(row, candidate, user, members.get(candidate)))
                break
            n += 1
            candidate = f"{base[:58]}-{n}"
    return out


def roster_rights(meeting: Meeting, seatings: list[Seating], by_admin: bool,
                  complete: bool = True) -> list[tuple[int, Phrase]]:
    """What these rows may not do: (line, problem) for each row that would.

    Accounts are shared by every meeting, and the chair and secretary run one: so only an administrator (the web
    page's admins, the `flask agenda import` operator) renames an existing account, seats an administrator's
    account, makes someone chair or secretary, changes a chair's or secretary's role, or gives away the seat of a
    member the rows leave out. Nobody turns a member who gives or holds a proxy into an observer (observers do
    not vote: the proxy would be lost): the proxy is withdrawn first, on the attendance board. And while a vote is
    open, nobody changes a voter's weight or role (its ballots count with them). `complete=False`: some rows of
    the file were bad and are not among `seatings`, so a seat's holder may well be in the file after all: that
    rule waits for the corrected file."""
    problems: list[tuple[int, Phrase]] = [(s.row.line, s.problem) for s in seatings if s.problem is not None]
    in_rows = {s.username for s in seatings}
    holders = {_seat_key(m.seat): m for m in meeting.memberships if m.seat}
    proxied = holds.voters_bound(meeting.id)
    frozen = holds.freeze_reason(meeting.id)
    for s in seatings:
        row, user, member = s.row, s.user, s.member
        if member is not None and member.id in proxied and row.role == Membership.OBSERVER \
                and member.role != Membership.OBSERVER:
            problems.append((row.line, Phrase("%(name)s gives or holds a proxy, and observers do not vote: withdraw "
                                              "the proxy on the attendance board first", name=member.user.name)))
        elif member is not None and member.id in proxied and not row.voting and member.can_vote:
            problems.append((row.line, Phrase("%(name)s gives or holds a proxy and would no longer vote: withdraw the "
                                              "proxy on the attendance board first", name=member.user.name)))
        if frozen is not None and member is not None \
                and (member.role, member.vote_weight, member.can_vote) != (row.role, row.weight, row.voting):
            problems.append((row.line, Phrase("the weight and role of %(name)s stay as they are for now: %(why)s",
                                              name=member.user.name, why=frozen)))
        if by_admin:
            continue
        if user is not None and user.is_admin:
            problems.append((row.line, Phrase("“%(username)s” is an administrator's account; only an administrator can "
                                              "seat it", username=s.username)))
            continue
        if user is not None and not same_name(user.name, row.name):
            problems.append((row.line, Phrase("the account “%(username)s” is %(name)s, not %(row_name)s (only an "
                                              "administrator renames an account): %(how)s", username=s.username,
                                              name=user.name, row_name=row.name,
                                              how=Phrase("write the name as on the account"))))
        before = member.role if member is not None else None
        if s.by_name and before in Membership.STAFF_ROLES and row.role != before:
            # most likely a namesake of the chair or secretary, not a demotion
            problems.append((row.line, Phrase("%(name)s is on the roster already as %(role)s (seat %(seat)s): if this "
                                              "row is another person of the same name, give them a username column "
                                              "of their own", name=member.user.name, role=STAFF_ROLE_WORDS[before],
                                              seat=member.seat or "—")))
        elif before != row.role and (before in Membership.STAFF_ROLES or row.role in Membership.STAFF_ROLES):
            problems.append((row.line, Phrase("only an administrator can make someone chair or secretary, or change "
                                              "a chair's or secretary's role")))
        holder = holders.get(_seat_key(row.seat)) if row.seat and complete else None
        if holder is not None and holder.user.username != s.username and holder.user.username not in in_rows:
            problems.append((row.line, Phrase("seat %(seat)s is %(name)s's, who is not in this file: give them "
                                              "another seat in it, or choose a free seat", seat=holder.seat,
                                              name=holder.user.name)))
    return problems


def _account(seating: Seating) -> User:
    """The account a row stands for: the one `resolve_rows` found, or a new one under the username it chose."""
    if seating.user is None:
        seating.user = User(username=seating.username, name=seating.row.name)
        db.session.add(seating.user)
        db.session.flush()
    return seating.user


def _refuse(problems: list[tuple[int, Phrase]]) -> None:
    if not problems:
        return
    by_row = []
    for line, problem in sorted(problems, key=lambda lp: lp[0]):
        by_row.append(Phrase("row %(row)s: %(problem)s", row=line, problem=problem))
    raise BadInput("Nothing was imported. Fix these rows and upload again: %(problems)s",
                   problems=Listing(by_row, sep="; "))


@dataclass
class MemberChange:
    """What an import changed of someone already seated: {field: (before, after)} of seat, role and weight."""

    name: str
    fields: dict[str, tuple[str, str]]


def apply_roster(meeting: Meeting, rows: list[RosterRow], actor_id: int | None, by_admin: bool = False,
                 changes: list[MemberChange] | None = None,
                 known_problems: list[tuple[int, Phrase]] = ()) -> dict[str, int]:
    """Create or update the memberships for these rows (the caller commits; the caller rolls back on error).
    The rows must keep to `roster_rights` (more of them unless `by_admin`: an administrator, the pack
    importer), or nothing is changed. A member the rows leave out keeps their place, unless an administrator's
    rows give their seat to someone else: then they are unseated, and counted as updated. What changed of each
    member already seated is appended to `changes` (the page shows it: a row that named someone already seated
    changes them, and the secretary should see it)."""
    ensure_editable(meeting)
    seatings = resolve_rows(meeting, rows)
    # the file's own problems (`read_roster_csv`) and the rules', in one list: nothing is imported if any
    _refuse(list(known_problems) + roster_rights(meeting, seatings, by_admin, complete=not known_problems))
    changes = changes if changes is not None else []
    before = {m.id: (m.seat or "—", m.role, str(m.vote_weight), vote_word(m.can_vote)) for m in meeting.memberships}
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    wanted_seats = {_seat_key(s.row.seat): s for s in seatings if s.row.seat}
    in_rows = {s.username for s in seatings}
    # Free seats that change hands in this import before assigning them (the unique constraint holds throughout).
    for m in meeting.memberships:
        taker = wanted_seats.get(_seat_key(m.seat)) if m.seat else None
        if taker and taker.username != m.user.username:
            m.seat = None
            if m.user.username not in in_rows:
                counts["updated"] += 1
                changes.append(MemberChange(m.user.name, {"seat": (before[m.id][0], "—")}))
    db.session.flush()
    for s in seatings:
        row, membership = s.row, s.member
        if s.user is not None and by_admin and not same_name(s.user.name, row.name):
            s.user.name = row.name
        user = _account(s)
        if membership is None:
            membership = Membership(meeting=meeting, user=user, role=row.role, seat=row.seat, vote_weight=row.weight,
                                    votes=row.voting)
            db.session.add(membership)
            counts["added"] += 1
        elif (membership.role, membership.seat, membership.vote_weight, membership.can_vote) \
                != (row.role, row.seat, row.weight, row.voting):
            membership.role, membership.seat, membership.vote_weight = row.role, row.seat, row.weight
            membership.votes = row.voting
            counts["updated"] += 1
            after = (row.seat or "—", row.role, str(row.weight), vote_word(row.voting))
            changes.append(MemberChange(user.name, {field: (old, new) for field, old, new
                                                    in zip(("seat", "role", "weight", "votes"), before[membership.id], after)
                                                    if old != new}))
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
    [seating] = resolve_rows(meeting, [row])
    if seating.member is not None:
        raise BadInput("%(name)s is already on the roster (seat %(seat)s). If this is someone else of the same name, "
                       "give them a username of their own.", name=seating.member.user.name,
                       seat=seating.member.seat or "—")
    for m in meeting.memberships:
        if row.seat and m.seat and _seat_key(m.seat) == _seat_key(row.seat):
            raise BadInput("Seat %(seat)s is taken by %(name)s.", seat=m.seat, name=m.user.name)
    if seating.user is None and not row.username:
        # A new account for a name an account already bears: most often the person who has it (a secretary seated
        # in their own meeting by name got a second, passwordless account and still could not get in).
        namesakes = [u for u in db.session.scalars(sa.select(User).where(User.name.ilike(row.name)))
                     if same_name(u.name, row.name)]
        if namesakes:
            raise BadInput("An account named %(name)s exists already (username %(username)s). To seat that person, "
                           "give the username %(username)s; to seat someone else of that name, give them a username "
                           "of their own.", name=namesakes[0].name, username=namesakes[0].username)
    for _line, problem in roster_rights(meeting, [seating], by_admin):
        raise BadInput("%(name)s cannot be added: %(problem)s.", name=row.name, problem=problem)
    membership = Membership(meeting=meeting, user=_account(seating), role=row.role, seat=row.seat,
                            vote_weight=row.weight, votes=row.voting)
    db.session.add(membership)
    db.session.flush()
    record("roster.member_added", actor_id, meeting.id, membership_id=membership.id)
    return membership


def update_member(meeting: Meeting, membership: Membership, row: RosterRow, actor_id: int | None,
                  by_admin: bool) -> dict[str, str]:
    """Change one member's name, seat, role or vote weight (the caller commits); {field: "before → after"} of
    what changed. The import's rules hold (`roster_rights`: only an admin renames the account, which every
    meeting shares, or touches staff roles; no proxy lost; nothing a vote counts with changes while it is open),
    and, as when adding someone, a seat taken by another member is refused rather than taken."""
    ensure_editable(meeting)
    user = membership.user
    name = user.name
    if row.seat:
        for m in meeting.memberships:
            if m.id != membership.id and m.seat and _seat_key(m.seat) == _seat_key(row.seat):
                raise BadInput("Seat %(seat)s is taken by %(name)s.", seat=m.seat, name=m.user.name)
    seating = Seating(row, user.username, user, membership)
    for _line, problem in roster_rights(meeting, [seating], by_admin):
        raise BadInput("%(name)s cannot be changed: %(problem)s.", name=name, problem=problem)
    before = {"name": user.name, "seat": membership.seat or "—", "role": membership.role,
              "weight": str(membership.vote_weight), "votes": vote_word(membership.can_vote)}
    if by_admin:
        user.name = row.name
    membership.seat, membership.role, membership.vote_weight = row.seat, row.role, row.weight
    membership.votes = row.voting
    after = {"name": user.name, "seat": membership.seat or "—", "role": membership.role,
             "weight": str(membership.vote_weight), "votes": vote_word(membership.can_vote)}
    changes = {key: f"{before[key]} → {after[key]}" for key in before if before[key] != after[key]}
    if changes:
        db.session.flush()
        record("roster.member_changed", actor_id, meeting.id, membership_id=membership.id, **changes)
    return changes


def remove_member(meeting: Meeting, membership: Membership, actor_id: int | None, by_admin: bool) -> str:
    """Take someone seated by mistake off the roster (the caller commits); their name is returned. Only while
    the meeting holds no record of them: an attendance mark, a ballot (theirs, or cast by them as a proxy), a
    proxy, a request to speak (whatever the domains register in `holds`). The database would delete those with
    the membership (its foreign keys cascade), and a record must never be lost, so they are checked here first.
    Chair and secretary: an admin's to remove."""
    ensure_editable(meeting)
    name = membership.user.name
    if membership.is_staff and not by_admin:
        raise Forbidden("Only an administrator can take a chair or secretary off the roster.")
    held = holds.records_of(membership.id)
    if held:
        raise InvalidTransition("%(name)s cannot be taken off the roster: the meeting holds their %(records)s, which "
                                "stay in the record.", name=name, records=Listing(held, style="standard"))
    record("roster.member_removed", actor_id, meeting.id, name=name, seat=membership.seat or "")
    db.session.delete(membership)
    db.session.flush()
    return name


def seat_order(seat: str | None) -> tuple:
    """Seats in the order a room counts them: D2 before D10, A9 before B1; no seat last."""
    if not seat:
        return (1,)
    return (0, *[(0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in re.split(r"(\d+)", seat) if part])


def roster(meeting: Meeting) -> list[Membership]:
    """Memberships in seat order (staff first)."""
    order = {r: n for n, r in enumerate(Membership.ROLES)}
    return sorted(meeting.memberships, key=lambda m: (order[m.role], seat_order(m.seat), m.user.name))
