"""Group commit: many ballots in one transaction, each answered alone; acks only for committed ballots."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.errors import Conflict, DomainError, Forbidden
from app.extensions import db, socketio
from app.meetings.models import Meeting
from app.voting import service
from app.voting.batch_sql import BatchSQL
from app.voting.models import Vote, VoteOption, VoteParticipation
from app.voting.schemas import VoteSpec
from app.voting.writer import writer
from tests.voting.conftest import build_room

WEIGHTS = (1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3)  # twelve delegates


def _open(room, **spec) -> int:
    chair = db.session.get(User, room.chair)
    vote = service.create_vote(db.session.get(Meeting, room.meeting_id), chair, VoteSpec(question="Q?", **spec))
    db.session.commit()
    service.open_vote(vote, chair)
    db.session.commit()
    return vote.id


def _counters(vote_id: int) -> dict[str, tuple[int, int]]:
    return {label: (b, w) for label, b, w in db.session.execute(
        sa.select(VoteOption.label, VoteOption.ballots, VoteOption.weight).where(VoteOption.vote_id == vote_id))}


@pytest.fixture(params=["session", "writer"])
def driver(request, ctx):
    """What a batch runs on: the session's connection (in-process writer, tests, the CLI), or the connection
    the writer's child process keeps (BatchSQL.keep and .driver: libpq's pipeline on PostgreSQL)."""
    if request.param == "session":
        yield None
        return
    raw, driver = BatchSQL.writer_connection(db.engine)
    try:
        yield driver
    finally:
        raw.close()


def test_one_batch_stores_the_good_ballots_and_refuses_each_bad_one_alone(ctx, driver):
    room = build_room("batch", WEIGHTS[:4])
    vote_id = _open(room, secret=True)
    ids = {o.label: o.id for o in service.get_vote(vote_id).options}
    d1, d2, d3, d4 = room.delegates
    ballots = [
        service.prepare_ballot(vote_id, d1, [ids["For"]]),
        service.prepare_ballot(vote_id, d2, [ids["Against"]]),
        service.prepare_ballot(vote_id, d1, [ids["Against"]]),       # the same delegate's second device
        service.prepare_ballot(vote_id, room.observer, [ids["For"]]),
        service.prepare_ballot(vote_id, d3, [ids["For"], ids["Against"]]),
        service.prepare_ballot(vote_id, d4, [ids["Abstain"]]),
    ]
    db.session.remove()
    outcomes = service.store_ballots(ballots, driver)
    assert [type(o).__name__ for o in outcomes] == ["Receipt", "Receipt", "Conflict", "Forbidden", "BadInput",
                                                    "Receipt"]
    assert "secret ballots are final" in outcomes[2].message and "Observers" in outcomes[3].message
    assert _counters(vote_id) == {"For": (1, 1), "Against": (1, 2), "Abstain": (1, 1)}
    assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 3
    # One transaction wrote every option row once: on PostgreSQL they share one row version, so nothing
    # tells which option which ballot chose, not even the order of the ballots in the batch.
    if db.engine.dialect.name == "postgresql":
        xmins = set(db.session.execute(sa.text("SELECT xmin::text FROM vote_options WHERE vote_id = :v"),
                                       {"v": vote_id}).scalars())
        assert len(xmins) == 1


def test_a_ballot_that_breaks_the_batch_fails_alone_and_the_others_are_stored(ctx, driver):
    room = build_room("broken", WEIGHTS[:3])
    vote_id = _open(room, secret=True)
    yes = service.get_vote(vote_id).options[0].id
    good1, bad, good2 = (service.prepare_ballot(vote_id, uid, [yes]) for uid in room.delegates)
    bad.now = "not a time"  # the database refuses this row: the whole batch's transaction fails
    db.session.remove()
    outcomes = service.store_ballots([good1, bad, good2], driver)
    assert isinstance(outcomes[0], service.Receipt) and isinstance(outcomes[2], service.Receipt)
    assert isinstance(outcomes[1], Exception) and not isinstance(outcomes[1], DomainError)
    assert _counters(vote_id)["For"] == (2, 1 + 3)
    members = set(db.session.scalars(sa.select(VoteParticipation.membership_id)))
    assert members == {room.members[room.delegates[0]], room.members[room.delegates[2]]}


def test_a_named_batch_with_a_proxy_stores_each_choice_under_its_owner(ctx, driver):
    """A named vote's batch reads the new participations' ids back to store the choices; a proxy holder's two
    ballots go to two owners, and the giver's own device is refused with the holder's name."""
    room = build_room("named", WEIGHTS[:3])
    d1, d2, d3 = room.delegates
    meeting = db.session.get(Meeting, room.meeting_id)
    service.give_proxy(meeting, db.session.get(User, room.secretary), room.members[d3], room.members[d1])
    db.session.commit()
    vote_id = _open(room)  # named
    ids = {o.label: o.id for o in service.get_vote(vote_id).options}
    ballots = [service.prepare_ballot(vote_id, d1, [ids["For"]]),
               service.prepare_ballot(vote_id, d1, [ids["Against"]], on_behalf_of=room.members[d3]),
               service.prepare_ballot(vote_id, d3, [ids["For"]]),
               service.prepare_ballot(vote_id, d2, [ids["Abstain"]])]
    holder = db.session.get(User, d1).name
    db.session.remove()
    outcomes = service.store_ballots(ballots, driver)
    assert [type(o).__name__ for o in outcomes] == ["Receipt", "Receipt", "Forbidden", "Receipt"]
    assert f"carried by proxy by {holder}" in outcomes[2].message
    assert [(n["membership_id"], n["choices"], n["proxy_by"]) for n in service.named_ballots(vote_id)] == sorted(
        [(room.members[d1], ["For"], None), (room.members[d2], ["Abstain"], None),
         (room.members[d3], ["Against"], holder)])
    assert _counters(vote_id) == {"For": (1, 1), "Against": (1, 3), "Abstain": (1, 2)}


def _login(client, username):
    assert client.post("/login", data={"username": username, "password": "pw-secret-1"}).status_code == 302


def test_concurrent_tablets_are_each_counted_once_through_the_writer(app):
    with app.app_context():
        room = build_room("crowd", WEIGHTS)
        vote_id = _open(room, secret=True)
        options = [o.id for o in service.get_vote(vote_id).options]
        db.session.remove()
    socks = []
    for n, uid in enumerate(room.delegates):
        client = app.test_client()
        _login(client, f"crowd-d{n + 1}")
        sock = socketio.test_client(app, flask_test_client=client)
        socks.append(sock)
    # Each delegate's tablet sends its ballot twice at the same instant (a double tap on two devices).
    barrier = threading.Barrier(2 * len(socks))
    acks: list[dict] = []

    def tap(n: int, sock) -> None:
        barrier.wait()
        acks.append(sock.emit("vote.cast", {"meeting": room.meeting_id, "vote": vote_id,
                                            "options": [options[n % 3]]}, callback=True))

    threads = [threading.Thread(target=tap, args=(n, s)) for n, s in enumerate(socks) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    ok = [a for a in acks if a["ok"]]
    refused = [a for a in acks if not a["ok"]]
    assert len(ok) == len(socks) and len(refused) == len(socks), acks
    assert all("already recorded" in a["message"] for a in refused)
    assert writer(app).batches <= len(acks)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == len(socks)
        totals = db.session.execute(sa.select(sa.func.sum(VoteOption.ballots), sa.func.sum(VoteOption.weight))
                                    .where(VoteOption.vote_id == vote_id)).one()
        assert tuple(totals) == (len(socks), sum(WEIGHTS))
        db.session.remove()
    for sock in socks:
        sock.disconnect()


def test_a_close_during_a_burst_counts_exactly_the_acknowledged_ballots(app):
    with app.app_context():
        room = build_room("burst", WEIGHTS)
        vote_id = _open(room, secret=True)
        yes = service.get_vote(vote_id).options[0].id
        db.session.remove()
    started = threading.Barrier(len(room.delegates) + 1)
    outcomes: list = []

    def device(uid: int) -> None:
        with app.app_context():
            started.wait()
            try:
                outcomes.append(writer(app).submit(service.prepare_ballot(vote_id, uid, [yes])))
            except DomainError as exc:
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=device, args=(uid,)) for uid in room.delegates]
    for t in threads:
        t.start()
    with app.app_context():
        started.wait()
        vote = service.close_vote(service.get_vote(vote_id), db.session.get(User, room.chair))
        result = vote.result
        db.session.remove()
    for t in threads:
        t.join(60)
    acked = [o for o in outcomes if isinstance(o, service.Receipt)]
    refused = [o for o in outcomes if not isinstance(o, service.Receipt)]
    assert len(acked) + len(refused) == len(room.delegates)
    assert all("it is closed" in o.message for o in refused), refused
    with app.app_context():
        stored = db.session.scalar(sa.select(sa.func.count(VoteParticipation.id)))
        assert result["ballots"] == len(acked) == stored
        assert result["cast_weight"] == sum(_counters(vote_id)[k][1] for k in ("For", "Against", "Abstain"))
        assert db.session.get(Vote, vote_id).state == Vote.CLOSED
        db.session.remove()


def test_a_refusal_from_the_writer_reaches_only_its_own_sender(ctx):
    room = build_room("alone", WEIGHTS[:2])
    vote_id = _open(room, allow_change=False)
    yes = service.get_vote(vote_id).options[0].id
    first = writer().submit(service.prepare_ballot(vote_id, room.delegates[0], [yes]))
    assert first.membership_id == room.members[room.delegates[0]]
    for uid, expected in ((room.delegates[0], Conflict), (room.observer, Forbidden)):
        try:
            writer().submit(service.prepare_ballot(vote_id, uid, [yes]))
        except DomainError as exc:
            assert isinstance(exc, expected)
        else:
            raise AssertionError("a refused ballot was acknowledged")


def test_a_ballot_that_meets_a_close_in_progress_waits_for_it_and_is_refused(app):
    """The batch reads the vote's state under a lock; while another transaction holds the vote (a close not
    yet committed) the batch waits for it, then refuses the ballot, and stores nothing."""
    with app.app_context():
        room = build_room("held", WEIGHTS[:2])
        vote_id = _open(room, secret=True)
        yes = service.get_vote(vote_id).options[0].id
        ballot = service.prepare_ballot(vote_id, room.delegates[0], [yes])
        db.session.remove()
        closing = db.engine.connect()
        if db.engine.dialect.name == "sqlite":
            closing.exec_driver_sql("BEGIN IMMEDIATE")
        closing.execute(sa.update(Vote).where(Vote.id == vote_id).values(state=Vote.CLOSED))
    outcome: list = []

    def device() -> None:
        with app.app_context():
            outcome.extend(service.store_ballots([ballot]))
            db.session.remove()

    thread = threading.Thread(target=device)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive() and not outcome  # waiting for the close, not refused or stored on a stale read
    closing.commit()
    closing.close()
    thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], DomainError) and "it is closed" in outcome[0].message
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 0
        assert sum(b for b, _ in _counters(vote_id).values()) == 0
        db.session.remove()


def test_the_warm_up_of_an_open_vote_rehearses_a_batch_and_changes_nothing(ctx, driver):
    """service.warm_up(vote) runs a whole batch for the vote's first voting member and rolls it back: even
    where that member has voted already and may change their ballot, nothing they chose is touched."""
    room = build_room("rehearse", WEIGHTS[:2])
    vote_id = _open(room, allow_change=True)
    ids = {o.label: o.id for o in service.get_vote(vote_id).options}
    db.session.remove()
    chair_ballot = service.prepare_ballot(vote_id, room.chair, [ids["Against"]])  # the first voting member
    assert isinstance(service.store_ballots([chair_ballot])[0], service.Receipt)
    db.session.remove()
    before = _counters(vote_id), service.named_ballots(vote_id)
    db.session.remove()
    assert service.warm_up(driver, vote_id) is True
    db.session.remove()
    assert (_counters(vote_id), service.named_ballots(vote_id)) == before
    assert _counters(vote_id) == {"For": (0, 0), "Against": (1, 1), "Abstain": (0, 0)}
    assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 1
    # a vote with no voting member, or one that is not open, is nothing to rehearse
    assert service.warm_up(driver, 999_999) is False
    assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 1


def test_the_writers_kept_connection_prepares_at_once_and_plans_generically(ctx):
    """BatchSQL.keep: on PostgreSQL the writer's connection prepares each statement at its first run and
    the server plans it once, generically; on SQLite it is left as it is. Batches on it store as before."""
    raw = db.engine.raw_connection()
    try:
        driver = raw.dbapi_connection
        BatchSQL.of(db.engine.dialect).keep(driver)
        if db.engine.dialect.name == "postgresql":
            assert driver.prepare_threshold == 0
            assert driver.execute("SHOW plan_cache_mode").fetchone()[0] == "force_generic_plan"
            driver.rollback()
        room = build_room("kept", WEIGHTS[:3])
        vote_id = _open(room, secret=True)
        ids = {o.label: o.id for o in service.get_vote(vote_id).options}
        ballots = [service.prepare_ballot(vote_id, d, [ids["For"]]) for d in room.delegates]
        db.session.remove()
        for ballot in ballots:  # one batch each: the same statements run again and again, prepared
            assert isinstance(service.store_ballots([ballot], driver)[0], service.Receipt)
        assert _counters(vote_id)["For"] == (3, sum(WEIGHTS[:3]))
    finally:
        raw.close()
