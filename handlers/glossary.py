"""/glossary: what another agency's abbreviation stands for and means.

Content: `glossary.yaml` in the content pack (the `Glossary` model below). An unknown term gets
the closest known ones as buttons (`/glossary LAD` offers LADO); a word such as
"exploitation" lists the terms whose meaning mentions it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import Field
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.model import Button, Buttons, Header, Reply, Request, Text, reply
from core.registry import action, command
from core.sanitise import CALL_TO_EVERYONE, echoed
from handlers import contacts, guidance, safety


class GlossaryEntry(Cited):
    term: str = Field(min_length=1, max_length=20)  # as written, e.g. "GCP2"
    expansion: str
    meaning: str  # one line, in plain words
    aliases: list[str] = Field(default_factory=list)  # other spellings, older names


class Glossary(Strict):
    entries: list[GlossaryEntry] = Field(min_length=1)


def key(text: str) -> str:
    """How terms are compared: letters and digits only, lower case ("GCP 2" == "gcp2")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _check(pack: ContentPack, value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    assert isinstance(value, Glossary)
    owner: dict[str, int] = {}  # the key of each term and alias, and the entry that has it
    for i, entry in enumerate(value.entries):
        for j, name in enumerate((entry.term, *entry.aliases)):
            k = key(name)
            if not k:
                yield ("entries", i, "term"), f"{name!r} has no letters or digits"
                continue
            first = owner.setdefault(k, i)
            if first == i:
                continue
            other = value.entries[first].term
            if j == 0 and key(other) == k:
                yield ("entries", i, "term"), f"term {name!r} is used twice; terms must be unique"
                break  # its aliases would only repeat the same problem
            yield ("entries", i, "term"), f"{name!r} is already used by {other!r}"


GLOSSARY = Section("glossary", "glossary.yaml", Glossary, cross_check=_check)


@dataclass
class GlossaryIndex:
    by_key: dict[str, GlossaryEntry]
    keys: list[str]  # term keys, for fuzzy suggestions
    meanings: guidance.TextIndex  # entries by the words of their expansion and meaning


def _build(pack: ContentPack) -> GlossaryIndex:
    glossary = pack.get(Glossary)
    by_key: dict[str, GlossaryEntry] = {}
    for entry in glossary.entries:
        for name in (entry.term, *entry.aliases):
            by_key.setdefault(key(name), entry)
        by_key.setdefault(key(entry.expansion), entry)
    texts = [f"{e.expansion} {e.meaning}" for e in glossary.entries]
    vocabulary = guidance.Vocabulary(guidance.thesaurus(pack), texts)
    meanings = guidance.TextIndex.build(vocabulary, [(e.term, t) for e, t in zip(glossary.entries, texts, strict=True)])
    return GlossaryIndex(by_key, [key(e.term) for e in glossary.entries], meanings)


def index_of(pack: ContentPack) -> GlossaryIndex:
    return guidance.cached(pack, "glossary", _build)


def lookup(pack: ContentPack, term: str) -> GlossaryEntry | None:
    return index_of(pack).by_key.get(key(term))


# Inside a longer question, a one-word name this common in English ("can", "send", "prevent") is
# read as a term only when typed in capitals as the term is written ("SEND support").
EVERYDAY_ZIPF = 4.0
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’-][A-Za-z0-9]+)*")
_LONGEST_NAME = 6  # words: "Section 17 of the Children Act" and longer are found by their start


def _entry_named(index: GlossaryIndex, words: list[str]) -> GlossaryEntry | None:
    k = key(" ".join(words))
    entry = index.by_key.get(k)
    if entry is None and k.endswith("s") and words[-1][-1] in "sS":
        entry = index.by_key.get(k.removesuffix("s"))  # "LADOs", "Lado's", "EHCPs"
    if entry is None or len(words) > 1:
        return entry
    word = words[0]
    if safety.word_zipf(word.lower()) < EVERYDAY_ZIPF:
        return entry
    written = (entry.term, *entry.aliases)
    return entry if word.isupper() and any(word.removesuffix("s") == w or word == w for w in written) else None


def named_in(pack: ContentPack, text: str) -> list[GlossaryEntry]:
    """The entries whose term, alias or full name appears among other words ("LADO referral",
    "what happens at a MARAC", "child in need plan"), the longest name first, then in order."""
    return _named(pack, text)[0]


def asks_about_a_term(pack: ContentPack, text: str) -> bool:
    """Whether the text is about a term it names ("what is a LADO", "MARAC?", "when do I need a
    GCP2"), not a worry that names one in passing ("the health visitor is worried about a baby's
    weight"): at most one word besides the terms and the little words."""
    found, others = _named(pack, text)
    return bool(found) and len([w for w in others if w.lower() not in guidance.STOPWORDS]) <= 1


def _named(pack: ContentPack, text: str) -> tuple[list[GlossaryEntry], list[str]]:
    """The entries named, and the words outside their names."""
    index = index_of(pack)
    words = _WORD.findall(text)
    taken = [False] * len(words)
    found: list[GlossaryEntry] = []
    for n in range(min(_LONGEST_NAME, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            if any(taken[i : i + n]):
                continue
            entry = _entry_named(index, words[i : i + n])
            if entry is None:
                continue
            taken[i : i + n] = [True] * n
            if entry not in found:
                found.append(entry)
    return found, [w for w, t in zip(words, taken, strict=True) if not t]


# A term written with dots between its letters ("L.A.D.O", "F.G.M."). Three letters or more, so a
# person's initials ("J.S.") are still the guard's to judge.
_DOTTED = re.compile(r"(?<![\w.])(?:[A-Za-z]\.){2,}[A-Za-z]?\.?(?![\w.])")


def only_terms(pack: ContentPack, text: str) -> bool:
    """Whether the text is the pack's own terms and ordinary lower-case words ("the LADOs", "what
    does a SENCO do"), and so names nobody: the guard's learned reader, made for longer lines,
    would take a few capital letters for a person. Its patterns still read the text."""
    index = index_of(pack)
    words = _WORD.findall(text)
    terms = [i for i, w in enumerate(words) if _entry_named(index, [w]) is not None]
    # a capital opens a question ("What does...") but also a name ("Grace CSE"): only a question's
    # own first words may have one
    ordinary = [
        i
        for i, w in enumerate(words)
        if (w.islower() or (i == 0 and w.lower() in _OPENING_WORDS)) and safety.word_zipf(w.lower()) >= EVERYDAY_ZIPF
    ]
    return bool(terms) and len(set(terms) | set(ordinary)) == len(words)


_OPENING_WORDS = frozenset(
    ["what", "whats", "the", "a", "an", "is", "who", "how", "does", "do", "where", "when", "why", "can", "define"]
)


def undotted(pack: ContentPack, text: str) -> str:
    """The text with dotted terms written plainly ("L.A.D.O referral" -> "LADO referral"), so the
    guard does not take a term's letters for someone's initials."""
    index = index_of(pack)

    def plain(m: re.Match[str]) -> str:
        k = key(m.group())
        return m.group().replace(".", "") if len(k) >= 3 and k in index.by_key else m.group()

    return _DOTTED.sub(plain, text)


# In an abbreviation this short, another letter makes another term (NFA is not NAI, CSA not CSE):
# only a letter added, lost or two swapped ("MSH", "DLS") reads as a slip of the one meant.
_SHORT_TERM = 4


_LOOKALIKES = str.maketrans("0", "o")  # "LAD0": a zero typed for the letter O


def _slip_of(typed: str, known: str) -> bool:
    if len(typed) > _SHORT_TERM or typed.translate(_LOOKALIKES) == known.translate(_LOOKALIKES):
        return True
    # a key pressed twice ("LAAD" for LADO) is the slip of the word with it pressed once
    once = re.sub(r"(.)\1+", r"\1", typed)
    return any(
        OSA.distance(form, known) == 1 and (len(form) != len(known) or sorted(form) == sorted(known))
        for form in {typed, once}
    )


def suggestions(pack: ContentPack, term: str, limit: int = 3) -> list[GlossaryEntry]:
    """Known terms close to an unknown one: those it starts, then the closest spellings."""
    index = index_of(pack)
    wanted = key(term)
    if not wanted:
        return []
    found: list[str] = [k for k in index.keys if k.startswith(wanted) and k != wanted]
    for match, _score, _i in process.extract(wanted, index.keys, scorer=fuzz.ratio, limit=limit + 2, score_cutoff=60):
        if match not in found and _slip_of(wanted, match):
            found.append(match)
    return [index.by_key[k] for k in found[:limit]]


def describe(pack: ContentPack, entry: GlossaryEntry) -> list[Any]:
    also = f"\n_Also written:_ {', '.join(entry.aliases)}" if entry.aliases else ""
    blocks: list[Any] = [
        Header(text=f"{entry.term} — {entry.expansion}"),
        Text(text=f"{entry.meaning}{also}"),
    ]
    if sources := guidance.sources_line(pack, [entry.source]):
        blocks.append(sources)
    return blocks


def _choices(entries: list[GlossaryEntry]) -> Buttons:
    return Buttons(buttons=[Button(label=e.term, action_id="glossary:show", value=key(e.term)) for e in entries])


def how_to_use(pack: ContentPack) -> list[Any]:
    terms = sorted((e.term for e in pack.get(Glossary).entries), key=str.lower)
    return [
        Header(text="/glossary — what an abbreviation means"),
        Text(
            text="Type **/glossary** and the abbreviation, e.g. `/glossary LADO` or `/glossary GCP2`. "
            "A word works too: `/glossary exploitation` lists the terms about it.\n\n"
            f"**Terms I know ({len(terms)}):** " + ", ".join(terms)
        ),
    ]


# The way people ask: "what does LADO stand for?", "what is a CIN plan", "meaning of PLO". Read
# word by word: one pattern with `.+?` between runs of `\s*` took hours over a run of spaces.
_ASKED_BEFORE = (("what", "does"), ("what", "do"), ("what", "is"), ("what", "are"), ("what", "s"), ("wat", "does"),
                 ("wat", "do"), ("wat", "is"), ("wat", "are"), ("whats",), ("the", "meaning", "of"),
                 ("meaning", "of"), ("define",))  # fmt: skip
_ASKED_AFTER = (("stand", "for"), ("stands", "for"), ("mean",), ("means",))


def asked_term(text: str) -> str | None:
    """The term in a question about one ("what does LADO stand for?" -> "LADO"), or None when the
    text is not asked that way."""
    words = text.strip().rstrip("?").replace("'", " ").split()
    lowered = [w.lower() for w in words]
    start = next((len(p) for p in _ASKED_BEFORE if tuple(lowered[: len(p)]) == p), 0)
    if not start:
        return None
    if start < len(words) and lowered[start] in ("a", "an", "the") and lowered[0] in ("what", "wat", "whats"):
        start += 1
    end = next((len(words) - len(p) for p in _ASKED_AFTER if tuple(lowered[-len(p) :]) == p), len(words))
    return " ".join(words[start:end]) or None


def answer(pack: ContentPack, text: str, *, echo: bool = True) -> tuple[list[Any], str]:
    """The blocks for a /glossary question, and the topic to count it under. A lookup that reads as
    a child in danger now ("child being hit right now") opens with the 999 line, as /threshold does.
    Without `echo` (the guard thought the text may name someone) nothing typed is shown back."""
    searched = CALL_TO_EVERYONE.sub(" ", text)
    if text.strip() and not searched.strip():
        return [_not_a_term(f"“{echoed(text.strip())}”" if echo else "that")], "unknown"
    blocks, topic = _answer(pack, searched, echo=echo, typed=text if searched != text else None)
    if text.strip() and contacts.danger_now(pack, text):
        return [contacts.call_999_now(pack), *blocks], topic
    return blocks, topic


def _answer(pack: ContentPack, text: str, *, echo: bool = True, typed: str | None = None) -> tuple[list[Any], str]:
    """`typed`: what was typed, where `text` is what of it was searched for; shown back whole."""
    wanted = text.strip()
    if not wanted:
        return how_to_use(pack), "how-to"
    entry = lookup(pack, wanted)
    if entry is None and (asked := asked_term(wanted)):
        # "what does X mean": X is the question, and "mean" or "what" must not be searched for
        wanted = asked
        entry = lookup(pack, wanted)
    if entry is not None:
        return describe(pack, entry), entry.term
    # A known term with other words ("LADO referral", "CIN plan"): that term, not the words around it
    if named := named_in(pack, wanted):
        blocks = describe(pack, named[0])
        if others := named[1:5]:
            also = ", ".join(f"**{e.term}**" for e in others)
            blocks += [Text(text=f"Also in your question: {also}"), _choices(others)]
        return blocks, named[0].term
    # shown back as text, which can form no link, formatting or mention; never a name the guard saw
    shown = f"“{echoed(typed.strip() if typed is not None else wanted)}”" if echo else "that"
    close = suggestions(pack, wanted)
    index = index_of(pack)
    about = [h.key for h in index.meanings.search(index.meanings.query(wanted), min_score=0.5)][:6]
    # one word a letter or two from a term ("MARRAC") is that term misspelt, not a topic to search
    misspelt = " " not in wanted and any(fuzz.ratio(key(e.term), key(wanted)) >= 80 for e in close)
    if about and len(key(wanted)) > 4 and not misspelt:
        entries = [index.by_key[key(t)] for t in about]
        lines = "\n".join(f"- **{e.term}** — {e.expansion}" for e in entries)
        return [
            Header(text=f"Terms about {shown}"),
            Text(text=lines),
            _choices(entries[:5]),
        ], "search"
    if close:
        options = ", ".join(f"**{e.term}** ({e.expansion})" for e in close)
        return [
            Text(text=f"I don't have {shown} in the glossary. Did you mean {options}?"),
            _choices(close),
        ], "unknown"
    return [_not_a_term(shown)], "unknown"


def _not_a_term(shown: str) -> Text:
    return Text(
        text=f"I don't have {shown} in the glossary, and nothing close to it. Type /glossary to see "
        "every term I know, or ask your DSL or manager."
    )


def terms_for(pack: ContentPack, typed: str) -> list[str]:
    """Glossary terms to offer while someone types (Discord's autocomplete)."""
    glossary = pack.get(Glossary)
    wanted = key(typed)
    terms = [e.term for e in glossary.entries if not wanted or key(e.term).startswith(wanted)]
    return terms or [e.term for e in suggestions(pack, typed, limit=10)]


@command(
    "glossary",
    usage="TERM",
    suggest=terms_for,
    help="What an abbreviation means (e.g. LADO, MASH, GCP2).",
    long_help="Give an abbreviation to see what it stands for and means, e.g. /glossary LADO. "
    "Unknown terms get the closest ones I know; /glossary alone shows how to use it.",
)
async def glossary_command(req: Request, ctx: Context) -> Reply:
    pack = ctx.pack
    text = undotted(pack, req.text)
    screened = await guidance.read_off_loop(text, contacts.screen, pack, text, second_reader=not only_terms(pack, text))
    blocks, topic = answer(pack, screened.text, echo=not screened.had_identifiers)
    await guidance.count_lookup(ctx, "glossary", topic)
    return _reply(pack, blocks, screened.had_identifiers)


@action("glossary:show", pattern=r"^[a-z0-9]{1,20}$")
async def glossary_show(req: Request, ctx: Context) -> Reply:
    """A suggestion button was pressed: show that term."""
    pack = ctx.pack
    entry = lookup(pack, req.value)
    if entry is None:
        blocks, topic = how_to_use(pack), "how-to"
    else:
        blocks, topic = describe(pack, entry), entry.term
    await guidance.count_lookup(ctx, "glossary", topic)
    return _reply(pack, blocks, False)


def _reply(pack: ContentPack, blocks: list[Any], warn: bool) -> Reply:
    top: list[Any] = []
    if banner := guidance.sample_banner(pack):
        top.append(banner)
    if warn:
        top.append(guidance.identifier_warning())
    return reply(*top, *blocks)
