"""The learned reader beside the thesaurus (handlers/threshold/learned.py, issue #16).

It adds at most two concerns the thesaurus's phrasings missed, offered as "It may also involve",
never one the asker denied, and it does not turn an office question into a safeguarding one.
The pack carries it as learned_concerns.json; a pack without one, or with one that cannot be
read, is handled. How well it does is measured in bench/ (BENCHMARKS.md), not here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, InvalidPack, load_pack
from handlers import threshold
from handlers.threshold import learned
from handlers.threshold.answer import threshold_answer


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


def test_words_are_cut_into_pieces_of_three_to_five_letters_with_their_edges() -> None:
    assert learned.char_grams("Hi, BOB") == [" hi", "hi ", " hi ", " bo", "bob", "ob ", " bob", "bob ", " bob "]
    assert learned.char_grams("a") == [" a "]


def test_the_shipped_reader_was_trained_without_the_blind_set_it_is_measured_on() -> None:
    model = learned.load(DEFAULT_PACK)
    assert model is not None
    assert "left out: holdout36" in model.about  # the blind set measured after this training
    assert model.most == 2 and 0 < model.threshold < model.alone < 1


def test_its_scores_come_in_one_order_whatever_the_hashing(pack: ContentPack) -> None:
    model = threshold.index_of(pack).learned
    assert model is not None
    scores = model.scores("dad drinking again and the kids are scared of him")
    assert scores == sorted(scores, key=lambda tp: (-tp[1], tp[0]))
    assert len(scores) == len(model.topics)


def test_a_concern_the_phrasings_missed_is_offered_as_may_also_involve(pack: ContentPack) -> None:
    text = "year 6 girl's dad got locked up last month, she's stopped doing homework and mum can't pay the gas"
    a = threshold.assess(pack, text)
    assert "a parent in prison" in a.mentioned
    assert a.suggested and not set(a.suggested) & set(a.mentioned)
    assert len(a.concerns) <= len(a.mentioned) + 2
    blocks, _counted = threshold_answer(pack, text)
    shown = " ".join(getattr(b, "text", "") for b in blocks)
    assert "**You mentioned:**" in shown and "**It may also involve:**" in shown


def test_a_denied_worry_is_never_suggested(pack: ContentPack) -> None:
    a = threshold.assess(
        pack, "no self harm and she says no suicidal thoughts, but she cries all day and has stopped sleeping"
    )
    assert "self-harm" not in a.concerns
    assert a.suggested == ("mental health",)


def test_an_office_question_stays_off_topic(pack: ContentPack) -> None:
    for text in (
        "who is doing the cooking for the staff away day",
        "how do i reset my password on the e-learning site",
    ):
        a = threshold.assess(pack, text)
        assert a.off_topic and not a.concerns and not a.suggested, text


def _copy_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, folder)
    return folder


def test_a_pack_without_the_file_answers_from_the_thesaurus_alone(tmp_path: Path) -> None:
    folder = _copy_pack(tmp_path)
    (folder / learned.FILE).unlink()
    pack = load_pack(folder, load_registry().sections)
    a = threshold.assess(pack, "year 6 girl's dad got locked up last month, she's stopped doing homework")
    assert threshold.index_of(pack).learned is None
    assert "a parent in prison" in a.mentioned and a.suggested == ()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda data: "not json", "cannot be read"),
        (lambda data: {**data, "intercepts": data["intercepts"][:-1]}, "is inconsistent"),
        (lambda data: {**data, "topics": [*data["topics"][:-1], "made-up-topic"]}, "made-up-topic"),
    ],
)
def test_a_file_that_cannot_be_used_stops_the_pack_with_what_to_do(tmp_path: Path, change, said) -> None:  # type: ignore[no-untyped-def]
    folder = _copy_pack(tmp_path)
    path = folder / learned.FILE
    changed = change(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(changed if isinstance(changed, str) else json.dumps(changed), encoding="utf-8")
    with pytest.raises(InvalidPack) as caught:
        load_pack(folder, load_registry().sections)
    text = str(caught.value)
    assert said in text and "python -m bench.learn_concerns" in text


def test_nothing_is_suggested_for_a_question_about_an_adult(pack: ContentPack) -> None:
    a = threshold.assess(pack, "my friend is 34, her husband takes her wages and she is scared of him, no kids")
    assert a.adult and a.off_topic
    assert a.suggested == () and a.suggested_topics == ()
