"""`sgbot bulletin import FILE.md`: turn a Markdown bulletin into a draft to preview and schedule
in chat. Opening the database as the running bot does is lent by bot/cli.py (core.cli.CliHost)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from core.cli import fail, lent_host, load_settings, run_async

# The `sgbot` commands this module adds, read by bot/cli.py from this line without importing the
# module (so it stays one line and a literal).
CLI_COMMANDS = ("bulletin",)

sub_app = typer.Typer(name="bulletin", help="Bulletins written by the business unit.", no_args_is_help=True)


@sub_app.command("import")
def bulletin_import(
    context: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A Markdown file: a '# Title' line, then sections and links.")
    ],
    replace: Annotated[
        int | None,
        typer.Option("--replace", metavar="BULLETIN", help="Replace the text of this not-yet-sent bulletin instead."),
    ] = None,
    author: Annotated[
        str, typer.Option("--as", metavar="PERSON", help="Who wrote it, e.g. slack:U123 (for the audit trail).")
    ] = "cli",
) -> None:
    """Save a Markdown bulletin as a draft; then /bulletin preview ID and /bulletin schedule ID in chat."""
    from handlers.bulletins import BulletinProblem, read_markdown_file

    try:
        title, body = read_markdown_file(file)
    except BulletinProblem as problem:
        raise fail(f"Cannot import {file}: {problem.message}", code=1) from None
    settings = load_settings()
    host = lent_host(context)

    async def save() -> int | None:
        from storage import audit
        from storage import bulletins as store

        db = await host.open_database(settings)
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
