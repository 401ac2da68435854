"""weekly counts of safeguarding lookups per command and topic

Revision ID: 0002_lookups
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_lookups"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lookup_counts",
        sa.Column("week_start", sa.Date, primary_key=True),
        sa.Column("command", sa.String(20), primary_key=True),
        sa.Column("topic", sa.String(60), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lookup_counts")
