"""Socket.IO: a delegate's second device sees each annotation as it is drawn; sharing reaches others live."""
from tests.annotations.conftest import highlight, ink, note


def _deltas(sc, kind=None):
    got = [m["args"][0] for m in sc.get_received() if m["name"] == "live.delta"]
    return [g for g in got if kind is None or g["kind"] == kind]


def test_own_annotations_appear_on_the_other_device_and_nowhere_else(room, login, sock):
    tablet, laptop = sock(login("author")), sock(login("author"))
    ben, chloe = sock(login("delegate")), sock(login("chair"))
    ack = tablet.emit("annotation.create", {"meeting": room.meeting_id, **ink(room)}, callback=True)
    assert ack["ok"] is True, ack
    on_laptop = _deltas(laptop, "annotation.saved")
    assert len(on_laptop) == 1 and on_laptop[0]["seq"] is None
    shown = on_laptop[0]["data"]["annotation"]
    assert shown["id"] == ack["annotation"]["id"] and shown["geometry"]["strokes"][0][0] == [100, 100]
    assert _deltas(ben) == [] and _deltas(chloe) == []
    # The drawing device gets the push too (the client keeps one copy per id and version).
    assert [d["data"]["annotation"]["id"] for d in _deltas(tablet)] == [shown["id"]]

    ack = laptop.emit("annotation.update", {"meeting": room.meeting_id, "id": shown["id"], "color": "#00aa00"},
                      callback=True)
    assert ack["ok"] is True and [d["data"]["annotation"]["color"] for d in _deltas(tablet)] == ["#00aa00"]
    ack = laptop.emit("annotation.delete", {"meeting": room.meeting_id, "id": shown["id"]}, callback=True)
    assert ack["ok"] is True and ack["annotation"]["kind"] == "ink"
    assert [(d["kind"], d["data"]["id"]) for d in _deltas(tablet)] == [("annotation.removed", shown["id"])]
    assert _deltas(ben) == []


def test_sharing_with_the_meeting_reaches_every_member_with_the_authors_name(room, login, sock):
    ana, ben, chloe, sam = (sock(login(r)) for r in ("author", "delegate", "chair", "secretary"))
    admin, olga = sock(login("admin")), sock(login("outsider"))
    made = ana.emit("annotation.create", {"meeting": room.meeting_id, **note(room)}, callback=True)["annotation"]
    assert all(_deltas(s) == [] for s in (ben, chloe, sam, admin, olga))
    ack = ana.emit("annotation.update", {"meeting": room.meeting_id, "id": made["id"], "visibility": "chair"},
                   callback=True)
    assert ack["ok"]
    assert [d["data"]["annotation"]["author"]["name"] for d in _deltas(chloe)] == ["Ana"]
    assert all(_deltas(s) == [] for s in (ben, sam, admin, olga))
    ana.emit("annotation.update", {"meeting": room.meeting_id, "id": made["id"], "visibility": "meeting"}, callback=True)
    for s in (ben, chloe, sam):
        got = _deltas(s, "annotation.saved")
        assert [(g["data"]["annotation"]["text"], g["data"]["annotation"]["author"]["name"]) for g in got] == [
            ("Ask about line 4", "Ana")]
    assert _deltas(admin) == [] and _deltas(olga) == []


def test_socket_refusals_are_error_acks(room, login, sock):
    ana, ben = sock(login("author")), sock(login("delegate"))
    m = room.meeting_id
    cases = [
        (ana, "annotation.create", {"meeting": m, **highlight(room, page=9)}, "not_found", "no page 9"),
        (ana, "annotation.create", {"meeting": m, **highlight(room, document_id=room.other_doc_id)}, "not_found",
         "not on the agenda"),
        (ana, "annotation.create", {"meeting": m, **note(room, geometry={"point": [-20, 5]})}, "bad_input", "outside"),
        (ana, "annotation.create", {"meeting": m, **note(room, text="x" * 10_001)}, "bad_input", "too large"),
        (ana, "annotation.create", {"meeting": m, **highlight(room, geometry={"rects": [[1e300, 1, 2, 3]]})},
         "bad_input", "outside page 1"),
        (ana, "annotation.create", {"meeting": 99999, **note(room)}, "not_found", "meeting"),
        (ana, "annotation.create", ["not", "an", "object"], "bad_input", "object"),
        (ana, "annotation.create", {"meeting": m, **note(room), "sneaky": 1}, "bad_input", "sneaky"),
        (ana, "annotation.delete", {"meeting": m, "id": 424242}, "not_found", "does not exist"),
        (ana, "annotation.snapshot", {"meeting": room.other_meeting_id, "document_id": room.doc_id}, "not_found",
         "not on the agenda"),
    ]
    for client, event, payload, code, words in cases:
        ack = client.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"] == code and words in ack["message"], (event, ack)
    made = ana.emit("annotation.create", {"meeting": m, **note(room)}, callback=True)["annotation"]
    ack = ben.emit("annotation.delete", {"meeting": m, "id": made["id"]}, callback=True)
    assert ack == {"ok": False, "error": "not_found", "message": "This annotation does not exist, or it is not yours to see."}
    # Another meeting's id with one's own annotation: refused, the annotation stays.
    ack = ana.emit("annotation.delete", {"meeting": room.other_meeting_id, "id": made["id"]}, callback=True)
    assert ack["ok"] is False and "another meeting" in ack["message"]
    snap = ana.emit("annotation.snapshot", {"meeting": m, "document_id": room.doc_id, "page": 3}, callback=True)
    assert [a["id"] for a in snap["annotations"]] == [made["id"]]
