"""audit small jobs: reserved for this part's own schema changes (empty until it needs one)

Revision ID: b8d0f2a4c6e7
Revises: a7c9e1f3b5d6
Create Date: 2026-11-30 01:30:00.000000

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'b8d0f2a4c6e7'
down_revision = 'a7c9e1f3b5d6'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
