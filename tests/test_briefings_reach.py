"""Learning briefings: the pack section, /briefing, posting to channels, and reach counted
without user ids (a person's second press counts once), on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import DEFAULT_PACK, InvalidPack, load_pack
from core.model import Buttons, Reply
from handlers.briefings import BriefingPack
from storage.briefings import BriefingResponse
from storage.models import OutboxMessage
from tests.comms_support import as_comms_console, as_only_replica, close_runtime
from tests.harness import Console, action, command, text_of

RIVERSIDE = Path(__file__).parent / "packs" / "riverside"


@pytest.fixture
async def rt(settings: Settings, database_url: str, clock: FrozenClock) -> AsyncIterator[Runtime]:
    runtime = await Runtime.create(
        settings.model_copy(update={"database_url": database_url}), clock=clock, console_mode=True
    )
    await as_comms_console(runtime)
    yield runtime
    await close_runtime(runtime)


async def say(rt: Runtime, text: str, *, user: str = "u1", roles: set[str] | None = None) -> list[Reply]:
    return (await rt.dispatcher.handle(command("briefing", text, user=user, roles=roles))).replies


async def press(rt: Runtime, action_id: str, value: str, *, user: str, platform: str = "console") -> str:
    outcome = await rt.dispatcher.handle(action(action_id, value, user=user, platform=platform))
    return text_of(outcome.replies)


# --- the pack ------------------------------------------------------------------------------------------


def medway_briefings() -> BriefingPack:
    return load_pack(DEFAULT_PACK, load_registry().sections).get(BriefingPack)


def test_the_medway_pack_has_a_briefing_for_each_published_review() -> None:
    pack = medway_briefings()
    found = {b.id: b for b in pack.briefings}
    assert set(found) == {"andy", "isabel", "jones-family", "julia", "laura"}
    assert {b.id: b.published[:4] for b in pack.briefings} == {
        "andy": "2022",
        "isabel": "2023",
        "jones-family": "2024",
        "julia": "2025",
        "laura": "2025",
    }
    assert found["laura"].review_type == "lcspr" and found["jones-family"].review_type == "learning lessons review"
    for briefing in pack.briefings:
        assert briefing.source.doc in {"ar-2022-23", "ar-2024-25"}, briefing.id
        assert briefing.source.section, briefing.id
        assert briefing.key_findings and briefing.what_to_do_differently and briefing.reflection_questions
    # what the reports leave unclear is flagged, and shows as sample content
    assert found["isabel"].unconfirmed and found["julia"].unconfirmed and found["jones-family"].unconfirmed


def broken_pack(tmp_path: Path, old: str, new: str) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(RIVERSIDE, pack)
    text = (pack / "briefings.yaml").read_text(encoding="utf-8")
    assert old in text
    (pack / "briefings.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return pack


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("practice_themes: [river-safety]", "practice_themes: [floods]", "theme 'floods' is not listed under themes"),
        ("id: kingfisher", "id: stats", "'stats' is a /briefing word"),
        ("id: kingfisher", "id: heron", "briefing id 'heron' is used twice"),
        ("review_type: audit", "review_type: gossip", "review_type"),
        (
            'url: "https://riverside.example.org/reviews"',
            'url: "javascript:alert(1)"',
            "must be a full http(s) address",
        ),
        ('doc: rcsp-learning, section: "Heron"', 'doc: nowhere, section: "Heron"', "unknown document 'nowhere'"),
    ],
)
def test_a_broken_briefings_file_is_reported_with_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(InvalidPack) as caught:
        load_pack(broken_pack(tmp_path, old, new), load_registry().sections)
    problems = [str(p) for p in caught.value.problems]
    assert any("briefings.yaml:" in p and message in p for p in problems), problems


# --- reading -------------------------------------------------------------------------------------------


async def test_briefings_are_listed_and_filtered_by_theme(runtime: Runtime) -> None:
    listing = text_of(await say(runtime, ""))
    assert all(name in listing for name in ("andy", "isabel", "jones-family", "julia", "laura"))
    neglect = text_of(await say(runtime, "theme neglect"))
    assert "isabel" in neglect and "laura" in neglect and "andy" not in neglect
    fathers = text_of(await say(runtime, "theme fathers"))  # found by its label
    assert "laura" in fathers and "jones-family" in fathers and "julia" not in fathers
    assert "Direct work tools (GCP2) (1)" in text_of(await say(runtime, "themes"))
    assert "I don't know the theme" in text_of(await say(runtime, "theme astrology"))


async def test_one_briefing_shows_its_seven_parts_buttons_and_source(runtime: Runtime) -> None:
    [shown] = await say(runtime, "laura")
    text = shown.all_text()
    for part in (
        "7-minute briefing: LCSPR Laura",
        "Local Child Safeguarding Practice Review · published February 2025",
        "1. Background",
        "2. Why it matters",
        "3. Key findings",
        "4. Practice themes to note",
        "5. What to do differently",
        "6. Questions for your team",
        "7. Read more",
        "Source: MSCP Annual Report 2024-25",
        "Sample content",
    ):
        assert part in text, part
    buttons = [b for block in shown.blocks if isinstance(block, Buttons) for b in block.buttons]
    assert [(b.action_id, b.value) for b in buttons] == [("briefing:read", "laura"), ("briefing:use", "laura")]
    assert shown.visibility == "ephemeral"


async def test_a_misspelt_name_gets_a_suggestion(runtime: Runtime) -> None:
    assert "Did you mean /briefing laura" in text_of(await say(runtime, "lara"))
    assert "/briefing lists them all" in text_of(await say(runtime, "zzzzzz"))


async def test_another_pack_brings_its_own_briefings(settings: Settings, clock: FrozenClock) -> None:
    rt = await Runtime.create(settings.model_copy(update={"content_pack": RIVERSIDE}), clock=clock, console_mode=True)
    try:
        listing = text_of((await rt.dispatcher.handle(command("briefing", ""))).replies)
        assert "heron" in listing and "laura" not in listing
        shown = text_of((await rt.dispatcher.handle(command("briefing", "heron"))).replies)
        assert "National review · published November 2025" in shown and "Sample content" not in shown
    finally:
        await rt.ctx.db.dispose()


# --- posting and reach ---------------------------------------------------------------------------------


async def posted(rt: Runtime) -> list[OutboxMessage]:
    async with rt.ctx.db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.key.startswith("briefing:")))
        return [r for r in rows.all() if r.status == "sent"]


async def test_a_posted_briefings_buttons_pressed_twice_by_one_person_count_once(rt: Runtime) -> None:
    reply = text_of(await say(rt, "schedule laura now #practice #schools", roles={"comms"}))
    assert "will be posted to #practice, #schools within a minute" in reply
    await rt.tick()
    posts = await posted(rt)
    assert sorted(r.target["channel_id"] for r in posts) == ["practice", "schools"]
    post = Reply.model_validate(posts[0].payload)
    assert post.visibility == "public"
    buttons = [b for block in post.blocks if isinstance(block, Buttons) for b in block.buttons]
    read, use = buttons

    assert "counted as read" in await press(rt, read.action_id, read.value, user="sam")
    assert "already told us" in await press(rt, read.action_id, read.value, user="sam")
    assert "counted as read" in await press(rt, read.action_id, read.value, user="kim")
    assert "counted as read" in await press(rt, read.action_id, read.value, user="sam", platform="slack")
    assert "you'll use LCSPR Laura" in await press(rt, use.action_id, use.value, user="sam")
    assert "already told us" in await press(rt, use.action_id, use.value, user="sam")

    stats = text_of(await say(rt, "laura stats"))
    assert "Posted in **2** channels" in stats
    assert "**3** people have said they read it" in stats  # sam, kim, and sam on another platform
    assert "**1** will use it" in stats

    async with rt.ctx.db.transaction() as session:
        rows = list((await session.scalars(select(BriefingResponse))).all())
    assert len(rows) == 4
    for row in rows:
        assert "sam" not in row.person and "kim" not in row.person and len(row.person) == 40
        assert set(row.person) <= set("0123456789abcdef")


async def test_a_forged_or_stale_button_counts_nothing(rt: Runtime) -> None:
    assert "no longer in the partnership's pack" in await press(rt, "briefing:read", "not-a-briefing", user="sam")
    assert "not one I recognise" in await press(rt, "briefing:read", "laura;drop table", user="sam")
    async with rt.ctx.db.transaction() as session:
        assert list((await session.scalars(select(BriefingResponse))).all()) == []


async def test_only_comms_can_post_and_cancel_briefings(rt: Runtime, clock: FrozenClock) -> None:
    assert "Only communications leads" in text_of(await say(rt, "schedule laura now #practice"))
    reply = text_of(await say(rt, "schedule andy 2026-03-03T09:00 #practice", roles={"comms"}))
    assert "on Tue 3 Mar 2026, 09:00" in reply
    assert "Stopped 1 post(s)" in text_of(await say(rt, "cancel andy", roles={"comms"}))
    import datetime as dt

    clock.advance(dt.timedelta(days=2))
    await rt.tick()
    assert await posted(rt) == []
    assert "Posted in **0** channels" in text_of(await say(rt, "andy stats"))


async def test_briefings_from_the_console(rt: Runtime) -> None:
    console = Console(rt, user="sam", roles=frozenset({"comms"}))
    as_only_replica(rt)
    transcript = await console.run(
        """
        /briefing theme safer sleeping
        /briefing schedule isabel now #practice
        !1
        !1
        @kim !1
        /briefing isabel stats
        """
    )
    assert "Briefings on Safer sleeping" in transcript
    assert "#practice\n  == 7-minute briefing: LCSPR Isabel ==" in transcript
    assert "[1] I've read this   [2] I'll use it in supervision or a team meeting" in transcript
    assert transcript.count("counted as read") == 2 and transcript.count("already told us") == 1
    assert "2 people have said they read it" in transcript


async def test_a_briefing_goes_to_a_channel_once_unless_asked_again(rt: Runtime, clock: FrozenClock) -> None:
    console = Console(rt, user="sam", roles=frozenset({"comms"}))
    as_only_replica(rt)
    transcript = await console.run(
        """
        /briefing schedule laura now #practice
        /debug clock +5m
        /briefing schedule laura now #practice
        /briefing schedule laura now #practice #schools
        /briefing schedule laura now #practice again
        """
    )
    refused = transcript.split("> /briefing schedule laura now #practice\n")[2]
    assert "is already in #practice (posted " in refused
    assert "add the word again" in refused
    assert "Not again in #practice" in transcript  # the two-channel schedule went only to #schools
    async with rt.ctx.db.transaction() as session:
        keys = sorted((await session.scalars(select(OutboxMessage.key))).all())
    practice = [k for k in keys if ":practice" in k]
    schools = [k for k in keys if ":schools" in k]
    assert len(practice) == 2 and len(schools) == 1  # the first post and the one asked for again


async def test_where_a_briefing_and_a_bulletin_went_outlives_the_outbox_housekeeping(
    rt: Runtime, clock: FrozenClock
) -> None:
    """An outside audit: 13 weeks on, housekeeping had deleted the posts' outbox rows, so
    `/bulletin list` said 0 of 1 channels, `/briefing laura stats` said 0, and the briefing
    went to #practice a second time without "again"."""
    console = Console(rt, user="sam", roles=frozenset({"comms"}))
    as_only_replica(rt)
    await console.run(
        """
        /briefing schedule laura now #practice
        /bulletin new
        Spring
        Hello
        .
        /bulletin schedule 1 now #practice
        /debug clock +13w
        """
    )
    await rt.tick()  # housekeeping among the jobs
    assert "posted in 1 of 1 channels" in await console.run("/bulletin list")
    assert "Posted in 1 channel\n" in await console.run("/briefing laura stats")
    assert "is already in #practice (posted " in await console.run("/briefing schedule laura now #practice")
