"""The bot's text markup, read once: the one tokenizer every renderer maps to its own format.

Handlers write a small, markdown-like markup inside Text, Header and Caption blocks:

  **bold**            Bold, which may hold a link, code or italics
  _italic_            Italic: not inside a word (snake_case stays text), no space just inside
  `code`              Code, shown as written (no markup inside)
  [label](url)        Link; the label is plain text (markup inside it is dropped)
  https://…           a bare address, a Link with `bare=True`; trailing punctuation is not part of it
  "- " at line start  Bullet
  a line break        Newline

Only http, https, mailto and tel are links, whatever their case ("HTTPS://…" is a link, its
scheme written lower-case); `[x](javascript:…)` and everything unbalanced ("**open", "_half")
stay text. Markup never spans lines. Renderers escape what their format needs: the tokens carry
the characters as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

LINK_SCHEMES = ("http", "https", "mailto", "tel")
# A bare address, read as a link: trailing punctuation is not part of it.
BARE_ADDRESS = r"https?://[^\s|()<>]*[^\s|().,;:!?<>'\"]"
# What a [label](…) link's address may hold after its scheme: the link ends at the first ")".
# Readers of other markup (bulletins' Markdown) read at least this much, or a link they miss reaches here.
LINK_ADDRESS = r"[^)\s]+"

_INLINE = re.compile(
    r"`(?P<code>[^`\n]+)`"
    r"|\[(?P<label>[^\[\]\n]+)\]\((?P<url>(?:https?://|mailto:|tel:)" + LINK_ADDRESS + r")\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w_])_(?=\S)(?P<italic>[^_\n]+?)(?<=\S)_(?![\w_])"
    r"|(?P<bare>" + BARE_ADDRESS + ")",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[a-z]+", re.IGNORECASE)


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    label: str  # plain text
    url: str  # its scheme is one of LINK_SCHEMES, in lower case
    bare: bool = False  # written as an address on its own, not as [label](url)


@dataclass(frozen=True)
class Bold:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Italic:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Bullet:
    """A "- " at the start of a line; the line's inline tokens follow."""


@dataclass(frozen=True)
class Newline:
    pass


Inline = Text | Code | Link | Bold | Italic
Token = Inline | Bullet | Newline


def tokens(text: str) -> list[Token]:
    """The whole text as tokens: each line's inline tokens, lines separated by Newline."""
    out: list[Token] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            out.append(Newline())
        if line.startswith("- "):
            out.append(Bullet())
            line = line[2:]
        out.extend(inline(line))
    return out


def inline(text: str) -> list[Inline]:
    """One line's inline tokens (no bullets, no line breaks)."""
    return list(_inline(text))


def _inline(text: str) -> Iterator[Inline]:
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            yield Text(text[position : match.start()])
        if match["code"] is not None:
            yield Code(match["code"])
        elif match["url"] is not None:
            yield Link(flatten(inline(match["label"])), _lower_scheme(match["url"]))
        elif match["bold"] is not None:
            yield Bold(tuple(_inline(match["bold"])))
        elif match["italic"] is not None:
            yield Italic(tuple(_inline(match["italic"])))
        else:
            url = _lower_scheme(match["bare"])
            yield Link(url, url, bare=True)
        position = match.end()
    if position < len(text):
        yield Text(text[position:])


def _lower_scheme(url: str) -> str:
    return _SCHEME.sub(lambda scheme: scheme.group().lower(), url, count=1)


def flatten(parts: list[Inline] | tuple[Inline, ...]) -> str:
    """Inline tokens as plain text: bold and italic markers dropped, a link as its label, code in its backticks."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, Text):
            out.append(part.text)
        elif isinstance(part, Code):
            out.append(f"`{part.text}`")  # plain text has no code style; the backticks still set it apart
        elif isinstance(part, Link):
            out.append(part.label)
        else:
            out.append(flatten(part.children))
    return "".join(out)


def plain_text(text: str, *, bullet: str = "- ", addresses: bool = True) -> str:
    """The text with its markup read: markers dropped, bullets as `bullet`, code in backticks, and
    a link as "label (address)" (or only its label, `addresses=False`, where the address would be
    noise), a bare address as typed. For places that show no formatting."""
    out: list[str] = []
    for token in tokens(text):
        if isinstance(token, Bullet):
            out.append(bullet)
        elif isinstance(token, Newline):
            out.append("\n")
        elif addresses:
            out.append(_with_addresses(token))
        else:
            out.append(flatten([token]))
    return "".join(out)


def _with_addresses(token: Inline) -> str:
    if isinstance(token, Link):
        return token.url if token.bare else f"{token.label} ({token.url})"
    if isinstance(token, Bold | Italic):
        return "".join(_with_addresses(child) for child in token.children)
    if isinstance(token, Code):
        return f"`{token.text}`"
    return token.text


def is_web(url: str) -> bool:
    """A link every platform can show as a link (mailto: and tel: are not on Discord)."""
    return url.startswith(("http://", "https://"))
