"""Migrations: from an empty database to the newest schema, and the schema matches the models."""
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.conftest import PG_ADMIN_URL, _pg_connect


def _check(url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tmp_path, "TESTING": True})
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        assert diff == [], f"models and migrations disagree: {diff}"
        assert {"users", "meetings", "memberships", "agenda_items", "documents", "signin_tokens", "audit_log"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrade_from_empty_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)


@contextmanager
def _pg_database():
    """A fresh PostgreSQL database for one test (its SQLAlchemy URL), dropped afterwards; skip without a server."""
    try:
        admin = _pg_connect(PG_ADMIN_URL)
    except Exception:
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    name = f"dais_mig_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_upgrade_from_empty_postgresql(tmp_path):
    with _pg_database() as url:
        _check(url, tmp_path)


def _plurality_roundtrip(url, tmp_path):
    """0011 widens votes.rule's check in place: every vote, option and ballot stays (SQLite's table copy would have
    cascaded their deletion); a plurality vote is taken after it and refused before it; a downgrade with one
    refuses and changes nothing."""
    from app.voting import service as voting
    from app.voting.models import Vote, VoteOption, VoteParticipation
    from app.voting.schemas import VoteSpec
    from app.auth.models import User
    from app.meetings.models import Meeting
    from tests.factories import add_member, make_meeting

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": tmp_path, "TESTING": True})
    with app.app_context():
        upgrade(revision="heads")
        meeting = make_meeting("council", status=Meeting.LIVE)
        chair = add_member(meeting, "chair", "chair", "C1").user
        voter = add_member(meeting, "d1", "delegate", "D1")
        db.session.commit()
        meeting_id, chair_id, voter_user = meeting.id, chair.id, voter.user_id
        vote = voting.create_vote(meeting, chair, VoteSpec(question="Adopt?"))
        db.session.commit()
        voting.open_vote(voting.get_vote(vote.id), chair)
        db.session.commit()
        voting.cast_ballot(vote.id, voter_user, [voting.get_vote(vote.id).options[0].id])
        voting.close_vote(voting.get_vote(vote.id), chair)
        db.session.commit()
        counts = lambda: tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))   # noqa: E731
                               for m in (Vote, VoteOption, VoteParticipation))
        before = counts()
        assert before == (1, 3, 1)
        plurality = {"question": "Elect a rapporteur", "method": "election", "options": ["Ana", "Bao", "Chi"],
                     "max_choices": 1, "rule": "plurality"}

        db.session.remove()
        downgrade(revision="0004_voting")      # this branch back to before 0011 only
        assert counts() == before
        with pytest.raises(sa.exc.IntegrityError):
            voting.create_vote(db.session.get(Meeting, meeting_id), db.session.get(User, chair_id), VoteSpec(**plurality))
            db.session.commit()
        db.session.rollback()

        upgrade(revision="heads")
        assert counts() == before
        taken = voting.create_vote(db.session.get(Meeting, meeting_id), db.session.get(User, chair_id), VoteSpec(**plurality))
        db.session.commit()
        assert voting.get_vote(taken.id).rule == "plurality"
        db.session.remove()
        with pytest.raises(SystemExit):   # Flask-Migrate logs the migration's sentence and exits
            downgrade(revision="0004_voting")
        db.session.remove()
        assert voting.get_vote(taken.id).rule == "plurality" and counts()[0] == 2
        db.session.remove()   # the session's connection back to the pool, which dispose() closes
        db.engine.dispose()


def test_the_plurality_rule_joins_existing_sqlite_votes_in_place(tmp_path):
    _plurality_roundtrip(f"sqlite:///{tmp_path / 'p.sqlite3'}", tmp_path)


def test_the_plurality_rule_joins_existing_postgresql_votes_in_place(tmp_path):
    with _pg_database() as url:
        _plurality_roundtrip(url, tmp_path)
