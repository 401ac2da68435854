"""Announcing a session and keeping every copy of the announcement true.

An announcement is an outbox row per channel with Going / Can't go (Join waitlist when full) and a
calendar button. When it is posted its message id is recorded, its thread claimed and its reminders
scheduled; when the session changes, each posted copy gets an edit and everyone going or waiting
gets one notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import Context
from core.model import Block, Reply, Request, Target, UserError, Visibility, reply, require_role
from core.registry import on_sent
from handlers.posting import example_channel
from handlers.training.courses import CourseInfo, course_of, courses
from handlers.training.messages import outbox_message, to_person, to_thread
from handlers.training.reminders import sync_reminders
from handlers.training.schedule import channel_examples, format_channels, parse_channels, plain_field
from handlers.training.sessions import editable, session_or_gone
from handlers.training.views import CANT_GO_GOING, CANT_GO_THREAD, cant_go_waiting, listed, notice, session_blocks
from storage import outbox, threads
from storage import training as store
from storage.training import CANCELLED, GOING, SCHEDULED, WAITLIST, SessionAnnouncement, TrainingSession

# An edit is tried through an outage (the platform away, a 5xx) until this long after it was due:
# nothing queues it again, and the post would keep what the session no longer says. Dropped after.
EDIT_EXPIRY = dt.timedelta(days=7)
# How long after a press its copy is edited again through the outbox (refresh_posts): longer than
# a platform takes to apply the press's own update.
PRESSED_COPY_SETTLE = dt.timedelta(seconds=5)
# Notices still waiting that a new notice of each kind makes wrong, and why they are dropped.
_OUTDATED_BY = {
    "changed": (("changed",), "replaced by a newer notice"),
    "cancelled": (("changed", "promoted"), "not needed: the session was cancelled"),
}


async def notify_everyone(ctx: Context, tx: AsyncSession, session: TrainingSession, *, kind: str, text: str) -> int:
    """Tell everyone who replied, and each announcement's thread, once per change. Earlier
    notices of this session still waiting to go (a person's chat refused them once) would now
    arrive after this one and contradict it, so they are dropped: older changes when it changes
    again, and changes and promotions when it is cancelled."""
    now = await ctx.agreed_now(tx)  # due by the database's clock, as the outbox goes, whatever this replica's says
    stem = f"training:{kind}:{session.id}:v{session.version}"
    outdated, reason = _OUTDATED_BY.get(kind, ((), ""))
    for earlier in outdated:
        unsent = await store.outbox_states(tx, f"training:{earlier}:{session.id}:")
        await store.skip_outbox_keys(tx, [e.key for e in unsent if e.status in store.UNFINISHED], reason=reason)
    # Only people still expecting to come: someone who said Can't go has nothing to act on.
    people = await store.rsvps(tx, session.id, [GOING, WAITLIST])
    open_ = session.status == SCHEDULED
    messages = []
    waiting = 0
    for r in people:
        # Each reads what fits them: a waitlisted person is not going, and is told their place in line.
        if r.status == WAITLIST:
            waiting += 1
        action = (cant_go_waiting(waiting) if r.status == WAITLIST else CANT_GO_GOING) if open_ else ""
        said = f"{text}\n{action}" if action else text
        messages.append(
            outbox_message(
                to_person(stem, r.platform, r.user_id),
                notice(session, said, cant_go=open_),
                due=now,
                expires=session.start_at,
            )
        )
    # The thread copy has no Can't go of its own: the announcement it hangs from has.
    public = f"{text}\n{CANT_GO_THREAD}" if open_ else text
    for a in await store.announcements(tx, session.id, posted_only=True):
        where = to_thread(f"{stem}:thread:{a.id}", a)
        messages.append(
            outbox_message(where, notice(session, public, cant_go=False), due=now, expires=session.start_at)
        )
    await outbox.enqueue(tx, messages, now=now)
    return len(people)


async def announce(req: Request, ctx: Context, words: list[str]) -> Reply:
    require_role(req, "trainer", "announce training sessions")
    target = await session_or_gone(ctx, words, "announce")
    here = None if req.is_direct or not req.channel_id else (req.platform, req.channel_id)
    if any(word.lower() in ("again", "repost") for word in words[1:]):
        # a briefing can be posted again; an announcement is one post a channel, kept true
        raise UserError(
            f"Session {target.id} has one announcement in each channel, and every copy is updated when "
            "the session changes, so there is nothing to post again. To announce it somewhere new, "
            f"name that channel: /training announce {target.id} {example_channel(req.platform)}."
        )
    named = " ".join(words[1:])
    channels, problem = parse_channels(named or target.channels, req.platform, here=here)
    if problem and not named:  # saved by an earlier version, or an import, as a name Slack cannot post to
        raise UserError(
            f"Session {target.id} was saved with a channel I can't post in. {problem} "
            f"Or name the channel now: /training announce {target.id} {example_channel(req.platform)}."
        )
    if problem:
        raise UserError(problem)
    if not channels:
        raise UserError(
            f"Say where to announce it, e.g. /training announce {target.id} here, or {channel_examples(req.platform)}."
        )
    now = ctx.now()
    catalogue = await courses(ctx)
    already: list[str] = []
    async with ctx.db.transaction() as tx:
        found = await store.lock_session(tx, target.id)
        session = editable(found, await ctx.agreed_now(tx), doing="announced")
        blocks = await _post_blocks(tx, session, catalogue, now)
        earlier = {(a.platform, a.channel_id): a for a in await store.announcements(tx, session.id)}
        messages, fresh = [], []
        # A new session's post may ping the role people join to hear of training (Discord's
        # DISCORD_ANNOUNCE_ROLE_ID); its later edits do not ping again.
        post = Reply(
            blocks=blocks,
            visibility=Visibility.PUBLIC,
            summary=f"Training: {plain_field(session.title)}",
            ping_announce_role=True,
        )
        for platform, channel in channels:
            to = Target(kind="channel", platform=platform, channel_id=channel)
            if (before := earlier.get((platform, channel))) is not None:
                # A post that never went out (failed, or skipped) is tried again; one that did is not repeated.
                payload = post.model_copy(update={"target": to}).model_dump(mode="json")
                if before.message_id or not await store.post_again(
                    tx, f"training:announce:{before.id}", payload, now=now
                ):
                    already.append(_where_posted(before))
                    continue
                fresh.append((platform, channel))
                continue
            row = SessionAnnouncement(session_id=session.id, platform=platform, channel_id=channel)
            tx.add(row)
            await tx.flush()
            where = (f"training:announce:{row.id}", to)
            messages.append(
                outbox_message(where, post, due=now, expires=session.start_at, on_sent=f"training:{row.id}")
            )
            fresh.append((platform, channel))
        await outbox.enqueue(tx, messages, now=now)
    posted_before = f"Session {session.id} is already announced in {listed(already)}; " if already else ""
    if not fresh:
        raise UserError(
            f"{posted_before}a second post there would only repeat it, and its reminders. "
            "Its posts update themselves when the session changes."
        )
    named = format_channels(fresh)
    await ctx.audit(req, "training.announced", subject=str(session.id), detail=named)
    offline = sorted({p for p, _ in fresh if ctx.platforms and p not in ctx.platforms})
    later = (
        f" {', '.join(offline).title()} is not connected to this bot right now, so that post goes out once it is."
        if offline
        else ""
    )
    skipped = f" {posted_before}not posting there again." if already else ""
    return reply(
        f"Announcing session **{session.id}** in {named}. Replies update the post, and reminders go in its "
        f"thread and to everyone going.{later}{skipped}"
    )


def _where_posted(a: SessionAnnouncement) -> str:
    state = f"message {a.message_id}" if a.message_id else "waiting to be posted"
    return f"{a.platform}:{a.channel_id} ({state})"


async def _post_blocks(
    tx: AsyncSession, session: TrainingSession, catalogue: Mapping[str, CourseInfo], now: dt.datetime
) -> list[Block]:
    counts = (await store.places(tx, [session.id]))[session.id]
    return session_blocks(session, course_of(session, catalogue), counts, now=now)


async def refresh_posts(
    ctx: Context,
    tx: AsyncSession,
    session: TrainingSession,
    catalogue: Mapping[str, CourseInfo],
    *,
    shown: tuple[str, str, str] | None = None,
    only: int | None = None,
) -> int:
    """Bring every copy of the session's announcement in step with the session as it is now.

    Called under the session's row lock. A posted copy gets an edit through the outbox (key
    `announce-edit:<session>:<platform>:<channel>:<version>:<n>`, so each edit happens once
    across replicas); an older edit not yet finished, whether waiting or taken by a worker, is
    skipped as replaced, so a failed try can never bring old content back. A copy still waiting
    to be posted has its content replaced. `shown` is the (platform, channel, message) already
    updated in place by the button press; `only` limits the work to one announcement.
    Returns how many edits were queued."""
    now = ctx.now()
    blocks = await _post_blocks(tx, session, catalogue, now)
    post = Reply(blocks=blocks, visibility=Visibility.PUBLIC, summary=f"Training: {plain_field(session.title)}")
    edit = post.model_copy(update={"replace_original": True})
    closed = await _closed_edit(tx, session, catalogue)  # what every copy shows from the start on
    outbox_clock: dt.datetime | None = None
    messages = []
    posted: list[SessionAnnouncement] = []
    for a in await store.announcements(tx, session.id):
        if only is not None and a.id != only:
            continue
        if not a.message_id:
            waiting = post.model_copy(
                update={"target": Target(kind="channel", platform=a.platform, channel_id=a.channel_id)}
            )
            await store.replace_pending_payload(tx, f"training:announce:{a.id}", waiting.model_dump(mode="json"))
            continue
        posted.append(a)
        prefix = f"announce-edit:{session.id}:{a.platform}:{a.channel_id}:"
        earlier = await store.outbox_states(tx, prefix)
        await store.skip_outbox_keys(
            tx, [e.key for e in earlier if e.status in store.UNFINISHED], reason="replaced by a newer edit"
        )
        # Numbered after the highest edit still kept, not by counting them: housekeeping deletes
        # old rows, and a key still in the outbox would be ignored.
        number = max((_edit_number(e.key) for e in earlier), default=0)
        target = Target(kind="thread", platform=a.platform, channel_id=a.channel_id, thread_id=a.message_id)
        # The copy a button was pressed on was updated in place by the press's own answer; that
        # update is not retried if it fails, and one that arrives late could undo a newer edit,
        # so the same content follows through the outbox a little later, as the last word.
        pressed = shown == (a.platform, a.channel_id, a.message_id)
        dues = [now + PRESSED_COPY_SETTLE] if pressed else [now]
        # An edit replaced here may have been such a last word, still waiting: this content
        # takes its place then too.
        later = [e.due_at for e in earlier if e.status in store.UNFINISHED and e.due_at > dues[0]]
        if later:
            dues.append(max(later))
        # An older edit a worker has taken may still reach the platform, after this one, until
        # its claim runs out: the same content goes again then, so the newest is the last word.
        claims = [e.claimed_until for e in earlier if e.claimed_until is not None]
        if claims:
            outbox_clock = outbox_clock or await ctx.agreed_now(tx)
            if (landing := max(claims)) > outbox_clock:
                dues.append(landing)
        for n, due in enumerate(sorted(set(dues)), start=number + 1):
            where = (f"{prefix}{session.version}:{n}", target)
            if due >= session.start_at:  # landing after the start: closed, as the closing edit is
                messages.append(outbox_message(where, closed, due=due, expires=due + EDIT_EXPIRY))
            else:  # a session's buttons must never arrive after its start (a cancellation has none)
                until = due + EDIT_EXPIRY if session.status == CANCELLED else min(due + EDIT_EXPIRY, session.start_at)
                messages.append(outbox_message(where, edit, due=due, expires=until))
    await outbox.enqueue(tx, messages, now=now)
    await schedule_closing(ctx, tx, session, catalogue, posted, closed=closed)
    return len(messages)


async def _closed_edit(tx: AsyncSession, session: TrainingSession, catalogue: Mapping[str, CourseInfo]) -> Reply:
    """A copy as it reads from the session's start on: no buttons, no places (which no longer
    change), "replies are closed"."""
    return Reply(
        blocks=await _post_blocks(tx, session, catalogue, session.start_at),
        visibility=Visibility.PUBLIC,
        summary=f"Training: {plain_field(session.title)}",
        replace_original=True,
    )


async def schedule_closing(
    ctx: Context,
    tx: AsyncSession,
    session: TrainingSession,
    catalogue: Mapping[str, CourseInfo],
    posted: Iterable[SessionAnnouncement],
    *,
    closed: Reply | None = None,
) -> None:
    """The edit that closes each posted copy when the session starts: its buttons go and it says
    replies are closed (an outside audit found Going still offered after the session, and its
    survey, were over). Due at the start, rendered as of then (`closed`, when the caller has it);
    keyed `announce-close:<session>:<platform>:<channel>:<version>:<n>`, so a session moved or
    cancelled skips the one scheduled for the old version, and calling this again adds nothing.
    Whether the session has started is the database's clock's to say: a replica ten minutes fast
    took it as started before it had, dropped the waiting edit and left Going offered (an outside
    audit); one called after the start still closes a copy not yet closed."""
    now = await ctx.agreed_now(tx)
    live = session.status != CANCELLED
    started = session.start_at <= now
    messages = []
    for a in posted:
        prefix = f"announce-close:{session.id}:{a.platform}:{a.channel_id}:"
        current = f"{prefix}{session.version}:"
        earlier = await store.outbox_states(tx, prefix)
        waiting = [e for e in earlier if e.status in store.UNFINISHED]
        if live and started and any(e.key.startswith(current) and e.status not in store.UNFINISHED for e in earlier):
            continue  # closed already, or tried and given up: not queued again at every call
        target = Target(kind="thread", platform=a.platform, channel_id=a.channel_id, thread_id=a.message_id)
        closed = closed or await _closed_edit(tx, session, catalogue)
        # One already waiting for this version takes the content as it is now (a trainer changed,
        # say, which moves no version); one for an older version, or any once the session is
        # cancelled, goes.
        payload = closed.model_copy(update={"target": target}).model_dump(mode="json")
        if live and any(
            [e.key.startswith(current) and await store.replace_pending_payload(tx, e.key, payload) for e in waiting]
        ):
            continue
        await store.skip_outbox_keys(tx, [e.key for e in waiting], reason="the session changed")
        if live:
            number = max((_edit_number(e.key) for e in earlier), default=0) + 1
            where = (f"{current}{number}", target)
            messages.append(outbox_message(where, closed, due=session.start_at, expires=session.start_at + EDIT_EXPIRY))
    await outbox.enqueue(tx, messages, now=now)


def _edit_number(key: str) -> int:
    """The n of `announce-edit:<session>:<platform>:<channel>:<version>:<n>`."""
    return int(key.rsplit(":", 1)[1])


@on_sent("training")
async def announcement_posted(ctx: Context, ref: str, platform: str, target: Target, message_id: str) -> None:
    """The announcement is out: remember its message, own its thread, schedule its reminders.
    Safe to run twice: the worker runs it again if it failed or its worker died (a database blip
    just after the post was recorded), and then also corrects a post replies could not update."""
    async with ctx.db.transaction() as tx:  # the message id and the thread's owner, together
        session_id = await store.mark_announced(tx, int(ref), message_id=message_id, now=ctx.now())
        if session_id is None:
            return
        await threads.claim_thread(
            tx,
            platform=platform,
            channel_id=target.channel_id or "",
            thread_id=message_id,
            feature="training",
            ref=str(session_id),
            now=ctx.now(),
        )
    catalogue = await courses(ctx)
    async with ctx.db.transaction() as tx:
        session = await store.lock_session(tx, session_id)
        if session is not None:
            await sync_reminders(ctx, tx, session)
            # The session may have changed while the post was on its way: if what went out is
            # not what it says now, edit it.
            sent = await store.outbox_payload(tx, f"training:announce:{ref}")
            current = await _post_blocks(tx, session, catalogue, ctx.now())
            if sent is None or Reply.model_validate(sent[1]).blocks != current:
                await refresh_posts(ctx, tx, session, catalogue, only=int(ref))
            else:
                posted = await store.announcements(tx, session.id, posted_only=True)
                await schedule_closing(ctx, tx, session, catalogue, [a for a in posted if a.id == int(ref)])
