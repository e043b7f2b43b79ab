"""annotations: the words a highlight covers (its quote), kept for "My notes"

Revision ID: 0009_annotation_quote
Revises: 0006_annotations
"""
from alembic import op
import sqlalchemy as sa


revision = "0009_annotation_quote"
down_revision = "0006_annotations"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote", sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_column("quote")
