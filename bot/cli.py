"""The `sgbot` command line (typer)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer.core

from bot import __version__
from core.cli import fail, load_settings, local_datetime, run_async
from core.logs import setup_logging

if TYPE_CHECKING:
    from core.config import Settings
    from core.context import Context

T = TypeVar("T")

# Which module adds each top-level command. A command line imports only the module that adds the
# command it names, so `sgbot --version` or `sgbot content validate` does not load the database,
# Slack or Discord libraries; `sgbot --help` imports them all to list everything. A bot/cli_*
# module adds its commands to `app` itself; a feature's own sub-app (handlers/<feature>/cli.py,
# which may not import bot/) is a typer app named `sub_app`, and import_commands adds it.
# tests/test_console.py checks that this table and the modules agree.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "audit": ("bot.cli_ops",),
    "bulletin": ("bot.cli_feeds",),
    "content": ("bot.cli_ops",),
    "discord": ("bot.cli_discord",),
    "feeds": ("bot.cli_feeds",),
    "report": ("bot.cli_feeds", "bot.cli_lookups", "bot.cli_surveys"),
    "roles": ("bot.cli_ops",),
    "slack": ("bot.cli_slack",),
    "teams": ("bot.cli_teams",),
    "training": ("handlers.training.cli",),
}
FEATURE_MODULES = tuple(sorted({m for modules in COMMAND_MODULES.values() for m in modules}))


def import_commands(name: str | None = None) -> None:
    """Import the modules that add `name`: none for a command of this module's own (`run`,
    `console`, `db`), every feature module when `name` is None or unknown."""
    if name is not None and name not in COMMAND_MODULES and name in _built().commands:
        return
    for module in COMMAND_MODULES.get(name or "", FEATURE_MODULES):
        sub_app = getattr(import_module(module), "sub_app", None)
        if sub_app is not None and sub_app not in _added_sub_apps:
            # Its commands are lent what only the runtime can do: open the bot's context.
            app.add_typer(sub_app, context_settings={"obj": open_context})
            _added_sub_apps.append(sub_app)


_added_sub_apps: list[typer.Typer] = []


async def open_context(settings: Settings) -> Context:
    """The bot's context as the running bot has it (database migrated, content pack loaded), for a
    feature's sub-app; the caller disposes of its database."""
    from bot.runtime import Runtime

    return (await Runtime.create(settings)).ctx


class CommandsOnDemand(typer.core.TyperGroup):
    """The top-level group: feature commands are imported when they are named or listed."""

    def list_commands(self, ctx: Any) -> list[str]:
        import_commands()
        return sorted(_built().commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        import_commands(cmd_name)
        return _built().commands.get(cmd_name)


def _built() -> Any:
    """The click group as it stands after the feature modules imported so far registered on `app`."""
    return typer.main.get_group(app)


app = typer.Typer(
    help="sgbot: the safeguarding partnership bot.", no_args_is_help=True, add_completion=False, cls=CommandsOnDemand
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
content_app = typer.Typer(help="Content packs.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for the partnership's annual report.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(content_app, name="content")
app.add_typer(report_app, name="report")


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"sgbot {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """sgbot: the safeguarding partnership bot."""


# --- run and console --------------------------------------------------------------------------


@app.command()
def run() -> None:
    """Start every configured platform (Slack, Discord); the console chat when none is configured."""
    settings = load_settings()
    if not settings.chat_configured:
        typer.echo("No Slack, Discord or Teams credentials found, so starting the console chat.", err=True)
        console(user="you", role=None, script=None, at=None)
        return
    run_async(lambda: _serve(settings))


async def _serve(settings: Settings) -> None:
    from bot.runtime import Runtime

    settings.survey_key()  # refuse to start without a survey secret once a platform is configured
    runtime = await Runtime.create(settings)
    if settings.slack_enabled:
        from bot.adapters.slack.adapter import SlackAdapter

        runtime.add_adapter(SlackAdapter(runtime))
    if settings.discord_enabled:
        from bot.adapters.discord.adapter import DiscordAdapter

        runtime.add_adapter(DiscordAdapter(runtime))
    if settings.teams_enabled:
        from bot.adapters.teams import TeamsAdapter

        runtime.add_adapter(TeamsAdapter(runtime))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload(runtime)))
    pid_file = settings.ensure_data_dir() / "sgbot.pid"
    pid_file.write_text(str(os.getpid()))
    try:
        await runtime.run_forever(stop)
    finally:
        pid_file.unlink(missing_ok=True)


async def _reload(runtime: Any) -> None:
    from core.contentpack import InvalidPack

    try:
        await runtime.reload_content(actor="SIGHUP")
    except InvalidPack as exc:
        logging.getLogger("sgbot").error("the content pack was not reloaded; the previous one stays in use:\n%s", exc)


@app.command()
def console(
    user: Annotated[str, typer.Option("--as", help="Your user name in the console.")] = "you",
    role: Annotated[list[str] | None, typer.Option("--role", help="A role to hold: trainer, comms or admin.")] = None,
    script: Annotated[
        str | None, typer.Option("--script", help="Run lines from FILE, or - for standard input.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Start the bot's clock at this ISO time, for repeatable scripts.")
    ] = None,
) -> None:
    """Chat with the bot in the terminal, or run a script of lines and print the transcript."""
    from core.registry import ROLES

    settings = load_settings()
    if "log_level" not in settings.model_fields_set:
        # The console's own output is the conversation; routine log lines would only interrupt it.
        setup_logging("WARNING", settings.secret_values(), payloads=settings.log_payloads)
    roles = frozenset(role or [])
    unknown = roles - set(ROLES)
    if unknown:
        raise fail(f"Unknown role {', '.join(sorted(unknown))}; roles are {', '.join(ROLES)}.")
    if not user.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise fail("--as takes a simple user name: letters, digits, '.', '-' or '_'.")
    start = local_datetime(at, "--at", settings, "an ISO date and time, e.g. 2026-03-02T09:00") if at else None
    lines: list[str] | None = None
    if script is not None:
        try:
            text = sys.stdin.read() if script == "-" else Path(script).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise fail(f"Cannot read the script {script}: {getattr(exc, 'strerror', None) or exc}.") from None
        lines = text.splitlines()
    try:
        code = run_async(lambda: _console(settings, user, roles, lines, start))
    except KeyboardInterrupt:
        typer.echo("\nGoodbye.")
        code = 0
    raise typer.Exit(code)


async def _console(
    settings: Settings, user: str, roles: frozenset[str], lines: list[str] | None, start: dt.datetime | None
) -> int:
    from bot.adapters.console.adapter import ConsoleAdapter
    from bot.adapters.console.session import ConsoleSession
    from bot.runtime import Runtime
    from core.clock import OffsetClock
    from handlers.debug import CLOCK_STATE
    from storage import state

    settings.survey_key()
    clock = OffsetClock(base=start)
    runtime = await Runtime.create(settings, clock=clock, console_mode=True)
    async with runtime.ctx.db.transaction() as tx:
        saved = await state.get(tx, CLOCK_STATE)
    if saved:
        clock.offset = dt.timedelta(seconds=int(saved))
    adapter = ConsoleAdapter(sys.stdout, settings.data_dir / "console-files")
    runtime.add_adapter(adapter)
    runtime.prepare_workers()
    session = ConsoleSession(runtime, adapter, user=user, extra_roles=roles)
    health = None
    try:
        if lines is not None:
            return await session.run_script(lines)
        if settings.metrics_port is not None:
            from bot.health import HealthServer

            assert runtime.scheduler is not None
            runtime.scheduler.driven_by_console = True
            health = HealthServer(runtime, settings.metrics_host, settings.metrics_port)
            port = await health.start()
            print(f"Health and metrics: http://{settings.metrics_host}:{port}/readyz and /metrics")
        pack = runtime.ctx.pack.partnership
        print(f"sgbot console for {pack.name}. You are '{user}'. Type /help, or Ctrl-D to leave.\n")
        await session.run_interactive()
        return 0
    finally:
        if health is not None:
            await health.stop()
        await runtime.ctx.db.dispose()


# --- database and content ---------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations (also done on every start)."""
    settings = load_settings()

    async def upgrade() -> str:
        from bot.runtime import open_database

        db = await open_database(settings)
        try:
            revisions = await db.current_revisions()
            return f"Database {db.describe()} is up to date ({', '.join(sorted(revisions))})."
        finally:
            await db.dispose()

    typer.echo(run_async(upgrade))


@content_app.command("validate")
def content_validate(
    path: Annotated[
        Path | None, typer.Argument(help="The content pack folder; without it, the one CONTENT_PACK configures.")
    ] = None,
) -> None:
    """Check a content pack; every problem is listed as file:line: message."""
    from core.contentpack import InvalidPack, load_pack
    from handlers import feature_registry  # not bot.runtime: validating needs no database or web server

    if path is None:
        path = load_settings().content_pack

    try:
        pack = load_pack(path, feature_registry().sections)
    except InvalidPack as exc:
        for problem in exc.problems:
            typer.echo(str(problem))
        typer.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        raise typer.Exit(1) from None
    note = " It is still sample content: some facts await the partnership's confirmation." if pack.is_sample else ""
    typer.echo(f"{path}: the {pack.partnership.name} pack is valid.{note}")


def main() -> Any:
    return app()


