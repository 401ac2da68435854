"""Bulletins: written as Markdown or in a form, previewed, scheduled, edited until they go, and
posted once to every channel, across restarts, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Reply, RequestKind
from handlers.bulletins import BulletinProblem, bulletin_reply, markdown_sections, read_markdown_file
from storage import bulletins as store
from storage.models import OutboxMessage
from tests.comms_support import as_only_replica, close_runtime
from tests.conftest import _clean_postgres
from tests.harness import Console, action, command, text_of
from tests.storage_support import in_tx

MARKDOWN = """# MSCP bulletin, March 2026

A short round-up for practitioners. @everyone please read.

## Neglect strategy

The revised strategy is out for comment. **Have your say** by 31 March:
[the consultation page](https://www.medwayscp.org.uk/neglect) or <https://example.org/short>.

* GCP2 refresher dates added
* Licensed course: [book here](javascript:alert(1))

## Child exploitation awareness day

18 March: events across Medway. Ping <!channel> and <@U0123ABC> if you can help.
"""


async def start(settings: Settings, clock: FrozenClock) -> Runtime:
    rt = await Runtime.create(settings, clock=clock, console_mode=True)
    Console(rt, roles=frozenset({"comms"}))
    as_only_replica(rt)
    return rt


close = close_runtime


@pytest.fixture
def bot_settings(settings: Settings, database_url: str) -> Settings:
    return settings.model_copy(update={"database_url": database_url})


@pytest.fixture
async def rt(bot_settings: Settings, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = await start(bot_settings, clock)
    if runtime.ctx.db.is_postgres:
        await _clean_postgres(runtime.ctx.db)
    yield runtime
    await close(runtime)


async def run(rt: Runtime, text: str, *, roles: set[str] | None = None) -> str:
    outcome = await rt.dispatcher.handle(
        command("bulletin", text, user="cara", roles={"comms"} if roles is None else roles)
    )
    return text_of(outcome.replies)


async def submit(rt: Runtime, value: str, title: str, body: str) -> Reply | dict[str, str]:
    request = action("bulletin:save", value, user="cara", roles={"comms"}).model_copy(
        update={"kind": RequestKind.SUBMIT, "form": {"title": title, "body": body}}
    )
    outcome = await rt.dispatcher.handle(request)
    return outcome.form_errors if outcome.form_errors else outcome.replies[0]


async def bulletin_posts(rt: Runtime) -> list[OutboxMessage]:
    async with rt.ctx.db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.key.startswith("bulletin:")))
        return [r for r in rows.all() if r.status == "sent"]


# --- Markdown ----------------------------------------------------------------------------------------


def test_markdown_becomes_sections_of_neutral_markup() -> None:
    sections = markdown_sections(MARKDOWN.split("\n", 1)[1])
    assert len(sections) == 3
    intro, neglect, day = sections
    assert "@everyone" not in intro and "everyone please read" in intro
    assert neglect.startswith("**Neglect strategy**")
    assert "**Have your say**" in neglect
    assert "[the consultation page](https://www.medwayscp.org.uk/neglect)" in neglect
    assert "https://example.org/short" in neglect and "<https" not in neglect
    assert "- GCP2 refresher dates added" in neglect
    assert "book here" in neglect and "javascript" not in neglect
    assert "<!channel>" not in day and "<@U0123ABC>" not in day


def test_a_bulletin_file_needs_a_title_and_text(tmp_path: Path) -> None:
    good = tmp_path / "march.md"
    good.write_text(MARKDOWN, encoding="utf-8")
    title, body = read_markdown_file(good)
    assert title == "MSCP bulletin, March 2026" and body.startswith("A short round-up")
    untitled = tmp_path / "untitled.md"
    untitled.write_text("Just text\n", encoding="utf-8")
    with pytest.raises(BulletinProblem, match="title line"):
        read_markdown_file(untitled)
    empty = tmp_path / "empty.md"
    empty.write_text("# Title only\n", encoding="utf-8")
    with pytest.raises(BulletinProblem, match="no text"):
        read_markdown_file(empty)
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"# T\n\xff\xfe")
    with pytest.raises(BulletinProblem, match="UTF-8"):
        read_markdown_file(binary)


def test_the_posted_bulletin_has_a_header_sections_and_a_sender() -> None:
    title, body = MARKDOWN.split("\n", 1)
    posted = bulletin_reply(title[2:], body, "Medway Safeguarding Children Partnership")
    assert [b.type for b in posted.blocks] == ["header", "text", "text", "text", "caption"]
    assert posted.visibility == "public"
    assert "A bulletin from Medway Safeguarding Children Partnership." in posted.all_text()


# --- composing ---------------------------------------------------------------------------------------


async def test_only_comms_and_admins_can_use_bulletins(runtime: Runtime) -> None:
    outcome = await runtime.dispatcher.handle(command("bulletin", "list"))
    assert "Only communications leads" in text_of(outcome.replies)
    outcome = await runtime.dispatcher.handle(command("bulletin", "list", roles={"admin"}))
    assert "No bulletins yet" in text_of(outcome.replies)


async def test_new_opens_a_form_and_a_bad_submission_keeps_it_open(runtime: Runtime) -> None:
    outcome = await runtime.dispatcher.handle(command("bulletin", "new", roles={"comms"}))
    form = outcome.replies[0].form
    assert form is not None and form.action_id == "bulletin:save" and form.value == "new"
    errors = await submit(runtime, "new", "", "   ")
    assert set(errors) == {"title", "body"}  # type: ignore[arg-type]


async def test_a_draft_can_be_previewed_edited_and_cancelled(rt: Runtime, clock: FrozenClock) -> None:
    saved = await submit(rt, "new", "JEG bulletin", "## Key points\n- Missing episodes rose\n- New toolkit")
    assert "Bulletin **1** saved as a draft" in saved.all_text()  # type: ignore[union-attr]
    preview = await run(rt, "preview 1")
    assert "Preview of bulletin 1 (draft)" in preview and "JEG bulletin" in preview and "- New toolkit" in preview
    edit = await rt.dispatcher.handle(command("bulletin", "edit 1", roles={"comms"}))
    form = edit.replies[0].form
    assert form is not None and form.fields[0].initial == "JEG bulletin"
    updated = await submit(rt, "1", "JEG bulletin, March", "## Key points\n- Missing episodes fell")
    assert "updated" in updated.all_text()  # type: ignore[union-attr]
    assert "JEG bulletin, March" in await run(rt, "preview 1")
    assert "cancelled" in await run(rt, "cancel 1")
    assert "Bulletin 1 was cancelled, so it can't be changed now" in await run(rt, "edit 1")
    assert "Bulletin 1 was cancelled, so it can't be scheduled" in await run(rt, "schedule 1 now #news")
    assert "1** JEG bulletin, March — cancelled" in await run(rt, "list")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shout", "I don't know /bulletin shout"),
        ("preview", "Give the bulletin's number"),
        ("preview 42", "There is no bulletin 42"),
    ],
)
async def test_bad_commands_get_a_sentence(runtime: Runtime, text: str, expected: str) -> None:
    assert expected in await run(runtime, text)


async def test_scheduling_refuses_the_past_and_unknown_channels(runtime: Runtime) -> None:
    await submit(runtime, "new", "T", "Body")
    assert "has already passed" in await run(runtime, "schedule 1 2026-03-01T09:00 #news")
    assert "is not a time I understand" in await run(runtime, "schedule 1 soonish #news")
    assert "is not a channel" in await run(runtime, "schedule 1 now no/such")  # `news` alone is a console channel
    assert "Give a time and at least one channel" in await run(runtime, "schedule 1 now")


# --- sending -----------------------------------------------------------------------------------------


async def test_a_bulletin_scheduled_to_three_channels_posts_once_to_each_across_a_restart(
    bot_settings: Settings, clock: FrozenClock
) -> None:
    first = await start(bot_settings, clock)
    if first.ctx.db.is_postgres:
        await _clean_postgres(first.ctx.db)
    await submit(first, "new", "MSCP bulletin", "## News\nThe annual report is out.")
    reply = await run(first, "schedule 1 10:00 #practitioners #schools #health")
    assert "will go to #practitioners, #schools, #health on Mon 2 Mar 2026, 10:00" in reply
    await first.tick()
    assert await bulletin_posts(first) == []
    await first.stop()  # the bot restarts before the bulletin is due

    second = await start(bot_settings, clock)
    try:
        clock.advance(dt.timedelta(hours=1, minutes=1))
        await second.tick()
        await second.tick()
        posted = await bulletin_posts(second)
        assert sorted(r.target["channel_id"] for r in posted) == ["health", "practitioners", "schools"]
        assert all("The annual report is out." in Reply.model_validate(r.payload).all_text() for r in posted)
        assert "sent Mon 2 Mar 2026, 10:00: posted in 3 of 3 channels" in await run(second, "list")
    finally:
        await second.stop()

    third = await start(bot_settings, clock)  # and again after it went
    try:
        clock.advance(dt.timedelta(minutes=5))
        await third.tick()
        assert len(await bulletin_posts(third)) == 3
    finally:
        await close(third)


async def test_a_hand_over_cut_short_by_a_crash_is_finished_once(bot_settings: Settings, clock: FrozenClock) -> None:
    first = await start(bot_settings, clock)
    if first.ctx.db.is_postgres:
        await _clean_postgres(first.ctx.db)
    await submit(first, "new", "MSCP bulletin", "Body text")
    await run(first, "schedule 1 now #a #b #c")
    # The process takes the bulletin for sending, then dies before queueing its posts.
    [taken] = await in_tx(first.ctx.db, store.start_sending, now=clock.now())
    assert taken.status == store.SENDING
    await close(first)

    second = await start(bot_settings, clock)
    try:
        await second.tick()
        await second.tick()
        posted = await bulletin_posts(second)
        assert sorted(r.target["channel_id"] for r in posted) == ["a", "b", "c"]
        assert (await in_tx(second.ctx.db, store.get, 1)).status == store.SENT  # type: ignore[union-attr]
    finally:
        await close(second)


async def test_an_edit_before_the_time_is_what_goes_out_and_after_it_is_refused(
    rt: Runtime, clock: FrozenClock
) -> None:
    await submit(rt, "new", "Draft title", "First words")
    await run(rt, "schedule 1 09:30 #news")
    await submit(rt, "1", "Final title", "Final words")
    clock.advance(dt.timedelta(minutes=31))
    await rt.tick()
    [post] = await bulletin_posts(rt)
    text = Reply.model_validate(post.payload).all_text()
    assert "Final title" in text and "Final words" in text and "First words" not in text
    late = await submit(rt, "1", "Too late", "Words")
    assert isinstance(late, Reply) and "has already been sent" in late.all_text()


async def test_a_cancelled_bulletin_is_never_posted(rt: Runtime, clock: FrozenClock) -> None:
    await submit(rt, "new", "T", "Body")
    await run(rt, "schedule 1 09:30 #news")
    await run(rt, "cancel 1")
    clock.advance(dt.timedelta(hours=1))
    await rt.tick()
    assert await bulletin_posts(rt) == []


async def test_a_bulletin_is_written_and_sent_from_the_console(runtime: Runtime) -> None:
    console = Console(runtime, user="cara", roles=frozenset({"comms"}))
    transcript = await console.run(
        """
        /bulletin new
        Learning lessons bulletin
        What we learned: **Think Family** means fathers and significant males too.
        .
        /bulletin preview 1
        /bulletin schedule 1 now #practice #schools
        /bulletin list
        """
    )
    assert "[form] Bulletin" in transcript
    assert "Bulletin 1 saved as a draft" in transcript
    assert "Preview of bulletin 1 (draft)" in transcript
    assert "will go to #practice, #schools within a minute" in transcript
    assert transcript.count("== Learning lessons bulletin ==") == 3  # the preview and two posts
    assert "#practice\n" in transcript and "#schools\n" in transcript
    assert "posted in 2 of 2 channels" in transcript


async def test_a_pasted_multi_line_bulletin_arrives_whole_in_the_console(runtime: Runtime) -> None:
    console = Console(runtime, user="cara", roles=frozenset({"comms"}))
    transcript = await console.run(
        """
        /bulletin new
        Joint Exploitation Group bulletin
        ## Missing episodes
        - Return home interviews within 72 hours.
        - Share the **trigger plan** with the police.
        # A heading written with one hash
        Contact the team through [the portal](https://example.org/portal).
        .
        /bulletin preview 1
        """
    )
    assert "Bulletin 1 saved as a draft" in transcript
    preview = transcript.split("Preview of bulletin 1 (draft)")[1]
    for part in (
        "Missing episodes",
        "Return home interviews",
        "trigger plan",
        "A heading written with one hash",
        "the portal",
    ):
        assert part in preview


async def test_the_console_edit_form_shows_current_values_and_a_blank_keeps_them(runtime: Runtime) -> None:
    console = Console(runtime, user="cara", roles=frozenset({"comms"}))
    transcript = await console.run(
        """
        /bulletin new
        Learning lessons bulletin
        First paragraph.
        .
        /bulletin edit 1

        Second version of the body.
        .
        /bulletin preview 1
        """
    )
    assert "[now: Learning lessons bulletin; an empty line keeps it]" in transcript
    # the body as it stands, shown before it is asked for again (an outside audit: it was not)
    assert "It says now:\n    First paragraph.\n" in transcript.split("/bulletin edit 1")[1]
    preview = transcript.split("Preview of bulletin 1")[1]
    assert "== Learning lessons bulletin ==" in preview
    assert "Second version of the body." in preview and "First paragraph." not in preview


async def test_a_bulletin_too_long_for_a_chat_form_says_what_can_be_done_from_chat(rt: Runtime) -> None:
    """A communications lead cannot run the command line from Slack or Teams: the error says how
    long the text is and what can be done from chat."""
    errors = await submit(rt, "new", "Spring bulletin", "Plenty to say. " * 250)
    assert isinstance(errors, dict)
    assert "3,749 characters; a chat form takes 3,000" in errors["body"]  # the last space is trimmed
    assert "split it into two bulletins" in errors["body"]


async def test_the_console_says_a_needed_multi_line_field_needs_a_line(runtime: Runtime) -> None:
    """An outside audit: the bulletin's body, which is needed, said "an empty first line skips
    it", and an empty first line was then asked again, and again."""
    console = Console(runtime, user="cara", roles=frozenset({"comms"}))
    transcript = await console.run(
        """
        /bulletin new
        Joint Exploitation Group bulletin
        Return home interviews within 72 hours.
        .
        """
    )
    assert "(it is needed: type at least one line)" in transcript
    assert "an empty first line skips it" not in transcript
    assert "Bulletin 1 saved as a draft" in transcript
