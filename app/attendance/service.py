"""Attendance: check-in by badge, by hand or by the delegate's own tablet; the board and the quorum.

Presence is not a connection: a tablet that drops off the Wi-Fi leaves its delegate present.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from app.attendance.models import Attendance, AttendanceSettings
from app.audit.service import record
from app.auth.models import SignInToken
from app.auth.service import hash_token
from app.errors import BadInput, Clock, Conflict, Forbidden, Gone, InvalidTransition, Listing, NotFound, Term
from app.extensions import db
from app.i18n import N_
from app.meetings import holds
from app.meetings.models import Meeting, Membership
from app.meetings.service import seat_order
from app.timeutil import utcnow

ABSENT = "absent"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
NOT_A_BADGE = N_("This is not a Dais badge of this server. Scan the QR code on the delegate's badge, or type their seat or name.")
# How many people a typed name may offer to choose from; more, and the steward is asked to type more of it.
MAX_CANDIDATES = 12


# ----- settings -----

def settings_for(meeting_id: int) -> AttendanceSettings:
    """The meeting's attendance settings (the defaults until someone changes them; not stored until then)."""
    found = db.session.get(AttendanceSettings, meeting_id)
    if found is not None:
        return found
    return AttendanceSettings(meeting_id=meeting_id, quorum_basis=AttendanceSettings.MEMBERS, quorum_num=1,
                              quorum_den=2, quorum_strict=True, exclude_excused=False, self_checkin=True)


def update_settings(meeting: Meeting, actor_id: int | None, **changes) -> AttendanceSettings:
    """Change the quorum rule or self check-in; validated as a whole, audited (the caller commits)."""
    _ensure_open(meeting)
    settings = db.session.get(AttendanceSettings, meeting.id)
    if settings is None:
        settings = settings_for(meeting.id)
        db.session.add(settings)
    allowed = {"quorum_basis", "quorum_num", "quorum_den", "quorum_strict", "exclude_excused", "self_checkin"}
    unknown = set(changes) - allowed
    if unknown:
        raise BadInput("Unknown setting: %(names)s.", names=Listing(sorted(unknown), sep=", "))
    basis = changes.get("quorum_basis", settings.quorum_basis)
    num = changes.get("quorum_num", settings.quorum_num)
    den = changes.get("quorum_den", settings.quorum_den)
    if basis not in AttendanceSettings.BASES:
        raise BadInput("The quorum counts members, weight or both.")
    if not (isinstance(num, int) and isinstance(den, int)) or den < 1 or num < 0 or num > den or den > 1000:
        raise BadInput("The quorum is a fraction between 0 and 1, such as 1/2 or 2/3.")
    old = {k: getattr(settings, k) for k in changes}
    for key, value in changes.items():
        setattr(settings, key, value)
    db.session.flush()
    record("attendance.settings", actor_id, meeting.id, old=old, new=changes)
    return settings


# ----- badges -----

def token_from_code(code: str) -> str:
    """The raw token in a scanned badge URL (`<base>/t/<token>`) or a typed code; BadInput when neither."""
    code = (code or "").strip()
    if not code:
        raise BadInput("Scan a badge or type its code first.")
    if len(code) > 500:
        raise BadInput(NOT_A_BADGE)
    if "/" in code:
        path = urlsplit(code).path if "://" in code else code
        parts = [p for p in path.split("/") if p]
        if len(parts) < 2 or parts[-2] != "t":
            raise BadInput(NOT_A_BADGE)
        code = parts[-1]
    if not TOKEN_RE.match(code):
        raise BadInput(NOT_A_BADGE)
    return code


def resolve_badge(meeting: Meeting, code: str) -> Membership:
    """The membership a scanned badge belongs to, looked up by hash; spends nothing and signs no one in."""
    raw = token_from_code(code)
    token = db.session.scalar(sa.select(SignInToken).where(SignInToken.token_hash == hash_token(raw)))
    if token is None:
        raise NotFound("This badge is not known to Dais: it may be forged or misprinted. Check the person's name on the roster and mark them by hand.")
    if token.kind != SignInToken.KIND_BADGE:
        raise BadInput("This is a one-time sign-in link, not a badge. Scan the badge, or mark the delegate present by hand.")
    membership = token.membership
    if membership.meeting_id != meeting.id:
        raise Forbidden("This badge belongs to another meeting (“%(meeting)s”), not to this one. Nothing was recorded.",
                        meeting=membership.meeting.title)
    if token.revoked_at is not None:
        raise Gone("This badge of %(name)s was revoked (reported lost or replaced). Nothing was recorded; give them "
                   "their new badge, or mark them present by hand.", name=membership.user.name)
    return membership


# ----- typed at the door -----

def fold(text: str) -> str:
    """Text for matching what a steward types: case, accents and đ folded, spaces made single (“nguyen van an”
    finds “Nguyễn Văn An”), as fold() in js/lib/i18n.js."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def _starts_words(name: str, wanted: str) -> bool:
    """Every word typed starts a word of the name, in any order (“becker thomas”, “nguyen an”)."""
    words = re.split(r"\W+", name)
    return all(any(w.startswith(part) for w in words) for part in wanted.split())


def _seat_key(seat: str) -> str:
    """A seat as a steward may say it: case, accents and spaces aside, numbers without leading zeros (“a 1” = “A01”)."""
    return re.sub(r"\d+", lambda n: str(int(n.group())), fold(seat).replace(" ", ""))


def _whole_name(name: str, wanted: str) -> bool:
    """The words typed are the name's words, in any order (“becker thomas”)."""
    def words(text: str) -> list[str]:
        return sorted(w for w in re.split(r"\W+", text) if w)
    return words(name) == words(wanted)


@dataclass
class DoorAnswer:
    """What a typed text came to: the member checked in, or the members it may mean (by seat) to choose from."""

    member: Membership | None = None
    candidates: list[dict] = field(default_factory=list)
    more: int = 0   # how many others fit too, left out of the candidates


def check_in_typed(meeting: Meeting, text: str, actor_id: int | None) -> DoorAnswer:
    """What a door steward typed: a badge's link or code checks its holder in (as a scan); a seat, or a whole name
    (its words in any order) that one member only bears, checks that member in (by hand); a part of a name, or a
    name that fits several, offers them to choose from, even one (their board lines, the first MAX_CANDIDATES by
    seat): “binh” may be the Bình at the door or another who is not on the roster, and a wrong check-in moves the
    quorum; nobody: NotFound with a sentence. The caller commits.

    A name fits when each word typed starts a word of it, accents and case aside; when none fits so, when it
    holds the text (as the board's find box does)."""
    _ensure_open(meeting)
    text = (text or "").strip()
    if not text:
        raise BadInput("Type a seat, a name or a badge code first.")
    if "://" in text or "/t/" in text:   # a link: only a badge's will do
        return _checked_in_by_badge(meeting, text, actor_id)
    if TOKEN_RE.match(text) and db.session.scalar(
            sa.select(SignInToken.id).where(SignInToken.token_hash == hash_token(text))) is not None:
        return _checked_in_by_badge(meeting, text, actor_id)
    wanted = fold(text)
    rows = _rows(meeting.id)
    # A seat as printed (“A01”), or as said (“A1”: leading zeros aside) when no seat is printed so.
    seat = [(m, a) for m, a in rows if m.seat and fold(m.seat).replace(" ", "") == wanted.replace(" ", "")] \
        or [(m, a) for m, a in rows if m.seat and _seat_key(m.seat) == _seat_key(wanted)]
    named = seat or [(m, a) for m, a in rows if _starts_words(fold(m.user.name), wanted)] \
        or [(m, a) for m, a in rows if wanted in fold(m.user.name)]
    if not named:
        raise NotFound("Nobody on this meeting's roster has the seat or name “%(text)s”, and no badge has that code. "
                       "Check the spelling, or find the person on the attendance board.", text=text[:80])
    if len(named) == 1 and (seat or _whole_name(fold(named[0][0].user.name), wanted)):
        member = named[0][0]
        check_in(meeting, member, actor_id, method=Attendance.MANUAL)
        return DoorAnswer(member=member)
    named.sort(key=lambda r: (seat_order(r[0].seat), r[0].user.name))
    return DoorAnswer(candidates=[_line(m, a) for m, a in named[:MAX_CANDIDATES]],
                      more=max(0, len(named) - MAX_CANDIDATES))


def _checked_in_by_badge(meeting: Meeting, code: str, actor_id: int | None) -> DoorAnswer:
    member = resolve_badge(meeting, code)
    check_in(meeting, member, actor_id, method=Attendance.SCAN)
    return DoorAnswer(member=member)


# ----- changes -----

def _row(membership: Membership) -> Attendance | None:
    return db.session.scalar(sa.select(Attendance).where(Attendance.membership_id == membership.id))


def _ensure_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; its attendance is part of the record and can no longer change.")


def _member_of(meeting: Meeting, membership: Membership) -> None:
    if membership.meeting_id != meeting.id:
        raise Forbidden("This person is not a member of this meeting, so they cannot be checked in to it.")


def _hhmm(value: datetime | None) -> Clock | str:
    return Clock(value) if value else "?"


def _write(meeting: Meeting, membership: Membership, actor_id: int | None, **state) -> Attendance:
    """Set the row's state, keeping the state before for undo."""
    row = _row(membership)
    if row is None:
        row = Attendance(meeting_id=meeting.id, membership_id=membership.id, previous=None)
        db.session.add(row)
    else:
        row.previous = row.state()
    for key, value in state.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    row.updated_by = actor_id
    db.session.flush()
    return row


def check_in(meeting: Meeting, membership: Membership, actor_id: int | None, method: str = Attendance.SCAN,
             now: datetime | None = None) -> Attendance:
    """Mark the member present now; a second check-in is refused with the time of the first (the caller commits)."""
    _ensure_open(meeting)
    _member_of(meeting, membership)
    now = now or utcnow()
    row = _row(membership)
    if row is not None and row.status == Attendance.PRESENT:
        raise Conflict("%(name)s is already checked in (since %(time)s). Nothing changed.", name=membership.user.name,
                       time=_hhmm(row.arrived_at))
    arrived = row.arrived_at if row is not None and row.status == Attendance.LEFT and row.arrived_at else now
    row = _write(meeting, membership, actor_id, status=Attendance.PRESENT, method=method, arrived_at=arrived,
                 left_at=None, excuse="")
    record("attendance.check_in", actor_id, meeting.id, membership_id=membership.id, method=method)
    return row


def self_check_in(meeting: Meeting, membership: Membership | None) -> Attendance:
    """A delegate checks in from their own tablet, when the chair allows it; the chair and the secretary always may."""
    if membership is None:
        raise Forbidden("Only members of this meeting can check in to it.")
    # The chair and the secretary may mark anyone present at the desk; their own check-in needs no permission.
    if not membership.is_staff and not settings_for(meeting.id).self_checkin:
        raise Forbidden("Self check-in is turned off for this meeting. Please check in with the secretary at the door.")
    if meeting.status != Meeting.LIVE and meeting.status != Meeting.SCHEDULED:
        raise InvalidTransition("Check-in opens when the meeting is scheduled or live.")
    return check_in(meeting, membership, membership.user_id, Attendance.SELF)


def mark_left(meeting: Meeting, membership: Membership, actor_id: int | None, at: datetime | None = None) -> Attendance:
    """The member left the room (at a given time, default now)."""
    _ensure_open(meeting)
    _member_of(meeting, membership)
    row = _row(membership)
    if row is None or row.status != Attendance.PRESENT:
        raise InvalidTransition("%(name)s is not present, so they cannot leave.", name=membership.user.name)
    at = at or utcnow()
    if row.arrived_at and at < row.arrived_at:
        raise BadInput("%(name)s arrived at %(time)s; they cannot have left before that.", name=membership.user.name,
                       time=_hhmm(row.arrived_at))
    if at > utcnow():
        raise BadInput("The time of leaving cannot be in the future.")
    row = _write(meeting, membership, actor_id, status=Attendance.LEFT, left_at=at, method=Attendance.MANUAL)
    record("attendance.left", actor_id, meeting.id, membership_id=membership.id, at=at.isoformat())
    return row


def mark_excused(meeting: Meeting, membership: Membership, actor_id: int | None, excuse: str) -> Attendance:
    """The member is excused, with a reason."""
    _ensure_open(meeting)
    _member_of(meeting, membership)
    excuse = (excuse or "").strip()
    if not excuse:
        raise BadInput("Give the reason for the excuse (for the minutes).")
    if len(excuse) > 300:
        raise BadInput("Keep the reason under 300 characters.")
    row = _row(membership)
    if row is not None and row.status == Attendance.PRESENT:
        raise InvalidTransition("%(name)s is present; mark them as left first.", name=membership.user.name)
    row = _write(meeting, membership, actor_id, status=Attendance.EXCUSED, excuse=excuse, method=Attendance.MANUAL)
    record("attendance.excused", actor_id, meeting.id, membership_id=membership.id, excuse=excuse)
    return row


def undo(meeting: Meeting, membership: Membership, actor_id: int | None) -> Attendance | None:
    """Take back the last change to this member's attendance (one step); returns the restored row or None (absent)."""
    _ensure_open(meeting)
    _member_of(meeting, membership)
    row = _row(membership)
    if row is None:
        raise InvalidTransition("There is nothing to undo for %(name)s.", name=membership.user.name)
    before = row.state()
    previous = row.previous
    if previous is None:
        db.session.delete(row)
        db.session.flush()
        restored = None
    else:
        row.status = previous["status"]
        row.method = previous["method"]
        row.arrived_at = datetime.fromisoformat(previous["arrived_at"]) if previous["arrived_at"] else None
        row.left_at = datetime.fromisoformat(previous["left_at"]) if previous["left_at"] else None
        row.excuse = previous["excuse"]
        row.previous = None  # one step back only: a second undo would invent history
        row.updated_at = utcnow()
        row.updated_by = actor_id
        db.session.flush()
        restored = row
    record("attendance.undo", actor_id, meeting.id, membership_id=membership.id, undone=before,
           now=restored.status if restored else ABSENT)
    return restored


def get_membership(meeting: Meeting, membership_id: int) -> Membership:
    """A membership of this meeting, or a refusal that says so."""
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        raise NotFound("There is no such member.")
    _member_of(meeting, membership)
    return membership


# ----- reading -----

def _rows(meeting_id: int) -> list[tuple[Membership, Attendance | None]]:
    query = (
        sa.select(Membership, Attendance)
        .outerjoin(Attendance, Attendance.membership_id == Membership.id)
        .where(Membership.meeting_id == meeting_id)
    )
    order = {r: n for n, r in enumerate(Membership.ROLES)}
    rows = [(m, a) for m, a in db.session.execute(query).unique().all()]
    # Seats as the room counts them (D2 before D10), as on the roster.
    return sorted(rows, key=lambda r: (order.get(r[0].role, 9), seat_order(r[0].seat), r[0].user.name))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None   # no microseconds in an export


def present_weight(meeting_id: int) -> tuple[int, int]:
    """Present voting members and their summed vote weight (observers and non-voting members never count)."""
    count, weight = db.session.execute(
        sa.select(sa.func.count(Membership.id), sa.func.coalesce(sa.func.sum(Membership.vote_weight), 0))
        .join(Attendance, Attendance.membership_id == Membership.id)
        .where(Membership.meeting_id == meeting_id, Attendance.status == Attendance.PRESENT,
               Membership.voting())
    ).one()
    return int(count), int(weight)


def _needed(total: int, num: int, den: int, strict: bool) -> int:
    """The smallest whole count that satisfies count/total > num/den (or >= when not strict)."""
    if total == 0:
        return 0
    # count*den > num*total  <=>  count >= floor(num*total/den) + 1 ; count*den >= num*total <=> ceil
    return (num * total) // den + 1 if strict else -(-(num * total) // den)


def _tallies(meeting_id: int) -> dict[str | None, tuple[int, int]]:
    """Voting members (observers never count) by attendance status: status -> (members, summed weight);
    None for those never checked in. One aggregate query, however large the meeting."""
    rows = db.session.execute(
        sa.select(Attendance.status, sa.func.count(Membership.id), sa.func.coalesce(sa.func.sum(Membership.vote_weight), 0))
        .select_from(Membership)
        .outerjoin(Attendance, Attendance.membership_id == Membership.id)
        .where(Membership.meeting_id == meeting_id, Membership.voting())
        .group_by(Attendance.status)
    ).all()
    return {status: (int(count), int(weight)) for status, count, weight in rows}


def quorum(meeting_id: int) -> dict:
    """The quorum indicator: present members and weight against the rule, with what is needed."""
    settings = settings_for(meeting_id)
    tallies = _tallies(meeting_id)
    excused, excused_weight = tallies.get(Attendance.EXCUSED, (0, 0))
    total_members = sum(count for count, _ in tallies.values())
    total_weight = sum(weight for _, weight in tallies.values())
    if settings.exclude_excused:
        total_members -= excused
        total_weight -= excused_weight
    present_members, present_w = tallies.get(Attendance.PRESENT, (0, 0))
    need_members = min(_needed(total_members, settings.quorum_num, settings.quorum_den, settings.quorum_strict), total_members)
    need_weight = min(_needed(total_weight, settings.quorum_num, settings.quorum_den, settings.quorum_strict), total_weight)
    members_ok = total_members > 0 and present_members >= need_members
    weight_ok = total_weight > 0 and present_w >= need_weight
    if settings.quorum_basis == AttendanceSettings.MEMBERS:
        met = members_ok
    elif settings.quorum_basis == AttendanceSettings.WEIGHT:
        met = weight_ok
    else:
        met = members_ok and weight_ok
    return {
        "met": met,
        "basis": settings.quorum_basis,
        "fraction": [settings.quorum_num, settings.quorum_den],
        "strict": settings.quorum_strict,
        "exclude_excused": settings.exclude_excused,
        "present_members": present_members,
        "total_members": total_members,
        "needed_members": need_members,
        "present_weight": present_w,
        "total_weight": total_weight,
        "needed_weight": need_weight,
        "excused": excused,
        "self_checkin": settings.self_checkin,
    }


def board(meeting_id: int) -> list[dict]:
    """Every member with their status (present, left, excused or absent), by seat."""
    return [_line(m, a) for m, a in _rows(meeting_id)]


def board_row(meeting_id: int, membership_id: int) -> dict | None:
    """One member's line of the board (None if they are not a member of the meeting): what a change sends."""
    found = db.session.execute(
        sa.select(Membership, Attendance)
        .outerjoin(Attendance, Attendance.membership_id == Membership.id)
        .where(Membership.meeting_id == meeting_id, Membership.id == membership_id)
    ).first()
    return _line(*found) if found is not None else None


def _line(m: Membership, a: Attendance | None) -> dict:
    return {
        "membership_id": m.id,
        "name": m.user.name,
        "seat": m.seat,
        "role": m.role,
        "vote_weight": m.vote_weight,
        "can_vote": m.can_vote,
        "status": a.status if a else ABSENT,
        "method": a.method if a else None,
        "arrived_at": _iso(a.arrived_at) if a else None,
        "left_at": _iso(a.left_at) if a else None,
        "excuse": a.excuse if a else "",
        "can_undo": a is not None,
    }


def attendance_record(meeting_id: int) -> list[dict]:
    """For the minutes: name, seat, role, status, arrived_at, left_at, excuse of every member."""
    keys = ("name", "seat", "role", "status", "arrived_at", "left_at", "excuse")
    return [{k: row[k] for k in keys} for row in board(meeting_id)]


def quorum_rule(meeting_id: int) -> dict:
    """For the minutes: the meeting's quorum rule (basis, fraction, strict, whether excused members count)."""
    settings = settings_for(meeting_id)
    return {"basis": settings.quorum_basis, "fraction": [settings.quorum_num, settings.quorum_den],
            "strict": settings.quorum_strict, "exclude_excused": settings.exclude_excused}


def export_csv(meeting_id: int) -> str:
    """The attendance as CSV (UTF-8 with BOM, so spreadsheets read the accents)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["seat", "name", "role", "vote_weight", "status", "arrived_at", "left_at", "excuse"])
    for row in board(meeting_id):
        writer.writerow([_csv_safe(row["seat"] or ""), _csv_safe(row["name"]), row["role"], row["vote_weight"],
                         row["status"], row["arrived_at"] or "", row["left_at"] or "", _csv_safe(row["excuse"])])
    return "\ufeff" + buf.getvalue()


def _csv_safe(text: str) -> str:
    """Names are user text: keep a spreadsheet from running them as formulas."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def snapshot(meeting_id: int, staff: bool) -> dict:
    """The attendance API's state: the quorum for everyone, the board for staff."""
    out: dict = {"quorum": quorum(meeting_id)}
    if staff:
        out["board"] = board(meeting_id)
    return out


def my_status(meeting_id: int, membership_id: int | None) -> str:
    """One member's status (for their tablet's check-in button)."""
    if membership_id is None:
        return ABSENT
    status = db.session.scalar(sa.select(Attendance.status).where(Attendance.membership_id == membership_id))
    return status or ABSENT


@holds.membership_records(Term("roster record", "attendance"))
def _has_attendance(membership_id: int) -> bool:
    """The roster keeps whoever has an attendance row (see app/meetings/holds.py)."""
    query = sa.select(Attendance.id).where(Attendance.membership_id == membership_id)
    return db.session.scalar(query) is not None
