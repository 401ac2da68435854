"""`sgbot feeds preview URL_OR_FILE [--platform slack|discord|console]`: what would be posted for
each item of one feed, storing nothing. A broken feed gives one sentence and exit 1. Rendering as
a platform does is the runtime's work, lent by bot/cli.py (core.cli.CliHost)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from core.cli import fail, lent_host, load_settings
from core.model import PLATFORMS
from handlers.feeds.fetch import FeedProblem, FeedSettings, ParsedFeed, fetch, read_file

# The `sgbot` commands this module adds, read by bot/cli.py from this line without importing the
# module (so it stays one line and a literal).
CLI_COMMANDS = ("feeds",)

sub_app = typer.Typer(name="feeds", help="News feeds (RSS and Atom).", no_args_is_help=True)


def _load_feed(source: str, settings: FeedSettings) -> ParsedFeed:
    path = Path(source)
    if source.startswith(("http://", "https://")):
        result = asyncio.run(fetch(source, settings=settings))
        assert result.feed is not None  # no validators were sent, so there is no 304
        return result.feed
    if path.is_file():
        return read_file(path)
    raise FeedProblem(f"{source} is neither a web address (https://…) nor a file that exists")


@sub_app.command("preview")
def feeds_preview(
    context: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="SOURCE", help="A feed's web address, or a feed file saved on this machine.")
    ],
    platform: Annotated[
        str,
        typer.Option(
            "--platform", metavar="PLATFORM", help="Render as slack, discord, teams or console (the default)."
        ),
    ] = "console",
) -> None:
    """Show what the bot would post for each item of a feed, without storing anything."""
    from handlers.feeds import item_reply

    platform = platform.lower()
    if platform not in PLATFORMS:
        raise fail(f"--platform must be one of {', '.join(PLATFORMS)}.")
    settings = load_settings()
    feed_settings = FeedSettings()
    show = lent_host(context).renderer(platform)
    if show is None:
        raise fail(f"The {platform} platform is not available in this installation; try --platform console.")
    try:
        feed = _load_feed(source, feed_settings)
    except FeedProblem as problem:
        # The person at the command line runs the bot, so they get the detail chat does not.
        detail = f" ({problem.detail})" if problem.detail else ""
        typer.echo(f"Cannot preview that feed: {problem.message}{detail}.", err=True)
        raise typer.Exit(1) from None
    zone = ZoneInfo(settings.timezone)
    oldest = dt.datetime.now(dt.UTC) - dt.timedelta(days=feed_settings.max_age_days)
    noun = "item" if len(feed.items) == 1 else "items"
    typer.echo(f"{feed.title or 'Untitled feed'}: {len(feed.items)} {noun}.\n")
    if feed.repaired:
        typer.echo(f"While reading it, {feed.repaired}.\n")
    for number, item in enumerate(feed.items, 1):
        if item.published is not None and item.published < oldest:
            typer.echo(f"(item {number} is older than the {feed_settings.max_age_days}-day age guard: not posted)")
        show(item_reply(feed.title, item, summary_chars=feed_settings.summary_chars, zone=zone), number)
