"""The Medway pack covers what practitioners ask about: the topics added for private fostering,
fabricated illness, missing education and the rest, the level-4 signs every practitioner must
recognise, the abbreviations met in meetings and letters, and the police numbers 999 and 101.
Every new entry cites a document listed in partnership.yaml."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import DEFAULT_PACK, ContentPack, SourceRef, load_pack
from core.model import Reply, Text
from handlers.contacts import Contacts
from handlers.glossary import Glossary, key
from handlers.threshold import Levels
from tests.harness import command

NEW_TOPICS = [
    "private-fostering",
    "fabricated-illness",
    "missing-education",
    "child-on-child",
    "relationship-abuse",
    "risk-to-children",
    "faith-abuse",
    "homeless-16-17",
    "parent-in-prison",
]

# Abbreviations and terms practitioners meet; each must lead to a glossary entry.
# fmt: off
TERMS = [
    "CCE", "CSE", "PLO", "EHCP", "ICPC", "RCPC", "MAPPA", "MARAC", "CME", "EHE", "FII", "Channel", "Prevent",
    "LADO", "DSL", "CIN", "CP", "CLA", "LAC", "MASH", "SGO", "PACE", "ABE", "S17", "S20", "S47", "TAF", "GCP2",
    "DASH", "CPP", "NRM", "CAMHS", "YOT", "YJS", "HSB", "FMU", "HBA", "RHI", "PR", "EPO", "ICO", "NICCO",
    "Section 17", "Section 20", "Section 47", "Early Help", "Strategy discussion", "Operation Encompass",
]
# fmt: on

# The national documents this pack now cites for topics Medway's own documents do not cover.
NATIONAL_DOCUMENTS = [
    "children-act-1989",
    "private-fostering-regs",
    "fgm-guidance",
    "fgm-reporting",
    "forced-marriage-guidance",
    "rcpch-fii",
    "cme-guidance",
    "ehe-guidance",
    "homeless-16-17-guidance",
    "faith-action-plan",
    "domestic-abuse-guidance",
    "domestic-abuse-act-2021",
    "serious-crime-act-2015",
    "mappa-guidance",
    "csods-guidance",
    "channel-guidance",
    "send-code",
    "plo",
    "sgo-guidance",
    "pace-code-c",
    "abe-guidance",
    "bullying-guidance",
    "police-contact",
]


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


def cites_a_listed_document(pack: ContentPack, ref: SourceRef) -> bool:
    """The document is listed, and the citation points into it: a section, or a public address."""
    doc = pack.document(ref.doc)
    return doc is not None and bool(ref.section or doc.url)


# --- topics and indicators ----------------------------------------------------------------------


def test_every_new_topic_exists_with_a_cited_note_and_at_least_two_indicators(pack: ContentPack) -> None:
    levels = pack.get(Levels)
    for topic_id in NEW_TOPICS:
        topic = levels.topic(topic_id)
        assert topic is not None, topic_id
        assert cites_a_listed_document(pack, topic.source), topic_id
        assert topic.note, f"{topic_id} has no note giving its route"
        indicators = [i for lv in levels.levels for i in lv.indicators if topic_id in i.topics]
        assert len(indicators) >= 2, topic_id
        assert all(cites_a_listed_document(pack, i.source) for i in indicators), topic_id


def test_new_topics_are_mostly_worries_at_levels_2_to_4(pack: ContentPack) -> None:
    """Level 1 holds strengths only, so a new topic has at most one indicator there and its
    worries sit at levels 2 to 4."""
    levels = pack.get(Levels)
    for topic_id in NEW_TOPICS:
        by_level = {lv.number: [i for i in lv.indicators if topic_id in i.topics] for lv in levels.levels}
        assert len(by_level[1]) <= 1, topic_id
        assert sum(len(by_level[n]) for n in (2, 3, 4)) >= 2, topic_id


def test_indicators_placed_in_medways_levels_are_flagged_for_confirmation(pack: ContentPack) -> None:
    """Medway's own level descriptors are not in the seeds, so every indicator on a new topic
    awaits the partnership's confirmation (and the answers carry the sample banner)."""
    levels = pack.get(Levels)
    new = [i for lv in levels.levels for i in lv.indicators if set(i.topics) & set(NEW_TOPICS)]
    assert new and all(i.unconfirmed for i in new)
    assert pack.is_sample


@pytest.mark.parametrize(
    ("topic_id", "words"),
    [
        ("physical-abuse", ["baby", "crawl"]),  # any injury to a baby who is not yet mobile
        ("sexual-abuse", ["tells you", "sexual"]),  # a child's disclosure
        ("self-harm", ["end their life", "plan"]),  # suicidal intent with a plan
        ("domestic-abuse", ["strangled"]),  # non-fatal strangulation
        ("harmful-practices", ["cut"]),  # known FGM
        ("harmful-practices", ["immediate risk of FGM"]),  # FGM about to happen
        ("harmful-practices", ["marry"]),  # forced marriage
        ("harmful-practices", ["honour"]),  # honour-based abuse
        ("missing", ["goes missing", "money"]),  # missing with signs of exploitation
    ],
)
def test_the_signs_every_practitioner_must_act_on_are_clear_level_4_indicators(
    pack: ContentPack, topic_id: str, words: list[str]
) -> None:
    level4 = pack.get(Levels).level(4)
    assert level4 is not None
    found = [i.text for i in level4.indicators if topic_id in i.topics and all(w in i.text for w in words)]
    assert found, (topic_id, words)


def test_a_parent_hitting_the_other_when_drunk_with_children_at_home_is_an_indicator(pack: ContentPack) -> None:
    levels = pack.get(Levels)
    found = [
        (lv.number, i.topics)
        for lv in levels.levels
        for i in lv.indicators
        if "hits" in i.text and "drunk" in i.text and "children" in i.text
    ]
    assert found and all("domestic-abuse" in topics and "substance-misuse" in topics for _n, topics in found)
    assert all(n >= 3 for n, _ in found)


def test_poverty_and_the_cost_of_living_sit_under_money_worries(pack: ContentPack) -> None:
    levels = pack.get(Levels)
    finances = levels.topic("finances")
    assert finances is not None and {"poverty", "cost of living"} <= set(finances.aliases)
    texts = [i.text for lv in levels.levels for i in lv.indicators if "finances" in i.topics]
    assert any("cost of living" in t for t in texts) and any("Poverty" in t for t in texts)


def test_the_mandatory_fgm_report_goes_to_the_police_on_101(pack: ContentPack) -> None:
    topic = pack.get(Levels).topic("harmful-practices")
    assert topic is not None and "101" in topic.note and "under 18" in topic.note


# --- what a practitioner sees -------------------------------------------------------------------


@pytest.fixture
async def bot(database_url: str, tmp_path: Path) -> AsyncIterator[Runtime]:
    """The whole bot in console mode on each database backend (PostgreSQL when TEST_DATABASE_URL is set)."""
    from tests.conftest import START, _clean_postgres

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        database_url=database_url,
        survey_secret="test-key-Qz8vWm2Lp9Xr4Nf7Hc",  # type: ignore[arg-type]
    )
    runtime = await Runtime.create(settings, clock=FrozenClock(START), console_mode=True)
    if runtime.ctx.db.is_postgres:
        await _clean_postgres(runtime.ctx.db)
    yield runtime
    await runtime.ctx.db.dispose()


async def ask(runtime: Runtime, name: str, words: str = "") -> Reply:
    outcome = await runtime.dispatcher.handle(command(name, words))
    assert outcome.error_id is None and len(outcome.replies) == 1, outcome
    return outcome.replies[0]


async def test_contacts_show_999_confirmed_and_101_for_the_police(bot: Runtime) -> None:
    answer = await ask(bot, "contacts")
    listing = next(b.text for b in answer.blocks if isinstance(b, Text) and b.text.startswith("- "))
    entries = re.split(r"\n(?=- \*\*)", listing)
    emergency = entries[0]
    assert emergency.startswith("- **Police — emergency** — 999")
    assert "to be confirmed" not in emergency
    police_101 = [e for e in entries if re.search(r"\*\* — 101\b", e)]
    assert len(police_101) == 1 and "to be confirmed" not in police_101[0]
    # the local numbers are kept, still awaiting the partnership's confirmation
    for number in ("01634 334466", "03000 419191", "01622 690690", "0808 800 5000", "0800 1111"):
        entry = next(e for e in entries if number in e)
        assert "_(to be confirmed)_" in entry


@pytest.mark.parametrize(
    ("question", "topic_id"),
    [
        ("private fostering", "private-fostering"),
        ("fabricated or induced illness", "fabricated-illness"),
        ("children missing education", "missing-education"),
        ("elective home education", "missing-education"),
        ("bullying", "child-on-child"),
        ("teenage relationship abuse", "relationship-abuse"),
        ("registered sex offender", "risk-to-children"),
        ("accused of witchcraft", "faith-abuse"),
        ("homeless 16 year old", "homeless-16-17"),
        ("parent in prison", "parent-in-prison"),
    ],
)
async def test_asking_about_a_new_topic_shows_its_indicators(bot: Runtime, question: str, topic_id: str) -> None:
    shown = (await ask(bot, "threshold", question)).all_text()
    levels = bot.ctx.pack.get(Levels)
    ours = [i.text for lv in levels.levels for i in lv.indicators if topic_id in i.topics]
    assert any(text in shown for text in ours), question


# --- glossary -----------------------------------------------------------------------------------


def test_every_term_practitioners_meet_has_a_cited_entry(pack: ContentPack) -> None:
    glossary = pack.get(Glossary)
    by_key = {key(name): e for e in glossary.entries for name in (e.term, *e.aliases)}
    missing = [t for t in TERMS if key(t) not in by_key]
    assert not missing
    for term in TERMS:
        entry = by_key[key(term)]
        assert entry.expansion and entry.meaning, term
        assert pack.document(entry.source.doc) is not None, term


@pytest.mark.parametrize("term", ["PLO", "ICPC", "MAPPA", "S20", "section 17", "CPP", "FII", "EHCP", "ABE", "CCE"])
async def test_glossary_answers_a_new_term_with_its_expansion_and_source(bot: Runtime, term: str) -> None:
    shown = (await ask(bot, "glossary", term)).all_text()
    entry = next(e for e in bot.ctx.pack.get(Glossary).entries if key(term) in {key(n) for n in (e.term, *e.aliases)})
    assert f"{entry.term} — {entry.expansion}" in shown
    assert "Source: " in shown


# --- documents ----------------------------------------------------------------------------------


def test_each_national_document_cited_has_a_title_and_a_public_address(pack: ContentPack) -> None:
    for doc_id in NATIONAL_DOCUMENTS:
        doc = pack.document(doc_id)
        assert doc is not None, doc_id
        assert doc.title and doc.url.startswith("https://"), doc_id


def test_every_source_in_the_pack_names_a_listed_document(pack: ContentPack) -> None:
    refs: list[SourceRef] = []
    levels = pack.get(Levels)
    refs += [t.source for t in levels.topics]
    refs += [i.source for lv in levels.levels for i in lv.indicators]
    refs += [e.source for e in pack.get(Glossary).entries]
    refs += [c.source for c in pack.get(Contacts).contacts]
    assert refs and all(pack.document(r.doc) is not None for r in refs)
