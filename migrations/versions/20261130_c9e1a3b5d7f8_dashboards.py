"""dashboards: reserved for this part's own schema changes (empty until it needs one)

Revision ID: c9e1a3b5d7f8
Revises: b8d0f2a4c6e7
Create Date: 2026-11-30 01:30:00.000000

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'c9e1a3b5d7f8'
down_revision = 'b8d0f2a4c6e7'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
