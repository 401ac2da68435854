"""Regular expressions compiled when first used, not when their module is imported.

The identifying-details guard (handlers/safety) holds about 180 patterns, many over the Latin
letters of every community's names; compiling them took a fifth of a second of every start, before
the bot was ready, for text nobody had typed yet. A `LazyPattern` compiles on its first use, and the
running bot compiles them all in its warm-up thread once it is ready (`compile_every_pattern`), so
the first lookup does not pay for it either."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

_EVERY: list[LazyPattern] = []


class LazyPattern:
    """`re.compile(source, flags)`, done the first time a method is called."""

    __slots__ = ("_compiled", "flags", "source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:  # two threads may both compile it: the result is the same
            compiled = self._compiled = re.compile(self.source, self.flags)
        return compiled

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(string, maxsplit)


def lazy_compile(source: str, flags: int = 0) -> LazyPattern:
    pattern = LazyPattern(source, flags)
    _EVERY.append(pattern)
    return pattern


def compile_every_pattern() -> None:
    """Compile every lazy pattern not compiled yet (the bot's warm-up, after it is ready)."""
    for pattern in list(_EVERY):
        _ = pattern.compiled
