"""survey answers that cannot be lined up with people: the ledger no longer records answering,
and answers sit in pseudonym order

Revision ID: 0006_surveys_unlinkable
Revises: 0004_surveys

- `survey_completion.responded` goes: marking it on an answer wrote the ledger in step with the
  answer (on PostgreSQL in the same transaction, so both rows carried the same xmin).
- SQLite: `survey_answers` is rebuilt WITHOUT ROWID, so rows live in primary-key (pseudonym)
  order and no rowid numbers them in the order they were given.
- PostgreSQL: the ledger rows and the answers are rewritten, each table in one statement, so
  rows written before this change carry the migration's transaction id, not their answer's, and
  the answers sit in pseudonym order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_surveys_unlinkable"
down_revision: str | Sequence[str] | None = "0004_surveys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "survey_id, respondent, question, value, measure, score, positive, free_text"


def _answers_table(name: str, *, with_rowid: bool) -> None:
    op.create_table(
        name,
        sa.Column("survey_id", sa.Integer, sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("respondent", sa.String(64), primary_key=True),
        sa.Column("question", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("measure", sa.String(40), nullable=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("positive", sa.Boolean, nullable=True),
        sa.Column("free_text", sa.Boolean, nullable=False),
        sqlite_with_rowid=with_rowid,
    )


def _rebuild_sqlite_answers(*, with_rowid: bool) -> None:
    _answers_table("survey_answers_rebuilt", with_rowid=with_rowid)
    op.execute(
        f"INSERT INTO survey_answers_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM survey_answers "  # noqa: S608 - fixed names
        "ORDER BY survey_id, respondent, question"
    )
    op.drop_index("ix_survey_answers_measures", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.rename_table("survey_answers_rebuilt", "survey_answers")
    op.create_index("ix_survey_answers_measures", "survey_answers", ["survey_id", "measure", "positive", "score"])


def upgrade() -> None:
    with op.batch_alter_table("survey_completion") as batch:
        batch.drop_column("responded")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_answers(with_rowid=False)
    else:
        op.execute("UPDATE survey_completion SET survey_id = survey_id")
        op.execute(
            "WITH gone AS (DELETE FROM survey_answers RETURNING *) "
            "INSERT INTO survey_answers SELECT * FROM gone ORDER BY survey_id, respondent, question"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_answers(with_rowid=True)
    with op.batch_alter_table("survey_completion") as batch:
        batch.add_column(sa.Column("responded", sa.Boolean, nullable=False, server_default=sa.false()))
