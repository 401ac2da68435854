"""The pack's YAML, once read, is kept in the data folder by the digest of its bytes
(core.packcache): a pack loaded through the kept readings is the pack read from YAML, an edited
file is read afresh, a file with a mistake is never kept, and a damaged kept file is read past."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from bot.runtime import load_registry
from core import packcache
from core.config import Settings
from core.contentpack import DEFAULT_PACK, InvalidPack, _LineLoader, load_pack
from core.registry import Registry

RIVERSIDE = Path(__file__).parent / "packs" / "riverside"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


def kept(folder: Path) -> list[str]:
    return sorted(path.name.split(".")[0] for path in folder.glob("*.json"))


def test_the_shipped_pack_read_back_is_the_pack_read_from_yaml(tmp_path: Path, registry: Registry) -> None:
    cache = tmp_path / "pack-cache"
    fresh = load_pack(DEFAULT_PACK, registry.sections)
    filled = load_pack(DEFAULT_PACK, registry.sections, parsed_cache=cache)
    read_back = load_pack(DEFAULT_PACK, registry.sections, parsed_cache=cache)
    assert len(kept(cache)) == len(list(DEFAULT_PACK.glob("*.yaml")))
    for pack in (filled, read_back):
        assert pack.partnership == fresh.partnership
        assert pack.sections.keys() == fresh.sections.keys()
        for name, section in fresh.sections.items():
            assert pack.sections[name] == section, name
        assert pack.unconfirmed_count == fresh.unconfirmed_count


def test_values_json_has_no_form_for_come_back_as_they_were_read(tmp_path: Path) -> None:
    text = (
        "when: 2026-03-02\n"
        "at: 2026-03-02 09:30:00+00:00\n"
        "by_level: {7: seven, 2.5: half, true: yes-key, null: none-key, 2026-01-01: dated}\n"
        "tags: !!set {a, b}\n"
        "blob: !!binary aGVsbG8=\n"
        'odd: {"\\0map": not a tag}\n'
        "numbers: [.inf, -0.0, 12345678901234567890]\n"
    )
    data = text.encode()
    parsed = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    packcache.keep(tmp_path, "odd.yaml", data, parsed)
    back = packcache.read(tmp_path, "odd.yaml", data)
    assert back == parsed
    assert back["odd"] == {"\x00map": "not a tag", "__lines__": parsed["odd"]["__lines__"]}
    assert type(back["when"]) is dt.date and back["at"].tzinfo is not None
    assert set(back["by_level"]) == {7, 2.5, True, None, dt.date(2026, 1, 1), "__lines__"}


def test_an_edited_file_is_read_afresh_and_its_old_reading_let_go(tmp_path: Path, registry: Registry) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(RIVERSIDE, folder)
    cache = tmp_path / "pack-cache"
    load_pack(folder, registry.sections, parsed_cache=cache)
    before = sorted(cache.glob("partnership.yaml.*.json"))
    path = folder / "partnership.yaml"
    old = load_pack(folder, registry.sections).partnership.name
    path.write_text(path.read_text(encoding="utf-8").replace(old, "Riverside Children's Partnership Renamed"))
    pack = load_pack(folder, registry.sections, parsed_cache=cache)
    assert pack.partnership.name == "Riverside Children's Partnership Renamed"
    after = sorted(cache.glob("partnership.yaml.*.json"))
    assert len(before) == len(after) == 1 and before != after


def test_a_file_with_a_mistake_is_never_kept_and_is_reported_every_time(tmp_path: Path, registry: Registry) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(RIVERSIDE, folder)
    (folder / "contacts.yaml").write_text("contacts:\n  - name: a\n    name: b\n", encoding="utf-8")
    cache = tmp_path / "pack-cache"
    for _ in range(2):
        with pytest.raises(InvalidPack, match="appears twice"):
            load_pack(folder, registry.sections, parsed_cache=cache)
    assert "contacts" not in kept(cache)


def test_a_damaged_kept_reading_is_read_past_and_kept_again(tmp_path: Path, registry: Registry) -> None:
    cache = tmp_path / "pack-cache"
    fresh = load_pack(RIVERSIDE, registry.sections, parsed_cache=cache)
    for path in cache.glob("*.json"):
        path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    again = load_pack(RIVERSIDE, registry.sections, parsed_cache=cache)
    assert again.sections == fresh.sections
    for path in cache.glob("*.json"):
        name = path.name.rsplit(".", 2)[0]
        assert packcache.read(cache, name, (RIVERSIDE / name).read_bytes()) is not None


def test_a_data_folder_that_cannot_be_written_only_costs_the_reading(tmp_path: Path, registry: Registry) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    pack = load_pack(RIVERSIDE, registry.sections, parsed_cache=blocked / "pack-cache")
    assert pack.partnership.name


def test_the_cache_lives_in_an_existing_data_folder_and_never_creates_one(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path / "absent").pack_cache_dir() is None
    assert Settings(data_dir=tmp_path).pack_cache_dir() == tmp_path / "pack-cache"


def test_a_change_to_the_reader_leaves_every_kept_reading_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (RIVERSIDE / "partnership.yaml").read_bytes()
    packcache.keep(tmp_path, "partnership.yaml", data, {"name": "kept"})
    assert packcache.read(tmp_path, "partnership.yaml", data) == {"name": "kept"}
    monkeypatch.setattr(packcache, "FORMAT", b"sgbot-parsed-pack-next")  # as a changed reader would be
    packcache._reader_version.cache_clear()
    try:
        assert packcache.read(tmp_path, "partnership.yaml", data) is None
    finally:
        monkeypatch.undo()
        packcache._reader_version.cache_clear()
