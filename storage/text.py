"""Text as every database can store it: the one rule the request model and the stores share."""

from __future__ import annotations

import re

# NUL, which PostgreSQL cannot store in text, and half of a surrogate pair (an emoji cut in two,
# valid as a JSON escape), which no database can encode.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """What a person typed, as every database can store it: NUL dropped, a lone surrogate shown
    as U+FFFD (the replacement character). Done as each request is made, so a comment with such a
    character is saved like any other rather than failing every time it is tried."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)
