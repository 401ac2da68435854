"""Train the guard's second reader (handlers/safety/learned.py) from the labelled guard lines.

    pip install -e '.[learn]'                                  # scikit-learn, for this tool only
    python -m bench.learn_guard --leave-out holdout_guard19    # writes handlers/safety/learned_guard.json
    python -m bench.learn_guard --check holdout_guard18        # how a set fares when trained without it

Every guard-line set in bench/guidance/ is used except the ones left out (a set that is to measure
the result blind must be left out), and the practitioners' questions there are used as lines that
identify nobody, except the question sets left out too. The model: the reader's pieces weighted
by TF-IDF and one logistic regression; each piece is written with its idf and its weight.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench import bench_guidance as bg
from handlers.safety import learned

SETS = Path(__file__).parent / "guidance"
# By leaving each of the 31st-35th sets out in turn, read beside the patterns as they were before
# those sets (BENCHMARKS.md, "Guidance quality"): from 0.85 to 0.8 caught 1-3 points more lines
# for 0-0.3 points more false alarms; 0.75 added as many false alarms again for less.
THRESHOLD = 0.8
REGULARISATION = 4.0  # scikit-learn's C
# The pieces seen in three lines or more, the commonest 20,000 of them: as good on the left-out sets
# as every piece (51,000), at two fifths of the memory. The weights are L2 (every piece keeps one):
# L1's sparse weights doubled the false alarms on the left-out sets.
MOST_PIECES = 20_000


def line_sets(leave_out: set[str]) -> dict[str, list[tuple[str, bool]]]:
    found: dict[str, list[tuple[str, bool]]] = {}
    for path in sorted(SETS.glob("*guard*_lines.yaml")):
        name = path.stem.removesuffix("_lines")
        if name not in leave_out:
            found[name] = [(line.text, line.identifying) for line in bg.load_guard_lines(path)]
    return found


def question_lines(leave_out: set[str]) -> list[tuple[str, bool]]:
    lines = []
    for path in sorted(SETS.glob("*questions*.yaml")):
        if path.stem.removesuffix("_questions") not in leave_out:
            lines.extend((q.q, False) for q in bg.load_questions(path))
    return lines


def train(lines: list[tuple[str, bool]]) -> dict[str, Any]:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit("This tool needs scikit-learn: pip install -e '.[learn]' (the bot itself does not).")
    vectoriser = TfidfVectorizer(analyzer=learned.pieces, sublinear_tf=True, min_df=3, max_features=MOST_PIECES)
    matrix = vectoriser.fit_transform([text for text, _ in lines])
    model = LogisticRegression(
        C=REGULARISATION, solver="liblinear", class_weight="balanced", max_iter=3000, random_state=0
    ).fit(matrix, [identifying for _, identifying in lines])
    names = vectoriser.get_feature_names_out()
    # each piece as [idf, weight]
    pieces = {
        str(p): [round(float(v), 5), round(float(w), 5)]
        for p, v, w in zip(names, vectoriser.idf_, model.coef_[0], strict=True)
    }
    return {"intercept": round(float(model.intercept_[0]), 6), "pieces": pieces}


def check(reader: learned.LearnedGuard, name: str) -> str:
    """Recall and false alarms on a set left out of training, for the patterns alone and with the
    reader beside them, on both paths as the bench screens them."""
    pack = bg.default_pack()
    lines = bg.load_guard_lines(SETS / f"{name}_lines.yaml")
    tally = {"patterns": [0, 0, 0, 0], "with reader": [0, 0, 0, 0]}
    for line in lines:
        for path in line.paths:
            flagged = bg.lookup_flags(pack, line.text) if path == "lookup" else bg.survey_flags(pack, line.text)
            for key, said in (("patterns", flagged), ("with reader", flagged or reader.flags(line.text))):
                row = tally[key]
                if line.identifying:
                    row[0], row[1] = row[0] + said, row[1] + 1
                else:
                    row[2], row[3] = row[2] + said, row[3] + 1
    return "; ".join(f"{key}: recall {r[0]}/{r[1]}, false alarms {r[2]}/{r[3]}" for key, r in tally.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leave-out", nargs="*", default=[], help="line or question sets kept out of training")
    parser.add_argument("--check", help="train without this guard-line set and say how it fares")
    args = parser.parse_args(argv)
    leave_out = set(args.leave_out) | ({args.check} if args.check else set())
    sets = line_sets(leave_out)
    questions = question_lines(leave_out)
    lines = [line for rows in sets.values() for line in rows] + questions
    model = train(lines)
    model.update(
        threshold=THRESHOLD,
        about=(
            f"Trained by bench/learn_guard.py on {sum(len(r) for r in sets.values())} guard lines from "
            f"{len(sets)} sets and {len(questions)} questions in bench/guidance/; left out: "
            f"{', '.join(sorted(leave_out)) or 'none'}. Retrain when the sets or the name lists change."
        ),
    )
    if args.check:
        print(f"{args.check}: {check(learned.from_data(model), args.check)}")
        return 0
    learned.FILE.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"Wrote {learned.FILE}: {len(model['pieces'])} pieces.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
