"""On Teams no message that says what someone answered in a survey outlives the moment.

Teams has no ephemeral message: a private answer becomes a post in the person's personal chat,
which the tenant keeps and eDiscovery can read, and the survey's close edits never reach it.
Each press was confirmed there with its value ("Changed from Fairly (3 of 5) to Extremely (5 of
5)") and a private comment was quoted back (outside audit conf3 #1). Now a press is confirmed by
a post that states no value, and a comment in the dialog's own closing message, which Teams
does not keep; the dialog itself opens from the press, with no card posted for it. The presses
and the comment are those of the audit's reproduction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text

from core.clock import FrozenClock
from handlers import surveys
from storage import surveys as store
from tests.surveys_support import given_answers, seed_session
from tests.teams_fake import TENANT_ID, FakeTeams, payload
from tests.teams_wire import TeamsWire
from tests.test_teams_comment_dialog import conversation_of, survey_posts

CHANNEL = "19:safeguarding@thread.tacv2"
ALEX = "29:1practitionerA"
PERSONAL_CHAT = "a:1personalAlex"
IN_PERSONAL_CHAT: dict[str, Any] = {
    "conversation": {"conversationType": "personal", "tenantId": TENANT_ID, "id": PERSONAL_CHAT},
    "channelData": {"tenant": {"id": TENANT_ID}},
    "replyToId": "1700000000099",  # the survey card in Alex's personal chat
}
# What the delegate's presses and comment say; none of it may be in anything posted.
ANSWERED = ("Fairly", "Extremely", "(3 of 5)", "(5 of 5)", "Changed from", "_Yes_")
COMMENT = "PRIVATEWORDS my manager blocks referrals"


async def open_survey(teams_wire: TeamsWire) -> int:
    session_id = await seed_session(
        teams_wire.rt, attendees=[ALEX, "29:1b", "29:1c"], announced_in=CHANNEL, platform="teams"
    )
    await surveys.survey_rounds(teams_wire.rt.ctx)
    async with teams_wire.rt.ctx.db.transaction() as tx:
        survey = await store.survey_for(tx, session_id, "post-course")
    assert survey is not None
    return survey.id


def said(fake: FakeTeams, since: int = 0) -> list[str]:
    return [call.card_text() + "\n" + str(call.text) for call in fake.calls[since:]]


async def test_a_press_on_the_survey_card_is_confirmed_without_its_value(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    survey_id = await open_survey(teams_wire)
    before = len(teams_fake.calls)
    for value in (f"{survey_id}.0.2", f"{survey_id}.0.4", f"{survey_id}.2.0"):
        status, _ = await teams_wire.send(
            "card_submit", **IN_PERSONAL_CHAT, value={"sgbot": "survey:answer", "v": value}
        )
        assert status == 200
    answers = [(question, value) for _s, _r, question, value, *_ in await given_answers(teams_wire.rt)]
    assert sorted(answers) == [("barriers", "yes"), ("recognise", "5")]  # counted as before
    posts = teams_fake.calls[before:]
    assert [(p.method, p.conversation_id) for p in posts] == [("POST", PERSONAL_CHAT)] * 3
    assert all(p.card_text() == "Survey answer recorded" for p in posts)
    assert not [text for text in said(teams_fake) if any(word in text for word in ANSWERED)]

    await surveys.close_survey(teams_wire.rt.ctx, survey_id)
    assert not [text for text in said(teams_fake) if any(word in text for word in ANSWERED)]


async def test_a_press_on_the_survey_post_in_a_channel_is_confirmed_privately_without_its_value(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    survey_id = await open_survey(teams_wire)
    before = len(teams_fake.calls)
    status, _ = await teams_wire.send("card_submit", value={"sgbot": "survey:answer", "v": f"{survey_id}.0.4"})
    assert status == 200
    [post] = [call for call in teams_fake.calls[before:] if call in teams_fake.posts()]
    assert post.conversation_id == "a:personal-29:1practitionerA"  # a personal chat opened for it, not the channel
    assert post.card_text() == "Survey answer recorded"
    assert not [text for text in said(teams_fake, before) if "Extremely" in text]


async def test_a_private_comment_is_confirmed_in_the_closing_dialog_and_never_posted(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    survey_id = await open_survey(teams_wire)
    # The survey card's comment button asks Teams for the dialog (task/fetch), which opens in the
    # answer to the press: no card is posted for it (tests/test_teams_comment_dialog.py).
    button = {"msteams": {"type": "task/fetch"}, "sgbot": "survey:comment", "v": f"{survey_id}.3"}
    posted = len(teams_fake.calls)
    status, opened = await teams_wire.send(
        "invoke_task_fetch",
        conversation=IN_PERSONAL_CHAT["conversation"],
        replyToId=IN_PERSONAL_CHAT["replyToId"],
        value={"type": "task/fetch", "data": button},
    )
    assert status == 200 and opened["task"]["type"] == "continue"
    data = opened["task"]["value"]["card"]["content"]["actions"][0]["data"]

    status, closed = await teams_wire.send(
        "invoke_task_submit",
        value={"type": "task/submit", "data": {"sgbot_form": data["sgbot_form"], "comment": COMMENT}},
    )
    assert status == 200
    assert closed == {
        "task": {"type": "message", "value": f"Recorded your comment, under a code rather than your name:\n> {COMMENT}"}
    }
    assert teams_fake.calls[posted:] == []  # nothing in any chat
    assert [value for _s, _r, question, value, *_ in await given_answers(teams_wire.rt)] == [COMMENT]
    assert not [text for text in said(teams_fake) if "PRIVATEWORDS" in text]


# --- Action.Execute: the confirmation is the press's own passing answer ---------------------------


async def test_the_survey_cards_answer_buttons_are_execute_actions_with_a_submit_fallback(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    posts = await survey_posts(teams_wire, teams_fake)
    for post in posts.values():  # the channel's post and each delegate's personal chat
        answers = [b for b in post.buttons() if b.get("data", {}).get("sgbot") == "survey:answer"]
        executes = [b for b in answers if b["type"] == "Action.Execute"]
        assert executes and len(answers) == 2 * len(executes)  # each with its fallback inside it
        for button in executes:
            assert button["verb"] == "survey:answer"
            assert button["fallback"] == {"type": "Action.Submit", "title": button["title"], "data": button["data"]}


async def test_an_execute_press_is_confirmed_with_its_value_in_the_invoke_answer_and_posts_nothing(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    posts = await survey_posts(teams_wire, teams_fake)
    for conversation_id, post in posts.items():
        button = next(b for b in post.buttons() if b["type"] == "Action.Execute" and b["title"] == "Extremely")
        before = len(teams_fake.calls)
        status, body = await teams_wire.send(
            "invoke_adaptive_card_action",
            **conversation_of(post),
            replyToId=post.answered_id,
            value={"action": {"type": "Action.Execute", "verb": button["verb"], "data": button["data"]}},
        )
        assert status == 200, conversation_id
        assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.activity.message"
        assert "Extremely" in body["value"] and "every question" not in body["value"]
        assert teams_fake.calls[before:] == []  # nothing posted or edited in any chat
    answers = [(question, value) for _s, _r, question, value, *_ in await given_answers(teams_wire.rt)]
    assert answers == [("recognise", "5")]  # Alex's one answer, pressed on both copies of the survey


async def test_an_execute_press_on_a_closed_survey_says_so_in_the_invoke_answer(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    posts = await survey_posts(teams_wire, teams_fake)
    post = next(p for p in posts.values() if p.conversation_id.startswith("a:"))
    button = next(b for b in post.buttons() if b["type"] == "Action.Execute")
    survey_id = int(button["data"]["v"].split(".")[0])
    await surveys.close_survey(teams_wire.rt.ctx, survey_id)
    before = len(teams_fake.calls)
    status, body = await teams_wire.send(
        "invoke_adaptive_card_action",
        **conversation_of(post),
        replyToId=post.answered_id,
        value={"action": {"type": "Action.Execute", "verb": button["verb"], "data": button["data"]}},
    )
    assert status == 200 and "closed" in body["value"]
    assert teams_fake.calls[before:] == []
    assert await given_answers(teams_wire.rt) == []


async def chat_rows(wire: TeamsWire, database_url: str) -> list[Any]:
    """Every stored Teams conversation: its PostgreSQL transaction id (xmin), id, address and day."""
    system = "xmin::text" if database_url.startswith("postgresql") else "'-'"
    async with wire.rt.ctx.db.transaction() as tx:
        query = f"SELECT {system}, conversation_id, service_url, updated_at FROM teams_conversations ORDER BY 2"
        return list((await tx.execute(text(query))).all())


async def test_a_press_on_a_replica_that_never_saw_the_chat_writes_nothing_about_the_person(
    teams_wire: TeamsWire, teams_fake: FakeTeams, database_url: str, clock: FrozenClock
) -> None:
    """A replica without the chat in its cache (another replica, a restart) reads the stored
    reference; it wrote it again, stamping the presser's row with the moment of the press, and on
    PostgreSQL a transaction id next to the sealed answer's (outside audit trust5 #1)."""
    posts = await survey_posts(teams_wire, teams_fake)
    post = posts["a:personal-29:1practitionerA"]
    button = next(b for b in post.buttons() if b["type"] == "Action.Execute")

    async def stored_rows() -> list[Any]:
        return await chat_rows(teams_wire, database_url)

    before = await stored_rows()
    poster = teams_wire.adapter.poster
    poster._refs.clear()  # as a replica that has not seen the chat
    poster._personal.clear()
    clock.advance(dt.timedelta(hours=1, minutes=17))
    for kind, value in (
        ("invoke_adaptive_card_action", {"action": {"type": "Action.Execute", "verb": "x", "data": button["data"]}}),
        ("card_submit", button["data"]),  # an old client's fallback
    ):
        status, _ = await teams_wire.send(kind, **conversation_of(post), replyToId=post.answered_id, value=value)
        assert status == 200
    assert await given_answers(teams_wire.rt)  # the answer was saved
    assert await stored_rows() == before


async def test_a_press_from_a_moved_service_url_does_not_rewrite_the_persons_chat(
    teams_wire: TeamsWire, teams_fake: FakeTeams, database_url: str, clock: FrozenClock
) -> None:
    """An outside reader of the database (twenty-second session): a press arriving through another
    service URL than the stored one (Teams moved the chat) rewrote the presser's row, its day and
    its PostgreSQL xmin next to the sealed answer's. It is learned in memory only now."""
    posts = await survey_posts(teams_wire, teams_fake)
    post = posts["a:personal-29:1practitionerA"]
    button = next(b for b in post.buttons() if b["type"] == "Action.Execute")

    async def stored_rows() -> list[Any]:
        return await chat_rows(teams_wire, database_url)

    before = await stored_rows()
    clock.advance(dt.timedelta(days=2, minutes=17))
    moved = teams_fake.url + "/emea"
    press = payload(
        "invoke_adaptive_card_action",
        moved,
        **conversation_of(post),
        replyToId=post.answered_id,
        value={"action": {"type": "Action.Execute", "verb": "x", "data": button["data"]}},
    )
    status, _ = await teams_wire.teams.send(press)
    assert status == 200
    assert await given_answers(teams_wire.rt)  # the answer was saved
    assert await stored_rows() == before
    assert teams_wire.adapter.poster.cached("a:personal-29:1practitionerA").service_url == moved  # type: ignore[union-attr]
    # the person's next typed message stores it (a review: the cache said stored, so it never was)
    typed = payload("message_personal", moved, **conversation_of(post), text="help")
    assert (await teams_wire.teams.send(typed))[0] == 200
    rows = await stored_rows()
    assert [r[2] for r in rows if r[1] == "a:personal-29:1practitionerA"] == [moved]
