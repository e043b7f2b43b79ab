"""The speakers list over HTTP: the same rules as the socket events."""
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import AgendaItem, Meeting
from app.speakers.models import SpeakerSettings


def test_http_list_floor_and_refusals(client, auth, room):
    item = db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.meeting_id == room.meeting_id)
                             .order_by(AgendaItem.position))
    auth.badge(room.badges[room.delegates[0]])
    asked = client.post("/api/meetings/council/speakers", json={"item_id": item})
    assert asked.get_json()["ok"] and asked.get_json()["speakers"]["queues"][str(item)][0]["seat"] == "D1"
    assert client.post("/api/meetings/council/speakers", json={"item_id": item}).status_code == 409
    assert client.post("/api/meetings/council/speakers", json={"item_id": "x"}).status_code == 400
    assert client.post("/api/meetings/council/speakers/floor", json={"item_id": item}).status_code == 403
    auth.logout()
    auth.login("chair")
    floor = client.post("/api/meetings/council/speakers/floor", json={"item_id": item}).get_json()
    assert floor["speakers"]["speaking"]["seat"] == "D1"
    assert client.post("/api/meetings/council/speakers/end", json={}).get_json()["speakers"]["speaking"] is None
    assert client.post("/api/meetings/council/speakers/end", json={}).status_code == 409
    listing = client.get("/api/meetings/council/speakers").get_json()
    assert listing["speakers"]["queues"] == {}
    from app.speakers.service import speeches_for_item

    assert [s["seat"] for s in speeches_for_item(item)] == ["D1"]


def _refused(reply, status, error, message):
    assert (reply.status_code, reply.get_json()) == (status, {"ok": False, "error": error, "message": message})


def test_speaking_times_must_be_json_numbers(app, client, auth, live_room):
    auth.login("chair")
    url = "/api/meetings/council/speakers/settings"
    for body, field in [({"limit_seconds": "60"}, "limit_seconds"), ({"limit_seconds": 60.5}, "limit_seconds"),
                        ({"limit_seconds": True}, "limit_seconds"),
                        ({"limit_seconds": 60, "warn_seconds": "10"}, "warn_seconds")]:
        _refused(client.post(url, json=body), 400, "bad_input",
                 f"The request was not understood: “{field}” must be a whole number.")
    assert client.get("/api/meetings/council/speakers").get_json()["speakers"]["limit_seconds"] == 180
    changed = client.post(url, json={"limit_seconds": 60, "warn_seconds": 10}).get_json()["speakers"]
    assert (changed["limit_seconds"], changed["warn_seconds"]) == (60, 10)


def test_a_closed_meeting_s_speaking_time_cannot_change(app, client, auth, live_room):
    with app.app_context():
        db.session.get(Meeting, live_room.meeting_id).status = Meeting.CLOSED
        db.session.commit()
    auth.login("secretary")
    _refused(client.post("/api/meetings/council/speakers/settings", json={"limit_seconds": 120, "warn_seconds": 15}),
             409, "invalid_transition", "This meeting is closed; its list of speakers is part of the record now.")
    speakers = client.get("/api/meetings/council/speakers").get_json()["speakers"]
    assert (speakers["limit_seconds"], speakers["warn_seconds"]) == (180, 30)
    with app.app_context():
        assert db.session.get(SpeakerSettings, live_room.meeting_id) is None


def test_the_chair_adds_a_speaker_and_more_time_over_http(client, auth, room):
    item = db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.meeting_id == room.meeting_id)
                             .order_by(AgendaItem.position))
    body = {"item_id": item, "membership_id": room.observer}
    auth.login("secretary")   # the list is the chair's to run
    _refused(client.post("/api/meetings/council/speakers/add", json=body), 403, "forbidden",
             "Only the chair of this meeting (or an admin) may do this.")
    auth.logout()
    auth.login("chair")
    added = client.post("/api/meetings/council/speakers/add", json=body).get_json()
    assert [w["seat"] for w in added["speakers"]["queues"][str(item)]] == ["O1"] and added["request_id"]
    _refused(client.post("/api/meetings/council/speakers/add", json=body), 409, "conflict",
             "Observer is already on the list for this item.")
    _refused(client.post("/api/meetings/council/speakers/add", json={**body, "membership_id": "7"}), 400, "bad_input",
             "The request was not understood: “membership_id” must be a whole number.")
    _refused(client.post("/api/meetings/council/speakers/time", json={"seconds": 60}), 409, "invalid_transition",
             "Nobody has the floor right now.")
    floor = client.post("/api/meetings/council/speakers/floor", json={"item_id": item}).get_json()["speakers"]
    more = client.post("/api/meetings/council/speakers/time", json={"seconds": 60}).get_json()["speakers"]
    assert (floor["speaking"]["limit_seconds"], more["speaking"]["limit_seconds"]) == (180, 240)
    _refused(client.post("/api/meetings/council/speakers/time", json={"seconds": 3600}), 400, "bad_input",
             "The request was not understood: “seconds” must be at most 600.")


def test_the_chair_stops_and_starts_the_clock_over_http(client, auth, room):
    item = db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.meeting_id == room.meeting_id)
                             .order_by(AgendaItem.position))
    auth.login("chair")
    _refused(client.post("/api/meetings/council/speakers/pause", json={}), 409, "invalid_transition",
             "Nobody has the floor right now.")
    client.post("/api/meetings/council/speakers/add", json={"item_id": item, "membership_id": room.delegates[0]})
    client.post("/api/meetings/council/speakers/floor", json={"item_id": item})
    held = client.post("/api/meetings/council/speakers/pause", json={}).get_json()["speakers"]["speaking"]
    assert held["paused"] and held["ends_at"] is None
    _refused(client.post("/api/meetings/council/speakers/pause", json={}), 409, "invalid_transition",
             "The speech's clock is stopped already.")
    running = client.post("/api/meetings/council/speakers/resume", json={}).get_json()["speakers"]["speaking"]
    assert not running["paused"] and running["ends_at"]
    auth.logout()
    auth.badge(room.badges[room.delegates[1]])
    _refused(client.post("/api/meetings/council/speakers/pause", json={}), 403, "forbidden",
             "Only the chair of this meeting (or an admin) may do this.")
