"""What an outside audit of the Slack adapter found, with Slack's own request shapes, each over
the real wire (signed HTTP into the real Bolt app, the real client against the local fake Web API):

- a signed ssl_check (slackapi/bolt-python tests/scenario_tests_async/test_ssl_check.py signs it)
  had a 400, where Slack needs a 200;
- Bolt checked the token with auth.test again on the first requests after a start, and while
  Slack briefly refused that, answered people "please reinstall this app" and dropped their
  survey taps and thread replies with a 200;
- a form's confirmation was lost where Slack refuses the bot's private answer (a channel the bot
  is not in: chat.postEphemeral answers not_in_channel);
- `/training month` with a year out of range, or a digit that is no ASCII digit, crashed;
- a display name was shown as markup by /whoami."""

from __future__ import annotations

import json

import pytest

from tests import slack_feature, slack_fixtures
from tests.fake_slack import button_click, modal_submission, thread_reply
from tests.slack_wire import Wire
from tests.storage_support import claim_thread

FORM = "application/x-www-form-urlencoded"
# the Slack wire's fixtures, shared with other modules
fake, wire = slack_fixtures.fake, slack_fixtures.wire


async def test_a_signed_certificate_check_gets_its_200(wire: Wire) -> None:
    status, _, _ = await wire.slack.post("token=random&ssl_check=1", FORM)
    assert status == 200
    assert wire.calls == [] and wire.fake.methods() == []


async def test_requests_after_a_start_are_served_while_slack_refuses_auth_test(wire: Wire) -> None:
    await claim_thread(wire.rt.ctx, "slack", "C0TRAIN", "1772442000.000100", feature="slacktest", ref="s1")
    wire.fake.fail("auth.test", error="internal_error", times=3)
    status, _, body = await wire.slack.command("/echo", "hello")
    assert status == 200 and "reinstall" not in body
    await wire.slack.event(thread_reply("my comment", event_id="Ev0KEPT"))
    await wire.slack.interaction(
        button_click("slacktest:rsvp#0", "s1-yes", response_url=wire.fake.response_url("r"), trigger_id="t1")
    )
    calls = slack_feature.log(wire.rt.ctx)["calls"]
    assert ("echo", "hello") in calls
    assert any(c[0] == "thread" and "my comment" in c for c in calls)
    assert any(c[0] == "rsvp" for c in calls)
    assert "auth.test" not in wire.fake.methods()  # the start-up answer is used


async def test_a_forms_confirmation_goes_to_direct_messages_where_the_channel_refuses_it(wire: Wire) -> None:
    await wire.slack.command("/feedback", channel_id="C0NOTBOT", trigger_id="fb1")
    view = wire.fake.calls_to("views.open")[-1]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    wire.fake.fail("chat.postEphemeral", error="not_in_channel")
    wire.fake.forget_calls()
    status, _, _ = await wire.slack.interaction(
        modal_submission(view, {"comment": "Useful", "rating": "good"}, trigger_id="fbs1")
    )
    assert status == 200
    assert wire.rt.ctx.services["slacktest"]["feedback"] == [("s1", "Useful", "good")]
    methods = wire.fake.methods()
    assert methods[0] == "chat.postEphemeral" and "chat.postMessage" in methods[1:]


@pytest.mark.parametrize("asked", ["month april 99999", "month 9999-12", "month 0000-04", "month april ²"])
async def test_a_month_of_training_with_an_impossible_year_gets_a_sentence(wire: Wire, asked: str) -> None:
    status, _, body = await wire.slack.command("/training", asked)
    assert status == 200
    assert "went wrong" not in body and ("not a month I understand" in body or "Training months run from" in body)


async def test_whoami_shows_a_display_name_as_it_reads(wire: Wire) -> None:
    status, _, body = await wire.slack.command("/whoami", user_name="<!channel> [x](https://evil.example)")
    assert status == 200
    assert "<https://evil.example|x>" not in body and "<!channel>" not in body
