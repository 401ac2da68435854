"""The libraries that echo requests stay quiet at INFO even when a library sets its logger's level
again after start-up. A confidentiality audit (round four) found the Teams SDK resetting httpx's
level each time it makes an HTTP client, so every message the bot posted to a personal chat (one
per survey press on Teams) was logged with its time and conversation."""

from __future__ import annotations

import io
import logging

import pytest
from microsoft_teams.common.http.client import Client

from core.logs import setup_logging
from tests.test_confidentiality import restore_logging  # noqa: F401 - the fixture

REQUEST_LINE = 'HTTP Request: POST https://smba.example/v3/conversations/a:1personal/activities "HTTP/1.1 201 Created"'


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


@pytest.mark.usefixtures("restore_logging")
def test_the_teams_sdk_cannot_turn_httpxs_request_lines_back_on() -> None:
    # as the audit ran it: the SDK really does set the level back
    setup_logging("INFO", [], io.StringIO())
    Client()
    assert logging.getLogger("httpx").getEffectiveLevel() < logging.WARNING
    text = logged(payloads=False)
    assert "HTTP Request" not in text
    assert "INSERT INTO" not in text
    assert "httpx warned" in text and "sgbot's own line" in text


@pytest.mark.usefixtures("restore_logging")
def test_log_payloads_lets_the_request_lines_through_but_never_sql() -> None:
    text = logged(payloads=True)
    assert "HTTP Request" in text
    assert "INSERT INTO" not in text
