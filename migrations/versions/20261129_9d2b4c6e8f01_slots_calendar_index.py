"""slots: index on status, start and task for the calendar's counts

Revision ID: 9d2b4c6e8f01
Revises: 7c0a1e5b2d10
Create Date: 2026-11-29 15:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d2b4c6e8f01'
down_revision = '7c0a1e5b2d10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('slots', schema=None) as batch_op:
        batch_op.create_index('ix_slots_status_starts_task', ['status', 'starts_at', 'task_id'], unique=False)


def downgrade():
    with op.batch_alter_table('slots', schema=None) as batch_op:
        batch_op.drop_index('ix_slots_status_starts_task')
