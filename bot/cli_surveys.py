"""`sgbot report impact`: the training impact figures for the annual report, as files.

Writes, into --out:
- summary.md            the figures in words and tables, with the rounding and small-group notes
- answers.csv           every answer under its respondent code (courses below the minimum group left out)
- impact_by_course.png  the impact measures for the period and for each course large enough to show
- response_rate.png     post-course response rates by course
- training_activity.csv course, sessions, delegates, attended, responses, response rate, totals

The counting happens in SQL (storage/surveys.py) and the figures in handlers/impact.py.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import gc
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from bot.cli import fail, load_settings, report_app, run_async
from bot.config import Settings

if TYPE_CHECKING:
    from bot.contentpack import ContentPack
    from handlers.impact import ImpactFigures, MeasureFigure
    from handlers.surveys import SurveysPack
    from storage.db import Database

# The report's modules, and matplotlib, are imported when the report runs, so other sgbot
# commands start without them.

FILES = ("summary.md", "answers.csv", "impact_by_course.png", "response_rate.png", "training_activity.csv")


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date; write it like 2025-04-01.") from None


@report_app.command("impact")
def report_impact(
    start: Annotated[str, typer.Option("--from", help="First day of sessions to include (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day of sessions to include, inclusive (YYYY-MM-DD).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the files; created if missing.")],
    course: Annotated[
        list[str] | None, typer.Option("--course", help="Only this course id; repeat for several.")
    ] = None,
) -> None:
    """Training impact for a period: summary, answers, charts and the training activity table."""
    first, last = _day(start, "--from"), _day(end, "--to")
    if last < first:
        raise fail("--to is before --from; give the first day, then the last.")
    settings = load_settings()
    try:
        out.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise fail(f"Cannot create the folder {out}: {exc.strerror or exc}.") from None
    # The modules loaded so far stay until the command ends: the garbage collector need not walk
    # them again during the report, nor at exit (together about half a second here).
    gc.freeze()
    written = run_async(lambda: write_impact_report(settings, first, last, tuple(course or ()), out))
    for line in written:
        typer.echo(line)
    gc.freeze()


async def write_impact_report(
    settings: Settings, first: dt.date, last: dt.date, courses: tuple[str, ...], out: Path
) -> list[str]:
    """The report's work is arranged so the database and Python work at the same time: the
    database counts responses while the content pack is checked; then it writes answers.csv
    while matplotlib is imported, the other figures counted and the charts drawn."""
    from handlers import impact
    from handlers.impact import gather_figures
    from storage import surveys as store

    await asyncio.to_thread(out.mkdir, mode=0o700, parents=True, exist_ok=True)
    zone = ZoneInfo(settings.timezone)
    sel = store.Selection(
        start=dt.datetime.combine(first, dt.time(0), tzinfo=zone).astimezone(dt.UTC),
        end=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone).astimezone(dt.UTC),
        courses=courses,
    )
    title = f"Training impact, {first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
    if courses:
        title += f" ({', '.join(courses)})"
    tasks: list[asyncio.Future[Any]] = []
    db = await _open_database(settings)
    try:
        # Which courses are large enough to show decides what goes into the answers file.
        counting = asyncio.ensure_future(store.survey_counts(db, sel))
        tasks.append(counting)
        surveys_pack = _surveys_section(await asyncio.to_thread(_load_pack, settings))
        survey_counts = await counting
        answer_export = store.export_query(
            sel,
            courses=impact.courses_shown(survey_counts, settings.report_min_group),
            answer_labels={
                (s.id, q.id, value): label
                for s in surveys_pack.surveys
                for q in s.questions
                for value, label in (q.choices() if q.is_tap else [])
            },
        )
        export = asyncio.ensure_future(store.export_answers(db, answer_export, out / "answers.csv"))
        # matplotlib takes a while to import: now, while the database works, not before the export starts.
        charting = asyncio.ensure_future(asyncio.to_thread(_import_charting))
        tasks += [export, charting]
        fig = await gather_figures(
            db,
            sel,
            title=title,
            whole_period=True,
            labels=surveys_pack.measure_labels(),
            min_group=settings.report_min_group,
            max_comments=5,
            survey_counts=survey_counts,
        )
        questions: list[tuple[str, str, str]] = [
            (s.id, q.id, q.text) for s in surveys_pack.surveys for q in s.questions
        ]
        await charting
        await asyncio.to_thread(_write_files, fig, questions, out)
        answers = await export
    finally:
        # On any failure, nothing is left running against a closed database.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await db.dispose()
    notes = [f"Wrote {len(FILES)} files to {out}:"] + [f"  {name}" for name in FILES]
    notes.append(
        f"{fig.responses} responses; {answers} answers in answers.csv; "
        f"{len(fig.suppressed_courses)} course(s) below the minimum group of {fig.min_group} not shown on their own."
    )
    if courses and not fig.activity:
        notes.append(f"No sessions of {', '.join(courses)} started in that period.")
    return notes


# The report needs the content pack and the database, not the rest of the runtime (web server,
# scheduler, adapters), so it loads them as bot.runtime does without importing it.


def _load_pack(settings: Settings) -> ContentPack:
    from bot.contentpack import load_pack
    from bot.registry import build_registry
    from handlers import feature_modules

    return load_pack(settings.content_pack, build_registry(feature_modules()).sections)


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


def _write_files(fig: ImpactFigures, questions: list[tuple[str, str, str]], out: Path) -> None:
    """Every file is owner-only (0600), like answers.csv: the report is about people's answers."""
    from handlers import impact
    from storage.surveys import private_file

    summary = impact.markdown(fig, files=list(FILES), questions=questions)
    with private_file(out / "summary.md", "w") as handle:
        handle.write(summary)
    with private_file(out / "training_activity.csv", "w") as handle:
        write_csv(handle, impact.activity_rows(fig))
    with private_file(out / "impact_by_course.png", "wb") as handle:
        draw_measures(fig, handle)
    with private_file(out / "response_rate.png", "wb") as handle:
        draw_response_rates(fig, handle)


def write_csv(handle: Any, rows: list[list[str]]) -> None:
    """Rows as CSV with every cell made inert the way answers.csv does it: course titles come from
    people, and a title such as =HYPERLINK(...) must not run as a formula in a spreadsheet."""
    from storage.surveys import inert_cell

    csv.writer(handle).writerows([[inert_cell(cell) for cell in row] for row in rows])


# --- charts --------------------------------------------------------------------------------------


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    # The object API with no pyplot: no window, no global state, and PNGs through the Agg
    # renderer. Imported here so other sgbot commands do not pay for matplotlib.
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def draw_measures(fig: ImpactFigures, path: Any) -> None:
    """Grouped horizontal bars: each measure for all courses together, then each course shown."""
    from handlers import impact

    groups: list[tuple[str, dict[str, MeasureFigure]]] = [("All courses", {m.measure: m for m in fig.measures})]
    groups += [(c.title, {m.measure: m for m in c.measures}) for c in fig.courses if not c.suppressed]
    measures = [(m.measure, m.label) for m in fig.measures]
    height = 1.6 + 0.22 * max(1, len(measures)) * len(groups)
    chart = _figure(10, min(height, 60))
    ax = chart.subplots()
    bar = 0.8 / max(1, len(measures))
    colours = ["#1b6ca8", "#e07b39", "#3a9d5d", "#8e5ea2", "#c9a227", "#6b6b6b"]
    for g, (_name, found) in enumerate(groups):
        for m, (measure, label) in enumerate(measures):
            figure = found.get(measure)
            if figure is None or figure.share.whole == 0:
                continue
            y = g + m * bar
            value = figure.share.percent or 0
            ax.barh(y, value, height=bar * 0.9, color=colours[m % len(colours)], label=label if g == 0 else None)
            ax.text(value + 1, y, str(figure.share), va="center", fontsize=8)
    ax.set_yticks([g + bar * (len(measures) - 1) / 2 for g in range(len(groups))], [name for name, _ in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    ax.set_xticks(range(0, 101, 20))
    ax.set_title(fig.title, fontsize=11)
    if measures:
        chart.legend(loc="outside lower center", ncols=min(3, len(measures)), fontsize=8, frameon=False)
    else:
        ax.text(50, 0, "No answers in this period", ha="center")
    note = impact.small_group_note(fig.min_group)
    if fig.suppressed_courses:
        note = f"{len(fig.suppressed_courses)} course(s) with fewer than {fig.min_group} responses not shown. " + note
    ax.set_xlabel(f"Share of answers that were positive (%)\n\n{textwrap.fill(note, 105)}", fontsize=9)
    chart.savefig(path, dpi=110, format="png")


def draw_response_rates(fig: ImpactFigures, path: Any) -> None:
    """Post-course response rate for the period and for each course (counts, never answers)."""
    from handlers import impact

    rows = [r for r in fig.activity if r.invited]
    total = fig.activity_totals()
    bars = [("All courses", total)] + [(r.title, r) for r in rows]
    chart = _figure(10, min(1.6 + 0.4 * len(bars), 60))
    ax = chart.subplots()
    for i, (_name, row) in enumerate(bars):
        value = row.rate.percent or 0
        ax.barh(i, value, height=0.7, color="#1b6ca8" if i else "#0d3b66")
        label = str(row.rate) if row.invited else "no survey sent"
        ax.text(value + 1, i, label, va="center", fontsize=8)
    ax.set_yticks(range(len(bars)), [name for name, _ in bars])
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(
        f"Delegates who answered the post-course survey (%)\n\n{textwrap.fill(impact.ROUNDING_RULE, 105)}", fontsize=9
    )
    ax.set_title(f"Post-course response rate. {fig.title}", fontsize=11)
    chart.savefig(path, dpi=110, format="png")
