"""Concerns learned from the team's labelled questions: a second reader beside the thesaurus.

The thesaurus (synonyms.yaml) recognises a worry by the phrasings written into it; eight passes
showed it lifts the wording it was written from and hardly any other. This reader was trained
(bench/learn_concerns.py, scikit-learn, offline) on the questions in bench/guidance/, each labelled
with its topics: pieces of words (three to five letters, so "drunk", "drinking" and "drinkin"
share most of theirs) weighted by how rare they are, and per topic a sparse logistic regression
over them. The pack carries the result as `learned_concerns.json`; a pack without one answers
from the thesaurus alone.

Only the weights are used here, in plain Python: no scikit-learn or numpy at run time. The
pieces and their weighting follow scikit-learn's TfidfVectorizer (sublinear term frequency,
smoothed idf, unit length), so what was trained is what is read.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.contentpack import PackFileRefused, read_pack_file
from core.linear_text import pack_label_weights, probabilities
from handlers import guidance

if TYPE_CHECKING:
    from core.contentpack import ContentPack

FILE = "learned_concerns.json"
GRAM_SIZES = (3, 4, 5)
_WORD = re.compile(r"[a-z0-9]+")
RETRAIN = "train it again with python -m bench.learn_concerns"
MAX_MB = 16  # the shipped file is under 1 MB; read as JSON, it takes about 20 bytes of memory a byte


def char_grams(text: str) -> list[str]:
    """Each word, with a space either side, cut into every run of three to five characters; a
    word no longer than a run gives itself once (as scikit-learn's char_wb analyser does)."""
    grams: list[str] = []
    for word in _WORD.findall(text.lower()):
        padded = f" {word} "
        for size in GRAM_SIZES:
            if len(padded) <= size:
                grams.append(padded)
                break
            grams.extend(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


class LearnedProblem(ValueError):
    """The pack's learned_concerns.json cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class LearnedConcerns:
    topics: tuple[str, ...]
    intercepts: tuple[float, ...]
    idf: dict[str, float]  # every piece the training saw twice or more
    weights: dict[str, bytes]  # piece -> its (topic number, weight) pairs, nonzero only (pack_label_weights)
    threshold: float  # the probability from which a topic counts as a concern
    alone: float  # the same when the thesaurus recognised nothing: only the likeliest, and surer
    most: int  # at most this many concerns added to what the thesaurus recognised
    about: str  # what it was trained on, for people reading the pack

    def scores(self, text: str) -> list[tuple[str, float]]:
        """(topic, probability) for every topic, most likely first (ties by topic id, so the order
        never depends on hashing)."""
        chances = probabilities(char_grams(text), self.idf, self.weights, self.intercepts)
        return sorted(zip(self.topics, chances, strict=True), key=lambda tp: (-tp[1], tp[0]))

    def concerns(self, text: str) -> list[str]:
        return [t for t, p in self.scores(text) if p >= self.threshold]


def of_pack(pack: ContentPack) -> LearnedConcerns | None:
    """The pack's learned concerns, read once per loaded pack: the pack check and the index both
    ask for them."""
    return guidance.cached(pack, "learned-concerns", lambda p: load(p.path))


def load(pack_path: Path) -> LearnedConcerns | None:
    """The learned concerns in a pack folder, or None when it has none. A file that is there but
    cannot be read raises LearnedProblem (the pack check turns it into a sentence)."""
    path = pack_path / FILE
    try:
        data: Any = json.loads(read_pack_file(path, MAX_MB).decode("utf-8"), parse_constant=_no_constant)
    except FileNotFoundError:
        return None
    except PackFileRefused as exc:  # not an ordinary file, or too big
        raise LearnedProblem(f"{FILE} {exc}") from None
    except RecursionError:
        raise LearnedProblem(f"{FILE} cannot be read (it is nested too deeply); {RETRAIN}") from None
    except (OSError, ValueError) as exc:
        raise LearnedProblem(f"{FILE} cannot be read ({exc}); {RETRAIN}") from None
    return from_data(data)


def _no_constant(name: str) -> float:
    raise ValueError(f"it holds {name}, which a model cannot use")


def _finite(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"it holds {value!r}, which a model cannot use")
    return number


def from_data(data: Any) -> LearnedConcerns:
    """The learned concerns from what bench/learn_concerns.py writes (loaded from JSON)."""
    try:
        topics = tuple(str(t) for t in data["topics"])
        intercepts = tuple(_finite(b) for b in data["intercepts"])
        # an idf takes one of a few hundred values (one per document count): one float object each
        values: dict[float, float] = {}
        idf = {str(g): values.setdefault(_finite(v), float(v)) for g, v in data["idf"].items()}
        pairs_of = {str(g): [(int(t), _finite(w)) for t, w in pairs] for g, pairs in data["weights"].items()}
        threshold, alone, most = float(data["threshold"]), float(data["alone"]), int(data["most"])
        about = str(data.get("about", ""))
    except OverflowError:  # a whole number too large for a float, such as 10**400
        raise LearnedProblem(f"{FILE} cannot be read (it holds a number too large to use); {RETRAIN}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LearnedProblem(f"{FILE} cannot be read ({exc}); {RETRAIN}") from None
    if len(intercepts) != len(topics) or len(topics) > 255 or not 0 < threshold < 1 or not 0 < alone < 1 or most < 0:
        raise LearnedProblem(f"{FILE} is inconsistent; {RETRAIN}")
    if any(not 0 <= t < len(topics) for pairs in pairs_of.values() for t, _w in pairs):
        raise LearnedProblem(f"{FILE} names a topic it does not list; {RETRAIN}")
    weights = {g: pack_label_weights(pairs) for g, pairs in pairs_of.items()}
    return LearnedConcerns(topics, intercepts, idf, weights, threshold, alone, most, about)
