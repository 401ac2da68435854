"""bot.respond decides what each reply needs; adapters only offer the primitives.

A recording `Answering` stands in for a platform, so the routing, prompt removal, failures and
the slow-answer timer are shown without any adapter."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.base import DeliveryError, PlatformDescription
from bot.respond import deliver, settled_within, something_went_wrong, within
from core.model import Form, FormField, PromptRemoval, Reply, Target, Text, reply


class Recorder:
    def __init__(self, *, can_edit: bool = True) -> None:
        self.calls: list[tuple[str, str]] = []
        self.can_edit = can_edit
        self.asker = "ann"
        self.private_here = True

    async def answer(self, reply: Reply, *, private: bool) -> None:
        text = "\n".join(b.text for b in reply.blocks if isinstance(b, Text))
        self.calls.append(("private" if private else "public", text or reply.fallback_text()))

    async def defer(self) -> None:
        self.calls.append(("defer", ""))

    async def open_form(self, form: Form) -> None:
        self.calls.append(("form", form.title))

    async def show_form_errors(self, form: Form | None, errors: dict[str, str], values: dict[str, str]) -> None:
        self.calls.append(("errors", ",".join(errors)))

    async def post(self, target: Target, reply: Reply) -> str:
        self.calls.append((f"post:{target.kind}", reply.fallback_text()))
        return "1"

    async def edit(self, reply: Reply) -> bool:
        if self.can_edit:
            self.calls.append(("edit", reply.fallback_text()))
        return self.can_edit


FORM = Form(title="Add a session", action_id="training:add", fields=[FormField(id="when", label="When")])


async def test_each_reply_goes_the_way_it_asks() -> None:
    recorder = Recorder()
    replies = [
        reply("just you"),
        reply("everyone", public=True),
        Reply(blocks=[], form=FORM),
        reply("to the channel", public=True).model_copy(update={"target": Target(kind="channel", channel_id="C1")}),
        reply("in place").model_copy(update={"replace_original": True}),
    ]
    await deliver(replies, recorder)
    assert recorder.calls == [
        ("private", "just you"),
        ("public", "everyone"),
        ("form", "Add a session"),
        ("post:channel", "to the channel"),
        ("edit", "in place"),
    ]


async def test_a_reply_that_cannot_edit_is_answered_instead() -> None:
    recorder = Recorder(can_edit=False)
    await deliver([reply("in place").model_copy(update={"replace_original": True})], recorder)
    assert recorder.calls == [("private", "in place")]


async def test_empty_answers_are_skipped_only_when_asked() -> None:
    recorder = Recorder()
    await deliver([Reply(blocks=[])], recorder, skip_empty=True)
    assert recorder.calls == []
    await deliver([Reply(blocks=[])], recorder)
    assert [kind for kind, _ in recorder.calls] == ["private"]


async def test_prompt_removal_adds_the_sentence_that_is_true() -> None:
    removal = PromptRemoval(removed="I removed your message.", not_removed="Please delete your message.")
    asked = reply("Noted.").model_copy(update={"remove_prompt": removal})

    async def removed() -> bool:
        return True

    recorder = Recorder()
    await deliver([asked], recorder)  # no way to remove it
    await deliver([asked], recorder, remove_prompt=removed)
    await deliver([asked], recorder, prompt_shown=False)  # never shown to others: nothing to say
    assert [text for _, text in recorder.calls] == [
        "Noted.\nPlease delete your message.",
        "Noted.\nI removed your message.",
        "Noted.",
    ]


async def test_a_failed_reply_is_reported_and_the_rest_still_go() -> None:
    class Failing(Recorder):
        async def post(self, target: Target, reply: Reply) -> str:
            raise ConnectionError("gone")

    recorder, failures = Failing(), list[BaseException]()
    channel = Target(kind="channel", channel_id="C1")
    await deliver(
        [reply("x").model_copy(update={"target": channel}), reply("after")],
        recorder,
        failures=(ConnectionError,),
        failed=failures.append,
    )
    assert [str(f) for f in failures] == ["gone"] and recorder.calls == [("private", "after")]
    with pytest.raises(ConnectionError):
        await deliver([reply("x").model_copy(update={"target": channel})], recorder)


async def test_a_slow_answer_is_acknowledged_first_and_never_cancelled() -> None:
    said: list[str] = []

    async def acknowledge() -> None:
        said.append("deferred")

    async def slow() -> str:
        await asyncio.sleep(0.05)
        said.append("answered")
        return "answer"

    async def quick() -> str:
        return "answer"

    assert await within(slow(), 0.01, acknowledge) == "answer" and said == ["deferred", "answered"]
    said.clear()
    assert await within(quick(), 1.0, acknowledge) == "answer" and said == []


async def test_a_slow_answer_is_reported_unsettled_and_still_finishes() -> None:
    # Slack's slash commands: acknowledge empty when slow, then answer through response_url
    release = asyncio.Event()

    async def slow() -> str:
        await release.wait()
        return "answer"

    finished, work = await settled_within(slow(), 0.01)
    assert not finished and not work.done()
    release.set()
    assert await work == "answer"

    async def quick() -> str:
        return "answer"

    finished, work = await settled_within(quick(), 1.0)
    assert finished and work.result() == "answer"


def test_the_words_people_read_and_how_a_platform_writes_names() -> None:
    assert "error id E1" in something_went_wrong("E1") and "business unit" in something_went_wrong("E1")
    slack = PlatformDescription(name="slack", channel="<#{id}>", user="<@{id}>", roles_from="", private_answers=True)
    assert slack.channel_ref("C1") == "<#C1>" and slack.user_ref("U1") == "<@U1>"


async def test_where_nothing_can_be_private_a_private_answer_goes_to_direct_messages() -> None:
    class Thread(Recorder):
        def __init__(self, *, accepts_direct_messages: bool) -> None:
            super().__init__()
            self.private_here = False
            self.accepts = accepts_direct_messages

        async def post(self, target: Target, reply: Reply) -> str:
            if target.kind == "direct" and not self.accepts:
                raise DeliveryError("they accept no direct messages", permanent=True)
            return await super().post(target, reply)

    thread = Thread(accepts_direct_messages=True)
    await deliver([reply("just you"), reply("everyone", public=True)], thread)
    assert thread.calls == [("post:direct", "just you"), ("public", "everyone")]
    closed = Thread(accepts_direct_messages=False)
    await deliver([reply("just you")], closed)
    assert closed.calls == [("public", "just you")]
