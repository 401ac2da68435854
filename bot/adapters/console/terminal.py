"""The console chat's terminal: line editing and history (the standard library's readline),
Tab completion of command names, and a prompt kept under what the bot posts while someone types."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from core.logs import escaped_controls


class PrintableOnly:
    """A terminal that shows control characters as escapes ("\\x1b") instead of obeying them;
    line breaks and tabs are written as they are."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        # written as they are, an escape sequence in what the bot shows (typed text echoed back, a
        # feed's title) would recolour, move or retitle the person's terminal
        self.out.write(escaped_controls(text, keep_lines=True))
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.out, name)


class KeepsPrompt:
    """The terminal while the person may be typing: a message the bot posts meanwhile (a
    reminder, a feed item) is printed above the prompt, and the prompt with what they had typed
    so far is shown again under it, as a chat client does, instead of being written over."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.prompt: str | None = None  # set while a line is being read from the terminal
        self._prompt_shown = False

    def reading(self, prompt: str | None) -> None:
        self.prompt = prompt
        self._prompt_shown = prompt is not None

    def write(self, text: str) -> int:
        if self.prompt is None:
            return self.out.write(text)
        if self._prompt_shown:
            self.out.write("\r\x1b[K")  # back to the start of the prompt's line, and clear it
            self._prompt_shown = False
        self.out.write(text)
        if text.endswith("\n"):
            self.out.write(self.prompt + typed_so_far())
            self._prompt_shown = True
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.out, name)


def typed_so_far() -> str:
    try:
        import readline
    except ImportError:  # pragma: no cover - every platform sgbot runs on has it
        return ""
    return readline.get_line_buffer()


def enable_line_editing(commands: Iterable[str] = ()) -> None:
    """Arrow keys, editing and history for input(), from the standard library's readline; Tab
    completes a command's name at the start of a line, and nothing else (readline's own default
    offered the working folder's file names: "/glossary REA" became "/glossary README.md").

    History stays in memory for this session only: what people type may name a family, so it
    is never written to a file."""
    try:
        import readline
    except ImportError:  # not on every platform; the console still works without it
        return
    readline.set_history_length(500)
    readline.set_completer(command_completer(commands))
    readline.set_completer_delims(" \t\n")
    readline.parse_and_bind("tab: complete")


def command_completer(commands: Iterable[str]) -> Callable[[str, int], str | None]:
    """readline's completer: the state-th "/name " that begins with what is typed, when the
    line so far is that one word; None otherwise (so Tab adds nothing)."""
    names = sorted(f"/{name} " for name in commands)

    def complete(typed: str, state: int) -> str | None:
        import readline

        if readline.get_line_buffer()[: readline.get_begidx()].strip() or not typed.startswith("/"):
            return None
        found = [name for name in names if name.startswith(typed.lower())]
        return found[state] if state < len(found) else None

    return complete
