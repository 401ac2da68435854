"""A survey comment that names a child loses the whole sentence, not the name alone. A blind audit
(twenty-second session) sent fifteen identifying comments: the guard warned on all of them, but six
were stored with what stood beside the name ("[name removed] 9 in yr 4 at st marys primary",
"brown 13 from the travellers site on Dyke Lane", "twin of jack") and reached answers.csv. The
auditor's lines are used here as written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from core.clock import FrozenClock
from handlers import surveys
from storage import surveys as store
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.surveys_support import given_answers, seed_session, survey_runtime, thread_reply
from tests.test_surveys_answers import DELEGATES, comment_form, open_post_course

IDENTIFYING = [
    "jayden smith 9 in yr 4 at st marys primary has bruises again",
    "concern about child at 14 acacia avenue, leeds LS6 2QT, always alone",
    "dob 12/03/2015, girl called amira, mum drinking",
    "NHS number 943 476 5919 baby missed all immunisations",
    "the lad is Tyler Jones, 15, his mobile is 07700 900123 and hes going missing",
    "Poppy Williams (aged 6) class 1B Oakfield Infants, dad has been aggressive",
    "kid with the red hair and the prosthetic leg in yr 8 at harlow academy, only one in school, "
    "thinks hes being groomed",
    "Mohammed Ali Khan born 2.7.2012 lives with uncle in flat 3, 22 Mill Road, not related",
    "ellie-mae brown 13 from the travellers site on Dyke Lane said her brother hurts her",
    "child NHS no 4857773456 and mum Sarah Green's email sarah.green@example.com",
    "oliver, aged 7, twin of jack, 9 Rosewood Close Bristol BS16, dad in prison",
    "the only deaf pupil in year 10 at Kingsway High, Freya, says she's self harming",
    "Leo Martin d.o.b. 01.09.2019 attends Little Acorns nursery room 2, bruise on face",
    "ring her mum on 0161 496 0857, kid called Grace Hill 11, missing school",
    "UPN A123456789012 pupil Kai Evans, year 5, sofa surfing with mum",
]
# the auditor's near versions that identify nobody: stored as typed
CLEAN = [
    "a 9 yr old boy in year 4 has bruises again",
    "concern about a child in a terraced house, always alone",
    "girl aged about 10, mum drinking",
    "a 15yo lad who keeps going missing, has a second phone",
    "6 yr old in reception/yr1, dad has been aggressive at pickup",
    "a boy with a disability in secondary school, worried hes being groomed",
    "12 year old living with an uncle who isnt actually related",
    "teenage girl from a traveller family said her brother hurts her",
    "7 year old twin boys, dad in prison",
    "a deaf pupil in secondary says she's self harming",
    "toddler at nursery with a bruise on the face",
    "11yo missing school, mum hard to get hold of by phone",
]
CLEAN_START = "Good course, I will use the flowchart."
REMOVED = "[details that could identify someone removed]"


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


async def comments(rt: Runtime) -> list[str]:
    return [v for _s, _r, q, v, *_rest in await given_answers(rt) if q == "comment"]


@pytest.mark.parametrize("line", IDENTIFYING)
async def test_the_sentence_beside_a_name_goes_with_it_and_the_rest_is_kept(srt: Runtime, line: str) -> None:
    sid = await open_post_course(srt)
    outcome = await srt.dispatcher.handle(comment_form(sid, f"{CLEAN_START} {line}"))
    said = text_of(outcome.replies)
    assert "Recorded your comment" in said and "I took out 1 sentence that could identify" in said
    assert await comments(srt) == [f"{CLEAN_START} {REMOVED}"]


@pytest.mark.parametrize("line", IDENTIFYING)
async def test_a_comment_with_nothing_else_in_it_is_not_saved_or_thanked_for(srt: Runtime, line: str) -> None:
    sid = await open_post_course(srt)
    outcome = await srt.dispatcher.handle(comment_form(sid, line))
    assert not outcome.replies  # no "Recorded": the form says why, and keeps what was typed
    assert outcome.form_errors == {"comment": surveys.NOT_SAVED_IDENTIFYING}
    assert await comments(srt) == []


@pytest.mark.parametrize("line", CLEAN)
async def test_a_comment_that_identifies_nobody_is_stored_as_typed(srt: Runtime, line: str) -> None:
    sid = await open_post_course(srt)
    said = text_of((await srt.dispatcher.handle(comment_form(sid, line))).replies)
    assert "Recorded your comment" in said and "I took out" not in said
    assert await comments(srt) == [line]


async def test_a_thread_reply_that_only_names_a_child_is_refused_and_its_removal_offered(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=DELEGATES)
    await surveys.survey_rounds(srt.ctx)
    assert await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course") is not None
    outcome = await srt.dispatcher.handle(thread_reply(session_id, IDENTIFYING[0], user=DELEGATES[0]))
    said = text_of(outcome.replies)
    assert surveys.NOT_SAVED_IDENTIFYING in said and "Recorded" not in said
    assert outcome.replies[0].remove_prompt is not None  # the reply still shows the details in the channel
    assert await comments(srt) == []


async def test_a_second_sentence_naming_the_school_is_read_again_and_nothing_is_saved(srt: Runtime) -> None:
    # the name's sentence goes, and what is left is read again: "St Mary's" and an age beside "she"
    sid = await open_post_course(srt)
    typed = "Jayden Smith has bruises again. He is 9 and in year 4 at St Mary's Primary, 22 Mill Road."
    outcome = await srt.dispatcher.handle(comment_form(sid, typed))
    assert outcome.form_errors == {"comment": surveys.NOT_SAVED_IDENTIFYING}
    assert await comments(srt) == []


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        # a review: "Mary's." was read as an initial, and the next sentence went with it
        (
            "Jayden from St. Mary's. The neglect tool was excellent and I will use it.",
            f"{REMOVED} The neglect tool was excellent and I will use it.",
        ),
        # the partnership's own number identifies nobody in what is kept
        (
            "Jayden Smith aged 9 was discussed. I will call the front door on 01634 334466 sooner.",
            f"{REMOVED} I will call the front door on 01634 334466 sooner.",
        ),
    ],
)
async def test_what_is_kept_beside_a_removed_sentence_is_read_as_written(srt: Runtime, typed: str, kept: str) -> None:
    sid = await open_post_course(srt)
    said = text_of((await srt.dispatcher.handle(comment_form(sid, typed))).replies)
    assert "Recorded your comment" in said
    assert await comments(srt) == [kept]


async def test_pro_ana_content_is_no_girl_called_ana(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    typed = "The part on pro ana content was really useful."
    assert "Recorded your comment" in text_of((await srt.dispatcher.handle(comment_form(sid, typed))).replies)
    assert await comments(srt) == [typed]
