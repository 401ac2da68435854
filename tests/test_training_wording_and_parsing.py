"""What trainers type is read as they meant it, and what people are told is true for them.

A course is found only when the words typed name it: "training", "fire safety training" or a
command typed into the course field name no course, and the answer lists the courses there are.
Places come only from a number of places or people; the rest of "/training add" is the venue.
Change notices and reminders offer Can't go only to people it fits, and never speak of 0 people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from core.clock import FrozenClock
from core.model import Buttons, Reply
from handlers.training.schedule import match_course
from storage import training as store
from storage.models import OutboxMessage
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.training_support import Bot, training_bot

ROOT = Path(__file__).resolve().parent.parent
MEDWAY = {
    c["id"]: SimpleNamespace(id=c["id"], title=c["title"], duration_minutes=c["duration_minutes"])
    for c in yaml.safe_load((ROOT / "content" / "medway" / "courses.yaml").read_text())["courses"]
}
WHEN = "2026-03-09 10:00-13:00"  # Monday; the test clock starts Monday 2 March 09:00
NO_MATCH = None
SEVERAL = "several"


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


# --- which course was meant ------------------------------------------------------------------------

COURSE_TABLE = [
    # ids, titles and words of a title
    ("gcp2", "gcp2"),
    ("GCP 2", "gcp2"),  # an outside check typed it so: the id with a space
    ("gcp-2", "gcp2"),
    ("dash", "dash"),
    ("Domestic abuse and safeguarding children", "domestic-abuse"),
    ("domestic abuse", "domestic-abuse"),
    ("domestic abuse training", "domestic-abuse"),
    ("Whole-school safeguarding training", "whole-school"),
    ("whole school", "whole-school"),
    ("basic", "basic-cp"),
    ("basic child protection", "basic-cp"),
    ("graded care profile", "gcp2"),
    ("gcp2 refresher", "gcp2-refresher"),
    ("sexual exploitation", "cse"),
    ("train the trainer", "cse-trainers"),
    ("men and fathers", "men-and-fathers"),
    ("safer babies training", "safer-babies"),
    ("trauma", "trauma-awareness"),
    ("thresholds", "thresholds"),
    # small typos
    ("domestc abuse", "domestic-abuse"),
    ("neglct", "neglect"),
    ("recognising and respnding to neglect", "neglect"),
    ("gcp2-refreshr", "gcp2-refresher"),
    ("domesticabuse", "domestic-abuse"),
    # words that fit every course, and courses the partnership does not run
    ("training", NO_MATCH),
    ("safeguarding", NO_MATCH),
    ("safeguarding course", NO_MATCH),
    ("session", NO_MATCH),
    ("trainin", NO_MATCH),
    ("fire safety training", NO_MATCH),
    ("dsl training", NO_MATCH),
    ("first aid", NO_MATCH),
    ("safeguarding adults", NO_MATCH),
    ("level 3 safeguarding", NO_MATCH),
    ("online safety", NO_MATCH),
    ("/training add", NO_MATCH),
    # fits more than one: asked which
    ("child protection", SEVERAL),
    ("refresher", SEVERAL),
    ("exploitation", SEVERAL),
]


@pytest.mark.parametrize(("typed", "expected"), COURSE_TABLE)
def test_a_course_is_found_only_when_the_words_name_it(typed: str, expected: str | None) -> None:
    course, problem = match_course(typed, MEDWAY)
    if expected == SEVERAL:
        assert course is None and problem is not None and "could be more than one course" in problem
    elif expected is NO_MATCH:
        assert course is None and problem is not None
        assert "the course ids are basic-cp, intermediate-cp, " in problem and "trauma-awareness" in problem
    else:
        assert problem is None and course is not None and course.id == expected


async def test_a_command_typed_into_the_course_field_is_refused_with_the_courses(bot: Bot) -> None:
    for typed in ("/training add", "training", "fire safety training"):
        form = {"course": typed, "when": WHEN, "capacity": "10", "where": "Gun Wharf", "trainer": ""}
        outcome = await bot.submit("training:add", form)
        assert outcome.form_errors is not None, text_of(outcome.replies)
        assert set(outcome.form_errors) == {"course"}
        error = outcome.form_errors["course"]
        assert "neglect" in error and "whole-school" in error and "/training courses" in error
    assert await in_tx(bot.ctx.db, store.list_sessions) == []


# --- places and venue ------------------------------------------------------------------------------------


async def form_of(bot: Bot, command: str) -> dict[str, str]:
    [answer] = await bot.say(command)
    assert answer.form is not None, text_of([answer])
    return {f.id: f.initial for f in answer.form.fields if f.initial}


@pytest.mark.parametrize(
    ("typed", "places", "where", "venue", "link"),
    [
        ("Gun Wharf, Chatham, 20 places", "20", "Gun Wharf, Chatham", "Gun Wharf, Chatham", None),
        ("online, 25 places", "25", "online", "online", None),
        ("up to 25 people, online https://teams.example.org/x", "25", "online https://teams.example.org/x",
         "", "https://teams.example.org/x"),
        ("up to 25 people online https://teams.example.org/x", "25", "online https://teams.example.org/x",
         "", "https://teams.example.org/x"),
        ("25 max Room 101, Gun Wharf", "25", "Room 101, Gun Wharf", "Room 101, Gun Wharf", None),
        ("Room 1, 12 places, Gun Wharf https://teams.example.org/x", "12",
         "Room 1, Gun Wharf https://teams.example.org/x", "Room 1, Gun Wharf", "https://teams.example.org/x"),
    ],
)  # fmt: skip
async def test_places_and_venue_typed_after_training_add_come_out_as_meant(
    bot: Bot, typed: str, places: str, where: str, venue: str, link: str | None
) -> None:
    fields = await form_of(bot, f"/training add domestic abuse {WHEN} {typed}")
    assert fields == {"course": "domestic-abuse", "when": WHEN, "capacity": places, "where": where}
    outcome = await bot.submit("training:add", {**fields, "trainer": ""})
    assert outcome.form_errors is None, outcome.form_errors
    [session] = await in_tx(bot.ctx.db, store.list_sessions)
    assert (session.capacity, session.venue, session.online_url) == (_number(places), venue, link)


def _number(places: str) -> int:
    return int(next(w for w in places.split() if w.isdigit()))


async def test_a_number_in_the_venue_is_not_taken_as_places(bot: Bot) -> None:
    fields = await form_of(bot, f"/training add neglect {WHEN} Room 101, Gun Wharf")
    assert fields == {"course": "neglect", "when": WHEN, "where": "Room 101, Gun Wharf"}  # places left to ask


@pytest.mark.parametrize("typed", ["Room 101", "Medway Council, Gun Wharf", "3rd floor", "/debug clock +10m", "2 or 3"])
async def test_places_that_are_not_a_number_of_places_are_refused_by_name(bot: Bot, typed: str) -> None:
    form = {"course": "neglect", "when": WHEN, "capacity": typed, "where": "Gun Wharf", "trainer": ""}
    outcome = await bot.submit("training:add", form)
    assert outcome.form_errors is not None and set(outcome.form_errors) == {"capacity"}
    assert outcome.form_errors["capacity"] == (
        f'"{typed}" is not a number of places; give the number of places as a whole number, at least 1.'
    )
    assert await in_tx(bot.ctx.db, store.list_sessions) == []


@pytest.mark.parametrize(("typed", "places"), [("25", 25), ("25 places", 25), ("up to 25 people", 25),
                                               ("25 max", 25), ("max 12", 12), ("1 place", 1)])  # fmt: skip
async def test_places_are_taken_from_a_number_of_places_or_people(bot: Bot, typed: str, places: int) -> None:
    session = await bot.add_session(WHEN, capacity=5)
    form = {"when": "", "capacity": typed, "where": "", "trainer": ""}
    outcome = await bot.submit("training:edit", form, value=str(session.id))
    assert outcome.form_errors is None, outcome.form_errors
    after = await in_tx(bot.ctx.db, store.get_session, session.id)
    assert after is not None and after.capacity == places


# --- who is told what ------------------------------------------------------------------------------------


def said(row: OutboxMessage) -> tuple[str, list[str]]:
    reply = Reply.model_validate(row.payload)
    buttons = [b.label for block in reply.blocks if isinstance(block, Buttons) for b in block.buttons]
    return text_of([reply]), buttons


async def test_a_change_notice_says_to_each_reader_what_they_can_do(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=2)
    post = await bot.announce(session.id)
    for user, choice in (("amy", "g"), ("ben", "g"), ("cal", "w"), ("dee", "w")):
        await bot.reply_to(post, choice, user)
    moved = {"when": "2026-03-10 10:00-13:00", "capacity": "2", "where": "Gun Wharf, Chatham", "trainer": ""}
    outcome = await bot.submit("training:edit", moved, value=str(session.id))
    assert "I'm telling the 4 people going or on the waitlist" in text_of(outcome.replies)
    notices = {row.key.rsplit(":", 1)[1]: said(row) for row in await bot.outbox(f"training:changed:{session.id}:")}
    for going in ("amy", "ben"):
        text, buttons = notices[going]
        assert "press Can't go so your place can go to someone else" in text and "waitlist" not in text
        assert buttons == ["Can't go", "Add to calendar"]
    for waiting, number in (("cal", 1), ("dee", 2)):
        text, buttons = notices[waiting]
        assert f"You're still number {number} on the waitlist; if you no longer want a place, press Can't go." in text
        assert "your place can go" not in text and buttons == ["Can't go", "Add to calendar"]
    [thread] = [said(row) for row in await bot.outbox(f"training:changed:{session.id}:") if ":thread:" in row.key]
    assert "If you're going and can no longer come, press Can't go on the announcement." in thread[0]
    assert thread[1] == ["Add to calendar"]  # no Can't go here: it is on the announcement


async def test_reminders_promise_no_waitlist(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=20)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    rows = [row for row in await bot.outbox(f"reminder:{session.id}:") if row.key.split(":")[-2] == "amy"]
    assert rows
    for row in rows:
        text, buttons = said(row)
        assert "waitlist" not in text and "press Can't go so your place can go to someone else" in text
        assert buttons == ["Can't go", "Add to calendar"]


async def test_with_nobody_to_tell_no_one_hears_of_the_0_people(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=3)
    moved = {"when": "2026-03-10 10:00-13:00", "capacity": "3", "where": "Gun Wharf, Chatham", "trainer": ""}
    text = text_of((await bot.submit("training:edit", moved, value=str(session.id))).replies)
    assert "The time changed: nobody is going or on the waitlist, so nobody needs telling." in text
    cancelled = await bot.text(f"/training cancel {session.id}")
    assert "Nobody is going or on the waitlist, so nobody needs telling, and its reminders won't be sent." in cancelled
    assert "0 people" not in text + cancelled


async def test_one_person_moving_up_is_one_person(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=1)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    await bot.reply_to(post, "w", "ben")
    more = {"when": "", "capacity": "2", "where": "", "trainer": ""}
    text = text_of((await bot.submit("training:edit", more, value=str(session.id))).replies)
    assert "1 person moved up from the waitlist and is being told." in text
