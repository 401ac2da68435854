"""A survey still open keeps each respondent's answers sealed, in one row (storage/sealed.py)

Revision ID: 0010_survey_sealed
Revises: 0009_survey_respondents
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_survey_sealed"
down_revision: str | Sequence[str] | None = "0009_survey_respondents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Answers already given to a survey still open stay in survey_answers; closing it writes them
    # out again with the sealed ones, under new codes (storage.surveys.close).
    op.create_table(
        "survey_sealed",
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("respondent", sa.String(64), primary_key=True),
        sa.Column("sealed", sa.Text, nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("survey_sealed")
