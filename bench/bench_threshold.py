"""/threshold latency over 1,200 varied questions, on the Medway pack and on a synthetic pack
ten times larger, so we know the matching stays fast as a partnership's guidance grows.

What is timed: everything the handler does to answer (the identifiable-details guard, level
detection, matching and building the reply) with the pack's match index already built, as it
is after the first question. The weekly usage count, a database write, is timed separately on
a real SQLite file: it does not grow with the pack.

Baselines, measured in the same run: the static overview answer (no matching) for the default
pack's figures; the default pack's own p50/p99 for the 10x pack's figures (the growth ratio).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import random
import string
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench import Figure, percentile
from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, load_pack
from core.model import Divider, reply
from handlers import contacts, guidance, threshold

QUESTIONS = 1200
SEED = 20260302

_FIRST = ["Jane Smith", "Tom", "Kai Brown", "Amy-Leigh"]
_VERDICTS = ["does this meet level {n}", "is this level {n}", "would this reach the threshold", "which level is it"]
_NOISE = ["xyzzy", "plugh", "quux frob", "lorem ipsum", "the weather today", "??", "123456"]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1 :]  # a letter dropped
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
    return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]  # a letter added


def questions(pack: ContentPack, count: int = QUESTIONS, seed: int = SEED) -> list[str]:
    """A repeatable mix of the ways practitioners ask: phrases, topics, abbreviations, typos,
    levels, requests for a verdict, nonsense and (wrongly) identifying details."""
    rng = random.Random(seed)
    levels = pack.get(threshold.Levels)
    indicators = [i.text for lv in levels.levels for i in lv.indicators]
    topics = [name for t in levels.topics for name in (t.name, *t.aliases)]
    synonyms = pack.find(guidance.Synonyms)
    terms = [term for g in synonyms.groups for term in g.terms] if synonyms else topics
    out: list[str] = []
    while len(out) < count:
        roll = rng.random()
        if roll < 0.30:
            words = rng.choice(indicators).rstrip(".").split()
            start = rng.randrange(max(1, len(words) - 3))
            out.append(" ".join(words[start : start + rng.randint(2, 6)]))
        elif roll < 0.50:
            out.append(f"{rng.choice(terms)} and {rng.choice(topics)}")
        elif roll < 0.65:
            words = rng.choice(indicators).rstrip(".").lower().split()[:5]
            out.append(" ".join(_typo(rng, w) for w in words))
        elif roll < 0.75:
            lv = rng.choice(levels.levels)
            out.append(rng.choice([f"level {lv.number}", lv.name, _typo(rng, lv.name.lower())]))
        elif roll < 0.85:
            out.append(rng.choice(_VERDICTS).format(n=rng.randint(1, len(levels.levels))))
        elif roll < 0.95:
            out.append(rng.choice(_NOISE))
        else:
            out.append(f"a child called {rng.choice(_FIRST)} and {rng.choice(topics)}")
    return out


def answer(pack: ContentPack, text: str) -> Any:
    """Everything the /threshold handler does except the usage count."""
    return threshold.threshold_reply(pack, text)


def overview_answer(pack: ContentPack, _text: str) -> Any:
    return reply(*threshold.overview(pack), Divider(), *contacts.finish(pack))


def timed(fn: Callable[[ContentPack, str], Any], pack: ContentPack, texts: list[str], repeats: int = 5) -> list[float]:
    """Milliseconds per question: the best of `repeats` runs of each, after a warm-up pass that
    builds the index. Best-of-N and the garbage collector paused while timing (as `timeit` does)
    keep other processes on a shared machine out of the figures; what remains is the cost of the
    question itself, which is what varies with the content."""
    for text in texts[:50]:
        fn(pack, text)
    samples = []
    gc.collect()
    gc.disable()
    try:
        for text in texts:
            best = float("inf")
            for _ in range(repeats):
                started = time.perf_counter_ns()
                fn(pack, text)
                best = min(best, time.perf_counter_ns() - started)
            samples.append(best / 1e6)
    finally:
        gc.enable()
    return samples


# --- the synthetic pack ------------------------------------------------------------------------

_AGENCIES = ["school", "nursery", "GP", "health visitor", "police", "housing officer", "youth worker", "midwife"]
_SETTINGS = ["at home", "in class", "at a home visit", "online", "at clinic", "after school", "at weekends"]


def _made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


class _PlainDumper(yaml.SafeDumper):
    """Writes a value shared by copies out in full: content packs refuse YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def synthetic_pack(folder: Path, *, factor: int = 10, seed: int = SEED) -> Path:
    """The default pack with ten times the indicators and topics: each real one plus variants
    that add observers, settings and new words, so the vocabulary grows as real content would."""
    rng = random.Random(seed)
    target = folder / "synthetic"
    target.mkdir(parents=True, exist_ok=True)
    for source in DEFAULT_PACK.glob("*.yaml"):
        (target / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    data = yaml.safe_load((DEFAULT_PACK / "levels.yaml").read_text(encoding="utf-8"))
    real_topics = list(data["topics"])
    for copy in range(1, factor):
        for topic in real_topics:
            extra = dict(topic, id=f"{topic['id']}-{copy}", name=f"{topic['name']} {_made_up_word(rng)}")
            extra.pop("note", None)
            data["topics"].append(extra)
    for level in data["levels"]:
        real = list(level["indicators"])
        for copy in range(1, factor):
            for indicator in real:
                words = " ".join(_made_up_word(rng) for _ in range(rng.randint(1, 3)))
                text = (
                    f"{indicator['text'].rstrip('.')}, noticed by the {rng.choice(_AGENCIES)} "
                    f"{rng.choice(_SETTINGS)} ({words})."
                )
                topics = [f"{t}-{copy}" if rng.random() < 0.5 else t for t in indicator["topics"]]
                level["indicators"].append(dict(indicator, text=text, topics=topics))
    text = yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)
    (target / "levels.yaml").write_text(text, encoding="utf-8")
    return target


# --- the usage count, on a real database -------------------------------------------------------


async def _count_writes(folder: Path, n: int) -> list[float]:
    from storage import lookups
    from storage.db import Database

    db = Database(f"sqlite:///{folder / 'bench.db'}")
    await db.upgrade()
    samples = []
    try:
        week = lookups.week_start(dt.date.today())
        for i in range(n):
            started = time.perf_counter_ns()
            async with db.transaction() as tx:
                await lookups.record(tx, week=week, command="threshold", topic=f"topic-{i % 20}")
            samples.append((time.perf_counter_ns() - started) / 1e6)
    finally:
        await db.dispose()
    return samples


def run() -> list[Figure]:
    sections = load_registry().sections
    default = load_pack(DEFAULT_PACK, sections)
    texts = questions(default)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = load_pack(synthetic_pack(folder), sections)
        count_ms = asyncio.run(_count_writes(folder, 300))
    small_n = sum(len(lv.indicators) for lv in default.get(threshold.Levels).levels)
    big_n = sum(len(lv.indicators) for lv in big.get(threshold.Levels).levels)

    started = time.perf_counter()
    threshold.index_of(default)
    build_small = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    threshold.index_of(big)
    build_big = (time.perf_counter() - started) * 1000

    single = timed(answer, default, texts, repeats=1)
    static = timed(overview_answer, default, texts)
    small = timed(answer, default, texts)
    large = timed(answer, big, texts)
    s50, s99 = percentile(static, 50), percentile(static, 99)
    p50, p99 = percentile(small, 50), percentile(small, 99)
    b50, b99 = percentile(large, 50), percentile(large, 99)
    scope = f"{len(texts)} questions"
    return [
        Figure(f"/threshold p50, default pack ({small_n} indicators, {scope})", p50, "ms", s50,
               "static overview answer p50", "<= 2 ms", p50 <= 2.0),
        Figure(f"/threshold p99, default pack ({small_n} indicators, {scope})", p99, "ms", s99,
               "static overview answer p99", "<= 2 ms", p99 <= 2.0),
        Figure(f"/threshold p50, synthetic pack ({big_n} indicators, {scope})", b50, "ms", p50,
               "default pack p50", "ratio <= 2", b50 / p50 <= 2.0),
        Figure(f"/threshold p99, synthetic pack ({big_n} indicators, {scope})", b99, "ms", p99,
               "default pack p99", "ratio <= 2", b99 / p99 <= 2.0),
        Figure(f"/threshold p99, default pack, each question run once ({scope})", percentile(single, 99), "ms",
               p99, "best-of-5 p99", "information only", True),
        Figure("match index build, synthetic pack (once per loaded pack)", build_big, "ms", build_small,
               "default pack build", "information only", True),
        Figure("usage count write p99, SQLite file (300 writes)", percentile(count_ms, 99), "ms",
               percentile(count_ms, 50), "same writes p50", "information only", True),
    ]  # fmt: skip
