"""One registry of everything the bot can do.

Handler modules mark functions with decorators that only attach metadata. `build_registry`
collects it. The Slack manifest, the Discord app commands, the console and `/help` are all
generated from this one place.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from core.model import HandlerResult, Request
from core.sanitise import echoed

if TYPE_CHECKING:
    from core.context import Context

Handler = Callable[[Request, "Context"], Awaitable[HandlerResult]]
JobFn = Callable[["Context"], Awaitable[None]]
F = TypeVar("F", bound=Callable[..., Any])

ROLES = ("practitioner", "trainer", "comms", "admin")
_LITERAL = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # a word typed as it is: "mine", "post-course", "2025-26"
_MOST_LITERAL_WORDS = 2  # "course ID" offers "course"; "what the disagreement is about" is a description
_ACTION_ID = re.compile(r"^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$")
_COMMAND = re.compile(r"^[a-z][a-z0-9-]{0,30}$")


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str  # e.g. "[free text | level N]"
    help: str  # one line, shown in /help
    long_help: str = ""  # shown by /help NAME
    role: str = "practitioner"  # the role needed to use it at all
    handler: Handler | None = None
    console_only: bool = False
    hidden: bool = False
    # Words from the content pack worth offering as the person types (glossary terms, topics):
    # called with the pack and what was typed so far, for platforms that autocomplete.
    suggest: Callable[[Any, str], list[str]] | None = None


@dataclass(frozen=True)
class SubcommandSpec:
    """One verb of a command (`/bulletin schedule ID WHEN CHANNEL…`): its usage, help and role are
    declared once, and /help, the command's usage line, suggestions and the answer to a verb the
    command does not have all come from here. The handler gets the text after the verb."""

    command: str
    name: str
    handler: Handler
    usage: str = ""  # what follows the verb, e.g. "ID WHEN CHANNEL…"
    help: str = ""
    role: str | None = None  # None: the command's own role
    aliases: tuple[str, ...] = ()
    refusal: str = ""  # what a person without the role was trying to do, e.g. "close a survey"

    @property
    def line(self) -> str:
        return f"{self.name} {self.usage}".strip()


@dataclass(frozen=True)
class ActionSpec:
    action_id: str  # "feature:verb"
    handler: Handler
    role: str = "practitioner"
    pattern: str = r"^[A-Za-z0-9_.\-=:,]{0,90}$"  # what a valid value looks like


@dataclass(frozen=True)
class JobSpec:
    name: str
    fn: JobFn
    every_seconds: float


@dataclass(frozen=True)
class SentSpec:
    """Told when an outbox row whose `on_sent` names this feature has been posted."""

    feature: str
    fn: Callable[..., Awaitable[None]]  # (ctx, ref, platform, target, message_id)


@dataclass(frozen=True)
class ThreadSpec:
    feature: str
    handler: Handler


def command(
    name: str,
    *,
    usage: str = "",
    help: str,
    long_help: str = "",
    role: str = "practitioner",
    console_only: bool = False,
    hidden: bool = False,
    suggest: Callable[[Any, str], list[str]] | None = None,
) -> Callable[[F], F]:
    if not _COMMAND.match(name):
        raise ValueError(f"command name {name!r} must be lower case letters, digits or '-'")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def mark(fn: F) -> F:
        spec = CommandSpec(name, usage, help, long_help, role, fn, console_only, hidden, suggest)
        fn.__dict__.setdefault("__sgbot__", []).append(spec)
        return fn

    return mark


def subcommand(
    command: str,
    name: str,
    *,
    usage: str = "",
    help: str,
    role: str | None = None,
    aliases: tuple[str, ...] = (),
    refusal: str = "",
) -> Callable[[F], F]:
    if not _COMMAND.match(name) or not all(_COMMAND.match(a) for a in aliases):
        raise ValueError(f"sub-command {name!r} of /{command} must be lower case letters, digits or '-'")
    if role is not None and role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def mark(fn: F) -> F:
        spec = SubcommandSpec(command, name, fn, usage, help, role, aliases, refusal)
        fn.__dict__.setdefault("__sgbot__", []).append(spec)
        return fn

    return mark


def action(action_id: str, *, role: str = "practitioner", pattern: str | None = None) -> Callable[[F], F]:
    if not _ACTION_ID.match(action_id):
        raise ValueError(f"action id {action_id!r} must look like 'feature:verb'")

    def mark(fn: F) -> F:
        spec = ActionSpec(action_id, fn, role, pattern or ActionSpec.pattern)
        fn.__dict__.setdefault("__sgbot__", []).append(spec)
        return fn

    return mark


def job(name: str, *, every_seconds: float) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        fn.__dict__.setdefault("__sgbot__", []).append(JobSpec(name, fn, every_seconds))
        return fn

    return mark


def thread_replies(feature: str) -> Callable[[F], F]:
    """Receives plain messages in threads that `feature` has claimed (see storage.threads)."""

    def mark(fn: F) -> F:
        fn.__dict__.setdefault("__sgbot__", []).append(ThreadSpec(feature, fn))
        return fn

    return mark


def on_sent(feature: str) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        fn.__dict__.setdefault("__sgbot__", []).append(SentSpec(feature, fn))
        return fn

    return mark


@dataclass
class Registry:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    # Each command's verbs by name and alias, in the order they were declared.
    subcommands: dict[str, dict[str, SubcommandSpec]] = field(default_factory=dict)
    actions: dict[str, ActionSpec] = field(default_factory=dict)
    jobs: dict[str, JobSpec] = field(default_factory=dict)
    threads: dict[str, ThreadSpec] = field(default_factory=dict)
    sent_hooks: dict[str, SentSpec] = field(default_factory=dict)
    sections: list[Any] = field(default_factory=list)  # core.contentpack.Section
    settings: list[type] = field(default_factory=list)  # core.config.FeatureSettings subclasses

    def add(self, spec: Any) -> None:
        if isinstance(spec, CommandSpec):
            self._unique(self.commands, spec.name, spec)
        elif isinstance(spec, SubcommandSpec):
            verbs = self.subcommands.setdefault(spec.command, {})
            for word in (spec.name, *spec.aliases):
                self._unique(verbs, word, spec)
        elif isinstance(spec, ActionSpec):
            self._unique(self.actions, spec.action_id, spec)
        elif isinstance(spec, JobSpec):
            self._unique(self.jobs, spec.name, spec)
        elif isinstance(spec, ThreadSpec):
            self._unique(self.threads, spec.feature, spec)
        elif isinstance(spec, SentSpec):
            self._unique(self.sent_hooks, spec.feature, spec)
        else:
            raise TypeError(f"not a registry entry: {spec!r}")

    @staticmethod
    def _unique(table: dict[str, Any], key: str, spec: Any) -> None:
        if key in table:
            raise ValueError(f"{key!r} is registered twice")
        table[key] = spec

    def suggestions(self, command: str, typed: str = "", pack: Any = None) -> list[str]:
        """What may follow /command: first what the command offers from the content pack (its
        `suggest`, e.g. glossary terms), then its usage line's sub-commands and keywords ("mine",
        "course", "add" for /training), or the command names where the usage says COMMAND. Those
        that start with what was typed come first, then those that contain it; usage words stop
        once the typing has gone past the first word."""
        spec = self.commands.get(command)
        if spec is None:
            return []
        offered = _ranked(spec.suggest(pack, typed), typed) if spec.suggest and pack is not None else []
        if len(typed.split()) > 1 or (typed.endswith(" ") and typed.strip()):
            return offered
        words: list[str] = []
        for alternative in _alternatives(spec.usage):
            if alternative == "COMMAND":
                words += [c.name for c in self.public_commands()]
            elif (word := _keyword(alternative)) is not None:
                words.append(word)
        return list(dict.fromkeys(offered + _ranked(words, typed)))

    def verbs(self, command: str) -> list[SubcommandSpec]:
        """A command's sub-commands, each once, in the order they were declared."""
        return list(dict.fromkeys(self.subcommands.get(command, {}).values()))

    def find_subcommand(self, command: str, text: str) -> tuple[SubcommandSpec, str] | None:
        """The sub-command the text starts with, and the text after it; None if it starts with none."""
        verb, _, rest = text.strip().partition(" ")
        spec = self.subcommands.get(command, {}).get(verb.lower())
        return (spec, rest.strip()) if spec is not None else None

    def unknown_subcommand_text(self, command: str, verb: str) -> str:
        """The answer to `/command verb` when the command has no such verb: the close ones, then
        every verb it has, from the declarations."""
        from rapidfuzz import fuzz, process

        verbs = self.verbs(command)
        every = ", ".join(f"/{command} {v.line}" for v in verbs)
        if verb.lower() in ("help", "?", "options", "commands"):  # asked what there is: no "did you mean"
            return f"/{command} has: {every}. `/help {command}` says what each does."
        # Close by spelling alone ("anounce"): a looser score offered "help" the destructive "cancel"
        found = process.extract(verb[:30].lower(), [v.name for v in verbs], limit=2, scorer=fuzz.ratio, score_cutoff=70)
        close = [m[0] for m in found]
        hint = f" Did you mean {' or '.join(f'/{command} {c}' for c in close)}?" if close else ""
        return f"I don't know /{command} {echoed(verb, 30)}.{hint} Use {every}."

    def unknown_command_text(self, name: str, *, console: bool) -> str:
        """The answer to a command the bot does not have, naming up to three close ones."""
        from rapidfuzz import process

        names = [c.name for c in self.public_commands(console=console)]
        close = [m[0] for m in process.extract(name[:40].lower(), names, limit=3, score_cutoff=60)]
        shown = f"/{echoed(name)}" if name else "that"  # on Teams and the console the name is free text
        if close:
            options = " or ".join(f"/{c}" for c in close)
            return f"I don't know {shown}. Did you mean {options}? Type /help to see everything I can do."
        return f"I don't know {shown}. Type /help to see everything I can do."

    def public_commands(self, *, console: bool = False) -> list[CommandSpec]:
        """Commands a platform should expose, in name order."""
        return sorted(
            (c for c in self.commands.values() if not c.hidden and (console or not c.console_only)),
            key=lambda c: c.name,
        )


def _ranked(words: list[str], typed: str) -> list[str]:
    """Words that start with what was typed, then those that contain it, each once, in order."""
    typed = typed.strip().lower()
    words = list(dict.fromkeys(words))
    starts = [w for w in words if w.lower().startswith(typed)]
    return starts + [w for w in words if typed in w.lower() and w not in starts]


def _alternatives(usage: str) -> list[str]:
    """The top-level choices of a usage line: "[N | mine | course ID]" -> ["N", "mine", "course ID"]."""
    usage = usage.strip()
    if usage.startswith("[") and usage.endswith("]") and _closing(usage, 0) == len(usage) - 1:
        usage = usage[1:-1]
    parts, depth, start = [], 0, 0
    for n, char in enumerate(usage):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(usage[start:n].strip())
            start = n + 1
    parts.append(usage[start:].strip())
    return [p for p in parts if p]


def _closing(text: str, opening: int) -> int:
    depth = 0
    for n in range(opening, len(text)):
        depth += {"[": 1, "]": -1}.get(text[n], 0)
        if depth == 0:
            return n
    return -1


def _keyword(alternative: str) -> str | None:
    """The words to type for one choice ("course ID" -> "course"), or None when it starts with a
    placeholder (N, ID) or is a description rather than words to type."""
    words = alternative.split()
    literal = 0
    while literal < len(words) and _LITERAL.match(words[literal]):
        literal += 1
    rest_are_placeholders = all(w.startswith("[") or not any(c.islower() for c in w) for w in words[literal:])
    if literal == 0 or literal > _MOST_LITERAL_WORDS or not rest_are_placeholders:
        return None
    return " ".join(words[:literal])


def _with_submodules(modules: Iterable[ModuleType]) -> list[ModuleType]:
    """Each module, and for a feature package every module in it, in name order, so a feature's
    commands are found where they are written. A package's command-line module (cli.py) is left
    out: it is the `sgbot` sub-app, not the chat feature, and loads terminal libraries."""
    import importlib
    import pkgutil

    found: list[ModuleType] = []
    for module in modules:
        found.append(module)
        for sub in sorted(pkgutil.iter_modules(getattr(module, "__path__", []))):
            if sub.name != "cli" and not sub.name.startswith("_"):
                found.append(importlib.import_module(f"{module.__name__}.{sub.name}"))
    return found


def build_registry(modules: Iterable[ModuleType]) -> Registry:
    from core.config import FeatureSettings
    from core.contentpack import Section

    registry = Registry()
    seen: set[int] = set()  # a function re-exported by its package is registered once
    for module in _with_submodules(modules):
        for value in vars(module).values():
            if id(value) in seen:
                continue
            specs = getattr(value, "__dict__", {}).get("__sgbot__", [])
            if specs or isinstance(value, Section):
                seen.add(id(value))
            for spec in specs:
                registry.add(spec)
            if isinstance(value, Section):
                registry.sections.append(value)
            own_settings = isinstance(value, type) and issubclass(value, FeatureSettings)
            if own_settings and value is not FeatureSettings and value not in registry.settings:
                registry.settings.append(value)
    for name in list(registry.subcommands):
        spec = registry.commands.get(name)
        if spec is None:
            raise ValueError(f"sub-commands are declared for /{name}, which is not a command")
        # The usage line is written from the verbs, after what the bare command takes, if anything.
        own = spec.usage[1:-1] if spec.usage.startswith("[") and spec.usage.endswith("]") else spec.usage
        usage = " | ".join([*([own] if own else []), *(v.line for v in registry.verbs(name))])
        registry.commands[name] = replace(spec, usage=f"[{usage}]" if own else usage)
    return registry
