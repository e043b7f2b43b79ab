"""memberships.votes: whether a member votes (a clerk seated as secretary does not)

Revision ID: 0010_member_votes
Revises: 0001_foundation

Every member seated before keeps what Dais did with them until now: chairs, secretaries and delegates vote,
observers do not. The check that an observer never votes is added on PostgreSQL; SQLite would have to copy the
table to add it, and dropping the old table, which attendance, ballots and proxies point to, would delete
their rows: there the application keeps the rule (Membership.votes).
"""
from alembic import op
import sqlalchemy as sa


revision = "0010_member_votes"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("memberships", sa.Column("votes", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute("UPDATE memberships SET votes = false WHERE role = 'observer'")
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(op.f("ck_memberships_observer_never_votes"), "memberships",
                                   "role <> 'observer' OR NOT votes")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_memberships_observer_never_votes"), "memberships", type_="check")
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("votes")
