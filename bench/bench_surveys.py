"""Impact surveys: answer ingestion under load, and the yearly report over a million answers.

1. Ingestion. 200 delegates press their three answers at once, each press going through the
   dispatcher (delivery de-duplication, role and value checks) into the survey handler (the
   definition check, the pseudonym, a transaction that locks the person's sealed row, checks
   the survey is open and the person invited, opens the row, adds the answer and seals it again:
   storage/sealed.py; the ledger is not written). On SQLite the answers waiting when the write
   lock comes free share one transaction (storage/group_commit.py), each confirmed after its
   commit. With delivery ids, the dispatcher's de-duplication (a keyed hash of the id, written
   with the other presses that arrive at the same moment) comes first. Baseline, in the same run: a bare
   SQLAlchemy insert of exactly the same answer rows, one transaction per row, 200 at once.
   Afterwards the stored answers are compared with what was pressed: none lost, none doubled.
2. Report. `sgbot report impact` for a year with 10,000 sessions and 1,000,000 answers: the
   aggregates in SQL, the charts, the summary and the training activity table. Then `sgbot report
   answers` for the same year: every answer in answers.csv and answers.xlsx.
   Timed in-process (the command's own work, best of two) and as the whole command in a fresh process
   (interpreter, imports, pack validation and migrations check included; with Python's
   bytecode cache as an installed sgbot has it, and for information without it, as this
   machine's environment asks); the counting alone is timed too. Baseline: one bare SQL pass
   over the answers table.

Runs on a SQLite file, and on PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set
(a private database is created and dropped). BENCH_SURVEYS=ingestion or BENCH_SURVEYS=report runs
only that part.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, text

from bench import Figure, private_postgres
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.config import Settings
from core.model import Request, RequestKind
from handlers import surveys
from handlers.surveys import impact
from storage import surveys as store
from storage.models import SeenDelivery
from storage.sealed import SealedAnswers, sealer
from storage.surveys import Survey, SurveyAnswer
from storage.training import Attendance, TrainingSession

DELEGATES = 200
ROUNDS = 5
SESSIONS = 10_000
POST_RESPONDENTS, FOLLOW_RESPONDENTS, INVITED = 20, 10, 25
ANSWERS_PER_SESSION = POST_RESPONDENTS * 3 + FOLLOW_RESPONDENTS * 4  # 100, so 1,000,000 in all
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SECRET = "bench-key-Lw6Ra9Fj3Xt5Nk2Qp"
WHOLE_COMMAND_RATIO = 20  # issue #14: the whole command within 20 bare passes
COURSES = ["basic-cp", "intermediate-cp", "neglect", "gcp2", "domestic-abuse", "dash", "cse", "thresholds", "prevent"]


def _settings(data: Path, url: str) -> Settings:
    return Settings(_env_file=None, data_dir=data, database_url=url, survey_secret=SECRET)  # type: ignore[call-arg]


# --- 1. ingestion ---------------------------------------------------------------------------------


async def _ingestion(url: str, data: Path, label: str) -> list[Figure]:
    clock = FrozenClock(START)
    rt = await Runtime.create(_settings(data, url), clock=clock, console_mode=True)
    db = rt.ctx.db
    try:
        people = [f"u{i:03d}" for i in range(DELEGATES)]
        async with db.transaction() as s:
            session = TrainingSession(
                course_id="basic-cp",
                title="Basic child protection",
                start_at=START - dt.timedelta(hours=3),
                end_at=START - dt.timedelta(minutes=5),
                capacity=DELEGATES,
                created_by="bench",
                created_at=START,
                updated_at=START,
            )
            s.add(session)
            await s.flush()
            s.add_all(
                Attendance(
                    session_id=session.id,
                    platform="console",
                    user_id=p,
                    attended=True,
                    source="import",
                    recorded_at=START,
                )
                for p in people
            )
        result = await surveys.send_survey(rt.ctx, session, "post-course")
        sid = result.survey.id
        rng = random.Random(7)
        pressed = {p: [(q, rng.randrange(5 if q < 2 else 2)) for q in range(3)] for p in people}
        key = SECRET.encode()
        expected = {
            (surveys.pseudonym(key, "console", p, sid), ("recognise", "evidence", "barriers")[q]): (
                str(o + 1) if q < 2 else ("yes", "no")[o]
            )
            for p, presses in pressed.items()
            for q, o in presses
        }

        async def reset() -> None:
            async with db.transaction() as s:
                await s.execute(delete(SurveyAnswer))
                await s.execute(delete(SealedAnswers))
                await s.execute(delete(SeenDelivery))

        async def through_handler(round_no: int, *, dedupe: bool) -> float:
            async def delegate(person: str) -> None:
                for q, o in pressed[person]:
                    request = Request(
                        kind=RequestKind.ACTION,
                        platform="console",
                        user_id=person,
                        channel_id=f"dm:{person}",
                        action_id="survey:answer",
                        value=f"{sid}.{q}.{o}",
                        delivery_id=f"bench:{round_no}:{person}:{q}" if dedupe else None,
                    )
                    outcome = await rt.dispatcher.handle(request)
                    if "Recorded" not in outcome.replies[0].all_text():
                        raise RuntimeError(f"an answer was refused: {outcome.replies[0].all_text()[:120]}")

            started = time.perf_counter()
            await asyncio.gather(*(delegate(p) for p in people))
            return time.perf_counter() - started

        bare_statement = insert(SurveyAnswer.__table__)

        async def bare_insert() -> float:
            rows: dict[str, list[dict[str, Any]]] = {p: [] for p in people}
            for p in people:
                for q, _o in pressed[p]:
                    question = ("recognise", "evidence", "barriers")[q]
                    respondent = surveys.pseudonym(key, "console", p, sid)
                    rows[p].append(
                        {
                            "survey_id": sid,
                            "respondent": respondent,
                            "question": question,
                            "value": expected[(respondent, question)],
                            "free_text": False,
                        }
                    )

            async def delegate(person: str) -> None:
                for row in rows[person]:
                    async with db.engine.begin() as conn:
                        await conn.execute(bare_statement, row)

            started = time.perf_counter()
            await asyncio.gather(*(delegate(p) for p in people))
            return time.perf_counter() - started

        async def check() -> tuple[int, int]:
            """(answers lost, answers doubled): the sealed rows opened, as closing would."""
            async with db.transaction() as s:
                held = (await s.execute(select(SealedAnswers))).scalars().all()
            found: dict[tuple[str, str], str] = {}
            total = 0
            for row in held:
                for question, given in sealer(key).open(row.survey_id, row.respondent, row.sealed).items():
                    found[(row.respondent, question)] = given.value
                    total += 1
            lost = sum(1 for k, v in expected.items() if found.get(k) != v)
            return lost, total - len(found)

        handler_times, full_times, bare_times = [], [], []
        lost = doubled = 0
        for round_no in range(ROUNDS):
            for dedupe, times in ((False, handler_times), (True, full_times)):
                await reset()
                times.append(await through_handler(round_no, dedupe=dedupe))
                missing, extra = await check()
                lost, doubled = lost + missing, doubled + extra
            await reset()
            bare_times.append(await bare_insert())
        answers = DELEGATES * 3
        bare_rate = answers / statistics.median(bare_times)
        handler_rate = answers / statistics.median(handler_times)
        full_rate = answers / statistics.median(full_times)
        baseline = "bare SQLAlchemy Core insert of the same rows"
        return [
            Figure(
                f"survey answers/s through dispatcher and handler, {DELEGATES} delegates at once ({label})",
                handler_rate,
                "answers/s",
                bare_rate,
                baseline,
                "ratio >= 0.5",
                handler_rate / bare_rate >= 0.5,
            ),
            Figure(
                f"the same, with delivery de-duplication as Slack/Discord presses have ({label})",
                full_rate,
                "answers/s",
                bare_rate,
                baseline,
                "none (for information)",
                True,
            ),
            Figure(
                f"survey answers lost or doubled over {ROUNDS} x 2 x {answers} ({label})",
                float(lost + doubled),
                "answers",
                None,
                "",
                "= 0",
                lost + doubled == 0,
            ),
        ]
    finally:
        await db.dispose()


# --- 2. the report over a million answers ------------------------------------------------------------


async def _seed_year(rt: Runtime) -> None:
    """10,000 sessions in one reporting year, each with a post-course and a follow-up survey."""
    db = rt.ctx.db
    pack = rt.ctx.pack.get(surveys.SurveysPack)
    definitions = {kind: pack.survey(kind).model_dump(mode="json") for kind in ("post-course", "follow-up")}  # type: ignore[union-attr]
    first = dt.datetime(2025, 4, 7, 9, 0, tzinfo=dt.UTC)
    rng = random.Random(11)
    sessions, survey_rows, attendance, answers = [], [], [], []
    for n in range(SESSIONS):
        sid = n + 1
        start = first + dt.timedelta(minutes=45 * n)
        sessions.append(
            {
                "id": sid,
                "course_id": COURSES[n % len(COURSES)],
                "title": COURSES[n % len(COURSES)].replace("-", " ").capitalize(),
                "start_at": start,
                "end_at": start + dt.timedelta(hours=3),
                "zone": "Europe/London",
                "venue": "Gun Wharf",
                "capacity": 30,
                "trainer": "",
                "status": "scheduled",
                "created_by": "bench",
                "created_at": first,
                "updated_at": first,
            }
        )
        for k, kind in enumerate(("post-course", "follow-up")):
            survey_rows.append(
                {
                    "id": 2 * n + k + 1,
                    "session_id": sid,
                    "kind": kind,
                    "definition": definitions[kind],
                    "status": "closed",
                    "invited": INVITED,
                    "opened_at": start,
                    "closes_at": start + dt.timedelta(days=14),
                    "closed_at": start + dt.timedelta(days=14),
                    # counted when it closed: the reports use a closed survey's answers
                    "respondents": POST_RESPONDENTS if kind == "post-course" else FOLLOW_RESPONDENTS,
                }
            )
        attendance.extend((sid, "console", f"p{n}-{i}", True, "import", start) for i in range(INVITED))
        post, follow = 2 * n + 1, 2 * n + 2
        for i in range(POST_RESPONDENTS):
            who = f"{n:05d}{i:02d}a".ljust(64, "0")
            r, e = rng.randrange(1, 6), rng.randrange(1, 6)
            b = rng.choice(("yes", "no"))
            answers.append((post, who, "recognise", str(r), "confidence_recognising", r, r >= 4, False))
            answers.append((post, who, "evidence", str(e), "confidence_evidencing", e, e >= 4, False))
            answers.append((post, who, "barriers", b, "no_barriers", None, b == "no", False))
        for i in range(FOLLOW_RESPONDENTS):
            who = f"{n:05d}{i:02d}b".ljust(64, "0")
            m = rng.randrange(1, 6)
            s = rng.choice(("yes", "no"))
            answers.append((follow, who, "improved", str(m), "improved_practice", m, m >= 4, False))
            answers.append((follow, who, "since", "practice,materials", None, None, None, False))
            answers.append((follow, who, "shared", s, "shared_learning", None, s == "yes", False))
            answers.append((follow, who, "changed", "I now record concerns the same day.", None, None, None, True))
    async with db.transaction() as s:
        for chunk in range(0, len(sessions), 2000):
            await s.execute(insert(TrainingSession), sessions[chunk : chunk + 2000])
        for chunk in range(0, len(survey_rows), 2000):
            await s.execute(insert(Survey), survey_rows[chunk : chunk + 2000])
    columns = ["survey_id", "respondent", "question", "value", "measure", "score", "positive", "free_text"]
    if db.is_postgres:
        async with db.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection  # asyncpg
            assert driver is not None
            await driver.copy_records_to_table("survey_answers", records=answers, columns=columns)
            await driver.copy_records_to_table(
                "training_attendance",
                records=attendance,
                columns=["session_id", "platform", "user_id", "attended", "source", "recorded_at"],
            )
        await _count_measures(db, len(survey_rows))
        async with db.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            # What autovacuum does on a live server after this many new rows: statistics, and the
            # visibility map that lets a query read an index alone.
            await driver.execute("VACUUM ANALYZE")
        return
    path = db.url.database
    assert path is not None

    def bulk() -> None:
        conn = sqlite3.connect(path)
        with conn:
            conn.executemany(f"INSERT INTO survey_answers ({', '.join(columns)}) VALUES (?,?,?,?,?,?,?,?)", answers)
            conn.executemany(
                "INSERT INTO training_attendance (session_id, platform, user_id, attended, source, recorded_at) "
                "VALUES (?,?,?,?,?,?)",
                [(a, b, c, d, e, f.replace(tzinfo=None).isoformat(sep=" ")) for a, b, c, d, e, f in attendance],
            )
        conn.close()

    await asyncio.to_thread(bulk)
    await _count_measures(db, len(survey_rows))
    await asyncio.to_thread(_analyze, path)


def _analyze(path: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("ANALYZE")
    conn.close()


async def _count_measures(db: Any, surveys_written: int) -> None:
    """What closing each survey does after writing its answers (the answers went in by COPY)."""
    async with db.transaction() as tx:
        for chunk in range(1, surveys_written + 1, 2000):
            await store.write_measure_totals(tx, list(range(chunk, min(chunk + 2000, surveys_written + 1))))


async def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    await fn()
    return time.perf_counter() - started


async def _report(url: str, data: Path, label: str, target: float) -> list[Figure]:
    from handlers.surveys.cli import write_answers_export, write_impact_report

    settings = _settings(data, url)
    rt = await Runtime.create(settings, clock=FrozenClock(START), console_mode=True)
    try:
        await _seed_year(rt)
        async with rt.ctx.db.transaction() as s:
            count = await s.scalar(select(func.count()).select_from(SurveyAnswer)) or 0

        async def bare_pass() -> None:
            async with rt.ctx.db.engine.connect() as conn:
                await conn.execute(text("SELECT count(*), sum(score) FROM survey_answers"))

        bare = min([await _timed(bare_pass) for _ in range(3)])
        pack = rt.ctx.pack.get(surveys.SurveysPack)
        year = store.Selection(start=dt.datetime(2025, 4, 1, tzinfo=dt.UTC), end=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))

        async def figures_only() -> None:
            await impact.gather_figures(
                rt.ctx.db, year, title="", whole_period=True, labels=pack.measure_labels(), min_group=5
            )

        counting = min([await _timed(figures_only) for _ in range(3)])
    finally:
        await rt.ctx.db.dispose()
    out = data / f"report-{label.lower()}"
    answers_out = data / f"answers-{label.lower()}"
    first, last = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    in_process = min(
        [await _timed(lambda: write_impact_report(settings, first=first, last=last, out=out)) for _ in range(2)]
    )
    answers_in_process = min(
        [
            await _timed(lambda: write_answers_export(settings, first=first, last=last, out=answers_out))
            for _ in range(2)
        ]
    )

    async def whole_command(env: dict[str, str], command: str = "impact", folder: Path = out) -> float:
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "bot", "report", command, "--from", "2025-04-01", "--to", "2026-03-31", "--out", str(folder)),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _stdout, stderr = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(stderr.decode()[-2000:])
        return time.perf_counter() - started

    env = {**os.environ, "DATA_DIR": str(data), "DATABASE_URL": url, "SURVEY_SECRET": SECRET}
    # This machine's environment sets PYTHONDONTWRITEBYTECODE, so every run compiles sgbot's own
    # modules again. An installed sgbot keeps their bytecode, as Python does by default: that
    # run, after one that fills a private bytecode cache, is the figure.
    no_cache = await whole_command(env)
    cached_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached_env["PYTHONPYCACHEPREFIX"] = str(data / "pycache")
    await whole_command(cached_env)
    whole = min([await whole_command(cached_env) for _ in range(3)])
    answers_whole = await whole_command(cached_env, "answers", answers_out)
    csv_rows = sum(1 for _ in (answers_out / "answers.csv").open()) - 1
    note = f"{count:,} answers, {csv_rows:,} CSV rows"
    return [
        Figure(
            f"impact figures only: every count in SQL ({label}; {count:,} answers)",
            counting,
            "s",
            bare,
            "one bare SQL pass over the answers",
            "none (for information)",
            True,
        ),
        Figure(
            f"sgbot report impact, in-process ({label}; {count:,} answers)",
            in_process,
            "s",
            bare,
            "one bare SQL pass over the answers",
            f"<= {target:g} s",
            in_process <= target,
        ),
        Figure(
            f"sgbot report impact, whole command in a new process ({label})",
            whole,
            "s",
            bare,
            "one bare SQL pass over the answers",
            f"ratio <= {WHOLE_COMMAND_RATIO}",
            whole <= WHOLE_COMMAND_RATIO * bare,
        ),
        Figure(
            f"the same, compiling sgbot's modules as this machine's environment asks ({label})",
            no_cache,
            "s",
            bare,
            "one bare SQL pass over the answers",
            "none (for information)",
            True,
        ),
        Figure(
            f"sgbot report answers, in-process ({label}; {note}, CSV and XLSX)",
            answers_in_process,
            "s",
            bare,
            "one bare SQL pass over the answers",
            "none (for information)",
            True,
        ),
        Figure(
            f"sgbot report answers, whole command in a new process ({label})",
            answers_whole,
            "s",
            bare,
            "one bare SQL pass over the answers",
            "none (for information)",
            True,
        ),
    ]


async def _run() -> list[Figure]:
    parts = os.environ.get("BENCH_SURVEYS", "ingestion,report").split(",")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        if "ingestion" in parts:
            sqlite_url = f"sqlite:///{base / 'ingest' / 'sgbot.db'}"
            (base / "ingest").mkdir()
            figures += await _ingestion(sqlite_url, base / "ingest", "SQLite")
            async with private_postgres() as pg_url:
                if pg_url:
                    figures += await _ingestion(pg_url, base / "ingest-pg", "PostgreSQL")
                else:
                    print("  PostgreSQL figures skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL", file=sys.stderr)
        if "report" in parts:
            (base / "year").mkdir()
            figures += await _report(f"sqlite:///{base / 'year' / 'sgbot.db'}", base / "year", "SQLite", 5.0)
            async with private_postgres() as pg_url:
                if pg_url:
                    (base / "year-pg").mkdir()
                    figures += await _report(pg_url, base / "year-pg", "PostgreSQL", 2.0)
    return figures


def run() -> list[Figure]:
    return asyncio.run(_run())
