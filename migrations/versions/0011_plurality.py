"""votes.rule: 'plurality' (a choice or an election decided by the most votes, a relative majority)

Revision ID: 0011_plurality
Revises: 0004_voting

The rule's check constraint takes one more value. PostgreSQL replaces the constraint. SQLite cannot alter a
constraint, and copying the table (Alembic's batch mode) would drop the old one, which options, participations
and choices point to with ON DELETE CASCADE: their rows would go. SQLite documents a way for exactly this
(https://www.sqlite.org/lang_altertable.html, "otherwise" procedure: a CHECK constraint that every row meets is
changed in the stored schema text): the table's CREATE statement in sqlite_master is rewritten with the wider
check and the schema version raised, inside the migration's transaction; every existing row meets the new check,
as it met the old one, which is a subset of it.
"""
from alembic import op


revision = "0011_plurality"
down_revision = "0004_voting"
branch_labels = None
depends_on = None

OLD = "rule IN ('simple', 'absolute', 'two_thirds', 'fraction')"
NEW = "rule IN ('simple', 'absolute', 'two_thirds', 'fraction', 'plurality')"


def _sqlite_check(old: str, new: str) -> None:
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'votes'").scalar()
    if sql is None or sql.count(old) != 1:
        raise RuntimeError("votes: the rule's check constraint is not the one this migration expects; nothing changed")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'votes'",
                             (sql.replace(old, new),))
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    if bind.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
        raise RuntimeError("votes: the database's integrity check failed after the rule's check was widened")


def _postgres_check(condition: str) -> None:
    op.drop_constraint(op.f("ck_votes_rule"), "votes", type_="check")
    op.create_check_constraint(op.f("ck_votes_rule"), "votes", condition)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_check(OLD, NEW)
    else:
        _postgres_check(NEW)


def downgrade():
    bind = op.get_bind()
    used = bind.exec_driver_sql("SELECT count(*) FROM votes WHERE rule = 'plurality'").scalar()
    if used:
        raise RuntimeError(f"Votes decided by the most votes: {used}; the version downgraded to has no such rule. "
                           "Nothing was downgraded.")
    if bind.dialect.name == "sqlite":
        _sqlite_check(NEW, OLD)
    else:
        _postgres_check(OLD)
