"""The adapter conformance suite: each case below runs against the console, Slack and Discord
(and, once its driver exists, Teams), on SQLite and on PostgreSQL when TEST_DATABASE_URL is set.

The cases speak only of what people see and what the platform received (a `Seen`), never of
how an adapter is built, so they hold through a rewrite of the adapters behind a contract.
A case one adapter cannot pass yet is marked xfail(strict=True) for that adapter, naming what
is missing; nothing is skipped quietly."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from core.clock import FrozenClock
from core.model import Button, Buttons, Header, reply
from core.sanitise import neutralise_text
from storage.db import Database
from tests.conformance.drivers import ConsoleDriver, DiscordDriver, Driver, EditingFakeDiscord, SlackDriver
from tests.conftest import START, _clean_postgres
from tests.fake_slack import FakeSlack

PLATFORMS = ["console", "slack", "discord"]

# Untrusted text as it may reach the bot from a feed item, a thread reply or a form: every way of
# pinging or tricking people that Slack, Discord or Teams know.
HOSTILE = "@everyone @here <!channel> <@U123> <at>x</at> [x](https://evil.example) **loud**"


# One bot per platform and database for the whole module: starting a runtime (migrations, the
# content pack) and connecting an adapter costs far more than any case, and no case depends on
# another's leftovers (each forgets the test feature's log first and uses outbox keys of its own).
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def slack_server() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database_url(request: pytest.FixtureRequest) -> str:
    """Either "sqlite" (each driver then makes a file of its own) or the PostgreSQL test database,
    when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return "sqlite"
    return str(request.getfixturevalue("pg_database_url"))


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=PLATFORMS)
async def driver(
    request: pytest.FixtureRequest,
    module_database_url: str,
    slack_server: FakeSlack,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Driver]:
    platform, database_url = request.param, module_database_url
    tmp_path = tmp_path_factory.mktemp(f"conformance-{platform}")
    if database_url == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        database = Database(database_url)
        await database.upgrade()
        await _clean_postgres(database)  # rows other modules left in the shared test database
        await database.dispose()
    clock = FrozenClock(START)
    opened: Driver
    discord_fake: EditingFakeDiscord | None = None
    with pytest.MonkeyPatch.context() as monkeypatch:
        if platform == "console":
            opened = await ConsoleDriver.open(tmp_path, database_url, clock)
        elif platform == "slack":
            slack_server.reset()
            opened = await SlackDriver.open(slack_server, tmp_path, database_url, clock)
        else:
            discord_fake = EditingFakeDiscord()
            await discord_fake.start()
            discord_fake.point_discord_py_here(monkeypatch)
            opened = await DiscordDriver.open(discord_fake, tmp_path, database_url, clock)
        try:
            yield opened
        finally:
            await opened.close()
            if discord_fake is not None:
                await discord_fake.close()


@pytest.fixture(autouse=True)
def forget_effects(driver: Driver) -> None:
    """Each case starts with the test feature's log empty (who is going, feedback saved...)."""
    driver.rt.ctx.services.pop("slacktest", None)


# --- 1. a command answered -----------------------------------------------------------------------


async def test_a_command_is_answered_with_its_text(driver: Driver) -> None:
    seen = await driver.send_command("glossary", "LADO")
    assert seen.kind == "message"
    assert "LADO — Local Authority Designated Officer" in seen.text
    assert "allegation that someone who works or volunteers with children" in seen.text
    assert "Source: MSCP Annual Report" in seen.text


# --- 2. a private answer stays private -----------------------------------------------------------


async def test_a_private_answer_is_shown_only_to_the_person_who_asked(driver: Driver) -> None:
    private = await driver.send_command("glossary", "MASH")
    public = await driver.send_command("echo", "Training is full")
    assert private.private and "MASH" in private.text
    assert not public.private and public.text == "Training is full"


# --- 3. a button press routed, and the message answered or updated ---------------------------------


async def test_a_suggestion_button_is_routed_and_answered(driver: Driver) -> None:
    suggestions = await driver.send_command("glossary", "LAD")
    assert suggestions.private and suggestions.buttons[:1] == ["LADO"]
    shown = await driver.press(suggestions, "LADO")
    assert shown.private and "LADO — Local Authority Designated Officer" in shown.text


async def test_a_button_press_updates_the_message_it_was_on(driver: Driver) -> None:
    session = await driver.send_command("rsvp")
    assert not session.private and session.buttons == ["Going", "Not going"]
    shown = await driver.press(session, "Going")
    assert shown.updated and not shown.private
    assert "Neglect awareness, 9 March — 1 going" in shown.text
    assert [e[:3] for e in driver.effects()] == [("rsvp", driver_user(driver, "alice"), "s1-yes")]


def driver_user(driver: Driver, name: str) -> str:
    user = driver.users[name]  # type: ignore[attr-defined]
    return str(user[0] if isinstance(user, tuple) else user)


# --- 4. a form: a field error shown, then accepted -------------------------------------------------

COMMENT = "What will you do differently?"


async def test_a_form_shows_a_field_error_then_accepts_a_good_answer(driver: Driver) -> None:
    form = await driver.send_command("feedback")
    assert form.kind == "form" and form.private
    assert "Feedback on the" in form.text and COMMENT in form.text  # Slack cuts a modal title at 24 characters

    refused = await driver.submit_form(form, {COMMENT: ""})
    assert refused.kind == "form_errors" and refused.private
    assert "Write a sentence about what you will do differently." in refused.text
    assert slack_feature_saved(driver) == []

    accepted = await driver.submit_form(form, {COMMENT: "Check the chronology first"})
    assert accepted.kind == "message" and accepted.private
    assert "Thank you: your feedback was saved." in accepted.text
    assert slack_feature_saved(driver) == [("s1", "Check the chronology first", "")]


def slack_feature_saved(driver: Driver) -> list[tuple[str, str, str]]:
    from tests import slack_feature

    return list(slack_feature.log(driver.rt.ctx)["feedback"])


# --- 5. a thread reply routed --------------------------------------------------------------------


async def test_a_reply_in_a_thread_the_bot_owns_reaches_its_feature(driver: Driver) -> None:
    thread = await driver.open_thread("slacktest", "s1")
    answer = await driver.reply_in_thread(thread, "It helped me plan a home visit")
    assert [e[:3] for e in driver.effects()] == [("thread", "s1", "It helped me plan a home visit")]
    assert answer.private and "Noted your reply for session s1." in answer.text
    # Privately in the thread (Slack, the console) or by direct message (Discord, which has no
    # private message in a thread): never out in the channel.
    assert answer.where in ("thread", "dm")


# --- 6. a post delivered through the outbox --------------------------------------------------------


async def test_a_post_is_delivered_to_the_channel_through_the_outbox(driver: Driver) -> None:
    seen = await driver.deliver(
        reply(Header(text="Neglect awareness"), "Tuesday 9 March, 10:00, Gun Wharf", public=True), "conformance:post"
    )
    assert not seen.private and seen.where == "channel" and seen.message_id
    assert "Neglect awareness" in seen.text and "Tuesday 9 March, 10:00, Gun Wharf" in seen.text


# --- 7. an edit of a posted message ----------------------------------------------------------------


async def test_a_posted_message_is_edited_in_place(driver: Driver) -> None:
    posted = await driver.deliver(reply("Neglect awareness: 3 places left", public=True), "conformance:first")
    edited = await driver.edit(posted, reply("Neglect awareness: full", public=True), "conformance:edit")
    assert edited.updated and edited.message_id == posted.message_id
    assert "Neglect awareness: full" in edited.text and "3 places left" not in edited.text


async def test_a_direct_message_is_edited_in_place(driver: Driver) -> None:
    """As closing a survey edits each delegate's survey message: in their direct messages, in
    place, with its buttons gone."""
    posted = await driver.deliver_direct(
        reply("Neglect awareness survey", Buttons(buttons=[Button(label="Yes", action_id="x:y", value="1")])),
        "conformance:direct",
    )
    assert posted.where == "dm" and posted.private and posted.buttons == ["Yes"]
    edited = await driver.edit_direct(posted, reply("Neglect awareness survey: closed"), "conformance:direct-edit")
    assert edited.updated and edited.where == "dm" and edited.message_id == posted.message_id
    assert "closed" in edited.text and not edited.buttons


# --- 8. a file upload ------------------------------------------------------------------------------


async def test_a_calendar_file_reaches_the_person(driver: Driver) -> None:
    seen = await driver.send_command("calendar")
    assert seen.private and "Here is the session for your calendar." in seen.text
    assert seen.files == ["neglect-awareness.ics"]


# --- 9. mention safety -----------------------------------------------------------------------------


async def test_untrusted_text_in_a_post_reaches_the_platform_inert(driver: Driver) -> None:
    # As features hand over text they did not write (feed items, thread replies): neutralised.
    seen = await driver.deliver(reply(neutralise_text(HOSTILE), public=True), "conformance:hostile")
    assert driver.inertness_problems(seen) == []
    for word in ("everyone", "here", "channel", "U123", "evil.example", "loud"):
        assert word in seen.text  # shown as typed, only harmless


async def test_untrusted_text_in_a_command_answer_reaches_the_platform_inert(driver: Driver) -> None:
    # /echo puts what was typed straight into its answer, with no neutralising of its own: the
    # adapter alone keeps it from pinging anyone.
    mentions = "@everyone @here <!channel> <@U123> <at>x</at>"
    seen = await driver.send_command("echo", mentions)
    assert driver.inertness_problems(seen) == []
    assert "everyone" in seen.text and "U123" in seen.text


async def test_what_a_person_typed_shown_back_by_a_product_command_stays_inert(driver: Driver) -> None:
    # /glossary names the term it could not find, in a heading, exactly as it was typed.
    seen = await driver.send_command("glossary", "[x](https://evil.example) @here <@U123>")
    assert driver.inertness_problems(seen) == []
    assert "Terms about" in seen.text and "here" in seen.text and "U123" in seen.text


# --- 10. retry de-duplication ----------------------------------------------------------------------


async def test_the_same_button_press_delivered_twice_has_one_effect(driver: Driver) -> None:
    session = await driver.send_command("rsvp")
    shown = await driver.press_twice(session, "Going")
    assert [e[0] for e in driver.effects()] == ["rsvp"]
    assert len(shown) == 1 and "1 going" in shown[0].text


async def test_the_same_thread_reply_delivered_twice_has_one_effect(driver: Driver) -> None:
    thread = await driver.open_thread("slacktest", "s2")
    shown = await driver.reply_in_thread_twice(thread, "Once is enough")
    assert [e[:3] for e in driver.effects()] == [("thread", "s2", "Once is enough")]
    assert len(shown) == 1 and "Noted your reply for session s2." in shown[0].text
