"""volunteer_interests: index on category and profile (finding volunteers reads it alone)

Revision ID: 5c1e0a7d9b42
Revises: 3ee8d81bba37
Create Date: 2026-11-29 12:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1e0a7d9b42'
down_revision = '3ee8d81bba37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('volunteer_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_interests_category_id'))
        batch_op.create_index('ix_volunteer_interests_category_profile', ['category_id', 'profile_id'], unique=False)


def downgrade():
    with op.batch_alter_table('volunteer_interests', schema=None) as batch_op:
        batch_op.drop_index('ix_volunteer_interests_category_profile')
        batch_op.create_index(batch_op.f('ix_volunteer_interests_category_id'), ['category_id'], unique=False)
