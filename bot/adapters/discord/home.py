"""The partnership's own Discord server: the only one whose interactions are served, and whose
role names grant bot roles.

A bot can be in many servers, and anyone can make a server with a role called "Trainers". So
with DISCORD_GUILD_ID set, an interaction from any other server gets a polite refusal and a
"denied" line in the audit trail, as Slack does for another workspace; and only the home
server's roles count. Without it, role names in DISCORD_ROLE_MAP grant nothing (a warning at
start says so): role ids still do, since each names one role in one server, and so do the user
ids in ADMINS, TRAINERS and COMMS. In a direct message only those user ids count.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.unrouted import answer
from storage import audit

if TYPE_CHECKING:
    from core.context import Context

log = logging.getLogger("sgbot.discord")

OTHER_SERVER = (
    "This bot only serves its own partnership's Discord server, so it cannot help here. "
    "If you think it should, ask your partnership's business unit."
)


class HomeServer:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.guild_id: int | None = ctx.settings.discord_guild_id
        self.role_names = [key for key in ctx.settings.mapping(ctx.settings.discord_role_map) if not key.isdigit()]

    def warn_if_names_grant_nothing(self) -> None:
        if self.guild_id is None and self.role_names:
            log.warning(
                "DISCORD_GUILD_ID is not set, so the role names in DISCORD_ROLE_MAP (%s) grant nothing: a role "
                "of that name in any other server the bot is in would count too. Set DISCORD_GUILD_ID to your "
                "server's id, or map role ids instead of names",
                ", ".join(self.role_names),
            )

    def serves(self, interaction: discord.Interaction) -> bool:
        """Direct messages and the home server; any server when no home server is set."""
        return self.guild_id is None or interaction.guild_id is None or interaction.guild_id == self.guild_id

    def role_groups(self, user: discord.User | discord.Member) -> list[str]:
        """What of the person's server roles may be looked up in DISCORD_ROLE_MAP."""
        if not isinstance(user, discord.Member):
            return []  # a direct message: user ids in the settings only
        if self.guild_id is None:
            return [str(role.id) for role in user.roles]
        if user.guild.id != self.guild_id:
            return []
        return [group for role in user.roles for group in (role.name, str(role.id))]

    async def refuse(self, interaction: discord.Interaction) -> None:
        """A polite private answer and an audit line for an interaction from another server."""
        data: dict[str, Any] = dict(interaction.data or {})
        subject = data.get("name") or data.get("custom_id") or interaction.type.name
        user = interaction.user
        actor = str(user.id) if isinstance(user, discord.User | discord.Member) else "unknown"
        log.warning("refused a Discord %s from another server %s", interaction.type.name, interaction.guild_id)
        try:
            async with self.ctx.db.transaction() as tx:
                await audit.record(
                    tx,
                    at=self.ctx.now(),
                    platform="discord",
                    actor=actor[:40],
                    action="denied",
                    subject=str(subject)[:40],
                    detail=f"from another server {interaction.guild_id}",
                )
        except Exception:  # noqa: BLE001 - a failed audit must not turn a refusal into an error
            log.warning("could not audit a refused Discord interaction")
        await answer(interaction, OTHER_SERVER)
