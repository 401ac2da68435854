"""The shipped content pack, loaded once for the tests that ask /threshold questions of it, and
an answer as the text a person reads."""

from __future__ import annotations

from functools import cache

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, load_pack
from handlers import threshold


@cache
def medway_pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


def answer_text(pack: ContentPack, question: str) -> str:
    reply, _topic = threshold.threshold_reply(pack, question)
    return "\n".join(getattr(block, "text", "") for block in reply.blocks)
