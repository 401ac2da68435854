"""The bot's markup as plain terminal text."""

from __future__ import annotations

import re

from core import markup

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # no terminal escape sequences from untrusted text


def plain(text: str) -> str:
    """Neutral markup for a terminal: markers dropped, a link as "label (address)", code as typed."""
    # Zero-width spaces go once the markup is read: they keep a chat platform from reading a
    # mention or a link in what someone typed, which a terminal never does, and a value copied
    # from the terminal would carry them.
    return markup.plain_text(_CONTROL.sub("", text)).replace("\u200b", "")
