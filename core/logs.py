"""Logging that never leaks secrets or survey answers, and error ids that users can quote.

Two rules keep what people typed or tapped out of the log:
- The libraries that echo request and response bodies (Slack's SDK and Bolt, discord.py's
  gateway events, aiohttp's access log, httpx) log warnings and errors only, whatever LOG_LEVEL
  says, unless LOG_PAYLOADS is set for debugging an integration. SQLAlchemy's statement log,
  which carries the parameters (answers, user ids), stays quiet even then.
- Even then, and for every other logger too, `PayloadMasker` withholds any line about a survey
  interaction (a button press or comment carries the person's id next to the answer) and masks
  typed text and message bodies ("text", "value", "content" fields, also URL-encoded).
"""

from __future__ import annotations

import logging
import re
import secrets
import sys

MASK = "[secret]"
TEXT_MASK = "[masked]"
SURVEY_WITHHELD = "[a survey interaction was withheld from the log]"

# Loggers that echo payloads at DEBUG or INFO (and Bolt warns with the whole body of a request it
# has no listener for). Quiet unless LOG_PAYLOADS is set.
PAYLOAD_LOGGERS = (
    "slack_sdk",
    "slack_bolt",
    "discord",
    "aiohttp.access",
    "aiohttp.client",
    "aiohttp.server",
    "aiohttp.web",
    "httpx",
    "httpcore",
    "websockets",
)
# SQL statements are logged with their parameters (answers, user ids): quiet even with LOG_PAYLOADS.
SQL_LOGGERS = ("sqlalchemy.engine", "aiosqlite")

# A survey interaction in any spelling a payload may carry it: plain, URL-encoded, JSON-escaped.
_SURVEY = re.compile(r"survey(?::|%3A|\\u003a)(?:answer|comment)", re.IGNORECASE)
# Typed text and message bodies: "text": "…", 'value': '…', text=… or text='…', and URL-encoded %22text%22%3A%22…%22.
_FIELDS = r"(?:text|value|content|comment|query|fallback|plain_text|input)"
_QUOTED = re.compile(
    r"""(?P<key>["']""" + _FIELDS + r"""["']\s*:\s*)(?P<q>["'])(?P<body>(?:\\.|(?!(?P=q)).)*)(?P=q)""",
    re.IGNORECASE | re.DOTALL,
)
_ENCODED = re.compile(r"(?P<key>%22" + _FIELDS + r"%22(?:%20)*%3A(?:%20)*%22)(?P<body>.*?)(?=%22)", re.IGNORECASE)
# A form field (text=…&), or a keyword in a repr (the Teams SDK logs pydantic models: text='…'), whose
# quoted value is masked whole, to its closing quote past any escaped one, or to the line's end.
_FORM = re.compile(
    r"(?P<key>(?:^|[&?\s(,])" + _FIELDS + r"=)"
    r"""(?:(?P<q>["'])(?:\\.|(?!(?P=q)).)*(?:(?P=q)|$)|[^&\s]+)""",
    re.IGNORECASE | re.MULTILINE,
)


# A credential as a library may quote it: "Authorization: Bearer eyJ...", (b'Authorization', b'Basic
# dXNl...'), a bare "Bearer eyJ...", a token endpoint's "access_token": "...", a form's
# client_secret=... . "authorization: missing header" and "basic care" are left as they are.
_CREDENTIAL = re.compile(
    r"(?P<key>\b(?:proxy-)?authorization['\"]?\s*[:=,]?\s*b?['\"]?\s*(?:bearer|basic|digest|negotiate|ntlm)\s+"
    r"|\bbearer\s+)[^\s'\"\\,)]+"
    r"|(?P<jkey>\"(?:access_token|refresh_token|id_token|client_secret|password)\"\s*:\s*\")[^\"]*"
    r"|(?P<fkey>\b(?:client_secret|client_assertion|password)=)[^&\s]+",
    re.IGNORECASE,
)
# Line breaks and other control characters (C0 and C1) in a value a stranger chose (an action id, a
# name): as typed, they would start a log line of their own that reads as the bot's.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # tab and line feed kept


def mask_payload(message: str) -> str:
    """The message with any survey interaction withheld and typed text and credentials masked."""
    if _SURVEY.search(message):
        return SURVEY_WITHHELD
    masked = _QUOTED.sub(lambda m: f"{m['key']}{m['q']}{TEXT_MASK}{m['q']}", message)
    masked = _ENCODED.sub(lambda m: f"{m['key']}{TEXT_MASK}", masked)
    masked = _CREDENTIAL.sub(lambda m: f"{m['key'] or m['jkey'] or m['fkey']}{MASK}", masked)
    return _FORM.sub(lambda m: f"{m['key']}{m['q'] or ''}{TEXT_MASK}{m['q'] or ''}", masked)


def escaped_controls(value: str, *, keep_lines: bool = False) -> str:
    """`value` with its control characters written as escapes ("\\n"), on one line; with
    `keep_lines`, its tabs and line feeds stay as they are (text for a terminal)."""
    found = _CONTROL_BUT_LINES if keep_lines else _CONTROL
    return found.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)


def _said(value: str | BaseException) -> str:
    return value if isinstance(value, str) else str(value)


def _escape_args(record: logging.LogRecord) -> None:
    args = record.args
    if isinstance(args, tuple):
        record.args = tuple(escaped_controls(_said(a)) if isinstance(a, str | BaseException) else a for a in args)
    elif isinstance(args, dict):
        record.args = {k: escaped_controls(v) if isinstance(v, str) else v for k, v in args.items()}


class StrangersRequests(logging.Filter):
    """aiohttp's server logs a malformed request as an ERROR with a traceback quoting the bad line
    (an Authorization header included). Anyone can send one, it was answered 400, and it is not the
    bot's fault: an INFO line naming the kind of problem instead, which the payload loggers' quiet
    then keeps out unless LOG_PAYLOADS is set."""

    def filter(self, record: logging.LogRecord) -> bool:
        problem = record.exc_info[1] if record.exc_info else None
        if problem is not None and record.name.startswith("aiohttp") and _bad_http(problem):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg, record.args = "refused a malformed HTTP request (%s)", (type(problem).__name__,)
            record.exc_info, record.exc_text = None, None
        return True


def _bad_http(problem: BaseException) -> bool:
    return type(problem).__module__ == "aiohttp.http_exceptions"


class PayloadMasker(logging.Filter):
    """Withholds survey interactions and masks typed text in every record (see the module's note)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _escape_args(record)
        message = record.getMessage()
        masked = mask_payload(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_payload(record.exc_text)
        return True


class SecretMasker(logging.Filter):
    """Replaces any configured secret in a log record with a mask."""

    def __init__(self, secrets_to_hide: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets_to_hide if len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        masked = message
        for secret in self.secrets:
            masked = masked.replace(secret, MASK)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_text:
            for secret in self.secrets:
                record.exc_text = record.exc_text.replace(secret, MASK)
        return True


class QuietLibraries(logging.Filter):
    """Drops the payload loggers' lines below WARNING (unless LOG_PAYLOADS) and the SQL loggers'
    always, at the handler: a library may set its own logger's level again after start-up (the
    Teams SDK sets httpx's each time it makes a client), and a logger level alone would let every
    request line through again."""

    def __init__(self, *, payloads: bool) -> None:
        super().__init__()
        self.quiet = SQL_LOGGERS if payloads else (*PAYLOAD_LOGGERS, *SQL_LOGGERS)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        name = record.name
        return not any(name == quiet or name.startswith(quiet + ".") for quiet in self.quiet)


def setup_logging(level: str, secrets_to_hide: list[str], stream: object = None, *, payloads: bool = False) -> None:
    """Log to `stream` (stderr) at `level`. `payloads` (LOG_PAYLOADS) lets the libraries that echo
    request bodies log at `level` too; survey interactions and typed text stay masked either way."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(StrangersRequests())
    handler.addFilter(QuietLibraries(payloads=payloads))
    handler.addFilter(PayloadMasker())
    handler.addFilter(SecretMasker(secrets_to_hide))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in PAYLOAD_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.NOTSET if payloads else max(logging.WARNING, root.level))
    logging.getLogger("discord.http").setLevel(logging.NOTSET)  # was quietened on its own before
    # every alembic logger (its plugin set-up lines included); matplotlib's "generated new fontManager"
    for quiet in (*SQL_LOGGERS, "alembic", "matplotlib", "PIL"):
        logging.getLogger(quiet).setLevel(max(logging.WARNING, root.level))
    # APScheduler warns each time a job is still running when its next run comes round; the jobs
    # are built for that (one run at a time), so only its errors are worth a log line.
    logging.getLogger("apscheduler").setLevel(max(logging.ERROR, root.level))


def new_error_id() -> str:
    return secrets.token_hex(4)
