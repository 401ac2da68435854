"""A survey comment must not say who wrote it. The session's list of who went says where each
delegate works, so "As the DSL for Riverside Nursery" or a staff number beside the answers links
them to one person (the twenty-second session's confidentiality reader). The sentence goes whole,
as for a child's details; near versions that name no setting and no number are stored as typed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from core.clock import FrozenClock
from handlers import surveys
from handlers.safety import find_identifiers
from tests.harness import text_of
from tests.surveys_support import survey_runtime
from tests.test_survey_comments_whole_sentences import CLEAN_START, REMOVED, comments
from tests.test_surveys_answers import comment_form, open_post_course

SAYS_WHO_WROTE_IT = [
    "As the DSL for Riverside Nursery I found the session useful.",
    "My staff no is 48213 if you need to follow up.",
    "As head of Hoo St Werburgh Primary, I will share this with staff.",
    "Speaking as the designated lead at Rochester Grammar, very clear.",
    "I work at Medway Maritime Hospital on the childrens ward.",
    "Payroll number 00123456, please log my CPD.",
    "as the dsl for riverside nursery i found it useful",
    "i work at hoo st werburgh primary and will tell the head",
    "my nmc pin is 12A3456E for my revalidation",
    "Collar number 4521, the police part was spot on",
    "the chatham family hub staff will all use the checklist",
    "Please send my certificate, employee 2230917.",
    # the twenty-third session's blind audit, as written: both were stored (the second once sent again)
    "As the DSL at Riverside Nursery I found the training really useful",
    "my staff number is 48213, the session helped me with referrals",
    # a blind audit of comments (the same session), as written: stored as typed before
    "im the only school nurse covering st aidans academy so this will help me loads",
    "I run the Tuesday youth club at St Marys church hall in Ashford and will share this with the volunteers",
    "speaking as the only safeguarding lead on Ward 7 at the QEQM, the MASH part was very clear",
    "as the designated teacher for looked after children at Kingsmead Secondary I liked the case studies",
    "please contact me on 482913.",
    # a second review: a course word before the setting is no venue; three-digit numbers after a cue
    "Great course for us at Riverside Nursery",
    "Really useful training for staff at Byron Primary",
    "Collar 789 here",
    "Staff no. 321",
    # a third review: a registration or staff number with no "no" before it
    "NMC registration 12A3456E, good course.",
    "HCPC reg 12345 for my CPD please",
    "staff 48213 - good course",
    "my badge number  -  4821",
]
# near versions: a kind of setting, a town, a year, a level or a published number, no one's own
NAMES_NOBODY = [
    "As a DSL in a Chatham primary I now record concerns more clearly.",
    "Our nursery will use this, and so will the local primary.",
    "Good practice shared in our team.",
    "Level 3 was explained well, 10/10, 100% recommend.",
    "In 2023 we had 7 replies. The 999 route was clear.",
    "Working Together 2023 was covered well.",
    "I'm a teacher in a special school and I will share it.",
    "The named nurse for safeguarding at Medway Maritime Hospital is a good first contact.",
    "Shout 85258 is worth putting on the staffroom wall.",
    "I will ring the front door on 01634 334466 sooner now.",
    "My 120 pupils will benefit from what I learned.",
    "What the Child Safeguarding Practice Review Panel found was sobering.",
    # the comments audit's clean lines: a venue, a public body, a kind of setting
    "the training at Gun Wharf was well organised and the parking was easy",
    "the input from Kent Police on county lines was eye opening",
    "i'm a volunteer at a youth club and it gave me confidence to raise concerns",
    "Faith groups were hardly mentioned, we see a lot of kids through church and mosque",
    "Otherwise useful for us as cricket club welfare officers.",
    # a review of the session: the course's venue, a year, a count, many settings of a town
    "The venue, Chatham Family Hub, was easy to find.",
    "Registration in 2025 was easy.",
    "Registration was at 0930 and we started on time.",
    "Membership of 300 staff across the trust.",
    "Staff: 120 trained this year.",
    "I work across Chatham primary schools.",
    "I am working in Strood nurseries now.",
    "The Christ Church University lecturer was great.",
    "Would be good to hold it at Chatham Family Hub next time",
    "Over 100000 children in Kent need us.",
]


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        yield rt


@pytest.mark.parametrize("line", SAYS_WHO_WROTE_IT)
async def test_the_sentence_that_says_who_wrote_a_comment_goes_and_the_rest_is_kept(srt: Runtime, line: str) -> None:
    sid = await open_post_course(srt)
    said = text_of((await srt.dispatcher.handle(comment_form(sid, f"{CLEAN_START} {line}"))).replies)
    assert "Recorded your comment" in said and "I took out 1 sentence that could identify" in said
    assert await comments(srt) == [f"{CLEAN_START} {REMOVED}"]


@pytest.mark.parametrize("line", SAYS_WHO_WROTE_IT)
async def test_a_comment_that_only_says_who_wrote_it_is_not_saved_or_thanked_for(srt: Runtime, line: str) -> None:
    sid = await open_post_course(srt)
    outcome = await srt.dispatcher.handle(comment_form(sid, line))
    assert not outcome.replies
    assert outcome.form_errors == {"comment": surveys.NOT_SAVED_IDENTIFYING}
    assert await comments(srt) == []


@pytest.mark.parametrize("line", NAMES_NOBODY)
async def test_a_comment_naming_no_ones_workplace_is_stored_as_typed(srt: Runtime, line: str) -> None:
    sid = await open_post_course(srt)
    said = text_of((await srt.dispatcher.handle(comment_form(sid, line))).replies)
    assert "Recorded your comment" in said and "I took out" not in said
    assert await comments(srt) == [line]


@pytest.mark.parametrize("line", SAYS_WHO_WROTE_IT[:6])
def test_a_lookup_is_not_warned_for_the_askers_own_workplace(line: str) -> None:
    # a practitioner saying where they work identifies no child: only comments are read for their writer
    assert not [f for f in find_identifiers(line) if f.kind in ("workplace", "staff_number")]


@pytest.mark.parametrize(
    "hostile", ["A'" * 50_000, "staff" + " " * 990 + "x", "staff\n" + "\t \n" * 300 + "x", ("at " + " " * 20) * 2000]
)
def test_hostile_text_is_read_without_backtracking(hostile: str) -> None:
    # two reviews: "A'" * 50,000 took 31 s in the big-place pattern, "staff" and 300 spaces 24 s in the
    # staff-number one; every word and gap is bounded now (no timing asserted: it returns, or the suite hangs)
    from handlers.safety.writers import writer_details

    assert not list(writer_details(hostile))
