"""The speakers list over Socket.IO: a delegate queues, the chair runs the list, every screen follows."""
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import AgendaItem


def _items(app, room):
    with app.app_context():
        return list(db.session.scalars(sa.select(AgendaItem.id).where(AgendaItem.meeting_id == room.meeting_id)
                                       .order_by(AgendaItem.position)))


def test_delegate_queues_and_the_chair_runs_the_list(app, live_room, device):
    room = live_room
    item, other = _items(app, room)
    chair, d1, d2 = device("chair"), device("delegate-1"), device("delegate-2")
    snap = d1.join(room.meeting_id)
    assert snap["speakers"]["speaking"] is None and snap["speakers"]["limit_seconds"] == 180
    assert snap["speakers"]["my_membership_id"] == room.delegates[0]
    assert snap["attendance"]["quorum"]["total_members"] == 6 and "board" not in snap["attendance"]
    assert "board" not in chair.join(room.meeting_id)["attendance"]   # the board page reads it over HTTP
    d2.join(room.meeting_id)

    a = d1.ack("speakers.request", {"meeting": room.meeting_id, "item": item})
    assert a["ok"]
    b = d2.ack("speakers.request", {"meeting": room.meeting_id, "item": item, "kind": "point_of_order"})
    assert b["ok"]
    again = d1.ack("speakers.request", {"meeting": room.meeting_id, "item": item})
    assert again == {"ok": False, "error": "conflict", "message": "You are already on the list for this item."}
    waiting = chair.deltas("speakers")[-1]["data"]["queues"][str(item)]
    assert [w["seat"] for w in waiting] == ["D2", "D1"]  # the point of order jumped the queue

    assert chair.ack("speakers.reorder", {"meeting": room.meeting_id, "item": item,
                                          "order": [a["request"], b["request"]]})["ok"]
    assert chair.ack("speakers.floor", {"meeting": room.meeting_id, "item": item})["ok"]
    delta = d2.deltas("speakers")[-1]
    assert delta["data"]["speaking"]["seat"] == "D1" and isinstance(delta["seq"], int)
    assert delta["data"]["speaking"]["ends_at"] and delta["data"]["server_now"]
    assert chair.ack("speakers.end", {"meeting": room.meeting_id})["ok"]
    # a reconnecting screen gets the same state from the snapshot
    later = device("delegate-3").join(room.meeting_id)
    assert later["speakers"]["speaking"] is None and [w["seat"] for w in later["speakers"]["queues"][str(item)]] == ["D2"]
    assert d2.ack("speakers.withdraw", {"meeting": room.meeting_id, "request": b["request"]})["ok"]


def test_refusals_come_back_as_error_acks(app, live_room, device):
    room = live_room
    item, _ = _items(app, room)
    d1, observer, chair = device("delegate-1"), device("observer"), device("chair")
    for d in (d1, observer, chair):
        d.join(room.meeting_id)
    cases = [
        (d1, "speakers.floor", {"meeting": room.meeting_id, "item": item}, "forbidden"),
        (d1, "speakers.end", {"meeting": room.meeting_id}, "forbidden"),
        (d1, "speakers.reorder", {"meeting": room.meeting_id, "item": item, "order": []}, "forbidden"),
        (observer, "speakers.request", {"meeting": room.meeting_id, "item": item}, "forbidden"),
        (d1, "speakers.request", {"meeting": room.meeting_id, "item": "7"}, "bad_input"),
        (d1, "speakers.request", {"meeting": room.meeting_id, "item": item, "kind": "shout"}, "bad_input"),
        (d1, "speakers.request", {"meeting": room.meeting_id, "item": 999999}, "not_found"),
        (d1, "speakers.request", ["not", "an", "object"], "bad_input"),
        (chair, "speakers.end", {"meeting": room.meeting_id}, "invalid_transition"),
        (chair, "speakers.floor", {"meeting": room.meeting_id, "item": item}, "invalid_transition"),
        (chair, "speakers.settings", {"meeting": room.meeting_id, "limit_seconds": 5}, "bad_input"),
    ]
    for dev, event, payload, code in cases:
        reply = dev.ack(event, payload)
        assert reply["ok"] is False and reply["error"] == code and reply["message"], (event, payload, reply)
    assert chair.ack("speakers.settings", {"meeting": room.meeting_id, "limit_seconds": 120, "warn_seconds": 15})["ok"]
    assert d1.deltas("speakers")[-1]["data"]["limit_seconds"] == 120


def test_attendance_events(app, live_room, device):
    room = live_room
    secretary, d1 = device("secretary"), device("delegate-1")
    assert secretary.join(room.meeting_id)["attendance"]["me"] == {"status": "absent", "staff": True, "self_checkin": True}
    assert d1.join(room.meeting_id)["attendance"]["me"] == {"status": "absent", "staff": False, "self_checkin": True}
    scan = d1.ack("attendance.scan", {"meeting": room.meeting_id, "code": room.badges[room.delegates[1]]})
    assert scan["ok"] is False and scan["error"] == "forbidden"
    ok = secretary.ack("attendance.scan", {"meeting": room.meeting_id, "code": room.badges[room.delegates[1]]})
    assert ok["ok"] and ok["member"]["seat"] == "D2"
    assert d1.deltas("attendance.quorum")[-1]["data"]["quorum"]["present_members"] == 1
    assert d1.ack("attendance.self_check_in", {"meeting": room.meeting_id})["ok"]
    assert d1.deltas("attendance.me")[-1]["data"] == {"status": "present"}
    row = secretary.deltas("attendance.row")[-1]["data"]["row"]   # the one line that changed, not the board
    assert (row["seat"], row["status"]) == ("D1", "present")
    left = secretary.ack("attendance.mark", {"meeting": room.meeting_id, "membership": room.delegates[0],
                                             "action": "left", "at": "2020-01-01T10:00:00"})
    assert left["ok"] is False and left["error"] == "bad_input"  # a time without a zone is refused
    assert secretary.ack("attendance.mark", {"meeting": room.meeting_id, "membership": room.delegates[0],
                                             "action": "left"})["member"]["status"] == "left"


def test_the_chair_adds_a_speaker_and_time_and_every_screen_follows(app, live_room, device):
    room = live_room
    item, _ = _items(app, room)
    chair, d1 = device("chair"), device("delegate-1")
    snap = chair.join(room.meeting_id)
    observer_row = next(r for r in snap["roster"] if r["seat"] == "O1")
    assert observer_row["membership_id"] == room.observer   # the console finds people by it
    d1.join(room.meeting_id)
    assert d1.ack("speakers.add", {"meeting": room.meeting_id, "item": item, "member": room.observer})["error"] == "forbidden"
    added = chair.ack("speakers.add", {"meeting": room.meeting_id, "item": item, "member": room.observer})
    assert added["ok"] and added["request"]
    assert [w["seat"] for w in d1.deltas("speakers")[-1]["data"]["queues"][str(item)]] == ["O1"]
    for payload, code in [({"item": item, "member": 999999}, "not_found"), ({"item": item}, "bad_input"),
                          ({"item": item, "member": room.observer}, "conflict")]:
        assert chair.ack("speakers.add", {"meeting": room.meeting_id, **payload})["error"] == code
    assert chair.ack("speakers.floor", {"meeting": room.meeting_id, "item": item})["ok"]
    before = d1.deltas("speakers")[-1]["data"]["speaking"]
    assert d1.ack("speakers.time", {"meeting": room.meeting_id, "seconds": 60})["error"] == "forbidden"
    assert chair.ack("speakers.time", {"meeting": room.meeting_id, "seconds": 60})["ok"]
    after = d1.deltas("speakers")[-1]["data"]["speaking"]
    assert (before["limit_seconds"], after["limit_seconds"]) == (180, 240) and after["ends_at"] > before["ends_at"]
    assert chair.ack("speakers.time", {"meeting": room.meeting_id, "seconds": "60"})["error"] == "bad_input"


def test_the_chair_stops_and_starts_the_clock_for_every_screen(app, live_room, device):
    room = live_room
    item, _ = _items(app, room)
    chair, d1 = device("chair"), device("delegate-1")
    chair.join(room.meeting_id)
    d1.join(room.meeting_id)
    assert chair.ack("speakers.pause", {"meeting": room.meeting_id})["error"] == "invalid_transition"
    assert d1.ack("speakers.request", {"meeting": room.meeting_id, "item": item})["ok"]
    assert chair.ack("speakers.floor", {"meeting": room.meeting_id, "item": item})["ok"]
    assert d1.ack("speakers.pause", {"meeting": room.meeting_id})["error"] == "forbidden"
    assert chair.ack("speakers.pause", {"meeting": room.meeting_id})["ok"]
    held = d1.deltas("speakers")[-1]["data"]["speaking"]
    assert held["paused"] is True and held["ends_at"] is None and 170 <= held["remaining_seconds"] <= 180
    assert chair.ack("speakers.pause", {"meeting": room.meeting_id})["error"] == "invalid_transition"
    assert chair.ack("speakers.resume", {"meeting": room.meeting_id, "extra": 1})["error"] == "bad_input"
    assert chair.ack("speakers.resume", {"meeting": room.meeting_id})["ok"]
    running = d1.deltas("speakers")[-1]["data"]["speaking"]
    assert running["paused"] is False and running["ends_at"] and running["remaining_seconds"] is None
