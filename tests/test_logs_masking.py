"""Typed text in a logged repr is masked whole: the Teams SDK logs each activity it receives as a
pydantic repr (`text='…'`, app_process.py: logger.debug(f"Received activity: {activity}")), and
only its first word was masked, so with LOG_PAYLOADS a survey thread comment or a lookup reached
the log next to the person's id and name (an outside audit's finding)."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from microsoft_teams.api import MessageActivity

from core.logs import TEXT_MASK, PayloadMasker, mask_payload

TYPED = "Worried about Tom Smith (age 6) at 12 Acacia Road, mum drinking"
PAYLOADS = Path(__file__).parent / "teams_payloads"


@pytest.mark.parametrize(
    "line",
    [
        # the audit's input
        f"Received activity: from_=Account(id='29:1practitionerA', name='Alex Practitioner') text='{TYPED}' "
        "text_format='plain'",
        f"text=\"{TYPED}, it's urgent\" text_format='plain'",  # repr's double quotes
        f"text='{TYPED}, it\\'s \"urgent\"' text_format='plain'",  # repr's escaped quote
        f"Activity(text='{TYPED}') next=1",  # the first field
        f"Attachment(content_type='text/html', content='<p>{TYPED}</p>')",
        f"text='{TYPED}",  # cut off before its closing quote
    ],
)
def test_a_quoted_value_is_masked_whole(line: str) -> None:
    masked = mask_payload(line)
    for word in ("Worried", "Tom", "Smith", "Acacia", "drinking", "urgent"):
        assert word not in masked, masked
    assert TEXT_MASK in masked


def test_what_follows_the_quoted_value_is_kept() -> None:
    masked = mask_payload(f"id='7' text='{TYPED}' text_format='plain' input=hello&page=2")
    assert masked == f"id='7' text='{TEXT_MASK}' text_format='plain' input={TEXT_MASK}&page=2"


def test_the_teams_sdks_own_line_for_a_thread_reply_holds_none_of_it() -> None:
    activity = json.loads((PAYLOADS / "message_thread_reply.json").read_text())
    activity["text"] = f'THREADWORDS {TYPED}, it\'s "really" helpful'
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PayloadMasker())
    logger = logging.getLogger("microsoft_teams.apps.app_process.test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug(f"Received activity: {MessageActivity.model_validate(activity)}")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert "29:1practitionerA" in logged and f"text='{TEXT_MASK}'" in logged
    for word in ("THREADWORDS", "Tom", "Acacia", "really", "helpful"):
        assert word not in logged
