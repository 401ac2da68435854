"""Answers that depend on what is stored: quick taps on a multiple-choice question apply one after
another, a later comment is added to the earlier one, an exclusive option stands alone, and
/survey status of a closed survey gives the count it closed with."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import Request, RequestKind
from handlers import surveys
from storage import surveys as store
from storage.sealed import SealedAnswers
from storage.surveys import SurveyAnswer
from tests.harness import command, text_of
from tests.storage_support import in_tx
from tests.surveys_support import answer, given_answers, press, seed_session, survey_runtime, thread_reply

DELEGATES = [f"d{i}" for i in range(1, 9)]
# The follow-up's "Since the course, have you..." question (the second) and its options.
SINCE = ["practice", "materials", "supervision", "lead", "not-yet"]


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """The bot on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    # a minimum group of 1: these tests read what a close writes out for a few delegates
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        yield rt


async def run(rt: Runtime, name: str, text: str, *, user: str = "trainer") -> str:
    roles = {"admin": {"admin"}, "trainer": {"trainer"}}.get(user, set())
    return text_of((await rt.dispatcher.handle(command(name, text, user=user, roles=roles))).replies)


async def open_survey(rt: Runtime, kind: str) -> tuple[int, int]:
    session_id = await seed_session(rt, attendees=DELEGATES)
    assert "Sending the" in await run(rt, "survey", f"send {session_id} {kind}")
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, kind)
    assert survey is not None
    return session_id, survey.id


async def stored(rt: Runtime, question: str) -> list[str]:
    return sorted(v for _s, _r, q, v, *_rest in await given_answers(rt) if q == question)


def chosen(shown: str) -> frozenset[str]:
    """The option ids a multiple-choice confirmation names."""
    if "Recorded: nothing is chosen now." in shown:  # every choice tapped off again
        return frozenset()
    found = re.search(r"your choices are now _(.*?)_\.", shown)
    assert found is not None, shown
    labels = {
        "Put the learning into practice": "practice",
        "Used the course materials": "materials",
        "Explored a concern in supervision": "supervision",
        "Taken a lead on this in my agency": "lead",
        "None of these yet": "not-yet",
    }
    return frozenset(labels[label] for label in found.group(1).split(", "))


def one_after_another(presses: list[str], replies: list[frozenset[str]]) -> bool:
    """Whether the replies are what the presses give when applied one at a time in some order,
    each reply showing the set its own press left."""

    def follow(state: frozenset[str], left: list[int]) -> bool:
        if not left:
            return True
        return any(replies[i] == state ^ {presses[i]} and follow(replies[i], [j for j in left if j != i]) for i in left)

    return follow(frozenset(), list(range(len(presses))))


async def test_quick_taps_on_a_multiple_choice_question_all_count(srt: Runtime) -> None:
    _session, sid = await open_survey(srt, "follow-up")
    taps = [0, 1, 2, 3, 0, 1, 2, 0]  # leaves practice and lead chosen
    others = [0, 2, 2]  # someone else tapping meanwhile: practice
    presses = [(f"{sid}.1.{o}", "d1") for o in taps] + [(f"{sid}.1.{o}", "d2") for o in others]
    shown = await asyncio.gather(*(answer(srt, value, user=user) for value, user in presses))
    mine = [chosen(s) for s in shown[: len(taps)]]
    assert one_after_another([SINCE[o] for o in taps], mine), mine
    assert one_after_another([SINCE[o] for o in others], [chosen(s) for s in shown[len(taps) :]])
    values = await stored(srt, "since")
    assert sorted(",".join(sorted(v.split(","))) for v in values) == ["lead,practice", "practice"]
    # The reply that left the final set is the one that says so, with the right count.
    last = [s for s, c in zip(shown, mine, strict=False) if c == {"lead", "practice"}]
    assert last and all("You have answered 1 of 4 questions" in s for s in last)


async def test_an_exclusive_option_clears_the_others_and_another_clears_it(srt: Runtime) -> None:
    _session, sid = await open_survey(srt, "follow-up")
    await answer(srt, f"{sid}.1.0", user="d1")
    await answer(srt, f"{sid}.1.2", user="d1")
    shown = await answer(srt, f"{sid}.1.4", user="d1")  # None of these yet
    assert "your choices are now _None of these yet_." in shown
    assert await stored(srt, "since") == ["not-yet"]
    shown = await answer(srt, f"{sid}.1.2", user="d1")
    assert "your choices are now _Explored a concern in supervision_." in shown
    assert await stored(srt, "since") == ["supervision"]
    assert "Recorded: nothing is chosen now." in await answer(srt, f"{sid}.1.2", user="d1")
    assert await stored(srt, "since") == []


def submit(sid: int, q: int, user: str, words: str) -> Request:
    from tests.test_surveys_answers import comment_form

    return comment_form(sid, words, user=user, question=q)


async def test_a_second_comment_is_added_to_the_first_and_the_delegate_is_told(srt: Runtime) -> None:
    _session, sid = await open_survey(srt, "post-course")
    first = text_of((await srt.dispatcher.handle(submit(sid, 3, "d1", "The flowchart was useful"))).replies)
    assert "Recorded your comment" in first
    second = text_of(
        (
            await srt.dispatcher.handle(submit(sid, 3, "d1", "Thanks, will use it. My pupil Jane Smith came to mind"))
        ).replies
    )
    assert "Added to your earlier comment" in second and "[details that could identify someone removed]" in second
    assert await stored(srt, "comment") == [
        "The flowchart was useful\n\nThanks, will use it. [details that could identify someone removed]"
    ]
    again = text_of(
        (
            await srt.dispatcher.handle(submit(sid, 3, "d1", "Thanks, will use it. My pupil Jane Smith came to mind"))
        ).replies
    )
    assert "already sent this comment" in again
    assert len((await stored(srt, "comment"))[0]) == len(
        "The flowchart was useful\n\nThanks, will use it. [details that could identify someone removed]"
    )
    # Too long together: said so, and the earlier comment is kept as it was.
    outcome = await srt.dispatcher.handle(submit(sid, 3, "d1", "More to say. " * 75))
    shown = (outcome.form_errors or {}).get("comment", "")
    assert "would be over 1000 characters" in shown and "kept as it was" in shown
    assert await stored(srt, "comment") == [
        "The flowchart was useful\n\nThanks, will use it. [details that could identify someone removed]"
    ]


async def test_a_later_reply_in_the_thread_is_added_to_the_earlier_one(srt: Runtime) -> None:
    session_id, sid = await open_survey(srt, "post-course")
    await answer(srt, f"{sid}.0.4", user="d4")

    def in_thread(words: str) -> Request:
        return Request(
            kind=RequestKind.MESSAGE,
            platform="console",
            user_id="d4",
            channel_id="training",
            thread_id=f"m{session_id}",
            text=words,
        )

    assert "Recorded your comment" in text_of((await srt.dispatcher.handle(in_thread("Really useful"))).replies)
    later = text_of((await srt.dispatcher.handle(in_thread("thanks, see you next time"))).replies)
    assert "Added to your earlier comment" in later
    rows = [(r, q, v) for _s, r, q, v, *_rest in await given_answers(srt)]
    comments = [(r, v) for r, q, v in rows if q == "comment"]
    assert [v for _r, v in comments] == ["Really useful\n\nthanks, see you next time"]
    assert comments[0][0].startswith(store.THREAD_CODE)  # still under the thread's own code
    assert comments[0][0] not in {r for r, q, _v in rows if q != "comment"}


async def test_survey_status_of_a_closed_survey_gives_the_count_it_closed_with(srt: Runtime) -> None:
    session_id, sid = await open_survey(srt, "post-course")
    for user in ("d1", "d2", "d3", "d4"):
        await answer(srt, f"{sid}.0.3", user=user)
    await srt.dispatcher.handle(submit(sid, 3, "d5", "Only a comment from me"))
    assert await surveys.close_survey(srt.ctx, sid)
    survey = await in_tx(srt.ctx.db, store.get_survey, sid)
    assert survey is not None and survey.respondents == 5
    later = srt.ctx.now() + dt.timedelta(days=400)
    async with srt.ctx.db.transaction() as tx:
        assert await store.purge_free_text(tx, older_than=later, now=later) == 1
    shown = await run(srt, "survey", f"status {session_id}")
    assert "**Post-course survey**: 5 of 8 answered, closed" in shown


async def test_a_press_from_someone_not_invited_is_still_refused_on_a_toggle(srt: Runtime) -> None:
    _session, sid = await open_survey(srt, "follow-up")
    outcome = await srt.dispatcher.handle(press(f"{sid}.1.0", user="stranger"))
    assert "not recorded" in text_of(outcome.replies)
    assert await stored(srt, "since") == []


async def stored_comments(rt: Runtime) -> list[str]:
    return [v for _s, _r, q, v, *_rest in await given_answers(rt) if q == "comment"]


async def test_a_thread_reply_over_the_limit_is_refused_whole_not_cut_and_thanked(srt: Runtime) -> None:
    """An outside audit's case: a 1,247-character reply was cut at 1,000 (its last sentence, the
    one that mattered, lost) and the delegate was told it was recorded."""
    session_id, _sid = await open_survey(srt, "post-course")
    long = "The session on neglect changed how I record my concerns and how I talk to the DSL. " * 14
    long += "MOST IMPORTANT: please run the follow-up session on a weekday evening, not Saturdays."
    assert len(long) > surveys.COMMENT_LIMIT
    said = text_of((await srt.dispatcher.handle(thread_reply(session_id, long, user="d4"))).replies)
    assert "Recorded" not in said and "so it was not recorded" in said and "up to 1,000" in said
    assert await stored_comments(srt) == []
    # Exactly at the limit it is recorded whole.
    said = text_of(
        (await srt.dispatcher.handle(thread_reply(session_id, long[-surveys.COMMENT_LIMIT :], user="d4"))).replies
    )
    assert "Recorded your comment" in said
    assert await stored_comments(srt) == [long[-surveys.COMMENT_LIMIT :].strip()]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Great course\u0000 thanks to the trainer", "Great course thanks to the trainer"),
        ("Great course \ud800 thanks to the trainer", "Great course \ufffd thanks to the trainer"),
        ("Great course \ud83d thanks 😀", "Great course \ufffd thanks 😀"),
    ],
)
async def test_a_comment_with_a_nul_or_half_an_emoji_is_saved_not_lost_to_an_error(
    srt: Runtime, typed: str, kept: str
) -> None:
    """A NUL (PostgreSQL refuses it) or a lone surrogate (no database encodes it), both valid JSON
    escapes a client may send, made every try fail with 'something went wrong'."""
    session_id, sid = await open_survey(srt, "post-course")
    said = text_of((await srt.dispatcher.handle(thread_reply(session_id, typed, user="d4"))).replies)
    assert "Recorded your comment" in said and "went wrong" not in said
    assert await stored_comments(srt) == [kept]
    # The comment form and a command with such characters are read the same way.
    assert "Recorded your comment" in text_of((await srt.dispatcher.handle(submit(sid, 3, "d5", typed))).replies)
    assert sorted(await stored_comments(srt)) == sorted([kept, kept])


@pytest.mark.parametrize("first_answer", [False, True])
async def test_an_answer_committing_while_the_survey_closes_is_in_what_the_close_wrote_out(
    srt: Runtime, monkeypatch: pytest.MonkeyPatch, first_answer: bool
) -> None:
    """An outside audit's race on PostgreSQL: a tap whose transaction had not yet committed when
    the close read the sealed rows was confirmed, then lost (a change) or left sealed in a closed
    survey (a first answer). Now the close waits for answers under way, and writes them out."""
    from contextlib import asynccontextmanager

    _session_id, sid = await open_survey(srt, "post-course")
    for person in ("d1", "d2", "d3", "d4", "d5"):
        await answer(srt, f"{sid}.0.0", user=person)
    original = store._locked
    writing = asyncio.Event()

    @asynccontextmanager
    async def slow_to_commit(db):  # type: ignore[no-untyped-def]
        async with original(db) as conn:
            yield conn
            writing.set()
            await asyncio.sleep(0.3)  # the answer is written, not yet committed

    monkeypatch.setattr(store, "_locked", slow_to_commit)
    who = "d6" if first_answer else "d1"
    pressing = asyncio.create_task(answer(srt, f"{sid}.0.4", user=who))
    await writing.wait()
    monkeypatch.setattr(store, "_locked", original)
    assert await surveys.close_survey(srt.ctx, sid)
    said = await pressing
    assert "Recorded" in said or "Changed" in said, said
    async with srt.ctx.db.transaction() as tx:
        survey = await store.get_survey(tx, sid)
        left_sealed = await tx.scalar(select(func.count()).select_from(SealedAnswers))
        written = (await tx.execute(select(SurveyAnswer.respondent, SurveyAnswer.value))).all()
    assert left_sealed == 0
    assert sorted(v for _r, v in written) == ["1"] * (5 if first_answer else 4) + ["5"]
    assert survey is not None and survey.respondents == len({r for r, _v in written})


async def test_answers_given_in_the_clear_before_the_upgrade_are_kept_with_later_ones(srt: Runtime) -> None:
    """An outside review: a survey open across the upgrade to sealed answers had its earlier,
    unsealed answers ignored (a second comment replaced the first; "1 of 3" answered)."""
    _session_id, sid = await open_survey(srt, "post-course")
    code = surveys.pseudonym(srt.ctx.settings.survey_key(), "console", "d1", sid)
    async with srt.ctx.db.transaction() as tx:  # as the code before sealing wrote them
        await tx.execute(
            SurveyAnswer.__table__.insert(),
            [
                {"survey_id": sid, "respondent": code, "question": "recognise", "value": "3",
                 "measure": "confidence_recognising", "score": 3, "positive": False, "free_text": False},
                {"survey_id": sid, "respondent": code, "question": "comment", "value": "The first thought",
                 "measure": None, "score": None, "positive": None, "free_text": True},
            ],
        )  # fmt: skip
    changed = await answer(srt, f"{sid}.0.4", user="d1")
    assert "Changed from" in changed and "You have answered 2 of 3" in changed, changed
    second = submit(sid, 3, "d1", "and a second")
    assert "Added to your earlier comment" in text_of((await srt.dispatcher.handle(second)).replies)
    assert await surveys.close_survey(srt.ctx, sid)
    given = [(q, v) for _s, _r, q, v, *_rest in await given_answers(srt)]
    assert sorted(given) == [("comment", "The first thought\n\nand a second"), ("recognise", "5")]


async def seal_under_an_old_secret(rt: Runtime, survey_id: int, *, user: str) -> None:
    """A person's answer sealed as it was before SURVEY_SECRET changed: no longer opens."""
    from storage.sealed import Answer, Sealer

    old = b"an-old-secret-0123456789"
    code = surveys.pseudonym(old, "console", user, survey_id)
    sealed = Sealer(old).seal(survey_id, code, {"recognise": Answer("1")})
    async with rt.ctx.db.transaction() as tx:
        row = {"survey_id": survey_id, "respondent": code, "sealed": sealed}
        await tx.execute(SealedAnswers.__table__.insert(), row)


async def test_answers_sealed_under_another_secret_do_not_stop_surveys_closing(
    srt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """An outside review: a survey whose sealed rows no longer open (SURVEY_SECRET changed while it
    was open) failed to close every round, and held up every other survey's close."""
    _first, broken = await open_survey(srt, "post-course")
    await answer(srt, f"{broken}.0.4", user="d1")
    await seal_under_an_old_secret(srt, broken, user="d2")
    assert "Recorded" in await answer(srt, f"{broken}.0.1", user="d3")
    assert isinstance(srt.ctx.clock, FrozenClock)
    srt.ctx.clock.advance(dt.timedelta(days=15))
    await surveys.survey_rounds(srt.ctx)
    async with srt.ctx.db.transaction() as tx:
        assert (await store.get_survey(tx, broken)).status == "closed"  # type: ignore[union-attr]
    assert sorted(v for _s, _r, _q, v, *_rest in await given_answers(srt)) == ["2", "5"]
    assert "could not be opened (was SURVEY_SECRET changed?)" in caplog.text


async def test_an_admin_closing_a_survey_whose_answers_were_sealed_under_another_secret_is_told_they_are_lost(
    srt: Runtime,
) -> None:
    """An outside audit: after SURVEY_SECRET changed, /impact showed "5 responded" and no figures,
    and nothing said why; the close now says so, and the audit log keeps it."""
    from storage import audit

    session_id, survey_id = await open_survey(srt, "post-course")
    await answer(srt, f"{survey_id}.0.4", user="d1")
    await seal_under_an_old_secret(srt, survey_id, user="d2")
    said = await run(srt, "survey", f"close {session_id}", user="admin")
    assert said.startswith("Closed the post-course survey")
    assert "the answers of 1 respondent(s) could not be opened" in said and "SURVEY_SECRET" in said
    [closed] = [e for e in await in_tx(srt.ctx.db, audit.entries) if e.action == "survey.closed"]
    assert "could not be opened" in closed.detail
    assert [v for _s, _r, _q, v, *_rest in await given_answers(srt)] == ["5"]


async def test_an_answer_pressed_while_a_close_holds_the_survey_waits_and_is_refused(srt: Runtime) -> None:
    """The other order of the race above: the close has the survey's row when the press comes.
    The answer waits for it (it reads the survey's state and the person's row in one statement on
    both databases now), then says the survey closed; nothing is stored or thanked for."""
    from sqlalchemy import text, update

    from storage.surveys import Survey

    _session_id, sid = await open_survey(srt, "post-course")
    db = srt.ctx.db
    async with db.engine.connect() as closing:
        if db.is_sqlite:
            await closing.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            await closing.execute(text("SELECT id FROM surveys WHERE id = :sid FOR UPDATE"), {"sid": sid})
        await closing.execute(update(Survey).where(Survey.id == sid).values(status="closed"))
        pressing = asyncio.create_task(answer(srt, f"{sid}.0.4", user="d1"))
        await asyncio.sleep(0.5)
        assert not pressing.done()  # waiting for the close
        await closing.commit()
    said = await pressing
    assert "Recorded" not in said and "closed" in said, said
    async with db.transaction() as tx:
        assert await tx.scalar(select(func.count()).select_from(SealedAnswers)) == 0
