"""What a platform that autocompletes offers as someone types: words from the content pack for
/glossary and /threshold, the usage line's keywords for the rest; never what anyone else typed."""

from __future__ import annotations

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, load_pack


def test_glossary_offers_the_packs_terms_that_start_with_what_was_typed() -> None:
    registry = load_registry()
    pack = load_pack(DEFAULT_PACK, registry.sections)
    offered = registry.suggestions("glossary", "la", pack)
    assert "LADO" in offered
    assert all(word.lower().startswith("la") for word in offered)


def test_threshold_offers_topic_names_matching_the_typing() -> None:
    registry = load_registry()
    pack = load_pack(DEFAULT_PACK, registry.sections)
    assert registry.suggestions("threshold", "dom", pack)[0] == "domestic abuse"
    assert "neglect" in registry.suggestions("threshold", "", pack)


def test_without_a_pack_only_the_usage_keywords_are_offered() -> None:
    registry = load_registry()
    assert registry.suggestions("glossary", "la") == []
    assert "mine" in registry.suggestions("training", "")
