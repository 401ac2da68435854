"""/briefing: learning from case reviews as 7-minute briefings, and how far each one reaches.

The briefings live in the content pack (`briefings.yaml`): title, review type, date, then the
seven parts — background, why it matters, key findings, practice themes, what to do
differently, questions for teams, links. Anyone can list them (by theme) and read one;
communications leads can post one to channels at a time they choose.

Every briefing, posted or read privately, carries two buttons: "I've read this" and "I'll use it
in supervision or a team meeting". Presses are counted without user ids (storage/briefings.py
keeps a keyed hash only to count each person once), and `/briefing NAME stats` and
`sgbot report briefings` show the counts, so the Learning Lessons group can see reach.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator
from rapidfuzz import fuzz
from sqlalchemy.ext.asyncio import AsyncSession

from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.dates import utc_range
from core.model import Button, Buttons, Caption, Header, Reply, Request, Text, UserError, reply, require_role
from core.outbox import outgoing, post_all
from core.registry import action, command, subcommand
from core.sanitise import echoed, link_markup, link_url, safe_url
from handlers import guidance
from handlers.posting import Channel, describe_when, example_channel, parse_channels, take_when
from storage import briefings as store
from storage import outbox

REVIEW_TYPES = {
    "lcspr": "Local Child Safeguarding Practice Review",
    "learning lessons review": "Learning lessons review",
    "audit": "Multi-agency audit",
    "national review": "National review",
}
RESERVED = {"list", "theme", "themes", "schedule", "cancel", "stats"}
_ID = r"^[a-z0-9][a-z0-9-]{0,58}$"


# --- the content-pack section ---------------------------------------------------------------------


class Theme(Strict):
    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1, max_length=80)


class BriefingLink(Strict):
    label: str = Field(min_length=1, max_length=75)
    url: str

    @field_validator("url")
    @classmethod
    def _web(cls, value: str) -> str:
        if safe_url(value) != value:
            raise ValueError("must be a full http(s) address")
        honest = link_url(value)
        if honest is None:
            raise ValueError("has a host that cannot be written in plain ASCII")
        if honest != value:  # a user name before the host, or a host that could pass for another site
            raise ValueError(f"must read as where it goes; write it as {honest}")
        return value


class Briefing(Cited):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1, max_length=120)
    review_type: Literal["lcspr", "learning lessons review", "audit", "national review"]
    published: str = Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")
    background: str = Field(min_length=1, max_length=900)
    why_it_matters: str = Field(min_length=1, max_length=900)
    key_findings: list[str] = Field(min_length=1, max_length=8)
    practice_themes: list[str] = Field(min_length=1)
    what_to_do_differently: list[str] = Field(min_length=1, max_length=8)
    reflection_questions: list[str] = Field(min_length=1, max_length=6)
    links: list[BriefingLink] = Field(default_factory=list, max_length=4)

    @property
    def when(self) -> str:
        if "-" in self.published:
            year, month = self.published.split("-")
            return f"{calendar.month_name[int(month)]} {year}"
        return self.published


class BriefingPack(Strict):
    themes: list[Theme] = Field(min_length=1)
    briefings: list[Briefing] = Field(default_factory=list)

    def find(self, briefing_id: str) -> Briefing | None:
        return next((b for b in self.briefings if b.id == briefing_id), None)

    def theme_label(self, theme_id: str) -> str:
        return next((t.label for t in self.themes if t.id == theme_id), theme_id)


def _cross_check(_pack: ContentPack, value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    assert isinstance(value, BriefingPack)
    themes = {t.id for t in value.themes}
    seen: set[str] = set()
    for i, briefing in enumerate(value.briefings):
        if briefing.id in seen:
            yield ("briefings", i, "id"), f"briefing id {briefing.id!r} is used twice"
        if briefing.id in RESERVED:
            yield ("briefings", i, "id"), f"{briefing.id!r} is a /briefing word; choose another id"
        seen.add(briefing.id)
        for j, theme in enumerate(briefing.practice_themes):
            if theme not in themes:
                yield ("briefings", i, "practice_themes", j), f"theme {theme!r} is not listed under themes"


SECTION = Section("briefings", "briefings.yaml", BriefingPack, required=True, cross_check=_cross_check)

_TITLE_WORDS = frozenset(
    ["learning", "lessons", "review", "reviews", "lcspr", "cspr", "scr", "the", "family", "of", "and", "audit"]
)


def review_names(pack: ContentPack) -> frozenset[str]:
    """The names the partnership's published reviews go by ("Andy", "Julia", "the Jones family"):
    said beside a review or briefing, they are a review's name, not a family's."""

    def build(pack: ContentPack) -> frozenset[str]:
        found = pack.find(BriefingPack)
        titles = [b.title for b in found.briefings] if found else []
        words = (w for title in titles for w in re.findall(r"[A-Z][a-z'-]+", title))
        return frozenset(w.lower() for w in words if w.lower() not in _TITLE_WORDS)

    return guidance.cached(pack, "review-names", build)


def briefings(ctx: Context) -> BriefingPack:
    return ctx.pack.get(BriefingPack)


# --- showing a briefing -----------------------------------------------------------------------------


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def briefing_reply(briefing: Briefing, pack: BriefingPack, content: ContentPack, *, public: bool) -> Reply:
    """The seven parts, the two reach buttons and link buttons, and where it came from."""
    themes = [pack.theme_label(t) for t in briefing.practice_themes]
    sample = briefing.unconfirmed or content.is_sample
    blocks: list[object] = [
        Header(text=f"7-minute briefing: {briefing.title}"),
        Caption(text=f"{REVIEW_TYPES[briefing.review_type]} · published {briefing.when}"),
        Text(text=f"**1. Background**\n{briefing.background}"),
        Text(text=f"**2. Why it matters**\n{briefing.why_it_matters}"),
        Text(text=f"**3. Key findings**\n{_bullets(briefing.key_findings)}"),
        Text(text=f"**4. Practice themes to note**\n{_bullets(themes)}"),
        Text(text=f"**5. What to do differently**\n{_bullets(briefing.what_to_do_differently)}"),
        Text(text=f"**6. Questions for your team**\n{_bullets(briefing.reflection_questions)}"),
    ]
    if briefing.links:
        blocks.append(Text(text="**7. Read more**\n" + _bullets([link_markup(x.label, x.url) for x in briefing.links])))
    blocks.append(
        Buttons(
            buttons=[
                Button(label="I've read this", action_id="briefing:read", value=briefing.id, style="primary"),
                Button(
                    label="I'll use it in supervision or a team meeting", action_id="briefing:use", value=briefing.id
                ),
            ]
        )
    )
    source = f"Source: {content.cite(briefing.source)}."
    if sample:
        source += " Sample content: awaiting confirmation by the partnership's Learning Lessons group."
    blocks.append(Caption(text=source))
    return reply(*blocks, public=public, summary=f"7-minute briefing: {briefing.title}")


def _line(briefing: Briefing, pack: BriefingPack) -> str:
    themes = ", ".join(pack.theme_label(t) for t in briefing.practice_themes[:4])
    return f"- **{briefing.id}** {briefing.title} ({REVIEW_TYPES[briefing.review_type]}, {briefing.when}) — {themes}"


# --- the command ------------------------------------------------------------------------------------

LONG_HELP = (
    "Learning from case reviews, in the 7-minute briefing format. **/briefing NAME** shows one, with buttons to "
    "say you've read it or will use it with your team; **/briefing NAME stats** says how many people have (no "
    "names are kept)."
)


@command(
    "briefing",
    usage="[NAME [stats]]",
    help="Learning from case reviews as 7-minute briefings.",
    long_help=LONG_HELP,
)
async def briefing_command(req: Request, ctx: Context) -> Reply:
    """The bare command lists; otherwise the text names a briefing (the verbs are declared below)."""
    pack = briefings(ctx)
    words = req.text.split()
    if not words:
        return _list(pack, pack.briefings, heading="Learning briefings")
    briefing = _find(pack, words[0].lower())
    if len(words) > 1 and words[1].lower() == "stats":
        return await _stats(ctx, briefing)
    if len(words) > 1:
        raise UserError(f"Try /briefing {briefing.id} or /briefing {briefing.id} stats.")
    return briefing_reply(briefing, pack, ctx.pack, public=False)


@subcommand("briefing", "list", help="every briefing.")
async def briefing_list(req: Request, ctx: Context) -> Reply:
    pack = briefings(ctx)
    return _list(pack, pack.briefings, heading="Learning briefings")


@subcommand("briefing", "themes", help="the practice themes, with how many briefings each has.")
async def briefing_themes(req: Request, ctx: Context) -> Reply:
    pack = briefings(ctx)
    counts = Counter(t for b in pack.briefings for t in b.practice_themes)
    lines = [f"- **{t.id}** {t.label} ({counts.get(t.id, 0)})" for t in pack.themes]
    return reply(Header(text="Practice themes"), Text(text="\n".join(lines)), "Filter with /briefing theme NAME.")


@subcommand("briefing", "theme", usage="NAME", help="the briefings on one practice theme.")
async def briefing_theme(req: Request, ctx: Context) -> Reply:
    pack = briefings(ctx)
    theme = _theme(pack, req.text)
    chosen = [b for b in pack.briefings if theme in b.practice_themes]
    return _list(pack, chosen, heading=f"Briefings on {pack.theme_label(theme)}")


@subcommand(
    "briefing",
    "schedule",
    usage="NAME WHEN CHANNEL… [again]",
    help="post it to channels, once each; add again to post it where it has been before.",
    role="comms",
)
async def briefing_schedule(req: Request, ctx: Context) -> Reply:
    return await _schedule(req, ctx, briefings(ctx), req.text.split())


@subcommand("briefing", "cancel", usage="NAME", help="stop posts of it not yet sent.", role="comms")
async def briefing_cancel(req: Request, ctx: Context) -> Reply:
    return await _cancel(req, ctx, briefings(ctx), req.text.split())


def _list(pack: BriefingPack, chosen: list[Briefing], *, heading: str) -> Reply:
    if not chosen:
        return reply(f"There are no briefings under that yet. /briefing lists all {len(pack.briefings)}.")
    return reply(
        Header(text=heading),
        Text(text="\n".join(_line(b, pack) for b in chosen)),
        Caption(text="Read one with /briefing NAME. /briefing themes lists the practice themes."),
    )


def _closest(wanted: str, names: dict[str, str], *, cutoff: float = 75) -> list[str]:
    """Keys whose name contains `wanted`, else whose name (or one word of it) is spelt closest."""
    wanted = wanted.lower()
    inside = [key for key, name in names.items() if wanted in name.lower()]
    if inside:
        return inside
    scored = []
    for key, name in names.items():
        words = [name.lower(), *re.split(r"[^a-z0-9]+", name.lower())]
        score = max(fuzz.ratio(wanted, word) for word in words if word)
        if score >= cutoff:
            scored.append((score, key))
    return [key for _, key in sorted(scored, reverse=True)]


def _find(pack: BriefingPack, name: str) -> Briefing:
    found = pack.find(name.lower())
    if found is not None:
        return found
    close = _closest(name, {b.id: f"{b.id} {b.title}" for b in pack.briefings})[:2]
    if close:
        options = " or ".join(f"/briefing {key}" for key in close)
        raise UserError(f"There is no briefing called {echoed(name)}. Did you mean {options}?")
    raise UserError(f"There is no briefing called {echoed(name)}. /briefing lists them all.")


def _theme(pack: BriefingPack, text: str) -> str:
    wanted = text.strip().lower()
    if not wanted:
        raise UserError("Name a theme, e.g. /briefing theme neglect. /briefing themes lists them.")
    for theme in pack.themes:
        if wanted in (theme.id, theme.label.lower()):
            return theme.id
    close = _closest(wanted, {t.id: f"{t.id} {t.label}" for t in pack.themes})
    if not close:
        raise UserError(f"I don't know the theme {echoed(text)}. /briefing themes lists them.")
    return close[0]


# --- posting ----------------------------------------------------------------------------------------


# A post the platform keeps refusing for a moment (an outage, a 5xx) is tried again until this
# long after its time; nothing else would queue it again. Later than that, a briefing is stale.
STILL_WORTH_POSTING = dt.timedelta(days=3)


def _post_prefix(briefing_id: str) -> str:
    return f"briefing:{briefing_id}:"


async def _schedule(req: Request, ctx: Context, pack: BriefingPack, words: list[str]) -> Reply:
    require_role(req, "comms", "post briefings to channels")
    again = bool(words) and words[-1].lower() == "again"
    words = words[:-1] if again else words
    if len(words) < 3:
        raise UserError(
            "Give a briefing, a time and channels, e.g. /briefing schedule laura 09:30 "
            f"{example_channel(req.platform)}."
        )
    briefing = _find(pack, words[0])
    now = ctx.now()
    when, rest = take_when(words[1:], now=now, zone=ctx.zone)
    if not rest:
        raise UserError(
            "Give at least one channel after the time, e.g. /briefing schedule laura 09:30 "
            f"{example_channel(req.platform)}."
        )
    channels = parse_channels(req, rest)
    post = briefing_reply(briefing, pack, ctx.pack, public=True)
    # One post of a briefing per channel: a second schedule is refused for channels that already
    # have it, unless the person asks for it "again" (a repeat is then keyed by its time).
    fresh: list[Channel] = []
    failed_before: list[str] = []
    already_there: list[str] = []  # posted there
    on_its_way: list[str] = []  # waiting to go out there, or being tried again
    expires = when + STILL_WORTH_POSTING
    for c in channels:
        key = f"{_post_prefix(briefing.id)}{c.platform}:{c.channel_id}"
        earlier = None
        if not again:
            async with ctx.db.transaction() as tx:
                earlier = await outbox.get(tx, key)
        if earlier is not None and earlier.status not in (outbox.SKIPPED, outbox.FAILED):
            if earlier.status == outbox.SENT and earlier.sent_at is not None:
                already_there.append(f"{c.label} (posted {describe_when(earlier.sent_at, ctx.zone)})")
            else:
                on_its_way.append(f"{c.label} (due {describe_when(earlier.due_at, ctx.zone)})")
            continue
        if (earlier is not None and earlier.status == outbox.SKIPPED) or again:
            key += f":{when:%Y%m%dT%H%M}"  # a cancelled post, or a repeat asked for, is keyed by its time
        message = outgoing(key, post, to=c.target(), due=when, expires=expires)
        async with ctx.db.transaction() as tx:
            queued = await post_all(tx, [message], now=now)
            # A post that failed for good never reached the channel: it goes again under its own
            # key, which then says where the briefing is.
            requeued = not queued and await outbox.post_failed_again(
                tx, key, payload=message.payload, due_at=when, expires_at=expires
            )
        if queued or requeued:
            fresh.append(c)
            if requeued:
                failed_before.append(c.label)
        else:
            on_its_way.append(f"{c.label} (already scheduled for that time)")
    there = [f"in {', '.join(already_there)}"] if already_there else []
    there += [f"on its way to {', '.join(on_its_way)}"] if on_its_way else []
    if not fresh:
        raise UserError(
            f"**{briefing.title}** is already {' and '.join(there)}. To post it there once more, "
            f"add the word again: /briefing schedule {briefing.id} {' '.join(words[1:])} again"
        )
    channels = fresh
    await ctx.audit(req, "briefing.scheduled", subject=briefing.id, detail=f"{len(channels)} channels")
    where = ", ".join(c.label for c in channels)
    timing = "within a minute" if when <= now else f"on {describe_when(when, ctx.zone)}"
    already = (
        f" Not again in {', '.join(already_there + on_its_way)}: it is there or on its way already "
        "(add again to repeat it)."
        if there
        else ""
    )
    retried = (
        f" The earlier post to {', '.join(failed_before)} never went out (the platform refused it), "
        "so this is a new try."
        if failed_before
        else ""
    )
    return reply(
        f"The briefing **{briefing.title}** will be posted to {where} {timing}.{retried}{already} "
        f"/briefing cancel {briefing.id} stops posts not yet sent."
    )


async def _cancel(req: Request, ctx: Context, pack: BriefingPack, words: list[str]) -> Reply:
    require_role(req, "comms", "cancel briefing posts")
    if not words:
        raise UserError("Name the briefing, e.g. /briefing cancel laura.")
    briefing = _find(pack, words[0])
    async with ctx.db.transaction() as tx:
        stopped = await outbox.cancel_pending(tx, _post_prefix(briefing.id), reason="cancelled with /briefing cancel")
    await ctx.audit(req, "briefing.cancelled", subject=briefing.id, detail=str(stopped))
    if not stopped:
        return reply(f"No posts of {briefing.title} were waiting to go.")
    return reply(f"Stopped {stopped} post(s) of {briefing.title} that had not gone yet.")


# --- reach ------------------------------------------------------------------------------------------


def person_key(ctx: Context, req: Request, briefing_id: str, kind: str) -> str:
    """A keyed hash that is the same for one person pressing one button twice, and nothing else."""
    message = f"briefing|{req.platform}|{req.user_id}|{briefing_id}|{kind}".encode()
    return hmac.new(ctx.settings.survey_key(), message, hashlib.sha256).hexdigest()[:40]


async def _pressed(req: Request, ctx: Context, kind: str) -> Reply:
    # Counted whether the briefing was posted or opened privately with /briefing NAME, which shows
    # the same buttons: someone who read it there has read it. A press forged by hand is the same
    # press, and still counts once per person.
    briefing = briefings(ctx).find(req.value)
    if briefing is None:
        raise UserError("That briefing is no longer in the partnership's pack, so nothing was counted.")
    async with ctx.db.transaction() as tx:
        new = await store.record(
            tx,
            briefing_id=briefing.id,
            kind=kind,
            person=person_key(ctx, req, briefing.id, kind),
            today=ctx.local_now().date(),
        )
    if not new:
        return reply("You'd already told us, so it still counts once. Thank you.")
    if kind == store.READ:
        return reply(f"Thank you: counted as read — {briefing.title}. No names are kept, only the number.")
    return reply(
        f"Thank you: counted — you'll use {briefing.title} with your team. Its questions for your team are a good "
        "place to start. No names are kept, only the number."
    )


@action("briefing:read", pattern=_ID)
async def pressed_read(req: Request, ctx: Context) -> Reply:
    return await _pressed(req, ctx, store.READ)


@action("briefing:use", pattern=_ID)
async def pressed_use(req: Request, ctx: Context) -> Reply:
    return await _pressed(req, ctx, store.WILL_USE)


async def _stats(ctx: Context, briefing: Briefing) -> Reply:
    async with ctx.db.transaction() as tx:
        counts = (await store.counts(tx, briefing.id)).get(briefing.id, {})
        posted = (await store.posted_channels(tx)).get(briefing.id, 0)
    read, use = counts.get(store.READ, 0), counts.get(store.WILL_USE, 0)
    return reply(
        Header(text=f"Reach: {briefing.title}"),
        Text(
            text=f"- Posted in **{posted}** channel{'s' if posted != 1 else ''}\n"
            f"- **{read}** {'person has' if read == 1 else 'people have'} said they read it\n"
            f"- **{use}** will use it in supervision or a team meeting"
        ),
        Caption(text="Each person counts once per button. No names or user ids are kept."),
    )


async def reach_rows(
    tx: AsyncSession,
    content: ContentPack,
    *,
    days: tuple[dt.date, dt.date] | None = None,
    zone: ZoneInfo | None = None,
) -> list[tuple[str, str, str, int, int, int]]:
    """For `sgbot report briefings`: id, type, published, channels posted, read, will use; with
    `days` (first, last, inclusive, in `zone`), only the posts and presses of those days."""
    pack = content.get(BriefingPack)
    counts = await store.counts(tx, days=days)
    between = None if days is None else utc_range(*days, zone or ZoneInfo("UTC"))
    posted = await store.posted_channels(tx, between=between)
    return [
        (
            b.id,
            b.review_type,
            b.published,
            posted.get(b.id, 0),
            counts.get(b.id, {}).get(store.READ, 0),
            counts.get(b.id, {}).get(store.WILL_USE, 0),
        )
        for b in pack.briefings
    ]
