"""Microsoft Teams, on Microsoft's Teams SDK for Python (microsoft-teams-apps), served by aiohttp.

Why this SDK and no uvicorn: the Teams SDK takes any web framework through its small
`HttpServerAdapter` protocol, and its `HttpServer` does the Bot Framework token check and activity
parsing whatever serves the requests. So the bot keeps one web stack (aiohttp, as Slack's HTTP mode
and the health server use) in its one loop, with the SDK's own validation, routing and typed API
client, and nothing starts, or even imports, FastAPI or uvicorn (sdk.py, the one door to the SDK).
The Microsoft 365 Agents SDK was not needed for it.

Entry points: `TeamsAdapter(runtime)` (start/stop/send, like the other adapters) and
`build_app(settings, on_activity)` (the SDK app on our aiohttp server and token provider).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.adapters.teams.adapter import TeamsAdapter
    from bot.adapters.teams.server import AiohttpServer, build_app

__all__ = ["AiohttpServer", "TeamsAdapter", "build_app"]

# The entry points are loaded on first use (PEP 562), not when the package is: importing any module
# of it (`render`, for `sgbot feeds preview --platform teams`; `server`, for the bench's bare app)
# would otherwise load the adapter, the Teams SDK (about 55 MB and a second) and the bot's storage.
_HOME = {"TeamsAdapter": "adapter", "AiohttpServer": "server", "build_app": "server"}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value
