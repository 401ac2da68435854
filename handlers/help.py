"""/help: generated from the command registry, so it is never out of date."""

from __future__ import annotations

import re
from typing import Any

from core.context import Context
from core.model import ROLE_NAMES, Caption, Header, Reply, Request, Text, reply
from core.registry import Registry, command
from handlers import contacts, glossary, guidance, threshold
from handlers.threshold.answer import OFF_TOPIC_TEXT, asks_how_to_refer

# Words that say which of the bot's own features a question is about ("how do I RSVP to a
# course", "where are the case review briefings": an outside audit got "I can't answer that one"
# for each). Only for a question with no worry in it: "at training a boy showed me bruises" is
# for /threshold.
_FEATURES = (
    (
        "training",
        re.compile(
            r"\b(?:rsvp\w*|courses?|training|trainings|sessions?|waitlist|waiting list|sign(?:ing)? up|reminders?)\b",
            re.I,
        ),
    ),
    ("bulletin", re.compile(r"\b(?:bulletins?|newsletters?)\b", re.I)),
    ("briefing", re.compile(r"\b(?:briefings?|case reviews?|7[- ]minute|seven[- ]minute|lessons learn\w*)\b", re.I)),
    ("feeds", re.compile(r"\b(?:feeds?|rss|atom)\b", re.I)),
    ("survey", re.compile(r"\b(?:surveys?|questionnaires?|feedback forms?)\b", re.I)),
    ("whoami", re.compile(r"\b(?:roles?|permissions?|am i (?:a|an) (?:admin|trainer))\b", re.I)),
)
# A question about using the bot ("how do I...", "where are...", "can I..."), not a story that
# happens to name a course ("an elderly man at our course said his carer takes his pension")
_ASKS_HOW = re.compile(
    r"^\s*(?:how|where|when|can|could|what|which|who|is there|are there|do i|do you|i want to)\b", re.I
)
_ANSWERING = re.compile(
    r"\b(?:answer\w*|fill\w*|complet\w*|reply|respond\w*|take|do (?:the|a|my|this) (?:survey|questionnaire))\b", re.I
)
SURVEY_FOR_DELEGATES = (
    "A course's survey comes to you as a message from me, and in the session's thread: before the "
    "course if the trainer asks for a baseline, and after it. Tap your answers there. Nobody can see "
    "who gave which answer."
)
# Words that say which lookup a question is for; anything else about a child goes to /threshold.
_POINTERS = (
    ("escalation", re.compile(r"\b(?:disagree\w*|escalat\w*|challeng\w*|refused|rejected|closed the case)\b", re.I)),
    ("contacts", re.compile(r"\b(?:phone|number|contacts?|call|ring|email)\b", re.I)),
    ("glossary", re.compile(r"\b(?:stand for|stands for|abbreviation|acronym|mean|means|meaning)\b", re.I)),
)


# A question about safeguarding practice itself ("how do I record a disclosure", "do I need
# consent to refer") is never off topic, though it names no worry: the DSL answers it, and
# /threshold has the route.
_PRACTICE = re.compile(
    r"\b(?:disclos\w*|refer(?:s|red|ring|ral|rals)?|safeguard\w*|dsl|lado|strategy meeting|section (?:17|47)|"
    r"child protection|cp plan|early help|record(?:ing)? (?:a |the |my )?(?:concern|disclosure|worry)|"
    r"consent to (?:refer|share|tell|contact)\w*|(?:parental|parents'?|parent's|carers?'?|family's) consent|"
    r"without (?:their |parental |the family's )?consent)\b",
    re.I,
)


def _pointer(registry: Registry, commands: list[str], text: str, *, off_topic: bool = False) -> str | None:
    """The lookup a question written after /help is for, named without repeating the question; None
    for a question no lookup answers (`off_topic`, as /threshold reads it)."""
    if off_topic and _ASKS_HOW.search(text):
        for name, words in _FEATURES:
            if name in commands and words.search(text):
                if name == "survey" and _ANSWERING.search(text):
                    return SURVEY_FOR_DELEGATES
                return f"**/{name}** — {registry.commands[name].help} `/help {name}` shows how."
    for name, words in _POINTERS:
        if name in commands and words.search(text):
            return f"**/{name}** — {registry.commands[name].help}"
    if off_topic:
        return None
    if "threshold" in commands:
        return (
            f"**/threshold** — {registry.commands['threshold'].help} Describe the worry in general terms, "
            "e.g. `/threshold a child says they are being hurt at home`."
        )
    return "Type /help to see everything I can do."


def free_text(ctx: Context, commands: list[str], screened: guidance.Screened) -> Reply:
    """/help followed by a question, not a command's name: where to ask it. What was typed is never
    shown back, and identifying details get the same private warning as every lookup."""
    pack = ctx.pack
    # "she has just told me he is coming to get her now": 999 before any pointer to a command
    top: list[Any] = [contacts.call_999_now(pack)] if contacts.danger_now(pack, screened.text) else []
    top += [guidance.identifier_warning()] if screened.had_identifiers else []
    # a question about a term goes to /glossary; a worry that names one in passing ("the health
    # visitor is worried about a baby's weight"), to /threshold as any other worry
    if glossary.asks_about_a_term(pack, screened.text) and "glossary" in commands and not screened.had_identifiers:
        said = f"To ask that, use **/glossary** — {ctx.registry.commands['glossary'].help}"
    else:
        # "how do I book a room for a core group": no lookup answers it, so none is offered
        # "how do I refer": /threshold gives the front door's route, so it is pointed to
        off_topic = (
            not screened.had_identifiers
            and not asks_how_to_refer(screened.text)
            and not _PRACTICE.search(screened.text)
            and threshold.assess(pack, screened.text).off_topic
        )
        where = _pointer(ctx.registry, commands, screened.text, off_topic=off_topic)
        said = (
            where
            if where == SURVEY_FOR_DELEGATES
            else f"To ask that, use {where}"
            if where
            else f"I can't answer that one: {OFF_TOPIC_TEXT}"
        )
        if where and _PRACTICE.search(screened.text) and not asks_how_to_refer(screened.text):
            # how a setting records a disclosure or asks for consent is its own procedure
            said = (
                "How your own setting handles it (recording, consent, whom to tell) is one for your DSL or "
                f"manager. For a worry about a child: {where}"
            )
    return reply(
        *top,
        Text(text=f"/help takes a command's name, e.g. `/help threshold`. {said}"),
        Text(text=contacts.emergency_route(pack)),
        Caption(text="Type /help to see everything I can do."),
    )


@command("help", usage="[COMMAND]", help="What I can do, or how to use one command.")
async def help_command(req: Request, ctx: Context) -> Reply:
    registry = ctx.registry
    commands = registry.public_commands(console=ctx.console_mode)
    wanted = req.text.strip().lstrip("/").lower()
    if wanted:
        spec = registry.commands.get(wanted)
        if spec is None or spec not in commands:
            # screened as every lookup is: a question here can name a child as easily as in /threshold
            screened = await guidance.read_off_loop(req.text, contacts.screen, ctx.pack, req.text)
            if screened.had_identifiers or len(wanted.split()) > 1:
                # read as /threshold reads a worry, so in a thread for a long question
                return await guidance.read_off_loop(req.text, free_text, ctx, [c.name for c in commands], screened)
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
