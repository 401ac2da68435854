"""Microsoft Teams files offered by consent card, waiting for the person's answer

Revision ID: 0008_teams_file_offers
Revises: 0007_teams_conversations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0008_teams_file_offers"
down_revision: str | Sequence[str] | None = "0007_teams_conversations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_file_offers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("conversation_id", sa.String(400), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_teams_file_offers_chat", "teams_file_offers", ["conversation_id", "answered_at"])
    op.create_index("ix_teams_file_offers_expires_at", "teams_file_offers", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_teams_file_offers_expires_at", table_name="teams_file_offers")
    op.drop_index("ix_teams_file_offers_chat", table_name="teams_file_offers")
    op.drop_table("teams_file_offers")
