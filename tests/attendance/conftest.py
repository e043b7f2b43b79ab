"""A live meeting with staff, delegates of different weights, an observer, and their badges."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth.service import ensure_badge
from app.extensions import db
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
    meeting = make_meeting("council", status=Meeting.LIVE)
    chair = add_member(meeting, "chair", "chair", "C1")
    secretary = add_member(meeting, "secretary", "secretary", "S1")
    delegates = [add_member(meeting, f"delegate-{n}", "delegate", f"D{n}", weight=w, password=None)
                 for n, w in zip(range(1, 5), (1, 1, 2, 3))]
    observer = add_member(meeting, "observer", "observer", "O1", password=None)
    everyone = [chair, secretary, *delegates, observer]
    badges = {m.id: ensure_badge(app.config["SECRET_KEY"], m) for m in everyone}
    db.session.commit()
    return Room(meeting.id, meeting.slug, chair.id, secretary.id, [d.id for d in delegates], observer.id, badges)
