"""Minutes fixtures: a meeting that really happened (attendance, votes, speeches through their services) and certificates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.auth.models import User
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Membership
from app.minutes import service
from app.minutes.signing import SigningConfig, generate_self_signed
from app.timeutil import utcnow
from tests.factories import add_member, make_meeting


@dataclass
class Held:
    """Ids of a meeting that was held: who came, what was voted and said."""

    meeting_id: int
    slug: str
    items: list[int]          # agenda item ids, in order
    chair: int                # user ids
    secretary: int
    members: dict[str, int]   # username -> membership id


NAMES = {
    "chair": "Nguyễn Thị Mai", "secretary": "Daniel Okafor", "d1": "Trần Văn Hùng", "d2": "Anna Kowalska",
    "d3": "Lê Minh Châu", "d4": "Phạm Quốc Bảo", "d5": "Hoàng Thu Hà",
}


def build_held_meeting(slug: str = "council") -> Held:
    """A live meeting: 5 delegates (weights 1,1,2,1,1); D1..D3 came (D2 left early), D4 excused, D5 absent;
    a named motion on item 1 (adopted), a secret motion on item 2, two speeches on item 1."""
    from app.attendance.service import check_in, mark_excused, mark_left
    from app.speakers.service import end_speech, give_floor, request_floor
    from app.voting import service as voting
    from app.voting.schemas import VoteSpec

    meeting = make_meeting(slug, status=Meeting.LIVE, items=3)
    meeting.title = "Ủy ban Phát triển Đô thị – phiên họp 12/2026"
    ms: dict[str, Membership] = {}
    ms["chair"] = add_member(meeting, "chair", Membership.CHAIR, seat="C1")
    ms["secretary"] = add_member(meeting, "secretary", Membership.SECRETARY, seat="S1", votes=True)   # a member who votes
    for n, weight in zip(range(1, 6), (1, 1, 2, 1, 1)):
        ms[f"d{n}"] = add_member(meeting, f"d{n}", seat=f"D0{n}", weight=weight, password=None)
    for key, m in ms.items():
        m.user.name = NAMES[key]
    db.session.flush()
    chair, secretary = ms["chair"].user, ms["secretary"].user
    start = utcnow().replace(second=0, microsecond=0) - timedelta(hours=3)  # leaving cannot be in the future
    for n, key in enumerate(("chair", "secretary", "d1", "d2", "d3")):
        check_in(meeting, ms[key], secretary.id, now=start + timedelta(minutes=n))
    mark_left(meeting, ms["d2"], secretary.id, at=start + timedelta(minutes=50))
    mark_excused(meeting, ms["d4"], secretary.id, "Illness")
    db.session.commit()

    items = [i.id for i in sorted(meeting.items, key=lambda i: i.position)]
    item1 = db.session.get(AgendaItem, items[0])
    item1.title = "Budget 2027"
    for key in ("d1", "d3"):
        request_floor(meeting, ms[key], items[0])
    give_floor(meeting, items[0], None, chair.id, now=start + timedelta(minutes=10))
    give_floor(meeting, items[0], None, chair.id, now=start + timedelta(minutes=13, seconds=5))
    end_speech(meeting, chair.id, now=start + timedelta(minutes=15))
    db.session.commit()

    def run_vote(question: str, item_id: int, secret: bool, choices: dict[str, str]) -> None:
        vote = voting.create_vote(meeting, chair, VoteSpec(question=question, agenda_item_id=item_id, secret=secret))
        db.session.commit()
        voting.open_vote(voting.get_vote(vote.id), chair)
        db.session.commit()
        labels = {o.label: o.id for o in voting.get_vote(vote.id).options}
        for key, label in choices.items():
            voting.cast_ballot(vote.id, ms[key].user_id, [labels[label]])
        voting.close_vote(voting.get_vote(vote.id), chair)
        db.session.commit()

    run_vote("Adopt the budget 2027?", items[0], False, {"d1": "For", "d3": "For", "chair": "Against", "secretary": "Abstain"})
    run_vote("Close Market Street to cars?", items[1], True, {"d1": "Against", "d3": "For"})
    return Held(meeting.id, meeting.slug, items, chair.id, secretary.id, {k: m.id for k, m in ms.items()})


@pytest.fixture
def held(ctx) -> Held:
    """A held meeting inside an app context."""
    return build_held_meeting()


def close_meeting(held: Held) -> None:
    """The chair closes the held meeting, as before approving its minutes."""
    from app.meetings.service import change_status

    change_status(db.session.get(Meeting, held.meeting_id), Meeting.CLOSED, held.chair)
    db.session.commit()


def write_minutes(held: Held, n: int, notes: str, decision: str = "") -> None:
    """Save the minutes of the n-th item as the secretary."""
    item = db.session.get(AgendaItem, held.items[n])
    row = service.item_minutes(item.id)
    service.save_item_minutes(item, notes, decision, row.version if row else 0, held.secretary)
    db.session.commit()


def user(uid: int) -> User:
    return db.session.get(User, uid)


@dataclass
class CertFiles:
    cert: Path
    key: Path
    password: str | None

    def config(self, **overrides) -> SigningConfig:
        values = {"cert_path": self.cert, "key_path": self.key, "password": self.password, **overrides}
        return SigningConfig(**values)


def write_pair(folder: Path, name: str, password: str | None = None, **validity) -> CertFiles:
    """A self-signed certificate and key in `folder`."""
    cert_pem, key_pem = generate_self_signed(f"Dais test signer {name}", password=password, **validity)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}-cert.pem").write_bytes(cert_pem)
    (folder / f"{name}-key.pem").write_bytes(key_pem)
    return CertFiles(folder / f"{name}-cert.pem", folder / f"{name}-key.pem", password)


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> dict[str, CertFiles]:
    """A valid pair with a key password, and an expired pair."""
    folder = tmp_path_factory.mktemp("certs")
    now = datetime.now(timezone.utc)
    return {
        "valid": write_pair(folder, "valid", password="s3cret-pass"),
        "expired": write_pair(folder, "expired", not_before=now - timedelta(days=400), not_after=now - timedelta(days=1)),
    }
