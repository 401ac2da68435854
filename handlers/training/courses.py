"""The course catalogue: the content pack's `courses.yaml` (checked when the pack loads) plus the
courses trainers add with `/training courses add`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from core.contentpack import Cited, Section, Strict
from core.context import Context
from core.sanitise import inert_text
from storage import training as store
from storage.training import TrainingSession

DELIVERY_MODES = ("in person", "virtual", "e-learning")
Delivery = Literal["in person", "virtual", "e-learning"]
_SLUG = r"^[a-z0-9][a-z0-9-]{0,79}$"

# --- the content-pack section ------------------------------------------------------------------


class Course(Cited):
    id: str = Field(pattern=_SLUG)
    title: str = Field(min_length=3, max_length=200)
    summary: str
    audience: str
    duration_minutes: int = Field(gt=0, le=24 * 60)
    delivery: list[Delivery] = Field(min_length=1)
    accreditation: str = ""
    topics: list[str] = Field(min_length=1)


class CourseCatalogue(Strict):
    courses: list[Course] = Field(min_length=1)


def check_catalogue(catalogue: BaseModel) -> Iterable[tuple[tuple[object, ...], str]]:
    assert isinstance(catalogue, CourseCatalogue)
    seen: set[str] = set()
    for i, course in enumerate(catalogue.courses):
        if course.id in seen:
            yield ("courses", i, "id"), f"course id {course.id!r} is used twice; ids must be unique"
        seen.add(course.id)
        for j, topic in enumerate(course.topics):
            if not re.fullmatch(_SLUG, topic):
                yield (
                    ("courses", i, "topics", j),
                    f"topic {topic!r} should be lower-case words joined by hyphens, e.g. domestic-abuse",
                )


SECTION = Section(
    "courses", "courses.yaml", CourseCatalogue, cross_check=lambda _pack, catalogue: check_catalogue(catalogue)
)


# --- courses: the pack's programme plus courses trainers added ------------------------------------


@dataclass(frozen=True)
class CourseInfo:
    id: str
    title: str
    summary: str
    audience: str
    duration_minutes: int
    delivery: tuple[str, ...]
    accreditation: str
    topics: tuple[str, ...]
    source: str  # a citation, or who added it
    unconfirmed: bool = False


async def courses(ctx: Context) -> dict[str, CourseInfo]:
    found: dict[str, CourseInfo] = {}
    for c in ctx.pack.get(CourseCatalogue).courses:
        found[c.id] = CourseInfo(
            c.id,
            c.title,
            c.summary,
            c.audience,
            c.duration_minutes,
            tuple(c.delivery),
            c.accreditation,
            tuple(c.topics),
            ctx.pack.cite(c.source),
            c.unconfirmed,
        )
    async with ctx.db.transaction() as tx:
        added = await store.added_courses(tx)
    for row in added:
        found.setdefault(
            row.id,
            CourseInfo(
                row.id,
                row.title,
                row.summary,
                row.audience,
                row.duration_minutes,
                tuple(split_list(row.delivery)),
                row.accreditation,
                tuple(split_list(row.topics)),
                f"added by {inert_text(row.created_by_name) or 'a trainer'}",
            ),
        )
    return found


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def course_of(session: TrainingSession, catalogue: Mapping[str, CourseInfo]) -> CourseInfo:
    """The session's course; a session outlives its course leaving the pack."""
    known = catalogue.get(session.course_id)
    if known is not None:
        return known
    minutes = int((session.end_at - session.start_at).total_seconds() // 60)
    return CourseInfo(session.course_id, session.title, "", "", minutes, (), "", (), "")
