"""A linear model over pieces of text, read from trained weights in plain Python.

The bot's two learned readers (the concerns beside /threshold's thesaurus, and the identifying
details beside the guard's patterns) are trained offline with scikit-learn: TF-IDF over pieces of
text (sublinear term frequency, smoothed idf, unit length) and a logistic regression per label.
Only the weights ship; this scores a text's pieces with them, so nothing heavier than the standard
library runs in the bot, and what was trained is what is read.
"""

from __future__ import annotations

import math
import struct
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

# One (label, weight) pair of a piece, packed: a piece's pairs are one bytes object, about a
# quarter of the memory of a tuple of tuples (BENCHMARKS.md, "Runtime").
LABEL_WEIGHT = struct.Struct("<Bd")


def pack_label_weights(pairs: Iterable[tuple[int, float]]) -> bytes:
    return b"".join(LABEL_WEIGHT.pack(label, weight) for label, weight in pairs)


def probabilities(
    pieces: Iterable[str],
    idf: Mapping[str, float],
    weights: Mapping[str, bytes],
    intercepts: Sequence[float],
) -> list[float]:
    """The probability of each label (by its number) for a text cut into `pieces`; `weights` holds
    each piece's (label, weight) pairs packed with `pack_label_weights`. Pieces the training never
    kept (not in `idf`) count for nothing, as in scikit-learn."""
    counts = Counter(p for p in pieces if p in idf)
    values = {p: (1.0 + math.log(n)) * idf[p] for p, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    totals = list(intercepts)
    for piece, value in values.items():
        for label, weight in LABEL_WEIGHT.iter_unpack(weights.get(piece, b"")):
            totals[label] += weight * value / norm
    return [1.0 / (1.0 + math.exp(-z)) for z in totals]


def probability(pieces: Iterable[str], table: Mapping[str, tuple[float, float]], intercept: float) -> float:
    """The same for one label, with each piece's (idf, weight) in one table."""
    counts = Counter(p for p in pieces if p in table)
    values = {p: ((1.0 + math.log(n)) * table[p][0], table[p][1]) for p, n in counts.items()}
    norm = math.sqrt(sum(v * v for v, _w in values.values())) or 1.0
    z = intercept + sum(v * w for v, w in values.values()) / norm
    return 1.0 / (1.0 + math.exp(-z))
