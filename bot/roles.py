"""Roles: who may post, schedule, and read reports.

One place resolves a user's roles from settings (user ids) and from what the platform
says about them (Slack user groups, Discord guild roles)."""

from __future__ import annotations

from collections.abc import Iterable

from core.config import Settings
from core.registry import ROLES


class RoleResolver:
    def __init__(self, settings: Settings) -> None:
        # Entra object ids are GUIDs, which Microsoft writes in either case: Teams ones are matched
        # in lower case on both sides, so an id pasted in capitals from the Azure portal still counts.
        self._members = {
            role: {_teams_lower(member) for member in members} for role, members in settings.role_members().items()
        }
        self._slack_groups = settings.mapping(settings.slack_role_groups)
        self._discord_roles = settings.mapping(settings.discord_role_map)
        self._teams_groups = settings.teams_groups()
        self._discord_guild = settings.discord_guild_id
        for role in [*self._slack_groups.values(), *self._discord_roles.values(), *self._teams_groups.values()]:
            if role not in ROLES:
                raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")

    def roles_for(
        self, platform: str, user_id: str, *, platform_groups: Iterable[str] = (), extra: Iterable[str] = ()
    ) -> frozenset[str]:
        """Every role the user holds. Everyone is a practitioner."""
        found = {"practitioner", *extra}
        if platform == "teams":
            user_id, platform_groups = user_id.lower(), [group.lower() for group in platform_groups]
        qualified = f"{platform}:{user_id}"
        for role, members in self._members.items():
            if qualified in members:
                found.add(role)
        mapping = {"slack": self._slack_groups, "discord": self._discord_roles, "teams": self._teams_groups}.get(
            platform, {}
        )
        for group in platform_groups:
            if group in mapping:
                found.add(mapping[group])
        return frozenset(found)

    def _discord_row(self, name: str) -> str:
        """A role name grants nothing without DISCORD_GUILD_ID (bot/adapters/discord/home.py)."""
        if name.isdigit() or self._discord_guild is not None:
            return f"discord role {name}"
        return f"discord role {name} (grants nothing until DISCORD_GUILD_ID is set)"

    def configured(self) -> list[tuple[str, str]]:
        """(role, member) pairs from settings, for `sgbot roles list`."""
        rows = [(role, member) for role, members in self._members.items() for member in sorted(members)]
        rows += [(role, f"slack group @{group}") for group, role in self._slack_groups.items()]
        rows += [(role, self._discord_row(name)) for name, role in self._discord_roles.items()]
        rows += [(role, f"teams group {group}") for group, role in self._teams_groups.items()]
        return sorted(rows)


def _teams_lower(member: str) -> str:
    """ "teams:<id>" in lower case (see RoleResolver); every other platform's ids as written."""
    return member.lower() if member.lower().startswith("teams:") else member
