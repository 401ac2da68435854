"""Each closed survey keeps how many people answered it: the reports count a survey's answers
only once it has closed with at least the minimum group

Revision ID: 0009_survey_respondents
Revises: 0008_teams_file_offers
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_survey_respondents"
down_revision: str | Sequence[str] | None = "0008_teams_file_offers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("surveys") as batch:
        batch.add_column(sa.Column("respondents", sa.Integer, nullable=True))
    # Surveys closed before this version: no one could answer them since, so today's count is
    # the count they closed with.
    op.execute(
        "UPDATE surveys SET respondents = "
        "(SELECT count(DISTINCT a.respondent) FROM survey_answers AS a WHERE a.survey_id = surveys.id "
        "AND a.respondent NOT LIKE 't%') "
        "WHERE status = 'closed'"
    )


def downgrade() -> None:
    with op.batch_alter_table("surveys") as batch:
        batch.drop_column("respondents")
