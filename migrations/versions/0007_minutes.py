"""minutes: per-item notes and decisions with a version, and the chair's signed approvals

Revision ID: 0007_minutes
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = "0007_minutes"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "minutes_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("version > 0", name=op.f("ck_minutes_items_version_positive")),
        sa.ForeignKeyConstraint(["item_id"], ["agenda_items.id"], name=op.f("fk_minutes_items_item_id_agenda_items"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_minutes_items_meeting_id_meetings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_minutes_items_updated_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_items")),
        sa.UniqueConstraint("item_id", name=op.f("uq_minutes_items_item_id")),
    )
    with op.batch_alter_table("minutes_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_items_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "minutes_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_name", sa.String(length=200), nullable=False),
        sa.Column("approved_at", sa.DateTime(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("signed_pdf", sa.LargeBinary(), nullable=False),
        sa.Column("signer_subject", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["approved_by_id"], ["users.id"], name=op.f("fk_minutes_approvals_approved_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_minutes_approvals_meeting_id_meetings"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_approvals")),
    )
    with op.batch_alter_table("minutes_approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_approvals_meeting_id"), ["meeting_id"], unique=False)


def downgrade():
    with op.batch_alter_table("minutes_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_approvals_meeting_id"))
    op.drop_table("minutes_approvals")
    with op.batch_alter_table("minutes_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_items_meeting_id"))
    op.drop_table("minutes_items")
