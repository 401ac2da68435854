"""feeds, their channels, seen items and digests; bulletins; briefing reach

Revision ID: 0005_feeds
Revises: 0001_core
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UTCDateTime

revision: str = "0005_feeds"
down_revision: str | Sequence[str] | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(1000), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("every_seconds", sa.Integer, nullable=False),
        sa.Column("max_age_days", sa.Integer, nullable=False),
        sa.Column("etag", sa.String(500), nullable=True),
        sa.Column("last_modified", sa.String(100), nullable=True),
        sa.Column("primed_at", UTCDateTime(), nullable=True),
        sa.Column("next_poll_at", UTCDateTime(), nullable=False),
        sa.Column("last_polled_at", UTCDateTime(), nullable=True),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.Column("failing_since", UTCDateTime(), nullable=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("disabled_reason", sa.Text, nullable=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_feeds_next_poll_at", "feeds", ["next_poll_at"])
    op.create_table(
        "feed_routes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("channel_id", sa.String(120), nullable=False),
        sa.Column("match_kind", sa.String(10), nullable=False),
        sa.Column("match", sa.String(500), nullable=False),
        sa.Column("digest", sa.String(10), nullable=False),
        sa.Column("digest_time", sa.String(5), nullable=False),
        sa.Column("digest_weekday", sa.Integer, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("posted_today", sa.Integer, nullable=False),
        sa.Column("held_back_today", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("feed_id", "platform", "channel_id", name="uq_feed_routes_channel"),
    )
    op.create_index("ix_feed_routes_feed_id", "feed_routes", ["feed_id"])
    op.create_table(
        "feed_entries",
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("entry_key", sa.String(64), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_feed_entries_fingerprint", "feed_entries", ["feed_id", "fingerprint"])
    op.create_index("ix_feed_entries_last_seen_at", "feed_entries", ["last_seen_at"])
    op.create_table(
        "feed_digest_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("route_id", sa.Integer, sa.ForeignKey("feed_routes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("entry_key", sa.String(64), nullable=False),
        sa.Column("slot", UTCDateTime(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("link", sa.String(1000), nullable=False),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("collected_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("route_id", "entry_key", name="uq_feed_digest_items_entry"),
    )
    op.create_index("ix_feed_digest_items_slot", "feed_digest_items", ["slot"])
    op.create_table(
        "bulletins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("send_at", UTCDateTime(), nullable=True),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("channels", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_bulletins_status", "bulletins", ["status"])
    op.create_table(
        "briefing_responses",
        sa.Column("briefing_id", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("person", sa.String(64), primary_key=True),
        sa.Column("on_day", sa.Date, nullable=False),
    )


def downgrade() -> None:
    for table in ("briefing_responses", "bulletins", "feed_digest_items", "feed_entries", "feed_routes", "feeds"):
        op.drop_table(table)
