"""training sessions, announcements, RSVPs, attendance and trainer-added courses

Revision ID: 0003_training
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0003_training"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("course_id", sa.String(80), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("start_at", UTCDateTime(), nullable=False),
        sa.Column("end_at", UTCDateTime(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("venue", sa.String(255), nullable=False),
        sa.Column("online_url", sa.String(500), nullable=True),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("trainer", sa.String(120), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("channels", sa.String(500), nullable=False, server_default=""),
    )
    op.create_index("ix_training_sessions_course_id", "training_sessions", ["course_id"])
    op.create_index("ix_training_sessions_start_at", "training_sessions", ["start_at"])
    op.create_table(
        "training_announcements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("channel_id", sa.String(120), nullable=False),
        sa.Column("message_id", sa.String(120), nullable=True),
        sa.Column("posted_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_training_announcements_session_id", "training_announcements", ["session_id"])
    for table, extra in (
        (
            "training_rsvps",
            [
                sa.Column("status", sa.String(12), nullable=False),
                sa.Column("responded_at", UTCDateTime(), nullable=False),
            ],
        ),
        (
            "training_attendance",
            [
                sa.Column("attended", sa.Boolean, nullable=False),
                sa.Column("source", sa.String(12), nullable=False),
                sa.Column("recorded_at", UTCDateTime(), nullable=False),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column(
                "session_id", sa.Integer, sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True
            ),
            sa.Column("platform", sa.String(20), primary_key=True),
            sa.Column("user_id", sa.String(120), primary_key=True),
            *extra,
        )

    op.create_table(
        "training_courses",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("audience", sa.String(255), nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("delivery", sa.String(60), nullable=False),
        sa.Column("accreditation", sa.String(255), nullable=False),
        sa.Column("topics", sa.String(255), nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("training_courses")
    for table in ("training_attendance", "training_rsvps", "training_announcements", "training_sessions"):
        op.drop_table(table)
