"""Helpers to drive the bot in tests: build requests, and run console scripts in-process."""

from __future__ import annotations

import io
from typing import Any

from bot.adapters.console.adapter import ConsoleAdapter
from bot.adapters.console.session import ConsoleSession
from bot.runtime import Runtime
from core.model import Header, Reply, Request, RequestKind


def command(name: str, text: str = "", *, user: str = "u1", roles: set[str] | None = None, **extra: Any) -> Request:
    return Request(
        kind=RequestKind.COMMAND,
        platform=extra.pop("platform", "console"),
        user_id=user,
        roles=frozenset({"practitioner", *(roles or set())}),
        channel_id=extra.pop("channel_id", "general"),
        command=name,
        text=text,
        **extra,
    )


def action(action_id: str, value: str, *, user: str = "u1", roles: set[str] | None = None, **extra: Any) -> Request:
    return Request(
        kind=RequestKind.ACTION,
        platform=extra.pop("platform", "console"),
        user_id=user,
        roles=frozenset({"practitioner", *(roles or set())}),
        channel_id=extra.pop("channel_id", "general"),
        action_id=action_id,
        value=value,
        **extra,
    )


def text_of(replies: list[Reply]) -> str:
    return "\n".join(r.all_text() for r in replies)


async def only_reply(runtime: Runtime, name: str, words: str = "") -> Reply:
    """The one reply a lookup gives to `/name words`."""
    outcome = await runtime.dispatcher.handle(command(name, words))
    assert len(outcome.replies) == 1, outcome
    return outcome.replies[0]


def first_header(answer: Reply) -> str:
    return next(b.text for b in answer.blocks if isinstance(b, Header))


class Console:
    """A console session on a runtime whose output is captured."""

    def __init__(self, runtime: Runtime, *, user: str = "you", roles: frozenset[str] = frozenset()) -> None:
        self.out = io.StringIO()
        self.adapter = ConsoleAdapter(self.out, runtime.ctx.settings.data_dir / "console-files")
        runtime.add_adapter(self.adapter)
        runtime.prepare_workers()
        self.session = ConsoleSession(runtime, self.adapter, user=user, extra_roles=roles)

    async def run(self, script: str) -> str:
        start = self.out.tell()
        await self.session.run_script(script.strip().splitlines())
        return self.out.getvalue()[start:]
