"""Untrusted text (feed items, bulletin Markdown) into the bot's neutral markup.

HTML is first cut down by nh3 to a small safe subset, then converted: bold becomes `**x**`,
links become `[label](https://...)` (http and https only; a label that reads as another address
gives way to the real one), list items become "- " bullets. Every link the bot makes reads as
where it goes: no user name before the host (`https://www.gov.uk@evil.example/`), and a host not
in plain ASCII (`www.gоv.uk` with a Cyrillic о) in its punycode form, `www.xn--gv-fmc.uk`.
Plain text keeps its characters but loses the power to form markup or mentions. Adapters
escape everything else, so nothing that passed through here can ping `@channel`,
`@here`, `@everyone`, a role or a user, on any platform.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import idna  # httpx's own dependency: the IDNA 2008 / UTS 46 rules browsers follow

from core.markup import BARE_ADDRESS

ZWSP = "\u200b"  # zero-width space: breaks a mention or markup token without changing what people read

SAFE_TAGS = {
    "a",
    "b",
    "strong",
    "i",
    "em",
    "p",
    "br",
    "div",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
}
_BLOCK = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_BOLD_TAGS = {"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"}
_ITALIC_TAGS = {"i", "em"}

_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069"  # C0, DEL, bidi overrides and isolates
_CONTROL = re.compile(f"[{_CONTROLS}]")
# Slack's <!channel>, <!here>, <!subteam^…>, <@U…>, <#C…>; Discord's <@id>, <@&role>, <#id>.
_ANGLE_MENTION = re.compile(r"<(?=[!@#])")
_AT_MENTION = re.compile(r"@(?=(everyone|here|channel)\b)", re.IGNORECASE)
# A platform's call to everyone, written whole (Slack's "<!here>", "@channel"): what lookups and
# the guard leave out, as it names no term and no person.
CALL_TO_EVERYONE_TEXT = r"<!(?:channel|everyone|here)[^>]{0,40}>|@(?:channel|everyone|here)\b"
CALL_TO_EVERYONE = re.compile(CALL_TO_EVERYONE_TEXT, re.IGNORECASE)
# "[label](" would start a link (in neutral markup, Discord's and Teams' Markdown); with a space
# between, as in "[name removed] (age 6)", it does not, and the text stays as written.
_LINKISH = re.compile(r"\]\(")
_BOLDISH = re.compile(r"\*(?=\*)")  # every star of a run: "***x***" is no bold either
_LINK = re.compile(r"\[[^\]\n]*\]\((https?://[^)\s]+)\)")
_SPACES = re.compile(r"[ \t\u00a0]+")


# ...and for what is stored, the C1 controls and the bidirectional marks too
_STORED_CONTROL = re.compile(f"[{_CONTROLS}\x80-\x9f\u061c\u200e\u200f]")


def without_controls(text: str) -> str:
    """Text with no control characters (C0 or C1) and no bidirectional controls (which would make a
    spreadsheet or a document show it in another order than it was typed); line breaks and tabs stay."""
    return _STORED_CONTROL.sub("", text)


def neutralise_mentions(text: str) -> str:
    """Text whose markup is meant (e.g. a bulletin's Markdown) but which must not mention anyone."""
    text = _CONTROL.sub("", text)
    text = _ANGLE_MENTION.sub("<" + ZWSP, text)
    return _AT_MENTION.sub("@" + ZWSP, text)


def neutralise_text(text: str) -> str:
    """Plain untrusted text: no control characters, no mentions, no markup it could form."""
    text = neutralise_mentions(text)
    text = _LINKISH.sub("]" + ZWSP + "(", text)
    return _BOLDISH.sub("*" + ZWSP, text)


# Characters Slack's mrkdwn or Discord's markdown act on alone, swapped for ones that look the
# same but mean nothing to either, nor to the bot's own markup.
_LOOKALIKES = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
_TYPED_BACK = str.maketrans({"\u2217": "*", "\u02cd": "_", "\u223c": "~", "\u02cb": "`", ZWSP: None})
_OPEN_ANGLE = re.compile("<(?!" + ZWSP + ")")
# quotes, headings, list items at a line start; the space before one stays within its line ("\s*"
# read every blank line after each line start: quadratic, 4,000 empty lines took 0.4 s)
_LINE_MARK = re.compile(r"(?m)^([^\S\n]*)(?=[>#+-]|\d+\.\s)")


def inert_text(text: str) -> str:
    """Typed text to be shown exactly as it reads, with no power at all on any platform: no
    mention, no link (masked, bare or Slack's `<url|label>`), no bold, italics, strike-through,
    code, quote, heading or list.

    - `<` is followed by a zero-width space, so `<https://x|label>`, `<!channel>`, `<@U123>` and
      Discord's `<#1>`, `<:emoji:1>` or `</command:1>` cannot form; @everyone and friends neither;
    - `://` gets a zero-width space, so no address is linked, bare or masked (`[x](https://…)`);
    - * _ ~ and the backtick become look-alikes, and a line cannot start a quote, heading or list."""
    text = neutralise_text(text.translate(_LOOKALIKES))
    text = _OPEN_ANGLE.sub("<" + ZWSP, text).replace("://", ":/" + ZWSP + "/")
    return _LINE_MARK.sub(lambda m: m.group(1) + ZWSP, text)


def typed_back(shown: str) -> str:
    """What `inert_text` showed, copied back into a command: the look-alikes as the characters
    they stand for ("n1ˍ5" for the id n1_5), without the zero-width spaces."""
    return shown.translate(_TYPED_BACK)


def echoed(typed: str, limit: int = 40) -> str:
    """What someone typed, named back to them in an answer ("I don't know X"): one line of at most
    `limit` characters, reading as they typed it but unable to link, mention or format."""
    line = " ".join(_CONTROL.sub("", typed or "").split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return inert_text(line)


def safe_url(url: str, base: str = "") -> str | None:
    """An absolute http(s) URL, or None for anything else (javascript:, data:, mailto:, …)."""
    url = (url or "").strip()
    if not url:
        return None
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    # ")" and whitespace would end the neutral link early; percent-encode them.
    return url.replace(" ", "%20").replace(")", "%29").replace("(", "%28")


def link_url(url: str, base: str = "") -> str | None:
    """A `safe_url` written so that it reads as where it goes, for a link people will see: a user
    name or password before the host is dropped (`https://www.gov.uk@evil.example/x` goes to
    evil.example, and now says so), and a host that is not plain ASCII is written in its punycode
    form, so `www.gоv.uk` with a Cyrillic о reads `www.xn--gv-fmc.uk`. None when the address is
    not safe, or its host has no such form (a backslash or a percent-escape in it)."""
    try:
        safe = safe_url(url, base)
        if safe is None:
            return None
        parts = urlsplit(safe)
        port = parts.port
    except ValueError:  # the URL parser's own refusals: an unclosed "[", a port out of range
        return None
    netloc = parts.netloc
    if "@" not in netloc and netloc.isascii() and "%" not in netloc and "\\" not in netloc:
        return safe
    host = _ascii_host(unquote(parts.hostname or ""))
    if not host or "\\" in netloc:  # a backslash ends the host in a browser, but not here
        return None
    if ":" in host:
        host = f"[{host}]"
    return urlunsplit(
        (parts.scheme, host if port is None else f"{host}:{port}", parts.path, parts.query, parts.fragment)
    )


def _ascii_host(host: str) -> str | None:
    """The host as a browser resolves it, in ASCII (punycode for an international name), or None."""
    if host.isascii():
        return host if re.fullmatch(r"[\w.:-]+", host) else None
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        try:  # the older rules, which still allow a few names browsers open (☃.net)
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return None


_BARE = re.compile(BARE_ADDRESS, re.IGNORECASE)


def honest_addresses(text: str) -> str:
    """Bare web addresses in untrusted text, which every platform shows as links, written as
    `link_url` writes them; one with no honest form can no longer form a link."""

    def one(match: re.Match[str]) -> str:
        honest = link_url(match.group())
        return honest if honest is not None else match.group().replace("://", ":/" + ZWSP + "/")

    return _BARE.sub(one, text) if "://" in text else text


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text.replace("[", "(").replace("]", ")").replace("**", "")


# A word that reads as a web address: a URL, or a domain such as good.example or www.gov.uk,
# perhaps with a path. File names ("report.pdf") are not read as domains.
_ADDRESS = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*:/*)?(?P<userinfo>[^\s/?#@]*@)?"
    r"(?P<host>(?:[\w-]+\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)|\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}|localhost)"
    r"\.?(?::\d{1,5})?(?P<rest>[/?#]\S*)?$",
    re.IGNORECASE,
)
_FILE_ENDINGS = {"pdf", "doc", "docx", "odt", "rtf", "txt", "csv", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg",
                 "png", "gif", "htm", "html", "mp3", "mp4", "js", "py"}  # fmt: skip
_WORD_EDGES = "\"'‘’“”()<>[]{},.;:!?"


def _host(host: str) -> str:
    host = host.lower().rstrip(".").removeprefix("www.")
    return _ascii_host(host) or host


def _address(word: str) -> tuple[str, str, bool] | None:
    """(host, path and query, whether it reads as where it goes) of a word that reads as a web
    address, else None. It does not read true with a user name before its host, or a host that
    is not plain ASCII (which can pass for another: `www.gоv.uk`)."""
    word = word.replace(ZWSP, "").strip(_WORD_EDGES)
    match = _ADDRESS.match(word)
    if match is None:
        return None
    host = match.group("host")
    plain = "://" not in word and not host.lower().startswith("www.") and not match.group("rest")
    if plain and host.rsplit(".", 1)[-1].lower() in _FILE_ENDINGS:
        return None
    true = match.group("userinfo") is None and host.isascii()
    return _host(host), (match.group("rest") or "").split("#", 1)[0].rstrip("/"), true


def _points_elsewhere(shown: tuple[str, str, bool], url: str) -> bool:
    parts = urlsplit(url)
    path = (parts.path + (f"?{parts.query}" if parts.query else "")).rstrip("/")
    return not shown[2] or shown[0] != _host(parts.hostname or "") or bool(shown[1] and shown[1] != path)


# Scripts whose letters pass for Latin ones (о, а, е in Cyrillic; ο, α in Greek; ｏ, 𝐨): a word
# mixing one of them with another script is how a look-alike is spelled.
_LOOKALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "FULLWIDTH", "MATHEMATICAL"}


def _mixed_scripts(word: str) -> bool:
    scripts = {unicodedata.name(ch, "?").split(" ", 1)[0] for ch in word if ch.isalpha()} - {"MODIFIER"}
    return len(scripts) > 1 and bool(scripts & _LOOKALIKE_SCRIPTS)


def link_markup(label: str, url: str) -> str:
    """A neutral-markup link to `url` (written as `link_url` writes it) whose label is untrusted
    text. A label that reads as an address is never shown for a link to a different address, or
    readers would see one site and land on another: a label that is only an address gives way to
    the real one, and a label that mentions another address is kept as plain text with the real
    address after it. The same goes for an address in the label with a user name before its
    host or a host not in plain ASCII, and for a word mixing look-alike scripts (`GОV.UK`,
    `Gоogle`): no look-alike is ever the clickable part. A url with no honest form gives the
    label alone, as text."""
    label = honest_addresses(_label(label))
    honest = link_url(url)
    if honest is None:
        return label
    words = label.split()
    addresses = [found for word in words if (found := _address(word)) is not None]
    if not any(_points_elsewhere(found, honest) for found in addresses) and not any(map(_mixed_scripts, words)):
        return f"[{label}]({honest})"
    real = f"[{_label(honest)}]({honest})"
    return real if len(words) == 1 else f"{label} ({real})"


class _ToNeutral(HTMLParser):
    """Walks nh3's already-safe HTML and writes neutral markup.

    Text is neutralised run by run, not chunk by chunk: a tag that adds no markup (an empty
    `<b></b>`, a link with no usable address) splits the parser's text but not the run, so
    `[www.gov.uk]<b></b>(https://evil.example/)` or `@<b></b>everyone` is checked whole, as it will
    read. Where markup the bot made meets text, `_join` keeps the two from forming a token."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.parts: list[tuple[bool, str]] = []  # (untrusted text not yet neutralised, text)
        self.stack: list[tuple[str, int, str | None]] = []  # (tag, index into parts, href)
        self.list_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append((False, "\n"))
            return
        if tag in _BLOCK:
            self.parts.append((False, "\n\n" if tag not in ("ul", "ol") else "\n"))
        if tag in ("ul", "ol"):
            self.list_depth += 1
        if tag == "li":
            self.parts.append((False, "\n" + "  " * max(0, self.list_depth - 1) + "- "))
        href = dict(attrs).get("href") if tag == "a" else None
        self.stack.append((tag, len(self.parts), href))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.list_depth = max(0, self.list_depth - 1)
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                break
        else:
            return
        name, start, href = self.stack.pop(depth)
        del self.stack[depth:]
        wrapped = self._wrap(name, _render(self.parts[start:]), href)
        if wrapped is not None:  # otherwise its text stays in the run around it
            self.parts[start:] = [(False, wrapped)]
        if name in _BLOCK:
            self.parts.append((False, "\n\n" if name not in ("ul", "ol") else "\n"))

    def _wrap(self, tag: str, inner: str, href: str | None) -> str | None:
        """The element as neutral markup, or None when it adds none."""
        core = inner.strip()
        if not core:
            return None
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        if tag == "a":
            url = safe_url(href or "", self.base_url)
            return f"{lead}{link_markup(core, url)}{trail}" if url and _label(core) else None
        if tag in _BOLD_TAGS and "\n" not in core and not core.startswith("**"):
            return f"{lead}**{core}**{trail}"
        if tag in _ITALIC_TAGS and "\n" not in core and "_" not in core:
            return f"{lead}_{core}_{trail}"
        return None

    def handle_data(self, data: str) -> None:
        self.parts.append((True, _SPACES.sub(" ", data.replace("\r", " ").replace("\n", " "))))

    def result(self) -> str:
        while self.stack:  # unclosed tags: keep their text
            self.handle_endtag(self.stack[-1][0])
        # A bare address may still run on through markup the bot made (`https://www.gov.uk**@x**`).
        return tidy(honest_addresses(_render(self.parts)))


def _render(parts: list[tuple[bool, str]]) -> str:
    """Parts as neutral markup: each run of untrusted text neutralised as one."""
    pieces: list[str] = []
    run: list[str] = []
    for raw, text in parts:
        if raw:
            run.append(text)
            continue
        if run:
            pieces.append(neutralise_text(honest_addresses("".join(run))))
            run = []
        pieces.append(text)
    if run:
        pieces.append(neutralise_text(honest_addresses("".join(run))))
    return _join(pieces)


# Where one piece ends and the next begins, the pair that would form a token together: a link's
# "](", bold's "**", Slack's "<!", "<@", "<#", an "@everyone".
_SEAM = re.compile(r"\]\(|\*\*|<[!@#]|@(?:everyone|here|channel)\b", re.IGNORECASE)


def _join(pieces: list[str]) -> str:
    """The pieces joined, with a zero-width space wherever two of them would form a token."""
    out = ""
    for piece in pieces:
        if out and piece and _SEAM.match(out[-1] + piece[:8]):
            out += ZWSP
        out += piece
    return out


def tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(line if line.lstrip().startswith("- ") else line.strip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def html_to_neutral(html: str, *, base_url: str = "") -> str:
    import nh3  # imported when HTML first arrives (a feed, a briefing): 1.4 MB a bot with none never holds

    cleaned = nh3.clean(
        html,
        tags=SAFE_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "noscript", "template"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=None,
    )
    parser = _ToNeutral(base_url)
    parser.feed(cleaned)
    parser.close()
    return parser.result()


def plain_to_neutral(text: str) -> str:
    """text/plain: every character shown as typed, none of it markup."""
    lines = text.replace("\r\n", "\n").split("\n")
    return tidy("\n".join(neutralise_text(honest_addresses(_SPACES.sub(" ", line))) for line in lines))


def to_neutral(value: str, content_type: str = "text/html", *, base_url: str = "") -> str:
    """Feed content of the given type (feedparser's `type`) as neutral markup."""
    if "html" in (content_type or "").lower() or content_type in ("", "application/xhtml+xml"):
        return html_to_neutral(value, base_url=base_url)
    return plain_to_neutral(value)


def one_line(value: str, limit: int = 200) -> str:
    """A title: one line of plain text, neutralised, cut to `limit` characters."""
    text = neutralise_text(honest_addresses(" ".join(_CONTROL.sub("", value).split())))
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def cut(text: str, limit: int, *, more_url: str | None = None, more_label: str = "Read the rest") -> str:
    """Shorten to about `limit` characters at a word boundary, never inside a link, and point
    to the source for the rest."""
    if len(text) <= limit:
        return text
    end = limit
    for match in _LINK.finditer(text):
        if match.start() < end < match.end():
            end = match.start()
            break
    space = text.rfind(" ", 0, end)
    newline = text.rfind("\n", 0, end)
    boundary = max(space, newline)
    if boundary > limit // 2:
        end = boundary
    head = text[:end].rstrip(" \n-*_") + "…"
    url = link_url(more_url or "")
    return f"{head}\n[{more_label}]({url})" if url else head
