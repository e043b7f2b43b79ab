"""The HTTP API: a delegate highlights, draws and notes; edits, shares, deletes; and every refusal is a sentence."""
from tests.annotations.conftest import highlight, ink, note


def _create(client, room, body, slug=None):
    return client.post(f"/api/meetings/{slug or room.slug}/annotations", json=body)


def test_author_creates_each_kind_and_lists_them_per_page(room, login):
    ana = login("author")
    for body in (highlight(room), ink(room), note(room)):
        resp = _create(ana, room, body)
        assert resp.status_code == 201, resp.get_json()
        got = resp.get_json()["annotation"]
        assert got["visibility"] == "private" and got["author"]["name"] == "Ana"
    page2 = ana.get(f"/api/meetings/{room.slug}/documents/{room.doc_id}/annotations?page=2").get_json()
    assert [a["kind"] for a in page2["annotations"]] == ["ink"]
    assert page2["annotations"][0]["geometry"]["strokes"][1] == [[300, 300], [310, 340]]
    assert page2["annotations"][0]["width"] == 3 and page2["annotations"][0]["color"] == "#1565c0"
    assert (page2["page_width"], page2["page_height"]) == (595, 842)
    everything = ana.get(f"/api/meetings/{room.slug}/documents/{room.doc_id}/annotations").get_json()
    assert [a["page"] for a in everything["annotations"]] == [1, 2, 3]


def test_edit_share_and_delete_own_annotation(room, login):
    ana = login("author")
    made = _create(ana, room, note(room)).get_json()["annotation"]
    resp = ana.patch(f"/api/annotations/{made['id']}", json={"text": "Ask about line 5", "visibility": "meeting",
                                                             "geometry": {"point": [10, 10]}})
    assert resp.status_code == 200
    changed = resp.get_json()["annotation"]
    assert (changed["text"], changed["visibility"], changed["geometry"], changed["version"]) == (
        "Ask about line 5", "meeting", {"point": [10, 10]}, 2)
    ben = login("delegate")
    assert ben.get(f"/api/annotations/{made['id']}").get_json()["annotation"]["text"] == "Ask about line 5"
    refused = ben.patch(f"/api/annotations/{made['id']}", json={"text": "mine now"})
    assert refused.status_code == 403 and "author" in refused.get_json()["message"]
    assert ben.delete(f"/api/annotations/{made['id']}").status_code == 403
    gone = ana.delete(f"/api/annotations/{made['id']}")
    assert gone.status_code == 200 and gone.get_json()["annotation"]["text"] == "Ask about line 5"
    assert ana.get(f"/api/annotations/{made['id']}").status_code == 404
    # Undo of a delete: create it again from what the delete returned.
    back = gone.get_json()["annotation"]
    again = _create(ana, room, {k: back[k] for k in ("document_id", "page", "kind", "geometry", "color", "text", "visibility")})
    assert again.status_code == 201 and again.get_json()["annotation"]["text"] == "Ask about line 5"


def test_points_slightly_past_the_edge_are_clamped(room, login):
    ana = login("author")
    resp = _create(ana, room, ink(room, geometry={"strokes": [[[-0.3, 10], [595.4, 842.2]]]}))
    assert resp.status_code == 201
    assert resp.get_json()["annotation"]["geometry"]["strokes"] == [[[0, 10], [595, 842]]]


LONG_STROKE = [[1 + (i % 500), 1 + (i // 500)] for i in range(5001)]


BAD_INPUT = [
    (lambda r: highlight(r, geometry={"rects": [[72, 60, 700, 80]]}), 400, "outside page 1"),
    (lambda r: note(r, geometry={"point": [100, 900]}), 400, "outside page 3"),
    (lambda r: ink(r, geometry={"strokes": [[[1, 1]]] * 51}), 400, "up to 50 strokes"),
    (lambda r: ink(r, geometry={"strokes": [LONG_STROKE]}), 400, "up to 5,000 points"),
    (lambda r: note(r, text="x" * 10_001), 400, "up to 10,000 characters"),
    (lambda r: note(r, text="   "), 400, "Write something"),
    (lambda r: highlight(r, page=4), 404, "there is no page 4"),
    (lambda r: highlight(r, page=0), 404, "there is no page 0"),
    (lambda r: highlight(r, document_id=99999), 404, "no document 99999"),
    (lambda r: highlight(r, document_id=r.other_doc_id), 404, "not on the agenda"),
    (lambda r: highlight(r, geometry={"strokes": [[[1, 1]]]}), 400, "needs “rects”"),
    (lambda r: highlight(r, kind="stamp"), 400, "kind"),
    (lambda r: highlight(r, color="red; background:url(x)"), 400, "not a colour"),
    (lambda r: ink(r, width=100), 400, "pen width"),
    (lambda r: ink(r, width=1e27), 400, "pen width"),   # too large for the refusal's number formatting
    (lambda r: highlight(r, geometry={"rects": [[1e300, 1, 2, 3]]}), 400, "outside page 1"),
    (lambda r: highlight(r, geometry={"rects": [[72, 60, "NaN", 80]]}), 400, "geometry"),
    (lambda r: highlight(r, visibility="everyone"), 400, "visibility"),
    (lambda r: highlight(r, owner=5), 400, "owner"),
]


def test_bad_input_is_refused_with_a_sentence_and_nothing_is_kept(room, login):
    ana = login("author")
    for body_fn, status, words in BAD_INPUT:
        resp = _create(ana, room, body_fn(room))
        assert resp.status_code == status, (words, resp.get_json())
        body = resp.get_json()
        assert body["ok"] is False and words in body["message"], body["message"]
    listed = ana.get(f"/api/meetings/{room.slug}/documents/{room.doc_id}/annotations").get_json()
    assert listed["annotations"] == []


def test_annotating_another_meetings_document_through_its_own_address_needs_membership(room, login):
    ben = login("delegate")  # member of “council” only
    resp = _create(ben, room, highlight(room, document_id=room.other_doc_id), slug=room.other_slug)
    assert resp.status_code == 403 and "not a member" in resp.get_json()["message"]


def test_body_that_is_not_json_is_refused(room, login):
    ana = login("author")
    resp = ana.post(f"/api/meetings/{room.slug}/annotations", data="rects=1")
    assert resp.status_code == 400 and "JSON object" in resp.get_json()["message"]
    resp = ana.get(f"/api/meetings/{room.slug}/documents/{room.doc_id}/annotations?page=two")
    assert resp.status_code == 400 and "whole number" in resp.get_json()["message"]


def test_nul_characters_in_a_note_are_refused_with_a_sentence_not_a_server_error(room, login):
    ana = login("author")
    resp = _create(ana, room, note(room, text="a\x00b"))
    assert resp.status_code == 400 and "not text" in resp.get_json()["message"]
    assert ana.get(f"/api/meetings/{room.slug}/annotations/mine").get_json()["annotations"] == []


def test_anonymous_gets_401_json(room, login):
    anon = login("anonymous")
    assert anon.get(f"/api/meetings/{room.slug}/documents/{room.doc_id}/annotations").status_code == 401
    resp = _create(anon, room, highlight(room))
    assert resp.status_code == 401 and resp.get_json()["error"] == "unauthorized"
