"""Command line for news feeds, bulletins and learning briefings.

- `sgbot feeds preview URL_OR_FILE [--platform slack|discord|console]` shows what would be
  posted for each item of one feed, storing nothing. A broken feed gives one sentence and exit 1.
- `sgbot bulletin import FILE.md` turns a Markdown bulletin into a draft to preview and schedule.
- `sgbot report briefings` shows the reach of each learning briefing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from bot.cli import app, fail, load_settings, report_app, run_async
from core.model import Reply
from handlers.feeds.fetch import FeedProblem, FeedSettings, ParsedFeed, fetch, read_file

feeds_app = typer.Typer(help="News feeds (RSS and Atom).", no_args_is_help=True)
bulletin_app = typer.Typer(help="Bulletins written by the business unit.", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")
app.add_typer(bulletin_app, name="bulletin")

PLATFORMS = ("console", "slack", "discord")


def _load_feed(source: str, settings: FeedSettings) -> ParsedFeed:
    path = Path(source)
    if source.startswith(("http://", "https://")):
        result = asyncio.run(fetch(source, settings=settings))
        assert result.feed is not None  # no validators were sent, so there is no 304
        return result.feed
    if path.is_file():
        return read_file(path)
    raise FeedProblem(f"{source} is neither a web address (https://…) nor a file that exists")


def _renderer(platform: str) -> Any:
    """The platform's own renderer, so the preview shows exactly what would be sent."""
    if platform == "console":
        from bot.adapters.console.adapter import ConsoleAdapter

        adapter = ConsoleAdapter(sys.stdout, Path("console-files"))
        return lambda reply, n: adapter.show(reply, where=f"#preview, item {n}", channel_id="preview", thread_id=None)
    try:
        if platform == "slack":
            from bot.adapters.slack.render import message

            return lambda reply, n: typer.echo(
                f"--- item {n} (Slack chat.postMessage)\n{json.dumps(message(reply), indent=2)}\n"
            )
        from bot.adapters.discord.render import render

        def discord_preview(reply: Reply, n: int) -> None:
            posts = [{"content": m.content, "embeds": [e.to_dict() for e in m.embeds]} for m in render(reply)]
            typer.echo(f"--- item {n} (Discord message)\n{json.dumps(posts, indent=2, ensure_ascii=False)}\n")

        return discord_preview
    except ImportError:
        return None


@feeds_app.command("preview")
def feeds_preview(
    source: Annotated[str, typer.Argument(help="A feed's web address, or a feed file saved on this machine.")],
    platform: Annotated[
        str, typer.Option("--platform", help="Render as slack, discord or console (the default).")
    ] = "console",
) -> None:
    """Show what the bot would post for each item of a feed, without storing anything."""
    from handlers.feeds import item_reply

    platform = platform.lower()
    if platform not in PLATFORMS:
        raise fail(f"--platform must be one of {', '.join(PLATFORMS)}.")
    settings = load_settings()
    feed_settings = FeedSettings()
    show = _renderer(platform)
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
    for number, item in enumerate(feed.items, 1):
        if item.published is not None and item.published < oldest:
            typer.echo(f"(item {number} is older than the {feed_settings.max_age_days}-day age guard: not posted)")
        show(item_reply(feed.title, item, summary_chars=feed_settings.summary_chars, zone=zone), number)


@bulletin_app.command("import")
def bulletin_import(
    file: Annotated[Path, typer.Argument(help="A Markdown file: a '# Title' line, then sections and links.")],
    replace: Annotated[
        int | None, typer.Option("--replace", help="Replace the text of this not-yet-sent bulletin instead.")
    ] = None,
    author: Annotated[str, typer.Option("--as", help="Who wrote it, e.g. slack:U123 (for the audit trail).")] = "cli",
) -> None:
    """Save a Markdown bulletin as a draft; then /bulletin preview ID and /bulletin schedule ID in chat."""
    from handlers.bulletins import BulletinProblem, read_markdown_file

    try:
        title, body = read_markdown_file(file)
    except BulletinProblem as problem:
        raise fail(f"Cannot import {file}: {problem.message}", code=1) from None
    settings = load_settings()

    async def save() -> int | None:
        from bot.runtime import open_database
        from storage import audit
        from storage import bulletins as store

        db = await open_database(settings)
        try:
            now = dt.datetime.now(dt.UTC)
            async with db.transaction() as tx:  # the change and its audit entry, together
                if replace is not None:
                    if not await store.edit(tx, replace, title=title, body=body, now=now):
                        return None
                    bulletin_id, what = replace, "bulletin.edited"
                else:
                    bulletin_id = (await store.create(tx, title=title, body=body, by=author, now=now)).id
                    what = "bulletin.imported"
                await audit.record(tx, at=now, platform="cli", actor=author, action=what, subject=str(bulletin_id))
            return bulletin_id
        finally:
            await db.dispose()

    bulletin_id = run_async(save)
    if bulletin_id is None:
        raise fail(f"Bulletin {replace} does not exist, has already gone or was cancelled; nothing was changed.", 1)
    done = "updated" if replace is not None else "saved as a draft"
    typer.echo(
        f"Bulletin {bulletin_id} {done}: {title}. In chat, /bulletin preview {bulletin_id} shows it and "
        f"/bulletin schedule {bulletin_id} WHEN CHANNEL… sends it."
    )


@report_app.command("briefings")
def report_briefings() -> None:
    """Reach of each learning briefing: where it was posted, and how many said they read or will use it."""
    settings = load_settings()

    async def gather() -> list[Any]:
        from bot.runtime import load_content, load_registry, open_database
        from handlers.briefings import reach_rows

        pack = load_content(settings, load_registry())
        db = await open_database(settings)
        try:
            async with db.transaction() as tx:
                return await reach_rows(tx, pack)
        finally:
            await db.dispose()

    rows = run_async(gather)
    if not rows:
        typer.echo("The content pack has no learning briefings.")
        return
    headers = ("briefing", "type", "published", "channels posted", "read it", "will use it")
    table = [headers, *[tuple(str(v) for v in row) for row in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for n, row in enumerate(table):
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            typer.echo("  ".join("-" * width for width in widths))
    typer.echo("\nCounts are of people, each counted once per button, and hold no user ids.")
