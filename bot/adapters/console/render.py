"""The bot's markup as plain terminal text."""

from __future__ import annotations

import re

from core import markup

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no terminal escape sequences from untrusted text


def plain(text: str) -> str:
    """Neutral markup for a terminal: markers dropped, a link as "label (address)", code as typed."""
    return markup.plain_text(_CONTROL.sub("", text))
