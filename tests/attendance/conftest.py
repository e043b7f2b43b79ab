"""A live meeting with staff, delegates of different weights, an observer, and their badges."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

import sqlalchemy as sa

from app.auth.models import User
from app.auth.service import ensure_badge
from app.extensions import db, socketio
from app.meetings.models import Meeting
from tests.factories import add_member, make_meeting


@dataclass
class Room:
    meeting_id: int
    slug: str
    chair: int
    secretary: int
    delegates: list[int]      # membership ids: weights 1, 1, 2, 3
    observer: int
    badges: dict[int, str]    # membership id -> raw badge token


@pytest.fixture
def room(app, ctx) -> Room:
    """Meeting “council” (live): chair C1, secretary S1, delegates D1..D4 (weights 1, 1, 2, 3), observer O1."""
    return make_room(app)


@pytest.fixture
def live_room(app) -> Room:
    """The same meeting for socket tests, built without holding an app context open.

    (Socket handlers would otherwise share the test's app context, and with it Flask-Login's cached user.)
    """
    with app.app_context():
        made = make_room(app)
        db.session.remove()
    return made


def make_room(app) -> Room:
    """Build the meeting of `room` (inside an app context)."""
    meeting = make_meeting("council", status=Meeting.LIVE)
    chair = add_member(meeting, "chair", "chair", "C1")
    secretary = add_member(meeting, "secretary", "secretary", "S1", votes=True)   # a member of the body who votes
    delegates = [add_member(meeting, f"delegate-{n}", "delegate", f"D{n}", weight=w, password=None)
                 for n, w in zip(range(1, 5), (1, 1, 2, 3))]
    observer = add_member(meeting, "observer", "observer", "O1", password=None)
    everyone = [chair, secretary, *delegates, observer]
    badges = {m.id: ensure_badge(app.config["SECRET_KEY"], m) for m in everyone}
    db.session.commit()
    return Room(meeting.id, meeting.slug, chair.id, secretary.id, [d.id for d in delegates], observer.id, badges)


class Device:
    """A signed-in tablet or console: an HTTP client and a Socket.IO client sharing one session."""

    def __init__(self, app, username: str):
        self.http = app.test_client()
        with app.app_context():
            user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        with self.http.session_transaction() as session:
            session["_user_id"] = str(user_id)
            session["_fresh"] = True
        self.sio = socketio.test_client(app, flask_test_client=self.http)
        self.seen: list[dict] = []

    def ack(self, event: str, payload=None):
        """Send an event; its ack."""
        return self.sio.emit(event, payload, callback=True)

    def join(self, meeting: int) -> dict:
        """meeting.join; the snapshot."""
        reply = self.ack("meeting.join", {"meeting": meeting})
        assert reply["ok"], reply
        return reply["snapshot"]

    def deltas(self, kind: str) -> list[dict]:
        """Every live.delta of one kind this device has received so far, oldest first."""
        self.seen += [p["args"][0] for p in self.sio.get_received() if p["name"] == "live.delta"]
        return [d for d in self.seen if d["kind"] == kind]


@pytest.fixture
def device(app):
    """Factory: device("chair") -> a connected, signed-in device."""
    made = []

    def make(username: str) -> Device:
        d = Device(app, username)
        made.append(d)
        return d

    yield make
    for d in made:
        if d.sio.is_connected():
            d.sio.disconnect()
