"""The console's primitives for answering one request (see `bot.adapters.base.Answering`);
which one each reply needs is decided by `bot.respond.deliver`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.adapters.console.adapter import DEFAULT_CHANNEL, ConsoleAdapter
from core.model import Form, Reply, Request, Target

if TYPE_CHECKING:
    from bot.adapters.console.session import ConsoleSession


def where(channel: str, thread: str | None) -> str:
    if channel.startswith("dm:"):
        return f"direct message to {channel[3:]}"
    return f"#{channel}" + (f", thread of [{thread}]" if thread else "")


class ConsoleAnswering:
    """Answers `request` on the screen: the person's answer is numbered like any message."""

    def __init__(self, session: ConsoleSession, request: Request) -> None:
        self.session = session
        self.adapter: ConsoleAdapter = session.adapter
        self.request = request
        self.asker = request.user_id
        self.private_here = True  # shown with "(only you can see this)"

    async def answer(self, reply: Reply, *, private: bool) -> None:
        request = self.request
        channel = request.channel_id or DEFAULT_CHANNEL
        private = private or channel.startswith("dm:")  # a direct message is private whatever it asked
        self.adapter.show(
            reply,
            where=where(channel, request.thread_id) + ("" if channel.startswith("dm:") else f" to {request.user_id}"),
            channel_id=channel,
            thread_id=request.thread_id,
            audience=request.user_id if private else None,
        )

    async def defer(self) -> None:
        return None  # a terminal waits as long as it takes

    async def open_form(self, form: Form) -> None:
        await self.session.fill_form(form, self.request)

    async def show_form_errors(self, form: Form | None, errors: dict[str, str], values: dict[str, str]) -> None:
        fields = form.fields if form is not None else []
        for field_id, error in errors.items():
            label = next((f.label for f in fields if f.id == field_id), field_id)
            self.session.say(f"  {label}: {error}")

    async def post(self, target: Target, reply: Reply) -> str:
        return await self.adapter.send(target, reply)

    async def edit(self, reply: Reply) -> bool:
        message_id = self.request.message_id
        original = self.adapter.messages.get(int(message_id)) if message_id and message_id.isdigit() else None
        if original is None:
            return False
        self.adapter.show(
            reply,
            where=where(original.channel_id, original.thread_id),
            channel_id=original.channel_id,
            thread_id=original.thread_id,
            replace=original.number,
            audience=original.audience,
        )
        return True
