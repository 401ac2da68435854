"""On Teams a survey post's "Add a comment" opens its dialog straight from the press, and nothing
about it is posted in anybody's chat.

The press used to be answered with a lasting card in the person's personal chat ("**Your
comment**: press the button to fill in the form."). The tenant keeps that card (eDiscovery,
compliance admins) and the survey's close never edits it, so it told an admin who wrote a private
comment, and with the reports (where a comment sits on its respondent's row) which answers were
theirs (outside confidentiality audit). Now the button is an Adaptive Card `Action.Submit` whose
data holds `"msteams": {"type": "task/fetch"}`: Teams sends the bot a `task/fetch` invoke, and the
invoke's answer is the dialog ("Use dialogs with bots", "Invoke a dialog using task/fetch",
https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/task-modules/task-modules-bots).
"""

from __future__ import annotations

import inspect
import json
import logging
from typing import Any

import pytest

from bot.adapters.teams import render
from bot.adapters.teams.dialogs import NOT_A_DIALOG
from core.model import Button
from handlers import feature_registry, surveys
from tests import slack_feature
from tests.surveys_support import given_answers, seed_session
from tests.teams_fake import TENANT_ID, Call, FakeTeams
from tests.teams_wire import TeamsWire

CHANNEL = "19:safeguarding@thread.tacv2"
ALEX = "29:1practitionerA"  # a delegate: the fixtures' activities come from him
STRANGER = "29:1notOnTheCourse"
COMMENT = "PRIVATEWORDS the case study on neglect was the most useful part"
IN_CHANNEL: dict[str, Any] = {
    "channelData": {"channel": {"id": CHANNEL}, "team": {"id": "19:team@thread.tacv2"}, "tenant": {"id": TENANT_ID}}
}


async def survey_posts(wire: TeamsWire, fake: FakeTeams) -> dict[str, Call]:
    """The survey as the delivery worker posts it: in the announcement's thread in the channel,
    and in each delegate's personal chat; by conversation id."""
    await wire.send("conversation_update_team", **{"conversation.id": CHANNEL})  # the channel's reference
    await seed_session(wire.rt, attendees=[ALEX, "29:1b"], announced_in=CHANNEL, platform="teams")
    await surveys.survey_rounds(wire.rt.ctx)
    wire.rt.prepare_workers()
    assert wire.rt.delivery is not None
    await wire.rt.delivery.deliver_due()
    return {call.conversation_id: call for call in fake.posts() if call.buttons()}


def comment_button(post: Call) -> dict[str, Any]:
    [button] = [b for b in post.buttons() if b["title"] == "Add a comment"]
    return button


def conversation_of(post: Call) -> dict[str, Any]:
    if post.conversation_id.startswith("a:"):
        return {"conversation": {"conversationType": "personal", "tenantId": TENANT_ID, "id": post.conversation_id}}
    conversation = {"isGroup": True, "conversationType": "channel", "tenantId": TENANT_ID, "id": post.conversation_id}
    return {"conversation": conversation, **IN_CHANNEL}


async def press(wire: TeamsWire, post: Call, data: Any, sender: str = ALEX) -> tuple[int, Any]:
    """Teams' task/fetch for a press of the post's button carrying `data`."""
    return await wire.send(
        "invoke_task_fetch",
        **conversation_of(post),
        replyToId=post.answered_id,
        value={"type": "task/fetch", "context": {"theme": "default"}, "data": data},
        **{"from.id": sender},
    )


async def opened_dialog(wire: TeamsWire, fake: FakeTeams) -> tuple[Call, dict[str, Any]]:
    """The channel's survey post and the hidden data of the comment dialog its button opened."""
    post = (await survey_posts(wire, fake))[f"{CHANNEL};messageid=m1"]
    _, opened = await press(wire, post, comment_button(post)["data"])
    return post, opened["task"]["value"]["card"]["content"]["actions"][0]["data"]


async def comments(wire: TeamsWire) -> list[str]:
    return [value for _s, _r, question, value, *_ in await given_answers(wire.rt) if question == "comment"]


def test_only_the_comment_button_asks_teams_for_a_dialog() -> None:
    answer = render._button(Button(label="Fairly", action_id="survey:answer", value="1.0.2"))
    comment = render._button(Button(label="Add a comment", action_id="survey:comment", value="1.3"))
    assert answer["data"] == {"sgbot": "survey:answer", "v": "1.0.2"}  # a message, answered as before
    assert comment == {
        "type": "Action.Submit",
        "title": "Add a comment",
        "data": {"msteams": {"type": "task/fetch"}, "sgbot": "survey:comment", "v": "1.3"},
    }


def test_every_action_that_answers_a_press_with_a_form_opens_its_dialog_on_teams() -> None:
    """A button whose action answers with a form must be rendered as a task/fetch button, or
    Teams could open the form only from a card posted in the person's personal chat."""
    actions = feature_registry().actions
    answering_with_forms = {
        action_id for action_id, spec in actions.items() if "Reply(form=" in inspect.getsource(spec.handler)
    }
    assert answering_with_forms == {"survey:comment"}
    assert answering_with_forms == render.DIALOG_ACTIONS


@pytest.mark.parametrize("where", ["channel", "personal chat"])
async def test_a_comment_press_opens_the_dialog_and_nothing_is_posted_anywhere(
    teams_wire: TeamsWire, teams_fake: FakeTeams, where: str
) -> None:
    posts = await survey_posts(teams_wire, teams_fake)
    post = posts[f"{CHANNEL};messageid=m1" if where == "channel" else f"a:personal-{ALEX}"]
    before = len(teams_fake.calls)

    status, opened = await press(teams_wire, post, comment_button(post)["data"])
    assert status == 200 and opened["task"]["type"] == "continue"
    dialog = opened["task"]["value"]
    assert dialog["title"] == "Your comment"
    [field] = [i for i in dialog["card"]["content"]["body"] if i["type"].startswith("Input.")]
    assert field["id"] == "comment" and field["isMultiline"] is True
    assert teams_fake.calls[before:] == []  # no card, no personal chat opened, nothing in the channel

    hidden = dialog["card"]["content"]["actions"][0]["data"]
    status, closed = await teams_wire.send(
        "invoke_task_submit",
        **conversation_of(post),
        value={"type": "task/submit", "data": {**hidden, "comment": COMMENT}},
    )
    assert status == 200
    assert closed == {
        "task": {"type": "message", "value": f"Recorded your comment, under a code rather than your name:\n> {COMMENT}"}
    }
    assert teams_fake.calls[before:] == []
    assert await comments(teams_wire) == [COMMENT]


async def test_an_empty_comment_is_answered_in_the_closing_dialog_not_in_a_chat(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    post, hidden = await opened_dialog(teams_wire, teams_fake)
    before = len(teams_fake.calls)
    status, closed = await teams_wire.send(
        "invoke_task_submit", **conversation_of(post), value={"type": "task/submit", "data": {**hidden, "comment": ""}}
    )
    assert status == 200
    assert closed == {"task": {"type": "message", "value": "The comment was empty, so nothing was recorded."}}
    assert teams_fake.calls[before:] == []
    assert await comments(teams_wire) == []


async def test_a_press_by_someone_not_on_the_course_is_refused_in_the_dialog(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    posts = await survey_posts(teams_wire, teams_fake)
    post = posts[f"{CHANNEL};messageid=m1"]
    before = len(teams_fake.calls)
    status, answer = await press(teams_wire, post, comment_button(post)["data"], sender=STRANGER)
    assert status == 200 and answer["task"]["type"] == "message"
    assert answer["task"]["value"].startswith("This survey is for the delegates of that session")
    assert teams_fake.calls[before:] == []


async def test_a_dialog_opened_for_one_person_cannot_be_sent_by_another(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    post, hidden = await opened_dialog(teams_wire, teams_fake)
    status, sent = await teams_wire.send(
        "invoke_task_submit",
        **conversation_of(post),
        value={"type": "task/submit", "data": {**hidden, "comment": "by someone else"}},
        **{"from.id": "29:1b"},
    )
    assert status == 200 and sent["task"]["type"] == "message" and "not one I recognise" in sent["task"]["value"]
    assert await comments(teams_wire) == []


@pytest.mark.parametrize(
    "data",
    [
        {},  # no button's data at all
        {"msteams": {"type": "task/fetch"}},
        {"sgbot": 7, "v": "1.3"},
        {"sgbot": "survey:comment", "v": ["1.3"]},
        {"sgbot": "survey:answer", "v": "1.0.4"},  # an action that opens no dialog
        {"sgbot": "slacktest:rsvp", "v": "s1-yes"},
        "survey:comment",
        None,
    ],
)
async def test_a_malformed_task_fetch_is_refused_with_400_and_does_nothing(
    teams_wire: TeamsWire, teams_fake: FakeTeams, data: Any
) -> None:
    posts = await survey_posts(teams_wire, teams_fake)
    post = posts[f"{CHANNEL};messageid=m1"]
    before = len(teams_fake.calls)
    status, body = await press(teams_wire, post, data)
    assert status == 400 and body == {"error": NOT_A_DIALOG}
    assert teams_fake.calls[before:] == []
    assert await given_answers(teams_wire.rt) == []
    assert slack_feature.log(teams_wire.rt.ctx)["calls"] == []


async def test_a_press_on_a_survey_post_made_before_its_button_opened_dialogs_posts_no_card(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    """A post sent before this change carries a plain Action.Submit (a message, with no invoke to
    answer with a dialog): the form is not posted as a card in anybody's chat."""
    posts = await survey_posts(teams_wire, teams_fake)
    post = posts[f"{CHANNEL};messageid=m1"]
    before = len(teams_fake.calls)
    # The adapter's own logger, read before the root's handlers: a handler another test left on
    # the root (setup_logging's, with PayloadMasker) rewrites a survey line before caplog sees it.
    seen = _Lines()
    teams_log = logging.getLogger("sgbot.teams")
    level = teams_log.level
    teams_log.addHandler(seen)
    teams_log.setLevel(logging.INFO)
    status, _ = await teams_wire.send(
        "card_submit",
        **conversation_of(post),
        replyToId=post.answered_id,
        value={"sgbot": "survey:comment", "v": comment_button(post)["data"]["v"]},
    )
    assert status == 200
    assert teams_fake.calls[before:] == []
    teams_log.removeHandler(seen)
    teams_log.setLevel(level)
    logged = seen.lines
    assert any("survey:comment_save" in line for line in logged)
    assert not [line for line in logged if ALEX in line]


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"comment": "y" * 100_000}, ("comment", "At most 3,000 characters; this is 100,000.")),
        ({"comment": "fine", "rating": "NOT-A-CHOICE"}, ("rating", "Choose one of the options.")),
    ],
)
async def test_a_dialog_answer_the_form_rules_out_is_shown_its_error_and_not_saved(
    teams_wire: TeamsWire, answer: dict[str, str], error: tuple[str, str]
) -> None:
    """An outside audit: a correctly signed dialog answered with 100,000 characters, or with a
    choice the form does not offer, was saved; the client composes a dialog's answer, so the
    form's own limits are checked before any handler sees it."""
    from tests import slack_feature

    await teams_wire.send("message_personal", text="feedback")
    signed = next(
        b["data"]["sgbot_form"]
        for c in teams_wire.fake.calls
        for b in c.buttons()
        if "sgbot_form" in (b.get("data") or {})
    )
    status, body = await teams_wire.send(
        "invoke_task_submit", value={"type": "task/submit", "data": {"sgbot_form": signed, **answer}}
    )
    assert status == 200
    assert slack_feature.log(teams_wire.rt.ctx)["feedback"] == []
    assert error[1] in json.dumps(body)
