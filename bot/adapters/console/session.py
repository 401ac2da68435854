"""A console session: lines from a script or the keyboard become requests, replies are shown.

Script and prompt syntax (also in the README):
  /command args     run a command
  !N                press choice N of the last message that has choices
  !M.N              press choice N of message M
  >M text           reply in the thread of message M
  @name ...         do the rest of the line as user `name`
  # comment         ignored
Forms are asked field by field.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
from typing import TextIO, TypedDict

from bot.adapters.console.adapter import DEFAULT_CHANNEL, ConsoleAdapter
from bot.adapters.console.answering import ConsoleAnswering
from bot.adapters.console.forms import LINE, PRESS, THREAD, FormAsker
from bot.adapters.console.terminal import KeepsPrompt, enable_line_editing
from bot.respond import deliver
from bot.runtime import Runtime
from core.model import Form, Reply, Request, RequestKind
from storage import state
from storage.db import is_unavailable

log = logging.getLogger(__name__)
# The highest message number given, kept with the data so a later run numbers on after it.
LAST_MESSAGE_STATE = "console_last_message"
MESSAGES_STATE = "console_messages"  # where the newest messages' buttons are kept (ConsoleAdapter.remembered)


class _Who(TypedDict):
    """The fields every request from a console line carries: who typed it."""

    platform: str
    user_id: str
    user_name: str
    roles: frozenset[str]


class ConsoleSession:
    """Reads lines (from a script or the keyboard), turns them into requests, shows replies."""

    def __init__(
        self, runtime: Runtime, adapter: ConsoleAdapter, *, user: str, extra_roles: frozenset[str] = frozenset()
    ) -> None:
        self.runtime = runtime
        self.adapter = adapter
        self.user = user
        self.extra_roles = extra_roles
        self.problems = 0
        self._script: list[str] = []  # a script's lines, and the next one to read
        self._next = 0
        self.interactive = False
        self._kept_number = 0
        self._kept_changes = 0

    def say(self, text: str) -> None:
        self.adapter.out.write(f"{text}\n\n")
        self.adapter.out.flush()

    async def run_script(self, lines: list[str]) -> int:
        """Run each line in order; 0 when every line made sense, 1 otherwise."""
        self._script, self._next = lines, 0
        await self.continue_numbering()
        await self.runtime.tick()
        await self.keep_numbering()
        while self._next < len(self._script):
            line = self._script[self._next]
            self._next += 1
            await self.handle_line(line, echo=True)
            await self.keep_numbering()
        return 1 if self.problems else 0

    async def continue_numbering(self) -> None:
        """Number on after the messages of an earlier run on the same data."""
        try:
            async with self.runtime.ctx.db.transaction() as tx:
                saved = await state.get(tx, LAST_MESSAGE_STATE)
                earlier = await state.get(tx, MESSAGES_STATE)
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("the console's last message number could not be read, so it numbers from 1: %s", exc)
            return
        if saved and saved.isdigit():
            self.adapter.number_after(int(saved))
        if earlier:
            self.adapter.recall(earlier)
        self._kept_number = self.adapter.last_number
        self._kept_changes = self.adapter.changes

    async def keep_numbering(self) -> None:
        """Save the highest message number given, when it has grown; while the database is out of
        reach the console carries on, and saves it after the next line."""
        last, changes = self.adapter.last_number, self.adapter.changes
        if last <= self._kept_number and changes <= self._kept_changes:
            return
        try:
            async with self.runtime.ctx.db.transaction() as tx:
                await state.put(tx, LAST_MESSAGE_STATE, str(last), now=self.runtime.ctx.now())
                await state.put(tx, MESSAGES_STATE, self.adapter.remembered(), now=self.runtime.ctx.now())
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            log.warning("the console's last message number could not be saved yet: %s", exc)
            return
        self._kept_number, self._kept_changes = last, changes

    async def run_interactive(self, stdin: TextIO = sys.stdin, stop: asyncio.Event | None = None) -> None:
        """Read and answer lines until the input ends or `stop` is set (SIGTERM, as `sgbot run`)."""
        self.interactive = True
        if stdin.isatty():
            commands = self.runtime.ctx.registry.commands
            enable_line_editing(name for name, spec in commands.items() if not spec.hidden)
            if self.adapter.out.isatty():
                self.adapter.out = KeepsPrompt(self.adapter.out)  # type: ignore[assignment]
        await self.continue_numbering()
        loop = asyncio.get_running_loop()
        ticker = loop.create_task(self._tick_forever())
        try:
            stopped = loop.create_task((stop or asyncio.Event()).wait())
            while True:
                reading = loop.create_task(self._read(stdin, f"{self.user}> "))
                await asyncio.wait({reading, stopped}, return_when=asyncio.FIRST_COMPLETED)
                if not reading.done():
                    reading.cancel()  # the reading thread is a daemon: it goes with the process
                    break
                line = reading.result()
                if line is None:
                    break
                await self.handle_line(line, echo=False)
                await self.keep_numbering()
        finally:
            # Wait for the tick to stop: one cut off inside a transaction must roll back before
            # the database is closed, or the process never exits (1 run in 12 hung at the end of input).
            ticker.cancel()
            stopped.cancel()
            await asyncio.gather(ticker, stopped, return_exceptions=True)

    async def _read(self, stdin: TextIO, prompt: str) -> str | None:
        """Read a line on a daemon thread, so Ctrl-C is never stuck behind a waiting input()."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def read() -> None:
            try:
                line = self._prompt(stdin, prompt)
            except BaseException as exc:  # noqa: BLE001 - hand any failure to the loop
                loop.call_soon_threadsafe(future.set_exception, exc)
                return
            loop.call_soon_threadsafe(future.set_result, line)

        terminal = self.adapter.out if isinstance(self.adapter.out, KeepsPrompt) and stdin.isatty() else None
        if terminal is not None:
            terminal.reading(prompt)
        threading.Thread(target=read, daemon=True).start()
        try:
            return await future
        finally:
            if terminal is not None:
                terminal.reading(None)

    @staticmethod
    def _prompt(stdin: TextIO, prompt: str) -> str | None:
        try:
            if stdin.isatty():
                return input(prompt)
            line = stdin.readline()
            return None if line == "" else line.rstrip("\n")
        except EOFError:
            return None

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(1)
            await self.runtime.tick_due()
            await self.keep_numbering()

    async def handle_line(self, raw: str, *, echo: bool) -> None:
        line = raw.strip()
        if not line or line.startswith("#"):
            return
        if echo:
            self.adapter.out.write(f"> {line}\n")
        match = LINE.match(line)
        assert match is not None
        user = match.group("user") or self.user
        rest = match.group("rest").strip()
        request = self._parse(rest, user)
        if request is None:
            return
        await self.submit(request)
        await self.runtime.tick()

    def _roles(self, user: str) -> frozenset[str]:
        extra = self.extra_roles if user == self.user else frozenset()
        return self.runtime.roles.roles_for("console", user, extra=extra)

    def _parse(self, rest: str, user: str) -> Request | None:
        base: _Who = {"platform": "console", "user_id": user, "user_name": user, "roles": self._roles(user)}
        if rest.startswith("/"):
            name, _, args = rest[1:].partition(" ")
            if not name:
                self._problem("Type a command name after the slash, e.g. /help.")
                return None
            return Request(
                kind=RequestKind.COMMAND, command=name, text=args.strip(), channel_id=DEFAULT_CHANNEL, **base
            )
        if press := PRESS.match(rest):
            return self._press(press, base)
        if thread := THREAD.match(rest):
            message = self.adapter.messages.get(int(thread.group("msg")))
            if message is None:
                self._problem(f"There is no message [{thread.group('msg')}] to reply to.")
                return None
            if not message.visible_to(base["user_id"]):
                # As on the platforms: nobody else can see a private answer, let alone reply to it.
                self._problem(
                    f"Message [{message.number}] was shown only to {message.audience}, so only they can reply to it."
                )
                return None
            return Request(
                kind=RequestKind.MESSAGE,
                text=thread.group("text"),
                channel_id=message.channel_id,
                thread_id=message.thread_id or str(message.number),
                **base,
            )
        self._problem(
            "I didn't understand that line. Type a /command, !N to press choice N, "
            "or >M text to reply in the thread of message M."
        )
        return None

    def _press(self, press: re.Match[str], base: _Who) -> Request | None:
        user = base["user_id"]
        if press.group("msg"):
            message = self.adapter.messages.get(int(press.group("msg")))
            if message is None:
                self._problem(f"There is no message [{press.group('msg')}].")
                return None
            if not message.visible_to(user):
                # As on Slack and Discord: a private answer's buttons belong to the person it was shown to.
                self._problem(
                    f"Message [{message.number}] was shown only to {message.audience}, "
                    "so only they can press its choices."
                )
                return None
        else:
            newest_first = sorted(self.adapter.messages.values(), key=lambda m: -m.number)
            message = next((m for m in newest_first if m.choices and m.visible_to(user)), None)
            if message is None:
                self._problem("There are no choices to press yet.")
                return None
        choice = int(press.group("choice"))
        if not message.choices:
            self._problem(f"Message [{message.number}] has no choices to press.")
            return None
        if not 1 <= choice <= len(message.choices):
            only = "choice 1" if len(message.choices) == 1 else f"choices 1 to {len(message.choices)}"
            self._problem(f"Message [{message.number}] has {only}.")
            return None
        action_id, value = message.choices[choice - 1]
        return Request(
            kind=RequestKind.ACTION,
            action_id=action_id,
            value=value,
            channel_id=message.channel_id,
            thread_id=message.thread_id,
            message_id=str(message.number),
            is_direct=message.channel_id.startswith("dm:"),
            **base,
        )

    def _problem(self, text: str) -> None:
        self.problems += 1
        self.say(text)

    async def submit(self, request: Request) -> None:
        outcome = await self.runtime.dispatcher.handle(request)
        if request.kind is RequestKind.MESSAGE and not outcome.replies:
            # On a platform a thread reply nobody answers just sits there; here a new user could
            # not tell it was read at all (an outside audit), so the console says so.
            self.adapter.out.write(f"(Posted in the thread of [{request.thread_id}]; nothing in the bot answers it.)\n")
        await self.show_replies(outcome.replies, request)

    async def show_replies(self, replies: list[Reply], request: Request) -> None:
        # A line already typed stays on the screen: there is no prompt to remove.
        await deliver(replies, ConsoleAnswering(self, request))

    async def fill_form(self, form: Form, request: Request) -> None:
        await FormAsker(self).fill(form, request)

    def read_again(self) -> None:
        """The script line just read is read again next (it ends a form's text: forms.py)."""
        self._next -= 1

    async def next_answer(self, prompt: str) -> str | None:
        if self.interactive:
            return await self._read(sys.stdin, prompt)
        if self._next >= len(self._script):
            return None
        answer = self._script[self._next]
        self._next += 1
        self.adapter.out.write(f"{prompt}{answer.rstrip()}\n")
        return answer.rstrip("\n")
