"""Speakers list: requests, points of order, the chair's queue, the floor, the timer and the record."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.audit.service import entries
from app.errors import BadInput, Conflict, Forbidden, InvalidTransition, NotFound
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership
from app.speakers import service
from app.speakers.models import SpeakerRequest
from app.timeutil import utcnow
from tests.factories import add_member, make_meeting


def _m(mid):
    return db.session.get(Membership, mid)


def _meeting(room):
    return db.session.get(Meeting, room.meeting_id)


def _item(room, n=0):
    return db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == room.meeting_id)
                              .order_by(AgendaItem.position)).all()[n]


def _names(q):
    return [r["seat"] for r in q["waiting"]]


def test_queue_order_and_point_of_order_jumps_it(room):
    meeting, item = _meeting(room), _item(room)
    d1, d2, d3, d4 = (_m(i) for i in room.delegates)
    service.request_floor(meeting, d1, item.id)
    service.request_floor(meeting, d2, item.id)
    service.request_floor(meeting, d3, item.id, "point_of_order")
    service.request_floor(meeting, d4, item.id, "point_of_order")
    q = service.queue(meeting.id, item.id)
    assert _names(q) == ["D3", "D4", "D1", "D2"]
    assert q["waiting"][0]["kind"] == "point_of_order"
    db.session.commit()
    assert [e.actor_id for e in entries(meeting.id, "speakers.requested")] == [d1.user_id, d2.user_id, d3.user_id, d4.user_id]


def test_double_request_is_refused_and_the_database_agrees(room):
    meeting, item, d1 = _meeting(room), _item(room), _m(room.delegates[0])
    service.request_floor(meeting, d1, item.id)
    db.session.commit()
    with pytest.raises(Conflict) as err:
        service.request_floor(meeting, d1, item.id, "point_of_order")
    assert "already on the list" in err.value.message
    # the partial unique index refuses a second open request even when the code is bypassed
    db.session.add(SpeakerRequest(meeting_id=meeting.id, item_id=item.id, membership_id=d1.id, status="waiting"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # on another item, or after withdrawing, asking again is fine
    service.request_floor(meeting, d1, _item(room, 1).id)
    req = db.session.scalar(sa.select(SpeakerRequest).where(SpeakerRequest.item_id == item.id))
    service.withdraw(meeting, req, d1)
    service.request_floor(meeting, d1, item.id)
    db.session.commit()


def test_one_speaker_at_a_time_is_enforced_by_the_database(room):
    meeting, item = _meeting(room), _item(room)
    for mid in room.delegates[:2]:
        db.session.add(SpeakerRequest(meeting_id=meeting.id, item_id=item.id, membership_id=mid,
                                      status="speaking", started_at=utcnow()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_refusals(app, room):
    meeting, item = _meeting(room), _item(room)
    with pytest.raises(Forbidden):
        service.request_floor(meeting, None, item.id)
    with pytest.raises(Forbidden) as err:
        service.request_floor(meeting, _m(room.observer), item.id)
    assert "Observers" in err.value.message
    other = make_meeting("assembly", status=Meeting.LIVE)
    stranger = add_member(other, "stranger", "delegate", "X1", password=None)
    with pytest.raises(Forbidden):
        service.request_floor(meeting, stranger, item.id)
    with pytest.raises(NotFound):
        service.request_floor(meeting, _m(room.delegates[0]), other.items[0].id)
    with pytest.raises(BadInput):
        service.request_floor(meeting, _m(room.delegates[0]), item.id, "shout")
    req = service.request_floor(meeting, _m(room.delegates[0]), item.id)
    with pytest.raises(Forbidden):
        service.withdraw(meeting, req, _m(room.delegates[1]))
    with pytest.raises(InvalidTransition):
        service.end_speech(meeting, None)
    with pytest.raises(InvalidTransition):
        service.give_floor(meeting, _item(room, 1).id, None, None)  # nobody waits there
    with pytest.raises(BadInput):
        service.give_floor(meeting, _item(room, 1).id, req.id, None)  # request of another item
    meeting.status = Meeting.SCHEDULED
    with pytest.raises(InvalidTransition) as err:
        service.request_floor(meeting, _m(room.delegates[1]), item.id)
    assert "live" in err.value.message


def test_reorder_must_name_every_waiting_request_once(room):
    meeting, item = _meeting(room), _item(room)
    ids = [service.request_floor(meeting, _m(mid), item.id).id for mid in room.delegates[:3]]
    service.reorder(meeting, item.id, [ids[2], ids[0], ids[1]], None)
    assert _names(service.queue(meeting.id, item.id)) == ["D3", "D1", "D2"]
    for bad in ([ids[0], ids[1]], ids + [ids[0]], ids[:2] + [999]):
        with pytest.raises(Conflict):
            service.reorder(meeting, item.id, bad, None)
    assert _names(service.queue(meeting.id, item.id)) == ["D3", "D1", "D2"]


def test_floor_timer_and_record_for_the_minutes(room):
    meeting, item = _meeting(room), _item(room)
    service.update_settings(meeting, 120, 20, None)
    a = service.request_floor(meeting, _m(room.delegates[0]), item.id)
    b = service.request_floor(meeting, _m(room.delegates[1]), item.id)
    t0 = utcnow() - timedelta(minutes=3)
    first = service.give_floor(meeting, item.id, None, None, now=t0)
    assert first.id == a.id and first.limit_seconds == 120
    snap = service.snapshot(meeting.id)
    assert snap["speaking"]["seat"] == "D1" and snap["limit_seconds"] == 120 and snap["warn_seconds"] == 20
    assert snap["speaking"]["ends_at"] == (t0 + timedelta(seconds=120)).isoformat() + "Z"
    with pytest.raises(Forbidden):
        service.withdraw(meeting, first, _m(room.delegates[1]))
    # giving the floor to the next ends the running speech
    second = service.give_floor(meeting, item.id, b.id, None, now=t0 + timedelta(seconds=95))
    assert second.status == "speaking" and db.session.get(SpeakerRequest, a.id).status == "done"
    # the running speech has no length yet (the minutes must not change while it runs)
    assert [(s["seat"], s["seconds"], s["running"]) for s in service.speeches_for_item(item.id)] == [
        ("D1", 95, False), ("D2", None, True)]
    service.end_speech(meeting, None, now=t0 + timedelta(seconds=125))
    assert service.current_speaker(meeting.id) is None
    db.session.commit()
    speeches = service.speeches_for_item(item.id)
    assert [(s["seat"], s["seconds"], s["running"]) for s in speeches] == [("D1", 95, False), ("D2", 30, False)]
    assert service.queue(meeting.id, item.id)["done"] == 2
    assert [e.action for e in entries(meeting.id) if e.action in ("speakers.floor", "speakers.ended")] == [
        "speakers.floor", "speakers.ended", "speakers.floor", "speakers.ended"]


def test_timer_survives_a_restart(app, room):
    meeting, item = _meeting(room), _item(room)
    service.request_floor(meeting, _m(room.delegates[0]), item.id)
    started = service.give_floor(meeting, item.id, None, None).started_at
    db.session.commit()
    db.session.remove()  # a new process reads only what is stored
    snap = service.snapshot(room.meeting_id)
    assert snap["speaking"]["started_at"] == started.isoformat() + "Z"
    assert snap["speaking"]["limit_seconds"] == 180


def test_bad_speaking_times_are_refused(room):
    for limit, warn in [(5, 0), (4000, 30), (60, 60), (60, -1)]:
        with pytest.raises(BadInput):
            service.update_settings(_meeting(room), limit, warn, None)
    assert service.settings_for(room.meeting_id).limit_seconds == 180


def test_closed_meeting_list_is_frozen(room):
    meeting, item = _meeting(room), _item(room)
    req = service.request_floor(meeting, _m(room.delegates[0]), item.id)
    meeting.status = Meeting.CLOSED
    with pytest.raises(InvalidTransition):
        service.withdraw(meeting, req, _m(room.delegates[0]))
    with pytest.raises(InvalidTransition):
        service.give_floor(meeting, item.id, None, None)


def test_the_chair_puts_someone_on_the_list_an_observer_too(room):
    meeting, item = _meeting(room), _item(room)
    d1, d2, observer = _m(room.delegates[0]), _m(room.delegates[1]), _m(room.observer)
    service.request_floor(meeting, d1, item.id)
    guest = service.add_speaker(meeting, observer.id, item.id, "normal", _m(room.chair).user_id)
    hand = service.add_speaker(meeting, d2.id, item.id, "point_of_order", _m(room.chair).user_id)
    # a point of order the chair notes goes ahead, as the member's own would; the guest waits in line
    assert _names(service.queue(meeting.id, item.id)) == ["D2", "D1", "O1"]
    assert guest.membership_id == observer.id and hand.kind == "point_of_order"
    with pytest.raises(Conflict) as twice:
        service.add_speaker(meeting, observer.id, item.id, "normal", None)
    assert twice.value.message == f"{observer.user.name} is already on the list for this item."
    with pytest.raises(NotFound):
        service.add_speaker(meeting, 999999, item.id, "normal", None)
    other = make_meeting("other-body", status=Meeting.LIVE)
    stranger = add_member(other, "stranger", seat="X1")
    db.session.flush()
    with pytest.raises(NotFound):   # someone of another meeting is not this meeting's to seat on its list
        service.add_speaker(meeting, stranger.id, item.id, "normal", None)
    with pytest.raises(BadInput):
        service.add_speaker(meeting, d1.id, item.id, "shout", None)
    # the observer who may not ask still has the floor when the chair gives it
    service.give_floor(meeting, item.id, guest.id, None)
    assert service.snapshot(meeting.id)["speaking"]["seat"] == "O1"
    db.session.commit()
    added = entries(meeting.id, "speakers.added")
    assert [(e.actor_id, e.detail["membership_id"]) for e in added] == [(_m(room.chair).user_id, observer.id),
                                                                          (_m(room.chair).user_id, d2.id)]


def test_the_chair_gives_a_speech_more_time_and_every_timer_moves(room):
    meeting, item = _meeting(room), _item(room)
    with pytest.raises(InvalidTransition):
        service.add_time(meeting, 60, None)   # nobody speaking
    service.request_floor(meeting, _m(room.delegates[0]), item.id)
    started = service.give_floor(meeting, item.id, None, None).started_at
    ends = service.snapshot(meeting.id)["speaking"]["ends_at"]
    assert ends == (started + timedelta(seconds=180)).isoformat() + "Z"
    service.add_time(meeting, 60, _m(room.chair).user_id)
    assert service.snapshot(meeting.id)["speaking"]["ends_at"] == (started + timedelta(seconds=240)).isoformat() + "Z"
    service.add_time(meeting, -30, None)
    assert service.current_speaker(meeting.id).limit_seconds == 210
    for seconds in (0, 601, -601, -201):   # nothing, too much at once, below 10 seconds
        with pytest.raises(BadInput):
            service.add_time(meeting, seconds, None)
    assert service.current_speaker(meeting.id).limit_seconds == 210
    # the meeting's default for the next speakers is not touched
    assert service.settings_for(meeting.id).limit_seconds == 180
    db.session.commit()
    assert [(e.detail["seconds"], e.detail["limit_seconds"]) for e in entries(meeting.id, "speakers.time")] == [
        (60, 240), (-30, 210)]


def test_the_chair_stops_the_clock_and_the_pause_is_not_speaking_time(room):
    meeting, item = _meeting(room), _item(room)
    with pytest.raises(InvalidTransition):
        service.pause(meeting, None)   # nobody speaking
    service.request_floor(meeting, _m(room.delegates[0]), item.id)
    t0 = utcnow() - timedelta(minutes=10)
    service.give_floor(meeting, item.id, None, None, now=t0)
    service.pause(meeting, _m(room.chair).user_id, now=t0 + timedelta(seconds=50))
    shown = service.snapshot(meeting.id)["speaking"]
    # every screen's clock stands at 2:10 of 3:00, whatever the time now
    assert (shown["paused"], shown["remaining_seconds"], shown["ends_at"]) == (True, 130, None)
    with pytest.raises(InvalidTransition):
        service.pause(meeting, None)
    service.resume(meeting, None, now=t0 + timedelta(seconds=170))   # held two minutes
    shown = service.snapshot(meeting.id)["speaking"]
    assert (shown["paused"], shown["paused_seconds"], shown["remaining_seconds"]) == (False, 120, None)
    assert shown["ends_at"] == (t0 + timedelta(seconds=180 + 120)).isoformat() + "Z"
    with pytest.raises(InvalidTransition):
        service.resume(meeting, None)
    # held again and ended while held: the minutes count the 50 + 30 s spoken, not the pauses
    service.pause(meeting, None, now=t0 + timedelta(seconds=200))
    service.end_speech(meeting, None, now=t0 + timedelta(seconds=400))
    db.session.commit()
    assert [(s["seconds"], s["running"]) for s in service.speeches_for_item(item.id)] == [(80, False)]
    assert len(entries(meeting.id, "speakers.paused")) == 2
    assert [e.detail["paused_seconds"] for e in entries(meeting.id, "speakers.resumed")] == [120]
    assert [e.detail["seconds"] for e in entries(meeting.id, "speakers.ended")] == [80]
