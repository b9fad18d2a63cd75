"""displacement: reserved for this part's own schema changes (empty until it needs one)

Revision ID: b2d4f6a8c0e1
Revises: a8c0e2f4b6d8
Create Date: 2026-11-30 01:30:00.000000

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'b2d4f6a8c0e1'
down_revision = 'a8c0e2f4b6d8'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
