"""attendance and the list of speakers

Revision ID: 0005_attendance
Revises: 0001_foundation

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_attendance'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('waiting', 'speaking')")
SPEAKING = sa.text("status = 'speaking'")


def upgrade():
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('arrived_at', sa.DateTime(), nullable=True),
    sa.Column('left_at', sa.DateTime(), nullable=True),
    sa.Column('excuse', sa.String(length=300), nullable=False),
    sa.Column('previous', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.CheckConstraint("method IN ('scan', 'manual', 'self')", name=op.f('ck_attendance_method')),
    sa.CheckConstraint("status IN ('present', 'left', 'excused')", name=op.f('ck_attendance_status')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_attendance_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_attendance_updated_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('membership_id', name=op.f('uq_attendance_membership_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('attendance_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('quorum_basis', sa.String(length=8), nullable=False),
    sa.Column('quorum_num', sa.Integer(), nullable=False),
    sa.Column('quorum_den', sa.Integer(), nullable=False),
    sa.Column('quorum_strict', sa.Boolean(), nullable=False),
    sa.Column('exclude_excused', sa.Boolean(), nullable=False),
    sa.Column('self_checkin', sa.Boolean(), nullable=False),
    sa.CheckConstraint("quorum_basis IN ('members', 'weight', 'both')", name=op.f('ck_attendance_settings_quorum_basis')),
    sa.CheckConstraint('quorum_den > 0 AND quorum_num >= 0 AND quorum_num <= quorum_den', name=op.f('ck_attendance_settings_quorum_fraction')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_attendance_settings'))
    )
    op.create_table('speaker_settings',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('limit_seconds', sa.Integer(), nullable=False),
    sa.Column('warn_seconds', sa.Integer(), nullable=False),
    sa.CheckConstraint('limit_seconds > 0', name=op.f('ck_speaker_settings_limit_positive')),
    sa.CheckConstraint('warn_seconds >= 0', name=op.f('ck_speaker_settings_warn_nonnegative')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_speaker_settings_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_speaker_settings'))
    )
    op.create_table('speaker_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('limit_seconds', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('normal', 'point_of_order')", name=op.f('ck_speaker_requests_kind')),
    sa.CheckConstraint("status IN ('waiting', 'speaking', 'done', 'withdrawn')", name=op.f('ck_speaker_requests_status')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_speaker_requests_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_speaker_requests_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_speaker_requests_membership_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_requests'))
    )
    with op.batch_alter_table('speaker_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaker_requests_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speaker_requests_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speaker_requests_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index('uq_speaker_requests_open', ['item_id', 'membership_id'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index('uq_speaker_requests_speaking', ['meeting_id'], unique=True,
                              sqlite_where=SPEAKING, postgresql_where=SPEAKING)


def downgrade():
    with op.batch_alter_table('speaker_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_speaker_requests_speaking')
        batch_op.drop_index('uq_speaker_requests_open')
        batch_op.drop_index(batch_op.f('ix_speaker_requests_membership_id'))
        batch_op.drop_index(batch_op.f('ix_speaker_requests_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_speaker_requests_item_id'))

    op.drop_table('speaker_requests')
    op.drop_table('speaker_settings')
    op.drop_table('attendance_settings')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))

    op.drop_table('attendance')
