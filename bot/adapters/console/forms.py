"""How the console asks a form (a modal on Slack and Discord): field by field, one line each, a
text of several lines ended by a line holding a single '.'.

In a script a closing '.' may be forgotten, and every later line would become text. So there a
line that is a console action of its own (a known command, a press or a thread reply, after an
optional @name) ends the text: it is read again as the script's next line, so it runs in its
place, after the form is sent when the text was the form's last field, or leaving the form
unfinished when fields were still to come. A line begun with a space stays text ("
/glossary explains LADO" in a bulletin). At the keyboard only the '.' ends a text: the '|' prompt
shows it is still open."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.adapters.console.answering import ConsoleAnswering
from bot.adapters.console.render import plain
from bot.respond import FORM_STILL_WRONG, FORM_UNFINISHED
from core.model import Form, FormField, Request, RequestKind

if TYPE_CHECKING:
    from bot.adapters.console.session import ConsoleSession

LINE = re.compile(r"^(?:@(?P<user>[\w.-]{1,40})\s+)?(?P<rest>.*)$")
# Numbers of at most nine digits: Python refuses to read one of more than 4,300 (a traceback)
PRESS = re.compile(r"^!(?:(?P<msg>\d{1,9})\.)?(?P<choice>\d{1,9})$")
THREAD = re.compile(r"^>(?P<msg>\d{1,9})\s+(?P<text>.+)$")
# A form answer that is a command ("/training announce 1"): the form is left and the command run.
COMMAND_LINE = re.compile(r"^/[a-z][a-z-]*(\s|$)")
FORM_LEFT_FOR_COMMAND = (
    "That is a command, so the form was left unfinished (nothing from it was saved) and the command run."
)
TEXT_ENDED_AT_COMMAND = (
    "The text ends before {line}, a line of its own (a command, a press or someone else's): it runs once "
    "the form is sent. (A text ends with a line holding a single '.'; to begin a line of the text with "
    "'/', put a space before it.)"
)


class FormAsker:
    """Asks one form in a console session: reads the session's script or keyboard, prints as it does."""

    def __init__(self, session: ConsoleSession) -> None:
        self.s = session

    async def fill(self, form: Form, request: Request) -> None:
        self.s.say(f"[form] {plain(form.title)} — answer each field; an empty line skips an optional one.")
        values: dict[str, str] = {}
        fields = list(form.fields)
        refused: set[str] = set()
        turned_down: dict[str, set[str]] = {}  # every value each field has had refused
        for _attempt in range(3):
            for n, form_field in enumerate(fields):
                # A refused answer is not offered back as the field's value: an empty line keeps
                # what the form held before it, unless that is what was refused ("next friday ...",
                # typed after the command, kept would only be refused again).
                kept = values.get(form_field.id)
                if form_field.id in refused:
                    kept = "" if form_field.initial in turned_down.get(form_field.id, ()) else form_field.initial
                current = form_field.initial if kept is None else kept
                answer = await self._answer(form_field, current, last=n == len(fields) - 1)
                if answer is None:
                    self.s.say(FORM_UNFINISHED)
                    return
                if form_field.kind != "multiline" and (COMMAND_LINE.match(answer) or self.is_action(answer)):
                    # A command typed mid-form is the person moving on: run it (as written: a line
                    # with no @name is the script's user's), not store it as (say) the trainer's name.
                    self.s.say(FORM_LEFT_FOR_COMMAND)
                    await self.s.handle_line(answer, echo=False)
                    return
                if not answer and current:
                    answer = current  # as in a prefilled modal: leaving a field alone keeps its value
                if (
                    form_field.options
                    and answer.isdigit()
                    and len(answer) < 10
                    and 1 <= int(answer) <= len(form_field.options)
                ):
                    answer = form_field.options[int(answer) - 1].value
                values[form_field.id] = answer
            if bounds := form.out_of_bounds(values, choices=False):  # as a modal would not take them
                await ConsoleAnswering(self.s, request).show_form_errors(form, bounds, values)
                fields = [f for f in form.fields if f.id in bounds]
                refused = set(bounds)
                for name in refused:
                    turned_down.setdefault(name, set()).add(values.get(name, ""))
                continue
            # Validated, not model_copy'd: the values are cleaned (storable) as every platform's are.
            submit = Request.model_validate(
                request.model_dump()
                | {"kind": RequestKind.SUBMIT, "action_id": form.action_id, "value": form.value, "form": dict(values)}
            )
            outcome = await self.s.runtime.dispatcher.handle(submit)
            if not outcome.form_errors:
                await self.s.show_replies(outcome.replies, submit)
                return
            await ConsoleAnswering(self.s, submit).show_form_errors(form, outcome.form_errors, values)
            fields = [f for f in form.fields if f.id in outcome.form_errors]
            refused = set(outcome.form_errors)
            for name in refused:
                turned_down.setdefault(name, set()).add(values.get(name, ""))
        self.s.say(FORM_STILL_WRONG)

    async def _answer(self, form_field: FormField, current: str, *, last: bool) -> str | None:
        if form_field.kind == "multiline":
            return await self._ask_block(form_field.label, current, required=form_field.required, last=last)
        options = [o.label for o in form_field.options]
        return await self._ask(form_field.label, options, current, form_field.placeholder)

    def is_action(self, line: str) -> bool:
        """Whether a line is a console action of its own (a known command, a press or a thread reply,
        after an optional @name), not a line of text nor one begun with a space."""
        match = LINE.fullmatch(line.rstrip())
        if match is None or line[:1].isspace():
            return False
        rest = match.group("rest")
        named = bool(COMMAND_LINE.match(rest)) and rest[1:].split()[0] in self.s.runtime.ctx.registry.commands
        return named or bool(PRESS.match(rest) or THREAD.match(rest))

    async def _ask(self, label: str, options: list[str] | None, current: str = "", hint: str = "") -> str | None:
        prompt = f"  {plain(label)}"
        if options:
            prompt += " (" + ", ".join(f"{i}={o}" for i, o in enumerate(options, 1)) + ")"
        if current:
            prompt += f" [now: {plain(current)}; an empty line keeps it]"
        elif hint:
            # what a platform's form shows greyed in an empty field: an example, or a sentence
            # (what was not understood); not in brackets, where it would read as a kept value
            prompt += f" ({plain(hint)})" if hint.rstrip().endswith(".") else f" (e.g. {plain(hint)})"
        prompt += "? "
        answer = await self.s.next_answer(prompt)
        return None if answer is None else answer.strip()

    async def _ask_block(self, label: str, current: str, *, required: bool = False, last: bool = True) -> str | None:
        """Several lines, ended by a line holding a single '.', so pasted Markdown arrives whole
        (its '#' headings included). Spaces around the '.' are allowed: scripts indent it. In a
        script a console action ends it too (the module's note); None when the form is left.
        `last`: the form's last field to fill, after which the form is sent."""
        if current:
            empty = "an empty first line keeps what is there now"
        else:
            empty = "it is needed: type at least one line" if required else "an empty first line skips it"
        # what is there now, as typed, so one line can be changed by copying the rest
        now = "".join(f"\n    {line}" for line in current.split("\n")) if current else ""
        self.s.say(
            f"  {plain(label)}: type or paste several lines, then a line with a single '.' to finish "
            f"({empty}).{' It says now:' if now else ''}{now}"
        )
        lines: list[str] = []
        while True:
            line = await self.s.next_answer("  | ")
            if line is None:
                return None
            if line.strip() == "." or (not lines and not line.strip()):
                return "\n".join(lines).strip("\n")
            if not self.s.interactive and self.is_action(line):
                self.s.read_again()  # it runs in its place in the script
                if lines and last:
                    self.s.say(TEXT_ENDED_AT_COMMAND.format(line=line.strip()))
                    return "\n".join(lines).strip("\n")
                self.s.say(f"{line.strip()} is a line of its own (a command, a press or someone else's): it runs next.")
                return None  # the person moved on with fields still to fill: the form is left
            lines.append(line.rstrip())
