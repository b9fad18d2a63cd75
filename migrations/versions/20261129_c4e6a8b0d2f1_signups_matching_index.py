"""signups: index on user, state and slot for matching's bookings

Revision ID: c4e6a8b0d2f1
Revises: b1d3f5a7c9e2
Create Date: 2026-11-29 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e6a8b0d2f1'
down_revision = 'b1d3f5a7c9e2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.create_index('ix_signups_user_state_slot', ['user_id', 'state', 'slot_id'], unique=False)


def downgrade():
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_index('ix_signups_user_state_slot')
