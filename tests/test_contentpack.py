"""Content packs load, validate, and report every problem as file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, InvalidPack, load_pack


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, target)
    return target


def test_the_default_pack_is_valid() -> None:
    pack = load_pack(DEFAULT_PACK, load_registry().sections)
    assert pack.partnership.short_name == "MSCP"


def test_problems_are_reported_with_file_and_line(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    path = pack / "partnership.yaml"
    text = path.read_text().replace("short_name: MSCP", "short_name: MSCP\nshort_nmae: typo")
    path.write_text(text)
    line = text.splitlines().index("short_nmae: typo") + 1
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, load_registry().sections)
    messages = [str(p) for p in caught.value.problems]
    assert (
        f"{path}:{line}: short_nmae: unknown key (check the spelling against the pack format in the README)" in messages
    )


def test_broken_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "partnership.yaml").write_text("name: [unclosed\n")
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, load_registry().sections)
    assert any("not valid YAML" in str(p) and ":2:" in str(p) for p in caught.value.problems)


def test_cli_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    path = pack / "partnership.yaml"
    path.write_text(path.read_text().replace("area: Medway", "area: Medway\nextra_one: 1\nextra_two: 2"))
    result = CliRunner().invoke(app, ["content", "validate", str(pack)])
    assert result.exit_code == 1
    assert "extra_one: unknown key" in result.output and "extra_two: unknown key" in result.output


def test_cli_validate_accepts_the_default_pack() -> None:
    result = CliRunner().invoke(app, ["content", "validate", str(DEFAULT_PACK)])
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output


def test_a_missing_folder_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(InvalidPack, match="is not a folder"):
        load_pack(tmp_path / "nowhere", [])


# A "billion laughs": nine lists of nine, each made of the one before. About 1 KB of YAML that,
# built, becomes 9**9 strings (gigabytes); with aliases refused it costs nothing to refuse.
BOMB_LEVELS = "abcdefghi"


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in zip(BOMB_LEVELS, BOMB_LEVELS[1:], strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{before}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_a_pack_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    path = pack / "glossary.yaml"
    bomb = alias_bomb()
    assert len(bomb.encode()) < 1100
    path.write_text("# a pack someone sent us\n" + bomb)
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, load_registry().sections)
    [problem] = [p for p in caught.value.problems if p.file == str(path)]
    assert problem.line == 2  # the anchored value the aliases reuse
    assert "anchors and aliases" in problem.message and "write the value out in full" in problem.message


def test_an_ordinary_anchor_and_alias_is_refused_too(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    path = pack / "partnership.yaml"
    text = path.read_text().replace("short_name: MSCP", "short_name: &short MSCP\nnot_a_key: *short")
    path.write_text(text)
    line = text.splitlines().index("short_name: &short MSCP") + 1
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, load_registry().sections)
    assert [(p.line, "anchors and aliases" in p.message) for p in caught.value.problems] == [(line, True)]


def test_cli_validate_refuses_an_alias_bomb_with_one_sentence(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "glossary.yaml").write_text(alias_bomb())
    result = CliRunner().invoke(app, ["content", "validate", str(pack)])
    assert result.exit_code == 1
    assert f"{pack / 'glossary.yaml'}:1: this value is anchored" in result.output
    assert "Traceback" not in result.output


def test_a_section_that_failed_to_load_skips_only_the_cross_checks_that_need_it(tmp_path: Path) -> None:
    # An outside audit: one typo in contacts.yaml was followed by 7 false problems, "level 1
    # names contact 'dsl', not in contacts.yaml" and the like.
    pack = copy_pack(tmp_path)
    contacts = pack / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace('number: "999"', 'numbr: "999"', 1))
    courses = pack / "courses.yaml"  # a real cross-check problem in a section not needing contacts
    courses.write_text(courses.read_text().replace("topics: [child-protection, core]", "topics: [Core Topic]", 1))
    result = CliRunner().invoke(app, ["content", "validate", str(pack)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith(str(pack))]
    assert len(problems) == 2, problems
    line = contacts.read_text().splitlines().index('    numbr: "999"') + 1
    assert problems[0].startswith(f"{contacts}:{line}: contacts.0.numbr: unknown key")
    assert problems[1].startswith(f"{courses}:") and "topic 'Core Topic' should be lower-case words" in problems[1]
    assert "not in contacts.yaml" not in result.output


def test_a_byte_that_is_not_utf8_is_reported_at_its_line(tmp_path: Path) -> None:
    """An outside audit: it was reported at line 0, where every other problem gives its line."""
    folder = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, folder)
    glossary = folder / "glossary.yaml"
    lines = glossary.read_bytes().count(b"\n")
    glossary.write_bytes(glossary.read_bytes() + b"# caf\xe9\n")
    with pytest.raises(InvalidPack) as refused:
        load_pack(folder, load_registry().sections)
    [problem] = refused.value.problems
    assert (problem.line, problem.message) == (
        lines + 1,
        "is not UTF-8 text here; save the file as UTF-8 (the editor's encoding)",
    )
