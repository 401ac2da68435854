"""The conformance driver for Microsoft Teams: the real Teams SDK app on loopback, signed
activities in (tests/teams_fake.py), what the Bot Connector fake received read back as `Seen`.

The person asks in a channel (mentioning the bot), so "private" is really tested: Teams has no
ephemeral messages, and a private answer must arrive in the person's personal chat, never in the
channel. Forms are opened the Teams way: a card's button fetches the dialog (task/fetch), and the
dialog is submitted (task/submit), whose answer shows field errors inside it. A file is offered by
a file consent card; the person allows it, and the file is seen once its file info card arrives.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path
from typing import Any, ClassVar

from bot.runtime import Runtime
from core.clock import Clock
from core.model import Reply, Target
from tests import slack_feature
from tests.conformance.drivers import Seen, bot_settings, claim, direct_edit, enqueue_and_deliver, public_post
from tests.slack_wire import runtime_with_test_feature
from tests.teams_fake import Call, FakeTeams
from tests.teams_wire import TeamsWire, open_teams

CHANNEL = "19:safeguarding@thread.tacv2"
CONSENT = "application/vnd.microsoft.teams.card.file.consent"
PERSONAL = {"alice": "a:1personalAlice", "bob": "a:1personalBob"}


def teams_plain(markdown: str) -> str:
    """Teams card Markdown as a person reads it: entities and backslash escapes undone, **bold**
    without its marks, [label](url) as "label (url)"."""
    text = re.sub(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)", r"\1 (\2)", markdown)
    text = re.sub(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*", r"\1", text)
    text = re.sub(r"\\([\\`*_\[\]()#+\-!|~>{}.])", r"\1", text)
    return html.unescape(text)


class TeamsDriver:
    platform = "teams"
    users: ClassVar[dict[str, tuple[str, str]]] = {"alice": ("29:1alice", "aad-alice"), "bob": ("29:1bob", "aad-bob")}

    def __init__(self, wire: TeamsWire, fake: FakeTeams) -> None:
        self.wire = wire
        self.rt: Runtime = wire.rt
        self.fake = fake
        self._n = itertools.count(1)

    @classmethod
    async def open(cls, fake: FakeTeams, tmp_path: Path, database_url: str, clock: Clock) -> TeamsDriver:
        settings = bot_settings(tmp_path, database_url, **fake.settings())
        rt = await runtime_with_test_feature(settings, clock)
        wire = await open_teams(fake, settings, clock, runtime=rt)
        rt.prepare_workers()
        return cls(wire, fake)

    async def close(self) -> None:
        await self.wire.close()

    def effects(self) -> list[Any]:
        return list(slack_feature.log(self.rt.ctx)["calls"])

    # --- activities as Teams sends them ----------------------------------------------------------

    def _who(self, user: str, fixture: str, **fields: Any) -> dict[str, Any]:
        teams_id, aad = self.users[user]
        personal = {
            "conversation.id": PERSONAL[user],
            "conversation.conversationType": "personal",
            "conversation.isGroup": False,
        }
        chosen = {**(personal if fixture == "personal" else {}), **fields}
        source = {"personal": "message_personal", "channel": "message_channel_mention"}.get(fixture, fixture)
        return self.wire.activity(source, **{"from.id": teams_id, "from.aadObjectId": aad, "from.name": user}, **chosen)

    async def _send(self, activity: dict[str, Any]) -> Any:
        status, body = await self.wire.teams.send(activity)
        assert status == 200, body
        return body

    def _mark(self) -> int:
        return len(self.fake.calls)

    def _collect(self, start: int) -> list[Seen]:
        seen: list[Seen] = []
        files: list[str] = []
        for call in self.fake.calls[start:]:
            if call.path == "/v3/conversations":
                continue
            card = call.card
            if card is None:  # files go beside the card: charts inline, others as file info cards
                files += [a.get("name", "") for a in call.body.get("attachments") or [] if a["contentType"] != CONSENT]
                continue
            seen.append(self._seen(call))
        if seen and files:
            seen[0].files = files
        return seen

    def _seen(self, call: Call) -> Seen:
        conversation = call.conversation_id
        private = conversation.startswith("a:")
        where = "dm" if private else ("thread" if ";messageid=" in conversation else "channel")
        buttons = [b["title"] for b in call.buttons() if b["type"] == "Action.Submit"]
        return Seen(
            "form" if any("task/fetch" in json.dumps(b.get("data", {})) for b in call.buttons()) else "message",
            teams_plain(call.card_text()),
            buttons=buttons,
            private=private,
            where=where,
            message_id=call.answered_id or call.activity_id,
            updated=call.method == "PUT",
            raw=call,
        )

    async def _open_dialog(self, opener: Seen, user: str) -> Seen:
        (button,) = opener.raw.buttons()
        activity = self._who(user, "invoke_task_fetch", **{"value.data": button["data"]})
        activity["conversation"]["id"] = opener.raw.conversation_id
        body = await self._send(activity)
        dialog = body["task"]["value"]
        fields = [i for i in dialog["card"]["content"]["body"] if str(i.get("type", "")).startswith("Input.")]
        text = "\n".join([dialog["title"], *(f["label"] for f in fields)])
        return Seen("form", text, private=True, raw=dialog)

    # --- the verbs --------------------------------------------------------------------------------

    async def _allow_offered_files(self, start: int, user: str) -> None:
        """Press Allow on every file consent card since `start`, as the person would: Teams then
        names an upload session, the bot PUTs the file there and posts a file info card."""
        offers = [(c, a) for c in self.fake.calls[start:] for a in c.attachments(CONSENT)]
        for call, offer in offers:
            session = f"conformance-{next(self._n)}"
            upload = {"uploadUrl": self.fake.upload_url(session), "name": offer["name"], "uniqueId": session}
            value = {"type": "fileUpload", "action": "accept", "context": offer["content"]["acceptContext"]}
            accept = self._who(user, "invoke_file_consent_accept", value={**value, "uploadInfo": upload})
            accept["conversation"]["id"] = call.conversation_id
            await self._send(accept)
            uploaded = [u for u in self.fake.uploads if u.session == session]
            assert len(uploaded) == 1 and len(uploaded[0].body) == offer["content"]["sizeInBytes"]

    async def send_command(self, name: str, text: str = "", user: str = "alice") -> Seen:
        typed = html.escape(f"{name} {text}".strip(), quote=False)  # Teams sends typed < and & as entities
        start = self._mark()
        await self._send(self._who(user, "channel", text=f"<at>sgbot</at> {typed}"))
        await self._allow_offered_files(start, user)
        first = self._collect(start)[0]
        if first.kind == "form":
            first = await self._open_dialog(first, user)
        first.origin = (name, text, user)
        return first

    def _press_activity(self, seen: Seen, label: str, user: str) -> dict[str, Any]:
        button = next(b for b in seen.raw.buttons() if b.get("title") == label)
        call: Call = seen.raw
        fixture = "personal" if call.conversation_id.startswith("a:") else "card_submit"
        activity = self._who(user, fixture, value=button["data"], replyToId=seen.message_id)
        activity["conversation"]["id"] = call.conversation_id
        activity.pop("text", None)
        return activity

    async def press(self, seen: Seen, label: str, user: str = "alice") -> Seen:
        start = self._mark()
        await self._send(self._press_activity(seen, label, user))
        return self._collect(start)[0]

    async def press_twice(self, seen: Seen, label: str, user: str = "alice") -> list[Seen]:
        activity = self._press_activity(seen, label, user)  # Teams retrying: the same activity id
        start = self._mark()
        await self._send(activity)
        await self._send(activity)
        return self._collect(start)

    async def submit_form(self, seen: Seen, values: dict[str, str], user: str = "alice") -> Seen:
        content = seen.raw["card"]["content"]
        by_label = {i["label"]: i["id"] for i in content["body"] if str(i.get("type", "")).startswith("Input.")}
        data = {**content["actions"][0]["data"], **{by_label[k]: v for k, v in values.items()}}
        start = self._mark()
        body = await self._send(self._who(user, "invoke_task_submit", **{"value.data": data}))
        if body and body["task"]["type"] == "continue":
            shown = body["task"]["value"]["card"]["content"]["body"]
            labels = {i["id"]: i["label"] for i in shown if "errorMessage" in i}
            text = "\n".join(f"{labels[k]}: {i['errorMessage']}" for k in labels for i in shown if i.get("id") == k)
            return Seen("form_errors", teams_plain(text), private=True, raw=body)
        return self._collect(start)[0]

    async def open_thread(self, feature: str, ref: str) -> Seen:
        posted = await self.deliver(public_post("Neglect awareness, 9 March"), f"conformance:{feature}:{ref}")
        await claim(self.rt, "teams", CHANNEL, str(posted.message_id), feature, ref)
        return posted

    def _thread_reply(self, thread: Seen, text: str, user: str) -> dict[str, Any]:
        typed = html.escape(text, quote=False)
        return self._who(
            user,
            "message_thread_reply",
            text=f"<at>sgbot</at> {typed}",
            replyToId=thread.message_id,
            **{"conversation.id": f"{CHANNEL};messageid={thread.message_id}"},
        )

    async def reply_in_thread(self, thread: Seen, text: str, user: str = "alice") -> Seen:
        start = self._mark()
        await self._send(self._thread_reply(thread, text, user))
        return self._collect(start)[0]

    async def reply_in_thread_twice(self, thread: Seen, text: str, user: str = "alice") -> list[Seen]:
        activity = self._thread_reply(thread, text, user)
        start = self._mark()
        await self._send(activity)
        await self._send(activity)
        return self._collect(start)

    async def deliver(self, message: Reply, key: str) -> Seen:
        start = self._mark()
        sent = await enqueue_and_deliver(self.rt, "teams", key, Target(kind="channel", channel_id=CHANNEL), message)
        [seen] = self._collect(start)
        seen.message_id = sent
        return seen

    async def edit(self, posted: Seen, message: Reply, key: str) -> Seen:
        start = self._mark()
        target = Target(kind="thread", channel_id=CHANNEL, thread_id=posted.message_id)
        edited = message.model_copy(update={"replace_original": True})
        await enqueue_and_deliver(self.rt, "teams", key, target, edited)
        [seen] = self._collect(start)
        return seen

    async def deliver_direct(self, message: Reply, key: str, user: str = "alice") -> Seen:
        start = self._mark()
        target = Target(kind="direct", user_id=self.users[user][0])
        sent = await enqueue_and_deliver(self.rt, "teams", key, target, message)
        [seen] = self._collect(start)
        seen.message_id = sent
        return seen

    async def edit_direct(self, posted: Seen, message: Reply, key: str, user: str = "alice") -> Seen:
        start = self._mark()
        edited = message.model_copy(update={"replace_original": True})
        await enqueue_and_deliver(self.rt, "teams", key, direct_edit(self.users[user][0], posted), edited)
        [seen] = self._collect(start)
        assert seen.raw.conversation_id == posted.raw.conversation_id, "edited outside the personal chat"
        return seen

    def inertness_problems(self, seen: Seen) -> list[str]:
        # Teams makes a mention only from an <at> tag with a matching mention entity, and reads
        # other raw '<' as HTML; text that reaches it escaped (&lt;) is shown as typed.
        raw: Call = seen.raw
        wire = json.dumps(raw.body)
        problems = [f"raw {token} reached Teams" for token in ("<at>", "</at>", "<!", "<@") if token in wire]
        if '"mention"' in wire or "entities" in raw.body:
            problems.append("the activity carried entities, which can make a mention")
        if re.search(r"\]\((?!https?://)", raw.card_text()):
            problems.append("a Markdown link to something other than a web address")
        return problems
