"""The bot's markup as plain terminal text."""

from __future__ import annotations

import re

from core import markup

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no terminal escape sequences from untrusted text


def plain(text: str) -> str:
    """Neutral markup for a terminal: markers dropped, a link as "label (address)", code as typed."""
    out: list[str] = []
    for token in markup.tokens(_CONTROL.sub("", text)):
        if isinstance(token, markup.Bullet):
            out.append("- ")
        elif isinstance(token, markup.Newline):
            out.append("\n")
        else:
            out.append(_plain(token))
    return "".join(out)


def _plain(token: markup.Inline) -> str:
    if isinstance(token, markup.Link):
        return token.url if token.bare else f"{token.label} ({token.url})"
    if isinstance(token, markup.Bold | markup.Italic):
        return "".join(_plain(child) for child in token.children)
    if isinstance(token, markup.Code):
        return f"`{token.text}`"
    return token.text
