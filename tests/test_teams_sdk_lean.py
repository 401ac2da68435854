"""The Teams SDK is imported through bot/adapters/teams/sdk.py, without what the bot does not use:
no FastAPI, uvicorn or starlette (the bot serves the SDK on aiohttp), no httpx command line, and the
SDK's pydantic models built on first use. Each check runs in a fresh interpreter, as `sgbot run`
loads the adapter, so no other test has imported the SDK first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_PROBE = """
import json, sys
import pydantic
from bot.adapters.teams import TeamsAdapter  # as bot/cli.py loads it for `sgbot run`
from bot.adapters.teams.sdk import ActivityTypeAdapter
from microsoft_teams.api import MessageActivity
deferred = not MessageActivity.__pydantic_complete__
# a model built on first use reads an activity as before
activity = ActivityTypeAdapter.validate_python({
    "type": "message", "id": "1", "text": "threshold neglect", "channelId": "msteams",
    "serviceUrl": "https://smba.trafficmanager.net/uk/",
    "from": {"id": "29:1", "name": "A"}, "recipient": {"id": "28:bot", "name": "sgbot"},
    "conversation": {"id": "a:1", "conversationType": "personal"},
})
from bot.adapters.teams.sdk import FastAPIAdapter
print(json.dumps({
    "loaded": sorted(m for m in ("fastapi", "uvicorn", "starlette", "werkzeug", "flask") if sys.modules.get(m)),
    "httpx_cli": sys.modules.get("httpx._main") is not None,
    "deferred": deferred,
    "text": activity.text,
    "config_restored": "defer_build" not in pydantic.BaseModel.model_config,
    "stub_gone": "microsoft_teams.apps.http.fastapi_adapter" not in sys.modules,
}))
"""


def _probe() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_adapter_loads_no_web_framework_it_does_not_serve_on() -> None:
    found = _probe()
    assert found["loaded"] == [] and found["httpx_cli"] is False


def test_the_sdk_models_are_built_on_first_use_and_still_read_an_activity() -> None:
    found = _probe()
    assert found["deferred"] is True and found["text"] == "threshold neglect"


def test_nothing_of_the_lean_import_is_left_behind() -> None:
    """pydantic's default and the stand-in for the SDK's FastAPI server are put back once the SDK
    is loaded, so the bot's own models are built as before and a bare FastAPI app still can be."""
    found = _probe()
    assert found["config_restored"] is True and found["stub_gone"] is True
