"""Where each Teams conversation is: the references the bot keeps (storage/teams.py) so the outbox
can post to channels and people later, learned from the activities that come in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.adapters.teams import inbound
from storage import teams

if TYPE_CHECKING:
    from bot.adapters.teams.outbound import Poster
    from core.context import Context


class References:
    def __init__(self, poster: Poster, ctx: Context) -> None:
        self.poster = poster
        self.ctx = ctx
        # conversations whose reference a press changed in memory only (`keep`)
        self._unstored: set[str] = set()

    async def keep(self, activity: dict[str, Any], *, write: bool = True) -> None:
        """Store where this activity came from, unless the poster's cache already holds it. An
        install or the bot's being added is always stored: another replica may have deleted the
        row on a removal this one never saw, its cache still saying stored (outside audit, issue
        #15); teams.remember only reads a row already as it is. A press, a dialog's submit or a
        reply in a survey's thread (`write` False) is only learned in memory: a row written then
        (Teams had moved the chat to another service URL) would put the person's chat beside their
        survey answer in time and in PostgreSQL's xmin (an outside audit, twenty-second session);
        their next typed message, or the install, stores it."""
        ref = inbound.reference_of(activity)
        if ref is None:
            return
        if not write and not inbound.bot_added(activity) and not inbound.bot_removed(activity):
            self.poster.learned(ref)
            self._unstored.add(ref.conversation_id)  # so the next typed message stores it (a review)
            return
        removed = inbound.bot_removed(activity)
        cached = None if inbound.bot_added(activity) else self.poster.cached(ref.conversation_id)
        same = cached is not None and (cached.service_url, cached.bot_id) == (ref.service_url, ref.bot_id)
        if not removed and same and ref.conversation_id not in self._unstored:
            return
        self._unstored.discard(ref.conversation_id)
        async with self.ctx.db.transaction() as tx:
            if removed:
                await teams.forget(tx, ref.conversation_id)
            else:
                await teams.remember(tx, ref, now=self.ctx.now())
        if removed:
            self.poster.forgot(ref.conversation_id)
            return
        self.poster.learned(ref)

    async def stored(self, activity: dict[str, Any]) -> bool:
        """Whether the conversation this activity came from is stored already."""
        ref = inbound.reference_of(activity)
        if ref is None:
            return True  # nothing to greet in
        async with self.ctx.db.transaction() as tx:
            return await teams.find(tx, ref.conversation_id) is not None
