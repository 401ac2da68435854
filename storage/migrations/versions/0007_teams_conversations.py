"""Microsoft Teams conversation references, for proactive posts

Revision ID: 0007_teams_conversations
Revises: 0006_surveys_unlinkable
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0007_teams_conversations"
down_revision: str | Sequence[str] | None = "0006_surveys_unlinkable"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_conversations",
        sa.Column("conversation_id", sa.String(400), primary_key=True),
        sa.Column("service_url", sa.String(500), nullable=False),
        sa.Column("tenant_id", sa.String(80), nullable=True),
        sa.Column("bot_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=True),
        sa.Column("team_id", sa.String(400), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_teams_conversations_user", "teams_conversations", ["user_id", "kind"])


def downgrade() -> None:
    op.drop_index("ix_teams_conversations_user", table_name="teams_conversations")
    op.drop_table("teams_conversations")
