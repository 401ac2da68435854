"""A command line loads what its command needs: `sgbot run`, `console` and `db` are bot/cli.py's own
and import no command module; `content validate` needs neither the runtime nor a web server; a
report imports its own feature's command module and no other."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def loaded_after(code: str, tmp_path: Path) -> dict[str, object]:
    """Run `code` in a new interpreter and return the JSON it prints last."""
    env = {k: v for k, v in os.environ.items() if k != "CONTENT_PACK"} | {"DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def test_run_console_and_db_import_no_command_module(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from bot import cli\n"
        "for name in ('run', 'console', 'db'):\n"
        "    cli.import_commands(name)\n"
        "print(json.dumps({'loaded': [m for m in cli.all_command_modules() if m in sys.modules]}))\n"
    )
    assert loaded_after(code, tmp_path) == {"loaded": []}


def test_a_named_command_imports_only_its_modules_and_an_unknown_one_all(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from bot import cli\n"
        "cli.import_commands('content')\n"
        "content = [m for m in cli.all_command_modules() if m in sys.modules]\n"
        "cli.import_commands('roles')\n"
        "roles = [m for m in cli.all_command_modules() if m in sys.modules]\n"
        "cli.import_commands('no-such-command')\n"
        "every = [m for m in cli.all_command_modules() if m in sys.modules]\n"
        "print(json.dumps({'content': content, 'roles': roles, 'unknown': every == list(cli.all_command_modules())}))\n"
    )
    # `content validate` and `content reload` are bot/cli.py's own; `roles` is the runtime's bot/cli_ops.py
    assert loaded_after(code, tmp_path) == {"content": [], "roles": ["bot.cli_ops"], "unknown": True}


def test_report_impact_imports_the_surveys_command_module_and_no_other(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from bot.cli import all_command_modules, main\n"
        "sys.argv = ['sgbot', 'report', 'impact', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('bot.runtime', 'aiohttp', 'httpx', 'feedparser', 'handlers.training', 'handlers.feeds')\n"
        "print(json.dumps({'commands': [m for m in all_command_modules() if m in sys.modules],\n"
        "                  'heavy': [m for m in heavy if m in sys.modules]}))\n"
    )
    assert loaded_after(code, tmp_path) == {"commands": ["handlers.surveys.cli"], "heavy": []}


def test_content_validate_loads_no_runtime_web_server_scheduler_or_feed_client(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "sys.argv = ['sgbot', 'content', 'validate']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('bot.runtime', 'aiohttp', 'apscheduler', 'httpx', 'feedparser', 'rich')\n"
        "print(json.dumps({'loaded': [m for m in heavy if m in sys.modules]}))\n"
    )
    assert loaded_after(code, tmp_path) == {"loaded": []}


def test_run_begins_connecting_to_discord_before_loading_the_database_layer_or_the_pack(tmp_path: Path) -> None:
    # Connecting is mostly waiting and assembling the bot mostly work (bot/adapters/discord/early.py):
    # whatever is imported before the connection begins is on start-up's longest path.
    code = (
        "import json, os, sys\n"
        "os.environ.update(DISCORD_TOKEN='a.b', SURVEY_SECRET='test-key-Lw6Ra9Fj3Xt5Nk2Qp')\n"
        "from bot.adapters.discord import early\n"
        "def begin(self):\n"
        "    heavy = ('sqlalchemy', 'storage.db', 'core.contentpack', 'yaml', 'handlers', 'bot.runtime',\n"
        "             'slack_bolt')\n"
        "    print(json.dumps({'loaded': [m for m in heavy if m in sys.modules]}), flush=True)\n"
        "    os._exit(0)\n"
        "early.DiscordConnection.begin = begin\n"
        "from bot.cli import main\n"
        "sys.argv = ['sgbot', 'run']\n"
        "main()\n"
    )
    assert loaded_after(code, tmp_path) == {"loaded": []}
