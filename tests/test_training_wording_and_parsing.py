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
from handlers.training.schedule import match_course
from storage import training as store
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
