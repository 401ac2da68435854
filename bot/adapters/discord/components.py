"""Buttons and select menus that survive a restart: their action lives in the custom_id.

Buttons carry "action_id|value", select menus "action_id#slot" (the chosen option is the value),
and "Open the form again" buttons "sgbot.form|token". They are `DynamicItem`s, so a button
posted last week still works after a restart: nothing about it lives in memory.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import discord

from bot.adapters.discord.text import CUSTOM_ID, size

_ACTION = r"(?P<action>[a-z][a-z0-9_]*:[a-z][a-z0-9_]*)"
BUTTON_ID = re.compile(_ACTION + r"\|(?P<value>[^\n]*)")
SELECT_ID = re.compile(_ACTION + r"#(?P<slot>\d{1,2})")
REOPEN_ID = re.compile(r"sgbot\.form\|(?P<token>[0-9a-f]{16})")


# --- custom ids ------------------------------------------------------------------------------


def button_id(action_id: str, value: str) -> str:
    custom_id = f"{action_id}|{value}"
    if size(custom_id) > CUSTOM_ID:
        raise ValueError(
            f"The value of a {action_id} button is too long for Discord: the action id and value "
            f"must fit in {CUSTOM_ID - 1} characters."
        )
    return custom_id


def parse_form_id(custom_id: str) -> tuple[str, str] | None:
    """A modal's custom_id -> (action_id, value); None when it is not one of ours."""
    match = BUTTON_ID.fullmatch(custom_id)
    return (match["action"], match["value"]) if match else None


# --- persistent components -------------------------------------------------------------------


class ComponentHandler(Protocol):
    async def on_component(self, interaction: discord.Interaction, action_id: str, value: str) -> None: ...

    async def on_reopen_form(self, interaction: discord.Interaction, token: str) -> None: ...


def _handler(interaction: discord.Interaction) -> ComponentHandler:
    # The adapter's client carries the adapter; dynamic items are classes, shared by every client.
    return interaction.client.adapter  # type: ignore[attr-defined, no-any-return]


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_ID):
    """A button whose custom_id is "action_id|value"."""

    def __init__(
        self,
        action_id: str,
        value: str,
        *,
        label: str = "",
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        row: int | None = None,
    ) -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label or None, style=style, custom_id=button_id(action_id, value)
        )
        super().__init__(button, row=row)
        self.action_id = action_id
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionButton:
        label = getattr(item, "label", None) or ""
        style = getattr(item, "style", discord.ButtonStyle.secondary)
        return cls(match["action"], match["value"], label=label, style=style)

    async def callback(self, interaction: discord.Interaction) -> None:
        await _handler(interaction).on_component(interaction, self.action_id, self.value)


class ActionSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=SELECT_ID):
    """A select menu whose custom_id is "action_id#slot"; the chosen option is the value."""

    def __init__(
        self,
        action_id: str,
        slot: int,
        *,
        placeholder: str = "",
        options: list[discord.SelectOption] | None = None,
        row: int | None = None,
    ) -> None:
        menu: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=f"{action_id}#{slot}",
            placeholder=placeholder or None,
            options=options or [discord.SelectOption(label="-")],
        )
        super().__init__(menu, row=row)
        self.action_id = action_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionSelect:
        options = list(getattr(item, "options", []) or [])
        return cls(
            match["action"], int(match["slot"]), placeholder=getattr(item, "placeholder", "") or "", options=options
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        # Passed on as sent: a value that is not text (a number, a list) is refused by the dispatcher.
        data: dict[str, Any] = dict(interaction.data or {})
        values = data.get("values", [])
        chosen = (values[0] if values else "") if isinstance(values, list) else values
        await _handler(interaction).on_component(interaction, self.action_id, chosen)


class ReopenFormButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REOPEN_ID):
    """Opens a form again, filled in as the user left it (Discord cannot show errors inside a modal)."""

    def __init__(self, token: str, *, label: str = "Open the form again") -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.primary, custom_id=f"sgbot.form|{token}")
        )
        self.token = token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReopenFormButton:
        return cls(match["token"], label=getattr(item, "label", None) or "Open the form again")

    async def callback(self, interaction: discord.Interaction) -> None:
        await _handler(interaction).on_reopen_form(interaction, self.token)


DYNAMIC_ITEMS = (ActionButton, ActionSelect, ReopenFormButton)
