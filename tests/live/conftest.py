"""Live-room fixtures: a meeting with a chair, delegates, an outsider meeting, documents, and socket helpers."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.auth.models import User

from app.documents.models import Document, PdfFile
from app.extensions import db, socketio
from app.meetings.models import Meeting, Membership
from tests.factories import add_member, make_meeting


def add_document(meeting: Meeting, item, title: str, pages: int) -> Document:
    """A document row with its PDF row (the live room only needs the ids and the page count)."""
    sha = hashlib.sha256(f"{meeting.slug}-{title}".encode()).hexdigest()
    if db.session.get(PdfFile, sha) is None:
        db.session.add(PdfFile(sha256=sha, size_bytes=1000, page_count=pages))
        db.session.flush()
    doc = Document(meeting_id=meeting.id, item_id=item.id, sha256=sha, title=title, filename=f"{title}.pdf")
    db.session.add(doc)
    db.session.flush()
    return doc


@dataclass
class Room:
    """Ids of the test meeting and its neighbours."""

    meeting: int
    slug: str
    items: list[int]
    doc: int
    doc_pages: int
    doc2: int
    other_meeting: int
    other_doc: int
    other_item: int


@pytest.fixture
def room(app) -> Room:
    """Meeting "council" (scheduled, 3 items, two documents) and meeting "other" with its own member."""
    app.extensions["dais_live"].presence_delay = 0  # presence reaches the chair at once in tests
    with app.app_context():
        m = make_meeting("council", items=3)
        add_member(m, "chair1", Membership.CHAIR, seat="C")
        add_member(m, "sec1", Membership.SECRETARY, seat="S", votes=True)   # a member of the body who votes
        add_member(m, "del1", seat="1")
        add_member(m, "del2", seat="2")
        add_member(m, "obs1", Membership.OBSERVER)
        items = sorted(m.items, key=lambda i: i.position)
        doc = add_document(m, items[0], "Budget", 5)
        doc2 = add_document(m, items[1], "Minutes", 2)
        o = make_meeting("other", items=1)
        add_member(o, "outsider")
        other_doc = add_document(o, o.items[0], "Secret", 3)
        db.session.commit()
        return Room(meeting=m.id, slug=m.slug, items=[i.id for i in items], doc=doc.id, doc_pages=5, doc2=doc2.id,
                    other_meeting=o.id, other_doc=other_doc.id, other_item=o.items[0].id)


class Sock:
    """A signed-in device: an HTTP client and a Socket.IO test client sharing its session."""

    def __init__(self, app, username: str | None, auth: dict | None = None):
        self.http = app.test_client()
        if username:
            # Signed in as Flask-Login would after a sign-in (checking the slow password hash each time is not the point here).
            with app.app_context():
                user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
            assert user_id is not None, username
            with self.http.session_transaction() as session:
                session["_user_id"] = str(user_id)
                session["_fresh"] = True
        self.sio = socketio.test_client(app, flask_test_client=self.http, auth=auth)

    def ack(self, event: str, payload=None, *args):
        """Send an event and return its ack."""
        return self.sio.emit(event, payload, *args, callback=True)

    def join(self, meeting: int) -> dict:
        """meeting.join; returns the snapshot (asserts the join worked)."""
        reply = self.ack("meeting.join", {"meeting": meeting})
        assert reply["ok"], reply
        return reply["snapshot"]

    def deltas(self, kind: str | None = None) -> list[dict]:
        """The live.delta messages received since the last call (optionally of one kind)."""
        out = [p["args"][0] for p in self.sio.get_received() if p["name"] == "live.delta"]
        return [d for d in out if kind is None or d["kind"] == kind]

    def received(self) -> list[dict]:
        """Every event received since the last call."""
        return self.sio.get_received()


@pytest.fixture
def sock(app):
    """Factory: sock("del1") -> a connected, signed-in device."""
    made: list[Sock] = []

    def make(username: str | None, auth: dict | None = None) -> Sock:
        s = Sock(app, username, auth)
        made.append(s)
        return s

    yield make
    for s in made:
        if s.sio.is_connected():
            s.sio.disconnect()
