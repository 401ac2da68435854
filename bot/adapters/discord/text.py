"""Discord's limits, and the bot's markup as Discord markdown.

Every piece of text is untrusted: it is read by `core.markup`, markdown and mentions are
escaped, and only the neutral markup (**bold**, _italic_, [label](https://url), "- " bullets)
becomes Discord markdown. Lengths are counted as Discord counts them (UTF-16 code units).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from discord.utils import escape_mentions

from core import markup
from core.sanitise import ZWSP

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000  # per embed, and for all the embeds of one message together
EMBEDS_PER_MESSAGE = 10
FILES_PER_MESSAGE = 10
ROWS = 5
BUTTONS_PER_ROW = 5
LABEL = 80
OPTIONS = 25
OPTION_TEXT = 100
PLACEHOLDER = 150
CUSTOM_ID = 100
MODAL_TITLE = 45
MODAL_FIELDS = 5
MODAL_LABEL = 45
MODAL_DESCRIPTION = 100
TEXT_INPUT = 4000


# --- text ------------------------------------------------------------------------------------


# Discord also reads <t:…> (a live timestamp), </name:id> (a command link), <:name:id> (an emoji)
# and <id:…> (a server menu) inside "<…>": in text shown literally no "<" may open one.
_ANGLE_OPENS = re.compile("<(?!" + ZWSP + ")")


# Every character Discord's markdown acts on, anywhere in a line, and the marks it reads at a line's
# start (a quote, a heading or subtext, a list item). discord.py's own escape_markdown reads a run of
# "[a](" in cubic time (its masked-link pattern is \[.+\]\(.+\)): 4,000 characters took 0.9 s
# on the bot's loop, 20,000 in a bulletin 104 s (an outside audit). A backslash before any
# punctuation shows that character as itself.
# An address is left whole, as discord.py leaves it, so Discord still links it.
_INLINE_MARKS = re.compile(r"(?P<url>(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s])|[\\*_~|`\[\]]")
_LINE_MARKS = re.compile(r"^([ \t]*)(?:([>#-])|(\d+)\.(?=\s))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    text = _INLINE_MARKS.sub(lambda m: m.group() if m.group("url") else "\\" + m.group(), text)
    return _LINE_MARKS.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\."), text)


def escape(text: str) -> str:
    """Untrusted text, shown literally: no markdown, no @everyone, no user or role mentions, and
    none of Discord's other "<…>" codes."""
    return _ANGLE_OPENS.sub("<" + ZWSP, escape_mentions(escape_markdown(text)))


def markdown(text: str) -> str:
    """Neutral markup -> Discord markdown; everything else escaped."""
    return "".join(_markdown(token) for token in markup.tokens(text))


def _markdown(token: markup.Token) -> str:
    if isinstance(token, markup.Text):
        return escape(token.text)
    if isinstance(token, markup.Code):
        # Shown with its backticks, escaped: untrusted text never gets Discord's formatting.
        return escape(f"`{token.text}`")
    if isinstance(token, markup.Link):
        if token.bare:
            return escape(token.url)  # Discord links a bare address itself
        if markup.is_web(token.url):
            return f"[{escape(token.label)}]({token.url})"
        return f"{escape(token.label)} ({escape(token.url)})"  # Discord masks only web links
    if isinstance(token, markup.Bold):
        return "**" + "".join(_markdown(child) for child in token.children) + "**"
    if isinstance(token, markup.Italic):
        return "_" + "".join(_markdown(child) for child in token.children) + "_"
    if isinstance(token, markup.Bullet):
        return "- "
    return "\n"


def plain(text: str) -> str:
    """Neutral markup -> plain text, for places Discord shows without markdown (labels, footers)."""
    return markup.plain_text(text)


def size(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units), so an emoji never tips us over a limit."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    if size(text) <= limit:
        return text
    while size(text) > limit - 1:
        text = text[: max(0, min(len(text) - 1, limit - 1))]
    return text + "…"


def split_markdown(text: str, limit: int) -> list[str]:
    """Neutral text -> Discord markdown chunks of at most `limit`, split between lines where possible."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for line in text.split("\n"):
        converted = markdown(line)  # markup never spans lines, so each line converts on its own
        length = size(converted)
        if current and used + 1 + length <= limit:
            current.append(converted)
            used += 1 + length
            continue
        if current:
            chunks.append("\n".join(current))
        current, used = [], 0
        if length <= limit:
            current, used = [converted], length
        else:
            chunks.extend(_hard_split(line, limit))  # one enormous line: cut it, markup may fall apart
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if c.strip()]


def _hard_split(line: str, limit: int) -> Iterator[str]:
    start = 0
    while start < len(line):
        end = min(len(line), start + limit)
        while end > start + 1 and size(markdown(line[start:end])) > limit:
            end = start + (end - start) * 3 // 4
        yield markdown(line[start:end])
        start = end
