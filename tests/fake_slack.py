"""Both sides of Slack's wire, on loopback, for end-to-end tests and benchmarks.

`FakeSlack` is a local stand-in for Slack's Web API (and for response_url and file upload
URLs): it records every call and answers the way Slack does, with scripted failures such as
a 429 with Retry-After. Point a real `AsyncWebClient` at `fake.base_url`.

`SlackSender` plays Slack's side of incoming requests: it signs bodies with the signing
secret, as Slack does, and posts them to the bot's /slack/events endpoint.

The payloads in tests/slack_payloads/ follow the shapes Slack sends; `payload()` loads one.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from pytest_httpserver import HTTPServer
from slack_sdk.web.async_client import AsyncWebClient
from werkzeug import Request, Response

PAYLOADS = Path(__file__).parent / "slack_payloads"
BOT_USER = "UBOT"
BOT_TOKEN = "xoxb-test-token"


class ManualClock:
    """Monotonic time for pacers and caches that moves only when something sleeps or a test says so."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


_TRIGGERS = itertools.count(1)


def payload(name: str, **changes: Any) -> dict[str, Any]:
    """A recorded-shape payload with top-level fields replaced."""
    data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


@dataclass
class Call:
    method: str  # a Web API method, or "response_url" / "upload"
    args: dict[str, Any]
    token: str = ""


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: str | None
    text: str | None = None  # a plain-text body instead of Slack's JSON, as a proxy or an outage gives


@dataclass
class FakeSlack:
    """Slack's Web API on 127.0.0.1, recording calls. Use as a context manager."""

    groups: dict[str, list[str]] = field(default_factory=dict)  # user group handle -> member ids
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
        self.server.expect_request(re.compile(r".*")).respond_with_handler(self._handle)
        self._failures: dict[str, list[_Failure]] = defaultdict(list)
        self._lock = threading.Lock()
        self._counter = itertools.count(1)

    def __enter__(self) -> FakeSlack:
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.clear()
        if self.server.is_running():
            self.server.stop()

    @property
    def base_url(self) -> str:
        return self.server.url_for("/api/")  # must end in '/': the client joins with urljoin

    def response_url(self, name: str = "r1") -> str:
        return self.server.url_for(f"/respond/{name}")

    def client(self, token: str = BOT_TOKEN) -> AsyncWebClient:
        return AsyncWebClient(token=token, base_url=self.base_url)

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str = "",
        retry_after: str | None = None,
        text: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls to `method` fail: a 429 with Retry-After, ok=false with
        `error`, or (with `text`) a plain-text answer such as a 503 from a proxy."""
        with self._lock:
            for _ in range(times):
                self._failures[method].append(_Failure(status, error or "ratelimited", retry_after, text))

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.args for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def forget_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def reset(self, *, groups: dict[str, list[str]] | None = None) -> None:
        """Forget calls and scripted failures, so one running server can serve many tests."""
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            self.groups = dict(groups or {})

    # --- the server side ---------------------------------------------------------------------

    def _handle(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/respond/"):
            self._record("response_url", json.loads(request.get_data(as_text=True) or "{}"))
            return Response("ok", content_type="text/plain")
        if path.startswith("/upload/"):
            self._record("upload", {"file_id": path.rsplit("/", 1)[-1], "bytes": len(request.get_data())})
            return Response("OK - uploaded", content_type="text/plain")
        method = path.removeprefix("/api/")
        args = self._args(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self._record(method, args, token)
        with self._lock:
            failure = self._failures[method].pop(0) if self._failures[method] else None
        if failure is not None:
            headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            if failure.text is not None:
                return Response(failure.text, status=failure.status, headers=headers, content_type="text/plain")
            body = json.dumps({"ok": False, "error": failure.error})
            return Response(body, status=failure.status, headers=headers, content_type="application/json")
        return Response(json.dumps(self._answer(method, args)), content_type="application/json")

    def _record(self, method: str, args: dict[str, Any], token: str = "") -> None:
        with self._lock:
            self.calls.append(Call(method, args, token))

    @staticmethod
    def _args(request: Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.args.items())
        if request.is_json:
            args.update(request.get_json(silent=True) or {})
        else:
            args.update(request.form.to_dict())
        return args

    def _ts(self) -> str:
        return f"1772443000.{next(self._counter):06d}"

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            return ok | {
                "url": "https://mscp-test.slack.com/",
                "team": "MSCP test",
                "user": "sgbot",
                "team_id": "T0TEST",
                "user_id": BOT_USER,
                "bot_id": "BBOT",
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = self._ts()
            return ok | {"channel": args.get("channel"), "ts": ts, "message": {"ts": ts, "text": args.get("text")}}
        if method == "chat.postEphemeral":
            return ok | {"message_ts": self._ts()}
        if method == "chat.update":
            return ok | {"channel": args.get("channel"), "ts": args.get("ts")}
        if method in ("views.open", "views.update"):
            return ok | {"view": {"id": "V0OPENED", "callback_id": (args.get("view") or {}).get("callback_id")}}
        if method == "conversations.open":
            return ok | {"channel": {"id": "D" + str(args.get("users", "")).split(",")[0]}}
        if method == "usergroups.list":
            return ok | {"usergroups": [{"id": f"S{i:04d}", "handle": h, "name": h} for i, h in enumerate(self.groups)]}
        if method == "usergroups.users.list":
            handles = list(self.groups)
            index = int(str(args.get("usergroup", "S9999"))[1:])
            members = self.groups[handles[index]] if index < len(handles) else []
            return ok | {"users": members}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._counter):06d}"
            return ok | {"upload_url": self.server.url_for(f"/upload/{file_id}"), "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(args.get("files", "[]"))
            return ok | {"files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}


class SlackSender:
    """Signs requests with the signing secret and posts them to the bot, as Slack does."""

    def __init__(self, url: str, signing_secret: str) -> None:
        self.url = url
        self.secret = signing_secret.encode()
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def sign(self, stamp: str, body: bytes) -> str:
        """Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret.
        Done on bytes here, so a test can sign a body that is not valid UTF-8."""
        digest = hmac.new(self.secret, b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        return f"v0={digest}"

    async def post(
        self,
        body: str | bytes,
        content_type: str,
        *,
        timestamp: int | str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, str]:
        """(status, content type, body text) of the bot's answer."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        raw = body.encode() if isinstance(body, str) else body
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or self.sign(stamp, raw),
            **(headers or {}),
        }
        async with self._session.post(self.url, data=raw, headers=sent) as response:
            return response.status, response.content_type, await response.text()

    async def command(self, command: str, text: str = "", **fields: Any) -> tuple[int, str, str]:
        # each use of a command has its own trigger_id, as Slack gives it: two are never byte for byte alike
        fields.setdefault("trigger_id", f"1111.2222.{next(_TRIGGERS)}")
        body = urlencode(payload("slash_command", command=command, text=text, **fields))
        return await self.post(body, "application/x-www-form-urlencoded")

    async def interaction(self, data: dict[str, Any]) -> tuple[int, str, str]:
        body = urlencode({"payload": json.dumps(data)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def event(self, data: dict[str, Any], *, retry: int | None = None) -> tuple[int, str, str]:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return await self.post(json.dumps(data), "application/json", headers=headers)


def thread_reply(text: str, *, event_id: str, user: str = "U0PRACT01", **event: Any) -> dict[str, Any]:
    data = payload("message_thread_reply", event_id=event_id)
    data["event"] = {**data["event"], "text": text, "user": user, **event}
    return data


def button_click(action_id: str, value: str, *, response_url: str, trigger_id: str, **changes: Any) -> dict[str, Any]:
    data = payload("block_actions", response_url=response_url, trigger_id=trigger_id, **changes)
    data["actions"] = [{**data["actions"][0], "action_id": action_id, "value": value}]
    return data


def modal_submission(view: dict[str, Any], values: dict[str, str], *, trigger_id: str) -> dict[str, Any]:
    """A view_submission for a modal the bot opened, with text typed into each field."""
    data = copy.deepcopy(payload("view_submission", trigger_id=trigger_id))
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block["element"]
        entered = values.get(block["block_id"], "")
        if element["type"] == "static_select":
            chosen = next((o for o in element["options"] if o["value"] == entered), None)
            state[block["block_id"]] = {"value": {"type": "static_select", "selected_option": chosen}}
        else:
            state[block["block_id"]] = {"value": {"type": "plain_text_input", "value": entered or None}}
    data["view"] = {
        **data["view"],
        "callback_id": view["callback_id"],
        "private_metadata": view["private_metadata"],
        "blocks": view["blocks"],
        "state": {"values": state},
    }
    return data
