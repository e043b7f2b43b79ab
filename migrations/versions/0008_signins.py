"""signins: every signed-in browser, so that signing out and a reissued badge end it

Revision ID: 0008_signins
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = "0008_signins"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "signins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("method IN ('password', 'badge', 'link')", name=op.f("ck_signins_method")),
        sa.ForeignKeyConstraint(["membership_id"], ["memberships.id"], name=op.f("fk_signins_membership_id_memberships"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_signins_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signins")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_signins_key_hash")),
    )
    with op.batch_alter_table("signins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signins_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_signins_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("signins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signins_user_id"))
        batch_op.drop_index(batch_op.f("ix_signins_membership_id"))
    op.drop_table("signins")
