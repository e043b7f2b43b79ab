"""What must never break: secret ballots unlinkable, one ballot under concurrency, restart keeps an open vote."""
from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.timeutil import utcnow
from app.voting import service
from app.voting.models import Vote, VoteNamedChoice, VoteOption, VoteParticipation
from app.voting.schemas import VoteSpec


def _open(room, **spec) -> int:
    chair = db.session.get(User, room.chair)
    vote = service.create_vote(db.session.get(Meeting, room.meeting_id), chair, VoteSpec(question="Q?", **spec))
    db.session.commit()
    service.open_vote(vote, chair)
    db.session.commit()
    return vote.id


def test_secret_ballots_cannot_be_joined_to_voters_by_schema_or_rows(room):
    vote_id = _open(room, secret=True)
    options = {o.label: o.id for o in service.get_vote(vote_id).options}
    choices = dict(zip(room.delegates, ["For", "Against", "For", "Abstain"]))
    for uid, label in choices.items():
        service.cast_ballot(vote_id, uid, [options[label]])
    inspector = sa.inspect(db.engine)
    # Who voted: no column refers to an option, and nothing but the voter, the vote and a time.
    part_cols = {c["name"] for c in inspector.get_columns("vote_participations")}
    assert part_cols == {"id", "vote_id", "membership_id", "cast_by_id", "weight", "cast_at"}
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("vote_participations")} == {"votes", "memberships"}
    # What was chosen: counters only; no voter, ballot, time or sequence column.
    option_cols = {c["name"] for c in inspector.get_columns("vote_options")}
    assert option_cols == {"id", "vote_id", "position", "label", "kind", "ballots", "weight"}
    assert {fk["referred_table"] for fk in inspector.get_foreign_keys("vote_options")} == {"votes"}
    # No per-ballot choice row exists for a secret vote.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoteNamedChoice)) == 0
    # The stored rows: four participations, and counters that only add up.
    parts = db.session.execute(sa.select(VoteParticipation.membership_id).where(VoteParticipation.vote_id == vote_id)).all()
    assert len(parts) == 4
    counters = {label: (b, w) for label, b, w in db.session.execute(
        sa.select(VoteOption.label, VoteOption.ballots, VoteOption.weight).where(VoteOption.vote_id == vote_id))}
    assert counters == {"For": (2, 3), "Against": (1, 1), "Abstain": (1, 3)}
    # Every option row was rewritten by every ballot, so on PostgreSQL all carry the last ballot's
    # transaction id (xmin): the row versions show that a ballot was cast, not which option it chose.
    if db.engine.dialect.name == "postgresql":
        xmins = set(db.session.execute(sa.text("SELECT xmin::text FROM vote_options WHERE vote_id = :v"), {"v": vote_id}).scalars())
        assert len(xmins) == 1
    # Nothing a voter's tablet or the console can read reveals a secret choice.
    d1 = room.delegates[0]
    status = service.ballot_status(service.get_vote(vote_id), d1)
    assert status["ballots"][0]["voted"] and "choice" not in status["ballots"][0]
    vote = service.close_vote(service.get_vote(vote_id), db.session.get(User, room.chair))
    assert "named" not in vote.result and "Against" not in repr(service.results_for_meeting(room.meeting_id)[0].get("named"))


def _row_versions(table: str) -> int:
    """How many versions of the table's rows the database file still holds (PostgreSQL: live and dead tuples on
    its pages, read with pageinspect, as someone with the database's files could)."""
    db.session.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    db.session.commit()
    pages = db.session.scalar(sa.text(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int"))
    return sum(db.session.scalar(sa.text(f"SELECT count(*) FROM heap_page_items(get_raw_page('{table}', {n})) "
                                         "WHERE t_data IS NOT NULL")) for n in range(pages))


def test_once_a_secret_vote_closes_the_database_keeps_no_history_that_would_link_a_ballot(room, database_url):
    """The tables hold no link, but the database's own history did: SQLite's write-ahead log kept each commit's
    page of counters, PostgreSQL each commit's row versions; the difference of two consecutive counter versions
    is one batch's choices (and a batch of one ballot is one voter's, whose participation row was written in the
    same commit). On close that history goes: the log is emptied, the old row versions vacuumed."""
    vote_id = _open(room, secret=True)
    options = {o.label: o.id for o in service.get_vote(vote_id).options}
    for uid, label in zip(room.delegates, ["For", "Against", "For", "Abstain"]):
        service.cast_ballot(vote_id, uid, [options[label]])
        db.session.commit()
    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        wal = Path(database_url.removeprefix("sqlite:///") + "-wal")
        assert wal.stat().st_size > 0                     # the history is there while the vote runs
        service.close_vote(service.get_vote(vote_id), db.session.get(User, room.chair))
        db.session.remove()
        assert wal.stat().st_size == 0, "the write-ahead log still holds the counters' earlier versions"
    else:
        live = db.session.scalar(sa.select(sa.func.count()).select_from(VoteOption))
        assert _row_versions("vote_options") > live       # every ballot left a version of every counter
        service.close_vote(service.get_vote(vote_id), db.session.get(User, room.chair))
        db.session.remove()
        assert _row_versions("vote_options") == live
        assert _row_versions("vote_participations") == 4
    counters = {label: b for label, b in db.session.execute(
        sa.select(VoteOption.label, VoteOption.ballots).where(VoteOption.vote_id == vote_id))}
    assert counters == {"For": 2, "Against": 1, "Abstain": 1}   # the record itself is whole


def _race(app, vote_id: int, uid: int, option_id: int, n: int) -> list:
    barrier = threading.Barrier(n)
    outcomes: list = []

    def device():
        with app.app_context():
            barrier.wait()
            try:
                outcomes.append(service.cast_ballot(vote_id, uid, [option_id]))
            except Exception as exc:  # noqa: BLE001 - the test looks at what each device was told
                outcomes.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=device) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_devices_of_one_delegate_at_the_same_instant_count_once(app, room):
    vote_id = _open(room, secret=True)
    option = service.get_vote(vote_id).options[0].id
    db.session.remove()
    outcomes = _race(app, vote_id, room.delegates[3], option, 4)
    accepted = [o for o in outcomes if isinstance(o, service.Receipt)]
    refused = [o for o in outcomes if not isinstance(o, service.Receipt)]
    assert len(accepted) == 1 and len(refused) == 3
    assert all("already recorded" in str(getattr(e, "message", e)) for e in refused), refused
    counters = db.session.execute(sa.select(sa.func.sum(VoteOption.ballots), sa.func.sum(VoteOption.weight))
                                  .where(VoteOption.vote_id == vote_id)).one()
    assert tuple(counters) == (1, 3)
    assert db.session.scalar(sa.select(sa.func.count(VoteParticipation.id))) == 1


def test_named_changes_from_two_devices_at_once_keep_the_tally_consistent(app, room):
    vote_id = _open(room)
    first, second = [o.id for o in service.get_vote(vote_id).options][:2]
    uid = room.delegates[3]
    service.cast_ballot(vote_id, uid, [first])
    db.session.remove()
    outcomes = _race(app, vote_id, uid, second, 3)
    assert all(isinstance(o, service.Receipt) for o in outcomes), outcomes
    rows = {o.label: (o.ballots, o.weight) for o in db.session.scalars(sa.select(VoteOption).where(VoteOption.vote_id == vote_id))}
    assert rows == {"For": (0, 0), "Against": (1, 3), "Abstain": (0, 0)}


def test_a_restart_keeps_an_open_vote_with_its_ballots_and_its_timer(app, room, database_url, tmp_path):
    vote_id = _open(room, secret=True, duration_seconds=60)
    option = service.get_vote(vote_id).options[0].id
    for uid in room.delegates[:3]:
        service.cast_ballot(vote_id, uid, [option])
    deadline = service.get_vote(vote_id).deadline
    db.session.remove()
    db.engine.dispose()
    # A new process: a fresh app on the same database.
    again = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "DATA_DIR": tmp_path / "again"})
    with again.app_context():
        vote = service.get_vote(vote_id)
        assert vote.state == Vote.OPEN and vote.deadline == deadline
        assert service.progress(vote)["ballots"] == 3
        # A reconnecting delegate sees the open ballot and that they already voted.
        from app.live.viewer import Viewer
        from app.voting.live import snapshot_part

        meeting = db.session.get(Meeting, room.meeting_id)
        me = db.session.get(User, room.delegates[0])
        part = snapshot_part(meeting, None, Viewer(user_id=me.id, name=me.name))
        assert part["open"]["id"] == vote_id and part["open"]["me"]["ballots"][0]["voted"] is True
        assert service.close_overdue(deadline - timedelta(seconds=1)) == []
        service.cast_ballot(vote_id, room.delegates[3], [option])
        closed = service.close_overdue(deadline + timedelta(seconds=1))
        assert [v.id for v in closed] == [vote_id]
        vote = service.get_vote(vote_id)
        assert vote.state == Vote.CLOSED and vote.result["ballots"] == 4
        late = utcnow()
        try:
            service.cast_ballot(vote_id, room.chair, [option], now=late)
        except Exception as exc:  # noqa: BLE001
            assert "it is closed" in str(exc)
        else:
            raise AssertionError("a ballot after close was accepted")
        db.session.remove()
        db.engine.dispose()
