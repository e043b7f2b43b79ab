"""Wall-screen links, the live pages, and restoring the room after a restart."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from app import create_app
from app.extensions import db, socketio


def new_display_link(chair) -> str:
    r = chair.http.post("/meetings/council/display", headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json["ok"], r.data
    return urlsplit(r.json["url"]).path.rsplit("/", 1)[1]


def test_a_wall_link_opens_in_the_language_of_whoever_made_it(app, room, sock):
    """A wall's browser (a kiosk) often speaks another language than the room: the link carries the maker's."""
    chair = sock("chair1")
    assert chair.http.post("/lang/vi", headers={"Accept": "application/json"}).status_code in (200, 302, 303)
    made = chair.http.post("/meetings/council/display", headers={"Accept": "application/json"}).json
    url = made["url"]
    assert urlsplit(url).query == "lang=vi", url
    assert made["only_here"] is False   # the tests' address (dais.test) is the network's, not this computer's
    wall = app.test_client()   # another browser, asking for English
    page = wall.get(urlsplit(url).path + "?lang=vi", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="vi"' in page
    strings = json.loads(page.split('id="vote-strings">')[1].split("</script>")[0])
    assert strings["secret"] == "Bỏ phiếu kín"   # what the wall says of a secret vote, in the link's language
    # and it stays so for that browser (its socket's messages, a reload without the parameter)
    assert '<html lang="vi"' in wall.get(urlsplit(url).path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en"' in app.test_client().get(urlsplit(url).path).get_data(as_text=True)


def test_display_link_shows_the_room_and_follows_page_turns(app, room, sock):
    chair = sock("chair1")
    chair.join(room.meeting)
    token = new_display_link(chair)
    page = chair.http.get(f"/display/{token}")
    assert page.status_code == 200 and b"Meeting council" in page.data and b"live-config" in page.data
    assert chair.http.get(f"/display/{token}/qr.png").mimetype == "image/png"
    wall = sock(None, auth={"display": token})
    assert wall.sio.is_connected()
    snap = wall.join(room.meeting)
    assert snap["me"]["is_display"] and "roster" not in snap and snap["me"]["can_vote"] is False
    wall.received()
    chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 3})
    assert wall.deltas("present")[0]["data"]["presented"]["page"] == 3
    assert chair.join(room.meeting)["presence"]["displays"] == 1
    meta = wall.http.get(f"/display/{token}/documents/{room.doc}")
    assert meta.status_code == 200 and meta.json["pages"] == 5
    assert meta.json["page_url"] == f"/display/{token}/documents/{room.doc}/pages/{{page}}/{{width}}.png"
    assert wall.http.get(f"/display/{token}/documents/{room.other_doc}").status_code == 404


def test_display_cannot_lead_or_join_another_meeting(room, sock):
    token = new_display_link(sock("chair1"))
    wall = sock(None, auth={"display": token})
    assert wall.ack("meeting.join", {"meeting": room.other_meeting})["error"] == "forbidden"
    wall.join(room.meeting)
    for event, payload in [("chair.present", {"document": room.doc, "page": 1}), ("chair.next_item", {})]:
        reply = wall.ack(event, {"meeting": room.meeting, **payload})
        assert reply["error"] == "forbidden" and "wall screen" in reply["message"]


def test_revoked_display_link_stops_working_at_once(app, room, sock):
    chair, delegate = sock("chair1"), sock("del1")
    token = new_display_link(chair)
    wall = sock(None, auth={"display": token})
    wall.join(room.meeting)
    wall.received()
    assert delegate.http.post("/meetings/council/display/revoke", headers={"Accept": "application/json"}).status_code == 403
    r = chair.http.post("/meetings/council/display/revoke", headers={"Accept": "application/json"})
    assert r.json == {"ok": True, "revoked": 1}
    assert not wall.sio.is_connected()  # the server closed the socket
    # What it heard before the server closed it (the test client hides received events once disconnected).
    assert [p["args"][0]["message"] for p in wall.sio.queue if p["name"] == "live.revoked"] == [
        "This wall-screen link has been revoked. Ask the chair for the current link."]
    assert chair.http.get(f"/display/{token}").status_code == 410
    again = socketio.test_client(app, auth={"display": token})
    assert not again.is_connected()
    assert socketio.test_client(app, auth={"display": "dnot-a-token"}).is_connected() is False
    assert chair.http.get("/display/dnot-a-token").status_code == 404


def test_delegates_cannot_make_display_links(room, sock):
    r = sock("del1").http.post("/meetings/council/display", headers={"Accept": "application/json"})
    assert r.status_code == 403 and r.json["error"] == "forbidden"


def test_live_pages_and_who_may_open_them(room, sock):
    delegate, chair, outsider = sock("del1"), sock("chair1"), sock("outsider")
    tablet = delegate.http.get("/meetings/council/live")
    assert tablet.status_code == 200 and b"js/pages/tablet.js" in tablet.data and b"vendor/socket.io.min.js" in tablet.data
    assert b"You are following the chair" in tablet.data  # the page's strings reach the script
    assert delegate.http.get("/meetings/council/console").status_code == 403
    assert outsider.http.get("/meetings/council/live").status_code == 403
    console = chair.http.get("/meetings/council/console")
    assert console.status_code == 200 and b"js/pages/chair.js" in console.data
    agenda = delegate.http.get("/meetings/council")
    assert b"/meetings/council/live" in agenda.data and b"/meetings/council/console" not in agenda.data
    assert b"/meetings/council/console" in chair.http.get("/meetings/council").data
    script = delegate.http.get("/static/vendor/socket.io.min.js")
    assert script.status_code == 200 and b"Socket.IO v4" in script.data
    script.close()


def test_badge_sign_in_lands_on_the_live_page(app, room):
    from app.auth.service import ensure_badge
    from app.meetings.models import Membership
    import sqlalchemy as sa

    with app.app_context():
        m = db.session.scalar(sa.select(Membership).where(Membership.seat == "1"))
        raw = ensure_badge(app.config["SECRET_KEY"], m)
        db.session.commit()
    r = app.test_client().get(f"/t/{raw}")
    assert r.status_code == 302 and r.headers["Location"].endswith("/meetings/council/live")


def test_a_restarted_server_restores_exactly_the_presented_page(app, room, sock):
    chair = sock("chair1")
    chair.ack("chair.status", {"meeting": room.meeting, "status": "live"})
    chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc2, "page": 2})
    seq = chair.ack("chair.present", {"meeting": room.meeting, "document": room.doc, "page": 4})["seq"]
    # A second app on the same database: a restarted process knows nothing but what was committed.
    fresh = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "DATA_DIR", "SECRET_KEY")},
                        "TESTING": True, "SERVER_NAME": "dais.test"})
    client = fresh.test_client()
    with fresh.app_context():
        from app.auth.models import User
        uid = db.session.query(User).filter_by(username="del1").one().id
    with client.session_transaction() as s:
        s["_user_id"] = str(uid)
    tablet = socketio.test_client(fresh, flask_test_client=client)
    snap = tablet.emit("meeting.join", {"meeting": room.meeting}, callback=True)["snapshot"]
    assert snap["presented"]["document_id"] == room.doc and snap["presented"]["page"] == 4
    assert snap["current_item"] == room.items[0] and snap["meeting"]["status"] == "live" and snap["seq"] == seq
    tablet.disconnect()
    with fresh.app_context():
        db.engine.dispose()
