"""A second reader for the guard, learned from the team's labelled lines.

The guard's patterns find an identifying detail and say where it is, so it can be taken out. Ten
passes of patterns lifted the lines they were written from far more than new ones: names are an
open list, and people place them in more ways than patterns foresee. This reader was trained
(bench/learn_guard.py, scikit-learn, offline) on the guard lines in bench/guidance/, each labelled
identifying or not, with the practitioners' questions there as more lines that identify nobody.
It reads a line as its shape ("worried about C_GN in year D1": a capitalised given name mid
sentence, a number of one digit) and as pieces of its letters, and says how likely the line is to
identify someone. It cannot say where, so it only ever adds caution: a lookup it flags is answered
with the warning, and a survey comment it flags is not saved (the person is asked to send it again
without the details).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from core.linear_text import probability
from core.memory import trim_heap
from handlers.safety.name_lists import EVERYDAY_GIVEN_NAMES, GIVEN_NAMES, SURNAMES
from handlers.safety.names import word_zipf

FILE = Path(__file__).with_name("learned_guard.json")
RETRAIN = "train it again with python -m bench.learn_guard"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+|[^\w\s]")
_SENTENCE_END = frozenset(".!?")


def _word_class(word: str) -> str:
    """What a word is to the guard: a known given name, an everyday word that is a name too, a
    surname, a word English has never seen, a rare one, or the word itself when it is ordinary."""
    low = word.lower().strip("'’-")
    if low in GIVEN_NAMES:
        return "GN"
    if low in EVERYDAY_GIVEN_NAMES:
        return "EV_" + low
    if low in SURNAMES:
        return "SN"
    zipf = word_zipf(low)
    if zipf == 0.0:
        return "UNK"
    return "RARE" if zipf < 3.0 else low


def shape(text: str) -> list[str]:
    """The line as the guard sees it: numbers by their length, punctuation, and each word's class,
    marked C_ when capitalised in the middle of a sentence and AC_ when in capitals."""
    out: list[str] = []
    opens = True
    for token in _TOKEN.findall(text):
        if token.isdigit():
            out.append(f"D{min(len(token), 12)}")
            opens = False
        elif not token[0].isalpha():
            out.append("END" if token in _SENTENCE_END else "P")
            opens = token in _SENTENCE_END
        else:
            if token.isupper() and len(token) > 1:
                mark = "AC_"
            elif token[0].isupper() and not opens:
                mark = "C_"
            else:
                mark = ""
            out.append(mark + _word_class(token))
            opens = False
    return out


def pieces(text: str) -> list[str]:
    """What the reader weighs: runs of one to three shapes, and runs of two to four characters
    inside each word (with a space either side, as scikit-learn's char_wb analyser cuts them)."""
    shapes = shape(text)
    found = [f"w:{' '.join(shapes[i : i + n])}" for n in (1, 2, 3) for i in range(len(shapes) - n + 1)]
    for word in text.lower().split():
        padded = f" {word} "
        for size in (2, 3, 4):
            if len(padded) <= size:
                found.append(f"c:{padded}")
                break
            found.extend(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    return found


class LearnedGuardProblem(ValueError):
    """learned_guard.json cannot be read; the message says what is wrong."""


@dataclass(frozen=True)
class LearnedGuard:
    intercept: float
    pieces: dict[str, tuple[float, float]]  # piece -> (idf, weight)
    threshold: float  # from this probability a line is taken to identify someone
    about: str

    def probability(self, text: str) -> float:
        return probability(pieces(text), self.pieces, self.intercept)

    def flags(self, text: str) -> bool:
        return self.probability(text) >= self.threshold


def from_data(data: Any) -> LearnedGuard:
    """The reader from what bench/learn_guard.py writes (loaded from JSON)."""
    try:
        intercept, threshold = float(data["intercept"]), float(data["threshold"])
        table = {str(p): (float(idf), float(weight)) for p, (idf, weight) in data["pieces"].items()}
        about = str(data.get("about", ""))
    except OverflowError:  # a whole number too large for a float, such as 10**400
        raise LearnedGuardProblem(
            f"{FILE.name} cannot be read (it holds a number too large to use); {RETRAIN}"
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LearnedGuardProblem(f"{FILE.name} cannot be read ({exc}); {RETRAIN}") from None
    finite = math.isfinite(intercept) and all(math.isfinite(n) for pair in table.values() for n in pair)
    if not 0 < threshold < 1 or not table or not finite:
        raise LearnedGuardProblem(f"{FILE.name} is inconsistent; {RETRAIN}")
    return LearnedGuard(intercept, table, threshold, about)


@cache
def reader() -> LearnedGuard | None:
    """The shipped reader, read on the first line screened; None when the file is absent (the
    patterns then work alone)."""
    if not FILE.is_file():
        return None
    try:
        data = json.loads(FILE.read_text(encoding="utf-8"))
    except RecursionError:
        raise LearnedGuardProblem(f"{FILE.name} cannot be read (it is nested too deeply); {RETRAIN}") from None
    except (OSError, ValueError) as exc:
        raise LearnedGuardProblem(f"{FILE.name} cannot be read ({exc}); {RETRAIN}") from None
    found = from_data(data)
    del data
    trim_heap()  # the parsed JSON, about 3 MB, freed by its last reference going
    return found
