"""Logging that never leaks secrets, and error ids that users can quote."""

from __future__ import annotations

import logging
import secrets
import sys

MASK = "[secret]"


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


def setup_logging(level: str, secrets_to_hide: list[str], stream: object = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMasker(secrets_to_hide))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("aiosqlite", "discord.http", "slack_bolt", "httpx", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # APScheduler warns each time a job is still running when its next run comes round; the jobs
    # are built for that (one run at a time), so only its errors are worth a log line.
    logging.getLogger("apscheduler").setLevel(max(logging.ERROR, root.level))


def new_error_id() -> str:
    return secrets.token_hex(4)
