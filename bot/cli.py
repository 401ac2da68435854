"""The `sgbot` command line (typer)."""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import functools
import gc
import json
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
from core.cli import CliHost, ShowReply, fail, load_settings, local_datetime, run_async
from core.logs import setup_logging

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.config import Settings
    from core.context import Context
    from core.model import Reply
    from storage.db import Database

T = TypeVar("T")

ROOT = Path(__file__).resolve().parent.parent
# Where `sgbot` commands are added: the runtime's own (bot/cli_*.py) and each feature's sub-app
# (handlers/<feature>/cli.py, which may not import bot/).
COMMAND_MODULE_FILES = ("bot/cli_*.py", "handlers/*/cli.py")
DECLARATION = "CLI_COMMANDS = "


@functools.cache
def command_modules() -> dict[str, tuple[str, ...]]:
    """Which modules add each command: a top-level name ("feeds"), or a report ("report impact").

    Each command module declares what it adds on one line, `CLI_COMMANDS = ("feeds",)`, which is
    read here from the file without importing the module: a command line then imports only the
    module that adds the command it names, so `sgbot --version` or `sgbot content validate` does not
    load the database, Slack or Discord libraries, and `sgbot report impact` not the other features.
    tests/test_console.py checks every declaration against what its module adds."""
    found: dict[str, list[str]] = {}
    for pattern in COMMAND_MODULE_FILES:
        for path in sorted(ROOT.glob(pattern)):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for name in declared_commands(path):
                found.setdefault(name, []).append(module)
    return {name: tuple(modules) for name, modules in sorted(found.items())}


def declared_commands(path: Path) -> tuple[str, ...]:
    with path.open(encoding="utf-8") as source:
        for line in source:
            if line.startswith(DECLARATION):
                names = ast.literal_eval(line.removeprefix(DECLARATION).strip())
                if isinstance(names, tuple) and all(isinstance(n, str) for n in names):
                    return names
                break
    raise ValueError(f'{path} adds sgbot commands, so it declares them on one line: CLI_COMMANDS = ("name", ...)')


def all_command_modules() -> tuple[str, ...]:
    return tuple(sorted({m for modules in command_modules().values() for m in modules}))


def import_commands(name: str | None = None) -> None:
    """Import the modules that add `name` ("report impact" for a report): none for a command of
    this module's own (`run`, `console`, `db`), every command module when `name` is None or unknown."""
    modules = command_modules()
    if name is not None and name not in modules and name in _built().commands:
        return
    for module in modules.get(name or "", all_command_modules()):
        add_commands(module)


def add_commands(module_name: str) -> None:
    """Import a command module. The runtime's own add their commands to `app` as they are imported;
    a feature's has a `sub_app` (a top-level command) and a `report_app`, whose commands join
    `sgbot report`."""
    module = import_module(module_name)
    if module_name in _added:
        return
    _added.add(module_name)
    sub_app = getattr(module, "sub_app", None)
    if sub_app is not None:
        app.add_typer(sub_app)
    reports = getattr(module, "report_app", None)
    if reports is not None:
        report_app.add_typer(reports)  # with no name, its commands become report's own


_added: set[str] = set()


async def open_context(settings: Settings) -> Context:
    """The bot's context as the running bot has it (database migrated, content pack loaded); the
    caller disposes of its database."""
    from bot.runtime import Runtime

    return (await Runtime.create(settings)).ctx


async def open_database(settings: Settings) -> Database:
    """The database, migrated and keyed as the running bot has it; the caller disposes of it."""
    from bot import runtime

    return await runtime.open_database(settings)


def preview_renderer(platform: str) -> ShowReply | None:
    """The platform's own renderer, so a preview shows exactly what would be sent; None when the
    platform's library is not installed."""
    if platform == "console":
        from bot.adapters.console.adapter import ConsoleAdapter

        adapter = ConsoleAdapter(sys.stdout, Path("console-files"))

        def console_preview(reply: Reply, n: int) -> None:
            adapter.show(reply, where=f"#preview, item {n}", channel_id="preview", thread_id=None)

        return console_preview
    try:
        if platform == "slack":
            from bot.adapters.slack.render import messages

            def slack_preview(reply: Reply, n: int) -> None:
                parts = messages(reply)  # a long post goes out as several messages: show each
                for i, part in enumerate(parts, 1):
                    typer.echo(f"--- item {n}, message {i} of {len(parts)} (Slack chat.postMessage)")
                    typer.echo(f"{json.dumps(part, indent=2)}\n")

            return slack_preview
        if platform == "teams":
            from bot.adapters.teams.render import activity

            return lambda reply, n: typer.echo(
                f"--- item {n} (Teams message activity)\n{json.dumps(activity(reply), indent=2, ensure_ascii=False)}\n"
            )
        from bot.adapters.discord.render import render

        def discord_preview(reply: Reply, n: int) -> None:
            posts = [{"content": m.content, "embeds": [e.to_dict() for e in m.embeds]} for m in render(reply)]
            typer.echo(f"--- item {n} (Discord message)\n{json.dumps(posts, indent=2, ensure_ascii=False)}\n")

        return discord_preview
    except ImportError:
        return None


class CommandsOnDemand(typer.core.TyperGroup):
    """The top-level group: feature commands are imported when they are named or listed."""

    def list_commands(self, ctx: Any) -> list[str]:
        import_commands()
        return sorted(_built().commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        import_commands(cmd_name)
        return _built().commands.get(cmd_name)


class ReportsOnDemand(typer.core.TyperGroup):
    """`sgbot report`: each feature's reports are imported when they are named or listed."""

    def list_commands(self, ctx: Any) -> list[str]:
        for name in command_modules():
            if name.startswith("report "):
                import_commands(name)
        return sorted(typer.main.get_group(report_app).commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        wanted = f"report {cmd_name}"
        import_commands(wanted if wanted in command_modules() else None)
        return typer.main.get_group(report_app).commands.get(cmd_name)


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table on the terminal (rich, imported here so commands that draw none do not load it)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*map(Text, row))  # cells as typed, never rich markup
    Console().print(table)


# What only the runtime can do, lent to every command as typer's context object (core.cli.CliHost).
HOST = CliHost(
    open_context=open_context, open_database=open_database, renderer=preview_renderer, show_table=print_table
)


def _built() -> Any:
    """The click group as it stands after the command modules imported so far registered on `app`."""
    return typer.main.get_group(app)


app = typer.Typer(
    help="sgbot: the safeguarding partnership bot.",
    no_args_is_help=True,
    add_completion=False,
    cls=CommandsOnDemand,
    context_settings={"obj": HOST},  # click hands a group's obj on to every command under it
)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
content_app = typer.Typer(help="Content packs.", no_args_is_help=True)
report_app = typer.Typer(help="Reports for the partnership's annual report.", no_args_is_help=True, cls=ReportsOnDemand)
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
        bool, typer.Option("--version", metavar="", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """sgbot: the safeguarding partnership bot."""


# --- run and console --------------------------------------------------------------------------


@app.command()
def run() -> None:
    """Start every configured platform (Slack, Discord, Teams); the console chat when none is configured."""
    settings = load_settings()
    if not settings.chat_configured:
        typer.echo("No Slack, Discord or Teams credentials found, so starting the console chat.", err=True)
        console(user="you", role=None, script=None, at=None)
        return
    run_async(lambda: _serve(settings))


async def _serve(settings: Settings) -> None:
    # Start-up makes hundreds of thousands of objects that live as long as the process (modules,
    # the pack, its models); the cycle collector would walk them again and again as they are made,
    # a quarter of the CPU before ready (BENCHMARKS.md, runtime section). It runs again from here.
    gc.disable()
    discord_connection = None
    try:
        settings.survey_key()  # refuse to start without a survey secret once a platform is configured
        if settings.discord_enabled:
            # Connecting to Discord is mostly waiting; assembling the bot is mostly work: begun
            # first, the one overlaps the other (bot/adapters/discord/early.py).
            from bot.adapters.discord.early import DiscordConnection

            discord_connection = DiscordConnection(settings)
            discord_connection.begin()
        # the modules, the registry and the pack are loaded in threads, so the loop stays free
        # for the connection meanwhile
        runtime_module = await asyncio.to_thread(_import_for, settings)
        runtime = await runtime_module.Runtime.create(settings)
    except BaseException:
        if discord_connection is not None:
            await discord_connection.close()
        raise
    finally:
        gc.enable()
    try:
        _add_adapters(runtime, settings, discord_connection)
    except BaseException:
        # an adapter that refuses its settings stops the start; the database opened for it is closed
        if discord_connection is not None:
            await discord_connection.close()
        await runtime.ctx.db.dispose()
        raise
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload(runtime)))
    pid_file = settings.ensure_data_dir() / "sgbot.pid"
    _claim_pid_file(pid_file)
    try:
        await runtime.run_forever(stop)
    finally:
        _release_pid_file(pid_file)


def _claim_pid_file(pid_file: Path) -> None:
    """Write this process's id where `sgbot content reload` looks for the running bot, unless
    another live sgbot already holds it (a console started beside `sgbot run` must not take its
    reloads, nor delete its file on leaving: a review found both)."""
    try:
        held = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        held = 0
    if held and held != os.getpid():
        try:
            os.kill(held, 0)
        except ProcessLookupError:
            pass  # left behind by a process that has gone
        except OSError:
            return  # alive, another user's
        else:
            return
    pid_file.write_text(str(os.getpid()))


def _release_pid_file(pid_file: Path) -> None:
    """Remove the pid file if it is still this process's."""
    try:
        if int(pid_file.read_text().strip()) == os.getpid():
            pid_file.unlink()
    except (OSError, ValueError):
        pass


def _import_for(settings: Settings) -> Any:
    """bot.runtime, and the adapters `settings` will start: imported together, in a thread."""
    import importlib

    for platform, enabled in (("slack", settings.slack_enabled), ("discord", settings.discord_enabled)):
        if enabled:
            importlib.import_module(f"bot.adapters.{platform}.adapter")
    return importlib.import_module("bot.runtime")


def _add_adapters(runtime: Any, settings: Settings, discord_connection: Any = None) -> None:
    if settings.slack_enabled:
        from bot.adapters.slack.adapter import SlackAdapter

        runtime.add_adapter(SlackAdapter(runtime))
    if settings.discord_enabled:
        from bot.adapters.discord.adapter import DiscordAdapter

        runtime.add_adapter(DiscordAdapter(runtime, connection=discord_connection))
    if settings.teams_enabled:
        from bot.adapters.teams import TeamsAdapter

        runtime.add_adapter(TeamsAdapter(runtime))


async def _reload(runtime: Any) -> None:
    from core.contentpack import InvalidPack

    log = logging.getLogger("sgbot")
    try:
        await runtime.reload_content(actor="SIGHUP")
    except InvalidPack as exc:
        log.error("the content pack was not reloaded; the previous one stays in use:\n%s", exc)
    except Exception as exc:  # noqa: BLE001 - whatever a pack does to the reload, the bot keeps running
        # The pack is swapped in only once loaded and warmed, so the old one is still the one in use.
        why = ": ".join([type(exc).__name__, *str(exc).splitlines()[:1]])[:300]
        log.error("the content pack was not reloaded (%s); the previous one stays in use", why)
        log.debug("the failed reload", exc_info=True)


@app.command()
def console(
    user: Annotated[str, typer.Option("--as", metavar="NAME", help="Your user name in the console.")] = "you",
    role: Annotated[
        list[str] | None,
        typer.Option("--role", metavar="ROLE", help="A role to hold: practitioner, trainer, comms or admin."),
    ] = None,
    script: Annotated[
        str | None, typer.Option("--script", metavar="FILE", help="Run lines from FILE, or - for standard input.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="TIME",
            help=(
                "Start the bot's clock at this local time (02/03/2026 09:00 or ISO). In a chat it runs on "
                "from there; in a --script it stays there, so scripts repeat, until /debug clock moves it."
            ),
        ),
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
    start = None
    if at:
        example = "2026-03-02T09:00 or 02/03/2026 09:00"
        start = local_datetime(at, "--at", settings, what="a date and time", example=example)
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
    clock = OffsetClock(base=start, runs=lines is None)
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
        # As `sgbot run`: SIGTERM leaves cleanly (exit 0), and SIGHUP or `sgbot content reload`
        # swaps in a changed pack (an outside audit: the console ignored both, and HUP killed it)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload(runtime)))
        pid_file = settings.ensure_data_dir() / "sgbot.pid"
        _claim_pid_file(pid_file)
        try:
            await session.run_interactive(stop=stop)
        finally:
            _release_pid_file(pid_file)
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.remove_signal_handler(sig)
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
        from storage.db import Database

        # What it was before, so the answer says what was done (an outside audit: a database just
        # created was said to be "up to date")
        before: set[str] = set()
        if _sqlite_exists(settings):
            looked = Database(settings.resolved_database_url())
            try:
                before = await looked.current_revisions()
            except Exception:  # noqa: BLE001 - open_database below says what is wrong, in a sentence
                before = set()
            finally:
                await looked.dispose()
        db = await open_database(settings)
        try:
            revisions = await db.current_revisions()
            after = ", ".join(sorted(revisions))
            if not before:
                return f"Created the database {db.describe()} ({after})."
            if before != revisions:
                return f"Upgraded the database {db.describe()} from {', '.join(sorted(before))} to {after}."
            return f"Database {db.describe()} is up to date ({after})."
        finally:
            await db.dispose()

    typer.echo(run_async(upgrade))


def _sqlite_exists(settings: Settings) -> bool:
    """Whether the SQLite file sgbot would open exists (a missing one is created by the upgrade)."""
    url = settings.resolved_database_url()
    return not url.startswith("sqlite") or Path(url.split("///", 1)[-1]).exists()


@content_app.command("reload")
def content_reload() -> None:
    """Check the content pack, then ask the running bot to swap it in (it keeps the old one if invalid)."""
    from bot.runtime import load_registry
    from core.contentpack import InvalidPack, load_pack

    settings = load_settings()
    try:
        pack = load_pack(settings.content_pack, load_registry().sections)
    except InvalidPack as exc:
        for problem in exc.problems:
            typer.echo(str(problem))
        raise fail("The content pack is not valid, so the running bot keeps the one it has.", 1) from None
    pid_file = settings.data_dir / "sgbot.pid"
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError):
        raise fail(
            f"No running bot found ({pid_file}). The pack is valid; it will be used at the next start.", 1
        ) from None
    typer.echo(f"Asked the bot (process {pid}) to reload the {pack.partnership.short_name} pack.")


@content_app.command("validate")
def content_validate(
    path: Annotated[
        Path | None,
        typer.Argument(metavar="PACK", help="The content pack folder; without it, the one CONTENT_PACK configures."),
    ] = None,
) -> None:
    """Check a content pack; every problem is listed as file:line: message."""
    from core.contentpack import InvalidPack, load_pack
    from handlers import feature_registry  # not bot.runtime: validating needs no database or web server

    if path is None:
        path = load_settings().content_pack
    elif not path.is_dir():
        # The folder named here, not CONTENT_PACK, is the one to correct.
        typer.echo(f"{path}:0: is not a folder; name a content pack's folder, or give no path to check CONTENT_PACK's")
        typer.echo("1 problem(s) found.", err=True)
        raise typer.Exit(1)

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
