"""Voting fixtures: a live meeting with a chair, a secretary, weighted delegates and an observer."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.meetings.models import Meeting, Membership
from tests.factories import add_member, make_meeting


@dataclass
class Room:
    """The ids of a ready meeting (ids, not objects: tests commit and reload freely)."""

    meeting_id: int
    slug: str
    chair: int        # user ids
    secretary: int
    delegates: list[int]
    observer: int
    members: dict[int, int]  # user id -> membership id


def build_room(slug: str = "council", weights: tuple[int, ...] = (1, 1, 2, 3)) -> Room:
    """A live meeting: chair (weight 1), secretary (1), delegates with `weights`, one observer."""
    meeting = make_meeting(slug, status=Meeting.LIVE)
    chair = add_member(meeting, f"{slug}-chair", Membership.CHAIR, seat="C")
    # a secretary who is a member of the body and votes (the default secretary, a clerk, does not: test_non_voting)
    secretary = add_member(meeting, f"{slug}-sec", Membership.SECRETARY, seat="S", votes=True)
    delegates = [add_member(meeting, f"{slug}-d{n}", seat=f"D{n}", weight=w) for n, w in enumerate(weights, 1)]
    observer = add_member(meeting, f"{slug}-obs", Membership.OBSERVER, seat="O")
    db.session.commit()
    members = {m.user_id: m.id for m in [chair, secretary, observer, *delegates]}
    return Room(meeting.id, meeting.slug, chair.user_id, secretary.user_id, [d.user_id for d in delegates],
                observer.user_id, members)


@pytest.fixture(autouse=True)
def _progress_at_once(request):
    """Ballot counts are sent at once in tests (the server batches them every 0.25 s in a background task)."""
    if "app" in request.fixturenames:
        request.getfixturevalue("app").config["VOTING_PROGRESS_DELAY"] = 0


@pytest.fixture
def room(ctx) -> Room:
    """A ready meeting inside an app context."""
    return build_room()


@pytest.fixture
def room_ids(app) -> Room:
    """A ready meeting, built in an app context that is closed again (for HTTP and socket tests, whose
    requests must each get their own context and their own signed-in user)."""
    with app.app_context():
        built = build_room()
        db.session.remove()
    return built
