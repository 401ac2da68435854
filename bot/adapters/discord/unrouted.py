"""Every Discord interaction gets an answer, including the ones the bot cannot route.

Discord shows "This interaction failed" when an interaction gets no answer within 3 seconds. The
adapter's entry points claim each interaction they take on; whatever nobody claims (a button,
select or form id the bot never made, a member-less server interaction, an autocomplete that
discord.py could not route) gets a polite private sentence here, or for autocomplete the only
answer Discord accepts: a list of choices (callback type 8).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.components import BUTTON_ID, REOPEN_ID, SELECT_ID
from core.model import FORGED_VALUE
from core.registry import Registry

log = logging.getLogger("sgbot.discord")

NO_USER = "Discord did not say who you are with that request, so I did nothing with it. Please try again in a moment."
CHOICES = 25  # Discord's limits for autocomplete: 25 choices, names and values of 100 characters
CHOICE_TEXT = 100
REMEMBERED = 1000
# discord.py hands an autocomplete (or a component) to its handler in a task created before the
# `interaction` event's own task; yielding this often lets that task start, and claim, first.
YIELDS = 3


class Claims:
    """The ids of interactions a handler has taken on (the most recent ones)."""

    def __init__(self) -> None:
        self._ids: OrderedDict[int, None] = OrderedDict()

    def add(self, interaction: discord.Interaction) -> None:
        self._ids[interaction.id] = None
        while len(self._ids) > REMEMBERED:
            self._ids.popitem(last=False)

    def __contains__(self, interaction: discord.Interaction) -> bool:
        return interaction.id in self._ids


def has_user(interaction: discord.Interaction) -> bool:
    """False for a server interaction that came without its `member` (discord.py leaves the user unset)."""
    return isinstance(interaction.user, discord.User | discord.Member)


async def accept(interaction: discord.Interaction, claims: Claims) -> bool:
    """Claim the interaction for a handler; answer it at once, and say no, when Discord did not
    say who sent it."""
    claims.add(interaction)
    if has_user(interaction):
        return True
    log.info("answered a Discord %s that came without its member", interaction.type.name)
    await answer(interaction, NO_USER)
    return False


async def answer(interaction: discord.Interaction, text: str = FORGED_VALUE) -> None:
    """A polite private sentence (or no choices, for autocomplete) unless something answered already."""
    if interaction.response.is_done():
        return
    try:
        if interaction.type is discord.InteractionType.autocomplete:
            await interaction.response.autocomplete([])
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.InteractionResponded:
        pass  # its handler got there first
    except discord.HTTPException as exc:
        log.warning("could not answer a Discord interaction nobody routed: %s", exc.status)


async def answer_if_unclaimed(interaction: discord.Interaction, claims: Claims) -> None:
    """The last resort for components and autocomplete: answer when no handler took it on."""
    if interaction.type not in (discord.InteractionType.component, discord.InteractionType.autocomplete):
        return  # commands and forms are answered by their own paths, which always answer
    if routed_to_us(interaction):
        return  # its handler answers, however long discord.py takes to call it
    for _ in range(YIELDS):
        await asyncio.sleep(0)
    if interaction in claims or interaction.response.is_done():
        return
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = data.get("custom_id", "")
    log.info(
        "answered a Discord %s nobody routed (%s)",
        interaction.type.name,
        str(custom_id)[:60] if isinstance(custom_id, str) else type(custom_id).__name__,
    )
    await answer(interaction, FORGED_VALUE if has_user(interaction) else NO_USER)


def routed_to_us(interaction: discord.Interaction) -> bool:
    """Whether discord.py will hand this component to one of our items: it does when the custom_id
    fits one of their templates and the message carries a component with that id and type."""
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id, kind = data.get("custom_id"), data.get("component_type")
    if interaction.type is not discord.InteractionType.component or interaction.message is None:
        return False
    if not isinstance(custom_id, str) or not any(t.fullmatch(custom_id) for t in (BUTTON_ID, SELECT_ID, REOPEN_ID)):
        return False
    for row in interaction.message.components:
        for item in getattr(row, "children", [row]):
            if getattr(item, "custom_id", None) == custom_id and getattr(item.type, "value", None) == kind:
                return True
    return False


def choices(registry: Registry, command: str, typed: Any, pack: Any = None) -> list[app_commands.Choice[str]]:
    """Autocomplete for a command's text: what was typed so far, then the registry's suggestions."""
    typed = typed if isinstance(typed, str) else ""
    words = registry.suggestions(command, typed, pack)
    first = [typed.strip()] if typed.strip() and len(typed.strip()) <= CHOICE_TEXT else []
    shown = list(dict.fromkeys(first + [w for w in words if len(w) <= CHOICE_TEXT]))[:CHOICES]
    return [app_commands.Choice(name=w, value=w) for w in shown]
