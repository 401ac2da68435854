"""Every lookup follows the content pack it is given, and broken lookup sections are reported
as file:line problems."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import DEFAULT_PACK, InvalidPack, load_pack
from core.model import Caption, Reply
from tests.harness import command

RIVERSIDE = Path(__file__).resolve().parent / "packs" / "riverside"


@pytest.fixture
async def riverside(tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path / "data", survey_secret="lookup-key-Bn4Gt7Wq2Zr9Ls5X", content_pack=RIVERSIDE
    )
    runtime = await Runtime.create(settings, clock=clock, console_mode=True)
    yield runtime
    await runtime.ctx.db.dispose()


async def ask(runtime: Runtime, name: str, words: str = "") -> Reply:
    outcome = await runtime.dispatcher.handle(command(name, words))
    return outcome.replies[0]


async def test_threshold_follows_the_pack(riverside: Runtime) -> None:
    overview = (await ask(riverside, "threshold")).all_text()
    assert "Riverside Continuum of Need — RCSP" in overview
    assert "Level 3 — Protection:" in overview
    assert "Universal" not in overview and "Specialist" not in overview
    matched = (await ask(riverside, "threshold", "DA shouting at home")).all_text()
    assert "Shouting and arguments between the adults at home" in matched
    assert "**Level 2 — Riverside Support**" in matched
    neglect = (await ask(riverside, "threshold", "left alone without food")).all_text()
    assert "Riverside asks for a Home Conditions Check" in neglect
    assert "GCP2" not in neglect
    full = (await ask(riverside, "threshold", "level 3")).all_text()
    assert "Call the Riverside Children's Gateway today." in full
    assert "Riverside Children's Gateway on 01632 960001" in full


async def test_a_level_the_pack_does_not_have_is_not_invented(riverside: Runtime) -> None:
    shown = (await ask(riverside, "threshold", "level 4")).all_text()
    assert "Level 4" not in shown
    assert "Riverside Continuum of Need" in shown


async def test_every_answer_ends_with_the_packs_own_emergency_route(riverside: Runtime) -> None:
    for name, words in [("threshold", ""), ("threshold", "drugs"), ("escalation", ""), ("escalation", "stage 1")]:
        shown = (await ask(riverside, name, words)).all_text()
        assert "contact Riverside Children's Gateway on 01632 960001 (weekdays 8am to 6pm)" in shown
        assert "call Riverside Night Duty Team on 01632 960002" in shown
        assert "01634" not in shown and "First Response" not in shown


async def test_escalation_follows_the_pack(riverside: Runtime) -> None:
    shown = (await ask(riverside, "escalation")).all_text()
    assert "Resolving professional differences — RCSP" in shown
    assert "**Stage 3 — Riverside differences panel:**" in shown
    assert "Stage 4" not in shown
    assert "Escalation stage 2 of 3 — Team leaders" in (await ask(riverside, "escalation", "stage 2")).all_text()
    theme = (await ask(riverside, "escalation", "nobody returns my calls")).all_text()
    assert "**No reply**" in theme and "_Start at stage 2:_" in theme


async def test_glossary_follows_the_pack(riverside: Runtime) -> None:
    assert "RCG — Riverside Children's Gateway" in (await ask(riverside, "glossary", "RCG")).all_text()
    assert "allegations desk" in (await ask(riverside, "glossary", "LADO")).all_text()
    assert "I don't have “MASH”" in (await ask(riverside, "glossary", "MASH")).all_text()


async def test_contacts_follow_the_pack(riverside: Runtime) -> None:
    shown = (await ask(riverside, "contacts")).all_text()
    assert shown.index("Emergency services") < shown.index("Riverside Children's Gateway")
    assert "Riverside Family Line" in shown and "NSPCC" not in shown
    assert "to be confirmed" not in shown


async def test_a_reviewed_pack_with_nothing_unconfirmed_shows_no_sample_banner(riverside: Runtime) -> None:
    assert not riverside.ctx.pack.is_sample
    for name in ("threshold", "escalation", "glossary", "contacts"):
        blocks = (await ask(riverside, name)).blocks
        assert not any(isinstance(b, Caption) and b.text.startswith("Sample content") for b in blocks)


async def test_the_content_pack_setting_selects_the_pack(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clock: FrozenClock
) -> None:
    monkeypatch.setenv("CONTENT_PACK", str(RIVERSIDE))
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", survey_secret="lookup-key-Bn4Gt7Wq2Zr9Ls5X")  # type: ignore[call-arg]
    runtime = await Runtime.create(settings, clock=clock, console_mode=True)
    try:
        assert "Riverside Family Line" in (await ask(runtime, "contacts")).all_text()
    finally:
        await runtime.ctx.db.dispose()


async def test_an_unreviewed_pack_shows_the_sample_banner(tmp_path: Path, clock: FrozenClock) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(RIVERSIDE, pack)
    path = pack / "partnership.yaml"
    path.write_text(path.read_text().replace("reviewed_on: 2026-01-15", "reviewed_on:"))
    settings = Settings(
        _env_file=None, data_dir=tmp_path / "data", survey_secret="lookup-key-Bn4Gt7Wq2Zr9Ls5X", content_pack=pack
    )  # type: ignore[call-arg]
    runtime = await Runtime.create(settings, clock=clock, console_mode=True)
    try:
        first = (await ask(runtime, "threshold")).blocks[0]
        assert isinstance(first, Caption) and "RCSP still has to confirm this guidance" in first.text
    finally:
        await runtime.ctx.db.dispose()


# --- validation --------------------------------------------------------------------------------


def broken_copy(tmp_path: Path, filename: str, old: str, new: str) -> tuple[Path, Path, int]:
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    path = pack / filename
    text = path.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text)
    line = text[: text.index(new)].count("\n") + 1
    return pack, path, line


def problems_of(pack: Path) -> list[str]:
    with pytest.raises(InvalidPack) as caught:
        load_pack(pack, load_registry().sections)
    return [str(p) for p in caught.value.problems]


def test_an_indicator_with_an_unknown_topic_is_reported_at_its_line(tmp_path: Path) -> None:
    pack, path, line = broken_copy(tmp_path, "levels.yaml", "topics: [education]", "topics: [schooling]")
    assert f"{path}:{line}: topic 'schooling' is not listed under topics" in problems_of(pack)


def test_a_level_naming_an_unknown_contact_is_reported(tmp_path: Path) -> None:
    pack, path, line = broken_copy(tmp_path, "levels.yaml", "contacts: [dsl]", "contacts: [dls]")
    assert f"{path}:{line}: level 1 names contact 'dls', not in contacts.yaml" in problems_of(pack)


def test_a_pack_without_an_out_of_hours_contact_is_refused(tmp_path: Path) -> None:
    pack, path, _line = broken_copy(tmp_path, "contacts.yaml", "kind: out_of_hours", "kind: helpline")
    assert any(p.startswith(f"{path}:") and "no out_of_hours contact" in p for p in problems_of(pack)), (
        "the emergency route needs an out-of-hours contact"
    )


def test_a_misspelt_key_an_unknown_document_and_a_bad_domain_are_all_reported(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, pack)
    levels = pack / "levels.yaml"
    levels.write_text(levels.read_text().replace("domain: family", "domain: household", 1))
    glossary = pack / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("    expansion:", "    expansoin:", 1))
    escalation = pack / "escalation.yaml"
    escalation.write_text(escalation.read_text().replace("doc: mscp-escalation-policy", "doc: no-such-doc", 1))
    found = problems_of(pack)
    assert any(p.startswith(f"{levels}:") and "domain" in p and "household" not in p.split(":")[0] for p in found)
    assert any(p.startswith(f"{glossary}:") and "expansoin: unknown key" in p for p in found)
    assert any(p.startswith(f"{escalation}:") and "unknown document 'no-such-doc'" in p for p in found)


def test_stages_must_be_numbered_in_order(tmp_path: Path) -> None:
    pack, path, _line = broken_copy(tmp_path, "escalation.yaml", "  - number: 3", "  - number: 5")
    assert any("stages must be numbered 1, 2, 3" in p for p in problems_of(pack))
