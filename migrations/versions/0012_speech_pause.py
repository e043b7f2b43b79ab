"""speaker_requests: a speech's pauses (paused_at while the chair holds the clock, paused_seconds before)

Revision ID: 0012_speech_pause
Revises: 0005_attendance

A running speech's timer is started_at + limit_seconds + paused_seconds; while paused_at is set, its clock
stands. Every speech made before had no pause: paused_seconds 0.
"""
from alembic import op
import sqlalchemy as sa


revision = "0012_speech_pause"
down_revision = "0005_attendance"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("speaker_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("paused_seconds", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    # Nothing points at speaker_requests, so SQLite's table copy loses no other table's rows.
    with op.batch_alter_table("speaker_requests", schema=None) as batch_op:
        batch_op.drop_column("paused_seconds")
        batch_op.drop_column("paused_at")
