"""A delegate's comment quoted in /impact is shown as typed but with no power: a bare address
in look-alike letters (https://www.gоv.uk/slides, Cyrillic о) was a live link in the trainer's
reply, and _please_ and `them` were italics and code (an outside audit's finding)."""

from __future__ import annotations

import pytest

from bot.adapters.discord.text import markdown as discord_markdown
from bot.adapters.slack.render import mrkdwn
from bot.runtime import Runtime
from core import markup
from tests import test_surveys_impact as impact_tests
from tests.harness import command
from tests.test_surveys_impact import srt  # noqa: F401

WORDS = "Useful. The slides are at https://www.g\u043ev.uk/slides and _please_ share `them` [here](https://x.example)"


async def test_a_comment_with_an_address_and_formatting_is_shown_inert(
    srt: Runtime,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed = impact_tests.comment

    async def comment(rt: Runtime, survey_id: int, user: str, words: str) -> None:
        await typed(rt, survey_id, user, WORDS if user == "a1" else words)

    monkeypatch.setattr(impact_tests, "comment", comment)
    await impact_tests.answered_year(srt)
    outcome = await srt.dispatcher.handle(command("impact", "2025-26", user="trainer", roles={"trainer"}))
    texts = [getattr(b, "text", "") for r in outcome.replies for b in r.blocks]
    [line] = [line for text in texts for line in text.split("\n") if "slides" in line]
    assert [t for t in markup.tokens(line) if not isinstance(t, markup.Text | markup.Bullet)] == []
    for shown in (mrkdwn(line), discord_markdown(line)):
        assert "://" not in shown and "_please_" not in shown and "`them`" not in shown
    assert "slides are at https:" in line and "please" in line  # still reads as typed
