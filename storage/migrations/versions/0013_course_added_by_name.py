"""the name of whoever added a course in chat, beside their platform id

A course card said "added by 29:1aBcD…" on Teams and "added by U0123ABC" on Slack: the id means
nothing to a reader. The name the platform gave when the course was added is kept beside it
(staff, not children: a trainer's name, as sessions keep theirs). Courses added before this
version show the console's user name, which is the id itself there, and "a trainer" elsewhere.

Revision ID: 0013_course_added_by_name
Revises: 0003_training
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_course_added_by_name"
down_revision: str | Sequence[str] | None = "0003_training"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("training_courses") as batch:
        batch.add_column(sa.Column("created_by_name", sa.String(120), nullable=False, server_default=""))
    # the console's user id is the name typed with --as
    op.execute("UPDATE training_courses SET created_by_name = substr(created_by, 9) WHERE created_by LIKE 'console:%'")


def downgrade() -> None:
    with op.batch_alter_table("training_courses") as batch:
        batch.drop_column("created_by_name")
