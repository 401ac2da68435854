"""Guidance quality: how well /threshold answers practitioners' questions, and how well the
identifiable-details guard catches what would identify a child or family.

The evaluation set lives in bench/guidance/: questions.yaml (questions as practitioners type
them, each with the acceptable topics and plausible levels) and guard_lines.yaml (lines that
identify someone and lines that must be left alone, on the lookup and survey-comment paths).

Measured for the bot and, in the same run, for a plain BM25 ranking (the `bm25s` package) of
the same pack's indicator texts:
- top-1 and top-3 topic hit: an acceptable topic among the first one / three indicators;
- top-1 level in range: the first indicator's level is one of the plausible levels;
- every concern: a several-worries question has all its concerns recognised;
- concerns named wrongly: of the concerns named ("You mentioned: ..."), the share that are none
  of the question's topics, so recognising more worries cannot hide naming wrong ones;
- off-topic refusals: a question that is not about safeguarding gets no indicators
  (BM25 refuses only when no word of the question scores at all);
- safeguarding questions wrongly refused.
For the bot only: the guard's recall and false alarms on each path; whether every answer
carries the emergency route (999) and the judgement reminder and never gives a verdict; and
whether two processes with different PYTHONHASHSEED give identical answers.

Run: `python -m bench guidance` (one line per figure in the shared table), or
`python -m bench.bench_guidance [--json PATH]` for the detailed table, the misses and the
figures as JSON. `BENCH_GUIDANCE_JSON=PATH` writes the JSON from `python -m bench` too.

Until handlers.threshold offers `assess`, the bot's ranked indicators, concerns and off-topic
decision are derived from today's functions (see `_bot_fallback`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bench import Figure
from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, load_pack
from handlers import briefings, contacts, guidance, safety, threshold

HERE = Path(__file__).resolve().parent / "guidance"
QUESTIONS = HERE / "questions.yaml"
GUARD_LINES = HERE / "guard_lines.yaml"
KINDS = ("plain", "typo", "abbreviation", "long", "multi", "disclosure", "verdict", "serious", "offtopic", "negation")
PATHS = ("lookup", "survey")
# The bot is read through whichever interface handlers.threshold offers (assess, or the older
# functions), so the module is typed loosely here.
_threshold: Any = threshold

# A verdict about a case: "meets the threshold", "does not meet level 4".
_VERDICT = re.compile(
    r"\b(?:meets|does\s+not\s+meet|doesn'?t\s+meet|do\s+not\s+meet|don'?t\s+meet|not\s+meet)\s+"
    r"(?:(?:the|a|this|that|your|level|for|of)\s+){0,3}(?:threshold|level\s*\d|criteria)",
    re.IGNORECASE,
)


# --- the evaluation set -------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    q: str
    topics: tuple[str, ...]
    levels: tuple[int, ...]
    kind: str
    # Each concern is a tuple of acceptable topic ids; recognising any one of them counts.
    concerns: tuple[tuple[str, ...], ...] = ()

    @property
    def on_topic(self) -> bool:
        return bool(self.topics)


@dataclass(frozen=True)
class GuardLine:
    text: str
    identifying: bool
    paths: tuple[str, ...]
    what: str


def load_questions(path: Path = QUESTIONS) -> list[Question]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    out = []
    for item in raw:
        q = Question(
            q=str(item["q"]),
            topics=tuple(item["topics"]),
            levels=tuple(int(n) for n in item["levels"]),
            kind=item["kind"],
            concerns=tuple(tuple(c) if isinstance(c, list) else (c,) for c in item.get("concerns", ())),
        )
        if q.kind not in KINDS:
            raise ValueError(f"{path.name}: unknown kind {q.kind!r} for {q.q!r}")
        if q.kind == "multi" and not q.concerns:
            raise ValueError(f"{path.name}: a multi question needs concerns: {q.q!r}")
        out.append(q)
    return out


_COMMAND = re.compile(r"^\s*/[a-z]+\s+")


def load_guard_lines(path: Path = GUARD_LINES) -> list[GuardLine]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["lines"]
    out = []
    for item in raw:
        where = item["path"]
        paths = PATHS if where == "both" else (where,)
        if any(p not in PATHS for p in paths):
            raise ValueError(f"{path.name}: unknown path {where!r} for {item['text']!r}")
        # A line written as typed ("/threshold worried about ...") is screened as the bot sees it:
        # the command's text, without the command.
        text = _COMMAND.sub("", str(item["text"]), count=1)
        out.append(GuardLine(text, bool(item["identifying"]), paths, str(item["what"])))
    return out


@cache
def default_pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


# --- what a ranker says about one question ------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    topics: tuple[str, ...]
    level: int
    text: str


@dataclass
class Outcome:
    ranked: list[Ranked]
    concerns: tuple[str, ...]
    off_topic: bool


def _bot_assess(pack: ContentPack, text: str) -> Outcome:
    a = _threshold.assess(pack, text)
    ranked = [Ranked(tuple(r.topics), int(r.level), str(r.text)) for r in a.ranked]
    # What the answer names: the concerns recognised ("You mentioned") and those the learned
    # reader adds ("It may also involve").
    named = (*a.concerns, *a.suggested_topics)
    return Outcome(ranked, tuple(named), bool(a.off_topic))


def _bot_fallback(pack: ContentPack, text: str) -> Outcome:
    """Today's /threshold, read the way a user sees it: the indicators threshold_answer would
    list (none when it shows a whole level or the overview instead), the topics the question
    names by a topic's name or alias (else the topic it is counted under), and off-topic when
    no indicator comes back."""
    index = _threshold.index_of(pack)
    text = text.strip()
    _body, counted = _threshold.threshold_answer(pack, text)
    query = index.text.query(text)
    matches = _threshold.best_matches(index, query)
    shows_indicators = not (counted.startswith("level-") or counted in ("overview", "no-match"))
    ranked = (
        [Ranked(tuple(e.indicator.topics), e.level.number, e.indicator.text) for e, _hit in matches]
        if shows_indicators
        else []
    )
    asked = set(query.terms)
    named: dict[str, None] = {}
    for term in query.terms:
        for topic_id, words in index.topic_names.get(term, ()):
            if words <= asked:
                named.setdefault(topic_id, None)
    if not named and shows_indicators:
        named[_threshold.main_topic(index, query, matches)] = None
    return Outcome(ranked, tuple(named), off_topic=counted == "no-match")


def bot_outcome(pack: ContentPack, text: str) -> Outcome:
    if hasattr(threshold, "assess"):
        return _bot_assess(pack, text)
    return _bot_fallback(pack, text)


def bot_engine() -> str:
    return "assess" if hasattr(threshold, "assess") else "fallback (threshold_answer, best_matches, main_topic)"


class BM25Baseline:
    """A plain BM25 ranking of the pack's indicator texts: English stop words out, no stemming,
    no synonyms, no typo correction. Its concerns are the topics of its top three indicators."""

    def __init__(self, pack: ContentPack) -> None:
        import bm25s

        self._bm25s = bm25s
        levels = pack.get(threshold.Levels)
        self.entries = [Ranked(tuple(i.topics), lv.number, i.text) for lv in levels.levels for i in lv.indicators]
        corpus = [e.text for e in self.entries]
        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False)

    def outcome(self, text: str, k: int = 5) -> Outcome:
        tokens = self._bm25s.tokenize([text], stopwords="en", return_ids=False, show_progress=False)[0]
        scores = self.retriever.get_scores([t for t in tokens if t]) if tokens else None
        if scores is None or not (scores > 0).any():
            return Outcome([], (), off_topic=True)
        order = sorted(range(len(scores)), key=lambda i: (-float(scores[i]), i))
        ranked = [self.entries[i] for i in order[:k] if scores[i] > 0]
        concerns = tuple(dict.fromkeys(t for r in ranked[:3] for t in r.topics))
        return Outcome(ranked, concerns, off_topic=False)


# --- scoring ------------------------------------------------------------------------------------


@dataclass
class Scores:
    """Counts for one ranker over the question set."""

    on_topic: int = 0
    top1: int = 0
    top3: int = 0
    level1: int = 0
    multi: int = 0
    every_concern: int = 0
    concerns_total: int = 0
    concerns_found: int = 0
    named: int = 0  # concerns the ranker named, over every safeguarding question
    named_wrongly: int = 0  # of those, ones that are none of the question's topics
    off_topic: int = 0
    refused: int = 0
    wrongly_refused: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [top-3 hits, questions]
    misses: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "top1_topic": pct(self.top1, self.on_topic),
            "top3_topic": pct(self.top3, self.on_topic),
            "top1_level_in_range": pct(self.level1, self.on_topic),
            "every_concern": pct(self.every_concern, self.multi),
            "concern_recall": pct(self.concerns_found, self.concerns_total),
            "concerns_named_wrongly": pct(self.named_wrongly, self.named),
            "offtopic_refused": pct(self.refused, self.off_topic),
            "safeguarding_refused": pct(self.wrongly_refused, self.on_topic),
        }

    def kind_figures(self) -> dict[str, float]:
        return {k: round(100 * h / n, 1) for k, (h, n) in sorted(self.by_kind.items()) if n}


def pct(a: int, b: int) -> float:
    return round(100 * a / b, 1) if b else 0.0


def score(questions: Iterable[Question], outcome: Callable[[str], Outcome]) -> Scores:
    s = Scores()
    for q in questions:
        got = outcome(q.q)
        if not q.on_topic:
            s.off_topic += 1
            refused = got.off_topic or not got.ranked
            s.refused += refused
            if not refused:
                s.misses.append({"q": q.q, "kind": q.kind, "why": "off-topic question got indicators"})
            continue
        s.on_topic += 1
        wanted = set(q.topics)
        hit1 = bool(got.ranked) and bool(wanted & set(got.ranked[0].topics))
        hit3 = any(wanted & set(r.topics) for r in got.ranked[:3])
        level_ok = bool(got.ranked) and got.ranked[0].level in q.levels
        s.top1 += hit1
        s.top3 += hit3
        s.level1 += level_ok
        s.wrongly_refused += got.off_topic
        allowed = wanted | {t for c in q.concerns for t in c}
        s.named += len(got.concerns)
        s.named_wrongly += sum(1 for c in got.concerns if c not in allowed)
        kind = s.by_kind.setdefault(q.kind, [0, 0])
        kind[0] += hit3
        kind[1] += 1
        missing: list[str] = []
        if q.concerns:
            s.multi += 1
            missing = ["|".join(c) for c in q.concerns if not set(c) & set(got.concerns)]
            s.every_concern += not missing
            s.concerns_total += len(q.concerns)
            s.concerns_found += len(q.concerns) - len(missing)
        if not hit3 or not level_ok or missing:
            s.misses.append(
                {
                    "q": q.q,
                    "kind": q.kind,
                    "want": list(q.topics),
                    "levels": list(q.levels),
                    "got": [f"{'/'.join(r.topics)} L{r.level}" for r in got.ranked[:3]],
                    "off_topic": got.off_topic,
                    **({"missing_concerns": missing} if missing else {}),
                }
            )
    return s


# --- the guard ----------------------------------------------------------------------------------


def lookup_flags(pack: ContentPack, text: str) -> bool:
    """The lookup path: `contacts.screen`, as every lookup screens its text."""
    return contacts.screen(pack, text).had_identifiers


def survey_flags(pack: ContentPack, text: str) -> bool:
    """The survey-comment path: handlers/surveys/__init__.py `_save_comment` stores
    `redact(text, find_identifiers(text, public_numbers=..., about_training=True))` with the pack's
    published numbers, and `_held_back` does not save a comment the patterns passed but the guard's
    second reader flags; a line is caught when either happens."""
    numbers, names = contacts.public_numbers(pack), briefings.review_names(pack)
    found = safety.find_identifiers(text, public_numbers=numbers, review_names=names, about_training=True)
    return bool(found) or safety.may_identify(text)


def guard(pack: ContentPack, lines: list[GuardLine]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, flags in (("lookup", lookup_flags), ("survey", survey_flags)):
        mine = [g for g in lines if path in g.paths]
        bad = [g for g in mine if g.identifying]
        clean = [g for g in mine if not g.identifying]
        missed = [g for g in bad if not flags(pack, g.text)]
        alarms = [g for g in clean if flags(pack, g.text)]
        out[path] = {
            "identifying": len(bad),
            "clean": len(clean),
            "recall": round(100 * (len(bad) - len(missed)) / len(bad), 1) if bad else 0.0,
            "false_alarms": round(100 * len(alarms) / len(clean), 1) if clean else 0.0,
            "missed": [f"{g.what}: {g.text}" for g in missed],
            "alarms": [g.text for g in alarms],
        }
    return out


# --- danger now: the "Call 999 now" opener ------------------------------------------------------

DANGER_SETS = sorted(HERE.glob("*danger*.yaml"))


def danger(pack: ContentPack, paths: Iterable[Path] = DANGER_SETS) -> dict[str, Any]:
    """How often an answer opens with "Call 999 now" where a child is in danger this minute (recall),
    and where the danger is over or not yet near (false openers). Every question of every set is
    labelled `now: true|false` (bench/guidance/*danger*.yaml)."""
    found = labelled(paths, "now", lambda text: _opens_with_999(pack, text))
    return {
        name: {"now": n, "not_now": m, "recall": hit, "false_openers": wrong}
        for name, (n, hit, m, wrong) in found.items()
    }


def _opens_with_999(pack: ContentPack, text: str) -> bool:
    answer, _topic = threshold.threshold_reply(pack, text)
    return "now** if a child" in answer.all_text()


def labelled(
    paths: Iterable[Path], label: str, judged: Callable[[str], bool]
) -> dict[str, tuple[int, float, int, float]]:
    """For each set of `{q, <label>: true|false}` items: how many are labelled true and the share of
    them `judged` true, then how many are labelled false and the share of those judged true."""
    out: dict[str, tuple[int, float, int, float]] = {}
    for path in paths:
        items = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("items", [])
        said = [(bool(it[label]), judged(str(it["q"]))) for it in items]
        yes = [j for want, j in said if want]
        no = [j for want, j in said if not want]
        out[path.stem] = (len(yes), pct(sum(yes), len(yes)), len(no), pct(sum(no), len(no)))
    return out


# --- another language: "I can only read questions in English" ------------------------------------

LANGUAGE_SETS = sorted(HERE.glob("*languages*.yaml"))


def languages(paths: Iterable[Path] = LANGUAGE_SETS) -> dict[str, Any]:
    """How often a question in another language typed without accents is told only English is
    read (rather than matched by chance), and how often English is wrongly told so
    (bench/guidance/*languages*.yaml: `english: true|false`)."""
    found = labelled(paths, "english", guidance.mostly_not_english)
    return {
        name: {"other": m, "english": n, "recognised": wrong, "english_refused": hit}
        for name, (n, hit, m, wrong) in found.items()
    }


# --- every answer's wording ---------------------------------------------------------------------


def answer_text(pack: ContentPack, text: str) -> str:
    answer, _topic = threshold.threshold_reply(pack, text)
    return answer.all_text()


def wording(pack: ContentPack, questions: list[Question]) -> dict[str, Any]:
    texts = [(q.q, answer_text(pack, q.q)) for q in questions]
    no_999 = [q for q, t in texts if "999" not in t]
    no_reminder = [q for q, t in texts if guidance.JUDGEMENT_REMINDER not in t]
    verdicts = [q for q, t in texts if _VERDICT.search(t)]
    n = len(texts)
    faulty = set(no_999) | set(no_reminder) | set(verdicts)
    return {
        "complete": round(100 * (n - len(faulty)) / n, 1),
        "answers": n,
        "emergency_route": round(100 * (n - len(no_999)) / n, 1),
        "judgement_reminder": round(100 * (n - len(no_reminder)) / n, 1),
        "verdicts": len(verdicts),
        "without_999": no_999,
        "without_reminder": no_reminder,
        "with_verdict": verdicts,
    }


def digests(pack: ContentPack, questions: list[Question]) -> list[str]:
    """A short hash of each answer's full text, in the order of the set."""
    return [hashlib.sha256(answer_text(pack, q.q).encode()).hexdigest()[:16] for q in questions]


def hash_seed_agreement(seeds: tuple[str, str] = ("1", "4242")) -> tuple[float, list[str]]:
    """Answer the whole set in two fresh processes with different PYTHONHASHSEED values; the
    share of answers that come out identical, and the questions whose answers differ."""
    runs: list[list[str]] = []
    root = Path(__file__).resolve().parent.parent
    for seed in seeds:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_guidance", "--digests"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    questions = load_questions()
    differ = [q.q for q, a, b in zip(questions, runs[0], runs[1], strict=True) if a != b]
    return round(100 * (len(questions) - len(differ)) / len(questions), 1), differ


# --- the whole measurement ----------------------------------------------------------------------


def measure(
    pack: ContentPack | None = None,
    *,
    seeds: bool = True,
    questions_path: Path = QUESTIONS,
    guard_lines_path: Path = GUARD_LINES,
) -> dict[str, Any]:
    pack = pack or default_pack()
    questions = load_questions(questions_path)
    lines = load_guard_lines(guard_lines_path)
    bot = score(questions, lambda text: bot_outcome(pack, text))
    bm25 = score(questions, BM25Baseline(pack).outcome)
    result: dict[str, Any] = {
        "engine": bot_engine(),
        "questions": len(questions),
        "on_topic_questions": bot.on_topic,
        "offtopic_questions": bot.off_topic,
        "multi_questions": bot.multi,
        "bot": bot.figures(),
        "bm25": bm25.figures(),
        "bot_top3_by_kind": bot.kind_figures(),
        "bm25_top3_by_kind": bm25.kind_figures(),
        "guard": guard(pack, lines),
        "danger": danger(pack),
        "languages": languages(),
        "wording": wording(pack, questions),
        "bot_misses": bot.misses,
    }
    if seeds and questions_path == QUESTIONS:
        same, differ = hash_seed_agreement()
        result["hash_seed_agreement"] = same
        result["hash_seed_differ"] = differ
    return result


TARGETS = {
    "top3_topic": 90.0,
    "top1_topic": 80.0,
    "every_concern": 80.0,
    "offtopic_refused": 90.0,
    "guard_recall": 95.0,
    "guard_false_alarms": 5.0,
    "hash_seed_agreement": 100.0,
}

_ROWS = [
    ("top-1 topic hit", "top1_topic", f">= {TARGETS['top1_topic']:.0f}%"),
    ("top-3 topic hit", "top3_topic", f">= {TARGETS['top3_topic']:.0f}%"),
    ("top-1 level in range", "top1_level_in_range", "-"),
    ("every concern (multi)", "every_concern", f">= {TARGETS['every_concern']:.0f}%"),
    ("concerns recognised", "concern_recall", "-"),
    ("concerns named, not the question's", "concerns_named_wrongly", "low"),
    ("off-topic refused", "offtopic_refused", f">= {TARGETS['offtopic_refused']:.0f}%"),
    ("safeguarding refused", "safeguarding_refused", "low"),
]


def compact_table(result: dict[str, Any]) -> str:
    rows = [("figure", "bot", "BM25", "target")]
    for label, key, target in _ROWS:
        rows.append((label, f"{result['bot'][key]:.1f}%", f"{result['bm25'][key]:.1f}%", target))
    for path in PATHS:
        g = result["guard"][path]
        rows.append((f"guard recall, {path} ({g['identifying']})", f"{g['recall']:.1f}%", "-", ">= 95%"))
        rows.append((f"guard false alarms, {path} ({g['clean']})", f"{g['false_alarms']:.1f}%", "-", "<= 5%"))
    w = result["wording"]
    rows.append(("answers with 999", f"{w['emergency_route']:.1f}%", "-", "100%"))
    rows.append(("answers with the reminder", f"{w['judgement_reminder']:.1f}%", "-", "100%"))
    rows.append(("answers giving a verdict", str(w["verdicts"]), "-", "0"))
    for name, d in result.get("languages", {}).items():
        rows.append((f"other language recognised ({name}, {d['other']})", f"{d['recognised']:.1f}%", "-", "high"))
        rows.append((f"English told it is not ({name}, {d['english']})", f"{d['english_refused']:.1f}%", "-", "0"))
    for name, d in result.get("danger", {}).items():
        rows.append((f"999 opener, danger now ({name}, {d['now']})", f"{d['recall']:.1f}%", "-", "high"))
        rows.append((f"999 opener, not now ({name}, {d['not_now']})", f"{d['false_openers']:.1f}%", "-", "low"))
    if "hash_seed_agreement" in result:
        rows.append(("same answers across hash seeds", f"{result['hash_seed_agreement']:.1f}%", "-", "100%"))
    for kind, value in result["bot_top3_by_kind"].items():
        rows.append((f"  top-3, {kind}", f"{value:.1f}%", f"{result['bm25_top3_by_kind'].get(kind, 0):.1f}%", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(wd) for c, wd in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (wd + 2) for wd in widths) + "|")
    head = (
        f"Guidance quality: {result['questions']} questions ({result['on_topic_questions']} about safeguarding, "
        f"{result['offtopic_questions']} off-topic, {result['multi_questions']} with several concerns); "
        f"bot engine: {result['engine']}"
    )
    return head + "\n" + "\n".join(lines)


def figures(result: dict[str, Any]) -> list[Figure]:
    bot, bm25 = result["bot"], result["bm25"]
    out = []
    for label, key, target in _ROWS:
        if target in ("-", "low"):
            continue
        wanted = float(target.split()[-1].rstrip("%"))
        out.append(Figure(f"/threshold {label}", bot[key], "%", bm25[key], "plain BM25", target, bot[key] >= wanted))
    for path in PATHS:
        g = result["guard"][path]
        out.append(Figure(f"guard recall ({path})", g["recall"], "%", None, "-", ">= 95%", g["recall"] >= 95))
        out.append(
            Figure(f"guard false alarms ({path})", g["false_alarms"], "%", None, "-", "<= 5%", g["false_alarms"] <= 5)
        )
    w = result["wording"]
    out.append(
        Figure(
            "/threshold answers complete (999, reminder, no verdict)",
            w["complete"],
            "%",
            None,
            "-",
            "100%",
            w["complete"] == 100,
        )
    )
    if "hash_seed_agreement" in result:
        same = result["hash_seed_agreement"]
        out.append(Figure("/threshold same answers across hash seeds", same, "%", None, "-", "100%", same == 100))
    return out


def run() -> list[Figure]:
    result = measure()
    print(compact_table(result), file=sys.stderr)
    if path := os.environ.get("BENCH_GUIDANCE_JSON"):
        Path(path).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return figures(result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_guidance", description=__doc__.split("\n")[0])
    parser.add_argument("--json", metavar="PATH", help="write every figure, and the misses, as JSON")
    parser.add_argument("--misses", action="store_true", help="list the questions and lines missed")
    parser.add_argument("--no-seeds", action="store_true", help="skip the two-process hash-seed check")
    parser.add_argument(
        "--questions", type=Path, default=QUESTIONS, help="another question set, e.g. one held out from the team"
    )
    parser.add_argument("--guard-lines", type=Path, default=GUARD_LINES, help="another set of guard lines")
    parser.add_argument("--digests", action="store_true", help=argparse.SUPPRESS)  # used by the seed check
    args = parser.parse_args(argv)
    if args.digests:
        print(json.dumps(digests(default_pack(), load_questions())))
        return 0
    result = measure(seeds=not args.no_seeds, questions_path=args.questions, guard_lines_path=args.guard_lines)
    print(compact_table(result))
    if args.misses:
        for miss in result["bot_misses"]:
            print(json.dumps(miss, ensure_ascii=False))
        for path in PATHS:
            for line in result["guard"][path]["missed"]:
                print(f"guard missed ({path}): {line}")
            for line in result["guard"][path]["alarms"]:
                print(f"guard false alarm ({path}): {line}")
        for q in result.get("hash_seed_differ", []):
            print(f"answer differs across hash seeds: {q}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
