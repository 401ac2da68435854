"""What a stranger can put in the bot's log. An outside audit of the Teams endpoint (issue #15):
a malformed HTTP request (a NUL in a header, a bad Content-Length, a header too long) was answered
400 but logged by aiohttp's server as an ERROR with a traceback quoting the bad line, an
Authorization header included; and a forged action id with a line break wrote a log line of its
own that read as the bot's."""

from __future__ import annotations

import asyncio
import io
import logging

import pytest
from aiohttp import web

from core.logs import setup_logging
from tests.test_confidentiality import restore_logging  # noqa: F401 - the fixture

MALFORMED = {
    "a NUL in a header": b"Authorization: Bearer secret-looking-token\x00x\r\nContent-Length: 2\r\n\r\n{}",
    "a header too long": b"Authorization: Bearer " + b"t" * 9000 + b"\r\nContent-Length: 2\r\n\r\n{}",
    "a Content-Length that is no number": b"Content-Length: abc\r\n\r\n{}",
    "a bad chunk": b"Transfer-Encoding: chunked\r\n\r\nZZZ\r\nxx\r\n0\r\n\r\n",
    "both lengths": b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
}


async def _send_raw(port: int, headers: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\n" + headers)
    await writer.drain()
    first = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    return first


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("case", list(MALFORMED))
async def test_a_malformed_request_is_answered_400_and_logs_no_error_nor_its_bytes(case: str) -> None:
    stream = io.StringIO()
    setup_logging("INFO", [], stream)
    app = web.Application()
    app.router.add_post("/api/messages", lambda request: web.json_response({}))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        assert b" 400 " in await _send_raw(port, MALFORMED[case])
    finally:
        await runner.cleanup()
    logged = stream.getvalue()
    assert "ERROR" not in logged and "Traceback" not in logged
    assert "secret-looking" not in logged and "ttttttttt" not in logged


@pytest.mark.usefixtures("restore_logging")
def test_a_malformed_request_is_one_info_line_with_log_payloads() -> None:
    from aiohttp.http_exceptions import BadHttpMessage

    stream = io.StringIO()
    setup_logging("INFO", [], stream, payloads=True)
    try:
        raise BadHttpMessage("Authorization: Bearer secret-looking-token")
    except BadHttpMessage:
        logging.getLogger("aiohttp.server").exception("Error handling request")
    assert stream.getvalue().count("\n") == 1
    assert "INFO aiohttp.server: refused a malformed HTTP request (BadHttpMessage)" in stream.getvalue()
    assert "secret-looking" not in stream.getvalue()


@pytest.mark.usefixtures("restore_logging")
def test_a_value_a_stranger_chose_cannot_start_a_log_line_of_its_own() -> None:
    stream = io.StringIO()
    setup_logging("INFO", [], stream)
    forged = "x\n2026-12-07 03:00:00,000 ERROR sgbot.teams: the token endpoint refused the bot's credential"
    logging.getLogger("bot.dispatch").info("refused an unknown or malformed action %s", forged)
    logging.getLogger("bot.dispatch").info("refused %(action)s", {"action": "y\r\x1b[31mred"})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(
        "refused an unknown or malformed action x\\n2026-12-07 03:00:00,000 ERROR sgbot.teams: "
        "the token endpoint refused the bot's credential"
    )
    assert lines[1].endswith("refused y\\r\\x1b[31mred")


@pytest.mark.usefixtures("restore_logging")
def test_credentials_a_library_quotes_are_masked() -> None:
    stream = io.StringIO()
    setup_logging("INFO", [], stream)
    logging.getLogger("sgbot").warning("headers were {'Authorization': 'Bearer eyJhbGciOi.abc.def'}")
    logging.getLogger("sgbot").warning("Authorization: Basic dXNlcjpwYXNz; basic care is fine")
    logged = stream.getvalue()
    assert "eyJhbGciOi" not in logged and "dXNlcjpwYXNz" not in logged
    assert "'Bearer [secret]'" in logged and "basic care is fine" in logged


@pytest.mark.parametrize(
    ("logged", "shown"),
    [
        # a review of the first masking: these got through
        ("(b'Authorization', b'Basic dXNlcjpwYXNzd29yZA==')", "(b'Authorization', b'Basic [secret]')"),
        ('{"token_type":"Bearer","access_token":"eyJhbGciOi.payload.sig"}', '"access_token":"[secret]"'),
        ("client_secret=s3cr3tvalue&grant_type=client_credentials", "client_secret=[secret]&grant_type"),
        # ...and these were masked though they hold no credential
        ("refused a Teams request: authorization: missing header", "authorization: missing header"),
        ("the Authorization, audience and issuer all checked", "the Authorization, audience and issuer"),
    ],
)
def test_credentials_in_other_spellings_are_masked_and_plain_words_are_not(logged: str, shown: str) -> None:
    from core.logs import mask_payload

    assert shown in mask_payload(logged)
    assert "dXNlcjpw" not in mask_payload(logged) and "eyJhbGciOi" not in mask_payload(logged)


@pytest.mark.usefixtures("restore_logging")
def test_an_exception_or_a_c1_control_in_a_value_cannot_start_a_line_either() -> None:
    stream = io.StringIO()
    setup_logging("INFO", [], stream)
    logging.getLogger("bot.dispatch").info("failed: %s", ValueError("x\nERROR forged"))
    logging.getLogger("bot.dispatch").info("c1 %s", "a\x9b31mred")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].endswith("failed: x\\nERROR forged") and lines[1].endswith("c1 a\\x9b31mred")
