"""The list of speakers: request and withdraw, points of order, the chair's queue, the floor and the timer."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.audit.service import record
from app.errors import BadInput, Conflict, Forbidden, InvalidTransition, NotFound, Term
from app.extensions import db
from app.meetings import holds
from app.meetings.models import AgendaItem, Meeting, Membership
from app.speakers.models import SpeakerRequest, SpeakerSettings
from app.timeutil import utcnow

STATUS_WORDS = {SpeakerRequest.WAITING: Term("speaker request status", "waiting"),
                SpeakerRequest.SPEAKING: Term("speaker request status", "speaking"),
                SpeakerRequest.DONE: Term("speaker request status", "done"),
                SpeakerRequest.WITHDRAWN: Term("speaker request status", "withdrawn")}

MAX_LIMIT_SECONDS = 3600


def settings_for(meeting_id: int) -> SpeakerSettings:
    """The meeting's speaking time (defaults until changed)."""
    found = db.session.get(SpeakerSettings, meeting_id)
    return found or SpeakerSettings(meeting_id=meeting_id, limit_seconds=180, warn_seconds=30)


def update_settings(meeting: Meeting, limit_seconds: int, warn_seconds: int, actor_id: int | None) -> SpeakerSettings:
    """Set the default speaking time and the warning (seconds before the end)."""
    _ensure_open(meeting)
    if not 10 <= limit_seconds <= MAX_LIMIT_SECONDS:
        raise BadInput("The speaking time must be between 10 seconds and 60 minutes.")
    if not 0 <= warn_seconds < limit_seconds:
        raise BadInput("The warning must come before the speaking time runs out.")
    settings = db.session.get(SpeakerSettings, meeting.id)
    if settings is None:
        settings = SpeakerSettings(meeting_id=meeting.id)
        db.session.add(settings)
    settings.limit_seconds, settings.warn_seconds = limit_seconds, warn_seconds
    db.session.flush()
    record("speakers.settings", actor_id, meeting.id, limit_seconds=limit_seconds, warn_seconds=warn_seconds)
    return settings


def _ensure_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise InvalidTransition("This meeting is closed; its list of speakers is part of the record now.")


def _ensure_live(meeting: Meeting) -> None:
    if meeting.status != Meeting.LIVE:
        raise InvalidTransition("The list of speakers opens when the meeting is live.")


def get_item(meeting: Meeting, item_id: int) -> AgendaItem:
    """An agenda item of this meeting, or a refusal."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound("This agenda item is not on this meeting's agenda.")
    return item


def get_request(meeting: Meeting, request_id: int) -> SpeakerRequest:
    """A request of this meeting, or a refusal."""
    req = db.session.get(SpeakerRequest, request_id)
    if req is None or req.meeting_id != meeting.id:
        raise NotFound("This request to speak does not exist (it may have been removed).")
    return req


def _open_for(item_id: int) -> list[SpeakerRequest]:
    return list(db.session.scalars(
        sa.select(SpeakerRequest)
        .where(SpeakerRequest.item_id == item_id, SpeakerRequest.status == SpeakerRequest.WAITING)
        .order_by(SpeakerRequest.position, SpeakerRequest.id)
    ))


def request_floor(meeting: Meeting, membership: Membership | None, item_id: int,
                  kind: str = SpeakerRequest.NORMAL) -> SpeakerRequest:
    """A member asks to speak on an item; a point of order goes ahead of every ordinary request."""
    if membership is None or membership.meeting_id != meeting.id:
        raise Forbidden("Only members of this meeting can ask for the floor.")
    if membership.role == Membership.OBSERVER:
        raise Forbidden("Observers cannot ask for the floor. Ask the chair if you need to speak.")
    return _put_on_list(meeting, membership, item_id, kind, membership.user_id, by_chair=False)


def add_speaker(meeting: Meeting, membership_id: int, item_id: int, kind: str, actor_id: int | None) -> SpeakerRequest:
    """The chair puts someone on the list: a member without a tablet who raised a hand, or an observer (a guest,
    an expert) the chair lets speak. Their place is the one their own request would have had."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.meeting_id != meeting.id:
        raise NotFound("This person is not on the roster of this meeting (any more).")
    return _put_on_list(meeting, membership, item_id, kind, actor_id, by_chair=True)


def _put_on_list(meeting: Meeting, membership: Membership, item_id: int, kind: str, actor_id: int | None,
                 by_chair: bool) -> SpeakerRequest:
    if kind not in SpeakerRequest.KINDS:
        raise BadInput("A request is either to speak or a point of order.")
    _ensure_live(meeting)
    item = get_item(meeting, item_id)
    name = membership.user.name
    existing = db.session.scalar(sa.select(SpeakerRequest).where(
        SpeakerRequest.item_id == item.id, SpeakerRequest.membership_id == membership.id,
        SpeakerRequest.status.in_(SpeakerRequest.OPEN)))
    if existing is not None:
        speaking = existing.status == SpeakerRequest.SPEAKING
        if by_chair and speaking:
            raise Conflict("%(name)s is already speaking on this item.", name=name)
        if by_chair:
            raise Conflict("%(name)s is already on the list for this item.", name=name)
        if speaking:
            raise Conflict("You are already speaking for this item.")
        raise Conflict("You are already on the list for this item.")
    waiting = _open_for(item.id)
    if kind == SpeakerRequest.POINT_OF_ORDER:
        # After earlier points of order, before every ordinary request.
        points = [r for r in waiting if r.kind == SpeakerRequest.POINT_OF_ORDER]
        rest = [r for r in waiting if r.kind != SpeakerRequest.POINT_OF_ORDER]
        order = points + [None] + rest
    else:
        order = waiting + [None]
    req = SpeakerRequest(meeting_id=meeting.id, item_id=item.id, membership_id=membership.id, kind=kind,
                         status=SpeakerRequest.WAITING, requested_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(req)
            db.session.flush()
    except IntegrityError:
        # Two taps at once: the partial unique index let only one in.
        if by_chair:
            raise Conflict("%(name)s is already on the list for this item.", name=name)
        raise Conflict("You are already on the list for this item.")
    for n, r in enumerate(order):
        (r or req).position = n
    db.session.flush()
    if by_chair:
        record("speakers.added", actor_id, meeting.id, item_id=item.id, request_id=req.id, kind=kind,
               membership_id=membership.id)
    else:
        record("speakers.requested", actor_id, meeting.id, item_id=item.id, request_id=req.id, kind=kind)
    return req


def withdraw(meeting: Meeting, req: SpeakerRequest, membership: Membership | None) -> SpeakerRequest:
    """The member takes back their own waiting request."""
    _ensure_open(meeting)
    if membership is None or req.membership_id != membership.id:
        raise Forbidden("You can only withdraw your own request to speak.")
    if req.status != SpeakerRequest.WAITING:
        raise InvalidTransition("This request is no longer waiting, so it cannot be withdrawn.")
    req.status = SpeakerRequest.WITHDRAWN
    req.ended_at = utcnow()
    db.session.flush()
    record("speakers.withdrawn", membership.user_id, meeting.id, request_id=req.id, item_id=req.item_id)
    return req


def remove(meeting: Meeting, req: SpeakerRequest, actor_id: int | None) -> SpeakerRequest:
    """The chair takes a waiting request off the list."""
    _ensure_open(meeting)
    if req.status != SpeakerRequest.WAITING:
        raise InvalidTransition("Only a waiting request can be taken off the list.")
    req.status = SpeakerRequest.WITHDRAWN
    req.ended_at = utcnow()
    db.session.flush()
    record("speakers.removed", actor_id, meeting.id, request_id=req.id, item_id=req.item_id)
    return req


def reorder(meeting: Meeting, item_id: int, order: list[int], actor_id: int | None) -> list[SpeakerRequest]:
    """The chair puts the waiting requests of an item in a new order (all of them, each once)."""
    _ensure_open(meeting)
    item = get_item(meeting, item_id)
    waiting = _open_for(item.id)
    by_id = {r.id: r for r in waiting}
    if len(order) != len(set(order)) or set(order) != set(by_id):
        raise Conflict("The list changed while you were moving it (someone asked or withdrew). It has been reloaded; try again.")
    for n, rid in enumerate(order):
        by_id[rid].position = n
    db.session.flush()
    record("speakers.reordered", actor_id, meeting.id, item_id=item.id, order=order)
    return [by_id[rid] for rid in order]


def current_speaker(meeting_id: int) -> SpeakerRequest | None:
    """Who has the floor in the meeting now."""
    return db.session.scalar(sa.select(SpeakerRequest).where(
        SpeakerRequest.meeting_id == meeting_id, SpeakerRequest.status == SpeakerRequest.SPEAKING))


def give_floor(meeting: Meeting, item_id: int, request_id: int | None, actor_id: int | None,
               now: datetime | None = None) -> SpeakerRequest:
    """The chair gives the floor to a waiting request (default: the next one); a running speech ends first."""
    _ensure_live(meeting)
    item = get_item(meeting, item_id)
    waiting = _open_for(item.id)
    if request_id is None:
        if not waiting:
            raise InvalidTransition("Nobody is waiting to speak on this item.")
        req = waiting[0]
    else:
        req = get_request(meeting, request_id)
        if req.item_id != item.id:
            raise BadInput("This request is for another agenda item.")
        if req.status != SpeakerRequest.WAITING:
            raise InvalidTransition("%(name)s is not waiting to speak (the request is %(status)s).",
                                    name=req.membership.user.name, status=STATUS_WORDS.get(req.status, req.status))
    now = now or utcnow()
    running = current_speaker(meeting.id)
    if running is not None:
        end_speech(meeting, actor_id, now=now)
    req.status = SpeakerRequest.SPEAKING
    req.started_at = now
    req.limit_seconds = settings_for(meeting.id).limit_seconds
    db.session.flush()
    record("speakers.floor", actor_id, meeting.id, request_id=req.id, item_id=item.id,
           membership_id=req.membership_id)
    return req


def end_speech(meeting: Meeting, actor_id: int | None, now: datetime | None = None) -> SpeakerRequest:
    """The chair ends the running speech; its length is kept for the minutes."""
    req = current_speaker(meeting.id)
    if req is None:
        raise InvalidTransition("Nobody has the floor right now.")
    now = now or utcnow()
    _fold_pause(req, now)
    req.status = SpeakerRequest.DONE
    req.ended_at = now
    db.session.flush()
    record("speakers.ended", actor_id, meeting.id, request_id=req.id, item_id=req.item_id,
           seconds=_seconds(req))
    return req


def _fold_pause(req: SpeakerRequest, now: datetime) -> None:
    """A running pause ends: its length joins the pauses before."""
    if req.paused_at is not None:
        req.paused_seconds = (req.paused_seconds or 0) + max(0, int((now - req.paused_at).total_seconds()))
        req.paused_at = None


def pause(meeting: Meeting, actor_id: int | None, now: datetime | None = None) -> SpeakerRequest:
    """The chair holds the running speech's clock (a disturbance, a question to the chair): every timer stands."""
    _ensure_live(meeting)
    req = current_speaker(meeting.id)
    if req is None:
        raise InvalidTransition("Nobody has the floor right now.")
    if req.paused_at is not None:
        raise InvalidTransition("The speech's clock is stopped already.")
    req.paused_at = now or utcnow()
    db.session.flush()
    record("speakers.paused", actor_id, meeting.id, request_id=req.id, item_id=req.item_id)
    return req


def resume(meeting: Meeting, actor_id: int | None, now: datetime | None = None) -> SpeakerRequest:
    """The chair lets the clock of a paused speech run on, from where it stood."""
    _ensure_live(meeting)
    req = current_speaker(meeting.id)
    if req is None:
        raise InvalidTransition("Nobody has the floor right now.")
    if req.paused_at is None:
        raise InvalidTransition("The speech's clock is running already.")
    _fold_pause(req, now or utcnow())
    db.session.flush()
    record("speakers.resumed", actor_id, meeting.id, request_id=req.id, item_id=req.item_id,
           paused_seconds=req.paused_seconds)
    return req


MAX_SPEECH_SECONDS = 2 * MAX_LIMIT_SECONDS   # the longest a speech's time can be stretched to
MAX_TIME_STEP = 600   # what one change of a running speech's time may add or take back, in seconds


def add_time(meeting: Meeting, seconds: int, actor_id: int | None) -> SpeakerRequest:
    """The chair gives the running speech more time (or takes some back): every screen's timer moves with it."""
    _ensure_live(meeting)
    req = current_speaker(meeting.id)
    if req is None:
        raise InvalidTransition("Nobody has the floor right now.")
    if seconds == 0 or abs(seconds) > MAX_TIME_STEP:
        raise BadInput("Add between 1 second and 10 minutes to the speech (or take up to 10 minutes back).")
    limit = (req.limit_seconds or settings_for(meeting.id).limit_seconds) + seconds
    if limit < 10:
        raise BadInput("A speech's time cannot be cut below 10 seconds; end the speech instead.")
    if limit > MAX_SPEECH_SECONDS:
        raise BadInput("A speech's time cannot be stretched past two hours.")
    req.limit_seconds = limit
    db.session.flush()
    record("speakers.time", actor_id, meeting.id, request_id=req.id, item_id=req.item_id, seconds=seconds,
           limit_seconds=limit)
    return req


def release_floor(meeting: Meeting, item_id: int, actor_id: int | None,
                  now: datetime | None = None) -> SpeakerRequest | None:
    """The chair opened agenda item `item_id`: a speech on another item ends, as if the chair ended it (its end
    and length kept for the minutes, audited as speakers.ended by the chair). The waiting requests stay on their
    item's list. None when nobody has the floor or the speech is on `item_id` (the item opened again)."""
    running = current_speaker(meeting.id)
    if running is None or running.item_id == item_id:
        return None
    return end_speech(meeting, actor_id, now=now)


def _seconds(req: SpeakerRequest) -> int | None:
    """How long they spoke: from the floor to the end, the clock's pauses left out."""
    if req.started_at is None:
        return None
    end = req.ended_at or req.paused_at or utcnow()
    return max(0, int((end - req.started_at).total_seconds()) - (req.paused_seconds or 0))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def as_dict(req: SpeakerRequest) -> dict:
    """A request as the screens see it: the timer ends at started_at + limit_seconds + the pauses before; while
    the chair holds the clock (`paused_at`), `remaining_seconds` is what it stands at and `ends_at` is None."""
    m = req.membership
    paused = req.paused_at is not None
    ends = None
    if req.started_at and req.limit_seconds and not paused:
        ends = _iso(req.started_at + _td(req.limit_seconds + (req.paused_seconds or 0)))
    return {
        "id": req.id,
        "item_id": req.item_id,
        "membership_id": req.membership_id,
        "name": m.user.name,
        "seat": m.seat,
        "kind": req.kind,
        "status": req.status,
        "requested_at": _iso(req.requested_at),
        "started_at": _iso(req.started_at),
        "limit_seconds": req.limit_seconds,
        "ends_at": ends,
        "paused": paused,
        "paused_seconds": req.paused_seconds or 0,
        "remaining_seconds": (req.limit_seconds - _seconds(req)) if paused and req.limit_seconds else None,
    }


def _td(seconds: int):
    from datetime import timedelta

    return timedelta(seconds=seconds)


def queue(meeting_id: int, item_id: int) -> dict:
    """One item's list: who speaks, who waits (in order), and how many have spoken."""
    speaking = current_speaker(meeting_id)
    done = db.session.scalar(sa.select(sa.func.count(SpeakerRequest.id)).where(
        SpeakerRequest.item_id == item_id, SpeakerRequest.status == SpeakerRequest.DONE))
    return {
        "item_id": item_id,
        "speaking": as_dict(speaking) if speaking and speaking.item_id == item_id else None,
        "waiting": [as_dict(r) for r in _open_for(item_id)],
        "done": int(done or 0),
    }


def snapshot(meeting_id: int) -> dict:
    """The speakers part of the live snapshot: settings, the current speaker, every item's waiting list."""
    settings = settings_for(meeting_id)
    speaking = current_speaker(meeting_id)
    waiting = db.session.scalars(
        sa.select(SpeakerRequest)
        .where(SpeakerRequest.meeting_id == meeting_id, SpeakerRequest.status == SpeakerRequest.WAITING)
        .order_by(SpeakerRequest.item_id, SpeakerRequest.position, SpeakerRequest.id)
    )
    queues: dict[str, list[dict]] = {}
    for r in waiting:
        queues.setdefault(str(r.item_id), []).append(as_dict(r))
    return {
        "limit_seconds": settings.limit_seconds,
        "warn_seconds": settings.warn_seconds,
        "server_now": _iso(utcnow()),
        "speaking": as_dict(speaking) if speaking else None,
        "queues": queues,
    }


def speeches_for_item(item_id: int) -> list[dict]:
    """For the minutes: who spoke on the item, in order, with start, end and length in seconds."""
    rows = db.session.scalars(
        sa.select(SpeakerRequest)
        .where(SpeakerRequest.item_id == item_id, SpeakerRequest.started_at.is_not(None))
        .order_by(SpeakerRequest.started_at, SpeakerRequest.id)
    )
    return [{
        "name": r.membership.user.name,
        "seat": r.membership.seat,
        "role": r.membership.role,
        "kind": r.kind,
        "started_at": _iso(r.started_at),
        "ended_at": _iso(r.ended_at),
        # A running speech has no length yet: reporting a growing number would change the minutes every second.
        "seconds": None if r.status == SpeakerRequest.SPEAKING else _seconds(r),
        "running": r.status == SpeakerRequest.SPEAKING,
    } for r in rows]


@holds.membership_records(Term("roster record", "requests to speak"))
def _has_requests(membership_id: int) -> bool:
    """The roster keeps whoever asked for the floor (see app/meetings/holds.py)."""
    query = sa.select(SpeakerRequest.id).where(SpeakerRequest.membership_id == membership_id)
    return db.session.scalar(query.limit(1)) is not None
