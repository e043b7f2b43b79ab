"""annotations: highlights, ink and notes on document pages

Revision ID: 0006_annotations
Revises: 0001_foundation
Create Date: 2026-11-26 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_annotations'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annotations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('visibility', sa.String(length=16), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('width', sa.Float(), nullable=True),
    sa.Column('geometry', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('highlight', 'ink', 'note')", name=op.f('ck_annotations_kind')),
    sa.CheckConstraint("visibility IN ('private', 'meeting', 'chair')", name=op.f('ck_annotations_visibility')),
    sa.CheckConstraint('page >= 1', name=op.f('ck_annotations_page_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_annotations_author_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_annotations_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_annotations_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotations'))
    )
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.create_index('ix_annotations_document_page', ['document_id', 'page'], unique=False)
        batch_op.create_index(batch_op.f('ix_annotations_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annotations_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annotations_updated_at'), ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('annotations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annotations_updated_at'))
        batch_op.drop_index(batch_op.f('ix_annotations_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_annotations_author_id'))
        batch_op.drop_index('ix_annotations_document_page')

    op.drop_table('annotations')
