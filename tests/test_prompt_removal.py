"""A reply in a survey thread that named someone: the saved comment is clean, and the reply itself
is removed where the platform lets the bot, or the person is told to delete it."""

from __future__ import annotations

import pytest

from bot.adapters.base import settle_prompt_removal
from bot.runtime import Runtime
from core.clock import FrozenClock
from core.model import PromptRemoval, Request, RequestKind, reply
from storage import surveys as store
from tests.harness import text_of
from tests.storage_support import in_tx
from tests.test_surveys_answers import open_post_course, srt  # noqa: F401 - the survey runtime fixture

REMOVAL = PromptRemoval(removed="Deleted it.", not_removed="Please delete it.")


async def _yes() -> bool:
    return True


async def _no() -> bool:
    return False


async def _broken() -> bool:
    raise RuntimeError("the platform said no")


@pytest.mark.parametrize(
    ("remove", "said"),
    [(_yes, "Deleted it."), (_no, "Please delete it."), (_broken, "Please delete it."), (None, "Please delete it.")],
)
async def test_the_sentence_added_is_the_one_that_is_true(remove: object, said: str) -> None:
    asking = reply("Recorded.").model_copy(update={"remove_prompt": REMOVAL})
    settled = await settle_prompt_removal(asking, remove)  # type: ignore[arg-type]
    assert text_of([settled]).endswith(said)
    assert settled.remove_prompt is None


async def test_a_reply_without_a_removal_request_is_left_alone() -> None:
    plain = reply("Recorded.")
    assert await settle_prompt_removal(plain, _yes) is plain


async def test_a_thread_comment_naming_a_child_asks_for_the_reply_to_go(srt: Runtime, clock: FrozenClock) -> None:  # noqa: F811
    sid = await open_post_course(srt)
    session_id = (await in_tx(srt.ctx.db, store.get_survey, sid)).session_id  # type: ignore[union-attr]
    request = Request(
        kind=RequestKind.MESSAGE,
        platform="console",
        user_id="d4",
        channel_id="training",
        thread_id=f"m{session_id}",
        text="Helped me think about Kayden in year 2 and his mum",
    )
    outcome = await srt.dispatcher.handle(request)
    [answer] = outcome.replies
    assert answer.remove_prompt is not None
    assert "Kayden" not in text_of(outcome.replies)
    clean = await srt.dispatcher.handle(request.model_copy(update={"text": "Really useful", "user_id": "d5"}))
    assert clean.replies[0].remove_prompt is None
