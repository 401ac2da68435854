"""`sgbot report impact`: the training impact figures for the annual report, as files; and
`sgbot report answers`: every answer, for whoever analyses them.

`report impact` writes, into --out:
- summary.md            the figures in words and tables, with the rounding and small-group notes
- impact_by_course.png  the impact measures for the period and for each course large enough to show
- response_rate.png     post-course response rates by course
- training_activity.csv course, sessions, delegates, attended, responses, response rate, totals
- training_activity.xlsx the same, for Excel

`report answers` writes, into --out:
- answers.csv           every answer the figures count, under a respondent number (each comment under
                        one of its own; courses with any figure hidden left out)
- answers.xlsx          the same, for Excel
- answers.md            what the columns and question ids are, and who is left out

The answers are a command of their own: the annual report needs the figures, and a file of every
answer is made only when someone asks for it (and a million of them took most of the report's time).
The counting happens in SQL (storage/surveys.py) and the figures in handlers/surveys/impact.py.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import gc
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import typer

from core.cli import fail, load_settings, run_async
from core.config import Settings

if TYPE_CHECKING:
    from core.contentpack import ContentPack
    from handlers.surveys import SurveysPack
    from handlers.surveys.impact import ImpactFigures, MeasureFigure
    from storage.db import Database
    from storage.surveys import Selection

# The `sgbot` commands this module adds, read by bot/cli.py from this line without importing the
# module (so it stays one line and a literal). bot/cli.py adds report_app's commands to `report`.
CLI_COMMANDS = ("report impact", "report answers")

report_app = typer.Typer()

# The report's modules, and matplotlib, are imported when the report runs, so other sgbot
# commands start without them.

FILES = (
    "summary.md",
    "impact_by_course.png",
    "response_rate.png",
    "training_activity.csv",
    "training_activity.xlsx",
)
ANSWER_FILES = ("answers.csv", "answers.xlsx", "answers.md")
CHART_DPI = 300  # print quality for the annual report
# The text width of an A4 page with 2.5 cm margins: placed in the annual report, a chart keeps
# its size, so its 8-point labels print at 8 points.
CHART_WIDTH = 6.3
NOTE_WIDTH = 100  # characters of the impact chart's 8-point note on a line: within CHART_WIDTH
# zlib level 3 rather than Pillow's 6: the PNGs are 3-16% larger and encoded in 30% less time
# (0.11 s against 0.16 s for the impact chart).
CHART_PNG = {"compress_level": 3}
EXCEL_MAX_ROWS = 1_048_576  # a worksheet's limit, header included

T = TypeVar("T")


class ReportProblem(Exception):
    """Something the person running the report can fix; its message says what."""


def _day(value: str, option: str) -> dt.date:
    from core.dates import DateProblem, report_day

    try:
        day = report_day(value, dt.date.today())
    except DateProblem as exc:
        raise fail(f"{option} {value!r}: {exc}") from None
    if day is None:
        raise fail(f"{option} {value!r} is not a date; write it like 2025-04-01 or 01/04/2025.")
    return day


def report_period(start: str | None, end: str | None, year: str | None) -> tuple[dt.date, dt.date]:
    """The first and last day (inclusive) of --year, or of --from and --to; a clear error otherwise.
    `sgbot report briefings` reads its period the same way."""
    from handlers.surveys.impact import reporting_year

    if year is not None:
        if start is not None or end is not None:
            raise fail("Give either --year or --from and --to, not both.")
        try:
            found = reporting_year(year)
        except ValueError as exc:  # DateProblem: a year no report's dates can be
            raise fail(f"--year {year!r}: {exc}") from None
        if found is None:
            raise fail(f"--year {year!r} is not a reporting year; write it like 2025-26 (April 2025 to March 2026).")
        return found
    if start is None or end is None:
        raise fail("Say which sessions to report on: --year 2025-26, or --from 2025-04-01 --to 2026-03-31.")
    first, last = _day(start, "--from"), _day(end, "--to")
    if last < first:
        raise fail("--to is before --from; give the first day, then the last.")
    return first, last


OutOption = Annotated[Path, typer.Option("--out", metavar="FOLDER", help="Folder for the files; created if missing.")]
FromOption = Annotated[
    str | None,
    typer.Option("--from", metavar="DAY", help="First day of sessions to include (2025-04-01 or 01/04/2025)."),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="DAY", help="Last day of sessions to include, inclusive (2026-03-31 or 31/03/2026)."),
]
YearOption = Annotated[
    str | None,
    typer.Option(
        "--year", metavar="YEAR", help="A reporting year, April to March, like 2025-26 (instead of --from/--to)."
    ),
]
CourseOption = Annotated[
    list[str] | None,
    typer.Option("--course", metavar="COURSE", help="Only this course, by id or title; repeat for several."),
]


@report_app.command("impact")
def report_impact(
    out: OutOption,
    start: FromOption = None,
    end: ToOption = None,
    year: YearOption = None,
    course: CourseOption = None,
    decimals: Annotated[
        int,
        typer.Option(
            "--decimals", metavar="N", min=0, max=2, help="Decimal places for percentages in the files (0-2)."
        ),
    ] = 1,
) -> None:
    """Training impact for a period: summary, charts and the training activity table."""
    first, last = report_period(start, end, year)
    _run_report(
        partial(write_impact_report, first=first, last=last, courses=tuple(course or ()), out=out, decimals=decimals)
    )


@report_app.command("answers")
def report_answers(
    out: OutOption,
    start: FromOption = None,
    end: ToOption = None,
    year: YearOption = None,
    course: CourseOption = None,
) -> None:
    """Every survey answer for a period, under respondent numbers made afresh (CSV and Excel)."""
    first, last = report_period(start, end, year)
    _run_report(partial(write_answers_export, first=first, last=last, courses=tuple(course or ()), out=out))


def _run_report(write: Callable[[Settings], Awaitable[list[str]]]) -> None:
    settings = load_settings()
    # The modules loaded so far stay until the command ends: the garbage collector need not walk
    # them again during the report, nor at exit (together about half a second here).
    gc.freeze()
    try:
        written = run_async(lambda: write(settings))
    except ReportProblem as exc:
        raise fail(str(exc)) from None
    for line in written:
        typer.echo(line)
    gc.freeze()


def _named_courses(typed: tuple[str, ...], known: dict[str, str]) -> tuple[str, ...]:
    """Course ids for what was typed after --course: an id, a title or words of one (as the
    training forms read them, "GCP 2" or "domestic abuse"). Anything naming no course, or more
    than one, stops the report before anything is written (ReportProblem), naming the known ones."""
    from handlers.training.schedule import match_course

    catalogue = {cid: SimpleNamespace(id=cid, title=title) for cid, title in known.items()}
    found: list[str] = []
    for text in typed:
        course, problem = match_course(text, catalogue, fuzzy=False)
        if course is not None:
            found.append(course.id)
            continue
        if problem and "more than one course" in problem:
            raise ReportProblem(f"{problem} Nothing was written.")
        # A report counts only what was named exactly; a slip or a word of several titles is
        # answered with what it could mean, for the person to type.
        guess, _ = match_course(text, catalogue, fuzzy=True)
        if guess is not None:
            raise ReportProblem(
                f'No course has the id or title "{text}". Did you mean "{guess.title}" (--course {guess.id})? '
                "Nothing was written."
            )
        words = text.lower().split()
        fitting = [f"{c} ({t})" for c, t in sorted(known.items()) if words and all(w in t.lower() for w in words)]
        if len(fitting) > 1:
            raise ReportProblem(
                f'"{text}" is in the title of more than one course: {", ".join(fitting)}. '
                "Give one id after each --course. Nothing was written."
            )
        listed = ", ".join(f"{c} ({t})" for c, t in sorted(known.items())) or "none yet"
        raise ReportProblem(f"No course has the id or title {text}, so nothing was written. Known courses: {listed}.")
    return tuple(dict.fromkeys(found))


async def known_courses(db: Database, pack: ContentPack) -> dict[str, str]:
    """Every course id the bot knows, with a title: the pack's programme, courses added in chat
    and any course a session was held under."""
    from handlers.training.courses import CourseCatalogue
    from storage import surveys as store
    from storage.training import added_courses

    found = {c.id: c.title for c in pack.get(CourseCatalogue).courses}
    async with db.transaction() as tx:
        found.update({c.id: c.title for c in await added_courses(tx)})
        held = await store.resolve_course(tx, "")
    for course_id, title in held:
        found.setdefault(course_id, title)
    return found


@dataclass
class _ReportRun:
    """One report's database, selection, content pack and the figures being counted; every task
    started through it is cancelled if the report stops early."""

    db: Database
    selection: Selection
    figuring: asyncio.Future[ImpactFigures]
    surveys: SurveysPack
    tasks: list[asyncio.Future[Any]] = field(default_factory=list)

    def start(self, work: Awaitable[T]) -> asyncio.Future[T]:
        task = asyncio.ensure_future(work)
        self.tasks.append(task)
        return task


@asynccontextmanager
async def _report_run(
    settings: Settings, first: dt.date, last: dt.date, courses: tuple[str, ...], out: Path, *, decimals: int
) -> AsyncIterator[_ReportRun]:
    """The database counts the figures while the content pack is loaded and checked. An unknown
    course stops the report before anything is written (ReportProblem); the folder is made
    owner-only."""
    from handlers.surveys import SurveySettings
    from handlers.surveys.impact import gather_figures
    from storage import surveys as store

    zone = ZoneInfo(settings.timezone)
    min_group = settings.feature(SurveySettings).report_min_group
    db = await _open_database(settings)
    tasks: list[asyncio.Future[Any]] = []
    try:
        pack: ContentPack | None = None
        if courses:  # named first, by id or title, so the counting counts the right ones
            pack = await asyncio.to_thread(partial(_load_pack, settings, with_courses=True))
            courses = _named_courses(courses, await known_courses(db, pack))
        sel = store.Selection(
            start=dt.datetime.combine(first, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
            end=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(dt.UTC),
            courses=courses,
            min_group=min_group,
        )
        title = f"Training impact, {first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
        if courses:
            title += f" ({', '.join(courses)})"
        figuring = asyncio.ensure_future(
            gather_figures(
                db,
                sel,
                title=title,
                whole_period=True,
                labels={},
                min_group=min_group,
                max_comments=5,
                decimals=decimals,
            )
        )
        tasks.append(figuring)
        if pack is None:
            pack = await asyncio.to_thread(partial(_load_pack, settings, with_courses=False))
        try:
            await asyncio.to_thread(out.mkdir, mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise ReportProblem(f"Cannot create the folder {out}: {exc.strerror or exc}.") from None
        run = _ReportRun(db, sel, figuring, _surveys_section(pack), tasks)
        yield run
    finally:
        # On any failure, nothing is left running against a closed database. The counting is let
        # finish rather than cancelled: a query cancelled in the middle could leave SQLAlchemy
        # handing its connection back, for ever, to a database already closed (an outside audit:
        # `--out` a folder that cannot be made hung 3 runs in 10 at exit).
        await asyncio.gather(*tasks, return_exceptions=True)
        await db.dispose()


async def write_impact_report(
    settings: Settings,
    *,
    first: dt.date,
    last: dt.date,
    courses: tuple[str, ...] = (),
    out: Path,
    decimals: int = 1,
) -> list[str]:
    """summary.md, the charts and the training activity table. matplotlib is imported while the
    database counts."""
    from handlers.surveys import impact

    async with _report_run(settings, first, last, courses, out, decimals=decimals) as run:
        # matplotlib takes a while to import: now, while the database counts.
        charting = run.start(asyncio.to_thread(_import_charting))
        fig = await run.figuring
        # The measures get their names (with what each counts) now that the pack is loaded.
        impact.name_measures(fig, run.surveys)
        await charting
        await asyncio.to_thread(_write_files, fig, out)
    notes = impact.headline(fig)
    notes += [f"Wrote {len(FILES)} files to {out}:"] + [f"  {name}" for name in FILES]
    notes.append(
        f"{fig.responses} responses; {impact.courses_text(len(fig.suppressed_courses))} below the minimum group "
        f"of {fig.min_group} not shown on their own."
    )
    if courses and not fig.activity:
        notes.append(f"No sessions of {', '.join(courses)} started in that period.")
    notes.append("Every answer, if someone needs to analyse them: sgbot report answers with the same period.")
    return notes


async def write_answers_export(
    settings: Settings,
    *,
    first: dt.date,
    last: dt.date,
    courses: tuple[str, ...] = (),
    out: Path,
) -> list[str]:
    """answers.csv, answers.xlsx and answers.md. Only courses with every figure shown go into the
    answers: the answers of a course with a hidden figure would let anyone count that figure
    again. The figures decide which those are; the export numbers the respondents while they are
    counted (export_answers), and leaves out, as they do, a survey's answers to a question too few
    answered in it. Each comment is numbered on its own, apart from its writer's taps."""
    from handlers.surveys import impact
    from storage import surveys as store

    async with _report_run(settings, first, last, courses, out, decimals=1) as run:
        surveys_pack = run.surveys
        answer_export = store.export_query(
            run.selection,
            courses=[],
            answer_labels={
                (s.id, q.id, value): label
                for s in surveys_pack.surveys
                for q in s.questions
                for value, label in (q.choices() if q.is_tap else [])
            },
            multiple_choice={
                (s.id, q.id): tuple(value for value, _label in q.choices())
                for s in surveys_pack.surveys
                for q in s.questions
                if q.kind == "multiple"
            },
        )

        async def shown_courses() -> list[str]:
            return (await run.figuring).exported_courses

        export = run.start(
            store.export_answers(
                run.db, answer_export, out / "answers.csv", out / "answers.xlsx", shown_courses=shown_courses()
            )
        )
        fig = await run.figuring
        questions: list[tuple[str, str, str]] = [
            (s.id, q.id, q.text) for s in surveys_pack.surveys for q in s.questions
        ]
        text = impact.answers_markdown(fig, files=list(ANSWER_FILES), questions=questions)
        await asyncio.to_thread(_write_private_text, out / "answers.md", text)
        answers = await export
    notes = [f"Wrote {len(ANSWER_FILES)} files to {out}:"] + [f"  {name}" for name in ANSWER_FILES]
    notes.append(f"{answers} answers in answers.csv; answers.md says what each column holds and who is left out.")
    if answers + 1 > EXCEL_MAX_ROWS:
        notes.append(
            f"answers.xlsx holds the first {EXCEL_MAX_ROWS - 1} answers, as many as a worksheet takes; "
            "answers.csv has them all."
        )
    notes.append("These are people's answers: keep the folder only as long as the analysis needs it.")
    return notes


# The report needs the content pack and the database, not the rest of the runtime (web server,
# scheduler, adapters), so it loads them as bot.runtime does without importing it; and of the
# pack, only the sections it reads: the surveys, and the course catalogue when --course names
# courses. Importing every feature to build the whole registry cost more than the counting.


def _load_pack(settings: Settings, *, with_courses: bool = False) -> ContentPack:
    from core.contentpack import load_pack
    from handlers import surveys

    sections = [surveys.SECTION]
    if with_courses:
        from handlers.training.courses import SECTION as COURSES

        sections.append(COURSES)
    return load_pack(settings.content_pack, sections, parsed_cache=settings.pack_cache_dir())


def _surveys_section(pack: ContentPack) -> SurveysPack:
    from handlers.surveys import SurveysPack

    return pack.get(SurveysPack)


async def _open_database(settings: Settings) -> Database:
    from storage.db import Database

    if not settings.database_url:
        settings.ensure_data_dir()
    db = Database(settings.resolved_database_url())
    await db.upgrade()
    return db


def _import_charting() -> None:
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401


def _write_private_text(path: Path, text: str) -> None:
    from storage.surveys import private_file

    with private_file(path, "w") as handle:
        handle.write(text)


def _write_files(fig: ImpactFigures, out: Path) -> None:
    """Every file is owner-only (0600), like answers.csv: the report is about people's answers."""
    from handlers.surveys import impact
    from storage.surveys import private_file

    _write_private_text(out / "summary.md", impact.markdown(fig, files=list(FILES)))
    activity = impact.activity_rows(fig)
    with private_file(out / "training_activity.csv", "w") as handle:
        write_csv(handle, activity)
    write_xlsx(out / "training_activity.xlsx", activity, "Training activity")
    charts = [("impact_by_course.png", draw_measures), ("response_rate.png", draw_response_rates)]
    # Each chart in its own thread: the PNG encoding of one (which releases the GIL) runs while
    # the other is drawn.
    with ThreadPoolExecutor(max_workers=len(charts)) as pool:
        for done in [pool.submit(_write_chart, draw, fig, out / name) for name, draw in charts]:
            done.result()


def _write_chart(draw: Callable[[ImpactFigures, Any], None], fig: ImpactFigures, path: Path) -> None:
    from storage.surveys import private_file

    with private_file(path, "wb") as handle:
        draw(fig, handle)


def write_csv(handle: Any, rows: list[list[str]]) -> None:
    """Rows as CSV with every cell made inert the way answers.csv does it: course titles come from
    people, and a title such as =HYPERLINK(...) must not run as a formula in a spreadsheet."""
    from storage.surveys import inert_cell

    csv.writer(handle).writerows([[inert_cell(cell) for cell in row] for row in rows])


def write_xlsx(path: Path, rows: Iterable[list[str]], sheet: str) -> int:
    """The same rows as an Excel workbook, owner-only. Every cell is text made inert as in the
    CSVs (a leading apostrophe), and stored as a string, never a formula; whole numbers in the
    count columns are stored as numbers so they add up in Excel (storage.xlsx). Returns the rows
    written, at most a worksheet's limit."""
    from storage.surveys import private_file
    from storage.xlsx import SheetWriter

    with private_file(path, "wb") as handle, SheetWriter(handle, sheet) as book:
        return book.write_rows(rows, limit=EXCEL_MAX_ROWS)


# --- charts --------------------------------------------------------------------------------------


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    # The object API with no pyplot: no window, no global state, and PNGs through the Agg
    # renderer. Imported here so other sgbot commands do not pay for matplotlib.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def draw_measures(fig: ImpactFigures, path: Any) -> None:
    """Grouped horizontal bars: each measure for all courses together, then each course shown."""
    from handlers.surveys import impact

    groups: list[tuple[str, dict[str, MeasureFigure]]] = [("All courses", {m.measure: m for m in fig.measures})]
    groups += [(c.title, {m.measure: m for m in c.measures}) for c in fig.courses if not c.suppressed]
    measures = [(m.measure, m.label) for m in fig.measures]
    note = impact.small_group_note(fig.min_group)
    # each hidden figure is marked "not shown" where its bar would be; the note counts them
    hidden = sum(1 for _name, found in groups for m in found.values() if _held_back(m))
    if hidden:
        note = f"{hidden} figure(s) marked not shown. " + note
    if fig.suppressed_courses:
        left_out = impact.courses_text(len(fig.suppressed_courses))
        note = f"{left_out} with fewer than {fig.min_group} responses not shown. " + note
    # Under the whole chart, not the bars: centred under the bars, whose left edge moves right
    # with a long course title, the note ran off the image's right edge (an outside audit).
    note_lines = textwrap.wrap(note, NOTE_WIDTH)
    # 0.15 inch a bar: nine courses of five measures fit the height of an A4 page's text (9.7 in);
    # a course's room is at least its title's lines (so two-line titles do not overlap); 0.14 inch
    # for each line of the note, and of the legend above the bars
    title_lines = max(_tick(name).count("\n") + 1 for name, _ in groups)
    per_group = max(0.15 * max(1, len(measures)), 0.19 * title_lines)
    legend = 0.14 * len(measures) + 0.1 if measures else 0.0
    height = 1.2 + 0.14 * len(note_lines) + legend + per_group * len(groups)
    chart = _figure(CHART_WIDTH, min(height, 60))
    ax = chart.subplots()
    bar = 0.8 / max(1, len(measures))
    colours = ["#1b6ca8", "#e07b39", "#3a9d5d", "#8e5ea2", "#c9a227", "#6b6b6b"]
    labelled: set[str] = set()  # each measure named in the legend by its first bar drawn
    for g, (_name, found) in enumerate(groups):
        for m, (measure, label) in enumerate(measures):
            figure = found.get(measure)
            if figure is None or not (figure.share.whole or _held_back(figure)):
                continue
            y = g + m * bar
            named = label if measure not in labelled else None
            labelled.add(measure)
            if figure.suppressed:
                # no bar, but the measure keeps its place and its legend entry
                ax.barh(y, 0, height=bar * 0.9, color=colours[m % len(colours)], label=named)
                ax.text(1, y, "not shown", va="center", fontsize=7, color="#6b6b6b", style="italic")
                continue
            value = figure.share.percent or 0
            ax.barh(y, value, height=bar * 0.9, color=colours[m % len(colours)], label=named)
            _bar_label(ax, value, y, figure.share.text(fig.decimals))
    ax.set_yticks([g + bar * (len(measures) - 1) / 2 for g in range(len(groups))], [_tick(name) for name, _ in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20))
    ax.set_title(textwrap.fill(fig.title, 64), fontsize=11)
    if labelled:
        chart.legend(loc="outside upper center", ncols=1, fontsize=8, frameon=False)
    elif measures:  # every figure hidden: too few responses (a legend of nothing would warn on stderr)
        ax.text(50, 0, "Too few responses to show any measure", ha="center")
    elif fig.held_back:
        ax.text(50, 0, f"No measures yet: {fig.held_back} responses are held back (see summary.md)", ha="center")
    else:
        ax.text(50, 0, "No answers in this period", ha="center")
    ax.set_xlabel("Share of answers that were positive (%)", fontsize=9)
    chart.supxlabel("\n".join(note_lines), fontsize=8, x=0.02, ha="left")
    chart.savefig(path, dpi=CHART_DPI, format="png", pil_kwargs=CHART_PNG)


def _held_back(figure: MeasureFigure) -> bool:
    """A figure there are answers for that is not shown: hidden for a small group, or made only of
    answers held back because fewer than the minimum answered the question in their survey."""
    return figure.suppressed and bool(figure.share.whole or figure.small)


def _tick(title: str) -> str:
    """A course title on two or three lines, so a long one leaves the bars room on a page-wide chart."""
    return textwrap.fill(title, 26)


def _bar_label(ax: Any, value: float, y: float, text: str) -> None:
    """The figure beside its bar, or inside the bar's end when the bar nearly fills the axis
    (which ends at 100%)."""
    if value > 70:
        ax.text(value - 1, y, text, va="center", ha="right", fontsize=7, color="white")
    else:
        ax.text(value + 1, y, text, va="center", fontsize=7)


def draw_response_rates(fig: ImpactFigures, path: Any) -> None:
    """Post-course response rate for the period and for each course (counts, never answers)."""
    from handlers.surveys import impact

    rows = [r for r in fig.activity if r.invited]
    total = fig.activity_totals()
    bars = [("All courses", total)] + [(r.title, r) for r in rows]
    chart = _figure(CHART_WIDTH, min(1.6 + 0.35 * len(bars), 60))
    ax = chart.subplots()
    for i, (_name, row) in enumerate(bars):
        value = row.rate.percent or 0
        ax.barh(i, value, height=0.7, color="#1b6ca8" if i else "#0d3b66")
        _bar_label(ax, value, i, row.rate.text(fig.decimals) if row.invited else "no survey sent")
    ax.set_yticks(range(len(bars)), [_tick(name) for name, _ in bars])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20))
    rule = textwrap.fill(impact.rounding_rule(fig.decimals), 72)
    ax.set_xlabel(f"Delegates who answered the post-course survey (%)\n\n{rule}", fontsize=9)
    ax.set_title(f"Post-course response rate\n{textwrap.fill(fig.title, 64)}", fontsize=11)
    chart.savefig(path, dpi=CHART_DPI, format="png", pil_kwargs=CHART_PNG)
