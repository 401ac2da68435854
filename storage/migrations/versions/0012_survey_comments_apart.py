"""Each comment of a closed survey under a code of its own, apart from its writer's taps

A survey closed before this version wrote a comment given through the comment button under the
same code as the same person's button answers, so a comment that says who wrote it ("as the only
school nurse on the course...") told anyone reading the table how that person scored. Closing now
writes each comment under a code of its own (storage.surveys._unseal); this gives the comments of
surveys already closed the same. Each code is random and marked as a thread reply's is ("t"),
so it counts as no respondent, as before (a survey's respondents were counted when it closed).
On PostgreSQL each survey's rows are then written again in code order in one statement, so where
a row sits, and its transaction id, say nothing of which code it had.

Revision ID: 0012_survey_comments_apart
Revises: 0011_survey_measure_totals
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_survey_comments_apart"
down_revision: str | Sequence[str] | None = "0011_survey_measure_totals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

THREAD_CODE = "t"  # storage.surveys.THREAD_CODE when this was written


def upgrade() -> None:
    bind = op.get_bind()
    linked = bind.execute(
        sa.text(
            "SELECT a.survey_id, a.respondent, a.question FROM survey_answers AS a "
            "JOIN surveys AS s ON s.id = a.survey_id "
            "WHERE s.status = 'closed' AND a.free_text = :yes AND a.respondent NOT LIKE 't%'"
        ),
        {"yes": True},
    ).all()
    for survey_id, respondent, question in linked:
        bind.execute(
            sa.text(
                "UPDATE survey_answers SET respondent = :new "
                "WHERE survey_id = :sid AND respondent = :old AND question = :question"
            ),
            {
                "new": THREAD_CODE + secrets.token_hex(32)[1:],
                "sid": survey_id,
                "old": respondent,
                "question": question,
            },
        )
    if bind.dialect.name == "postgresql":
        for survey_id in sorted({row[0] for row in linked}):
            bind.execute(
                sa.text(
                    "WITH gone AS (DELETE FROM survey_answers WHERE survey_id = :sid RETURNING *) "
                    "INSERT INTO survey_answers SELECT * FROM gone ORDER BY respondent, question"
                ),
                {"sid": survey_id},
            )


def downgrade() -> None:
    """Nothing to undo: which taps a comment once sat beside is not kept, on purpose."""
