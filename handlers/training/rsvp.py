"""Replies: Going, Can't go, and the waitlist. A full session puts people on the waitlist in
order; when a place opens (someone can't go, or the places grow) it goes to the first person
waiting, who is told. Every reply runs under the session's row lock."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from core.context import Context
from core.model import Reply, Request, UserError, Visibility, reply
from core.registry import action
from handlers.training.courses import course_of, courses
from handlers.training.messages import outbox_message, to_person
from handlers.training.posts import refresh_posts
from handlers.training.reminders import offsets, sync_reminders
from handlers.training.schedule import plain_field, reminder_time, when_text
from handlers.training.sessions import GONE
from handlers.training.views import listed, notice, session_blocks, where_and_when
from storage import outbox
from storage import training as store
from storage.text import storable
from storage.training import CANCELLED, DECLINED, GOING, WAITLIST, Rsvp, TrainingSession

RSVP_VALUE = r"^\d{1,9}:[gnw]$"
CHOICES = {"g": GOING, "w": WAITLIST, "n": DECLINED}


@dataclass
class Answer:
    status: str
    unchanged: bool = False
    position: int = 0  # on the waitlist
    promoted: list[Rsvp] = field(default_factory=list)


@action("training:rsvp", pattern=RSVP_VALUE)
async def rsvp_pressed(req: Request, ctx: Context) -> list[Reply]:
    session_id, choice = req.value.split(":")
    catalogue = await courses(ctx)
    async with ctx.db.transaction() as tx:
        session = await store.lock_session(tx, int(session_id))
        if session is None:
            raise UserError(GONE)
        # started by the database's clock, which closes the posts: a replica ten minutes slow took
        # Going after the start, one ten minutes fast refused it before (an outside audit)
        now = await ctx.agreed_now(tx)
        if session.status == CANCELLED:
            raise UserError(
                f"{plain_field(session.title)} (session {session.id}) was cancelled, so it isn't taking replies. "
                "Type /training to see other dates."
            )
        if session.start_at <= now:
            raise UserError(
                f"{plain_field(session.title)} (session {session.id}) has already started, so replies are closed."
            )
        before = (await store.places(tx, [session.id]))[session.id]
        answer = await _answer(ctx, tx, session, req.platform, req.user_id, CHOICES[choice], name=req.user_name)
        changed = [(req.platform, req.user_id), *((r.platform, r.user_id) for r in answer.promoted)]
        await sync_reminders(ctx, tx, session, people=changed)
        counts = (await store.places(tx, [session.id]))[session.id]
        blocks = session_blocks(session, course_of(session, catalogue), counts, now=now)
        pressed = None
        if req.message_id and any(
            (a.platform, a.channel_id, a.message_id) == (req.platform, req.channel_id, req.message_id)
            for a in await store.announcements(tx, session.id, posted_only=True)
        ):
            pressed = (req.platform, req.channel_id, req.message_id)
        if counts != before:  # the places shown changed: every other copy follows
            await refresh_posts(ctx, tx, session, catalogue, shown=pressed)
    if not answer.unchanged:
        await ctx.audit(req, "training.rsvp", subject=str(session.id), detail=answer.status)
    await audit_promotions(ctx, session, answer.promoted)
    replies = [reply(_answer_text(ctx, session, answer))]
    if pressed is not None and counts != before:
        post = Reply(blocks=blocks, visibility=Visibility.PUBLIC, replace_original=True)
        replies.insert(0, post)
    return replies


async def _answer(
    ctx: Context, tx: AsyncSession, session: TrainingSession, platform: str, user_id: str, wanted: str, *, name: str
) -> Answer:
    now = ctx.now()
    mine = await tx.get(Rsvp, (session.id, platform, user_id))
    name = storable(name)[:120]
    if mine is not None and name and mine.user_name != name:
        mine.user_name = name  # the name as the platform gives it now
    before = mine.status if mine else None
    going = (await store.places(tx, [session.id]))[session.id].going
    if wanted in (GOING, WAITLIST):
        if before == GOING:
            return Answer(GOING, unchanged=True)
        status = GOING if going < session.capacity else WAITLIST
        if status == WAITLIST and before == WAITLIST:
            return Answer(WAITLIST, unchanged=True, position=await _position(tx, session, mine))
    else:
        if before == DECLINED:
            return Answer(DECLINED, unchanged=True)
        status = DECLINED
    if mine is None:
        mine = Rsvp(
            session_id=session.id, platform=platform, user_id=user_id, status=status, responded_at=now, user_name=name
        )
        tx.add(mine)
    else:
        mine.status, mine.responded_at = status, now
    await tx.flush()
    answer = Answer(status)
    if status == WAITLIST:
        answer.position = await _position(tx, session, mine)
    if before == GOING and status == DECLINED:
        answer.promoted = await fill_places(ctx, tx, session)
    return answer


async def _position(tx: AsyncSession, session: TrainingSession, mine: Rsvp | None) -> int:
    waiting = await store.rsvps(tx, session.id, [WAITLIST])
    return next(
        (i for i, r in enumerate(waiting, 1) if mine and (r.platform, r.user_id) == (mine.platform, mine.user_id)), 0
    )


async def fill_places(ctx: Context, tx: AsyncSession, session: TrainingSession) -> list[Rsvp]:
    """Give free places to the waitlist in order, and tell each person promoted."""
    now = ctx.now()
    going = (await store.places(tx, [session.id]))[session.id].going
    promoted = []
    for r in await store.rsvps(tx, session.id, [WAITLIST]):
        if going >= session.capacity:
            break
        r.status, r.responded_at = GOING, now
        going += 1
        promoted.append(r)
    await tx.flush()
    stamp = now.strftime("%Y%m%dT%H%M%S%f")
    text = (
        f"Good news: a place has opened up on **{plain_field(session.title)}**, {where_and_when(session)}, "
        "and it's yours.\n"
        "If you can no longer come, press Can't go so the next person can have it."
    )
    messages = [
        outbox_message(
            to_person(f"training:promoted:{session.id}:{stamp}", r.platform, r.user_id),
            notice(session, text, cant_go=True),
            due=now,
            expires=session.start_at,
        )
        for r in promoted
    ]
    await outbox.enqueue(tx, messages, now=now)
    return promoted


async def audit_promotions(ctx: Context, session: TrainingSession, promoted: list[Rsvp]) -> None:
    for r in promoted:
        await ctx.audit(None, "training.promoted", subject=str(session.id), detail=f"{r.platform}:{r.user_id}")


def _answer_text(ctx: Context, session: TrainingSession, answer: Answer) -> str:
    title = f"**{plain_field(session.title)}** ({when_text(session.start_at, session.end_at, session.zone)})"
    if answer.status == GOING:
        if answer.unchanged:
            return f"You're already down as going to {title}."
        upcoming = [o.describe() for o in offsets(ctx) if reminder_time(session.start_at, session.zone, o) > ctx.now()]
        remind = f" I'll remind you {listed(upcoming)} before." if upcoming else ""
        return f"You're going to {title}.{remind} If your plans change, press Can't go."
    if answer.status == WAITLIST:
        already = "You're already" if answer.unchanged else "It's full, so you're"
        return (
            f"{already} on the waitlist for {title}, number {answer.position}. "
            "If a place opens up it goes to the first person waiting, and I'll message you."
        )
    if answer.unchanged:
        return f"You've already said you can't go to {title}."
    return f"Thanks for letting us know you can't go to {title}."
