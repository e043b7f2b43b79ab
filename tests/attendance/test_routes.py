"""Attendance over HTTP: who may do what, the scan endpoint, the board, the CSV, and the live deltas."""
from datetime import datetime, timedelta, timezone

import pytest

from app.attendance import service
from app.attendance.models import AttendanceSettings
from app.extensions import db
from app.meetings.models import Meeting, Membership


def _json(response):
    assert response.is_json, response.get_data(as_text=True)[:300]
    return response.get_json()


def test_scan_checks_in_the_holder_and_the_secretary_stays_herself(client, auth, room):
    auth.login("secretary")
    d1 = room.delegates[0]
    reply = _json(client.post("/api/meetings/council/attendance/scan", json={"code": f"http://dais.test/t/{room.badges[d1]}"}))
    assert reply["ok"] and reply["member"]["seat"] == "D1" and reply["member"]["status"] == "present"
    assert reply["quorum"]["present_members"] == 1
    # still the secretary: she can open the staff pages, and her name is on the page
    page = client.get("/meetings/council/checkin")
    assert page.status_code == 200 and "Secretary" in page.get_data(as_text=True)
    again = client.post("/api/meetings/council/attendance/scan", json={"code": room.badges[d1]})
    assert again.status_code == 409 and "already checked in" in _json(again)["message"]


def test_bad_scans_are_refused_with_a_sentence(client, auth, room):
    auth.login("secretary")
    for code, status, words in [("nonsense words", 400, "not a Dais badge"),
                                ("bAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 404, "forged")]:
        reply = client.post("/api/meetings/council/attendance/scan", json={"code": code})
        assert reply.status_code == status and words in _json(reply)["message"]
    for body in [None, [], {"code": 5}, {"code": "x", "extra": 1}, {"code": ""}]:
        reply = client.post("/api/meetings/council/attendance/scan", json=body)
        assert reply.status_code == 400 and _json(reply)["ok"] is False, body
    assert _json(client.get("/api/meetings/council/attendance"))["quorum"]["present_members"] == 0


def _rename(room, names: dict[int, str]) -> None:
    for mid, name in names.items():
        db.session.get(Membership, mid).user.name = name
    db.session.commit()


def test_a_seat_or_name_typed_at_the_door_checks_in_its_one_member_or_offers_the_namesakes(client, auth, room):
    """The door's field: one member fits, checked in; several, offered (nobody checked in) and the one chosen is
    marked by their membership id; nobody, a sentence; every time the server decides."""
    _rename(room, {room.delegates[0]: "Nguyễn Văn An", room.delegates[1]: "Nguyễn Văn An",
                   room.delegates[2]: "Trần Thị Bình"})
    auth.login("secretary")
    typed = "/api/meetings/council/attendance/typed"
    one = _json(client.post(typed, json={"text": "tran thi binh"}))
    assert one["ok"] and one["member"]["seat"] == "D3" and one["member"]["method"] == "manual"
    assert one["quorum"]["present_members"] == 1
    assert _json(client.post(typed, json={"text": "d4"}))["member"]["name"] == "Delegate 4"
    several = _json(client.post(typed, json={"text": "Nguyen Van An"}))
    assert several["ok"] and "member" not in several and several["more"] == 0
    assert [(c["seat"], c["status"]) for c in several["candidates"]] == [("D1", "absent"), ("D2", "absent")]
    assert _json(client.get("/api/meetings/council/attendance"))["quorum"]["present_members"] == 2
    chosen = _json(client.post(f"/api/meetings/council/attendance/{several['candidates'][1]['membership_id']}",
                               json={"action": "present"}))
    assert chosen["member"]["seat"] == "D2" and chosen["member"]["status"] == "present"
    none = client.post(typed, json={"text": "Nobody Here"})
    assert none.status_code == 404 and "has the seat or name “Nobody Here”" in _json(none)["message"]
    again = client.post(typed, json={"text": "D3"})
    assert again.status_code == 409 and "already checked in" in _json(again)["message"]
    assert _json(client.post(typed, json={"text": room.badges[room.delegates[3]]})).get("ok") is False  # D4 is in
    for body in [None, {}, {"text": ""}, {"text": 5}, {"text": "d1", "extra": 1}, {"text": "x" * 501}, []]:
        reply = client.post(typed, json=body)
        assert reply.status_code == 400 and _json(reply)["ok"] is False, body
    assert _json(client.get("/api/meetings/council/attendance"))["quorum"]["present_members"] == 3


def test_typing_at_the_door_is_for_staff_only(client, auth, room):
    auth.badge(room.badges[room.delegates[0]])
    reply = client.post("/api/meetings/council/attendance/typed", json={"text": "D2"},
                        headers={"Accept": "application/json"})
    assert reply.status_code == 403
    auth.logout()
    auth.login("secretary")
    assert _json(client.get("/api/meetings/council/attendance"))["quorum"]["present_members"] == 0


def test_delegates_cannot_use_staff_endpoints(client, auth, room):
    auth.badge(room.badges[room.delegates[0]])
    for method, path, body in [
        ("post", "/api/meetings/council/attendance/scan", {"code": room.badges[room.delegates[1]]}),
        ("post", f"/api/meetings/council/attendance/{room.delegates[1]}", {"action": "present"}),
        ("post", "/api/meetings/council/attendance/settings", {"self_checkin": False}),
        ("get", "/meetings/council/checkin", None),
        ("get", "/meetings/council/attendance", None),
        ("get", "/meetings/council/attendance.csv", None),
    ]:
        reply = getattr(client, method)(path, json=body, headers={"Accept": "application/json"})
        assert reply.status_code == 403, path
    mine = _json(client.get("/api/meetings/council/attendance"))
    assert "board" not in mine and mine["me"]["status"] == "absent"


def test_the_secretary_may_not_turn_off_self_check_in_but_the_chair_may(client, auth, room):
    auth.login("secretary")
    # the board shows the secretary the rule, greyed, and whose it is: no Save button that could only be refused
    rule = client.get("/meetings/council/attendance").get_data(as_text=True).split('id="settings-form"')[1]
    rule = rule.split("</form>")[0]
    assert '<fieldset class="plain-fieldset stack" disabled>' in rule and 'type="submit"' not in rule
    assert "Only the chair (or an administrator) changes the quorum rule." in rule
    assert client.post("/api/meetings/council/attendance/settings", json={"self_checkin": False}).status_code == 403
    auth.logout()
    auth.login("chair")
    rule = client.get("/meetings/council/attendance").get_data(as_text=True).split('id="settings-form"')[1]
    rule = rule.split("</form>")[0]
    assert "disabled" not in rule and '<button class="btn btn-primary" type="submit">Save</button>' in rule
    assert _json(client.post("/api/meetings/council/attendance/settings", json={"self_checkin": False}))["ok"]
    auth.logout()
    auth.badge(room.badges[room.delegates[0]])
    reply = client.post("/api/meetings/council/attendance/self")
    assert reply.status_code == 403 and "turned off" in _json(reply)["message"]


def test_self_check_in(client, auth, room):
    auth.badge(room.badges[room.delegates[2]])
    reply = _json(client.post("/api/meetings/council/attendance/self"))
    assert reply["member"]["status"] == "present" and reply["quorum"]["present_weight"] == 2
    assert _json(client.get("/api/meetings/council/attendance"))["me"]["status"] == "present"


def test_mark_by_hand_and_undo(client, auth, room):
    auth.login("secretary")
    url = f"/api/meetings/council/attendance/{room.delegates[1]}"
    assert _json(client.post(url, json={"action": "excused", "excuse": "Ill"}))["member"]["excuse"] == "Ill"
    no_reason = client.post(url, json={"action": "excused"})
    assert no_reason.status_code == 400 and "reason" in _json(no_reason)["message"]
    assert _json(client.post(url, json={"action": "undo"}))["member"]["status"] == "absent"
    assert client.post(url, json={"action": "fly"}).status_code == 400
    assert client.post("/api/meetings/council/attendance/99999", json={"action": "present"}).status_code == 404


def test_loose_types_and_form_posts_are_refused_and_change_nothing(client, auth, room):
    auth.login("chair")
    settings = "/api/meetings/council/attendance/settings"
    for body in [{"quorum_strict": "yes"}, {"self_checkin": 0}, {"quorum_num": "2"}, {"quorum_den": 2.0}]:
        reply = client.post(settings, json=body)
        field = next(iter(body))
        assert reply.status_code == 400 and f"“{field}”" in _json(reply)["message"], body
    form = client.post(settings, data={"self_checkin": "false"})
    assert form.status_code == 400 and "JSON object" in _json(form)["message"]
    mark = f"/api/meetings/council/attendance/{room.delegates[1]}"
    assert client.post(mark, data={"action": "present"}).status_code == 400
    assert client.post(mark, json={"action": "left", "at": 1700000000}).status_code == 400
    assert client.post(mark, json={"action": "excused", "excuse": 5}).status_code == 400
    state = _json(client.get("/api/meetings/council/attendance"))
    assert state["quorum"]["present_members"] == 0 and all(r["status"] == "absent" for r in state["board"])
    assert service.settings_for(room.meeting_id).self_checkin is True
    # the same fields with the right types go through
    assert _json(client.post(settings, json={"quorum_strict": False, "quorum_num": 2, "quorum_den": 3}))["ok"]
    assert _json(client.post(mark, json={"action": "present"}))["member"]["status"] == "present"
    left = _json(client.post(mark, json={"action": "left", "at": datetime.now(timezone.utc).isoformat()}))["member"]
    assert left["status"] == "left"


def test_board_page_and_csv(client, auth, room):
    auth.login("chair")
    client.post(f"/api/meetings/council/attendance/{room.delegates[0]}", json={"action": "present"})
    page = client.get("/meetings/council/attendance").get_data(as_text=True)
    assert "Quorum" in page and "Delegate 1" in page
    csv = client.get("/meetings/council/attendance.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].lstrip("\ufeff").startswith("seat,name") and any(l.startswith("D1,Delegate 1,delegate,1,present") for l in lines)


def test_changes_reach_the_room_as_live_deltas(app, live_room, device):
    room = live_room
    staff, delegate = device("secretary"), device("delegate-1")
    staff.join(room.meeting_id)
    delegate.join(room.meeting_id)
    reply = staff.http.post("/api/meetings/council/attendance/scan", json={"code": room.badges[room.delegates[3]]})
    assert reply.get_json()["ok"]
    quorum = delegate.deltas("attendance.quorum")
    assert len(quorum) == 1 and quorum[0]["data"]["quorum"]["present_weight"] == 3 and isinstance(quorum[0]["seq"], int)
    assert delegate.deltas("attendance.row") == []  # the lines are for staff only
    (row,) = staff.deltas("attendance.row")
    assert (row["data"]["row"]["seat"], row["data"]["row"]["status"]) == ("D4", "present")


OUT_OF_RANGE = ("The request was not understood: “at” is too far in the past or the future; give the time the member "
                "left, such as 2026-12-03T14:05+01:00.")


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_of_leaving_outside_the_calendar_is_refused_and_changes_nothing(app, client, auth, live_room, at):
    auth.login("secretary")
    url = f"/api/meetings/council/attendance/{live_room.delegates[0]}"
    assert _json(client.post(url, json={"action": "present"}))["member"]["status"] == "present"
    reply = client.post(url, json={"action": "left", "at": at})
    assert (reply.status_code, _json(reply)) == (400, {"ok": False, "error": "bad_input", "message": OUT_OF_RANGE})
    with app.app_context():
        assert service.my_status(live_room.meeting_id, live_room.delegates[0]) == "present"
    # a time with its zone, after the arrival and not in the future, is taken (as UTC)
    now = datetime.now(timezone(timedelta(hours=1)))
    left = _json(client.post(url, json={"action": "left", "at": now.isoformat()}))["member"]
    assert left["status"] == "left" and left["left_at"] == now.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def test_a_closed_meeting_s_attendance_settings_cannot_change(app, client, auth, live_room):
    with app.app_context():
        db.session.get(Meeting, live_room.meeting_id).status = Meeting.CLOSED
        db.session.commit()
    auth.login("chair")
    reply = client.post("/api/meetings/council/attendance/settings",
                        json={"self_checkin": False, "quorum_num": 2, "quorum_den": 3})
    assert (reply.status_code, _json(reply)) == (409, {
        "ok": False, "error": "invalid_transition",
        "message": "This meeting is closed; its attendance is part of the record and can no longer change."})
    quorum = _json(client.get("/api/meetings/council/attendance"))["quorum"]
    assert (quorum["self_checkin"], quorum["fraction"]) == (True, [1, 2])
    with app.app_context():
        assert db.session.get(AttendanceSettings, live_room.meeting_id) is None


def test_a_weight_changed_on_the_roster_reaches_the_board_and_the_quorum_live(app, live_room, device):
    room = live_room
    staff, delegate = device("secretary"), device("delegate-1")
    staff.join(room.meeting_id)
    delegate.join(room.meeting_id)
    assert staff.http.post("/api/meetings/council/attendance/scan",
                           json={"code": room.badges[room.delegates[3]]}).get_json()["ok"]
    assert delegate.deltas("attendance.quorum")[-1]["data"]["quorum"]["present_weight"] == 3
    changed = staff.http.post(f"/meetings/council/members/{room.delegates[3]}",
                              data={"name": "ignored", "seat": "D4", "role": "delegate", "weight": "5"})
    assert changed.status_code == 302
    assert delegate.deltas("attendance.quorum")[-1]["data"]["quorum"]["present_weight"] == 5
    board = staff.deltas("attendance.board")[-1]["data"]["board"]   # many lines may change: the board comes whole
    assert next(r for r in board if r["seat"] == "D4")["vote_weight"] == 5
    assert delegate.deltas("attendance.board") == []
