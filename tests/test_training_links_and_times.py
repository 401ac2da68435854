"""An outside audit of training sessions, as a trainer and a delegate, found these: a joining
link typed inside a sentence took the punctuation after it ("…/abc%29", "…/123,"), so delegates
could not join; a change of link was announced with no link in it; a cancelled session still
offered "Join online"; a time the clocks go through twice was saved without a word; "9:30-11"
and "9:30 until 11" were refused; "at Strood Library" kept its "at"."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.dates import read_typed_when
from core.model import Reply
from handlers.training.schedule import split_where
from storage import training as store
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.test_training_wording_and_parsing import WHEN, form_of
from tests.training_support import Bot, training_bot


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


@pytest.mark.parametrize(
    ("typed", "venue", "link"),
    [
        (
            "Gun Wharf, Chatham (or online: https://teams.microsoft.com/l/meetup-join/abc)",
            "Gun Wharf, Chatham",
            "https://teams.microsoft.com/l/meetup-join/abc",
        ),
        ("https://zoom.us/j/123, or in person at Gun Wharf", "Gun Wharf", "https://zoom.us/j/123"),
        ("Gun Wharf https://teams.example.org/meet/1.", "Gun Wharf", "https://teams.example.org/meet/1"),
        ("Gun Wharf: join via Teams https://t.example/j?x=1&y=2;", "Gun Wharf", "https://t.example/j?x=1&y=2"),
        ("online https://teams.example.org/x", "", "https://teams.example.org/x"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("Gun Wharf, Chatham (or online)", "Gun Wharf, Chatham (or online)", ""),  # no link: as typed
    ],
)
def test_a_link_typed_in_a_sentence_is_the_link_without_what_follows_it(typed: str, venue: str, link: str) -> None:
    assert split_where(typed) == {"venue": venue, "online_url": link}


async def test_two_links_are_refused_by_name_rather_than_one_dropped(bot: Bot) -> None:
    form = {"course": "neglect", "when": WHEN, "capacity": "5", "trainer": "",
            "where": "https://teams.example.org/a or https://zoom.us/j/1"}  # fmt: skip
    outcome = await bot.submit("training:add", form)
    assert outcome.form_errors == {"where": "Give one online link (the one delegates join by); a session keeps one."}


async def test_a_change_of_link_is_announced_with_the_new_link_and_the_old(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=5, where="Gun Wharf https://teams.example.org/meet/1")
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    moved = {"when": "", "capacity": "", "trainer": "", "where": "Gun Wharf https://teams.example.org/meet/2"}
    outcome = await bot.submit("training:edit", moved, value=str(session.id))
    assert outcome.form_errors is None, outcome.form_errors
    [notice] = [r for r in await bot.outbox(f"training:changed:{session.id}:") if r.key.endswith(":amy")]
    said = text_of([Reply.model_validate(notice.payload)])
    now, before = said.split("Before:")
    assert "https://teams.example.org/meet/2" in now and "https://teams.example.org/meet/1" in before


async def test_a_cancelled_session_offers_no_way_to_join_it(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=5, where="Gun Wharf https://teams.example.org/meet/1")
    await bot.announce(session.id)
    await bot.say(f"/training cancel {session.id} sorry, trainer unwell")
    await bot.rt.tick()
    shown = await bot.text(f"/training {session.id}")
    assert "cancelled" in shown and "teams.example.org" not in shown and "Join online" not in shown
    edited = bot.posts().rsplit("This session has been cancelled", 1)[1]  # the announcement as edited
    assert "teams.example.org" not in edited.split("\n[", 1)[0]


async def test_a_time_the_clocks_go_through_twice_says_which_it_is(bot: Bot) -> None:
    session = await bot.add_session("25/10/2026 1.30am-2.30am", capacity=5)
    shown = await bot.text(f"/training {session.id}")
    assert "Sunday 25 October 2026, 01:30 BST–02:30" in shown


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("21/04/2026 9:30-11", dt.time(9, 30), dt.time(11)),
        ("21/04/2026 9:30 until 11", dt.time(9, 30), dt.time(11)),
        ("21/04/2026 9:30 to 11", dt.time(9, 30), dt.time(11)),
        ("21/04/2026 10-1", dt.time(10), dt.time(13)),  # ten till one: never ending before it starts
        ("21/04/2026 14:00-4", dt.time(14), dt.time(16)),
        ("21/04/2026 9-11", dt.time(9), dt.time(11)),
        # a bare hour starts a range as "at 2" is read (an outside audit: "at 2-4" was 02:00-04:00)
        ("21/04/2026 at 2-4", dt.time(14), dt.time(16)),
        ("21/04/2026 1-3", dt.time(13), dt.time(15)),
        ("21/04/2026 2-4pm", dt.time(14), dt.time(16)),  # was not read as a time at all
        ("21/04/2026 7-9pm", dt.time(19), dt.time(21)),
        ("21/04/2026 11-1pm", dt.time(11), dt.time(13)),  # not 23:00 to 13:00
        ("21/04/2026 10-11am", dt.time(10), dt.time(11)),
        # a review: an end with minutes ended before the start ("12-1.30" was 12:00 to 01:30)
        ("21/04/2026 12-1.30", dt.time(12), dt.time(13, 30)),
        ("21/04/2026 1-2.30", dt.time(13), dt.time(14, 30)),
        ("21/04/2026 2-3:30", dt.time(14), dt.time(15, 30)),
        ("21/04/2026 1:30-3", dt.time(13, 30), dt.time(15)),  # as "1-3" is read
        ("21/04/2026 5.30-7pm", dt.time(17, 30), dt.time(19)),
        ("21/04/2026 01:30-03:00", dt.time(1, 30), dt.time(3)),  # a 24-hour time as written
        ("21/04/2026 9-5", dt.time(9), dt.time(17)),
    ],
)
def test_a_range_ending_in_a_bare_hour_reads_as_people_mean_it(typed: str, start: dt.time, end: dt.time) -> None:
    found = read_typed_when(typed, dt.date(2026, 3, 2))
    assert found is not None and (found.start, found.end) == (start, end)


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("tomorrow at 9", dt.time(9)),
        ("at 9 tomorrow", dt.time(9)),
        ("friday at 2", dt.time(14)),  # a working day's hour: 1 to 6 is the afternoon
        ("tomorrow at 12", dt.time(12)),
        ("tomorrow at 9 pm", dt.time(21)),
    ],
)
def test_a_bare_hour_after_at_is_the_hour_people_mean(typed: str, start: dt.time) -> None:
    found = read_typed_when(typed, dt.date(2026, 3, 2))
    assert found is not None and found.start == start


def test_a_bare_number_is_a_time_only_after_at_and_only_up_to_12() -> None:
    assert read_typed_when("tomorrow 9", dt.date(2026, 3, 2)) is None
    assert read_typed_when("tomorrow at 20", dt.date(2026, 3, 2)) is None  # "at 20 Gun Wharf" is a venue


async def test_a_house_number_after_at_stays_in_the_venue(bot: Bot) -> None:
    fields = await form_of(bot, "/training add neglect 21/04/2026 for 15 people at 20 Gun Wharf")
    assert fields["where"] == "20 Gun Wharf"


async def test_at_before_a_venue_typed_after_training_add_is_not_part_of_it(bot: Bot) -> None:
    fields = await form_of(bot, "/training add neglect on 21 April at 10am for 15 people at Strood Library")
    assert fields["where"] == "Strood Library"
    assert fields["capacity"] == "15"


async def test_one_place_left_is_one_place(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=1)
    assert "1 of 1 place left" in await bot.text(f"/training {session.id}")
    assert await in_tx(bot.ctx.db, store.get_session, session.id) is not None


async def test_thanks_after_the_details_is_not_the_venue(bot: Bot) -> None:
    fields = await form_of(bot, "/training add gcp2 21/04/2026 10am 20 places thanks")
    assert "where" not in fields and fields["capacity"] == "20"
    fields = await form_of(bot, "/training add gcp2 21/04/2026 10am 20 places Gun Wharf, thank you!")
    assert fields["where"] == "Gun Wharf"


async def test_a_small_house_number_after_at_stays_in_the_venue(bot: Bot) -> None:
    # the review of this session's change: "at 5 Gun Wharf" was read as 17:00 at "Gun Wharf"
    fields = await form_of(bot, "/training add neglect 21/04/2026 10am for 15 people at 5 Gun Wharf")
    assert fields["where"] == "5 Gun Wharf"
    fields = await form_of(bot, "/training add neglect 21/04/2026 at 3 Medway Road")
    assert fields["where"] == "3 Medway Road" and fields["when"] == "21/04/2026"
