"""/threshold: which level of need a worry suggests, what to do and whom to contact.

Content: `levels.yaml` in the content pack (`Levels`, in pack.py). The feature in four steps, one
module each: pack.py (the section and its checks), index.py (the match index built once per
pack), reading.py (what a question is about: `assess`), answer.py (what is shown); this module
holds the command and its buttons.

Wording rules, held by tests: an answer never says that a case "meets" a threshold or not;
every answer ends with the emergency route and the reminder that this supports professional
judgement. Identifying details in the question are redacted before matching and never kept.
"""

from __future__ import annotations

import re
from typing import Any

from core.contentpack import ContentPack
from core.context import Context
from core.model import Divider, Reply, Request, Text, reply
from core.registry import action, command
from handlers import contacts, guidance
from handlers.threshold.answer import (
    PHONE_BUDGET,
    answer_with_assessment,
    call_999_now,
    from_button_value,
    level_in_full,
    more_answer,
    overview,
    sources_answer,
    topics_for,
)
from handlers.threshold.index import INDEX_NAME, build_index, index_of
from handlers.threshold.pack import LEVELS, Levels
from handlers.threshold.reading import FIRST_SCREEN, Assessment, Ranked, assess, found_concepts

# What the rest of the bot, the benchmarks and the tests use; the modules hold the rest.
__all__ = [
    "FIRST_SCREEN",
    "LEVELS",
    "PHONE_BUDGET",
    "Levels",
    "Ranked",
    "assess",
    "found_concepts",
    "index_of",
    "overview",
    "threshold_reply",
]


@command(
    "threshold",
    usage="[what you're worried about | level N]",
    suggest=topics_for,
    help="Levels of need: the closest indicators, what to do and whom to contact.",
    long_help="/threshold alone shows the levels of need at a glance. Describe a worry in general terms "
    "(never a child's name or details), e.g. /threshold parent drinking and baby not brought to appointments, "
    "to see the closest indicator for each worry with its level and what to do; More shows the rest. "
    "/threshold level 3 shows one level in full. The answer supports your professional judgement; "
    "it never decides for you.",
)
async def threshold_command(req: Request, ctx: Context) -> Reply:
    await guidance.cached_async(ctx.pack, INDEX_NAME, build_index)  # in the first second after start-up
    answer, topic, assessment = await guidance.read_off_loop(req.text, _reply, ctx.pack, req.text)
    await guidance.count_lookup(ctx, "threshold", topic)
    if assessment is not None:
        await guidance.count_assessment(
            ctx, "threshold", concerns=assessment.concerns, off_topic=assessment.off_topic,
            nothing_close=assessment.nothing_close,
        )  # fmt: skip
    return answer


_BUTTON_VALUE = r"^[0-9a-f]{6}:[0-9]u?:[0-9]{1,5}(?:\.[0-9]{1,5}){0,11}$"  # see _value


@action("threshold:more", pattern=_BUTTON_VALUE)
async def threshold_more(req: Request, ctx: Context) -> Reply:
    """More was pressed: the rest of the indicators, found again from their numbers (never from the question)."""
    await guidance.cached_async(ctx.pack, INDEX_NAME, build_index)
    return _button_reply(ctx.pack, req.value, more_answer)


@action("threshold:sources", pattern=_BUTTON_VALUE)
async def threshold_sources(req: Request, ctx: Context) -> Reply:
    """Full sources was pressed: each indicator's full citation."""
    await guidance.cached_async(ctx.pack, INDEX_NAME, build_index)
    return _button_reply(ctx.pack, req.value, sources_answer)


@action("threshold:level", pattern=r"^[1-9]$")
async def threshold_level(req: Request, ctx: Context) -> Reply:
    """ "Level N in full" was pressed: that level's description, what to do and its indicators."""
    level = ctx.pack.get(Levels).level(int(req.value))
    if level is None:
        return _wrap(
            ctx.pack, [Text(text="The guidance has changed since that answer. Ask again with /threshold.")], False
        )
    return _wrap(ctx.pack, level_in_full(ctx.pack, level), False)


def _button_reply(pack: ContentPack, value: str, build: Any) -> Reply:
    index = index_of(pack)
    found = from_button_value(index, value)
    if found is None:
        body: list[Any] = [
            Text(text="The guidance has been updated since that answer. Ask again with /threshold and your question.")
        ]
    else:
        body = build(pack, index, *found)
    return _wrap(pack, body, False)


def _wrap(pack: ContentPack, body: list[Any], warn: bool) -> Reply:
    # the line to call 999, when the answer has one, comes before everything else: the sample
    # banner and the privacy reminder can wait (an outside practitioner's audit)
    first = body[:1] if body and isinstance(body[0], Text) and body[0].text == call_999_now(pack) else []
    top: list[Any] = [*first]
    if banner := guidance.sample_banner(pack):
        top.append(banner)
    if warn:
        top.append(guidance.identifier_warning())
    return reply(*top, *body[len(first) :], Divider(), *contacts.finish(pack), summary="Levels of need")


# The asker saying they are a child themselves: "im 15", "I'm only 14", "15yo here -", "15 yo -"
# (not "I'm 15 weeks pregnant", nor "15 minutes late")
_YOUNG_ASKER = re.compile(
    r"(?i)(?:\b(?:i\s+am|i'?m|im)\s+(?:only\s+|just\s+)?(?:1[0-7]|[89])\b(?!\s*(?:weeks?|wks?|months?|mins?|minutes|hours?|hrs?|%))"
    r"|^\s*(?:1[0-7])\s*(?:yo|y/o|yrs?\s+old|years?\s+old)?\s*(?:here\b|[-:–—]))"
)


def childline_for_a_young_asker(pack: ContentPack, text: str) -> list[Text]:
    """A line for an asker who says they are a child: the answer is written for practitioners, and
    an outside audit's 15-year-olds asking about a friend got "tell your DSL" and no Childline."""
    if not _YOUNG_ASKER.search(text):
        return []
    line = next(
        (c for c in contacts.contacts_of(pack).contacts if "childline" in " ".join([c.name, *c.asked_as]).lower()),
        None,
    )
    if line is None or not line.number:
        return []
    return [
        Text(
            text=f"**If you are under 18**, you can talk to {line.name} about yourself or a friend, free and "
            f"confidential: {line.number} ({line.hours.lower() if line.hours else 'free'}). A teacher or another "
            "adult you trust can help too."
        )
    ]


def _reply(pack: ContentPack, text: str) -> tuple[Reply, str, Assessment | None]:
    screened = contacts.screen(pack, text)
    body, topic, assessment = answer_with_assessment(pack, screened.text)
    if young := childline_for_a_young_asker(pack, screened.text):
        urgent = 1 if body and isinstance(body[0], Text) and body[0].text == call_999_now(pack) else 0
        body = [*body[:urgent], *young, *body[urgent:]]  # after "Call 999 now", before the guidance
    return _wrap(pack, body, screened.had_identifiers), topic, assessment


def threshold_reply(pack: ContentPack, text: str) -> tuple[Reply, str]:
    """The whole private answer to `/threshold text`, and the topic to count it under."""
    answer, topic, _assessment = _reply(pack, text)
    return answer, topic
