"""/whoami: the roles you hold, and what each lets you do."""

from __future__ import annotations

from core.context import Context
from core.model import Field_ as FieldItem
from core.model import Fields, Reply, Request, reply
from core.registry import ROLES, command
from core.sanitise import inert_text

WHAT_ROLES_ALLOW = {
    "practitioner": "look up guidance, RSVP to training, answer surveys",
    "trainer": "add, announce and cancel training sessions, mark attendance, send surveys, see impact",
    "comms": "manage feeds, bulletins and briefings",
    "admin": "everything, including closing surveys and reading reports",
}
# Where a person's roles come from besides the settings, on the platform they asked from.
ROLES_FROM = {
    "slack": "your Slack user groups",
    "discord": "your Discord server roles",
    "teams": "your Microsoft Entra security groups",
    "console": "the --role options the console was started with",
}


@command("whoami", help="Show which roles you hold and what they let you do.")
async def whoami(req: Request, ctx: Context) -> Reply:
    held = [role for role in ROLES if role in req.roles or role == "practitioner"]
    if "admin" in req.roles:
        held = list(ROLES)
    rows = [FieldItem(label=role, value=WHAT_ROLES_ALLOW[role]) for role in held]
    source = ROLES_FROM.get(req.platform)
    origin = f"the bot's settings and from {source}" if source else "the bot's settings"
    return reply(
        # a display name is whatever the person set: shown as it reads, never as a link or mention
        f"You are **{inert_text(req.user_name or req.user_id)}** on {req.platform}.",
        Fields(fields=rows),
        f"Roles come from {origin}. Ask your partnership's business unit if you need another.",
    )
