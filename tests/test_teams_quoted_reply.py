"""A Teams reply that quotes an earlier message carries the quote at the start of its text: a
blockquote marked as a Reply, with the quoted author, time and a preview. The shape is the one the
Teams SDK itself writes when a bot quotes (microsoft/teams.py,
packages/apps/src/microsoft_teams/apps/routing/activity_context.py, `reply`) and the one Microsoft
Graph shows for a person's quoted reply in a chat message's HTML body. Only what the person wrote
after the quote is their command or their survey comment (an outside audit: a colleague's quoted
words were stored as the replier's own confidential comment, and a quote of the bot hid a command)."""

from __future__ import annotations

from typing import Any

from bot.adapters.teams.inbound import message_text, without_quoted_replies
from tests import slack_feature
from tests.storage_support import claim_thread
from tests.teams_fake import FakeTeams
from tests.teams_wire import TeamsWire

CHANNEL = "19:safeguarding@thread.tacv2"


def quoting(author: str, preview: str, own: str) -> str:
    return (
        '<blockquote itemscope="" itemtype="http://schema.skype.com/Reply" itemid="1700000000001">'
        f'<strong itemprop="mri" itemid="29:1dana">{author}</strong>'
        '<span itemprop="time" itemid="1700000000001"></span>'
        f'<p itemprop="preview">{preview}</p></blockquote><p>{own}</p>'
    )


def test_the_quote_is_taken_out_and_the_persons_own_words_stay() -> None:
    activity = {"text": quoting("Dana Okafor", "The venue was far too cold all day", "I agree, useful though")}
    assert message_text(activity) == "I agree, useful though"


def test_a_quote_inside_a_quote_goes_with_it_and_an_unclosed_quote_runs_to_the_end() -> None:
    nested = (
        '<blockquote itemtype="http://schema.skype.com/Reply" itemid="1"><strong>Bob</strong>'
        "<blockquote>older words</blockquote><p>his words</p></blockquote><p>mine</p>"
    )
    assert without_quoted_replies(nested).strip() == "<p>mine</p>"
    assert without_quoted_replies('<p>mine</p><blockquote itemtype="http://schema.skype.com/Reply">x').strip() == (
        "<p>mine</p>"
    )
    # a quote the person typed as a plain blockquote (Teams' own formatting) is their text
    assert message_text({"text": "<blockquote>a line I quote</blockquote><p>and mine</p>"}) == "a line I quote and mine"


async def test_a_command_typed_after_quoting_the_bot_is_the_command(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    status, _ = await teams_wire.send(
        "message_personal", text=quoting("sgbot", "How did the course go?", "threshold neglect")
    )
    assert status == 200
    [answer] = teams_fake.posts()
    assert "neglect" in answer.card_text().lower()
    assert "How did the course go" not in answer.card_text()


def calls(teams_wire: TeamsWire) -> list[Any]:
    return list(slack_feature.log(teams_wire.rt.ctx)["calls"])


async def test_a_reply_in_a_survey_thread_keeps_only_the_repliers_words(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    root = "1700000000001"
    await claim_thread(teams_wire.rt.ctx, "teams", CHANNEL, root, feature="slacktest", ref="s1")
    quoted = quoting("Dana Okafor", "The venue was far too cold all day", "I agree, useful though")
    status, _ = await teams_wire.send("message_thread_reply", text=quoted, entities=[])
    assert status == 200
    assert calls(teams_wire) == [("thread", "s1", "I agree, useful though", root)]
    assert all("Dana" not in p.card_text() and "cold" not in p.card_text() for p in teams_fake.posts())


async def test_a_mentioned_command_after_a_quote_in_a_thread_is_the_command(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    root = "1700000000001"
    await claim_thread(teams_wire.rt.ctx, "teams", CHANNEL, root, feature="slacktest", ref="s1")
    quoted = quoting("sgbot", "How did the course go?", "<at>sgbot</at> /echo hello all")
    await teams_wire.send("message_thread_reply", text=quoted)
    assert calls(teams_wire) == [("echo", "hello all")]
