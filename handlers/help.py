"""/help: generated from the command registry, so it is never out of date."""

from __future__ import annotations

from core.context import Context
from core.model import ROLE_NAMES, Caption, Header, Reply, Request, Text, reply
from core.registry import command


@command("help", usage="[COMMAND]", help="What I can do, or how to use one command.")
async def help_command(req: Request, ctx: Context) -> Reply:
    registry = ctx.registry
    commands = registry.public_commands(console=ctx.console_mode)
    wanted = req.text.strip().lstrip("/").lower()
    if wanted:
        spec = registry.commands.get(wanted)
        if spec is None or spec not in commands:
            return reply(registry.unknown_command_text(wanted, console=ctx.console_mode))
        lines = [f"**Usage:** /{spec.name} {spec.usage}".rstrip(), "", spec.long_help or spec.help]
        verbs = registry.verbs(spec.name)
        if verbs:
            lines.append("")
            for verb in verbs:
                lock = f" _({verb.role})_" if verb.role and verb.role != spec.role else ""
                lines.append(f"- **/{spec.name} {verb.line}** — {verb.help}{lock}")
        if spec.role != "practitioner":
            lines.append(f"\nOnly {ROLE_NAMES[spec.role]} (role `{spec.role}`) can use it.")
        return reply(Header(text=f"/{spec.name}"), Text(text="\n".join(lines)))
    rows = []
    for spec in commands:
        lock = "" if spec.role == "practitioner" else f" _({spec.role})_"
        rows.append(f"- **/{spec.name}** {spec.usage} — {spec.help}{lock}".replace("  ", " "))
    name = ctx.pack.partnership.short_name
    return reply(
        Header(text=f"{name} safeguarding bot"),
        Text(text="\n".join(rows)),
        Caption(text="Type /help COMMAND for details. In an emergency, call 999."),
    )
