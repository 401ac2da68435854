"""What was typed after /training add fills every field it can, also when the course words name
no one course (an outside audit of issue 14, F5: `refresher`, `knitting` or no course at all
lost the venue, and the form only said "Choose a course"). Such words stay in the course field,
so the form says what they could be, word for word as when they are typed there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.model import FormField
from storage import training as store
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.training_support import Bot, london, training_bot

DETAILS = "2026-04-21 10:00 10 places Gun Wharf"
AMBIGUOUS = (
    '"refresher" could be more than one course: "Child protection refresher" (refresher-cp), '
    '"GCP2 refresher" (gcp2-refresher). Type the course id to choose.'
)


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


async def fields_of(bot: Bot, command: str) -> dict[str, FormField]:
    [answer] = await bot.say(command)
    assert answer.form is not None, text_of([answer])
    return {f.id: f for f in answer.form.fields}


async def course_error_typed_in_the_form(bot: Bot, course: str) -> str:
    form = {"course": course, "when": "2026-04-21 10:00", "capacity": "10", "where": "Gun Wharf", "trainer": ""}
    outcome = await bot.submit("training:add", form)
    assert outcome.form_errors is not None
    return outcome.form_errors["course"]


@pytest.mark.parametrize(
    ("course", "sentence"),
    [
        ("refresher", AMBIGUOUS),
        ("knitting", 'There is no course "knitting"; the course ids are basic-cp, '),
    ],
)
async def test_a_course_that_names_no_one_course_keeps_every_other_field_and_says_what_it_could_be(
    bot: Bot, course: str, sentence: str
) -> None:
    fields = await fields_of(bot, f"/training add {course} {DETAILS}")
    initial = {k: f.initial for k, f in fields.items()}
    assert initial == {
        "course": course, "when": "2026-04-21 10:00", "capacity": "10", "where": "Gun Wharf", "trainer": ""
    }  # fmt: skip
    # Submitted as it stands, the course is the only mistake, said as in the course field.
    outcome = await bot.submit("training:add", initial)
    assert outcome.form_errors is not None and set(outcome.form_errors) == {"course"}
    assert outcome.form_errors["course"] == await course_error_typed_in_the_form(bot, course)
    assert outcome.form_errors["course"].startswith(sentence)
    # A select that cannot show the words (Slack, Discord, Teams) says it in its placeholder.
    assert fields["course"].kind == "select" and fields["course"].placeholder == outcome.form_errors["course"]


async def test_no_course_at_all_keeps_the_venue(bot: Bot) -> None:
    fields = await fields_of(bot, f"/training add {DETAILS}")
    initial = {k: f.initial for k, f in fields.items()}
    assert initial == {"course": "", "when": "2026-04-21 10:00", "capacity": "10", "where": "Gun Wharf", "trainer": ""}
    assert fields["course"].placeholder == ""
    outcome = await bot.submit("training:add", initial)
    assert outcome.form_errors == {"course": "Choose a course; type /training courses to see them."}


@pytest.mark.parametrize(
    ("typed", "filled"),
    [
        ("knitting tomorrow 10am 12 places Room 1",
         {"course": "knitting", "when": "tomorrow 10am", "capacity": "12", "where": "Room 1"}),
        ("knitting circle 21/04/2026 9.30am Gun Wharf, Chatham",
         {"course": "knitting circle", "when": "21/04/2026 9.30am", "where": "Gun Wharf, Chatham"}),
        ("fire safety", {"course": "fire safety"}),
        ("tomorrow 10am Gun Wharf", {"when": "tomorrow 10am", "where": "Gun Wharf"}),
        ("up to 25 people Gun Wharf", {"capacity": "25", "where": "Gun Wharf"}),
    ],
)  # fmt: skip
async def test_words_before_the_date_or_places_are_the_course_and_the_rest_is_read_as_usual(
    bot: Bot, typed: str, filled: dict[str, str]
) -> None:
    fields = await fields_of(bot, f"/training add {typed}")
    assert {k: f.initial for k, f in fields.items() if f.initial} == filled


async def test_in_the_console_only_the_course_is_asked_again_and_the_venue_is_kept(bot: Bot) -> None:
    out = await bot.console.run(f"/training add refresher {DETAILS}\n\n\n\n\n\nrefresher-cp")
    assert "Course (1=Basic child protection" in out and "[now: refresher; an empty line keeps it]" in out
    assert "[now: Gun Wharf; an empty line keeps it]" in out and "[now: 10; an empty line keeps it]" in out
    assert f"  Course: {AMBIGUOUS}" in out
    assert "Venue and/or online link:" not in out  # no error for the venue: it was kept
    assert "Added session 1: Child protection refresher, Tuesday 21 April 2026, 10:00" in out
    [session] = await in_tx(bot.ctx.db, store.list_sessions)
    assert (session.course_id, session.venue, session.capacity) == ("refresher-cp", "Gun Wharf", 10)
    assert session.start_at == london(2026, 4, 21, 10, 0)


# An outside audit (forms and dates): date and time words ended up in the venue ("next Strood
# Library", "for Strood Library", "dads 3pm friday Rochester"). The date and time are read as the
# form's own field reads them, and words that fit nowhere are named, never saved as the venue.
@pytest.mark.parametrize(
    ("typed", "filled"),
    [
        ("prevent next monday 2pm 15 places Strood Library",
         {"course": "prevent", "when": "next monday 2pm", "capacity": "15", "where": "Strood Library"}),
        ("Prevent awareness on Tue 9 Mar 2027 at 2pm for 15 people, Strood Library",
         {"course": "prevent", "when": "Tue 9 Mar 2027 at 2pm", "capacity": "15", "where": "Strood Library"}),
        ("Trauma awarness 2027-03-09T14:00 30 places https://teams.example.org/l/x",
         {"course": "trauma-awareness", "when": "2027-03-09T14:00", "capacity": "30",
          "where": "https://teams.example.org/l/x"}),
        ("neglect 6/3 10:00 10 places Hoo",
         {"course": "neglect", "when": "6/3 10:00", "capacity": "10", "where": "Hoo"}),
        ("neglect 6 March 10:00 for 10 Hoo",
         {"course": "neglect", "when": "6 March 10:00", "capacity": "10", "where": "Hoo"}),
        ("whole school 10/03/2027 noon-2pm 20 places Hoo",
         {"course": "whole-school", "when": "10/03/2027 noon-2pm", "capacity": "20", "where": "Hoo"}),
        ("men and fathers 3pm friday 10 places Rochester Cathedral, 2 Boley Hill",
         {"course": "men-and-fathers", "when": "3pm friday", "capacity": "10",
          "where": "Rochester Cathedral, 2 Boley Hill"}),
    ],
)  # fmt: skip
async def test_dates_and_times_as_trainers_type_them_never_reach_the_venue(
    bot: Bot, typed: str, filled: dict[str, str]
) -> None:
    fields = await fields_of(bot, f"/training add {typed}")
    assert {k: f.initial for k, f in fields.items() if f.initial} == filled
    outcome = await bot.submit("training:add", {k: f.initial for k, f in fields.items()})
    assert outcome.form_errors is None, outcome.form_errors


async def test_words_that_fit_no_field_leave_the_venue_empty_and_are_named(bot: Bot) -> None:
    fields = await fields_of(bot, "/training add working with dads 3pm friday 10 places Rochester")
    assert fields["where"].initial == ""
    # the words after them are offered too, so nothing typed goes unmentioned
    assert fields["where"].placeholder == 'Not understood: "dads". Was the venue "Rochester"? Type the venue or link.'
    assert (fields["when"].initial, fields["capacity"].initial) == ("3pm friday", "10")


async def test_the_same_course_at_the_same_start_is_refused_naming_the_session(bot: Bot) -> None:
    form = {"course": "neglect", "when": "6 March 10:00", "capacity": "10", "where": "Hoo", "trainer": ""}
    assert (await bot.submit("training:add", form)).form_errors is None
    again = await bot.submit("training:add", {**form, "when": "06/03/2026 10:00-13:00", "where": "Gun Wharf"})
    assert again.form_errors == {
        "when": "This course at this time is already in the programme as session 1; "
        "change the date or time, or see it with /training 1."
    }
    assert len(await in_tx(bot.ctx.db, store.list_sessions)) == 1


@pytest.mark.parametrize("typed", ["none", "None", "-", "nobody"])
async def test_none_names_no_trainer(bot: Bot, typed: str) -> None:
    """An outside audit: "none" was saved as the trainer's name, and a trainer once named could
    not be taken off (an empty answer keeps the value, or means "you" in a new session)."""
    form = {"course": "neglect", "when": "6 March 10:00", "capacity": "10", "where": "Hoo", "trainer": typed}
    assert (await bot.submit("training:add", form)).form_errors is None
    [session] = await in_tx(bot.ctx.db, store.list_sessions)
    assert session.trainer == ""


async def test_next_tuesday_typed_on_a_monday_is_kept_whole_and_the_form_asks_which_week(bot: Bot) -> None:
    # The clock is Monday 2 March: "next tuesday" is the 3rd to some trainers and the 10th to others.
    fields = await fields_of(bot, "/training add prevent next tuesday 2pm 15 places Strood Library")
    assert (fields["when"].initial, fields["where"].initial) == ("next tuesday 2pm", "Strood Library")
    outcome = await bot.submit("training:add", {k: f.initial for k, f in fields.items()})
    assert outcome.form_errors == {
        # each suggestion keeps the time typed with it, so typing it back loses nothing (a walkthrough:
        # "this friday" typed back dropped the times)
        "when": "'Next Tuesday' could be Tuesday 3 March or Tuesday 10 March: write 'this tuesday 2pm' or the date, "
        "such as '10 March 2pm'."
    }


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("prevent from next tuesday 2pm Strood Library", "next tuesday 2pm"),
        ("prevent 2pm-4pm next tuesday Strood Library", "2pm-4pm next tuesday"),
        ("prevent at 10am next thursday at Strood Library", "10am next thursday"),
    ],
)
async def test_next_weekday_anywhere_in_the_line_stays_in_the_date_field(bot: Bot, typed: str, when: str) -> None:
    # a review: after a word or a time, "next tuesday" was split off and named as not understood
    fields = await fields_of(bot, f"/training add {typed}")
    assert (fields["when"].initial, fields["where"].initial) == (when, "Strood Library")
