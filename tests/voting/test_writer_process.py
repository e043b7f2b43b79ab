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
from app.voting.models import VoteOption, VoteParticipation
from app.voting.writer import writer
from tests.voting.conftest import build_room
from tests.voting.test_batch import _open


@pytest.fixture
def process_app(app):
    """The app with its ballot writer in a process of its own (as under the real server)."""
    app.config["BALLOT_WRITER"] = "process"
    yield app
    found = app.extensions.get("dais_ballot_writer")
    if found is not None and found.process is not None:
        found.process.stop()


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
