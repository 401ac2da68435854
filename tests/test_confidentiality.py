"""Survey answers cannot be linked to people: attacks from inside.

Each test runs a post-course survey with 40 delegates through the real dispatcher and survey
handlers (delivery ids shaped as the Slack adapter makes them), then takes the access a reader
of the database, the log or the report files would have, and tries to tie an answer to a
person or to the moment it was given. Every attack here worked on the code before the
confidentiality fixes (PostgreSQL's xmin join linked everyone; the delivery table named who
pressed which answer; rows sat in press order; DEBUG logs carried reply bodies; answers.csv
codes were the pseudonym's first 12 characters; the database file was 0644).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import random
import re
import stat
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlalchemy import text

from bot.adapters.slack import render as slack_render
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.logs import PAYLOAD_LOGGERS, SQL_LOGGERS, setup_logging
from core.model import Request, RequestKind
from handlers import surveys
from handlers.surveys.cli import write_answers_export, write_impact_report
from storage import surveys as store
from storage import teams as teams_store
from storage.teams import PERSONAL, ConversationRef
from tests import discord_payloads as discord
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.surveys_support import SECRET, answer, close_surveys, outbox_rows, seed_session, survey_runtime

# Distinctive Slack-style user ids, so a scan cannot miss them or match them by accident.
PEOPLE = [f"U9CONF{i:03d}Z" for i in range(40)]
COMMENT = "The case study about the missed appointments changed how I read referrals"
TAP_QUESTIONS = ((0, 5), (1, 5), (2, 2))  # (question index, options) of the pack's post-course taps


@dataclass
class SurveyRun:
    rt: Runtime
    survey_id: int
    session_id: int
    press_order: list[str]  # who pressed first, second, ... (what a platform's own records show)
    chosen: dict[str, tuple[int, ...]] = field(default_factory=dict)  # person -> option per tap
    replies: list[str] = field(default_factory=list)  # every confirmation the handlers gave
    commenters: list[str] = field(default_factory=list)

    def code(self, person: str) -> str:
        return surveys.pseudonym(SECRET.encode(), "slack", person, self.survey_id)


def slack_delivery_id(trigger: str, action_id: str, user: str) -> str:
    # As bot/adapters/slack/adapter.py builds it for a block_actions payload: the trigger_id, the Slack
    # action_id (survey buttons carry "survey:answer#<option>", see slack.render) and the user.
    # Payload fields from https://api.slack.com/reference/interaction-payloads/block-actions
    return f"slack:action:{trigger}:{action_id}:{user}"


async def run_survey(rt: Runtime, *, seed: int = 20261203) -> SurveyRun:
    """40 delegates, in a shuffled order, each press three answers; every fourth adds a comment."""
    session_id = await seed_session(rt, attendees=PEOPLE, platform="slack", announced_in=None)
    await surveys.survey_rounds(rt.ctx)
    survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    rng = random.Random(seed)
    order = PEOPLE[:]
    rng.shuffle(order)
    run = SurveyRun(rt, survey.id, session_id, order)
    for n, person in enumerate(order):
        options = tuple(rng.randrange(count) for _q, count in TAP_QUESTIONS)
        run.chosen[person] = options
        for (q, _count), o in zip(TAP_QUESTIONS, options, strict=True):
            trigger = f"{7000000000 + n * 3 + q}.1234567890.{rng.getrandbits(64):016x}"
            request = Request(
                kind=RequestKind.ACTION,
                platform="slack",
                user_id=person,
                channel_id=f"D{person}",
                is_direct=True,
                action_id="survey:answer",
                value=f"{survey.id}.{q}.{o}",
                delivery_id=slack_delivery_id(trigger, f"survey:answer#{o}", person),
            )
            shown = text_of((await rt.dispatcher.handle(request)).replies)
            assert "Recorded" in shown or "Changed" in shown, shown
            run.replies.append(shown)
        if n % 4 == 0:
            submit = Request(
                kind=RequestKind.SUBMIT,
                platform="slack",
                user_id=person,
                channel_id=f"D{person}",
                action_id="survey:comment_save",
                value=f"{survey.id}.3",
                form={"comment": COMMENT},
                delivery_id=f"slack:view:V{n:08d}:{7100000000 + n}.1234567890.abcdef",
            )
            shown = text_of((await rt.dispatcher.handle(submit)).replies)
            assert "Recorded your comment" in shown, shown
            run.replies.append(shown)
            run.commenters.append(person)
    return run


@pytest.fixture
async def srt(database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        yield rt


async def rows(rt: Runtime, sql: str) -> list[tuple[object, ...]]:
    async with rt.ctx.db.engine.connect() as conn:
        return [tuple(r) for r in (await conn.execute(text(sql))).all()]


# --- 1. system columns: PostgreSQL's xmin and ctid, SQLite's rowid ----------------------------------


async def test_no_system_column_joins_the_ledger_to_an_answer(srt: Runtime) -> None:
    run = await run_survey(srt)
    if srt.ctx.db.is_postgres:
        # The published attack: answer and ledger mark written by one transaction share an xmin.
        joined = await rows(
            srt,
            "SELECT c.user_id, a.question, a.value FROM survey_answers a JOIN survey_completion c ON c.xmin = a.xmin",
        )
        assert joined == []
        # Consecutive transaction ids: a ledger row touched just before or after an answer would
        # single its writer out. Every ledger row shares one xmin, so none is singled out.
        near = await rows(
            srt,
            "SELECT a.respondent, c.user_id FROM survey_answers a JOIN survey_completion c "
            "ON abs(c.xmin::text::bigint - a.xmin::text::bigint) <= 3",
        )
        per_answer = Counter(r[0] for r in near)
        assert not [who for who, n in per_answer.items() if n < len(PEOPLE)]
        assert len({r[0] for r in await rows(srt, "SELECT xmin::text FROM survey_completion")}) == 1
    else:
        # SQLite's system column: an answers table with a rowid numbers answers in press order.
        with pytest.raises(Exception, match="rowid"):
            await rows(srt, "SELECT a.rowid, a.respondent FROM survey_answers a")
    # The ledger carries nothing about answering at all, on either database.
    columns = await rows(srt, "SELECT * FROM survey_completion")
    assert {len(r) for r in columns} == {3}
    assert sorted(r[2] for r in columns) == sorted(PEOPLE)
    assert await in_tx(srt.ctx.db, store.respondents, run.survey_id) == len(PEOPLE)


async def _committed_marks(srt: Runtime, table: str, people: list[str]) -> dict[str, bool]:
    """Each live row's "committed" hint bit, read straight off the data pages with pageinspect (a
    SELECT on the table would set every row's itself), by the person whose id the row holds."""
    pages = (await rows(srt, f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int"))[0][0]
    marks: dict[str, bool] = {}
    for page in range(int(str(pages))):
        for infomask, xmax, data in await rows(
            srt,
            f"SELECT t_infomask, t_xmax::text, t_data FROM heap_page_items(get_raw_page('{table}', {page})) "
            "WHERE lp_flags = 1",
        ):
            person = next((p for p in people if p.encode() in bytes(data)), None)  # type: ignore[arg-type]
            if person is not None and str(xmax) == "0":
                marks[person] = bool(int(str(infomask)) & 0x0100)  # HEAP_XMIN_COMMITTED
    return marks


@pytest.mark.parametrize("platform", ["console", "teams"])
async def test_no_data_page_says_who_has_answered(srt: Runtime, platform: str) -> None:
    """An outside audit and a review (seventeenth session): on PostgreSQL a row is marked committed
    on its data page the first time it is read, and a person's own answer was the first to read
    their ledger row (and, on a Teams replica that had not cached their chat, their chat's row), so
    pageinspect or a copy of the data files showed who had answered while the survey was open.
    Every such row is read just after the invitations go, and in every survey round."""
    if not srt.ctx.db.is_postgres:
        pytest.skip("hint bits on data pages are PostgreSQL's; SQLite keeps none")
    try:
        async with srt.ctx.db.engine.begin() as conn:
            await conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
    except Exception as exc:  # noqa: BLE001 - a server without the contrib modules
        pytest.skip(f"pageinspect is not available on this PostgreSQL server: {exc}")
    people = [f"29:1{p}" for p in PEOPLE[:12]] if platform == "teams" else PEOPLE[:12]
    if platform == "teams":  # each person's chat with the bot, stored when they added it
        for person in people:
            ref = ConversationRef(f"a:personal-{person}", "https://smba.trafficmanager.net/teams/", "28:bot",
                                  PERSONAL, "tenant", person)  # fmt: skip
            async with srt.ctx.db.transaction() as tx:
                await teams_store.remember(tx, ref, now=srt.ctx.now())
    session_id = await seed_session(srt, attendees=people, platform=platform, announced_in=None)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    for person in people[3:6]:  # three of twelve answer
        if platform == "teams":  # the press reaches a replica that has not cached the chat
            async with srt.ctx.db.transaction() as tx:
                await teams_store.find(tx, f"a:personal-{person}")
        else:
            assert "Recorded" in await answer(srt, f"{survey.id}.0.1", user=person)
    for table in ["survey_completion"] + (["teams_conversations"] if platform == "teams" else []):
        marks = await _committed_marks(srt, table, people)
        assert sorted(marks) == sorted(people), table
        assert set(marks.values()) == {True}, table  # all alike: none singled out by having answered


async def test_the_reminder_goes_to_everyone_invited_so_no_chat_says_who_had_answered(
    database_url: str, tmp_path: Path, clock: FrozenClock
) -> None:
    async with survey_runtime(database_url, tmp_path, clock) as rt:
        session_id = await seed_session(rt, attendees=PEOPLE[:6], platform="slack", announced_in=None)
        await surveys.survey_rounds(rt.ctx)
        survey = await in_tx(rt.ctx.db, store.survey_for, session_id, "post-course")
        assert survey is not None
        for person in PEOPLE[:2]:
            press = Request(
                kind=RequestKind.ACTION,
                platform="slack",
                user_id=person,
                action_id="survey:answer",
                value=f"{survey.id}.0.4",
            )
            assert "Recorded" in text_of((await rt.dispatcher.handle(press)).replies)
        clock.advance(dt.timedelta(days=surveys.survey_settings(rt.ctx).survey_reminder_days, minutes=1))
        await surveys.survey_rounds(rt.ctx)
        reminded = await rows(rt, "SELECT key FROM outbox WHERE key LIKE '%:reminder:%' ORDER BY key")
    # an outside audit (round four): reminders only to those who had not answered stayed in their
    # direct messages, where a workspace admin read who had answered
    assert [r[0] for r in reminded] == [f"survey:{survey.id}:reminder:slack:{p}" for p in sorted(PEOPLE[:6])]


# --- 2. the delivery de-duplication table --------------------------------------------------------------


async def test_the_delivery_table_names_no_person_no_button_and_no_press_time(srt: Runtime) -> None:
    run = await run_survey(srt)
    seen = await rows(srt, "SELECT key, expires_at FROM seen_deliveries")
    assert len(seen) == len(PEOPLE) * 3 + len(run.commenters)
    cells = " ".join(str(c) for r in seen for c in r)
    assert not [p for p in PEOPLE if p in cells]
    assert "survey" not in cells and "#" not in cells
    assert all(re.fullmatch(r"[0-9a-f]{64}", str(key)) for key, _ in seen)
    # Without the survey secret the hashes cannot even be checked against a guess.
    unkeyed = {
        hashlib.sha256(slack_delivery_id("t", f"survey:answer#{o}", p).encode()).hexdigest()
        for p in PEOPLE
        for o in range(5)
    }
    assert not unkeyed & {str(key) for key, _ in seen}
    # Expiry is a whole day, not the moment of the press.
    for _key, expires in seen:
        when = expires if isinstance(expires, dt.datetime) else dt.datetime.fromisoformat(str(expires))
        assert (when.hour, when.minute, when.second, when.microsecond) == (0, 0, 0, 0), when


async def test_a_repeated_delivery_is_still_refused_and_expired_ids_are_purged_by_housekeeping(
    srt: Runtime,
) -> None:
    run = await run_survey(srt)
    again = Request(
        kind=RequestKind.ACTION,
        platform="slack",
        user_id=run.press_order[0],
        action_id="survey:answer",
        value=f"{run.survey_id}.0.0",
        delivery_id=slack_delivery_id("7000000000.1234567890.0000000000000000", "survey:answer#0", PEOPLE[0]),
    )
    assert not (await srt.dispatcher.handle(again)).duplicate
    assert (await srt.dispatcher.handle(again)).duplicate
    assert isinstance(srt.ctx.clock, FrozenClock)
    srt.ctx.clock.advance(dt.timedelta(days=3, hours=1))
    await srt.tick()  # every job once, as the console does: housekeeping among them
    assert await rows(srt, "SELECT key FROM seen_deliveries") == []


# --- 3. row order -------------------------------------------------------------------------------------


def links_by_order(order_of_codes: list[str], run: SurveyRun) -> int:
    """The attack: the k-th person to press (known from the platform's records) is taken to be
    the k-th respondent in storage order. How many of those guesses are right."""
    return sum(1 for person, code in zip(run.press_order, order_of_codes, strict=False) if run.code(person) == code)


def first_appearances(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


async def fresh_answer_table(rt: Runtime) -> None:
    """PostgreSQL: give survey_answers new files. Tests clear tables with DELETE, and the space an
    earlier test's rows left is reused wherever it lies, so ctid would show where free space was,
    not the order rows were written in, which is what these tests read."""
    if rt.ctx.db.is_postgres:
        async with rt.ctx.db.engine.begin() as conn:
            await conn.execute(text("TRUNCATE survey_answers"))


async def test_a_closed_survey_keeps_its_answers_in_pseudonym_order(srt: Runtime) -> None:
    await fresh_answer_table(srt)
    run = await run_survey(srt)
    assert await surveys.close_survey(srt.ctx, run.survey_id)
    if srt.ctx.db.is_postgres:
        placed = await rows(srt, "SELECT (ctid::text::point)[0]::int, respondent FROM survey_answers ORDER BY ctid")
        physical = [str(code) for _page, code in placed]
        assert len(await rows(srt, "SELECT DISTINCT xmin::text FROM survey_answers")) == 1
        # Rows are written in pseudonym order, each into the first page with room for it: a
        # small row can fill the gap a larger one left at the end of an earlier page (the free
        # space map), so the order holds within each page. Where a row lands depends on the
        # rows' sizes and codes only, never on when anyone answered.
        pages: dict[int, list[str]] = defaultdict(list)
        for page, code in placed:
            pages[int(page)].append(str(code))
        for codes in pages.values():
            assert codes == sorted(codes)
    else:
        # The table's own b-tree, the order rows are kept in (value is in no index, so no index is read).
        physical = [str(r[0]) for r in await rows(srt, "SELECT respondent, value FROM survey_answers")]
        assert first_appearances(physical) == sorted(first_appearances(physical))
    assert links_by_order(first_appearances(physical), run) < len(PEOPLE) // 2


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def _column(record: bytes, wanted: int) -> bytes:
    """One column of a SQLite record (its raw bytes): only what this test needs to read."""
    header_size, at = _varint(record, 0)
    sizes = []
    while at < header_size:
        serial, at = _varint(record, at)
        sizes.append({0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}.get(serial, (serial - 12) // 2))
    start = header_size + sum(sizes[:wanted])
    return record[start : start + sizes[wanted]]


def written_order(database: Path, name: str, column: int) -> list[list[str]]:
    """For each leaf page of a SQLite b-tree (a WITHOUT ROWID table or an index), the given
    column (the respondent's code) of its cells in the order they sit on the page, from its end
    down: SQLite writes each new cell just below the one before, so this is the order they were
    written in. An outside audit read from it the order people answered in, on a copy of the file
    (as a nightly backup is)."""
    import sqlite3

    with sqlite3.connect(database) as conn:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    data = database.read_bytes()
    size = int.from_bytes(data[16:18], "big") or 65536
    pages: list[list[str]] = []
    pending = [root]
    while pending:
        number = pending.pop()
        page = data[(number - 1) * size : number * size]
        head = 100 if number == 1 else 0
        kind, cells = page[head], int.from_bytes(page[head + 3 : head + 5], "big")
        header = 8 if kind == 0x0A else 12
        offsets = [int.from_bytes(page[head + header + 2 * i : head + header + 2 * i + 2], "big") for i in range(cells)]
        if kind != 0x0A:  # an interior page: its children, and the right-most one
            pending += [int.from_bytes(page[o : o + 4], "big") for o in offsets]
            pending.append(int.from_bytes(page[head + 8 : head + 12], "big"))
            continue
        codes = []
        for offset in sorted(offsets, reverse=True):
            length, at = _varint(page, offset)
            codes.append(_column(page[at : at + length], column).decode())
        pages.append(codes)
    return pages


async def test_no_copy_of_the_sqlite_file_says_in_which_order_people_answered(
    srt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit's attack, on a copy of the file after the survey closed: on each page, the
    person whose cells were written earlier is taken to have pressed earlier. Open, the answers
    were sealed (a row's place says when its code last pressed, never what); closed, they were
    all written at once, in the order of new random codes, so the attack does no better than a
    coin: about half of the pairs of people come out in the order they pressed (it was all of
    them). The test alone learns which new code is whose, to score the attack."""
    if srt.ctx.db.is_postgres:
        pytest.skip("SQLite's file format; PostgreSQL: the test above")
    from storage import sealed

    renamed: dict[str, str] = {}
    original = sealed.new_code

    def recorded(old: str, thread_code: str) -> str:
        renamed[old] = original(old, thread_code)
        return renamed[old]

    monkeypatch.setattr(sealed, "new_code", recorded)
    run = await run_survey(srt)
    assert await surveys.close_survey(srt.ctx, run.survey_id)
    await surveys.survey_rounds(srt.ctx)  # the minute's job empties the write-ahead log into the file
    person_of = {renamed[run.code(person)]: person for person in run.press_order}
    pressed = {person: n for n, person in enumerate(run.press_order)}
    database = Path(str(srt.ctx.db.url.database))
    # A coin gives half; the limits are four or more standard deviations above that (a page holds
    # the cells of about eight people of the table, of far more in the index).
    for name, column, limit in (("survey_answers", 1, 0.85), ("ix_survey_answers_measures", 4, 0.7)):
        pages = written_order(database, name, column)
        assert sum(len(p) for p in pages) >= len(PEOPLE) * 3, name
        agree = pairs = 0
        for codes in pages:
            people = [pressed[person_of[c]] for c in first_appearances(codes) if c in person_of]
            for i, earlier in enumerate(people):
                for later in people[i + 1 :]:
                    pairs += 1
                    agree += earlier < later
        assert pairs > 80, (name, pairs)
        assert agree / pairs < limit, (name, agree, pairs)


async def test_the_write_ahead_log_keeps_no_answer_and_no_order_after_the_survey_job(srt: Runtime) -> None:
    """SQLite's write-ahead log holds a page for every write in the order they came: read frame
    by frame, it gave the order of every respondent. The answers in it are sealed (no value can be
    read), and the survey job (every minute) empties it."""
    if srt.ctx.db.is_postgres:
        pytest.skip("PostgreSQL: the answers are sealed until the survey closes (the tests above)")
    run = await run_survey(srt)
    wal = Path(f"{srt.ctx.db.url.database}-wal")
    codes = [str(r[0]).encode() for r in await rows(srt, "SELECT respondent FROM survey_sealed")]
    assert sum(code in wal.read_bytes() for code in codes) == len(PEOPLE)  # the codes, before the job
    assert COMMENT.encode() not in wal.read_bytes() and b"confidence_recognising" not in wal.read_bytes()
    await surveys.survey_rounds(srt.ctx)
    assert wal.stat().st_size == 0
    assert run.survey_id


async def test_closing_a_survey_deletes_its_reminders(srt: Runtime) -> None:
    session_id = await seed_session(srt, attendees=["r1", "r2", "r3"], announced_in=None)
    await surveys.survey_rounds(srt.ctx)
    survey = await in_tx(srt.ctx.db, store.survey_for, session_id, "post-course")
    assert survey is not None
    await answer(srt, f"{survey.id}.0.3", user="r1")
    assert isinstance(srt.ctx.clock, FrozenClock)
    srt.ctx.clock.advance(dt.timedelta(days=3, minutes=1))
    await surveys.survey_rounds(srt.ctx)
    reminders = await outbox_rows(srt, f"survey:{survey.id}:reminder:")
    assert sorted(r.key.rsplit(":", 1)[1] for r in reminders) == ["r1", "r2", "r3"]  # r1 had answered
    assert await surveys.close_survey(srt.ctx, survey.id)
    assert await outbox_rows(srt, f"survey:{survey.id}:reminder:") == []


# --- 4. logs at DEBUG ----------------------------------------------------------------------------------


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in (*PAYLOAD_LOGGERS, *SQL_LOGGERS, "discord.gateway")}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


async def _send_through_response_url(replies: list[str], url: str) -> None:
    """The replies as the Slack adapter answers a button press: through the press's response_url,
    with the real slack_sdk webhook client (which logs the body it sends at DEBUG)."""
    client = AsyncWebhookClient(url)
    for shown in replies:
        reply = slack_render_reply(shown)
        await client.send(text=shown, blocks=slack_render.blocks(reply), replace_original=False)


def slack_render_reply(shown: str):  # type: ignore[no-untyped-def]
    from core.model import reply

    return reply(shown)


def _discord_events(run: SurveyRun) -> list[dict[str, object]]:
    """Gateway events as discord.py receives them (shapes in tests/discord_payloads.py, from
    Discord's docs): survey button presses, a comment form and a reply in the survey's thread."""
    events: list[dict[str, object]] = []
    posted = discord.message({"content": "survey"}, message_id=discord.new_id(), channel_id=discord.CHANNEL_ID)
    for n, person in enumerate(run.press_order[:5]):
        o = run.chosen[person][0]
        press = discord.button_press(posted, f"survey:answer|{run.survey_id}.0.{o}", user_id=10_000 + n)
        events.append({"op": 0, "t": "INTERACTION_CREATE", "s": n, "d": press})
    form = discord.modal_submit(f"survey:comment_save|{run.survey_id}.3", {"comment": COMMENT}, user_id=10_000)
    events.append({"op": 0, "t": "INTERACTION_CREATE", "s": 9, "d": form})
    reply_in_thread = discord.user_message(COMMENT, channel_id=discord.CHANNEL_ID, author_id=10_001)
    events.append({"op": 0, "t": "MESSAGE_CREATE", "s": 10, "d": reply_in_thread})
    return events


@pytest.mark.parametrize("payloads", [False, True], ids=["LOG_PAYLOADS unset", "LOG_PAYLOADS set"])
async def test_debug_logs_hold_no_answer_and_no_typed_text(srt: Runtime, payloads: bool, restore_logging: None) -> None:
    stream = io.StringIO()
    setup_logging("DEBUG", srt.ctx.settings.secret_values(), stream=stream, payloads=payloads)
    run = await run_survey(srt)

    app = web.Application()

    async def ok(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_post("/actions/T1/1/x", ok)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await _send_through_response_url(run.replies[:8], f"http://127.0.0.1:{port}/actions/T1/1/x")
    finally:
        await runner.cleanup()
    gateway = logging.getLogger("discord.gateway")
    for event in _discord_events(run):
        # discord.py's own line for every event it receives (discord/gateway.py, received_message).
        gateway.debug("For Shard ID %s: WebSocket Event: %s", None, event)
    output = stream.getvalue()

    assert "Recorded" not in output and "Changed from" not in output
    assert COMMENT not in output and "missed appointments" not in output
    assert "survey:answer" not in output and "survey:comment" not in output
    labels = {"Not confident", "A little", "Fairly", "Very", "Extremely"}  # the pack's scale labels
    for line in output.splitlines():
        people = [p for p in PEOPLE if p in line] + [str(10_000 + n) for n in range(5) if str(10_000 + n) in line]
        if people:
            assert not [label for label in labels if label in line], line
    if payloads:
        # Payload logging does log bodies, with typed text and message bodies masked.
        assert "Sending a request" in output and "[masked]" in output
        assert "[a survey interaction was withheld from the log]" in output
    else:
        assert "Sending a request" not in output and "WebSocket Event" not in output


# --- 5. answers.csv codes ------------------------------------------------------------------------------


async def _export(srt: Runtime, out: Path) -> list[dict[str, str]]:
    day = srt.ctx.now().date()
    await write_answers_export(
        srt.ctx.settings, first=day - dt.timedelta(days=1), last=day + dt.timedelta(days=1), out=out
    )
    with (out / "answers.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _answers_by_code(exported: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in exported:
        found.setdefault(row["respondent"], {})[row["question"]] = row["value"]
    return found


async def test_export_codes_are_numbered_afresh_and_match_no_pseudonym(srt: Runtime, tmp_path: Path) -> None:
    run = await run_survey(srt)
    await close_surveys(srt)  # the export holds a survey's answers once it has closed
    first = await _export(srt, tmp_path / "first")
    second = await _export(srt, tmp_path / "second")
    assert len(first) == len(PEOPLE) * 3 + len(run.commenters)
    # The attack: with the survey key and the attendance list, compute each person's pseudonym
    # and look for it (or its start, as answers.csv used to print) among the codes.
    stored = {run.code(p) for p in PEOPLE}
    printed = {r["respondent"] for r in first + second}
    assert not [c for c in printed if not c.isdigit() or any(s.startswith(c) for s in stored if len(c) >= 6)]
    assert not [s for s in stored if s[:12] in printed]
    for exported in (first, second):
        codes = first_appearances([r["respondent"] for r in exported])
        # Each comment is under a number of its own, never beside its writer's taps.
        assert sorted(codes, key=int) == [str(n) for n in range(1, len(PEOPLE) + len(run.commenters) + 1)]
        assert codes == sorted(codes, key=int)  # rows come in number order, so row order is random too
        by_code = _answers_by_code(exported)
        assert not [c for c, given in by_code.items() if "comment" in given and len(given) > 1]
    # The same respondent gets a different number in the next export: numbers link nothing across files.
    by_answers_first = {json.dumps(v, sort_keys=True): k for k, v in _answers_by_code(first).items()}
    by_answers_second = {json.dumps(v, sort_keys=True): k for k, v in _answers_by_code(second).items()}
    same = [a for a in by_answers_first if by_answers_second.get(a) == by_answers_first[a]]
    assert len(same) < len(PEOPLE) // 2
    # And the row order of the file is not the press order either.
    assert links_by_answers(first, run) < len(PEOPLE) // 2
    notes = (tmp_path / "first" / "answers.md").read_text()
    assert "afresh for each" in notes and "random order" in notes


def links_by_answers(exported: list[dict[str, str]], run: SurveyRun) -> int:
    """The press-order attack on the file: the k-th respondent in the file is taken to be the k-th
    person to press; a guess is right when that person's answers are that respondent's."""
    by_code = _answers_by_code(exported)
    order = first_appearances([r["respondent"] for r in exported])
    right = 0
    for person, code in zip(run.press_order, order, strict=False):
        chosen = run.chosen[person]
        given = by_code[code]
        if [given.get("recognise"), given.get("evidence"), given.get("barriers")] == [
            str(chosen[0] + 1),
            str(chosen[1] + 1),
            ("yes", "no")[chosen[2]],
        ]:
            right += 1
    return right


# --- 6. file modes -------------------------------------------------------------------------------------


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual 022 umask, under which files would be world-readable unless created otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_data_files_and_reports_are_owner_only(
    database_url: str, tmp_path: Path, clock: FrozenClock, loose_umask: None
) -> None:
    async with survey_runtime(database_url, tmp_path, clock, report_min_group=1) as rt:
        await run_survey(rt)
        if rt.ctx.db.is_sqlite:
            database = Path(str(rt.ctx.db.url.database))
            found = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(p.exists() for p in found)
            assert {p.name: mode(p) for p in found} == {p.name: 0o600 for p in found}
        out = tmp_path / "report"
        await _export(rt, out)
        assert mode(out) == 0o700
        assert {p.name: mode(p) for p in out.iterdir()} == {p.name: 0o600 for p in out.iterdir()}
    # A console-only install generates its survey key beside the database: owner only as well.
    console = Settings(_env_file=None, data_dir=tmp_path / "console-data")  # type: ignore[call-arg]
    console.survey_key()
    assert mode(tmp_path / "console-data") == 0o700
    assert mode(tmp_path / "console-data" / "survey.key") == 0o600


async def test_an_existing_world_readable_database_is_made_owner_only(tmp_path: Path, loose_umask: None) -> None:
    from storage.db import Database

    database = tmp_path / "old.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").write_bytes(b"")
        Path(f"{database}{suffix}").chmod(0o644)
    db = Database(f"sqlite:///{database}")
    try:
        assert [mode(Path(f"{database}{s}")) for s in ("", "-wal", "-shm")] == [0o600, 0o600, 0o600]
    finally:
        await db.dispose()


# --- 7. every CSV the report writes is inert in a spreadsheet -------------------------------------


async def test_training_activity_csv_never_holds_a_live_formula(srt: Runtime, tmp_path: Path) -> None:
    await seed_session(srt, attendees=PEOPLE[:3], title='=HYPERLINK("http://127.0.0.1/x","Open")', course="evil")
    await seed_session(srt, attendees=PEOPLE[:3], title="+44 safeguarding basics", course="plus")
    out = tmp_path / "report"
    day = srt.ctx.now().date()
    await write_impact_report(
        srt.ctx.settings, first=day - dt.timedelta(days=1), last=day + dt.timedelta(days=1), out=out
    )
    with (out / "training_activity.csv").open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert '\'=HYPERLINK("http://127.0.0.1/x","Open")' in cells
    assert "'+44 safeguarding basics" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


async def test_training_activity_csv_holds_no_formula_where_excel_splits_at_semicolons(
    srt: Runtime, tmp_path: Path
) -> None:
    """A title "Basics;=HYPERLINK(...)" read by an Excel set to split at semicolons: a space after
    the semicolon keeps it text."""
    await seed_session(srt, attendees=PEOPLE[:3], title='Basics;=HYPERLINK("http://127.0.0.1/x","Open")', course="evil")
    out = tmp_path / "report"
    day = srt.ctx.now().date()
    await write_impact_report(
        srt.ctx.settings, first=day - dt.timedelta(days=1), last=day + dt.timedelta(days=1), out=out
    )
    with (out / "training_activity.csv").open(newline="", encoding="utf-8") as handle:
        as_semicolon_excel = [cell for row in csv.reader(handle, delimiter=";") for cell in row]
    assert not [c for c in as_semicolon_excel if c[:1] in ("=", "+", "-", "@")]
    with (out / "training_activity.csv").open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert 'Basics; =HYPERLINK("http://127.0.0.1/x","Open")' in cells
