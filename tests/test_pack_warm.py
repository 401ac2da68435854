"""A section's `warm` work (a match index) is not validation: loading a pack does not do it, and
the running bot does it in a thread once it is ready, and before a reloaded pack is swapped in."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.runtime import Runtime, load_registry
from core.config import Settings
from core.contentpack import DEFAULT_PACK, ContentPack, Section, Strict, load_pack, warm_pack
from core.registry import Registry
from tests.conftest import copy_migrated_sqlite


def warming_registry(warmed: list[ContentPack]) -> Registry:
    """The bot's registry with the glossary section told to record each pack it warms."""
    registry = load_registry()
    registry.sections = [
        dataclasses.replace(s, warm=warmed.append) if s.name == "glossary" else s for s in registry.sections
    ]
    return registry


def test_loading_a_pack_does_not_warm_it_and_warm_pack_does_each_present_section() -> None:
    warmed: list[ContentPack] = []
    registry = warming_registry(warmed)
    pack = load_pack(DEFAULT_PACK, registry.sections)
    assert warmed == []
    absent_warmed: list[ContentPack] = []
    absent = Section("not-in-the-pack", "absent.yaml", Strict, required=False, warm=absent_warmed.append)
    warm_pack(pack, [*registry.sections, absent])
    assert warmed == [pack]
    assert absent_warmed == []


async def test_the_running_bot_warms_its_pack_after_start_up_and_a_reloaded_pack_before_the_swap(
    settings: Settings, sqlite_template: Path
) -> None:
    settings.ensure_data_dir()
    copy_migrated_sqlite(sqlite_template, settings.data_dir / "sgbot.db")
    warmed: list[ContentPack] = []
    runtime = await Runtime.create(settings, console_mode=True, registry=warming_registry(warmed))
    try:
        assert warmed == []  # created and validated, not yet warmed
        await runtime.start()
        assert runtime.warming is not None
        await runtime.warming
        assert warmed == [runtime.ctx.pack]

        new = await runtime.reload_content(actor="test")
        assert warmed[-1] is new
        assert runtime.ctx.pack is new
    finally:
        await runtime.stop()
