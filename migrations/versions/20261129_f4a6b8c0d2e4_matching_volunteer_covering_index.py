"""volunteer_profiles: the opt-in/position index also covers availability, user_id and id

"Find volunteers" reads every opted-in profile within 25 km of a task (tens of thousands around
Copenhagen at national scale). With availability, user_id and id in the index PostgreSQL reads
them from the index alone instead of visiting the table for each. SQLite has no INCLUDE: there
it is the plain index it replaces, under the new name.

Revision ID: f4a6b8c0d2e4
Revises: e3f5a7b9c1d2
Create Date: 2026-11-29 21:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f4a6b8c0d2e4'
down_revision = 'e3f5a7b9c1d2'
branch_labels = None
depends_on = None

COLUMNS = ['suggestions_opt_in', 'latitude', 'longitude']


def upgrade():
    # Plain create/drop, not batch mode: nothing here needs SQLite to copy the table.
    op.create_index('ix_volunteer_profiles_optin_position_covering', 'volunteer_profiles', COLUMNS, unique=False,
                    postgresql_include=['availability', 'user_id', 'id'])
    op.drop_index('ix_volunteer_profiles_optin_position', table_name='volunteer_profiles')


def downgrade():
    op.create_index('ix_volunteer_profiles_optin_position', 'volunteer_profiles', COLUMNS, unique=False)
    op.drop_index('ix_volunteer_profiles_optin_position_covering', table_name='volunteer_profiles')
