"""Survey definitions in the content pack: validated with the rest of the pack, every mistake
reported as file:line, and a second (fictional) pack proves the surveys come from the pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.contentpack import DEFAULT_PACK, InvalidPack, load_pack
from handlers import surveys

RIVERSIDE = Path(__file__).resolve().parent / "packs" / "riverside"


def load(path: Path) -> surveys.SurveysPack:
    return load_pack(path, [surveys.SECTION]).get(surveys.SurveysPack)


def test_the_medway_surveys_match_the_partnerships_five_measures() -> None:
    pack = load(DEFAULT_PACK)
    assert [m.label for m in pack.measures] == [
        "Confidence recognising a safeguarding concern",
        "Confidence evidencing a concern",
        "No barriers to taking safeguarding action",
        "The training improved the way I work",
        "I shared the learning with my team",
    ]
    post = pack.survey("post-course")
    assert post is not None and len(post.taps) <= 3 and post.text_questions
    measured = {q.measure for s in pack.surveys if s.id != "pre-course" for q in s.questions if q.measure}
    assert measured == {m.id for m in pack.measures}  # every reported measure is asked somewhere
    assert pack.survey("follow-up") is not None and pack.survey("pre-course") is not None


def test_the_fictional_pack_brings_its_own_surveys() -> None:
    pack = load(RIVERSIDE)
    assert [m.id for m in pack.measures] == ["confident", "using_it"]
    post = pack.survey("post-course")
    assert post is not None and [q.kind for q in post.questions] == ["single", "multiple", "text"]
    assert pack.survey("pre-course") is None


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, Path, str]:
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    path = pack / "surveys.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return pack, path, path.read_text()


def problems_of(pack: Path) -> list[str]:
    with pytest.raises(InvalidPack) as caught:
        load(pack)
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_unknown_measure_is_reported_at_its_line(tmp_path: Path) -> None:
    pack, path, text = broken(
        tmp_path,
        "measure: confidence_evidencing\n        counts_if",
        "measure: confidence_evidnecing\n        counts_if",
    )
    line = line_of(text, "confidence_evidnecing")
    assert (
        f"{path}:{line}: unknown measure 'confidence_evidnecing'; measures are confidence_recognising, "
        in "\n".join(problems_of(pack))
    )


def test_question_ids_must_be_unique_within_a_survey(tmp_path: Path) -> None:
    pack, path, text = broken(tmp_path, "- id: evidence\n", "- id: recognise\n")
    second = [i for i, line in enumerate(text.splitlines(), 1) if "- id: recognise" in line][1]
    assert f"{path}:{second}: question id 'recognise' is used twice in the post-course survey" in problems_of(pack)


def test_a_post_course_survey_with_a_fourth_tap_is_refused(tmp_path: Path) -> None:
    extra = (
        "      - id: extra\n        text: One more question?\n        kind: yes_no\n"
        "      - id: comment\n        text: What will you do differently"
    )
    pack, path, _text = broken(tmp_path, "      - id: comment\n        text: What will you do differently", extra)
    assert any("the post-course survey has 4 tap questions; at most 3 fit" in p for p in problems_of(pack))


def test_a_scale_needs_five_labels(tmp_path: Path) -> None:
    pack, path, text = broken(
        tmp_path,
        "labels: [Not confident, A little, Fairly, Very, Extremely]",
        "labels: [Not confident, A little, Very]",
    )
    found = problems_of(pack)
    assert any("a scale question needs exactly five labels" in p and p.startswith(str(path)) for p in found)


def test_counts_if_must_name_an_answer_the_question_offers(tmp_path: Path) -> None:
    pack, _path, _text = broken(tmp_path, 'counts_if: ["no"]', 'counts_if: ["nope"]')
    assert any("counts_if has nope; answers here are no, yes" in p for p in problems_of(pack))


def test_a_measure_asked_twice_in_one_survey_is_refused(tmp_path: Path) -> None:
    pack, _path, _text = broken(
        tmp_path,
        "measure: confidence_evidencing\n        counts_if",
        "measure: confidence_recognising\n        counts_if",
    )
    assert any(
        "measure 'confidence_recognising' is already asked in the post-course survey" in p for p in problems_of(pack)
    )


def test_the_follow_up_survey_is_required(tmp_path: Path) -> None:
    pack, _path, _text = broken(tmp_path, "  - id: follow-up\n", "  - id: pre-course\n")
    found = problems_of(pack)
    assert any("the follow-up survey is missing" in p for p in found)
    assert any("there are two pre-course surveys" in p for p in found)


def test_an_unknown_key_is_reported_at_its_line(tmp_path: Path) -> None:
    pack, path, text = broken(tmp_path, "        kind: yes_no\n", "        kind: yes_no\n        wieght: 2\n")
    found = problems_of(pack)
    assert any(p.startswith(f"{path}:{line_of(text, 'wieght')}:") and "wieght: unknown key" in p for p in found)


def test_a_source_must_cite_a_listed_document(tmp_path: Path) -> None:
    pack, path, text = broken(tmp_path, "doc: ar-2014-15", "doc: ar-2014-16")
    line = line_of(text, "ar-2014-16")
    assert f"{path}:{line}: source cites unknown document 'ar-2014-16'; add it to partnership.yaml" in problems_of(pack)


def test_a_free_text_question_cannot_feed_a_measure(tmp_path: Path) -> None:
    pack, _path, _text = broken(
        tmp_path,
        "        kind: text\n        button: Add a comment\n",
        "        kind: text\n        measure: no_barriers\n        counts_if: [x]\n",
    )
    assert any("free-text questions cannot feed a measure" in p for p in problems_of(pack))
