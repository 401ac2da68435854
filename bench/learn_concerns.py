"""Train the pack's learned concerns (handlers/threshold/learned.py) from the labelled questions.

    pip install -e '.[learn]'          # scikit-learn, for this tool only
    python -m bench.learn_concerns --leave-out holdout16 [--pack content/medway]
    python -m bench.learn_concerns --check holdout15     # how a set scores when trained without it

Every question set in bench/guidance/ is used except the ones left out: a set that is to measure
the result blind must be left out of its training, and the file records which sets were used.
A question's labels are its topics and its concerns (off-topic questions have none). The model:
pieces of words (learned.char_grams) weighted by TF-IDF, and one sparse (L1) logistic regression
per topic; only the nonzero weights are written, with the idf of every piece (the unit length
needs all of them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench import bench_guidance as bg
from bot.runtime import load_registry
from core.contentpack import load_pack
from handlers import threshold
from handlers.threshold import learned

SETS = Path(__file__).parent / "guidance"
THRESHOLD = 0.6  # chosen by leaving each seen set out in turn (bench/learn_concerns.py --check)
ALONE = 0.9  # the same when the thesaurus recognised nothing (only the likeliest topic)
MOST = 2  # concerns added beside the thesaurus's, at most
REGULARISATION = 4.0  # scikit-learn's C: lower keeps fewer pieces


def question_sets(leave_out: set[str]) -> dict[str, list[bg.Question]]:
    found = {}
    for path in sorted(SETS.glob("*questions*.yaml")):
        name = path.stem.removesuffix("_questions")
        if name not in leave_out:
            found[name] = bg.load_questions(path)
    return found


def labels(q: bg.Question) -> list[str]:
    return sorted(set(q.topics) | {t for c in q.concerns for t in c})


def train(questions: list[bg.Question], topic_ids: list[str]) -> dict[str, Any]:
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit("This tool needs scikit-learn: pip install -e '.[learn]' (the bot itself does not).")
    texts = [q.q for q in questions]
    vectoriser = TfidfVectorizer(analyzer=learned.char_grams, sublinear_tf=True, min_df=2)
    matrix = vectoriser.fit_transform(texts)
    grams = vectoriser.get_feature_names_out()
    intercepts: list[float] = []
    weights: dict[str, list[list[float]]] = {}
    for number, topic in enumerate(topic_ids):
        wanted = [topic in labels(q) for q in questions]
        if not any(wanted):
            intercepts.append(-30.0)  # never seen: never said
            continue
        model = LogisticRegression(
            C=REGULARISATION,
            penalty="l1",
            solver="liblinear",
            class_weight="balanced",
            max_iter=3000,
            random_state=0,  # liblinear shuffles the questions: the same sets give the same file
        ).fit(matrix, wanted)
        intercepts.append(round(float(model.intercept_[0]), 6))
        for column in model.coef_[0].nonzero()[0]:
            weights.setdefault(str(grams[column]), []).append([number, round(float(model.coef_[0][column]), 6)])
    idf = {str(g): round(float(v), 6) for g, v in zip(grams, vectoriser.idf_, strict=True)}
    return {"topics": topic_ids, "intercepts": intercepts, "idf": idf, "weights": weights}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", type=Path, default=Path("content/medway"))
    parser.add_argument("--leave-out", nargs="*", default=[], help="question sets kept out of training")
    parser.add_argument("--check", help="train without this set and say how its concerns are recognised")
    args = parser.parse_args(argv)
    pack = load_pack(args.pack, load_registry().sections)
    topic_ids = [t.id for t in pack.get(threshold.Levels).topics]
    leave_out = set(args.leave_out) | ({args.check} if args.check else set())
    sets = question_sets(leave_out)
    questions = [q for qs in sets.values() for q in qs]
    model = train(questions, topic_ids)
    model.update(
        threshold=THRESHOLD,
        alone=ALONE,
        most=MOST,
        about=(
            f"Trained by bench/learn_concerns.py on {len(questions)} labelled questions from "
            f"{len(sets)} sets in bench/guidance/ ({', '.join(sorted(sets))}); left out: "
            f"{', '.join(sorted(leave_out)) or 'none'}. Retrain when the sets or the topics change."
        ),
    )
    if args.check:
        checked = learned.from_data(model)
        held = bg.load_questions(SETS / f"{args.check}_questions.yaml")
        multi = [q for q in held if q.concerns]
        found = sum(1 for q in multi for c in q.concerns if set(c) & set(checked.concerns(q.q)))
        total = sum(len(q.concerns) for q in multi)
        print(f"{args.check}: {found} of {total} concerns named by the learned reader alone")
        return 0
    path = args.pack / learned.FILE
    path.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    pieces = sum(len(p) for p in model["weights"].values())
    print(f"Wrote {path}: {len(model['idf'])} pieces, {pieces} weights over {len(topic_ids)} topics.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
