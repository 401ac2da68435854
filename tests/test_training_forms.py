"""Training forms that help, on SQLite and PostgreSQL: every mistake reported in one round, the
add form filled in from what was typed after the command, the edit form filled in from the
session (a blank field keeps its value), and what people type understood: "25 places", a course
by its title or a close one, day-first and relative dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from core.clock import FrozenClock
from core.model import Reply, RequestKind
from handlers.training.schedule import SessionDraft, check_session, match_course, read_capacity, split_when
from storage import training as store
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.training_support import Bot, london, training_bot

WHEN = "2026-03-09 10:00-13:00"  # Monday; the test clock starts Monday 2 March 09:00
NOW = london(2026, 3, 2, 9, 0)
COURSES = {
    c.id: c
    for c in (
        SimpleNamespace(id="domestic-abuse", title="Domestic abuse and safeguarding children", duration_minutes=180),
        SimpleNamespace(id="refresher-cp", title="Child protection refresher", duration_minutes=120),
        SimpleNamespace(id="gcp2-refresher", title="GCP2 refresher", duration_minutes=120),
        SimpleNamespace(id="neglect", title="Recognising and responding to neglect", duration_minutes=180),
    )
}


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


async def form_of(bot: Bot, command: str) -> dict[str, str]:
    [answer] = await bot.say(command)
    assert answer.form is not None, text_of([answer])
    return {f.id: f.initial for f in answer.form.fields}


# --- every mistake at once ---------------------------------------------------------------------------


async def test_every_field_with_a_mistake_is_reported_in_the_same_round(bot: Bot) -> None:
    bad = {"course": "knitting", "when": "next week sometime", "capacity": "lots", "where": "", "trainer": ""}
    outcome = await bot.submit("training:add", bad)
    assert outcome.form_errors is not None
    assert set(outcome.form_errors) == {"course", "when", "capacity", "where"}
    assert outcome.form_errors["when"].startswith("Give the date and times like 2026-04-21 09:30-12:30")
    assert await in_tx(bot.ctx.db, store.list_sessions) == []


async def test_a_past_date_is_reported_with_the_other_mistakes(bot: Bot) -> None:
    bad = {"course": "knitting", "when": "2026-02-20 10:00", "capacity": "0", "where": "Gun Wharf", "trainer": ""}
    outcome = await bot.submit("training:add", bad)
    assert outcome.form_errors is not None and set(outcome.form_errors) == {"course", "when", "capacity"}
    assert "20 February 2026 has already passed" in outcome.form_errors["when"]


# --- the add form, filled in from what was typed ---------------------------------------------------


async def test_what_is_typed_after_training_add_fills_the_form_in(bot: Bot) -> None:
    fields = await form_of(bot, "/training add domestic abuse 21/03/2026 9.30am-12.30pm 25 places Gun Wharf, Chatham")
    assert fields == {
        "course": "domestic-abuse",
        "when": "21/03/2026 9.30am-12.30pm",
        "capacity": "25",
        "where": "Gun Wharf, Chatham",
        "trainer": "",
    }
    # Submitted as it stands, it is a session.
    outcome = await bot.submit("training:add", fields)
    assert outcome.form_errors is None
    [session] = await in_tx(bot.ctx.db, store.list_sessions)
    assert (session.course_id, session.capacity, session.start_at) == ("domestic-abuse", 25, london(2026, 3, 21, 9, 30))


@pytest.mark.parametrize(
    ("typed", "filled"),
    [
        ("domestc abuse 21/03/2026 10am 20 places Room 1",
         {"course": "domestic-abuse", "when": "21/03/2026 10am", "capacity": "20", "where": "Room 1"}),
        ("neglect Gun Wharf 20 places tomorrow 9.30am-12.30pm",
         {"course": "neglect", "when": "tomorrow 9.30am-12.30pm", "capacity": "20", "where": "Gun Wharf"}),
        # Two courses fit: the words stay in the course field, and the form says which they could be.
        ("refresher 20 places", {"course": "refresher", "capacity": "20"}),
    ],
)  # fmt: skip
async def test_details_are_found_wherever_they_are_typed(bot: Bot, typed: str, filled: dict[str, str]) -> None:
    fields = await form_of(bot, f"/training add {typed}")
    assert {k: v for k, v in fields.items() if v} == filled


async def test_a_course_id_alone_fills_only_the_course(bot: Bot) -> None:
    assert await form_of(bot, "/training add gcp2") == {
        "course": "gcp2", "when": "", "capacity": "", "where": "", "trainer": ""
    }  # fmt: skip
    # Words that name no course stay in the course field, as typed, rather than in another field.
    assert await form_of(bot, "/training add knitting circle") == {
        "course": "knitting circle", "when": "", "capacity": "", "where": "", "trainer": ""
    }  # fmt: skip


# --- the edit form: current values shown, a blank keeps ------------------------------------------------


async def test_the_edit_form_shows_every_current_value(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=12, where="Gun Wharf, Chatham https://teams.example.org/x")
    assert await form_of(bot, f"/training edit {session.id}") == {
        "course": "neglect",
        "when": "2026-03-09 10:00-13:00",
        "capacity": "12",
        "where": "Gun Wharf, Chatham https://teams.example.org/x",
        "trainer": "sam",
    }


async def test_a_blank_field_in_the_edit_form_keeps_its_value(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=12, where="Gun Wharf, Chatham https://teams.example.org/x")
    blank = {"when": "", "capacity": "30", "where": "", "trainer": ""}
    outcome = await bot.submit("training:edit", blank, value=str(session.id))
    assert outcome.form_errors is None, outcome.form_errors
    shown = text_of(outcome.replies)
    assert "The places changed from 12 to 30." in shown and "telling" not in shown  # nobody is told
    after = await in_tx(bot.ctx.db, store.get_session, session.id)
    assert after is not None
    assert (after.start_at, after.end_at) == (session.start_at, session.end_at)
    assert (after.venue, after.online_url, after.trainer) == ("Gun Wharf, Chatham", "https://teams.example.org/x",
                                                              "console:sam")  # fmt: skip
    assert (after.capacity, after.version) == (30, 1)


@pytest.mark.parametrize(
    ("typed", "start_moves", "end_moves"),
    [
        # An outside check typed only the new date, and got "Give the date and times like ...".
        ("2026-03-10", dt.timedelta(days=1), dt.timedelta(days=1)),
        ("14:00-16:00", dt.timedelta(hours=4), dt.timedelta(hours=3)),
    ],
    ids=["a new date alone keeps the times", "new times alone keep the date"],
)
async def test_a_date_or_times_alone_in_the_edit_form_keep_the_other_part(
    bot: Bot, typed: str, start_moves: dt.timedelta, end_moves: dt.timedelta
) -> None:
    session = await bot.add_session(WHEN, capacity=12, where="Gun Wharf, Chatham")
    moved = {"when": typed, "capacity": "", "where": "", "trainer": ""}
    outcome = await bot.submit("training:edit", moved, value=str(session.id))
    assert outcome.form_errors is None, outcome.form_errors
    after = await in_tx(bot.ctx.db, store.get_session, session.id)
    assert after is not None
    assert (after.start_at, after.end_at) == (session.start_at + start_moves, session.end_at + end_moves)


async def test_an_edit_says_what_changed_even_when_it_is_only_the_places_or_the_trainer(bot: Bot) -> None:
    # An outside audit: changing only the places replied "Saved session 1: <date>." and no more.
    session = await bot.add_session(WHEN, capacity=12)
    places = await bot.submit("training:edit", {"capacity": "25"}, value=str(session.id))
    assert text_of(places.replies).splitlines()[1:] == ["The places changed from 12 to 25."]
    trainer = await bot.submit("training:edit", {"trainer": "Jo Smith"}, value=str(session.id))
    assert text_of(trainer.replies).splitlines()[1:] == ["The trainer changed from sam to Jo Smith."]
    same = await bot.submit("training:edit", {}, value=str(session.id))
    assert text_of(same.replies).splitlines()[1:] == ["Nothing changed."]


async def test_an_edit_of_the_time_alone_that_doubles_another_session_is_refused(bot: Bot) -> None:
    # An outside audit: moving session 1 onto the start of session 2 (same course) saved silently,
    # and /training listed both.
    first = await bot.add_session(WHEN, course="neglect", capacity=12)
    second = await bot.add_session("2026-03-10 10:00-13:00", course="neglect", capacity=12)
    moved = await bot.submit("training:edit", {"when": "2026-03-10 10:00-13:00"}, value=str(first.id))
    assert moved.form_errors == {
        "when": f"This course at this time is already in the programme as session {second.id}; "
        f"change the date or time, or see it with /training {second.id}."
    }
    after = await in_tx(bot.ctx.db, store.get_session, first.id)
    assert after is not None and after.start_at == first.start_at


async def test_the_edit_form_numbers_the_courses_as_the_add_form_does(bot: Bot) -> None:
    session = await bot.add_session(WHEN, course="dash", capacity=12)
    [add] = await bot.say("/training add")
    [edit] = await bot.say(f"/training edit {session.id}")
    assert add.form is not None and edit.form is not None
    assert [o.value for o in add.form.fields[0].options] == [o.value for o in edit.form.fields[0].options]


def payload_text(message: Any) -> str:
    return text_of([Reply.model_validate(message.payload)])


async def test_an_edit_can_change_the_course_and_tells_those_going_what_it_was(bot: Bot) -> None:
    # An outside audit: a session added under the wrong course could only be cancelled.
    session = await bot.add_session(WHEN, course="basic-cp", capacity=12)
    assert (await form_of(bot, f"/training edit {session.id}"))["course"] == "basic-cp"
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    outcome = await bot.submit("training:edit", {"course": "neglect"}, value=str(session.id))
    assert outcome.form_errors is None, outcome.form_errors
    assert "The course changed: I'm telling the 1 person going" in text_of(outcome.replies)
    assert "Saved session 1 (Recognising and responding to neglect):" in text_of(outcome.replies).replace("*", "")
    after = await in_tx(bot.ctx.db, store.get_session, session.id)
    assert after is not None and (after.course_id, after.title) == ("neglect", "Recognising and responding to neglect")
    notices = [said for m in await bot.outbox() if "has changed: the course" in (said := payload_text(m))]
    assert notices and all("Before: Basic child protection," in n.replace("_", "") for n in notices)


async def test_the_course_stays_once_a_survey_has_gone_out_or_when_it_would_double_a_session(bot: Bot) -> None:
    session = await bot.add_session(WHEN, course="basic-cp", capacity=12)
    twin = await bot.add_session(WHEN, course="gcp2", capacity=12)
    doubled = await bot.submit("training:edit", {"course": "gcp2"}, value=str(session.id))
    assert doubled.form_errors == {
        "course": f"This course at this time is already in the programme as session {twin.id}; "
        f"change the course, or see it with /training {twin.id}."
    }
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    assert "Sending the baseline survey" in await bot.text(f"/survey send {session.id} pre-course")
    refused = await bot.submit("training:edit", {"course": "neglect"}, value=str(session.id))
    assert refused.form_errors is not None
    assert refused.form_errors["course"].startswith(f"A survey has gone out for session {session.id}")
    after = await in_tx(bot.ctx.db, store.get_session, session.id)
    assert after is not None and after.course_id == "basic-cp"


async def test_a_trainer_left_empty_is_the_name_the_platform_gives_not_the_id(bot: Bot) -> None:
    form = {"course": "neglect", "when": WHEN, "capacity": "12", "where": "Gun Wharf", "trainer": ""}
    named = bot._request("U0123ABC", kind=RequestKind.SUBMIT, action_id="training:add", form=form)
    slack = {"platform": "slack", "user_name": "Sam Trainer", "roles": frozenset({"trainer"})}
    outcome = await bot.handle(named.model_copy(update=slack))
    assert outcome.form_errors is None, outcome.form_errors
    [session] = await in_tx(bot.ctx.db, store.list_sessions)
    assert session.trainer == "Sam Trainer"


async def test_places_cut_below_the_people_going_say_one_place_in_the_singular(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=2)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    await bot.reply_to(post, "g", "ben")
    fewer = {"when": "", "capacity": "1", "where": "", "trainer": ""}
    outcome = await bot.submit("training:edit", fewer, value=str(session.id))
    assert "2 people are going, more than the 1 place; nobody has been removed." in text_of(outcome.replies)


async def test_a_date_without_a_time_in_a_new_session_asks_for_the_time(bot: Bot) -> None:
    typed = {"course": "gcp2", "when": "2026-03-10", "capacity": "12", "where": "Gun Wharf", "trainer": ""}
    outcome = await bot.submit("training:add", typed)
    assert outcome.form_errors is not None
    assert outcome.form_errors["when"].startswith("Add the start time after the date")


# --- what people type ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "places"),
    [("25", 25), ("25 places", 25), ("up to 25 people", 25), (" 25  ", 25), ("lots", None), ("2 or 3", None),
     ("-3", None), ("", None),
     # in words, as an outside audit typed them ("twenty places" went into the venue)
     ("twenty places", 20), ("ten", 10), ("twenty-five people", 25), ("up to thirty one delegates", 31),
     ("one room", None)],
)  # fmt: skip
def test_places_are_read_from_a_number_with_words_around_it(typed: str, places: int | None) -> None:
    assert read_capacity(typed) == places


@pytest.mark.parametrize(
    ("typed", "course_id"),
    [
        ("neglect", "neglect"),
        ("domestic abuse", "domestic-abuse"),
        ("Domestic Abuse and Safeguarding Children", "domestic-abuse"),
        ("domestc abuse and safegarding", "domestic-abuse"),
        ("recognising & responding to neglect", "neglect"),
    ],
)
def test_a_course_is_found_by_id_title_or_a_close_title(typed: str, course_id: str) -> None:
    course, problem = match_course(typed, COURSES)
    assert problem is None and course is not None and course.id == course_id


def test_a_title_that_fits_two_courses_asks_which() -> None:
    course, problem = match_course("refresher", COURSES)
    assert course is None and problem is not None
    assert '"Child protection refresher" (refresher-cp)' in problem and '"GCP2 refresher" (gcp2-refresher)' in problem
    assert problem.endswith("Type the course id to choose.")
    assert match_course("basket weaving", COURSES)[1] == (
        'There is no course "basket weaving"; the course ids are domestic-abuse, refresher-cp, gcp2-refresher, '
        "neglect (/training courses shows what each covers)."
    )


@pytest.mark.parametrize(
    ("when", "start", "end"),
    [
        ("21/03/2026 09:30-12:30", london(2026, 3, 21, 9, 30), london(2026, 3, 21, 12, 30)),
        ("21/03/2026 9.30am to 12.30pm", london(2026, 3, 21, 9, 30), london(2026, 3, 21, 12, 30)),
        ("21 March 2026, 2pm", london(2026, 3, 21, 14, 0), london(2026, 3, 21, 17, 0)),
        ("tomorrow 10am", london(2026, 3, 3, 10, 0), london(2026, 3, 3, 13, 0)),
        ("friday at 13:30 - 15:00", london(2026, 3, 6, 13, 30), london(2026, 3, 6, 15, 0)),
        # an evening session to midnight, written as people write it
        ("21/03/2026 18:00-24:00", london(2026, 3, 21, 18, 0), london(2026, 3, 22, 0, 0)),
        ("21/03/2026 6pm to 24:00", london(2026, 3, 21, 18, 0), london(2026, 3, 22, 0, 0)),
        ("28/03/2026 20:00-00:00", london(2026, 3, 28, 20, 0), london(2026, 3, 29, 0, 0)),
    ],
)
def test_dates_are_read_day_first_and_relative_to_today(when: str, start: dt.datetime, end: dt.datetime) -> None:
    parts = split_when(when, NOW.date())
    assert parts is not None
    draft = check_session(
        {**parts, "course": "neglect", "capacity": "20 places", "venue": "Gun Wharf"},
        courses=COURSES,
        zone="Europe/London",
        now=NOW,
        platform="console",
        default_trainer="console:sam",
    )
    assert isinstance(draft, SessionDraft), draft
    assert (draft.start_at, draft.end_at, draft.capacity) == (start, end, 20)


async def test_the_form_takes_a_title_places_in_words_and_a_day_first_date(bot: Bot) -> None:
    form = {"course": "domestic abuse", "when": "21/03/2026 9.30am", "capacity": "25 places",
            "where": "Gun Wharf", "trainer": ""}  # fmt: skip
    outcome = await bot.submit("training:add", form)
    assert outcome.form_errors is None, outcome.form_errors
    assert "Added session **1**: Domestic abuse and safeguarding children, Saturday 21 March 2026, 09:30–12:30" in (
        text_of(outcome.replies)
    )


def test_places_in_words_after_the_command_are_places_not_the_venue() -> None:
    from handlers.training.forms import _prefill

    today = dt.date(2026, 3, 2)
    found = _prefill(["neglect", "04/03/2027", "9.30am", "twenty", "places", "Gun", "Wharf"], COURSES, today)
    assert found["capacity"] == "20" and found["where"] == "Gun Wharf"
    # a number alone beside the venue stays the venue's ("Ten Downing Street", "20 Gun Wharf")
    assert "capacity" not in _prefill(["neglect", "04/03/2027", "9.30am", "Ten", "Downing", "Street"], COURSES, today)


@pytest.mark.parametrize("typed", ["a ", "0 ", "x, ", "neglect ", "domestic abuse "])
def test_a_long_line_after_the_command_is_read_in_a_bounded_number_of_course_lookups(
    typed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside audit (seventeenth session): `/training add` and 3,950 characters tried every run
    of the first words as a course title, each against every course: about 5 s on the bot's one
    loop. Only runs as long as a title and a few generic words are tried now."""
    from handlers.training import forms

    calls: list[str] = []

    def counted(text: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(text)
        return match_course(text, *args, **kwargs)

    monkeypatch.setattr(forms, "match_course", counted)
    forms._prefill((typed * 1975).split(), COURSES, dt.date(2026, 3, 2))
    longest = max(len(c.title.split()) for c in COURSES.values())
    assert len(calls) <= 2 * (longest + forms.TITLE_EXTRA_WORDS) + 4
