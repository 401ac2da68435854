"""Each closed survey keeps how its answers counted toward each measure, so a report adds up
surveys rather than reading every answer; the comments a report quotes come from an index

Revision ID: 0011_survey_measure_totals
Revises: 0010_survey_sealed
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_survey_measure_totals"
down_revision: str | Sequence[str] | None = "0010_survey_sealed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_measure_totals",
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("measure", sa.String(40), primary_key=True),
        sa.Column("answers", sa.Integer, nullable=False),
        sa.Column("positive", sa.Integer, nullable=False),
        sa.Column("scored", sa.Integer, nullable=False),
        sa.Column("score_total", sa.Integer, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_survey_answers_comments",
        "survey_answers",
        ["respondent", "question"],
        sqlite_where=sa.text("free_text = 1"),
        postgresql_where=sa.text("free_text"),
    )
    # Surveys closed before this version, counted as closing one now would count them
    # (storage.surveys.write_measure_totals).
    op.execute(
        "INSERT INTO survey_measure_totals (survey_id, measure, answers, positive, scored, score_total) "
        "SELECT a.survey_id, a.measure, count(*), sum(CASE WHEN a.positive THEN 1 ELSE 0 END), "
        "count(a.score), coalesce(sum(a.score), 0) "
        "FROM survey_answers AS a JOIN surveys AS s ON s.id = a.survey_id "
        "WHERE s.status = 'closed' AND a.measure IS NOT NULL "
        "GROUP BY a.survey_id, a.measure"
    )


def downgrade() -> None:
    op.drop_index("ix_survey_answers_comments", table_name="survey_answers")
    op.drop_table("survey_measure_totals")
