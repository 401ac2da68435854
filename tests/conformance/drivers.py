"""One driver per platform, each with the same few verbs, so one set of cases can run on all.

A driver plays the person (and the platform) from the outside: it sends what the platform would
send to the bot, and reads back what the platform's fake received, boiled down to a neutral
`Seen`. Nothing here reaches into an adapter's internals beyond starting it, so the cases keep
holding when adapters are rebuilt behind a new contract. A new adapter joins the suite by
adding a driver here with the same methods (and a line in `DRIVERS`).

Drivers:
- console: the console adapter and session (tests/harness.py), reading what it prints;
- slack: the real slack-bolt AsyncApp over signed HTTP on loopback, its real AsyncWebClient
  posting to FakeSlack (tests/slack_wire.py, tests/fake_slack.py);
- discord: the real discord.py client against FakeDiscord's REST API and gateway
  (tests/discord_fake.py, tests/discord_payloads.py);
- teams: the real Teams SDK app over signed activities on loopback, posting to FakeTeams's Bot
  Connector (tests/conformance/teams_driver.py, run by test_conformance_teams.py).

All three run the product's features plus tests/slack_feature.py, a small platform-neutral
feature with one of each kind of reply (its name is historical: it began in the Slack tests).
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from aiohttp import web
from prometheus_client import REGISTRY

from bot.runtime import Runtime
from core.clock import Clock
from core.config import Settings
from core.model import Reply, Request, RequestKind, Target, reply
from storage import outbox, threads
from tests import discord_payloads as p
from tests import slack_feature
from tests.discord_fake import Call as DiscordCall
from tests.discord_fake import FakeDiscord, _json
from tests.fake_slack import FakeSlack, button_click, modal_submission, thread_reply
from tests.harness import Console
from tests.slack_wire import Wire, open_wire, runtime_with_test_feature, slack_settings
from tests.storage_support import in_tx

SECRET = "test-key-Qz8vWm2Lp9Xr4Nf7Hc"


@dataclass
class Seen:
    """What one person saw of one message, in platform-neutral terms."""

    kind: str  # "message", "form" (a form opened), "form_errors" (a form refused with reasons)
    text: str  # what is shown, as plain text (the platform's escaping undone)
    buttons: list[str] = field(default_factory=list)  # labels of pressable buttons
    private: bool = False  # only the person who asked can see it
    where: str = "channel"  # "channel", "thread" or "dm"
    message_id: str | None = None
    updated: bool = False  # it replaced the message it answered instead of adding one
    files: list[str] = field(default_factory=list)  # file names uploaded with it
    raw: Any = None  # the platform's own record, for the driver's later use only
    origin: tuple[str, str, str] | None = None  # (command, text, user) that led to it


class Driver(Protocol):
    platform: str
    rt: Runtime  # the bot behind the adapter, for setting the scene (claiming a thread) and reading effects

    def effects(self) -> list[Any]: ...
    async def send_command(self, name: str, text: str = "", user: str = "alice") -> Seen: ...
    async def press(self, seen: Seen, label: str, user: str = "alice") -> Seen: ...
    async def press_twice(self, seen: Seen, label: str, user: str = "alice") -> list[Seen]: ...
    async def submit_form(self, seen: Seen, values: dict[str, str], user: str = "alice") -> Seen: ...
    async def open_thread(self, feature: str, ref: str) -> Seen: ...
    async def reply_in_thread(self, thread: Seen, text: str, user: str = "alice") -> Seen: ...
    async def reply_in_thread_twice(self, thread: Seen, text: str, user: str = "alice") -> list[Seen]: ...
    async def deliver(self, message: Reply, key: str) -> Seen: ...
    async def edit(self, posted: Seen, message: Reply, key: str) -> Seen: ...
    async def deliver_direct(self, message: Reply, key: str, user: str = "alice") -> Seen: ...
    async def edit_direct(self, posted: Seen, message: Reply, key: str, user: str = "alice") -> Seen: ...
    def inertness_problems(self, seen: Seen) -> list[str]: ...
    async def close(self) -> None: ...


# --- shared ------------------------------------------------------------------------------------


def bot_settings(tmp_path: Path, database_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "survey_secret": SECRET,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def enqueue_and_deliver(rt: Runtime, platform: str, key: str, target: Target, message: Reply) -> str:
    """Put a post in the outbox and run the delivery worker once, as every replica does each
    half second; the platform message id the row was marked sent with."""
    now = rt.ctx.now()
    row = outbox.NewMessage(key, platform, target.model_dump(), message.model_dump(mode="json"), now)
    await in_tx(rt.ctx.db, outbox.enqueue, [row], now=now)
    assert rt.delivery is not None
    await rt.delivery.deliver_due()
    sent = await in_tx(rt.ctx.db, outbox.get, key)
    assert sent is not None and sent.status == "sent", f"outbox row {key} was not sent: {sent and sent.error}"
    return str(sent.message_id)


def direct_edit(user_id: str, posted: Seen) -> Target:
    """An edit of the bot's own direct message to a person, as closing a survey sends."""
    return Target(kind="direct", user_id=user_id, message_id=posted.message_id)


def public_post(text: str) -> Reply:
    return reply(text, public=True)


async def claim(rt: Runtime, platform: str, channel: str, thread: str, feature: str, ref: str) -> None:
    """A feature owning a thread, as announcing a training session or sending a survey does."""
    async with rt.ctx.db.transaction() as tx:
        await threads.claim_thread(
            tx, platform=platform, channel_id=channel, thread_id=thread, feature=feature, ref=ref, now=rt.ctx.now()
        )


# --- console -----------------------------------------------------------------------------------

_HEAD = re.compile(
    r"^\[(?P<updated>updated )?(?P<number>\d+)\] (?P<where>.*?)(?P<private> \(only you can see this\))?$"
)
_CHOICE = re.compile(r"\[(\d+)\] (.+?)(?=\s{3}(?:\[\d+\] |<)|$)")
_FILE = re.compile(r"^\s*\(file: ([^,]+), saved to ")


class ConsoleDriver:
    """The console as its user meets it: lines typed, text printed."""

    platform = "console"
    users: ClassVar[dict[str, str]] = {"alice": "alice", "bob": "bob"}

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.console = Console(rt, user="alice")
        self.session = self.console.session
        self._answers: dict[str, str] | None = None
        self._asked: set[str] = set()
        self._block: list[str] = []
        # The console asks a form's fields one prompt at a time; this person answers each prompt
        # by its label, the way someone at the keyboard reads it.
        self.session.next_answer = self._answer  # type: ignore[method-assign]
        self._deliveries = itertools.count(1)

    @classmethod
    async def open(cls, tmp_path: Path, database_url: str, clock: Clock) -> ConsoleDriver:
        rt = await runtime_with_test_feature(bot_settings(tmp_path, database_url), clock)
        return cls(rt)

    async def close(self) -> None:
        await self.rt.ctx.db.dispose()

    def effects(self) -> list[Any]:
        return list(slack_feature.log(self.rt.ctx)["calls"])

    # what the console printed, message by message
    def _printed_since(self, start: int) -> str:
        return self.console.out.getvalue()[start:]

    @staticmethod
    def _parse(printed: str) -> list[Seen]:
        seen: list[Seen] = []
        for chunk in printed.split("\n\n"):
            lines = [line for line in chunk.splitlines() if not line.startswith("> ")]
            if not lines:
                continue
            head = _HEAD.match(lines[0])
            if head is None:
                # A form is a dialogue with the person who ran the command: private to them.
                if lines[0].startswith("[form] "):
                    seen.append(Seen("form", "\n".join(lines), private=True, raw=chunk))
                elif seen and seen[-1].kind == "form" and "type or paste several lines" in lines[0]:
                    seen[-1].text += "\n" + lines[0].strip()  # the label of a multi-line field
                elif seen and seen[-1].kind in ("form", "form_errors") and lines[0].startswith("  "):
                    # "  Label: error" lines after a submission the console refused
                    text = "\n".join(line.strip() for line in lines)
                    if seen[-1].kind == "form_errors":
                        seen[-1].text += "\n" + text
                    else:
                        seen.append(Seen("form_errors", text, private=True, raw=chunk))
                continue
            body = lines[1:]
            where = head["where"]
            buttons = [label for line in body for _, label in _CHOICE.findall(line.strip())]
            seen.append(
                Seen(
                    "message",
                    "\n".join(line.strip() for line in body),
                    buttons=buttons,
                    private=bool(head["private"]) or where.startswith("direct message"),
                    where="dm"
                    if where.startswith("direct message")
                    else ("thread" if "thread of" in where else "channel"),
                    message_id=head["number"],
                    updated=bool(head["updated"]),
                    files=[m[1] for line in body if (m := _FILE.match(line))],
                    raw=chunk,
                )
            )
        return seen

    async def _line(self, line: str, user: str) -> list[Seen]:
        start = self.console.out.tell()
        await self.session.handle_line(f"@{self.users[user]} {line}", echo=True)
        return self._parse(self._printed_since(start))

    async def _answer(self, prompt: str) -> str | None:
        """Answer one prompt of a console form by its label, as the person at the keyboard does.
        A prompt asked a second time (the console re-asks the fields it refused) gets no answer:
        the person walks away, which leaves what was shown on the screen to read."""
        if self._answers is None:
            return None  # only opening the form: nobody answers it yet
        if self._block:
            return self._block.pop(0)
        if prompt.strip() == "|":  # a multi-line field: its label was printed just before
            asked = self.console.out.getvalue().rstrip("\n").rsplit("\n", 1)[-1].strip()
        else:
            asked = prompt.strip()
        if asked in self._asked:
            return None
        self._asked.add(asked)
        value = next((v for label, v in self._answers.items() if asked.startswith(label)), "")
        if prompt.strip() == "|":
            self._block = [*value.splitlines(), "."]
            return self._block.pop(0)
        return value

    async def send_command(self, name: str, text: str = "", user: str = "alice") -> Seen:
        shown = await self._line(f"/{name} {text}".rstrip(), user)
        first = shown[0]
        first.origin = (name, text, user)
        first.files = [f for s in shown for f in s.files]
        return first

    async def press(self, seen: Seen, label: str, user: str = "alice") -> Seen:
        choice = seen.buttons.index(label) + 1
        return (await self._line(f"!{seen.message_id}.{choice}", user))[0]

    async def press_twice(self, seen: Seen, label: str, user: str = "alice") -> list[Seen]:
        # The console has no platform to retry a delivery, so the dispatcher is handed the same
        # request with the same delivery id twice, as an adapter does when its platform retries.
        message = self.console.adapter.messages[int(str(seen.message_id))]
        action_id, value = message.choices[seen.buttons.index(label)]
        who = self.users[user]
        request = Request(
            kind=RequestKind.ACTION,
            platform="console",
            user_id=who,
            user_name=who,
            roles=self.rt.roles.roles_for("console", who),
            channel_id=message.channel_id,
            action_id=action_id,
            value=value,
            message_id=str(message.number),
            delivery_id=f"console:conformance:{next(self._deliveries)}",
        )
        shown: list[Seen] = []
        for _ in range(2):
            start = self.console.out.tell()
            await self.session.submit(request)
            shown += self._parse(self._printed_since(start))
        return shown

    async def submit_form(self, seen: Seen, values: dict[str, str], user: str = "alice") -> Seen:
        # A console form is a dialogue within the command: the person runs it and answers.
        assert seen.origin is not None
        name, text, _ = seen.origin
        self._answers, self._asked, self._block = dict(values), set(), []
        try:
            shown = await self._line(f"/{name} {text}".rstrip(), user)
        finally:
            self._answers = None
        after = [s for s in shown if s.kind != "form"]
        return after[0] if after else Seen("nothing", "")

    async def open_thread(self, feature: str, ref: str) -> Seen:
        posted = await self.deliver(public_post("Neglect awareness, 9 March"), f"conformance:{feature}:{ref}")
        await claim(self.rt, "console", "general", str(posted.message_id), feature, ref)
        return posted

    async def reply_in_thread(self, thread: Seen, text: str, user: str = "alice") -> Seen:
        return (await self._line(f">{thread.message_id} {text}", user))[0]

    async def reply_in_thread_twice(self, thread: Seen, text: str, user: str = "alice") -> list[Seen]:
        who = self.users[user]
        request = Request(
            kind=RequestKind.MESSAGE,
            platform="console",
            user_id=who,
            user_name=who,
            roles=self.rt.roles.roles_for("console", who),
            channel_id="general",
            thread_id=thread.message_id,
            text=text,
            delivery_id=f"console:conformance:{next(self._deliveries)}",
        )
        shown: list[Seen] = []
        for _ in range(2):
            start = self.console.out.tell()
            await self.session.submit(request)
            shown += self._parse(self._printed_since(start))
        return shown

    async def deliver(self, message: Reply, key: str) -> Seen:
        start = self.console.out.tell()
        sent = await enqueue_and_deliver(self.rt, "console", key, Target(kind="channel", channel_id="general"), message)
        [seen] = self._parse(self._printed_since(start))
        assert seen.message_id == sent
        return seen

    async def edit(self, posted: Seen, message: Reply, key: str) -> Seen:
        start = self.console.out.tell()
        target = Target(kind="thread", channel_id="general", thread_id=posted.message_id)
        await enqueue_and_deliver(
            self.rt, "console", key, target, message.model_copy(update={"replace_original": True})
        )
        [seen] = self._parse(self._printed_since(start))
        return seen

    async def deliver_direct(self, message: Reply, key: str, user: str = "alice") -> Seen:
        start = self.console.out.tell()
        target = Target(kind="direct", user_id=self.users[user])
        sent = await enqueue_and_deliver(self.rt, "console", key, target, message)
        [seen] = self._parse(self._printed_since(start))
        assert seen.message_id == sent
        return seen

    async def edit_direct(self, posted: Seen, message: Reply, key: str, user: str = "alice") -> Seen:
        start = self.console.out.tell()
        edited = message.model_copy(update={"replace_original": True})
        await enqueue_and_deliver(self.rt, "console", key, direct_edit(self.users[user], posted), edited)
        [seen] = self._parse(self._printed_since(start))
        return seen

    def inertness_problems(self, seen: Seen) -> list[str]:
        # A terminal has no mentions; what matters is that nothing but printable text arrives.
        problems = []
        if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", str(seen.raw)):
            problems.append("control characters reached the terminal")
        return problems


# --- Slack -------------------------------------------------------------------------------------


def _slack_text(blocks: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """What a person reads of Block Kit blocks, with Slack's &-escaping undone; and button labels."""
    parts: list[str] = []
    buttons: list[str] = []
    for block in blocks or []:
        kind = block.get("type")
        if kind in ("header", "section") and block.get("text"):
            parts.append(block["text"]["text"])
        for f in block.get("fields") or []:
            parts.append(f["text"])
        if kind == "context":
            parts += [e.get("text", "") for e in block.get("elements", [])]
        if kind == "actions":
            for e in block.get("elements", []):
                if e.get("type") == "button" and not e.get("url"):
                    buttons.append(e["text"]["text"])
        if kind == "image":
            parts.append(block.get("alt_text", ""))
    return slack_plain("\n".join(parts)), buttons


def slack_plain(mrkdwn: str) -> str:
    """Slack mrkdwn as a person reads it: *bold* and _italic_ shown without their marks,
    <url|label> as "label (url)", and &lt; &gt; &amp; as the characters."""
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", mrkdwn)
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])", r"\1", text)
    return html.unescape(text)


class SlackDriver:
    platform = "slack"
    users: ClassVar[dict[str, str]] = {"alice": "U0PRACT01", "bob": "U0OTHER"}
    channel = "C0GENERAL"  # where the recorded slash command payload comes from

    def __init__(self, wire: Wire) -> None:
        self.wire = wire
        self.rt = wire.rt
        self.fake = wire.fake
        self._n = itertools.count(1)

    @classmethod
    async def open(cls, fake: FakeSlack, tmp_path: Path, database_url: str, clock: Clock) -> SlackDriver:
        wire = await open_wire(fake, slack_settings(tmp_path, database_url), clock)
        wire.rt.prepare_workers()
        return cls(wire)

    async def close(self) -> None:
        await self.wire.close()

    def effects(self) -> list[Any]:
        return list(self.wire.calls)

    def _user(self, user: str) -> dict[str, str]:
        uid = self.users[user]
        return {"id": uid, "username": user, "name": user, "team_id": "T0TEST"}

    async def _collect(self, start: int, body: str, view: dict[str, Any] | None = None) -> list[Seen]:
        await self.wire.adapter.drain()
        with self.fake._lock:
            calls = list(self.fake.calls[start:])
        seen: list[Seen] = []
        if body:
            answer = json.loads(body)
            if answer.get("response_action") == "errors":
                labels = {b["block_id"]: b["label"]["text"] for b in (view or {}).get("blocks", [])}
                text = "\n".join(f"{labels.get(k, k)}: {v}" for k, v in answer["errors"].items())
                seen.append(Seen("form_errors", text, private=True, raw=answer))
            elif "blocks" in answer or "text" in answer:
                text, buttons = _slack_text(answer.get("blocks", []))
                private = answer.get("response_type", "ephemeral") == "ephemeral"
                seen.append(Seen("message", text, buttons, private, raw=answer))
        files: list[str] = []
        for call in calls:
            args = call.args
            if call.method == "views.open":
                v = args["view"]
                asked = [b["label"]["text"] for b in v.get("blocks", [])]
                seen.append(Seen("form", "\n".join([v["title"]["text"], *asked]), private=True, raw=v))
            elif call.method == "response_url":
                text, buttons = _slack_text(args.get("blocks", []))
                private = args.get("response_type", "ephemeral") == "ephemeral" and not args.get("replace_original")
                seen.append(
                    Seen("message", text, buttons, private, updated=bool(args.get("replace_original")), raw=args)
                )
            elif call.method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
                blocks = args.get("blocks")
                if isinstance(blocks, str):
                    blocks = json.loads(blocks)
                text, buttons = _slack_text(blocks or [])
                channel = str(args.get("channel", ""))
                where = "dm" if channel.startswith("D") else ("thread" if args.get("thread_ts") else "channel")
                seen.append(
                    Seen(
                        "message",
                        text,
                        buttons,
                        private=call.method == "chat.postEphemeral" or where == "dm",
                        where=where,
                        message_id=args.get("ts"),
                        updated=call.method == "chat.update",
                        raw=args,
                    )
                )
            elif call.method == "files.completeUploadExternal":
                files += [f.get("title") for f in json.loads(args.get("files", "[]"))]
        if seen and files:
            seen[0].files = files
        return seen

    def _mark(self) -> int:
        with self.fake._lock:
            return len(self.fake.calls)

    async def send_command(self, name: str, text: str = "", user: str = "alice") -> Seen:
        n = next(self._n)
        start = self._mark()
        status, _, body = await self.wire.slack.command(
            f"/{name}",
            text,
            user_id=self.users[user],
            user_name=user,
            response_url=self.fake.response_url(f"cmd{n}"),
            trigger_id=f"{n}.command",
        )
        assert status == 200, body
        first = (await self._collect(start, body))[0]
        first.origin = (name, text, user)
        return first

    async def _click(self, seen: Seen, label: str, user: str, trigger: str) -> tuple[int, str, str]:
        blocks = seen.raw.get("blocks", [])
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        button = next(
            e
            for b in blocks
            if b.get("type") == "actions"
            for e in b["elements"]
            if e.get("text", {}).get("text") == label
        )
        container = {
            "type": "message",
            "message_ts": seen.message_id or "1772442000.000100",
            "channel_id": self.channel,
            "is_ephemeral": seen.private,
        }
        click = button_click(
            button["action_id"],
            button.get("value", ""),
            response_url=self.fake.response_url(f"click-{trigger}"),
            trigger_id=trigger,
            user=self._user(user),
            container=container,
            channel={"id": self.channel, "name": "general"},
        )
        return await self.wire.slack.interaction(click)

    async def press(self, seen: Seen, label: str, user: str = "alice") -> Seen:
        start = self._mark()
        status, _, body = await self._click(seen, label, user, f"{next(self._n)}.action")
        assert status == 200, body
        return (await self._collect(start, body))[0]

    async def press_twice(self, seen: Seen, label: str, user: str = "alice") -> list[Seen]:
        # Slack delivers an interaction again when it thinks the first went unanswered: the same
        # payload, the same trigger_id.
        trigger = f"{next(self._n)}.action"
        start = self._mark()
        shown: list[Seen] = []
        for _ in range(2):
            status, _, body = await self._click(seen, label, user, trigger)
            assert status == 200, body
            shown += await self._collect(start, body)
            start = self._mark()
        return shown

    async def submit_form(self, seen: Seen, values: dict[str, str], user: str = "alice") -> Seen:
        view = seen.raw
        by_label = {b["label"]["text"]: b["block_id"] for b in view["blocks"]}
        typed = {by_label[label]: value for label, value in values.items()}
        submission = modal_submission(view, typed, trigger_id=f"{next(self._n)}.submit")
        submission["user"] = self._user(user)
        start = self._mark()
        status, _, body = await self.wire.slack.interaction(submission)
        assert status == 200, body
        return (await self._collect(start, body, view))[0]

    async def open_thread(self, feature: str, ref: str) -> Seen:
        posted = await self.deliver(public_post("Neglect awareness, 9 March"), f"conformance:{feature}:{ref}")
        await claim(self.wire.rt, "slack", self.channel, str(posted.message_id), feature, ref)
        return posted

    async def reply_in_thread(self, thread: Seen, text: str, user: str = "alice") -> Seen:
        event = thread_reply(
            text,
            event_id=f"Ev{next(self._n):06d}",
            user=self.users[user],
            channel=self.channel,
            thread_ts=thread.message_id,
        )
        start = self._mark()
        status, _, body = await self.wire.slack.event(event)
        assert status == 200, body
        return (await self._collect(start, ""))[0]

    async def reply_in_thread_twice(self, thread: Seen, text: str, user: str = "alice") -> list[Seen]:
        # Slack sends an event again, with X-Slack-Retry-Num, when the first was not acknowledged
        # in time (https://api.slack.com/apis/events-api#retries).
        event = thread_reply(
            text,
            event_id=f"Ev{next(self._n):06d}",
            user=self.users[user],
            channel=self.channel,
            thread_ts=thread.message_id,
        )
        shown: list[Seen] = []
        for retry in (None, 1):
            start = self._mark()
            status, _, body = await self.wire.slack.event(event, retry=retry)
            assert status == 200, body
            shown += await self._collect(start, "")
        return shown

    async def deliver(self, message: Reply, key: str) -> Seen:
        start = self._mark()
        target = Target(kind="channel", channel_id=self.channel)
        sent = await enqueue_and_deliver(self.wire.rt, "slack", key, target, message)
        [seen] = await self._collect(start, "")
        seen.message_id = sent  # the ts Slack answered with, as the outbox recorded it
        return seen

    async def edit(self, posted: Seen, message: Reply, key: str) -> Seen:
        start = self._mark()
        target = Target(kind="thread", channel_id=self.channel, thread_id=posted.message_id)
        await enqueue_and_deliver(
            self.wire.rt, "slack", key, target, message.model_copy(update={"replace_original": True})
        )
        [seen] = await self._collect(start, "")
        return seen

    async def deliver_direct(self, message: Reply, key: str, user: str = "alice") -> Seen:
        start = self._mark()
        target = Target(kind="direct", user_id=self.users[user])
        sent = await enqueue_and_deliver(self.wire.rt, "slack", key, target, message)
        [seen] = await self._collect(start, "")
        seen.message_id = sent
        return seen

    async def edit_direct(self, posted: Seen, message: Reply, key: str, user: str = "alice") -> Seen:
        start = self._mark()
        edited = message.model_copy(update={"replace_original": True})
        await enqueue_and_deliver(self.wire.rt, "slack", key, direct_edit(self.users[user], posted), edited)
        [seen] = await self._collect(start, "")
        return seen

    def inertness_problems(self, seen: Seen) -> list[str]:
        # Slack reads <!channel>, <!here>, <@U…> and <url|label> only from raw '<' and '>'; text
        # escaped as &lt; &gt; &amp; is shown literally (https://api.slack.com/reference/surfaces/formatting#escaping).
        wire = json.dumps(seen.raw)
        problems = [f"raw {token} reached Slack" for token in ("<!", "<@", "<at>", "|x>") if token in wire]
        if "link_names" in wire:
            problems.append("link_names was set, which makes Slack turn @names into mentions")
        blocks = seen.raw.get("blocks") if isinstance(seen.raw, dict) else None
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        for block in blocks or []:
            text = block.get("text") or {}
            if text.get("type") == "mrkdwn" and "evil.example" in text.get("text", "") and not text.get("verbatim"):
                problems.append("a section with untrusted text was not verbatim")
        return problems


# --- Discord -----------------------------------------------------------------------------------

EPHEMERAL = 64


def _discord_text(body: dict[str, Any]) -> tuple[str, list[str]]:
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    buttons = [
        c["label"]
        for row in body.get("components") or []
        for c in row.get("components", [])
        if c.get("type") == 2 and c.get("custom_id")
    ]
    return discord_plain("\n".join(x for x in parts if x)), buttons


def discord_plain(markdown: str) -> str:
    """Discord Markdown as a person reads it: **bold** and _italic_ without their marks,
    [label](url) as "label (url)", and backslash escapes undone."""
    text = re.sub(r"\[([^\]\n]+)\]\(<?(https?://[^)>\s]+)>?\)", r"\1 (\2)", markdown)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w_\\])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])", r"\1", text)
    return re.sub(r"\\([\\*_`~|>#\[\]()<@-])", r"\1", text)


def repeats_counted() -> float:
    """Repeated deliveries the bot has recognised, from its Prometheus counter."""
    return REGISTRY.get_sample_value("sgbot_dedupe_hits_total") or 0.0


class EditingFakeDiscord(FakeDiscord):
    """FakeDiscord with the one route it lacks for this suite: editing a channel message,
    PATCH /channels/{channel.id}/messages/{message.id}, which answers with the edited message
    (https://discord.com/developers/docs/resources/message#edit-message) or 404 Unknown Message
    (code 10008, https://discord.com/developers/docs/topics/opcodes-and-status-codes#json)."""

    async def _answer(self, call: DiscordCall) -> web.StreamResponse:
        match = re.fullmatch(r"/channels/(\d+)/messages/(\d+)", call.path)
        if call.method != "PATCH" or match is None:
            return await super()._answer(call)
        stored = self.messages.get(match[2])
        if stored is None or stored["channel_id"] != match[1]:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        body = call.body or {}
        edited = stored | {k: body[k] for k in ("content", "embeds", "components", "flags") if k in body}
        self.messages[match[2]] = edited | {"edited_timestamp": p.TIMESTAMP}
        return _json(self.messages[match[2]])  # discord.py reads JSON only as exactly application/json


class DiscordDriver:
    platform = "discord"
    users: ClassVar[dict[str, tuple[int, str]]] = {"alice": (p.ALICE_ID, "alice"), "bob": (p.BOB_ID, "bob")}

    def __init__(self, rt: Runtime, adapter: Any, fake: FakeDiscord) -> None:
        self.rt = rt
        self.adapter = adapter
        self.fake = fake

    @classmethod
    async def open(cls, fake: FakeDiscord, tmp_path: Path, database_url: str, clock: Clock) -> DiscordDriver:
        from bot.adapters.discord.adapter import DiscordAdapter

        settings = bot_settings(
            tmp_path,
            database_url,
            discord_token="test-discord-token-0123456789",
            discord_guild_id=p.GUILD_ID,
            discord_thread_replies=True,
        )
        rt = await runtime_with_test_feature(settings, clock)
        adapter = DiscordAdapter(rt, ready_timeout=10, guild_ready_timeout=0.05)
        await adapter.start()
        rt.add_adapter(adapter)
        rt.prepare_workers()
        return cls(rt, adapter, fake)

    async def close(self) -> None:
        await self.adapter.stop()
        await self.rt.ctx.db.dispose()

    def effects(self) -> list[Any]:
        return list(slack_feature.log(self.rt.ctx)["calls"])

    def _who(self, user: str) -> dict[str, Any]:
        uid, name = self.users[user]
        return {"user_id": uid, "user_name": name}

    async def _interact(self, payload: dict[str, Any]) -> Seen:
        start = len(self.fake.calls)
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        [callback] = await self.fake.wait_for(lambda: self.fake.callbacks(payload["id"]))
        body = callback.body or {}
        if body.get("type") == 5:  # deferred: the answer comes as an edit of the original
            edits = await self.fake.wait_for(
                lambda: self.fake.calls_to("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")[
                    len([c for c in self.fake.calls[:start] if c.method == "PATCH"]) :
                ]
            )
            return self._seen(edits[0], edits[0].body or {}, private=bool(body["data"].get("flags", 0) & EPHEMERAL))
        if body.get("type") == 9:
            modal = body["data"]
            labels = [c.get("label", "") for c in modal.get("components", [])]
            return Seen("form", "\n".join([modal["title"], *labels]), private=True, raw=modal)
        data = body.get("data") or {}
        return self._seen(callback, data, private=bool((data.get("flags") or 0) & EPHEMERAL), updated=body["type"] == 7)

    def _seen(self, call: DiscordCall, data: dict[str, Any], *, private: bool, updated: bool = False) -> Seen:
        text, buttons = _discord_text(data)
        message_id = next(
            (mid for mid, m in reversed(self.fake.messages.items()) if m.get("content") == (data.get("content") or "")
             and m.get("embeds") == (data.get("embeds") or [])),
            None,
        )  # fmt: skip
        return Seen("message", text, buttons, private, "channel", message_id, updated, list(call.files), raw=data)

    async def send_command(self, name: str, text: str = "", user: str = "alice") -> Seen:
        seen = await self._interact(p.slash_command(name, text or None, **self._who(user)))
        seen.origin = (name, text, user)
        return seen

    def _button(self, seen: Seen, label: str) -> str:
        return next(
            c["custom_id"]
            for row in seen.raw.get("components") or []
            for c in row["components"]
            if c.get("label") == label
        )

    def _posted(self, seen: Seen) -> dict[str, Any]:
        assert seen.message_id is not None
        return self.fake.messages[seen.message_id] | {"flags": EPHEMERAL if seen.private else 0}

    async def press(self, seen: Seen, label: str, user: str = "alice") -> Seen:
        return await self._interact(p.button_press(self._posted(seen), self._button(seen, label), **self._who(user)))

    async def press_twice(self, seen: Seen, label: str, user: str = "alice") -> list[Seen]:
        # Discord may deliver one interaction twice (e.g. over a resumed gateway): the same id.
        payload = p.button_press(self._posted(seen), self._button(seen, label), **self._who(user))
        first = await self._interact(payload)
        before = repeats_counted()
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        # Done with the repeat once the bot has counted it as one (sgbot_dedupe_hits_total, as
        # /metrics shows it) or answered it a second time, whichever happens.
        await self._until(lambda: repeats_counted() > before or len(self.fake.callbacks(payload["id"])) > 1)
        again = self.fake.callbacks(payload["id"])[1:]
        return [first, *(self._seen(c, (c.body or {}).get("data") or {}, private=True) for c in again)]

    async def _until(self, check: Callable[[], bool]) -> None:
        async def poke() -> None:
            while True:
                await asyncio.sleep(0.01)
                await self.fake.poke()

        poker = asyncio.create_task(poke())
        try:
            await self.fake.wait_for(check)
        finally:
            poker.cancel()

    async def submit_form(self, seen: Seen, values: dict[str, str], user: str = "alice") -> Seen:
        modal = seen.raw
        by_label = {c.get("label"): c["component"]["custom_id"] for c in modal["components"]}
        typed = {by_label[label]: value for label, value in values.items()}
        seen = await self._interact(p.modal_submit(modal["custom_id"], typed, **self._who(user)))
        # Discord cannot show errors inside a modal, so the bot answers with the errors listed and
        # a button that opens the form again as it was left: that answer is the form refused.
        reopen = [c for row in seen.raw.get("components") or [] for c in row["components"]
                  if str(c.get("custom_id", "")).startswith("sgbot.form|")]  # fmt: skip
        if reopen:
            seen.kind = "form_errors"
        return seen

    async def open_thread(self, feature: str, ref: str) -> Seen:
        posted = await self.deliver(public_post("Neglect awareness, 9 March"), f"conformance:{feature}:{ref}")
        # A Discord thread exists once something is posted in it: the bot starts it under its post.
        where = Target(kind="thread", channel_id=str(p.CHANNEL_ID), thread_id=posted.message_id)
        await enqueue_and_deliver(self.rt, "discord", f"conformance:{feature}:{ref}:open", where,
                                  public_post("Tell us how it went, in this thread."))  # fmt: skip
        assert posted.message_id is not None
        await self.fake.wait_for(lambda: self.adapter.client.get_channel(int(str(posted.message_id))))
        await claim(self.rt, "discord", str(p.CHANNEL_ID), str(posted.message_id), feature, ref)
        return posted

    def _thread_message(self, thread: Seen, text: str, user: str) -> dict[str, Any]:
        uid, name = self.users[user]
        return p.user_message(text, channel_id=int(str(thread.message_id)), author_id=uid, name=name)

    def _answers_since(self, start: int, thread: Seen, user: str) -> list[Seen]:
        posts = [
            c for c in self.fake.calls[start:] if c.method == "POST" and re.fullmatch(r"/channels/\d+/messages", c.path)
        ]
        shown = []
        for answer in posts:
            seen = self._seen(answer, answer.body or {}, private=False)
            channel = answer.path.split("/")[2]
            dm = str(self.users[user][0] + 1)  # FakeDiscord gives a person's DM channel their id + 1
            seen.where = "thread" if channel == thread.message_id else ("dm" if channel == dm else "channel")
            seen.private = seen.where == "dm"
            shown.append(seen)
        return shown

    async def reply_in_thread(self, thread: Seen, text: str, user: str = "alice") -> Seen:
        start = len(self.fake.calls)
        await self.fake.dispatch("MESSAGE_CREATE", self._thread_message(thread, text, user))
        return (await self.fake.wait_for(lambda: self._answers_since(start, thread, user)))[0]

    async def reply_in_thread_twice(self, thread: Seen, text: str, user: str = "alice") -> list[Seen]:
        # The same MESSAGE_CREATE twice, as a gateway that resumes may replay it: the same message id.
        start = len(self.fake.calls)
        message = self._thread_message(thread, text, user)
        await self.fake.dispatch("MESSAGE_CREATE", message)
        await self.fake.wait_for(lambda: self._answers_since(start, thread, user))
        before = repeats_counted()
        await self.fake.dispatch("MESSAGE_CREATE", message)
        await self._until(lambda: repeats_counted() > before or len(self._answers_since(start, thread, user)) > 1)
        return self._answers_since(start, thread, user)

    async def deliver(self, message: Reply, key: str) -> Seen:
        start = len(self.fake.calls)
        sent = await enqueue_and_deliver(
            self.rt, "discord", key, Target(kind="channel", channel_id=str(p.CHANNEL_ID)), message
        )
        [post] = [
            c for c in self.fake.calls[start:] if c.method == "POST" and c.path == f"/channels/{p.CHANNEL_ID}/messages"
        ]
        seen = self._seen(post, post.body or {}, private=False)
        seen.message_id = sent
        return seen

    async def edit(self, posted: Seen, message: Reply, key: str) -> Seen:
        start = len(self.fake.calls)
        target = Target(kind="thread", channel_id=str(p.CHANNEL_ID), thread_id=posted.message_id)
        await enqueue_and_deliver(
            self.rt, "discord", key, target, message.model_copy(update={"replace_original": True})
        )
        [patch] = [c for c in self.fake.calls[start:] if c.method == "PATCH"]
        seen = self._seen(patch, patch.body or {}, private=False, updated=True)
        seen.message_id = patch.path.rsplit("/", 1)[-1]
        return seen

    async def deliver_direct(self, message: Reply, key: str, user: str = "alice") -> Seen:
        start = len(self.fake.calls)
        target = Target(kind="direct", user_id=str(self.users[user][0]))
        sent = await enqueue_and_deliver(self.rt, "discord", key, target, message)
        [post] = [c for c in self.fake.calls[start:] if c.method == "POST" and c.path.endswith("/messages")]
        seen = self._seen(post, post.body or {}, private=True)
        seen.where, seen.message_id = "dm", sent
        return seen

    async def edit_direct(self, posted: Seen, message: Reply, key: str, user: str = "alice") -> Seen:
        start = len(self.fake.calls)
        target = direct_edit(str(self.users[user][0]), posted)
        await enqueue_and_deliver(
            self.rt, "discord", key, target, message.model_copy(update={"replace_original": True})
        )
        [patch] = [c for c in self.fake.calls[start:] if c.method == "PATCH"]
        seen = self._seen(patch, patch.body or {}, private=True, updated=True)
        seen.where, seen.message_id = "dm", patch.path.rsplit("/", 1)[-1]
        dm_channel = self.fake.messages[str(posted.message_id)]["channel_id"]
        assert patch.path == f"/channels/{dm_channel}/messages/{posted.message_id}", "edited outside the DM"
        return seen

    def inertness_problems(self, seen: Seen) -> list[str]:
        # Discord pings only what allowed_mentions permits; parse [] permits nothing
        # (https://discord.com/developers/docs/resources/message#allowed-mentions-object).
        problems = []
        mentions = seen.raw.get("allowed_mentions")
        if mentions is None or mentions.get("parse") != [] or mentions.get("users") or mentions.get("roles"):
            problems.append(f"allowed_mentions was {mentions!r}, not parse []")
        raw = "\n".join(
            [seen.raw.get("content") or ""] + [e.get("description") or "" for e in seen.raw.get("embeds") or []]
        )
        if re.search(r"\[[^\]]*\]\(<?https?://evil\.example", raw):
            problems.append("untrusted text formed a masked link")
        return problems
