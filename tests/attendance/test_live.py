"""What the screens of the live room receive from attendance: the line of the member who changed, never the
whole board (at a congress of 500 that was 120 KB to every staff screen per check-in), and no board at join."""
import json

from app.extensions import db
from app.meetings.models import Meeting
from tests.factories import add_member


def _crowd(app, meeting_id: int, count: int) -> None:
    """`count` more delegates, so that a board sent whole would show in the size of a delta."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        for n in range(count):
            add_member(meeting, f"member-{n:03d}", "delegate", f"M{n:03d}", password=None)
        db.session.commit()
        db.session.remove()


def test_a_check_in_sends_the_staff_that_members_line_and_not_the_board(app, live_room, device):
    room = live_room
    _crowd(app, room.meeting_id, 200)
    staff, delegate = device("secretary"), device("delegate-1")
    for snapshot in (staff.join(room.meeting_id), delegate.join(room.meeting_id)):
        assert set(snapshot["attendance"]) == {"quorum", "me"}   # no screen built on the snapshot shows the board
    reply = staff.http.post("/api/meetings/council/attendance/scan", json={"code": room.badges[room.delegates[3]]})
    reply = reply.get_json()
    (row,) = staff.deltas("attendance.row")
    assert row["seq"] is None and row["data"] == {"row": reply["member"]}
    assert (row["data"]["row"]["seat"], row["data"]["row"]["status"]) == ("D4", "present")
    assert len(json.dumps(row)) < 600, "one member's line, whatever the size of the roster (206 members here)"
    (quorum,) = staff.deltas("attendance.quorum")   # the quorum once, with the meeting's seq
    assert quorum["data"]["quorum"] == reply["quorum"] and quorum["data"]["quorum"]["present_weight"] == 3
    assert staff.deltas("attendance.board") == []
    assert delegate.deltas("attendance.row") == [] and delegate.deltas("attendance.board") == []
    assert delegate.deltas("attendance.quorum")[-1]["data"]["quorum"]["present_members"] == 1


def test_every_change_of_one_member_sends_their_line_only(app, live_room, device):
    room = live_room
    secretary, chair, d3 = device("secretary"), device("chair"), device("delegate-3")
    for dev in (secretary, chair, d3):
        dev.join(room.meeting_id)
    d1, d2 = room.delegates[:2]
    mark = lambda membership, action, **more: secretary.ack(  # noqa: E731
        "attendance.mark", {"meeting": room.meeting_id, "membership": membership, "action": action, **more})
    assert secretary.ack("attendance.scan", {"meeting": room.meeting_id, "code": room.badges[d1]})["ok"]
    assert mark(d1, "left")["ok"] and mark(d2, "excused", excuse="ill")["ok"] and mark(d2, "undo")["ok"]
    assert d3.ack("attendance.self_check_in", {"meeting": room.meeting_id})["ok"]
    assert chair.http.post(f"/api/meetings/council/attendance/{d1}", json={"action": "present"}).get_json()["ok"]
    expected = [("D1", "present"), ("D1", "left"), ("D2", "excused"), ("D2", "absent"), ("D3", "present"),
                ("D1", "present")]
    for dev in (secretary, chair):   # every staff screen, the device that made the change too
        lines = [d["data"]["row"] for d in dev.deltas("attendance.row")]
        assert [(r["seat"], r["status"]) for r in lines] == expected
        assert dev.deltas("attendance.board") == []
    assert d3.deltas("attendance.row") == [] and d3.deltas("attendance.me")[-1]["data"] == {"status": "present"}
    # a new quorum rule changes no line: the quorum only
    assert chair.http.post("/api/meetings/council/attendance/settings", json={"quorum_num": 2, "quorum_den": 3}).get_json()["ok"]
    assert secretary.deltas("attendance.quorum")[-1]["data"]["quorum"]["fraction"] == [2, 3]
    assert len(secretary.deltas("attendance.row")) == len(expected) and secretary.deltas("attendance.board") == []


def test_the_check_in_page_carries_the_quorum_and_not_the_board(client, auth, room):
    auth.login("secretary")
    checkin = client.get("/meetings/council/checkin").get_data(as_text=True)
    assert "Quorum" in checkin and "Delegate 4" not in checkin
    board = client.get("/meetings/council/attendance").get_data(as_text=True)
    assert board.count("Delegate 4") == 1   # the board page draws its rows once, not again in its script's JSON
