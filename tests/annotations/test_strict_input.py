"""Strict payloads, as in the rest of the API: an id or a page is a whole JSON number (not "3", not true, not 3.0), a
coordinate or a width is a JSON number (12 or 12.5, not "12", not true), and a width is for ink only. Each refusal,
over HTTP and over the socket, is bad_input with a sentence naming the field, and nothing is stored or changed: no
new row, no new version, no push. What the tablets' annotator.js sends is accepted after each refusal."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.annotations.models import Annotation
from app.extensions import db
from app.live.presence import TokenBucket
from tests.annotations.conftest import highlight, ink, note


def _rows(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Annotation))


def _pushes(sc) -> list:
    return [m["args"][0] for m in sc.get_received() if m["name"] == "live.delta"]


@pytest.fixture
def no_rate_limit(app):
    """Every event of the test is read (the per-connection burst is 30)."""
    app.extensions["dais_live"].bucket = TokenBucket(10_000, 100_000)


# (payload, words the refusal must hold: the field as sent, or the service's sentence about it)
BAD_CREATE = [
    (lambda r: highlight(r, document_id=str(r.doc_id)), "“document_id”"),
    (lambda r: highlight(r, document_id=True), "“document_id”"),   # true was stored as document 1
    (lambda r: highlight(r, document_id=float(r.doc_id)), "“document_id”"),
    (lambda r: highlight(r, page=True), "“page”"),
    (lambda r: highlight(r, page="1"), "“page”"),
    (lambda r: highlight(r, page=1.0), "“page”"),
    (lambda r: ink(r, width="3"), "“width”"),
    (lambda r: ink(r, width=True), "“width”"),
    (lambda r: ink(r, width=1e308), "pen width"),
    (lambda r: ink(r, width=-5), "pen width"),
    (lambda r: ink(r, width=0), "pen width"),
    (lambda r: highlight(r, geometry={"rects": [["72", 60, 300, 80]]}), "“geometry.rects.0.0”"),
    (lambda r: highlight(r, geometry={"rects": [[72, True, 300, 80]]}), "“geometry.rects.0.1”"),
    (lambda r: ink(r, geometry={"strokes": [[[100, 100], ["150", 120]]]}), "“geometry.strokes.0.1.0”"),
    (lambda r: ink(r, geometry={"strokes": [[[100, 100], [150, False]]]}), "“geometry.strokes.0.1.1”"),
    (lambda r: note(r, geometry={"point": [True, 500]}), "“geometry.point.0”"),
    (lambda r: note(r, geometry={"point": [400, "500"]}), "“geometry.point.1”"),
    (lambda r: highlight(r, width=2), "“width”"),   # a width for a kind that draws no line: refused, not dropped
    (lambda r: note(r, width=2.5), "“width”"),
]


def what_tablets_send(r) -> list[dict]:
    """The bodies annotator.js builds: points rounded to 0.01 pt (often fractional), widths 1, 2.5 or 5, a note's
    colour, and the undo of a delete (the deleted annotation's fields, a highlight's null width left out)."""
    return [
        highlight(r, geometry={"rects": [[72.25, 60.5, 300.75, 80]]}, color="#ffd400", visibility="private"),
        ink(r, geometry={"strokes": [[[100.5, 100.25], [150, 120.75]]]}, color="#d32f2f", width=2.5),
        ink(r, width=1),
        ink(r, width=5.0),
        note(r, geometry={"point": [400.5, 500.25]}, color="#f7c948", visibility="meeting"),
        {"document_id": r.doc_id, "page": 1, "kind": "highlight", "geometry": {"rects": [[72.25, 60.5, 300.75, 80]]},
         "color": "#ffd400", "text": "", "visibility": "private"},
    ]


def test_http_create_refuses_loose_types_and_stores_nothing(app, room, login):
    ana = login("author")
    for make, words in BAD_CREATE:
        body = make(room)
        resp = ana.post(f"/api/meetings/{room.slug}/annotations", json=body)
        got = resp.get_json()
        assert resp.status_code == 400, (body, got)
        assert got["ok"] is False and got["error"] == "bad_input" and words in got["message"], (body, got)
    assert _rows(app) == 0
    for body in what_tablets_send(room):
        resp = ana.post(f"/api/meetings/{room.slug}/annotations", json=body)
        assert resp.status_code == 201, (body, resp.get_json())
    assert _rows(app) == len(what_tablets_send(room))


def test_socket_create_refuses_loose_types_and_stores_nothing(app, room, login, sock, no_rate_limit):
    tablet = sock(login("author"))
    for make, words in BAD_CREATE:
        payload = {"meeting": room.meeting_id, **make(room)}
        ack = tablet.emit("annotation.create", payload, callback=True)
        assert ack["ok"] is False and ack["error"] == "bad_input" and words in ack["message"], (payload, ack)
    assert _rows(app) == 0 and _pushes(tablet) == []
    for body in what_tablets_send(room):
        ack = tablet.emit("annotation.create", {"meeting": room.meeting_id, **body}, callback=True)
        assert ack["ok"] is True, (body, ack)
    assert _rows(app) == len(what_tablets_send(room))


# Changes of a highlight: each refused with a sentence naming the field, the highlight left as it was.
BAD_HIGHLIGHT_CHANGE = [
    ({"width": 1e308}, "“width”"),
    ({"width": -5}, "“width”"),
    ({"width": 0}, "“width”"),
    ({"width": 2}, "“width”"),
    ({"width": False}, "“width”"),
    ({"width": "3"}, "“width”"),
    ({"color": "#00aa00", "visibility": "meeting", "width": 2}, "“width”"),   # the valid fields are not kept either
    ({"geometry": {"rects": [["72", 60, 300, 80]]}}, "“geometry.rects.0.0”"),
    ({"geometry": {"rects": [[72, 60, True, 80]]}}, "“geometry.rects.0.2”"),
    ({"text": 5}, "“text”"),
]
# Changes of an ink drawing: widths out of range or not numbers.
BAD_INK_CHANGE = [
    ({"width": 1e308}, "pen width"),
    ({"width": -5}, "pen width"),
    ({"width": 0}, "pen width"),
    ({"width": True}, "“width”"),
    ({"width": "3"}, "“width”"),
    ({"text": "fine", "width": 100}, "pen width"),
    ({"geometry": {"strokes": [[[100, "100"]]]}}, "“geometry.strokes.0.0.1”"),
]


def test_http_edit_refuses_fields_that_do_not_apply_and_changes_nothing(app, room, login, sock):
    ana, other_device = login("author"), sock(login("author"))
    made = {kind: ana.post(f"/api/meetings/{room.slug}/annotations", json=body).get_json()["annotation"]
            for kind, body in (("highlight", highlight(room)), ("ink", ink(room)))}
    other_device.get_received()
    for kind, cases in (("highlight", BAD_HIGHLIGHT_CHANGE), ("ink", BAD_INK_CHANGE)):
        for change, words in cases:
            resp = ana.patch(f"/api/annotations/{made[kind]['id']}", json=change)
            got = resp.get_json()
            assert resp.status_code == 400, (kind, change, got)
            assert got["ok"] is False and got["error"] == "bad_input" and words in got["message"], (kind, change, got)
            now = ana.get(f"/api/annotations/{made[kind]['id']}").get_json()["annotation"]
            assert now == made[kind], (kind, change)   # same version, colour, sharing, geometry, updated_at
    assert _pushes(other_device) == []
    # What the tablets send still goes through: a note's text and sharing on a highlight, a pen width on ink.
    resp = ana.patch(f"/api/annotations/{made['highlight']['id']}", json={"text": "see p. 2", "visibility": "meeting"})
    assert resp.status_code == 200 and resp.get_json()["annotation"]["version"] == 2
    resp = ana.patch(f"/api/annotations/{made['ink']['id']}", json={"width": 2.5})
    assert resp.status_code == 200 and resp.get_json()["annotation"]["width"] == 2.5
    assert len(_pushes(other_device)) == 2


def test_socket_edit_refuses_fields_that_do_not_apply_and_changes_nothing(app, room, login, sock, no_rate_limit):
    ana = login("author")
    tablet, other_device = sock(ana), sock(login("author"))
    made = {kind: tablet.emit("annotation.create", {"meeting": room.meeting_id, **body}, callback=True)["annotation"]
            for kind, body in (("highlight", highlight(room)), ("ink", ink(room)))}
    other_device.get_received()
    for kind, cases in (("highlight", BAD_HIGHLIGHT_CHANGE), ("ink", BAD_INK_CHANGE)):
        for change, words in cases:
            payload = {"meeting": room.meeting_id, "id": made[kind]["id"], **change}
            ack = tablet.emit("annotation.update", payload, callback=True)
            assert ack["ok"] is False and ack["error"] == "bad_input" and words in ack["message"], (payload, ack)
            now = ana.get(f"/api/annotations/{made[kind]['id']}").get_json()["annotation"]
            assert now == made[kind], (kind, change)
    assert _pushes(other_device) == []
    for ref in ({"id": 2.0}, {"id": "1"}, {"id": True}):   # ids too: whole numbers only
        ack = tablet.emit("annotation.update", {"meeting": room.meeting_id, **ref, "text": "x"}, callback=True)
        assert ack["ok"] is False and ack["error"] == "bad_input" and "“id”" in ack["message"], (ref, ack)
    assert _pushes(other_device) == []
    ack = tablet.emit("annotation.update", {"meeting": room.meeting_id, "id": made["ink"]["id"], "width": 5,
                                            "geometry": {"strokes": [[[100.5, 100.25], [150, 120.75]]]}}, callback=True)
    assert ack["ok"] is True and ack["annotation"]["width"] == 5 and ack["annotation"]["version"] == 2, ack
    assert len(_pushes(other_device)) == 1
