"""The guard's second reader: the shipped weights load, bad files are refused with a sentence,
the same line always gets the same reading, and a lookup it flags is answered with the warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handlers import guidance, safety
from handlers.safety import learned

CARAVAN = "since the course I finally rang about the little girl at the caravan by the river"


def caravan_reader() -> learned.LearnedGuard:
    """A reader that takes any line about a caravan to identify someone, for the wiring."""
    return learned.from_data({"intercept": -4.0, "threshold": 0.8, "pieces": {"w:caravan": [1.0, 40.0]}})


def test_the_shipped_reader_loads_and_says_what_it_was_trained_on() -> None:
    reader = learned.reader()
    assert reader is not None and 0 < reader.threshold < 1
    assert "left out:" in reader.about and "guard lines" in reader.about


def test_the_same_line_reads_the_same_every_time() -> None:
    reader = learned.reader()
    assert reader is not None
    line = "worried about the boy at the end house, dad drinks"
    assert learned.pieces(line) == learned.pieces(line)
    assert reader.probability(line) == reader.probability(line)


def test_a_line_reads_as_its_shape_names_and_numbers_not_their_letters() -> None:
    shape = learned.shape("Worried about Kayden in year 5, call 07700 900123")
    assert "C_GN" in shape and "D5" in shape and "kayden" not in shape and "worried" in shape


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"intercept": 0.0, "threshold": 1.5, "pieces": {"w:x": [1.0, 1.0]}},
        {"intercept": 0.0, "threshold": 0.8, "pieces": {}},
        {"intercept": "high", "threshold": 0.8, "pieces": {"w:x": [1.0, 1.0]}},
        {"intercept": 0.0, "threshold": 0.8, "pieces": {"w:x": [1.0]}},
    ],
)
def test_a_broken_weights_file_is_refused_with_what_to_do(data: dict[str, object]) -> None:
    with pytest.raises(learned.LearnedGuardProblem, match="bench.learn_guard"):
        learned.from_data(data)


def test_the_weights_file_is_json_the_reader_reads_whole() -> None:
    data = json.loads(Path(learned.FILE).read_text(encoding="utf-8"))
    assert learned.from_data(data).pieces.keys() == data["pieces"].keys()


def test_a_lookup_the_patterns_pass_but_the_reader_flags_is_answered_with_the_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(learned, "reader", caravan_reader)
    assert safety.find_identifiers(CARAVAN) == []
    screened = guidance.screen(CARAVAN)
    # nothing could be taken out, so the text is answered as typed, with the warning
    assert screened.had_identifiers and screened.text == CARAVAN
    clean = guidance.screen("a little girl living in a damp flat")
    assert not clean.had_identifiers
