"""Teams activities -> the bot's `Request`s, as plain functions over the activity's JSON.

Shapes (all from Microsoft's documentation of the Bot Framework activity schema in Teams):
- a message: `text` with `<at>name</at>` for each mention and a `mention` entity naming who
  (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations);
- where it was said: `conversation.conversationType` is personal, groupChat or channel; in a
  channel `conversation.id` ends with `;messageid=<root>`, the thread's first message, and
  `channelData.channel.id` is the channel
  (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/conversation-messages);
- a card's Action.Submit: a message with `value` holding the button's data and `replyToId` the
  card's message (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-actions).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.model import TEAMS_CONVERSATION
from storage.teams import CHANNEL, PERSONAL, ConversationRef

_TAGS = re.compile(r"<[^>]{0,200}>")
# A reply that quotes an earlier message starts with the quote, in a blockquote Teams marks as a
# Reply (its author, time and a preview); the person's own words follow it.
_QUOTED_REPLY = re.compile(r"""<blockquote\b[^>]{0,400}?itemtype=["']?http://schema\.skype\.com/Reply""", re.IGNORECASE)
_BLOCKQUOTE_TAG = re.compile(r"<(/?)blockquote\b[^>]{0,400}>", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Origin:
    """Where an activity came from, so answers can go back (or privately aside)."""

    conversation_id: str  # as Teams gave it, with ";messageid=" inside a channel thread
    service_url: str
    kind: str  # personal | groupChat | channel
    user_id: str  # the person's Teams id (29:...)
    aad_id: str  # the person's Entra object id, which roles are keyed by
    user_name: str
    bot_id: str
    tenant_id: str | None
    channel_id: str  # the channel (no ";messageid="), or the chat
    thread_id: str | None  # the thread's first message, in a channel
    reply_to_id: str | None  # the bot's message a card button was pressed on
    activity_id: str

    @property
    def is_personal(self) -> bool:
        return self.kind == PERSONAL

    @property
    def is_thread_reply(self) -> bool:
        return self.thread_id is not None and self.thread_id != self.activity_id


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


# The ids an activity names, and the longest each may be: the column it is kept or looked up in
# (storage/teams.py: a conversation 400, a person or the bot 200, a kind 20, a tenant 80). Teams'
# own are far shorter (a thread's conversation id is about 70 characters).
ID_LIMITS: dict[tuple[str, ...], int] = {
    ("conversation", "id"): 400,
    ("conversation", "conversationType"): 20,
    ("conversation", "tenantId"): 80,
    ("recipient", "id"): 200,
    ("from", "id"): 200,
    ("from", "aadObjectId"): 200,
    ("channelData", "channel", "id"): 400,
    ("channelData", "team", "id"): 400,
    ("channelData", "tenant", "id"): 80,
    ("id",): 200,
    ("replyToId",): 200,
    ("serviceUrl",): 500,
}
_UNFIT = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")  # control characters; a lone surrogate (from JSON's \ud800)


def fits(value: str, limit: int) -> bool:
    """Whether an id could be one Teams gives: within `limit`, no control character, no lone surrogate."""
    return len(value) <= limit and not _UNFIT.search(value)


def unfit_id(activity: dict[str, Any]) -> str | None:
    """The first id that cannot be one Teams gives (too long for where it is kept, or holding a
    control character: PostgreSQL refuses NUL, and a 5,000-character conversation id overflowed
    its column, a 500 and a traceback in the outside audit, issue #15), or None. An id of another
    type is read as none by the functions below, as before."""
    for path, limit in ID_LIMITS.items():
        node: Any = activity
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, str) and not fits(node, limit):
            return ".".join(path)
    return None


def origin_of(activity: dict[str, Any]) -> Origin:
    conversation = _dict(activity.get("conversation"))
    channel_data = _dict(activity.get("channelData"))
    sender = _dict(activity.get("from"))
    conversation_id = _str(conversation.get("id"))
    base, _, root = conversation_id.partition(";messageid=")
    kind = _str(conversation.get("conversationType")) or (
        CHANNEL if channel_data.get("channel") else "groupChat" if conversation.get("isGroup") else PERSONAL
    )
    channel_id = _str(_dict(channel_data.get("channel")).get("id")) or base if kind == CHANNEL else conversation_id
    tenant = _str(conversation.get("tenantId")) or _str(_dict(channel_data.get("tenant")).get("id"))
    return Origin(
        conversation_id=conversation_id,
        service_url=_str(activity.get("serviceUrl")),
        kind=kind,
        user_id=_str(sender.get("id")),
        aad_id=_str(sender.get("aadObjectId")),
        user_name=_str(sender.get("name")),
        bot_id=_str(_dict(activity.get("recipient")).get("id")),
        tenant_id=tenant or None,
        channel_id=channel_id,
        thread_id=(root or None) if kind == CHANNEL else None,
        reply_to_id=_str(activity.get("replyToId")) or None,
        activity_id=_str(activity.get("id")),
    )


def with_channel(origin: Origin) -> Origin:
    """The origin with its channel and thread read again from its conversation id (a dialog's
    answer goes where the form was asked for)."""
    base, _, root = origin.conversation_id.partition(";messageid=")
    channel = base if origin.kind == CHANNEL else origin.conversation_id
    return Origin(**{**origin.__dict__, "channel_id": channel, "thread_id": root or None})


def reference_of(activity: dict[str, Any]) -> ConversationRef | None:
    """The conversation reference to keep, or None when the activity lacks what posting needs."""
    origin = origin_of(activity)
    if not (origin.conversation_id and origin.service_url and origin.bot_id) or unfit_id(activity):
        return None
    team = _str(_dict(_dict(activity.get("channelData")).get("team")).get("id"))
    if origin.kind == CHANNEL:
        # A team install names its General channel; messages name theirs (without the thread).
        conversation_id = origin.conversation_id.partition(";messageid=")[0]
    else:
        conversation_id = origin.conversation_id
    return ConversationRef(
        conversation_id=conversation_id,
        service_url=origin.service_url,
        bot_id=origin.bot_id,
        kind=origin.kind,
        tenant_id=origin.tenant_id,
        user_id=origin.user_id if origin.is_personal and origin.user_id != origin.bot_id else None,
        team_id=team or None,
    )


def bot_removed(activity: dict[str, Any]) -> bool:
    """The app was uninstalled here, or the bot taken out of the conversation (an upgrade's
    `remove-upgrade` is not an uninstall, preflight.py)."""
    kind = activity.get("type")
    if kind == "installationUpdate":
        return _str(activity.get("action")) == "remove"
    if kind == "conversationUpdate":
        bot = _str(_dict(activity.get("recipient")).get("id"))
        removed = activity.get("membersRemoved")
        return isinstance(removed, list) and any(_dict(m).get("id") == bot for m in removed)
    return False


def bot_added(activity: dict[str, Any]) -> bool:
    """The app was installed here, or the bot added to the conversation (an upgrade's
    `add-upgrade` reaches the adapter as `add`, preflight.py)."""
    kind = activity.get("type")
    if kind == "installationUpdate":
        return _str(activity.get("action")) in ("add", "add-upgrade")
    if kind == "conversationUpdate":
        bot = _str(_dict(activity.get("recipient")).get("id"))
        added = activity.get("membersAdded")
        return isinstance(added, list) and any(_dict(m).get("id") == bot for m in added)
    return False


def installed_for_a_person(activity: dict[str, Any]) -> bool:
    """The app was installed in a personal chat (not the conversationUpdate that comes with the
    same install, so the person is greeted once; an upgrade also reads "add": the adapter tells
    them apart by the chat it has stored)."""
    return (
        activity.get("type") == "installationUpdate"
        and _str(activity.get("action")) == "add"
        and _str(_dict(activity.get("conversation")).get("conversationType")) == "personal"
    )


def is_press(activity: dict[str, Any]) -> bool:
    """A card's button or a dialog (an invoke), or an Action.Submit sent as a message with a value."""
    kind = activity.get("type")
    return kind == "invoke" or (kind == "message" and isinstance(activity.get("value"), dict))


def mentions_bot(activity: dict[str, Any]) -> bool:
    """The message @mentions the bot (a `mention` entity naming the recipient)."""
    bot = _str(_dict(activity.get("recipient")).get("id"))
    return any(
        _dict(entity).get("type") == "mention" and _dict(_dict(entity).get("mentioned")).get("id") == bot
        for entity in activity.get("entities") or []
    )


def overheard(activity: dict[str, Any]) -> bool:
    """A message in a channel or group chat that does not @mention the bot and is no card press:
    Teams sends these only because of the ChannelMessage.Read.Group permission (bot/cli_teams.py),
    https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-messages-with-rsc."""
    if activity.get("type") != "message" or isinstance(activity.get("value"), dict):
        return False
    return not origin_of(activity).is_personal and not mentions_bot(activity)


_PERSON_ID = re.compile(r"[\w.:\-]{1,120}", re.ASCII)  # 29:1aBcD; a channel's id (with "@") is not a person


def message_text(activity: dict[str, Any], *, people_as_ids: bool = False, names: Iterable[str] = ()) -> str:
    """What the person typed, with the bot's own mention taken out and Teams' HTML undone.

    The bot's name typed as plain text at the start ("@sgbot threshold neglect" on a phone, or
    pasted, with no mention entity) is taken out like a mention: the name Teams gives the bot in
    the activity (`recipient.name`) or any of `names`, in any case.

    Another person's mention reads as their name, or with `people_as_ids` as `<@their id>`, the
    way Slack and Discord write a mentioned person in a command (the `mention` entity names who:
    `{"type": "mention", "text": "<at>Dana</at>", "mentioned": {"id": "29:…", "name": "Dana"}}`,
    https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations).
    A tag's mention (`mentioned.type` "tag") names a group, not a person, so it stays a name."""
    text = without_quoted_replies(_str(activity.get("text")))
    bot = _str(_dict(activity.get("recipient")).get("id"))
    people: list[tuple[str, str]] = []  # (the mention as written, "@person" or "#channel" id), in order
    for entity in activity.get("entities") or []:
        entity = _dict(entity)
        if entity.get("type") != "mention":
            continue
        mentioned, written = _dict(entity.get("mentioned")), _str(entity.get("text"))
        who = _str(mentioned.get("id"))
        if who == bot:
            # an entity without its own `text` (an outside audit, from Microsoft's schema, where
            # it is optional) is the `<at>` tag of the name it or the activity gives the bot
            named = (_str(mentioned.get("name")), _str(_dict(activity.get("recipient")).get("name")))
            for tag in [written] if written else [f"<at>{name}</at>" for name in named if name]:
                text = text.replace(tag, " ")
        elif people_as_ids and written and TEAMS_CONVERSATION.fullmatch(who):
            # a channel picked as a mention: written as Slack and Discord write a picked channel,
            # so the posting commands read its id rather than its name
            people.append((written, f"#{who}"))
        elif people_as_ids and written and _PERSON_ID.fullmatch(who) and mentioned.get("type") in (None, "person"):
            people.append((written, f"@{who}"))
    # The HTML is undone around each person's mention, not over it: `<@…>` would go as a tag.
    parts: list[str] = []
    for written, who in people:
        before, found, after = text.partition(written)
        if found:
            parts += [_undo_html(before), f" <{who}> "]
            text = after
    text = "".join([*parts, _undo_html(text)])
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line).strip()
    return _without_typed_name(text, [_str(_dict(activity.get("recipient")).get("name")), *names])


def without_quoted_replies(text: str) -> str:
    """The text without any message it quotes: someone else's words (or the bot's) are neither
    the person's command nor their survey comment. A quote may hold a quote of its own."""
    while (found := _QUOTED_REPLY.search(text)) is not None:
        depth, end = 0, len(text)  # an unclosed quote runs to the end
        for tag in _BLOCKQUOTE_TAG.finditer(text, found.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        text = text[: found.start()] + " " + text[end:]
    return text


BOT_NAME_LIMIT = 120


def _without_typed_name(text: str, names: Iterable[str]) -> str:
    """The text without a leading "@<the bot's name>" (and a comma or colon after it)."""
    if not text.startswith("@"):
        return text
    # A bot's name is short (an app's is at most 30 characters); a long one named in an activity is
    # not matched at all: an outside audit's 220,000-character recipient.name held the loop 1.4 s.
    said = {_SPACE.sub(" ", name).strip() for name in names if isinstance(name, str) and len(name) <= BOT_NAME_LIMIT}
    written = sorted(said - {""}, key=len)
    if not written:
        return text
    spelled = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in reversed(written))  # longest first
    return re.sub(rf"^@(?:{spelled})(?!\w)[\s,:]*", "", text, count=1, flags=re.IGNORECASE).strip()


def _undo_html(text: str) -> str:
    """Teams' HTML as the text it shows: line breaks kept, other tags (formatting) dropped."""
    return html.unescape(_TAGS.sub(" ", text.replace("<br>", "\n").replace("</p>", "\n")))


@dataclass(frozen=True)
class CommandWords:
    command: str  # without "/", lower case; "" when the text names no known command
    text: str
    slashed: bool


def split_command(text: str, known: set[str]) -> CommandWords:
    """ "threshold neglect", "/threshold neglect" -> ("threshold", "neglect")."""
    first, _, rest = text.partition(" ")
    if "\n" in first:
        first, _, more = first.partition("\n")
        rest = f"{more}\n{rest}".strip()
    slashed = first.startswith("/")
    name = first.lstrip("/").lower()
    return CommandWords(command=name if name in known or slashed else "", text=rest.strip(), slashed=slashed)


def card_press(activity: dict[str, Any], action_key: str, value_key: str) -> tuple[str, Any] | None:
    """(action id, value) from a card button's data, or None when the message is not a press."""
    value = activity.get("value")
    if activity.get("type") == "invoke":  # Action.Execute: value.action.data
        value = _dict(_dict(value).get("action")).get("data")
    value = _dict(value)
    if action_key not in value:
        return None
    action_id = value.get(action_key)
    choice = value.get("choice")  # a select: the chosen option sits under its input's id
    chosen = (
        value.get(choice, "") if isinstance(choice, str) and choice.startswith(action_key) else value.get(value_key, "")
    )
    return (action_id if isinstance(action_id, str) else ""), chosen
