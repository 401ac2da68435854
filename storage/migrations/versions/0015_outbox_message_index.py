"""an index on the outbox's message ids: which post a Teams card press names

A press of a card button in a Teams channel or group chat names the message it was pressed on
(`replyToId`), and the bot updates that message in place. The client composes the press, so the
bot first checks that the message is a post of its own carrying that button: a sent outbox row
with that message id. This index keeps that check one lookup, however many rows the outbox keeps.

Revision ID: 0015_outbox_message_index
Revises: 0014_rsvp_names
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_outbox_message_index"
down_revision: str | Sequence[str] | None = "0014_rsvp_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_message_id", "outbox", ["message_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_message_id", table_name="outbox")
