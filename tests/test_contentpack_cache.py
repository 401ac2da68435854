"""Inside reusing_loaded_packs(), a pack loaded twice from the same files is one shared object;
any edit is loaded afresh; outside it, every load validates afresh."""

from __future__ import annotations

import contextvars
import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, InvalidPack, load_pack, reusing_loaded_packs
from core.registry import Registry
from handlers.threshold import index_of

RIVERSIDE = Path(__file__).parent / "packs" / "riverside"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(autouse=True)
def _reusing() -> Iterator[None]:
    with reusing_loaded_packs():
        yield


def copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(RIVERSIDE, target)
    return target


def test_the_same_files_give_the_same_pack_and_match_index(registry: Registry) -> None:
    first = load_pack(DEFAULT_PACK, registry.sections)
    second = load_pack(str(DEFAULT_PACK), registry.sections)
    assert second is first
    assert index_of(second) is index_of(first)


def test_a_loaded_pack_cannot_be_changed(registry: Registry) -> None:
    pack = load_pack(DEFAULT_PACK, registry.sections)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pack.unconfirmed_count = 0  # type: ignore[misc]
    with pytest.raises(ValueError, match="frozen"):
        pack.partnership.name = "Another partnership"  # type: ignore[misc]


def test_an_edit_of_the_same_size_in_the_same_instant_is_loaded_afresh(tmp_path: Path, registry: Registry) -> None:
    folder = copy_pack(tmp_path)
    before = load_pack(folder, registry.sections)
    path = folder / "partnership.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace(before.partnership.short_name, before.partnership.short_name[::-1], 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    # The same size and modification time: only the content says the file changed.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = load_pack(folder, registry.sections)
    assert after is not before
    assert after.partnership.short_name == before.partnership.short_name[::-1]
    assert before.partnership.short_name != after.partnership.short_name  # the first pack is untouched


def test_a_copy_elsewhere_is_its_own_pack_with_its_own_path(tmp_path: Path, registry: Registry) -> None:
    original = load_pack(RIVERSIDE, registry.sections)
    copy = load_pack(copy_pack(tmp_path), registry.sections)
    assert copy is not original
    assert copy.path == tmp_path / "pack"
    assert original.path == RIVERSIDE


def test_an_invalid_pack_is_reported_every_time_and_its_fix_is_seen(tmp_path: Path, registry: Registry) -> None:
    folder = copy_pack(tmp_path)
    path = folder / "partnership.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "\nunknown_key: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InvalidPack, match="unknown_key"):
            load_pack(folder, registry.sections)
    path.write_text(good, encoding="utf-8")
    assert isinstance(load_pack(folder, registry.sections), ContentPack)


def test_a_file_removed_after_loading_is_reported(tmp_path: Path, registry: Registry) -> None:
    folder = copy_pack(tmp_path)
    load_pack(folder, registry.sections)
    (folder / "levels.yaml").unlink()
    with pytest.raises(InvalidPack, match="levels section is required"):
        load_pack(folder, registry.sections)


def test_windows_line_endings_read_as_before(tmp_path: Path, registry: Registry) -> None:
    folder = copy_pack(tmp_path)
    unix = load_pack(folder, registry.sections)
    path = folder / "partnership.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    windows = load_pack(folder, registry.sections)
    assert windows is not unix
    assert windows.partnership == unix.partnership


def test_outside_the_block_every_load_validates_afresh(registry: Registry) -> None:
    shared = load_pack(DEFAULT_PACK, registry.sections)
    # A context where the block was never entered: a reload in a running bot, say.
    fresh = contextvars.Context().run(load_pack, DEFAULT_PACK, registry.sections)
    assert fresh is not shared
    assert index_of(fresh) is not index_of(shared)
    assert fresh.partnership == shared.partnership
