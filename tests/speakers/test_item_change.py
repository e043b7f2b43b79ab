"""The agenda moves on: when the chair opens another item, the speech on the item left ends (recorded as the
chair's end of speech), every screen hears of it, and the waiting requests stay on their item's list."""
from datetime import timedelta

import sqlalchemy as sa

from app.audit.service import entries
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership
from app.speakers import service
from app.speakers.models import SpeakerRequest
from app.timeutil import utcnow


def _items(app, room):
    with app.app_context():
        return list(db.session.scalars(sa.select(AgendaItem.id).where(AgendaItem.meeting_id == room.meeting_id)
                                       .order_by(AgendaItem.position)))


def _user_of(app, membership_id):
    with app.app_context():
        return db.session.get(Membership, membership_id).user_id


def test_release_floor_ends_only_a_speech_on_another_item(room):
    meeting = db.session.get(Meeting, room.meeting_id)
    item, other = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                     .order_by(AgendaItem.position)).all()
    d1, d2 = (db.session.get(Membership, m) for m in room.delegates[:2])
    assert service.release_floor(meeting, other.id, None) is None   # nobody has the floor
    service.request_floor(meeting, d1, item.id)
    service.request_floor(meeting, d2, item.id)
    t0 = utcnow() - timedelta(minutes=5)
    speech = service.give_floor(meeting, item.id, None, None, now=t0)
    assert service.release_floor(meeting, item.id, None) is None     # the same item opened again: speaking on
    assert service.current_speaker(meeting.id).id == speech.id

    ended = service.release_floor(meeting, other.id, None, now=t0 + timedelta(seconds=235))
    db.session.commit()
    assert ended.id == speech.id and ended.status == SpeakerRequest.DONE
    assert service.current_speaker(meeting.id) is None
    assert service.snapshot(meeting.id)["speaking"] is None
    assert [(s["seat"], s["seconds"], s["running"]) for s in service.speeches_for_item(item.id)] == [("D1", 235, False)]
    assert [r["seat"] for r in service.queue(meeting.id, item.id)["waiting"]] == ["D2"]   # still waiting on item 1
    assert service.queue(meeting.id, other.id) == {"item_id": other.id, "speaking": None, "waiting": [], "done": 0}
    [audit] = entries(meeting.id, "speakers.ended")
    assert audit.detail == {"request_id": speech.id, "item_id": item.id, "seconds": 235}


def test_opening_another_item_ends_the_speech_on_every_screen_and_in_the_record(app, live_room, device):
    room = live_room
    item, other = _items(app, room)
    chair, d1, d2, wall_like = device("chair"), device("delegate-1"), device("delegate-2"), device("delegate-3")
    for d in (chair, d1, d2, wall_like):
        d.join(room.meeting_id)
    assert chair.ack("chair.open_item", {"meeting": room.meeting_id, "item": item})["ok"]
    assert d1.ack("speakers.request", {"meeting": room.meeting_id, "item": item})["ok"]
    poo = d2.ack("speakers.request", {"meeting": room.meeting_id, "item": item, "kind": "point_of_order"})
    assert chair.ack("speakers.floor", {"meeting": room.meeting_id, "item": item})["request"] == poo["request"]
    assert wall_like.deltas("speakers")[-1]["data"]["speaking"]["seat"] == "D2"

    opened = chair.ack("chair.open_item", {"meeting": room.meeting_id, "item": other})
    assert opened["ok"], opened
    last = wall_like.deltas("speakers")[-1]
    assert last["data"]["speaking"] is None and last["seq"] == opened["seq"] + 1   # right after the item
    assert [w["seat"] for w in last["data"]["queues"][str(item)]] == ["D1"]      # item 1's list kept
    # a screen that (re)connects now gets the same from its snapshot
    snap = device("secretary").join(room.meeting_id)
    assert snap["current_item"] == other and snap["speakers"]["speaking"] is None
    assert [w["seat"] for w in snap["speakers"]["queues"][str(item)]] == ["D1"]
    assert snap["seq"] == last["seq"]
    with app.app_context():
        [speech] = service.speeches_for_item(item)
        assert speech["seat"] == "D2" and speech["kind"] == "point_of_order"
        assert speech["ended_at"] and speech["running"] is False and isinstance(speech["seconds"], int)
        [audit] = entries(room.meeting_id, "speakers.ended")
        assert audit.actor_id == _user_of(app, room.chair)
        assert audit.detail["request_id"] == poo["request"] and audit.detail["item_id"] == item
    # and the chair can give the floor again right away (one speaker per meeting)
    assert chair.ack("speakers.floor", {"meeting": room.meeting_id, "item": item})["ok"]


def test_next_item_releases_the_floor_and_opening_the_same_item_again_does_not(app, live_room, device):
    room = live_room
    item, other = _items(app, room)
    secretary, d1 = device("secretary"), device("delegate-1")
    chair = device("chair")
    for d in (secretary, d1, chair):
        d.join(room.meeting_id)
    assert chair.ack("chair.next_item", {"meeting": room.meeting_id})["item"] == item
    assert d1.ack("speakers.request", {"meeting": room.meeting_id, "item": item})["ok"]
    assert chair.ack("speakers.floor", {"meeting": room.meeting_id, "item": item})["ok"]
    before = len(d1.deltas("speakers"))

    assert chair.ack("chair.open_item", {"meeting": room.meeting_id, "item": item})["ok"]   # the same item again
    assert len(d1.deltas("speakers")) == before
    assert d1.ack("live.snapshot", {"meeting": room.meeting_id})["snapshot"]["speakers"]["speaking"]["seat"] == "D1"

    moved = secretary.ack("chair.next_item", {"meeting": room.meeting_id})   # staff other than the chair too
    assert moved["ok"] and moved["item"] == other
    assert d1.deltas("speakers")[-1]["data"]["speaking"] is None
    with app.app_context():
        [audit] = entries(room.meeting_id, "speakers.ended")
        assert audit.actor_id == _user_of(app, room.secretary)
        assert db.session.scalar(sa.select(SpeakerRequest.status).where(SpeakerRequest.item_id == item)) == "done"
