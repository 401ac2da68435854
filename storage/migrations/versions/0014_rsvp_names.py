"""the name each person's platform gave when they replied to a session, beside their id

A trainer's view of a session listed who is going by platform id ("U07ABC12, U07DEF34" on Slack,
"29:1aBcD..." on Teams), which tells the trainer nothing. The name the platform gives with the
press is kept beside the id (staff going to training, not children; nothing about a survey).
Replies from before this version show their id, as before, until the person presses again.

Revision ID: 0014_rsvp_names
Revises: 0013_course_added_by_name
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_rsvp_names"
down_revision: str | Sequence[str] | None = "0013_course_added_by_name"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("training_rsvps") as batch:
        batch.add_column(sa.Column("user_name", sa.String(120), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("training_rsvps") as batch:
        batch.drop_column("user_name")
