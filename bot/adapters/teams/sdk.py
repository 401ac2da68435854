"""The one place the bot imports Microsoft's Teams SDK, and it imports it lean.

The SDK's packages load more than the bot uses: FastAPI and uvicorn for its default server (the bot
serves the SDK on aiohttp, server.py), the web frameworks dependency_injector's wiring looks for, and
every one of its pydantic models built at import. With those kept out while the SDK is imported, and
the models built on first use, the process with Slack, Discord and Teams is smaller and ready sooner
(BENCHMARKS.md, "Microsoft Teams"; httpx's command line is kept out for the whole bot, in
bot/__init__.py). The bare SDK app the bench compares with imports it whole.

Everything the adapter uses from the SDK is imported from here, so it is loaded the same way in the
bot, the tests and the bench's sgbot process, whichever module is imported first.
"""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pydantic

_FASTAPI_ADAPTER = "microsoft_teams.apps.http.fastapi_adapter"
# dependency_injector's wiring imports these if it can; the SDK itself needs none of them here
_WEB_FRAMEWORKS = ("fastapi", "uvicorn", "starlette", "werkzeug", "flask", "fast_depends")


class FastAPIAdapter:
    """Stands in for the SDK's FastAPI server while it is imported; the bot never builds one."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("the bot serves the Teams SDK on aiohttp (server.py); FastAPI is not loaded")


@contextmanager
def _lean() -> Iterator[None]:
    if "microsoft_teams.apps" in sys.modules:
        yield  # already loaded (a test or the bench imported it whole first): as it is
        return
    stub = types.ModuleType(_FASTAPI_ADAPTER)
    stub.FastAPIAdapter = FastAPIAdapter  # type: ignore[attr-defined]
    blocked = [name for name in _WEB_FRAMEWORKS if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # an import of it raises ImportError
    sys.modules[_FASTAPI_ADAPTER] = stub
    config = pydantic.BaseModel.model_config
    deferred_before = "defer_build" in config
    config["defer_build"] = True  # only models defined while the SDK loads: the SDK's own
    try:
        with warnings.catch_warnings():  # the SDK announces a preview feature (HTML widgets) we do not use
            warnings.simplefilter("ignore")
            yield
    finally:
        if not deferred_before:
            config.pop("defer_build", None)
        for name in blocked:
            sys.modules.pop(name, None)
        sys.modules.pop(_FASTAPI_ADAPTER, None)  # a later import (the bench's bare app) loads the real one


with _lean():
    from microsoft_teams.api import ApiClient, InvokeResponse
    from microsoft_teams.api.activities import ActivityTypeAdapter
    from microsoft_teams.api.activities.message import MessageActivityInput
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, CloudEnvironment, with_overrides
    from microsoft_teams.api.clients.conversation.params import CreateConversationParams
    from microsoft_teams.apps import App
    from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpRouteHandler
    from microsoft_teams.common import ClientOptions

__all__ = [
    "PUBLIC",
    "ActivityTypeAdapter",
    "ApiClient",
    "App",
    "ClientOptions",
    "CloudEnvironment",
    "CreateConversationParams",
    "HttpMethod",
    "HttpRequest",
    "HttpRouteHandler",
    "InvokeResponse",
    "MessageActivityInput",
    "with_overrides",
]
