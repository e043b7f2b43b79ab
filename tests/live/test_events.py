"""The live room's socket events: joining, chair events, refusals, validation, rate limits."""
from __future__ import annotations

import logging

import pytest

from app.extensions import db, socketio
from app.meetings.models import Meeting
from tests.documents.conftest import upload
from tests.factories import add_member, make_pdf


def test_anonymous_connect_is_refused(app, room):
    anon = socketio.test_client(app, flask_test_client=app.test_client())
    assert not anon.is_connected()


def test_join_sends_one_snapshot_of_the_whole_state(room, sock):
    snap = sock("del1").join(room.meeting)
    assert snap["meeting"]["slug"] == "council" and snap["meeting"]["status"] == "scheduled"
    assert [i["title"] for i in snap["agenda"]] == ["Item 1", "Item 2", "Item 3"]
    assert snap["agenda"][0]["documents"][0] == {"id": room.doc, "title": "Budget", "pages": 5,
                                                 "sha256": snap["agenda"][0]["documents"][0]["sha256"],
                                                 "item_id": room.items[0]}
    assert snap["current_item"] is None and snap["presented"] is None and snap["seq"] == 0
    assert snap["me"]["role"] == "delegate" and not snap["me"]["is_staff"] and snap["me"]["can_vote"] is True
    assert "roster" not in snap and "presence" not in snap  # staff only
    assert sock("obs1").join(room.meeting)["me"]["can_vote"] is False   # an observer is not called to a ballot


def test_page_turn_reaches_every_following_tablet_in_order(room, sock):
    chair, d1, d2 = sock("chair1"), sock("del1"), sock("del2")
    for s in (chair, d1, d2):
        s.join(room.meeting)
        s.received()
    assert chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 1}) == {"ok": True, "seq": 1}
    assert chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 2})["seq"] == 2
    for s in (d1, d2, chair):
        got = s.deltas("present")
        assert [(d["seq"], d["data"]["presented"]["page"]) for d in got] == [(1, 1), (2, 2)]
        assert got[-1]["data"]["presented"]["document_id"] == room.doc
        assert got[-1]["data"]["item_id"] == room.items[0]


def test_the_document_meta_rides_only_with_a_change_of_document(room, sock):
    chair, d1 = sock("chair1"), sock("del1")
    for s in (chair, d1):
        s.join(room.meeting)
        s.received()
    chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 1})
    chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 3})
    chair.ack("chair.present", {"meeting": room.meeting, "document": None})
    chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 2})
    got = [d["data"]["presented"] for d in d1.deltas("present")]
    assert got[0]["document"]["title"] == "Budget" and got[0]["document"]["pages"] == 5
    assert "document" not in got[1] and got[1]["page"] == 3
    assert got[2] is None
    assert got[3]["document"]["title"] == "Budget"  # shown again after nothing: the meta comes again
    assert sock("del2").join(room.meeting)["presented"]["document"]["title"] == "Budget"


def test_open_item_and_next_item(room, sock):
    chair, d1 = sock("chair1"), sock("del1")
    chair.join(room.meeting)
    d1.join(room.meeting)
    d1.received()
    assert chair.ack("chair.next_item", {"meeting": room.meeting})["item"] == room.items[0]
    assert chair.ack("chair.next_item", {"meeting": room.meeting})["item"] == room.items[1]
    assert chair.ack("chair.open_item", {"meeting": room.meeting, "item": room.items[2]})["ok"]
    last = chair.ack("chair.next_item", {"meeting": room.meeting})
    assert last["ok"] is False and last["error"] == "invalid_transition" and "last item" in last["message"]
    assert [d["data"]["item_id"] for d in d1.deltas("item")] == room.items
    assert d1.join(room.meeting)["current_item"] == room.items[2]


def test_secretary_and_admin_may_lead(app, room, sock):
    from app.extensions import db
    from tests.factories import make_user

    with app.app_context():
        make_user("root", admin=True)
        db.session.commit()
    assert sock("sec1").ack("chair.next_item", {"meeting": room.meeting})["ok"]
    admin = sock("root")
    assert admin.join(room.meeting)["me"]["role"] == "admin"
    assert admin.ack("chair.next_item", {"meeting": room.meeting})["ok"]


CHAIR_EVENTS = [
    ("chair.present", {"document": 1, "page": 1}),
    ("chair.open_item", {"item": 1}),
    ("chair.next_item", {}),
    ("chair.status", {"status": "live"}),
]


def test_delegates_and_observers_cannot_send_chair_events(room, sock, caplog):
    for who in ("del1", "obs1"):
        s = sock(who)
        s.join(room.meeting)
        for event, payload in CHAIR_EVENTS:
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="dais.live"):
                reply = s.ack(event, {"meeting": room.meeting, **payload})
            assert reply["ok"] is False and reply["error"] == "forbidden", (who, event, reply)
            assert "Only the chair or secretary of this meeting may send" in reply["message"]
            assert any(event in r.getMessage() and "refused" in r.getMessage() for r in caplog.records)
        snap = s.join(room.meeting)
        assert snap["seq"] == 0 and snap["meeting"]["status"] == "scheduled"  # nothing changed


def test_member_of_one_meeting_cannot_join_another(room, sock):
    outsider, chair = sock("outsider"), sock("chair1")
    reply = outsider.ack("meeting.join", {"meeting": room.meeting})
    assert reply == {"ok": False, "error": "forbidden", "message": "You are not a member of this meeting."}
    chair.join(room.meeting)
    outsider.received()
    chair.ack("chair.next_item", {"meeting": room.meeting})
    assert outsider.deltas() == []  # not in the room
    assert outsider.ack("chair.next_item", {"meeting": room.meeting})["error"] == "forbidden"


def bad_present_payloads(r):
    """(payload, error code, words of the message) for chair.present, given the room's ids."""
    m, d = r.meeting, r.doc
    return [
        ({"meeting": str(m), "document": d, "page": 1}, "bad_input", "meeting"),
        ({"meeting": None, "document": d, "page": 1}, "bad_input", "meeting"),
        ({"meeting": -1, "document": d, "page": 1}, "bad_input", "meeting"),
        ({"document": d, "page": 1}, "bad_input", "meeting"),
        ({"meeting": m, "document": str(d), "page": 1}, "bad_input", "document"),
        ({"meeting": m, "document": d, "page": "2"}, "bad_input", "page"),
        ({"meeting": m, "document": d, "page": 1.5}, "bad_input", "page"),
        ({"meeting": m, "document": d, "page": True}, "bad_input", "page"),
        ({"meeting": m, "document": d, "page": -1}, "bad_input", "page"),
        ({"meeting": m, "document": d, "page": 0}, "bad_input", "page"),
        ({"meeting": m, "document": d, "page": 10**9}, "bad_input", "page"),
        ({"meeting": m, "document": d, "page": 6}, "bad_input", "pages 1 to 5"),
        ({"meeting": m, "document": r.other_doc, "page": 1}, "not_found", "not part of this meeting"),
        ({"meeting": m, "document": 999_999, "page": 1}, "not_found", "does not exist"),
        ({"meeting": m, "document": d, "page": 1, "extra": 1}, "bad_input", "extra"),
        ({"meeting": 999_999, "document": d, "page": 1}, "not_found", "meeting does not exist"),
        ({"meeting": m}, "bad_input", "document"),
        ("present", "bad_input", "object"),
        (None, "bad_input", "object"),
        ([1, 2], "bad_input", "object"),
    ]


def test_bad_present_payloads_get_an_error_ack(room, sock):
    chair = sock("chair1")
    chair.join(room.meeting)
    for payload, code, words in bad_present_payloads(room):
        reply = chair.ack("chair.present", payload)
        assert reply["ok"] is False and reply["error"] == code, (payload, reply)
        assert words in reply["message"], (payload, reply)
    snap = chair.join(room.meeting)
    assert snap["presented"] is None and snap["seq"] == 0


def test_item_of_another_meeting_is_refused(room, sock):
    chair = sock("chair1")
    reply = chair.ack("chair.open_item", {"meeting": room.meeting, "item": room.other_item})
    assert reply["error"] == "not_found" and "not on this meeting's agenda" in reply["message"]


def test_oversized_payload_is_refused(room, sock):
    chair = sock("chair1")
    reply = chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 1, "pad": "x" * 10_000})
    assert reply["error"] == "bad_input" and "too large" in reply["message"]


@pytest.mark.parametrize("text", ["\ud800", "A\x00B"])
def test_text_no_database_keeps_is_refused_before_any_handler(room, sock, text):
    chair = sock("chair1")
    chair.join(room.meeting)
    reply = chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 1, "pad": text})
    assert reply == {"ok": False, "error": "bad_input", "message": "The request holds a character that is not text "
                     "(a NUL byte or half of a surrogate pair); remove it and send again."}
    assert chair.join(room.meeting)["presented"] is None


def test_extra_arguments_are_refused(room, sock):
    reply = sock("chair1").ack("chair.next_item", {"meeting": room.meeting}, "surplus")
    assert reply["error"] == "bad_input"


def test_rate_limit_per_connection(app, room, sock):
    from app.live.presence import TokenBucket

    app.extensions["dais_live"].bucket = TokenBucket(rate=0.001, burst=5)
    d1, d2 = sock("del1"), sock("del2")
    replies = [d1.ack("live.snapshot", {"meeting": room.meeting}) for _ in range(8)]
    assert [r.get("error") for r in replies].count("rate_limited") == 3
    assert "Too many messages" in replies[-1]["message"]
    assert d2.ack("meeting.join", {"meeting": room.meeting})["ok"]  # another device has its own bucket


def test_snapshot_request_needs_a_join_first(room, sock):
    d1 = sock("del1")
    assert d1.ack("live.snapshot", {"meeting": room.meeting})["error"] == "bad_input"
    d1.join(room.meeting)
    assert d1.ack("live.snapshot", {"meeting": room.meeting})["snapshot"]["seq"] == 0


def test_seq_gap_is_healed_by_a_fresh_snapshot(room, sock):
    chair, d1 = sock("chair1"), sock("del1")
    chair.join(room.meeting)
    assert d1.join(room.meeting)["seq"] == 0
    d1.received()
    for page in (1, 2, 3):
        chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": page})
    seqs = [d["seq"] for d in d1.deltas()]
    assert seqs == [1, 2, 3]  # consecutive: a client that misses one sees the jump
    snap = d1.ack("live.snapshot", {"meeting": room.meeting})["snapshot"]
    assert snap["seq"] == 3 and snap["presented"]["page"] == 3


def test_the_console_schedules_a_draft_meeting_and_then_starts_it(app, room, sock):
    """A chair who opens the console of a draft meeting schedules it from there (it used to offer nothing)."""
    with app.app_context():
        db.session.get(Meeting, room.meeting).status = Meeting.DRAFT
        db.session.commit()
    chair, d1 = sock("chair1"), sock("del1")
    chair.join(room.meeting)
    skipped = chair.ack("chair.status", {"meeting": room.meeting, "status": "live"})
    assert skipped["error"] == "invalid_transition"   # a draft goes live through "scheduled"
    assert chair.ack("chair.status", {"meeting": room.meeting, "status": "scheduled"}) == {"ok": True, "status": "scheduled"}
    assert d1.join(room.meeting)["meeting"]["status"] == "scheduled"
    assert chair.ack("chair.status", {"meeting": room.meeting, "status": "live"})["status"] == "live"


def test_status_changes_reach_tablets_and_close_makes_the_room_read_only(room, sock):
    chair, d1 = sock("chair1"), sock("del1")
    chair.join(room.meeting)
    d1.join(room.meeting)
    d1.received()
    assert chair.ack("chair.status", {"meeting": room.meeting, "status": "live"}) == {"ok": True, "status": "live"}
    chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 4})
    assert chair.ack("chair.status", {"meeting": room.meeting, "status": "closed"})["status"] == "closed"
    status = d1.deltas("status")
    assert [(d["data"]["status"], d["data"]["read_only"]) for d in status] == [("live", False), ("closed", True)]
    reopen = chair.ack("chair.status", {"meeting": room.meeting, "status": "live"})
    assert reopen["error"] == "invalid_transition"
    for event, payload in [("chair.present", {"document": room.doc, "page": 1}), ("chair.next_item", {}),
                           ("chair.open_item", {"item": room.items[0]})]:
        reply = chair.ack(event, {"meeting": room.meeting, **payload})
        assert reply["error"] == "invalid_transition" and "closed" in reply["message"]
    snap = d1.join(room.meeting)
    assert snap["meeting"]["read_only"] is True and snap["presented"]["page"] == 4


def test_bad_status_value(room, sock):
    reply = sock("chair1").ack("chair.status", {"meeting": room.meeting, "status": "draft"})
    assert reply["error"] == "bad_input" and "status" in reply["message"]


def test_http_status_change_reaches_tablets(room, sock):
    chair, d1 = sock("chair1"), sock("del1")
    d1.join(room.meeting)
    d1.received()
    r = chair.http.post(f"/meetings/{room.slug}/status", data={"value": "live"})
    assert r.status_code == 302
    got = d1.deltas("status")
    assert got and got[0]["data"]["status"] == "live" and got[0]["seq"] == 1


def test_presence_counts_a_person_with_two_devices_once(room, sock):
    chair = sock("chair1")
    chair.join(room.meeting)
    tablet, phone = sock("del1"), sock("del1")
    tablet.join(room.meeting)
    phone.join(room.meeting)
    presence = chair.deltas("presence")[-1]
    assert presence["seq"] is None and presence["data"]["count"] == 2  # chair + del1
    assert sorted(presence["data"]["connected"]) == sorted([chair.join(room.meeting)["me"]["user_id"],
                                                            tablet.join(room.meeting)["me"]["user_id"]])
    phone.sio.disconnect()
    assert chair.deltas("presence")[-1]["data"]["count"] == 2  # still there on the tablet
    tablet.sio.disconnect()
    assert chair.deltas("presence")[-1]["data"]["count"] == 1
    assert chair.ack("live.snapshot", {"meeting": room.meeting})["snapshot"]["presence"]["count"] == 1


def test_delegates_do_not_receive_presence(room, sock):
    d1 = sock("del1")
    d1.join(room.meeting)
    sock("del2").join(room.meeting)
    assert d1.deltas("presence") == []


def test_joining_another_meeting_leaves_the_first(app, room, sock):
    from app.extensions import db
    from app.meetings.models import Meeting, Membership
    from tests.factories import add_member

    with app.app_context():
        add_member(db.session.get(Meeting, room.other_meeting), "del1-other", Membership.DELEGATE)
        other = db.session.get(Meeting, room.other_meeting)
        from app.auth.models import User
        user = db.session.query(User).filter_by(username="del1").one()
        db.session.add(Membership(meeting=other, user=user, role="delegate"))
        db.session.commit()
    d1, chair = sock("del1"), sock("chair1")
    d1.join(room.meeting)
    d1.join(room.other_meeting)
    d1.received()
    chair.ack("chair.next_item", {"meeting": room.meeting})
    assert d1.deltas() == []


def test_agenda_changes_mid_meeting_reach_every_screen_without_a_reload(room, sock, tmp_path):
    """The secretary adds a document and an item during the meeting: tablets and the console get the new
    agenda as one delta (in seq order), so the new document can be opened and presented at once."""
    sec, chair, d1 = sock("sec1"), sock("chair1"), sock("del1")
    chair.join(room.meeting)
    before = d1.join(room.meeting)
    assert [d["title"] for d in before["agenda"][0]["documents"]] == ["Budget"]
    d1.received()
    chair.received()
    r = upload(sec.http, room.slug, room.items[0], make_pdf(tmp_path / "late.pdf", pages=3), title="Late amendment")
    assert r.status_code == 200, r.get_json()
    new_id = r.get_json()["document"]["id"]
    got = d1.deltas("agenda")
    assert len(got) == 1 and got[0]["seq"] == before["seq"] + 1
    docs = got[0]["data"]["agenda"][0]["documents"]
    assert [(d["title"], d["pages"]) for d in docs] == [("Budget", 5), ("Late amendment", 3)]
    assert chair.deltas("agenda")[0]["data"] == got[0]["data"]
    # the chair presents the new document at once; a page turn in it carries no meta (the agenda has it)
    assert chair.ack("chair.present", {"meeting": room.meeting, "document": new_id, "page": 1})["ok"]
    assert chair.ack("chair.present", {"meeting": room.meeting, "document": new_id, "page": 2})["ok"]
    turns = d1.deltas("present")
    assert turns[0]["data"]["presented"]["document"]["title"] == "Late amendment"
    assert turns[1]["data"]["presented"]["page"] == 2 and "document" not in turns[1]["data"]["presented"]
    # an item added through the preparation page reaches the tablet too
    assert sec.http.post(f"/meetings/{room.slug}/items", data={"title": "Any other business"}).status_code == 302
    added = d1.deltas("agenda")
    assert [i["title"] for i in added[0]["data"]["agenda"]][-1] == "Any other business"
    # and a delegate cannot change the agenda (no delta goes out)
    assert d1.http.post(f"/meetings/{room.slug}/items", data={"title": "Mine"}).status_code == 403
    assert d1.deltas("agenda") == []


def test_events_of_a_connection_know_the_user_without_reading_the_cookie_again(app, room, sock, monkeypatch):
    """The signed session cookie is verified when the connection starts; its later events use the
    connection's own session (Flask-SocketIO's copy), and still act as the signed-in member."""
    reads: list[int] = []
    original = type(app.session_interface).get_signing_serializer
    monkeypatch.setattr(type(app.session_interface), "get_signing_serializer",
                        lambda self, a: reads.append(1) or original(self, a))
    d1 = sock("del1")
    snap = d1.join(room.meeting)
    after_join = len(reads)
    for _ in range(5):
        again = d1.ack("live.snapshot", {"meeting": room.meeting})
        assert again["ok"] and again["snapshot"]["me"]["user_id"] == snap["me"]["user_id"]
    assert snap["me"]["name"] and len(reads) == after_join
    # an HTTP request of the same device still reads its cookie
    assert d1.http.get(f"/meetings/{room.slug}").status_code == 200
    assert len(reads) > after_join


def test_deleting_the_item_on_screen_puts_its_page_away_on_every_tablet(room, sock):
    sec, chair, d1 = sock("sec1"), sock("chair1"), sock("del1")
    d1.join(room.meeting)
    assert chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 2})["ok"]
    assert d1.deltas("present")[0]["data"]["presented"]["document_id"] == room.doc
    r = sec.http.post(f"/meetings/{room.slug}/items/{room.items[0]}", data={"value": "delete"})
    assert r.status_code == 302
    got = d1.deltas("agenda")
    assert len(got) == 1
    assert room.items[0] not in [i["id"] for i in got[0]["data"]["agenda"]]
    assert got[0]["data"]["presented"] is None and got[0]["data"]["current_item"] is None
    # a tablet joining now gets the same state
    snap = sock("del2").join(room.meeting)
    assert snap["presented"] is None and snap["seq"] == got[0]["seq"]


def test_removing_the_document_on_screen_puts_its_page_away_on_every_tablet(room, sock):
    sec, chair, d1 = sock("sec1"), sock("chair1"), sock("del1")
    d1.join(room.meeting)
    assert chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 2})["ok"]
    assert d1.deltas("present")[0]["data"]["presented"]["document_id"] == room.doc
    r = sec.http.post(f"/meetings/{room.slug}/documents/{room.doc}/remove")
    assert r.status_code == 302
    [got] = d1.deltas("agenda")
    docs = [d["id"] for i in got["data"]["agenda"] for d in i["documents"]]
    assert room.doc not in docs and got["data"]["presented"] is None
    assert got["data"]["current_item"] == room.items[0]   # the item stays open
    refused = chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 1})
    assert not refused["ok"] and "removed" in refused["message"]
    assert sock("del2").join(room.meeting)["presented"] is None


def test_the_chair_s_roster_is_in_the_room_s_seat_order(app, room, sock):
    """The console's connected list: D2 before D10, as the seats are counted in the room (it sorted as text)."""
    with app.app_context():
        meeting = db.session.get(Meeting, room.meeting)
        for seat in ("D10", "D2", "D1"):
            add_member(meeting, f"seat-{seat.lower()}", seat=seat)
        db.session.commit()
    snap = sock("chair1").join(room.meeting)
    seats = [m["seat"] for m in snap["roster"] if m["seat"] and m["seat"].startswith("D")]
    assert seats == ["D1", "D2", "D10"]
