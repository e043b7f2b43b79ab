"""Privacy: for every role and every read path, a person sees exactly the annotations shared with them.

The author writes one private annotation, one shared with the chair and one shared with the meeting.
Readers: private -> the author; chair -> the author and the chair; meeting -> the author and every member.
Admins who are not members, people of other meetings and anonymous visitors see none of them.
"""
import io

import pymupdf
import pytest

from tests.annotations.conftest import highlight, note

EXPECTED = {
    "author": {"PRIVATE-TEXT", "CHAIR-TEXT", "MEETING-TEXT"},
    "chair": {"CHAIR-TEXT", "MEETING-TEXT"},
    "delegate": {"MEETING-TEXT"},
    "secretary": {"MEETING-TEXT"},
    "admin": set(),
    "outsider": set(),
    "anonymous": set(),
}
ALL = {"PRIVATE-TEXT", "CHAIR-TEXT", "MEETING-TEXT"}


def _texts(annotations):
    return {a["text"] for a in annotations} & ALL


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_read_path_shows_exactly_what_is_shared_with_the_role(room, login, sock, role):
    ana = login("author")
    reader = ana if role == "author" else login(role)
    reader_socket = sock(reader) if role != "anonymous" else None
    made = {}
    for vis, body in (("private", note(room, text="PRIVATE-TEXT", page=1)),
                      ("chair", highlight(room, text="CHAIR-TEXT")),
                      ("meeting", note(room, text="MEETING-TEXT", page=1, geometry={"point": [50, 50]}))):
        resp = ana.post(f"/api/meetings/{room.slug}/annotations", json={**body, "visibility": vis})
        assert resp.status_code == 201
        made[vis] = resp.get_json()["annotation"]["id"]
    want = EXPECTED[role]
    base = f"/api/meetings/{room.slug}/documents/{room.doc_id}/annotations"

    # Socket events: the live pushes that reached this role's device.
    if reader_socket is not None:
        pushed = [m["args"][0]["data"]["annotation"] for m in reader_socket.get_received()
                  if m["name"] == "live.delta" and m["args"][0]["kind"] == "annotation.saved"]
        assert _texts(pushed) == want

    # HTTP list of the document, and of page 1.
    for url in (base, base + "?page=1"):
        resp = reader.get(url)
        if role == "outsider":
            assert resp.status_code == 403
        elif role == "anonymous":
            assert resp.status_code == 401
        else:
            assert resp.status_code == 200 and _texts(resp.get_json()["annotations"]) == want

    # HTTP fetch of each annotation by id: 404 when not shared with the role (its existence does not show).
    for vis, annotation_id in made.items():
        resp = reader.get(f"/api/annotations/{annotation_id}")
        text = {"private": "PRIVATE-TEXT", "chair": "CHAIR-TEXT", "meeting": "MEETING-TEXT"}[vis]
        if text in want:
            assert resp.status_code == 200 and resp.get_json()["annotation"]["text"] == text
        else:
            assert resp.status_code == (401 if role == "anonymous" else 404)
            assert text not in resp.get_data(as_text=True)

    # “Mine” lists, the My notes page and the annotated copy hold only one's own annotations.
    own = ALL if role == "author" else set()
    resp = reader.get(f"/api/meetings/{room.slug}/annotations/mine")
    if role in ("outsider", "anonymous"):
        assert resp.status_code in (401, 403)
    else:
        assert _texts(resp.get_json()["annotations"]) == own
    page = reader.get(f"/meetings/{room.slug}/notes")
    html = page.get_data(as_text=True)
    assert {t for t in ALL if t in html} == (own if page.status_code == 200 else set())
    copy = reader.get(f"/meetings/{room.slug}/documents/{room.doc_id}/annotated.pdf")
    if role == "outsider":
        assert copy.status_code == 403
    elif role == "anonymous":
        assert copy.status_code == 302 and "/login" in copy.headers["Location"]
    else:
        assert copy.status_code == 200
        with pymupdf.open(stream=io.BytesIO(copy.data), filetype="pdf") as pdf:
            found = {a.info["content"] for p in pdf for a in p.annots()}
        assert found & ALL == own

    # Socket snapshot.
    if reader_socket is not None:
        ack = reader_socket.emit("annotation.snapshot", {"meeting": room.meeting_id, "document_id": room.doc_id},
                                 callback=True)
        if role == "outsider":
            assert ack["ok"] is False and ack["error"] == "forbidden"
        else:
            assert ack["ok"] is True and _texts(ack["annotations"]) == want
    else:
        from app.extensions import socketio

        anonymous = socketio.test_client(reader.application, flask_test_client=reader)
        assert not anonymous.is_connected()


def test_making_a_shared_annotation_private_takes_it_back_from_everyone_else(room, login, sock):
    ana, ben = login("author"), login("delegate")
    ben_socket = sock(ben)
    made = ana.post(f"/api/meetings/{room.slug}/annotations",
                    json=note(room, text="for all", visibility="meeting")).get_json()["annotation"]
    assert ben.get(f"/api/annotations/{made['id']}").status_code == 200
    ben_socket.get_received()
    assert ana.patch(f"/api/annotations/{made['id']}", json={"visibility": "private", "text": "now mine"}).status_code == 200
    got = [m["args"][0] for m in ben_socket.get_received() if m["name"] == "live.delta"]
    assert [(g["kind"], g["data"]) for g in got] == [
        ("annotation.removed", {"id": made["id"], "document_id": room.doc_id, "page": 3})]
    assert ben.get(f"/api/annotations/{made['id']}").status_code == 404
    assert "now mine" not in ben.get(f"/api/meetings/{room.slug}/documents/{room.doc_id}/annotations").get_data(as_text=True)


def test_a_chair_or_admin_cannot_change_or_delete_someone_elses_private_annotation(room, login):
    ana = login("author")
    made = ana.post(f"/api/meetings/{room.slug}/annotations", json=note(room)).get_json()["annotation"]
    for role in ("chair", "admin", "secretary"):
        other = login(role)
        assert other.patch(f"/api/annotations/{made['id']}", json={"text": "x"}).status_code == 404
        assert other.delete(f"/api/annotations/{made['id']}").status_code == 404
    assert ana.get(f"/api/annotations/{made['id']}").get_json()["annotation"]["text"] == "Ask about line 4"
