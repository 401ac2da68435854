"""impact surveys: surveys, pseudonymous answers and the completion ledger

Revision ID: 0004_surveys
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0004_surveys"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("invited", sa.Integer, nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("remind_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("closes_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("text_purged_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("session_id", "kind", name="uq_surveys_session_kind"),
    )
    op.create_index("ix_surveys_session_id", "surveys", ["session_id"])
    op.create_table(
        "survey_answers",
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("respondent", sa.String(64), primary_key=True),
        sa.Column("question", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("measure", sa.String(40), nullable=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("positive", sa.Boolean, nullable=True),
        sa.Column("free_text", sa.Boolean, nullable=False),
    )
    op.create_index("ix_survey_answers_measures", "survey_answers", ["survey_id", "measure", "positive", "score"])
    op.create_table(
        "survey_completion",
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("user_id", sa.String(120), primary_key=True),
        sa.Column("responded", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    for table in ("survey_completion", "survey_answers", "surveys"):
        op.drop_table(table)
