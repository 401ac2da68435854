"""Answering a survey: taps saved as given, changes replace, forged and stale values refused with
no row, comments through a form or the thread, and never a thank-you for an answer not saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, text

from bot.dispatch import DB_DOWN
from bot.runtime import Runtime
from core import logs
from core.clock import FrozenClock
from core.model import FormErrors, Reply, Request, RequestKind
from handlers import surveys
from handlers.safety import learned
from storage import surveys as store
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.surveys_support import (
    SECRET,
    answer,
    buttons,
    given_answers,
    outbox_rows,
    press,
    seed_session,
    survey_runtime,
    survey_settings,
    thread_reply,
)

DELEGATES = [f"d{i}" for i in range(1, 9)]


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    """The bot on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    # a minimum group of 1: these tests read what a close writes out for a few delegates
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        yield rt


async def open_post_course(rt: Runtime) -> int:
    session_id = await seed_session(rt, attendees=DELEGATES)
    await surveys.survey_rounds(rt.ctx)
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    return survey.id


def comment_form(sid: int, comment: str, *, user: str = "d1", question: int = 3) -> Request:
    """The survey's comment form (for its question number `question`) sent by `user` from their
    direct messages, as the console sends it."""
    return Request(
        kind=RequestKind.SUBMIT,
        platform="console",
        user_id=user,
        channel_id=f"dm:{user}",
        action_id="survey:comment_save",
        value=f"{sid}.{question}",
        form={"comment": comment},
    )


async def stored(rt: Runtime) -> list[tuple[str, str, str, str | None, int | None, bool | None]]:
    """(respondent, question, value, measure, score, positive) of every answer given, sealed or not."""
    return [(r, q, v, m, sc, p) for _s, r, q, v, m, sc, p, _f in await given_answers(rt)]


async def test_a_tap_is_saved_as_given_and_the_confirmation_shows_it(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    shown = await answer(srt, f"{sid}.0.3", user="d1")
    assert "How confident do you now feel recognising a safeguarding concern?" in shown
    assert "Recorded: _Very (4 of 5)_." in shown
    assert "You have answered 1 of 3 questions" in shown
    rows = await stored(srt)
    assert [(q, v, m, s, p) for _r, q, v, m, s, p in rows] == [("recognise", "4", "confidence_recognising", 4, True)]


async def test_every_question_answered_thanks_only_then(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    first = await answer(srt, f"{sid}.0.4", user="d1")
    second = await answer(srt, f"{sid}.1.2", user="d1")
    third = await answer(srt, f"{sid}.2.1", user="d1")
    assert "thank" not in (first + second).lower()
    assert "Thank you, that's every question" in third and "Recorded: _No_." in third
    rows = await stored(srt)
    assert [(q, v, p) for _r, q, v, _m, _s, p in rows] == [
        ("barriers", "no", True),
        ("evidence", "3", False),
        ("recognise", "5", True),
    ]


async def test_changing_an_answer_replaces_it(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    await answer(srt, f"{sid}.0.3", user="d2")
    shown = await answer(srt, f"{sid}.0.1", user="d2")
    assert "Changed from _Very (4 of 5)_ to _A little (2 of 5)_." in shown
    rows = await stored(srt)
    assert [(q, v, s, p) for _r, q, v, _m, s, p in rows] == [("recognise", "2", 2, False)]


async def test_a_partial_response_counts_as_a_response(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    await answer(srt, f"{sid}.0.0", user="d3")
    assert await in_tx(srt.ctx.db, store.respondents, sid) == 1
    assert await _responded(srt, "d3", sid)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("{sid}.0.5", "scale questions have options 0-4"),
        ("{sid}.2.2", "yes/no has two options"),
        ("{sid}.3.0", "question 3 is free text, not a tap"),
        ("{sid}.9.0", "there is no question 9"),
        ("99999.0.0", "no such survey"),
    ],
)
async def test_forged_values_are_refused_with_a_sentence_and_leave_no_row(srt: Runtime, value: str, why: str) -> None:
    sid = await open_post_course(srt)
    shown = await answer(srt, value.format(sid=sid), user="d1")
    assert "nothing was recorded" in shown, why
    assert "thank" not in shown.lower()
    assert await stored(srt) == []
    assert not await _responded(srt, "d1", sid)


@pytest.mark.parametrize("value", ["1.2", "1.2.3.4", "a.b.c", "1.0.0;drop", ""])
async def test_malformed_values_never_reach_the_handler(srt: Runtime, value: str) -> None:
    await open_post_course(srt)
    shown = await answer(srt, value, user="d1")
    assert "not one I recognise" in shown
    assert await stored(srt) == []


async def _responded(rt: Runtime, user: str, survey_id: int) -> bool:
    """Whether the person counts as having answered: an answer carries their pseudonym (the
    ledger itself no longer records answering)."""
    code = surveys.pseudonym(SECRET.encode(), "console", user, survey_id)
    return any(s == survey_id and r == code for s, r, *_rest in await given_answers(rt))


async def test_answers_after_close_get_a_polite_sentence_and_nothing_is_stored(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    await surveys.close_survey(srt.ctx, sid)
    shown = await answer(srt, f"{sid}.0.4", user="d1")
    assert shown.startswith("This survey closed on ") and "so that answer was not recorded" in shown
    assert await stored(srt) == []
    # "Add a comment" pressed after the close answered nothing (an outside audit: it said "that
    # answer was not recorded")
    opened = text_of((await srt.dispatcher.handle(press(f"{sid}.3", user="d1", action_id="survey:comment"))).replies)
    assert opened.startswith("This survey closed on ") and "so comments can no longer be added" in opened


async def test_someone_not_invited_cannot_answer(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    shown = await answer(srt, f"{sid}.0.4", user="passer-by")
    assert shown == surveys.NOT_INVITED
    assert await stored(srt) == []


async def test_a_redelivered_press_has_no_second_effect(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    first = await srt.dispatcher.handle(press(f"{sid}.0.4", user="d1", delivery_id="slack:evt1"))
    again = await srt.dispatcher.handle(press(f"{sid}.0.4", user="d1", delivery_id="slack:evt1"))
    assert "Recorded" in text_of(first.replies) and again.duplicate
    assert len(await stored(srt)) == 1


async def test_the_survey_message_offers_exactly_the_definitions_answers(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    direct = [r for r in await outbox_rows(srt) if ":dm:console:d1" in r.key]
    assert len(direct) == 1
    shown = buttons(Reply.model_validate(direct[0].payload))
    taps = [(label, value) for label, action_id, value in shown if action_id == "survey:answer"]
    assert taps == [
        *(
            (label, f"{sid}.0.{i}")
            for i, label in enumerate(["Not confident", "A little", "Fairly", "Very", "Extremely"])
        ),
        *(
            (label, f"{sid}.1.{i}")
            for i, label in enumerate(["Not confident", "A little", "Fairly", "Very", "Extremely"])
        ),
        ("Yes", f"{sid}.2.0"),
        ("No", f"{sid}.2.1"),
    ]
    assert ("Add a comment", "survey:comment", f"{sid}.3") in shown
    # Every offered value passes the action's own pattern, so none is refused as malformed.
    for _label, value in taps:
        shown = await answer(srt, value, user="d5")
        assert "Recorded" in shown or "Changed from" in shown


# --- multiple and single choice (the Riverside pack has them) -------------------------------------------


@pytest.fixture
async def riverside(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    pack = Path(__file__).resolve().parent / "packs" / "riverside"
    async with survey_runtime(database_url, tmp_path, clock, content_pack=pack) as rt:
        yield rt


async def test_every_press_of_every_question_is_summed_up_alike_naming_no_choice(riverside: Runtime) -> None:
    # On Teams only the summary is kept in the chat. A confidentiality audit (round four) told
    # apart who had answered the multiple choice by a second wording ("Survey choices updated").
    sid = await open_post_course(riverside)
    summaries = set()
    for value in (f"{sid}.1.0", f"{sid}.1.0", f"{sid}.0.2"):  # a choice ticked, taken away; a scale
        [confirmation] = (await riverside.dispatcher.handle(press(value, user="d1"))).replies
        assert confirmation.transient
        summaries.add(confirmation.summary)
    assert summaries == {"Survey answer recorded"}


async def test_multiple_choice_taps_toggle_options_and_counting_follows_the_pack(riverside: Runtime) -> None:
    sid = await open_post_course(riverside)
    assert "_Talks_" in await answer(riverside, f"{sid}.1.0", user="d1")
    shown = await answer(riverside, f"{sid}.1.2", user="d1")
    assert "your choices are now _Talks, Group work_" in shown
    assert "your choices are now _Group work_" in await answer(riverside, f"{sid}.1.0", user="d1")
    rows = await stored(riverside)
    assert [(q, v) for _r, q, v, *_ in rows] == [("format", "groups")]
    assert "Recorded: nothing is chosen now." in await answer(riverside, f"{sid}.1.2", user="d1")
    assert await stored(riverside) == []
    await answer(riverside, f"{sid}.0.1", user="d1")
    await answer(riverside, f"{sid}.0.2", user="d2")
    rows = await stored(riverside)
    assert sorted((v, m, p) for _r, _q, v, m, _s, p in rows) == [
        ("not-really", "confident", False),
        ("somewhat", "confident", True),
    ]


# --- comments ----------------------------------------------------------------------------------------------


async def test_a_comment_goes_through_a_form_and_is_stored_redacted(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    opened = await srt.dispatcher.handle(press(f"{sid}.3", user="d1", action_id="survey:comment"))
    form = opened.replies[0].form
    assert form is not None and form.action_id == "survey:comment_save" and form.value == f"{sid}.3"
    submit = Request(
        kind=RequestKind.SUBMIT,
        platform="console",
        user_id="d1",
        channel_id="dm:d1",
        action_id=form.action_id,
        value=form.value,
        form={"comment": "Will use GCP2 from Monday. My pupil Jane Smith, DOB 03/04/2019, came to mind."},
    )
    saved = text_of((await srt.dispatcher.handle(submit)).replies)
    assert "Will use GCP2 from Monday. [details that could identify someone removed]" in saved
    assert "I took out 1 sentence that could identify" in saved and "Please don't share details" in saved
    rows = await stored(srt)
    assert len(rows) == 1 and rows[0][1] == "comment"
    assert "Jane" not in rows[0][2] and "2019" not in rows[0][2]


async def test_a_comments_runs_of_spaces_are_closed_up_and_its_lines_kept(srt: Runtime) -> None:
    # Trainer audit (sixteenth session): "Used the   flowchart  twice." reached answers.csv as typed.
    sid = await open_post_course(srt)
    await srt.dispatcher.handle(comment_form(sid, "Used the   flowchart  twice.  \nAnd\tthe\u00a0GCP2 tool. "))
    rows = await stored(srt)
    assert [r[2] for r in rows] == ["Used the flowchart twice.\nAnd the GCP2 tool."]


async def test_a_comment_keeps_no_bidirectional_override_and_summary_md_links_no_address(srt: Runtime) -> None:
    """An outside audit (seventeenth session): answers.csv and .xlsx kept U+202E (a spreadsheet shows
    the text reversed from there), and summary.md left "https://evil.example/login" for any Markdown
    viewer to link."""
    from handlers.surveys.impact import _md

    sid = await open_post_course(srt)
    typed = "\u202eevil\u202c see https://evil.example/login or www.evil.example"
    await srt.dispatcher.handle(comment_form(sid, typed))
    [(_, _, kept, *_rest)] = await stored(srt)
    assert kept == "evil see https://evil.example/login or www.evil.example"
    shown = _md(typed)
    assert "\u202e" not in shown and "https://" not in shown and "www." not in shown


CARAVAN = "Since the course I rang first response about the little girl at the caravan by the river"


def caravan_reader() -> learned.LearnedGuard:
    """A second reader that takes any line about a caravan to identify someone."""
    return learned.from_data({"intercept": -4.0, "threshold": 0.8, "pieces": {"w:caravan": [1.0, 40.0]}})


async def test_a_comment_the_second_reader_flags_is_held_back_until_sent_again_unchanged(
    srt: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in (None, "handlers", "bot", "core"):  # other tests may have configured logging
        caplog.set_level("DEBUG", logger=name)
    monkeypatch.setattr(learned, "reader", caravan_reader)
    sid = await open_post_course(srt)

    def submit(user: str, words: str) -> Request:
        return comment_form(sid, words, user=user)

    handler = srt.ctx.registry.actions["survey:comment_save"].handler
    first = await handler(submit("d1", CARAVAN), srt.ctx)
    # the form stays open with the reason; nothing is stored and nobody is thanked
    assert isinstance(first, FormErrors) and first.errors["comment"] == surveys.HELD_BACK
    assert await stored(srt) == []
    # another delegate sending the same words is asked too: the judgement is each person's own
    other = await handler(submit("d2", CARAVAN), srt.ctx)
    assert isinstance(other, FormErrors)
    # what is remembered of a held-back comment is a keyed digest, never its words
    remembered = list(surveys._state(srt.ctx).held_back)
    assert len(remembered) == 2 and not any("caravan" in key or "river" in key for key in remembered)
    again = await srt.dispatcher.handle(submit("d1", CARAVAN))
    assert "Recorded your comment" in text_of(again.replies)
    assert [(q, v) for _r, q, v, *_ in await stored(srt)] == [("comment", CARAVAN)]
    # nor is it logged, held back or saved, by the bot (the SQL loggers, which carry parameters,
    # are kept at WARNING by core.logs even when LOG_LEVEL asks for DEBUG)
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith(logs.SQL_LOGGERS)]
    assert not any("caravan" in line for line in ours)


async def test_a_thread_reply_the_second_reader_flags_is_not_saved_and_the_person_is_told(
    srt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learned, "reader", caravan_reader)
    sid = await open_post_course(srt)
    session_id = (await in_tx(srt.ctx.db, store.get_survey, sid)).session_id  # type: ignore[union-attr]
    reply = await srt.dispatcher.handle(
        Request(
            kind=RequestKind.MESSAGE,
            platform="console",
            user_id="d3",
            channel_id="training",
            thread_id=f"m{session_id}",
            text=CARAVAN,
        )
    )
    said = text_of(reply.replies)
    assert "I haven't saved this comment" in said and "please delete it" in said
    assert "Recorded" not in said
    assert await stored(srt) == []


async def test_only_someone_who_may_still_answer_has_a_flagged_reply_held_back(
    srt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learned, "reader", caravan_reader)
    sid = await open_post_course(srt)
    session_id = (await in_tx(srt.ctx.db, store.get_survey, sid)).session_id  # type: ignore[union-attr]

    # someone who was not on the course chatting in the thread is left alone, as any chat is
    chat = await srt.dispatcher.handle(thread_reply(session_id, CARAVAN, user="someone-else"))
    assert chat.replies == []
    # after the survey closed a delegate is told it closed, not asked to send the comment again
    await surveys.close_survey(srt.ctx, sid)
    late = await srt.dispatcher.handle(thread_reply(session_id, CARAVAN, user="d5"))
    assert "closed" in text_of(late.replies) and "I haven't saved" not in text_of(late.replies)
    assert await stored(srt) == []


async def test_a_comment_is_shown_back_to_its_writer_as_plain_text(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    typed = "See [the slides](https://evil.example/b) **now** <https://evil.example/c|here>"
    submit = Request(
        kind=RequestKind.SUBMIT,
        platform="console",
        user_id="d1",
        action_id="survey:comment_save",
        value=f"{sid}.3",
        form={"comment": typed},
    )
    shown = text_of((await srt.dispatcher.handle(submit)).replies)
    assert "Recorded your comment" in shown
    assert "](" not in shown and "://" not in shown and "**now**" not in shown and "<https" not in shown
    assert "the slides" in shown and "now" in shown


async def test_an_empty_or_overlong_comment_is_not_stored(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    base = {"platform": "console", "user_id": "d1", "action_id": "survey:comment_save", "value": f"{sid}.3"}
    empty = await srt.dispatcher.handle(Request(kind=RequestKind.SUBMIT, form={"comment": "   "}, **base))
    assert "nothing was recorded" in text_of(empty.replies)
    long = await srt.ctx.registry.actions["survey:comment_save"].handler(
        Request(kind=RequestKind.SUBMIT, form={"comment": "x" * 1001}, **base), srt.ctx
    )
    assert isinstance(long, FormErrors) and "1000 characters" in long.errors["comment"]
    assert await stored(srt) == []


async def test_a_reply_in_the_survey_thread_is_that_delegates_comment(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    session_id = (await in_tx(srt.ctx.db, store.get_survey, sid)).session_id  # type: ignore[union-attr]

    mine = await srt.dispatcher.handle(
        thread_reply(session_id, user="d4", words="Really useful, will share it with the team")
    )
    assert "Recorded your comment" in text_of(mine.replies)
    assert "can be seen by others in the channel" in text_of(mine.replies)
    chat = await srt.dispatcher.handle(
        thread_reply(session_id, user="someone-else", words="Is the room booked for next time?")
    )
    assert chat.replies == []
    rows = await stored(srt)
    assert [(q, v) for _r, q, v, *_ in rows] == [("comment", "Really useful, will share it with the team")]
    await answer(srt, f"{sid}.0.4", user="d1")  # a respondent: a thread reply alone is nobody's
    await surveys.close_survey(srt.ctx, sid)
    late = await srt.dispatcher.handle(thread_reply(session_id, user="d5", words="Sorry I'm late with this"))
    assert "closed" in text_of(late.replies) and "not recorded" in text_of(late.replies)
    assert len(await stored(srt)) == 2


async def test_a_thread_reply_is_kept_apart_from_the_same_persons_button_answers(srt: Runtime) -> None:
    """The channel sees who wrote a reply in the thread: stored under the person's own code, it
    would name their private button answers to anyone who reads the database or answers.csv."""
    sid = await open_post_course(srt)
    session_id = (await in_tx(srt.ctx.db, store.get_survey, sid)).session_id  # type: ignore[union-attr]
    for user in ("d1", "d2", "d3", "d4", "d5"):
        await answer(srt, f"{sid}.0.4", user=user)
    await answer(srt, f"{sid}.2.0", user="d4")  # d4's private "yes, something stops me"
    reply = Request(
        kind=RequestKind.MESSAGE,
        platform="console",
        user_id="d4",
        channel_id="training",
        thread_id=f"m{session_id}",
        text="Really useful, will share it with the team",
    )
    assert "kept apart from your button answers" in text_of((await srt.dispatcher.handle(reply)).replies)
    codes = {q: r for r, q, *_ in await stored(srt) if q in ("comment", "barriers")}
    assert codes["comment"] != codes["barriers"]
    assert codes["comment"] not in {r for r, q, *_ in await stored(srt) if q != "comment"}
    assert await surveys.close_survey(srt.ctx, sid)
    survey = await in_tx(srt.ctx.db, store.get_survey, sid)
    assert survey is not None and survey.respondents == 5  # the reply is a comment, not a sixth person


# --- the database going away -------------------------------------------------------------------------------


async def test_an_answer_whose_commit_fails_is_never_thanked_and_leaves_no_row(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    await answer(srt, f"{sid}.0.0", user="d1")  # warm the survey cache; the commit below is the only failure
    if srt.ctx.db.is_postgres:
        # On PostgreSQL the answer is one statement that commits as it runs, so the commit is
        # made to fail on the server itself: a deferred constraint trigger runs at commit and
        # raises an I/O error there, after the row was written.
        await _fail_commits_on_the_server(srt, True)
        try:
            shown = await answer(srt, f"{sid}.1.4", user="d1")
        finally:
            await _fail_commits_on_the_server(srt, False)
        assert "error id" in shown
    else:
        # On SQLite a tap is one write outside a transaction: the write is the commit, so it is
        # the write that fails, with the error SQLite gives when the disk does.
        def fail_write(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            if statement.lstrip().upper().startswith(("INSERT INTO SURVEY_SEALED", "UPDATE SURVEY_SEALED")):
                raise OSError("disk I/O error")

        event.listen(srt.ctx.db.engine.sync_engine, "before_cursor_execute", fail_write)
        try:
            shown = await answer(srt, f"{sid}.1.4", user="d1")
        finally:
            event.remove(srt.ctx.db.engine.sync_engine, "before_cursor_execute", fail_write)
        assert shown.startswith(DB_DOWN)
    assert "thank" not in shown.lower() and "Recorded" not in shown
    assert [q for _r, q, *_rest in await stored(srt)] == ["recognise"]  # and not the evidence answer


async def _fail_commits_on_the_server(rt: Runtime, on: bool) -> None:
    async with rt.ctx.db.engine.begin() as conn:
        if on:
            await conn.execute(
                text(
                    "CREATE FUNCTION sgbot_test_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'could not write to file' USING ERRCODE = '58030'; END $$"
                )
            )
            await conn.execute(
                text(
                    "CREATE CONSTRAINT TRIGGER sgbot_test_fail_at_commit AFTER INSERT OR UPDATE ON survey_sealed "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sgbot_test_fail_at_commit()"
                )
            )
        else:
            await conn.execute(text("DROP TRIGGER IF EXISTS sgbot_test_fail_at_commit ON survey_sealed"))
            await conn.execute(text("DROP FUNCTION IF EXISTS sgbot_test_fail_at_commit()"))


async def test_with_postgresql_gone_an_answer_is_refused_and_saved_once_it_returns(
    pg_database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    from sqlalchemy.engine import make_url

    from tests.conftest import _clean_postgres
    from tests.tcp_proxy import TcpProxy

    url = make_url(pg_database_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    rt = await Runtime.create(survey_settings(tmp_path, proxied), clock=clock, console_mode=True)
    try:
        await _clean_postgres(rt.ctx.db)
        sid = await open_post_course(rt)
        await proxy.cut()
        shown = await answer(rt, f"{sid}.0.4", user="d1")
        assert shown.startswith(DB_DOWN) and "thank" not in shown.lower()
        await proxy.restore()
        assert await stored(rt) == []
        assert "Recorded" in await answer(rt, f"{sid}.0.4", user="d1")
        assert len(await stored(rt)) == 1
    finally:
        await rt.ctx.db.dispose()
        await proxy.cut()


async def test_the_confirmation_names_the_delegates_progress_not_other_peoples(srt: Runtime) -> None:
    sid = await open_post_course(srt)
    for user in ("d1", "d2", "d3"):
        await answer(srt, f"{sid}.0.4", user=user)
    shown = await answer(srt, f"{sid}.1.4", user="d3")
    assert "You have answered 2 of 3 questions" in shown
    clock = srt.ctx.clock
    assert isinstance(clock, FrozenClock)
    clock.advance(dt.timedelta(days=20))
    await surveys.survey_rounds(srt.ctx)  # closes it (SURVEY_OPEN_DAYS=14): late, on 22 March
    # on the day it was due to close, which its messages gave, not the day the bot caught up
    assert "This survey closed on Monday 16 March, so that answer was not recorded" in await answer(
        srt, f"{sid}.2.0", user="d3"
    )


async def test_saved_answers_are_counted_in_the_metrics_and_refused_ones_are_not(srt: Runtime) -> None:
    from prometheus_client import REGISTRY

    def count() -> float:
        return REGISTRY.get_sample_value("sgbot_survey_answers_total") or 0.0

    sid = await open_post_course(srt)
    before = count()
    await answer(srt, f"{sid}.0.3", user="d1")
    await answer(srt, f"{sid}.0.9", user="d1")  # not an option: refused
    assert count() == before + 1


async def test_answers_given_in_the_clear_before_sealing_join_the_persons_sealed_row(srt: Runtime) -> None:
    # A survey open across the upgrade that sealed answers: d1's earlier answer is a row in the
    # clear. Their next tap takes it into their sealed row and removes the clear one; someone with
    # no such row is not slowed by a read of their own (the check rides with the survey's state).
    sid = await open_post_course(srt)
    code = surveys.pseudonym(srt.ctx.settings.survey_key(), "console", "d1", sid)
    async with srt.ctx.db.transaction() as tx:
        tx.add(
            store.SurveyAnswer(
                survey_id=sid, respondent=code, question="evidence", value="3", measure="confidence_evidencing",
                score=3, positive=False, free_text=False,
            )
        )  # fmt: skip
    assert "You have answered 2 of 3 questions" in await answer(srt, f"{sid}.0.4", user="d1")
    assert "You have answered 1 of 3 questions" in await answer(srt, f"{sid}.0.4", user="d2")
    async with srt.ctx.db.transaction() as tx:
        clear = (await tx.execute(text("SELECT count(*) FROM survey_answers"))).scalar_one()
    assert clear == 0
    assert sorted((q, v) for r, q, v, _m, _s, _p in await stored(srt) if r == code) == [
        ("evidence", "3"),
        ("recognise", "5"),
    ]
