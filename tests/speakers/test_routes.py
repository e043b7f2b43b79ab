"""The speakers list over HTTP: the same rules as the socket events."""
import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import AgendaItem


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
