"""The ballot writer's own process (app/voting/writer_process.py): the same outcomes as storing in-process,
refusals in the voter's language after the trip back, the counter tick audited there, a dead child replaced."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.extensions import db, socketio
from app.voting import service
from app.auth.models import User
from app.meetings.models import Meeting
from app.voting.models import VoteOption, VoteParticipation
from app.voting.schemas import VoteSpec
from app.voting.writer import writer
from tests.voting.conftest import build_room
from tests.voting.test_batch import _open


@pytest.fixture
def process_app(app):
    """The app with its ballot writer in a process of its own (as under the real server)."""
    app.config["BALLOT_WRITER"] = "process"
    app.config["BALLOT_WRITERS"] = 1  # one child (the default; the last test runs two)
    yield app
    found = app.extensions.get("dais_ballot_writer")
    for process in found.processes if found is not None else ():
        process.stop()


def _tablet(app, username: str, lang: str = "en"):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "pw-secret-1"}).status_code == 302
    client.post(f"/lang/{lang}")
    return socketio.test_client(app, flask_test_client=client)


def _setup(app, slug: str, **spec):
    with app.app_context():
        room = build_room(slug)
        vote_id = _open(room, **spec)
        options = [o.id for o in service.get_vote(vote_id).options]
        db.session.remove()
    return room, vote_id, options


def _cast(sock, room, vote_id, option) -> dict:
    return sock.emit("vote.cast", {"meeting": room.meeting_id, "vote": vote_id, "options": [option]}, callback=True)


def test_ballots_go_through_the_writer_process_and_refusals_come_back_in_the_voters_language(process_app):
    app = process_app
    room, vote_id, options = _setup(app, "proc", secret=True)
    ballot_writer = writer(app)
    ballot_writer.start()
    child = ballot_writer.process.proc.pid
    assert child != os.getpid()
    first = _tablet(app, "proc-d1")
    ack = _cast(first, room, vote_id, options[0])
    assert ack["ok"] and ack["ballot"]["vote_id"] == vote_id, ack
    again = _cast(first, room, vote_id, options[1])  # secret ballots are final: refused by the child
    assert again["ok"] is False and "already recorded" in again["message"]
    observer = _tablet(app, "proc-obs", "vi")
    refused = _cast(observer, room, vote_id, options[0])
    assert refused == {"ok": False, "error": "forbidden",
                       "message": "Quan sát viên theo dõi cuộc họp nhưng không biểu quyết."}
    tick = ballot_writer.progress(vote_id)
    assert tick["data"]["ballots"] == 1 and tick["meeting_id"] == room.meeting_id
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 1
        audited = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "vote.ballots")).all()
        # the tick after the ballot (at once in tests, see conftest) and the one asked for above
        assert [e.detail["ballots"] for e in audited] == [1, 1]
        chair = service.get_vote(vote_id)
        service.close_vote(chair, None)
        db.session.commit()
        db.session.remove()
    # A ballot for a closed vote: refused in the child with the vote's state, a word translated on the way out.
    late = _tablet(app, "proc-d2", "vi")
    refused = _cast(late, room, vote_id, options[0])
    assert refused["message"] == (f"Không thể bỏ phiếu trong biểu quyết {vote_id}: biểu quyết đang ở trạng thái "
                                  "“đã đóng”.")
    assert ballot_writer.process.proc.pid == child  # one child served it all


def test_a_writer_process_that_dies_is_replaced_and_its_ballots_are_told_to_vote_again(process_app):
    app = process_app
    room, vote_id, options = _setup(app, "crash", secret=True)
    ballot_writer = writer(app)
    ballot_writer.start()
    first, second, third = (_tablet(app, f"crash-d{n}") for n in (1, 2, 3))
    # The child stops while it holds a ballot, then dies: the ballot's commit is unknown.
    os.kill(ballot_writer.process.proc.pid, signal.SIGSTOP)
    acks: list[dict] = []
    caster = threading.Thread(target=lambda: acks.append(_cast(first, room, vote_id, options[0])))
    caster.start()
    time.sleep(0.5)
    assert caster.is_alive()  # acknowledged only after the commit: it waits
    ballot_writer.process.proc.kill()
    caster.join(30)
    assert acks == [{"ok": False, "error": "unavailable",
                     "message": "Your ballot may not have been stored: the server's ballot store restarted. "
                                "Vote again; if it was stored, you will be told so."}]
    # The next ballots start a new child; the voter who was told to vote again can.
    assert _cast(second, room, vote_id, options[1])["ok"]
    assert ballot_writer.process.started == 2
    assert _cast(first, room, vote_id, options[0])["ok"]
    assert _cast(third, room, vote_id, options[2])["ok"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 3
        assert db.session.scalar(sa.select(sa.func.sum(VoteOption.ballots)).where(VoteOption.vote_id == vote_id)) == 3
        db.session.remove()


def test_the_counter_tick_is_audited_where_ballots_are_stored_inline_too(app):
    room, vote_id, options = _setup(app, "tick")
    sock = _tablet(app, "tick-d1")
    assert _cast(sock, room, vote_id, options[0])["ok"]
    with app.app_context():
        tick = writer(app).progress(vote_id)
        assert writer(app).process is None  # threading: stored in this process
        assert tick["data"] == {"vote_id": vote_id, "ballots": 1, "eligible": 6, "cast_weight": 1,
                                "eligible_weight": 9}
        assert tick["data"] == service.progress(service.get_vote(vote_id))  # the tick's SQL counts as the ORM does
        audited = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "vote.ballots")).all()
        assert audited and audited[-1].detail == {"vote_id": vote_id, "ballots": 1, "cast_weight": 1}
        assert audited[-1].meeting_id == room.meeting_id and audited[-1].actor_id is None
        db.session.remove()


def test_opening_a_vote_warms_the_writer_up_without_writing_anything(process_app):
    """The chair's open rehearses a ballot in the writer's process (its statements planned, its tables read)
    and rolls it back: no participation, no counter, no audit entry, and the rehearsed voter still votes."""
    app = process_app
    with app.app_context():
        room = build_room("warm")
        vote = service.create_vote(db.session.get(Meeting, room.meeting_id), db.session.get(User, room.chair),
                                   VoteSpec(question="Q?", secret=True))
        db.session.commit()
        vote_id, options = vote.id, [o.id for o in vote.options]
        audited = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)))
        db.session.remove()
    chair = app.test_client()
    assert chair.post("/login", data={"username": "warm-chair", "password": "pw-secret-1"}).status_code == 302
    response = chair.post(f"/api/votes/{vote_id}/open")
    assert response.status_code == 200 and response.get_json()["vote"]["state"] == "open", response.get_json()
    ballot_writer = writer(app)
    assert ballot_writer.process.running and vote_id in ballot_writer.facts  # the open warmed the writer up
    assert ballot_writer.warm(vote_id) is True  # the child ran the rehearsal through (and wrote nothing)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 0
        assert db.session.scalar(sa.select(sa.func.sum(VoteOption.ballots)).where(VoteOption.vote_id == vote_id)) == 0
        actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id).offset(audited)).all()
        assert [a for a in actions if a.startswith("vote.")] == ["vote.opened"]
        db.session.remove()
    # the member the rehearsal used (the first voting member: the chair) votes as anyone would
    sock = socketio.test_client(app, flask_test_client=chair)
    ack = sock.emit("vote.cast", {"meeting": room.meeting_id, "vote": vote_id, "options": [options[0]]}, callback=True)
    assert ack["ok"], ack


def test_two_writers_store_overlapping_batches_side_by_side_and_count_each_member_once(process_app):
    """Two writer processes (BALLOT_WRITERS=2, or two servers sharing a database): their batches overlap in
    time, and when both hold ballots of the same members (two devices each), each member is stored once,
    the other device told so, and the counters equal the stored ballots."""
    app = process_app
    app.config["BALLOT_WRITERS"] = 2
    with app.app_context():
        room = build_room("two", tuple(1 + n % 3 for n in range(40)))
        vote_id = _open(room, secret=True)
        options = [o.id for o in service.get_vote(vote_id).options]
        delegates = room.delegates
        # Batch A: delegates 0-29; batch B: delegates 10-39, in the opposite order: 20 members in both.
        first = [service.prepare_ballot(vote_id, u, [options[n % 3]]) for n, u in enumerate(delegates[:30])]
        second = [service.prepare_ballot(vote_id, u, [options[n % 3]]) for n, u in enumerate(reversed(delegates[10:]))]
        db.session.remove()
    ballot_writer = writer(app)
    ballot_writer.start()
    assert len({p.proc.pid for p in ballot_writer.processes}) == 2
    outcomes: dict[str, list] = {}
    batches = [threading.Thread(target=lambda name=name, batch=batch, process=process:
                                outcomes.__setitem__(name, process.store(batch)))
               for name, batch, process in (("a", first, ballot_writer.processes[0]),
                                            ("b", second, ballot_writer.processes[1]))]
    for thread in batches:
        thread.start()
    for thread in batches:
        thread.join(30)
    stored: dict[int, int] = {}
    for batch, results in ((first, outcomes["a"]), (second, outcomes["b"])):
        for ballot, outcome in zip(batch, results):
            if isinstance(outcome, service.Receipt):
                stored[ballot.user_id] = stored.get(ballot.user_id, 0) + 1
            else:
                assert "already recorded" in outcome.message, outcome
    assert sorted(stored) == sorted(delegates) and set(stored.values()) == {1}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 40
        counted = db.session.execute(sa.select(sa.func.sum(VoteOption.ballots), sa.func.sum(VoteOption.weight))
                                     .where(VoteOption.vote_id == vote_id)).one()
        assert tuple(counted) == (40, sum(1 + n % 3 for n in range(40)))
        db.session.remove()
