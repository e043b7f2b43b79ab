"""The JSON API and the Socket.IO event as a chair's console and a delegate's tablet use them."""
from __future__ import annotations

import json

from app.extensions import db, socketio


def _login(client, username):
    assert client.post("/login", data={"username": username, "password": "pw-secret-1"}).status_code == 302


def test_chair_runs_a_named_vote_over_http_and_a_tablet_votes_over_socketio(app, client, room_ids):
    room = room_ids
    _login(client, "council-chair")
    created = client.post(f"/api/meetings/{room.slug}/votes", json={"question": "Adopt the minutes?"})
    assert created.status_code == 201
    vote = created.get_json()["vote"]
    assert [o["label"] for o in vote["options"]] == ["For", "Against", "Abstain"] and vote["state"] == "draft"
    opened = client.post(f"/api/votes/{vote['id']}/open")
    assert opened.status_code == 200 and opened.get_json()["vote"]["state"] == "open"

    with app.app_context():
        from app.live.service import create_display_link
        from app.meetings.models import Meeting

        token = create_display_link(db.session.get(Meeting, room.meeting_id), room.chair)
        db.session.commit()
    wall = socketio.test_client(app, auth={"display": token})
    assert wall.emit("meeting.join", {"meeting": room.meeting_id}, callback=True)["ok"]
    wall.get_received()
    console = socketio.test_client(app, flask_test_client=client)
    assert console.emit("meeting.join", {"meeting": room.meeting_id}, callback=True)["ok"]
    console.get_received()
    tablet = app.test_client()
    _login(tablet, "council-d4")
    sock = socketio.test_client(app, flask_test_client=tablet)
    joined = sock.emit("meeting.join", {"meeting": room.meeting_id}, callback=True)
    assert joined["ok"] and joined["snapshot"]["vote"]["open"]["id"] == vote["id"]
    assert joined["snapshot"]["vote"]["open"]["me"]["ballots"][0]["voted"] is False
    sock.get_received()
    phone = socketio.test_client(app, flask_test_client=tablet)  # the same delegate's second device
    assert phone.emit("meeting.join", {"meeting": room.meeting_id}, callback=True)["ok"]
    phone.get_received()
    for_id = vote["options"][0]["id"]
    ack = sock.emit("vote.cast", {"meeting": room.meeting_id, "vote": vote["id"], "options": [for_id]}, callback=True)
    assert ack["ok"] and ack["ballot"]["membership_id"] == room.members[room.delegates[3]]
    deltas = {m["args"][0]["kind"]: m["args"][0]["data"] for m in sock.get_received() if m["name"] == "live.delta"}
    assert "vote.recorded" not in deltas  # the casting tablet has its ack
    assert "vote.progress" not in deltas  # the counter is for the console and the wall, not the tablets
    on_phone = {m["args"][0]["kind"]: m["args"][0]["data"] for m in phone.get_received() if m["name"] == "live.delta"}
    assert on_phone["vote.recorded"] == ack["ballot"]
    wall_deltas = {m["args"][0]["kind"]: m["args"][0]["data"] for m in wall.get_received() if m["name"] == "live.delta"}
    assert wall_deltas["vote.progress"]["ballots"] == 1
    console_deltas = {m["args"][0]["kind"]: m["args"][0]["data"] for m in console.get_received() if m["name"] == "live.delta"}
    assert console_deltas["vote.progress"] == {"vote_id": vote["id"], "ballots": 1, "eligible": 6, "cast_weight": 3,
                                               "eligible_weight": 9}
    bad = sock.emit("vote.cast", {"meeting": room.meeting_id, "vote": vote["id"], "options": ["x"]}, callback=True)
    assert bad["ok"] is False and bad["error"] == "bad_input"

    closed = client.post(f"/api/votes/{vote['id']}/close").get_json()["vote"]
    assert closed["state"] == "closed" and closed["passed"] is True
    assert closed["result"]["named"][0]["choices"] == ["For"]
    late = sock.emit("vote.cast", {"meeting": room.meeting_id, "vote": vote["id"], "options": [for_id]}, callback=True)
    assert late == {"ok": False, "error": "invalid_transition", "message": f"Cannot vote in vote {vote['id']}: it is closed."}
    again = client.post(f"/api/votes/{vote['id']}/close")
    assert again.status_code == 409 and again.get_json()["message"] == f"Cannot close vote {vote['id']}: it is closed."
    assert client.post(f"/api/votes/{vote['id']}/publish").get_json()["vote"]["state"] == "published"
    sock.disconnect()
    console.disconnect()
    wall.disconnect()

    export = client.get(f"/api/meetings/{room.slug}/votes/results.json")
    assert export.status_code == 200 and json.loads(export.data)["votes"][0]["passed"] is True
    csv = client.get(f"/api/meetings/{room.slug}/votes/results.csv")
    assert csv.mimetype == "text/csv" and "Adopt the minutes?" in csv.data.decode()


def test_delegates_and_observers_are_refused_chair_actions_and_bad_input(app, client, room_ids):
    room = room_ids
    _login(client, "council-d1")
    refused = client.post(f"/api/meetings/{room.slug}/votes", json={"question": "Mine?"})
    assert refused.status_code == 403 and "chair or secretary" in refused.get_json()["message"]
    chair = app.test_client()
    _login(chair, "council-chair")
    bad = chair.post(f"/api/meetings/{room.slug}/votes", json={"question": "", "rule": "loudest"})
    assert bad.status_code == 400 and "question" in bad.get_json()["message"]
    vote = chair.post(f"/api/meetings/{room.slug}/votes", json={"question": "Q?", "secret": True}).get_json()["vote"]
    assert client.get(f"/api/votes/{vote['id']}").status_code == 403  # drafts are for staff
    assert client.post(f"/api/votes/{vote['id']}/open").status_code == 403
    chair.post(f"/api/votes/{vote['id']}/open")
    observer = app.test_client()
    _login(observer, "council-obs")
    no = observer.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [vote["options"][0]["id"]]})
    assert no.status_code == 403 and "Observers" in no.get_json()["message"]
    ok = client.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [vote["options"][0]["id"]]})
    assert ok.status_code == 200 and ok.get_json()["ballot"]["changed"] is False
    twice = client.post(f"/api/votes/{vote['id']}/ballot", json={"option_ids": [vote["options"][1]["id"]]})
    assert twice.status_code == 409 and "secret ballots are final" in twice.get_json()["message"]
    # The tablet's view of an open secret vote: voted, never what.
    me = client.get(f"/api/votes/{vote['id']}").get_json()["vote"]["me"]["ballots"][0]
    assert me["voted"] is True and "choice" not in me
    assert client.post(f"/api/votes/{vote['id']}/ballot", data="nope").status_code == 400


def _joined(app, username):
    device = app.test_client()
    _login(device, username)
    sock = socketio.test_client(app, flask_test_client=device)
    return sock


def _deltas(sock, kind):
    return [m["args"][0]["data"] for m in sock.get_received() if m["name"] == "live.delta" and m["args"][0]["kind"] == kind]


def test_secretary_gives_a_proxy_over_http(app, client, room_ids):
    """The attendance board's proxies: given and withdrawn over HTTP; the giver's and the holder's tablets are told
    to reload their ballots, every staff screen gets the new list, other delegates hear nothing of it."""
    room = room_ids
    socks = {name: _joined(app, name) for name in ("council-chair", "council-d1", "council-d4", "council-d2")}
    for sock in socks.values():
        assert sock.emit("meeting.join", {"meeting": room.meeting_id}, callback=True)["ok"]
        sock.get_received()
    _login(client, "council-sec")
    d1, d4 = room.members[room.delegates[0]], room.members[room.delegates[3]]
    given = client.post(f"/api/meetings/{room.slug}/proxies", json={"giver_id": d4, "holder_id": d1})
    assert given.status_code == 201
    # nobody here is checked in: the proxy stands, and the secretary reads that its holder is not in the room yet
    assert given.get_json()["notes"] == ["Council D1 is not checked in: they carry this vote once they are in the "
                                         "room and signed in."]
    listed = client.get(f"/api/meetings/{room.slug}/proxies").get_json()["proxies"]
    assert listed == [{"id": given.get_json()["proxy"]["id"], "giver_id": d4, "giver": "Council D4", "giver_seat": "D4",
                       "holder_id": d1, "holder": "Council D1", "holder_seat": "D1"}]
    assert _deltas(socks["council-chair"], "vote.proxy_list") == [{"proxies": listed}]
    assert _deltas(socks["council-d1"], "vote.proxies") == [{"membership_id": d1}]
    assert _deltas(socks["council-d4"], "vote.proxies") == [{"membership_id": d4}]
    assert socks["council-d2"].get_received() == []
    self_proxy = client.post(f"/api/meetings/{room.slug}/proxies", json={"giver_id": d1, "holder_id": d1})
    assert self_proxy.status_code == 400 and "cannot hold their own proxy" in self_proxy.get_json()["message"]
    passed_on = client.post(f"/api/meetings/{room.slug}/proxies",
                            json={"giver_id": d1, "holder_id": room.members[room.delegates[1]]})
    assert passed_on.status_code == 409 and "cannot be passed on" in passed_on.get_json()["message"]
    assert client.delete(f"/api/meetings/{room.slug}/proxies/{listed[0]['id']}").status_code == 200
    assert _deltas(socks["council-chair"], "vote.proxy_list") == [{"proxies": []}]
    with app.app_context():
        from app.voting.models import VoteProxy

        assert db.session.query(VoteProxy).count() == 0


def test_an_open_stands_when_the_ballot_writer_cannot_warm_up(app, client, room_ids, monkeypatch):
    """Warming the writer up is best effort: if reading the vote's facts fails right after the open, the
    chair still gets the open vote (no server error), and the first ballot reads the facts itself."""
    from app.voting import service

    room = room_ids
    _login(client, "council-chair")
    vote = client.post(f"/api/meetings/{room.slug}/votes", json={"question": "Adopt?"}).get_json()["vote"]

    def fail(self, vote_id):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(service.FactsCache, "get", fail)
        opened = client.post(f"/api/votes/{vote['id']}/open")
    assert opened.status_code == 200 and opened.get_json()["vote"]["state"] == "open", opened.get_json()
    tablet = app.test_client()
    _login(tablet, "council-d1")
    sock = socketio.test_client(app, flask_test_client=tablet)
    assert sock.emit("meeting.join", {"meeting": room.meeting_id}, callback=True)["ok"]
    ack = sock.emit("vote.cast", {"meeting": room.meeting_id, "vote": vote["id"],
                                  "options": [vote["options"][0]["id"]]}, callback=True)
    assert ack["ok"], ack
