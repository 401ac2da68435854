"""The libraries that echo requests stay quiet at INFO even when a library sets its logger's level
again after start-up. A confidentiality audit (round four) found the Teams SDK resetting httpx's
level each time it makes an HTTP client, so every message the bot posted to a personal chat (one
per survey press on Teams) was logged with its time and conversation."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from microsoft_teams.common.http.client import Client

from core.logs import setup_logging

REQUEST_LINE = 'HTTP Request: POST https://smba.example/v3/conversations/a:1personal/activities "HTTP/1.1 201 Created"'


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("httpx", "sqlalchemy.engine", "slack_sdk")}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def logged(*, payloads: bool) -> str:
    stream = io.StringIO()
    setup_logging("INFO", [], stream, payloads=payloads)
    Client()  # the Teams SDK sets httpx's logger level to its own here
    logging.getLogger("httpx").info(REQUEST_LINE)
    logging.getLogger("httpx").warning("httpx warned")
    logging.getLogger("sqlalchemy.engine.Engine").info("INSERT INTO survey_answers ...")
    logging.getLogger("slack_sdk.web").debug("a request body")
    logging.getLogger("bot.runtime").info("sgbot's own line")
    return stream.getvalue()


def test_the_teams_sdk_cannot_turn_httpxs_request_lines_back_on(restored_logging: None) -> None:
    # as the audit ran it: the SDK really does set the level back
    setup_logging("INFO", [], io.StringIO())
    Client()
    assert logging.getLogger("httpx").getEffectiveLevel() < logging.WARNING
    text = logged(payloads=False)
    assert "HTTP Request" not in text
    assert "INSERT INTO" not in text
    assert "httpx warned" in text and "sgbot's own line" in text


def test_log_payloads_lets_the_request_lines_through_but_never_sql(restored_logging: None) -> None:
    text = logged(payloads=True)
    assert "HTTP Request" in text
    assert "INSERT INTO" not in text
