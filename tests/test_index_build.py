"""Match indexes are built once per loaded pack, whoever asks first: the warm-up thread or a question."""

from __future__ import annotations

import asyncio
import threading
import time

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, load_pack
from handlers import guidance


def test_an_index_asked_for_by_two_threads_at_once_is_built_once() -> None:
    pack = load_pack(DEFAULT_PACK, load_registry().sections)
    builds: list[int] = []

    def slow_build(_pack: object) -> int:
        builds.append(1)
        time.sleep(0.2)  # long enough that the second thread arrives while the first builds
        return len(builds)

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(guidance.cached(pack, "test-once", slow_build)))]
    threads.append(threading.Thread(target=lambda: results.append(guidance.cached(pack, "test-once", slow_build))))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert builds == [1] and results == [1, 1]


async def test_a_first_question_while_the_index_is_warming_does_not_hold_up_the_event_loop() -> None:
    pack = load_pack(DEFAULT_PACK, load_registry().sections)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    def slow_build(_pack: object) -> str:
        time.sleep(0.3)
        return "built"

    running = asyncio.create_task(ticker())
    try:
        assert await guidance.cached_async(pack, "test-async", slow_build) == "built"
    finally:
        running.cancel()
    assert ticks >= 5  # the loop kept turning while the index was built in a thread
