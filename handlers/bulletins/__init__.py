"""/bulletin: the partnership's own bulletins — the bi-monthly bulletin, the Joint Exploitation
Group bulletin, the learning lessons bulletin — written by the business unit and sent to the
channels practitioners read. Communications leads and admins only.

A bulletin is Markdown: a title, `## Section` headings, paragraphs, "- " bullets, `**bold**`
and `[links](https://...)`. Write it in a file and `sgbot bulletin import FILE.md`, or type it
into `/bulletin new`. Preview it privately, schedule it to channels, edit it until it goes, or
cancel it. At its time it is handed to the outbox once, with one row per channel
(`bulletin:<id>:<platform>:<channel>`), so each channel gets it exactly once, across restarts
and replicas; the adapters pace the posts within each platform's rate limits.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import Context
from core.markup import LINK_ADDRESS
from core.model import Caption, Form, FormErrors, FormField, Header, Reply, Request, Text, UserError, reply
from core.outbox import outgoing, post_all
from core.registry import action, command, job, subcommand
from core.sanitise import honest_addresses, link_markup, neutralise_mentions, safe_url
from handlers.posting import Channel, describe_when, example_channel, parse_channels, take_when
from storage import bulletins as store

TITLE_CHARS = 150  # fits a Slack header block
FORM_BODY_CHARS = 3000  # the most a Slack modal text box takes
FILE_BYTES = 100_000
LINE_CHARS = FORM_BODY_CHARS  # a paragraph: Slack's text blocks hold no more, and no one writes a longer one
STILL_WORTH_SENDING = dt.timedelta(days=3)  # after an outage longer than this, a bulletin is stale
# The address may hold balanced brackets, as in javascript:alert(1), so the link ends at its own ")";
# else, with an unbalanced "(" (https://x.example/login(1), it ends where core.markup's link would,
# so no link reaches the renderers without its label checked against its address.
_MD_LINK = re.compile(
    r"\[(?P<label>[^\[\]\n]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+|" + LINK_ADDRESS + r")(?:\s+\"[^\"]*\")?\)"
)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_HASHES = re.compile(r"#{1,6}(?=\s)")
_BULLET = re.compile(r"^(?P<indent>\s*)[*+-]\s+(?P<text>.*)$")

LONG_HELP = (
    "Write, preview and send the partnership's bulletins. Communications leads and admins only. "
    "Bulletins are Markdown (`## Section`, `- bullet`, `**bold**`, `[label](https://…)`); longer ones can be "
    "written as a file and loaded with `sgbot bulletin import FILE.md`. WHEN is now, 09:30, tomorrow 9am, "
    "2026-03-05 or 05/03/2026 09:30."
)


class BulletinProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Markdown -> neutral markup ----------------------------------------------------------------------


def _line_to_neutral(line: str) -> str:
    line = _AUTOLINK.sub(lambda m: m.group("url"), line)

    def link(match: re.Match[str]) -> str:
        url = safe_url(match.group("url"))
        label = match.group("label")
        return link_markup(label, url) if url else label

    # A link needs its ")": none can start after the line's last one, and each try would read on to the
    # line's end ("[a](" over and over took seconds: an outside audit), so only the part before it is read.
    end = line.rfind(")") + 1
    line = _MD_LINK.sub(link, line[:end]) + line[end:]
    line = honest_addresses(line)  # a bare address reads as where it goes, as a link's does
    line = re.sub(r"__(.+?)__", r"**\1**", line)
    return neutralise_mentions(line)


def _heading(line: str) -> tuple[int, str] | None:
    """A `## Heading` line's level and text (closing hashes dropped), or None. Read by hand, not
    by one pattern: `\\s+(.+?)\\s*#*\\s*$` tried every split of a long run of spaces."""
    hashes = _HASHES.match(line)
    if hashes is None:
        return None
    text = line[hashes.end() :].strip()
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1].isspace()):
        text = closed.rstrip()
    return (len(hashes.group()), text) if text else None


def markdown_sections(body: str) -> list[str]:
    """Markdown -> neutral markup, one string per section (each `##` heading starts one)."""
    sections: list[list[str]] = [[]]
    for raw in body.replace("\r\n", "\n").split("\n"):
        heading = _heading(raw)
        if heading:
            if any(line.strip() for line in sections[-1]):
                sections.append([])
            sections[-1].append(f"**{_line_to_neutral(heading[1])}**")
            continue
        bullet = _BULLET.match(raw)
        if bullet and not raw.strip().startswith("**"):
            depth = len(bullet.group("indent").expandtabs(4)) // 2
            sections[-1].append("  " * depth + "- " + _line_to_neutral(bullet.group("text")))
            continue
        sections[-1].append(_line_to_neutral(raw.rstrip()))
    texts = []
    for lines in sections:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        if text:
            texts.append(text)
    return texts


def split_title(markdown: str) -> tuple[str, str]:
    """A file's first `# Title` line and the rest. Raises BulletinProblem without a title."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = _heading(line)
        if heading and heading[0] == 1:
            return heading[1], "\n".join(lines[index + 1 :]).strip("\n")
        break
    raise BulletinProblem("the file must start with a title line such as '# MSCP bulletin, March 2026'.")


def read_markdown_file(path: Path) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BulletinProblem(f"the file cannot be read ({exc.strerror or exc}).") from None
    if len(data) > FILE_BYTES:
        raise BulletinProblem(f"the file is over {FILE_BYTES // 1000} KB; a bulletin for chat should be shorter.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BulletinProblem("the file is not UTF-8 text; save it as UTF-8 and try again.") from None
    title, body = split_title(text)
    at = text.find(body) if body else -1
    check(title, body, where="the file", first_line=text.count("\n", 0, at) + 1 if at >= 0 else 1)
    return title, body


def check(title: str, body: str, *, where: str = "the text", first_line: int = 1) -> None:
    """`first_line`: the number, in `where`, of the body's first line (a file's title comes before it)."""
    if not title.strip():
        raise BulletinProblem("the bulletin needs a title.")
    if len(title) > TITLE_CHARS:
        raise BulletinProblem(f"the title is {len(title)} characters; keep it to {TITLE_CHARS}.")
    for number, line in enumerate(body.split("\n"), start=first_line):
        if len(line) > LINE_CHARS:
            raise BulletinProblem(
                f"line {number} of {where} is {len(line):,} characters long; break it into paragraphs "
                f"of at most {LINE_CHARS:,} characters (a blank line between them)."
            )
    if not markdown_sections(body):
        raise BulletinProblem("the bulletin has no text under its title.")


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def without_title(title: str, body: str) -> str:
    """The body without a first `# Title` line that repeats the title. A bulletin typed into the
    form often starts that way, as a Markdown file does, and the title is already its header."""
    lines = body.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        heading = _heading(line)
        if heading and heading[0] == 1 and _same_words(heading[1], title):
            return "\n".join(lines[index + 1 :]).strip("\n")
        break
    return body


def bulletin_reply(title: str, body: str, partnership: str) -> Reply:
    """The bulletin as it is posted: a header, one text block per section, and who sent it."""
    blocks: list[object] = [Header(text=neutralise_mentions(title))]
    blocks.extend(Text(text=section) for section in markdown_sections(without_title(title, body)))
    blocks.append(Caption(text=f"A bulletin from {partnership}."))
    return reply(*blocks, public=True, summary=neutralise_mentions(title))


# --- commands ---------------------------------------------------------------------------------------


@command(
    "bulletin",
    help="Write, preview, schedule and send the partnership's bulletins.",
    long_help=LONG_HELP,
    role="comms",
)
async def bulletin_command(req: Request, ctx: Context) -> Reply:
    """The bare command lists; a word that is not one of the sub-commands below is answered from them."""
    if not req.text.strip():
        return await _list(ctx)
    raise UserError(ctx.registry.unknown_subcommand_text("bulletin", req.text.split()[0]))


@subcommand("bulletin", "list", help="recent bulletins and how far each has got.")
async def bulletin_list(req: Request, ctx: Context) -> Reply:
    return await _list(ctx)


@subcommand("bulletin", "new", help="write one in a form.")
async def bulletin_new(req: Request, ctx: Context) -> Reply:
    return Reply(form=_form("new"))


@subcommand("bulletin", "preview", usage="ID", help="see it privately, exactly as it will be posted.")
async def bulletin_preview(req: Request, ctx: Context) -> Reply:
    bulletin, words = await _numbered(req, ctx, "preview")
    return await _preview(req, ctx, bulletin, words)


@subcommand("bulletin", "edit", usage="ID", help="change it until it goes.")
async def bulletin_edit(req: Request, ctx: Context) -> Reply:
    bulletin, words = await _numbered(req, ctx, "edit")
    return await _edit(req, ctx, bulletin, words)


@subcommand(
    "bulletin",
    "schedule",
    usage="ID WHEN CHANNEL…",
    help="send it at WHEN to one or more channels; scheduling again changes the time or channels.",
)
async def bulletin_schedule(req: Request, ctx: Context) -> Reply:
    bulletin, words = await _numbered(req, ctx, "schedule")
    return await _schedule(req, ctx, bulletin, words)


@subcommand("bulletin", "cancel", usage="ID", help="stop it before it goes.")
async def bulletin_cancel(req: Request, ctx: Context) -> Reply:
    bulletin, words = await _numbered(req, ctx, "cancel")
    return await _cancel(req, ctx, bulletin, words)


async def _numbered(req: Request, ctx: Context, verb: str) -> tuple[store.Bulletin, list[str]]:
    words = req.text.split()
    if not words or not words[0].isascii() or not words[0].isdigit():  # isdigit alone lets "²" through
        raise UserError(f"Give the bulletin's number, e.g. /bulletin {verb} 3. /bulletin list shows the numbers.")
    number = words[0]
    bulletin = None
    # Numbers count up from 1 and never reach ten digits; a longer one could not even be looked
    # up (PostgreSQL's integer column stops at 2,147,483,647), so it simply names no bulletin.
    if len(number.lstrip("0")) <= 9:
        async with ctx.db.transaction() as tx:
            bulletin = await store.get(tx, int(number))
    if bulletin is None:
        shown = number if len(number) <= 20 else number[:19] + "…"
        raise UserError(f"There is no bulletin {shown}. /bulletin list shows the bulletins there are.")
    return bulletin, words[1:]


def _form(value: str, title: str = "", body: str = "") -> Form:
    return Form(
        action_id="bulletin:save",
        title="Bulletin" if value == "new" else f"Edit bulletin {value}",
        value=value,
        submit_label="Save draft" if value == "new" else "Save changes",
        fields=[
            FormField(id="title", label="Title", initial=title, max_length=TITLE_CHARS),
            FormField(
                id="body",
                # as code, so every platform shows the syntax as typed rather than reading it
                label="Text (Markdown: `## Section`, `- bullet`, `**bold**`, `[label](https://…)`)",
                kind="multiline",
                initial=body,
                max_length=FORM_BODY_CHARS,
            ),
        ],
    )


@action("bulletin:save", role="comms", pattern=r"^(new|\d{1,9})$")
async def bulletin_saved(req: Request, ctx: Context) -> Reply | FormErrors:
    title = req.form.get("title", "").strip()
    body = req.form.get("body", "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Give the bulletin a title."
    elif len(title) > TITLE_CHARS:
        errors["title"] = f"Keep the title to {TITLE_CHARS} characters."
    if not markdown_sections(without_title(title, body)):
        errors["body"] = "Write the bulletin's text here."
    elif len(body) > FORM_BODY_CHARS:
        errors["body"] = (
            f"That is {len(body):,} characters; a chat form takes {FORM_BODY_CHARS:,}. Shorten it, or split it "
            "into two bulletins; whoever runs the bot can also load a longer one from a file "
            "(sgbot bulletin import)."
        )
    if errors:
        return FormErrors(errors=errors)
    now = ctx.now()
    if req.value == "new":
        async with ctx.db.transaction() as tx:
            bulletin = await store.create(tx, title=title, body=body, by=f"{req.platform}:{req.user_id}", now=now)
        await ctx.audit(req, "bulletin.created", subject=str(bulletin.id))
        return reply(
            f"Bulletin **{bulletin.id}** saved as a draft. /bulletin preview {bulletin.id} shows it as it will be "
            f"posted; /bulletin schedule {bulletin.id} WHEN CHANNEL… sends it."
        )
    bulletin_id = int(req.value)
    async with ctx.db.transaction() as tx:
        before = await store.get(tx, bulletin_id)
        unchanged = before is not None and before.title == title and before.body.strip() == body
        edited = before is not None and before.status in store.EDITABLE
        if edited and not unchanged:
            edited = await store.edit(tx, bulletin_id, title=title, body=body, now=now)
        after = await store.get(tx, bulletin_id) if not edited else None
    if not edited:
        status = after.status if after is not None else None
        raise UserError(f"{_gone(bulletin_id, status)}, so it can't be changed now.")
    if unchanged:
        return reply(f"Nothing changed: bulletin **{bulletin_id}** has the same title and text as before.")
    await ctx.audit(req, "bulletin.edited", subject=str(bulletin_id))
    return reply(f"Bulletin **{bulletin_id}** updated. /bulletin preview {bulletin_id} shows the new version.")


def _gone(bulletin_id: int, status: str | None) -> str:
    """Why a bulletin can no longer be changed: the bot knows whether it went or was stopped."""
    if status == store.CANCELLED:
        return f"Bulletin {bulletin_id} was cancelled"
    if status == store.SENDING:
        return f"Bulletin {bulletin_id} is being sent now"
    return f"Bulletin {bulletin_id} has already been sent"


def _where(bulletin: store.Bulletin) -> str:
    return ", ".join(f"#{c['channel_id']}" for c in bulletin.channels) or "no channels yet"


async def _status(tx: AsyncSession, ctx: Context, bulletin: store.Bulletin) -> str:
    if bulletin.status == store.DRAFT:
        return "draft"
    if bulletin.status == store.CANCELLED:
        return "cancelled"
    when = describe_when(bulletin.send_at, ctx.zone) if bulletin.send_at else "soon"
    if bulletin.status == store.SCHEDULED:
        return f"scheduled for {when} to {_where(bulletin)}"
    counts = await store.delivery_counts(tx, bulletin.id)
    total = len(bulletin.channels)
    text = f"sent {when}: posted in {counts.get('sent', 0)} of {total} channels"
    if counts.get("failed"):
        text += f", {counts['failed']} failed (see the bot's log)"
    return text


async def _list(ctx: Context) -> Reply:
    async with ctx.db.transaction() as tx:
        bulletins = await store.recent(tx, limit=15)
        lines = [f"- **{b.id}** {neutralise_mentions(b.title)} — {await _status(tx, ctx, b)}" for b in bulletins]
    if not bulletins:
        return reply(
            "No bulletins yet. Start one with /bulletin new, or import a Markdown file with sgbot bulletin import."
        )
    return reply(Header(text="Bulletins"), Text(text="\n".join(lines)))


async def _preview(req: Request, ctx: Context, bulletin: store.Bulletin, _words: list[str]) -> Reply:
    shown = bulletin_reply(bulletin.title, bulletin.body, ctx.pack.partnership.name)
    async with ctx.db.transaction() as tx:
        status = await _status(tx, ctx, bulletin)
    note = f"Preview of bulletin {bulletin.id} ({status}). Only you can see this."
    return reply(Caption(text=note), *shown.blocks)


async def _edit(req: Request, ctx: Context, bulletin: store.Bulletin, _words: list[str]) -> Reply:
    if bulletin.status not in store.EDITABLE:
        raise UserError(f"{_gone(bulletin.id, bulletin.status)}, so it can't be changed now.")
    if len(bulletin.body) > FORM_BODY_CHARS:
        raise UserError(
            f"Bulletin {bulletin.id} is longer than a chat form can hold. Edit its Markdown file and run "
            f"sgbot bulletin import FILE --replace {bulletin.id}."
        )
    return Reply(form=_form(str(bulletin.id), bulletin.title, bulletin.body))


async def _schedule(req: Request, ctx: Context, bulletin: store.Bulletin, words: list[str]) -> Reply:
    if len(words) < 2:
        raise UserError(
            f"Give a time and at least one channel, e.g. /bulletin schedule {bulletin.id} 09:30 "
            f"{example_channel(req.platform)}."
        )
    now = ctx.now()
    when, rest = take_when(words, now=now, zone=ctx.zone)
    if not rest:
        raise UserError(
            f"Give at least one channel after the time, e.g. /bulletin schedule {bulletin.id} 09:30 "
            f"{example_channel(req.platform)}."
        )
    channels: list[Channel] = parse_channels(req, rest)
    async with ctx.db.transaction() as tx:
        before = await store.get(tx, bulletin.id)
        earlier = None  # the time and channels this schedule replaces, if any
        if before is not None and before.status == store.SCHEDULED and before.send_at is not None:
            earlier = (before.send_at, _where(before))
        done = await store.schedule(
            tx, bulletin.id, send_at=when, zone=ctx.settings.timezone, channels=[c.as_dict() for c in channels], now=now
        )
    if not done:
        async with ctx.db.transaction() as tx:
            after = await store.get(tx, bulletin.id)
        status = after.status if after is not None else None
        raise UserError(f"{_gone(bulletin.id, status)}, so it can't be scheduled.")
    await ctx.audit(req, "bulletin.scheduled", subject=str(bulletin.id), detail=f"{len(channels)} channels")
    where = ", ".join(c.label for c in channels)
    timing = _timing(when, now, ctx)
    title = neutralise_mentions(bulletin.title)
    number = bulletin.id
    until = f"Until then you can change it with /bulletin edit {number} or stop it with /bulletin cancel {number}."
    if earlier is None:
        return reply(f"Bulletin **{bulletin.id}** ({title}) will go to {where} {timing}. {until}")
    earlier_at, earlier_where = earlier
    if _timing(earlier_at, now, ctx) == timing and earlier_where == where:  # the same, as far as anyone can tell
        return reply(f"Bulletin **{bulletin.id}** ({title}) was already going to {where} {timing}; nothing changed.")
    # Scheduling again replaces the earlier time and channels: say so, or the first seems to still stand.
    return reply(
        f"Bulletin **{bulletin.id}** ({title}) will now go to {where} {timing}, instead of to {earlier_where} "
        f"{_timing(earlier_at, now, ctx)} as scheduled before. {until}"
    )


def _timing(when: dt.datetime, now: dt.datetime, ctx: Context) -> str:
    return "within a minute" if when <= now else f"on {describe_when(when, ctx.zone)}"


async def _cancel(req: Request, ctx: Context, bulletin: store.Bulletin, _words: list[str]) -> Reply:
    async with ctx.db.transaction() as tx:
        cancelled = await store.cancel(tx, bulletin.id, now=ctx.now())
    if not cancelled:
        async with ctx.db.transaction() as tx:
            after = await store.get(tx, bulletin.id)
        status = after.status if after is not None else None
        gone = (
            f"Bulletin {bulletin.id} was cancelled already" if status == store.CANCELLED else _gone(bulletin.id, status)
        )
        raise UserError(f"{gone}, so there is nothing to cancel.")
    await ctx.audit(req, "bulletin.cancelled", subject=str(bulletin.id))
    return reply(f"Bulletin **{bulletin.id}** cancelled; it will not be sent.")


# --- sending ----------------------------------------------------------------------------------------


@job("bulletins:send", every_seconds=30)
async def send_due_bulletins(ctx: Context) -> None:
    """Hand every bulletin whose time has come to the outbox: one row per channel."""
    async with ctx.db.transaction() as tx:  # taken for sending, and committed, before queueing
        now = await ctx.agreed_now(tx)
        taken = await store.start_sending(tx, now=now)
    for bulletin in taken:
        post = bulletin_reply(bulletin.title, bulletin.body, ctx.pack.partnership.name)
        due = bulletin.send_at or now
        messages = [
            outgoing(
                f"bulletin:{bulletin.id}:{c['platform']}:{c['channel_id']}",
                post,
                to=Channel(c["platform"], c["channel_id"]).target(),
                due=due,
                expires=due + STILL_WORTH_SENDING,
            )
            for c in bulletin.channels
        ]
        async with ctx.db.transaction() as tx:  # the posts are queued and the bulletin marked sent together
            await post_all(tx, messages, now=now)
            await store.mark_sent(tx, bulletin.id, now=now)
