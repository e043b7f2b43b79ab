"""Annotation fixtures: a meeting with a document and one person of every role, plus a second meeting."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.documents.service import attach_pdf
from app.extensions import db, socketio
from app.meetings.models import Membership
from tests.factories import add_member, make_meeting, make_pdf, make_user

ROLES = ("author", "delegate", "chair", "secretary", "admin", "outsider")


@dataclass
class Room:
    """Ids of everything the tests use (plain ints: objects would outlive their session)."""

    slug: str
    meeting_id: int
    doc_id: int
    other_slug: str
    other_meeting_id: int
    other_doc_id: int
    users: dict[str, int] = field(default_factory=dict)


def _attach(app, meeting, tmp_path, name, pages=3):
    pdf = make_pdf(tmp_path / f"{name}.pdf", pages=pages, text=name)
    return attach_pdf(meeting.items[0], pdf, filename=f"{name}.pdf", title=name.title(), data_dir=app.config["DATA_DIR"],
                      max_pages=100, max_bytes=10_000_000)


@pytest.fixture
def room(app, tmp_path) -> Room:
    """Meeting “council” (a 3-page A4 document, 595 × 842 pt) and meeting “other” with its own document."""
    with app.app_context():
        meeting = make_meeting("council")
        members = {
            "author": add_member(meeting, "ana", Membership.DELEGATE, seat="1"),
            "delegate": add_member(meeting, "ben", Membership.DELEGATE, seat="2"),
            "chair": add_member(meeting, "chloe", Membership.CHAIR, seat="C"),
            "secretary": add_member(meeting, "sam", Membership.SECRETARY, seat="S"),
        }
        admin = make_user("root", admin=True)
        outsider = make_user("olga")
        doc = _attach(app, meeting, tmp_path, "budget")
        other = make_meeting("other")
        add_member(other, "olga", Membership.DELEGATE, seat="1")
        add_member(other, "ana", Membership.DELEGATE, seat="9")
        other_doc = _attach(app, other, tmp_path, "zoning")
        db.session.commit()
        r = Room(slug="council", meeting_id=meeting.id, doc_id=doc.id, other_slug="other",
                 other_meeting_id=other.id, other_doc_id=other_doc.id)
        r.users = {k: m.user_id for k, m in members.items()}
        r.users["admin"] = admin.id
        r.users["outsider"] = outsider.id
    return r


USERNAMES = {"author": "ana", "delegate": "ben", "chair": "chloe", "secretary": "sam", "admin": "root", "outsider": "olga"}


@pytest.fixture
def login(app):
    """login(role) -> a signed-in HTTP client of its own (role “anonymous”: not signed in)."""

    def _login(role: str):
        client = app.test_client()
        if role != "anonymous":
            # Straight into the session (what POST /login leaves there; tests/auth covers the password form).
            with app.app_context():
                user_id = db.session.scalar(sa.select(User.id).where(User.username == USERNAMES[role]))
            with client.session_transaction() as session:
                session["_user_id"] = str(user_id)
                session["_fresh"] = True
        return client

    return _login


@pytest.fixture
def sock(app):
    """sock(client) -> a Socket.IO test client sharing that HTTP client's session (received events drained)."""
    made = []

    def _sock(client):
        sc = socketio.test_client(app, flask_test_client=client)
        sc.get_received()
        made.append(sc)
        return sc

    yield _sock
    for sc in made:
        if sc.is_connected():
            sc.disconnect()


def highlight(room: Room, **over) -> dict:
    """A valid highlight payload on page 1 of the council document."""
    body = {"document_id": room.doc_id, "page": 1, "kind": "highlight", "geometry": {"rects": [[72, 60, 300, 80]]},
            "text": "check this"}
    body.update(over)
    return body


def ink(room: Room, **over) -> dict:
    """A valid two-stroke ink payload on page 2."""
    body = {"document_id": room.doc_id, "page": 2, "kind": "ink", "color": "#1565c0", "width": 3,
            "geometry": {"strokes": [[[100, 100], [150, 120], [200, 180]], [[300, 300], [310, 340]]]}}
    body.update(over)
    return body


def note(room: Room, **over) -> dict:
    """A valid sticky note payload on page 3."""
    body = {"document_id": room.doc_id, "page": 3, "kind": "note", "geometry": {"point": [400, 500]},
            "text": "Ask about line 4"}
    body.update(over)
    return body
