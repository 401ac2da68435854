"""Teams activity ids and ids with characters no address may hold (an outside audit of issue 15).

A message's id is the time in milliseconds and is unique only within its conversation (the
recorded payloads, from Microsoft's docs, use "1485983408512"), so two people whose messages
arrive in the same millisecond in different chats share one. The de-duplication key took the id
alone, and the second person got no answer."""

from __future__ import annotations

from bot.adapters.teams import inbound
from tests.teams_fake import FakeTeams
from tests.teams_wire import TeamsWire

SAME_MILLISECOND = "1764936000123"


async def test_two_chats_with_one_activity_id_are_both_answered(teams_wire: TeamsWire, teams_fake: FakeTeams) -> None:
    for person, chat in (("29:1alice", "a:1personalAlice"), ("29:1bob", "a:1personalBob")):
        activity = teams_wire.activity(
            "message_personal", **{"from.id": person, "from.aadObjectId": f"aad-{person}", "conversation.id": chat}
        )
        activity["id"] = SAME_MILLISECOND
        status, _ = await teams_wire.teams.send(activity)
        assert status == 200
    assert teams_fake.posts("a:1personalAlice") and teams_fake.posts("a:1personalBob")


async def test_one_activity_delivered_twice_to_one_chat_is_answered_once(
    teams_wire: TeamsWire, teams_fake: FakeTeams
) -> None:
    activity = teams_wire.activity("message_personal")
    activity["id"] = SAME_MILLISECOND
    for _ in range(2):
        status, _ = await teams_wire.teams.send(activity)
        assert status == 200
    assert len(teams_fake.posts(activity["conversation"]["id"])) == 1


async def test_a_control_character_in_a_conversation_id_gets_no_server_error(teams_wire: TeamsWire) -> None:
    # httpx refuses such an address (InvalidURL), which was not caught: 500 and a traceback
    for bad in ("a:1personal\x01x", "a:1personal\x7fx", "a:1personal\tx"):
        status, _ = await teams_wire.send("message_personal", **{"conversation.id": bad})
        assert status < 500


def test_a_channel_picked_as_a_mention_is_read_by_its_id() -> None:
    activity = {
        "text": "<at>sgbot</at> bulletin schedule 1 now <at>Announcements</at>",
        "recipient": {"id": "28:bot", "name": "sgbot"},
        "entities": [
            {"type": "mention", "text": "<at>sgbot</at>", "mentioned": {"id": "28:bot", "name": "sgbot"}},
            {
                "type": "mention",
                "text": "<at>Announcements</at>",
                "mentioned": {"id": "19:announce@thread.tacv2", "name": "Announcements", "type": "channel"},
            },
        ],
    }
    assert inbound.message_text(activity, people_as_ids=True) == "bulletin schedule 1 now <#19:announce@thread.tacv2>"
    assert inbound.message_text(activity) == "bulletin schedule 1 now Announcements"


def test_the_bots_mention_without_its_own_text_is_still_taken_out() -> None:
    """An outside audit: a mention entity with no `text` (optional in Microsoft's schema) left
    "<at>sgbot</at>" in the command, answered "I don't know /sgbot"."""
    for mentioned in ({"id": "28:bot", "name": "sgbot"}, {"id": "28:bot"}):
        activity = {
            "text": "<at>sgbot</at> threshold neglect",
            "recipient": {"id": "28:bot", "name": "sgbot"},
            "entities": [{"type": "mention", "mentioned": mentioned}],
        }
        assert inbound.message_text(activity) == "threshold neglect"
