"""live room: live state per meeting (current item, presented page, delta seq) and wall-screen links

Revision ID: 0003_live
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_live"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_states",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("current_item_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_live_states_seq_positive")),
        sa.CheckConstraint("page IS NULL OR page >= 1", name=op.f("ck_live_states_page_positive")),
        sa.ForeignKeyConstraint(["current_item_id"], ["agenda_items.id"],
                                name=op.f("fk_live_states_current_item_id_agenda_items"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_live_states_document_id_documents"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_live_states_meeting_id_meetings"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_live_states")),
    )
    op.create_table(
        "display_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"],
                                name=op.f("fk_display_links_created_by_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_display_links_meeting_id_meetings"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_display_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_display_links_token_hash")),
    )
    with op.batch_alter_table("display_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_display_links_meeting_id"), ["meeting_id"], unique=False)


def downgrade():
    with op.batch_alter_table("display_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_display_links_meeting_id"))
    op.drop_table("display_links")
    op.drop_table("live_states")
