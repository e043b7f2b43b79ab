"""documents: page text, render queue, outline

Revision ID: 0002_documents
Revises: 0001_foundation
Create Date: 2026-11-25 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_documents'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pdf_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outline', sa.JSON(), nullable=True))

    op.create_table('pdf_pages',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['pdf_files.sha256'], name=op.f('fk_pdf_pages_sha256_pdf_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sha256', 'page', name=op.f('pk_pdf_pages'))
    )
    op.create_table('render_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=80), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('page >= 1', name=op.f('ck_render_jobs_page_positive')),
    sa.ForeignKeyConstraint(['sha256'], ['pdf_files.sha256'], name=op.f('fk_render_jobs_sha256_pdf_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_render_jobs')),
    sa.UniqueConstraint('sha256', 'page', 'width', name='uq_render_jobs_sha256_page_width')
    )
    with op.batch_alter_table('render_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_render_jobs_order', ['priority', 'page', 'width'], unique=False)


def downgrade():
    # The SQLite full-text index is made at first use (app/documents/search.py); drop it with its source.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('DROP TABLE IF EXISTS pdf_pages_fts')
    with op.batch_alter_table('render_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_render_jobs_order')
    op.drop_table('render_jobs')
    op.drop_table('pdf_pages')
    with op.batch_alter_table('pdf_files', schema=None) as batch_op:
        batch_op.drop_column('outline')
