"""What the safeguarding lookups (/threshold, /escalation, /glossary, /contacts) share.

- the pack's synonyms (synonyms.yaml) and the text matching built on them: typos are corrected
  against the pack's own words with rapidfuzz, abbreviations and other names are mapped to one
  canonical phrase, and entries are ranked by how much of the question they cover;
- the sample-content banner, the judgement reminder and the identifiable-details warning;
- counting lookups per week, command and topic (never who asked, never what they typed), in a
  way that cannot stop an answer when the database is away.

Match indexes are built once per loaded pack and cached on it, so a lookup costs a few
dictionary reads and a handful of fuzzy comparisons.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import logging
import math
import re
import threading
import unicodedata
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import Field
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.model import Caption, Text
from core.wordset import WordSet
from handlers import safety

log = logging.getLogger("sgbot.lookups")

# --- the synonyms section ------------------------------------------------------------------------


class SynonymGroup(Cited):
    """Words that mean the same to practitioners; every term is read as `means`."""

    means: str
    terms: list[str] = Field(min_length=1)


class Concept(Cited):
    """Everyday ways of describing one worry, and the pack topics they point to.

    A phrase is a few words in order, with up to two other words between them ("stepdad
    touches her" matches "stepdad {touch} {child}"-like phrases); words are compared after
    spelling correction and stemming, so "touched", "touches" and "touching" are one word.
    `{name}` in a phrase stands for any word of the word class `name` (under `words:`).
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str  # as shown in "You mentioned: ..."
    topics: list[str] = Field(min_length=1)  # topic ids in levels.yaml, the main one first
    phrases: list[str] = Field(min_length=1)
    hints: list[str] = Field(default_factory=list)  # the pack's own words for it, to pick the closest indicator
    # A serious signal (a disclosure, an injured baby, suicidal intent...): that level's
    # indicators for these topics come first.
    level: int | None = Field(default=None, ge=1, le=9)


class Synonyms(Strict):
    groups: list[SynonymGroup] = Field(default_factory=list)
    # idioms concept phrases never match across ("keep in touch", "kicked {victim} out"), except a
    # phrase that says the idiom's own words
    ignore: list[str] = Field(default_factory=list)
    words: dict[str, list[str]] = Field(default_factory=dict)  # word classes for concept phrases
    concepts: list[Concept] = Field(default_factory=list)


_SLOT = re.compile(r"\{([a-z0-9-]+)\}")


def _check_synonyms(pack: ContentPack, value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    """Concepts point at topics that exist, use word classes that exist, and have distinct ids."""
    assert isinstance(value, Synonyms)
    problems: list[tuple[tuple[Any, ...], str]] = []
    for name, members in value.words.items():
        for j, member in enumerate(members):
            if len(words_of(member)) != 1:
                problems.append((("words", name, j), f"a word class holds single words; {member!r} is not one"))
    for j, idiom in enumerate(value.ignore):
        for slot in _SLOT.findall(idiom):
            if slot not in value.words:
                problems.append((("ignore", j), f"{{{slot}}} is not a word class under words"))
    return problems + _concept_problems(pack, value.concepts, value.words, set())


def _check_more_concepts(pack: ContentPack, value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    """As synonyms.yaml's concepts, with its word classes, and ids distinct from its concepts' too."""
    assert isinstance(value, MoreConcepts)
    synonyms = pack.find(Synonyms)
    if synonyms is None and pack.failed_to_load(Synonyms):
        return []  # its own problems are listed; word classes it holds cannot be checked without it
    words = synonyms.words if synonyms else {}
    return _concept_problems(pack, value.concepts, words, {c.id for c in synonyms.concepts} if synonyms else set())


def _concept_problems(
    pack: ContentPack, concepts: list[Concept], words: dict[str, list[str]], seen: set[str]
) -> list[tuple[tuple[Any, ...], str]]:
    levels = pack.sections.get("levels")  # the /threshold section, if this pack has one
    topic_ids = {t.id for t in getattr(levels, "topics", [])}
    level_numbers = {lv.number for lv in getattr(levels, "levels", [])}
    problems: list[tuple[tuple[Any, ...], str]] = []
    for i, concept in enumerate(concepts):
        if concept.id in seen:
            problems.append((("concepts", i, "id"), f"two concepts share the id {concept.id!r}"))
        seen.add(concept.id)
        if levels is not None:
            for topic in concept.topics:
                if topic not in topic_ids:
                    problems.append((("concepts", i, "topics"), f"topic {topic!r} is not listed in levels.yaml"))
            if concept.level is not None and concept.level not in level_numbers:
                problems.append((("concepts", i, "level"), f"level {concept.level} is not in levels.yaml"))
        for j, phrase in enumerate(concept.phrases):
            for slot in _SLOT.findall(phrase):
                if slot not in words:
                    problems.append((("concepts", i, "phrases", j), f"{{{slot}}} is not a word class under words"))
            if not words_of(_SLOT.sub(" ", phrase)) and not _SLOT.search(phrase):
                problems.append((("concepts", i, "phrases", j), "a phrase needs at least one word"))
    return problems


SYNONYMS = Section("synonyms", "synonyms.yaml", Synonyms, required=False, cross_check=_check_synonyms)


class MoreConcepts(Strict):
    """concepts.yaml: more of the thesaurus's concepts, read after synonyms.yaml's own, in the same
    form and with its word classes. Every pack file is held to a size (core/contentpack.py), and
    the thesaurus outgrew one file."""

    concepts: list[Concept] = Field(default_factory=list)


CONCEPTS = Section("concepts", "concepts.yaml", MoreConcepts, required=False, cross_check=_check_more_concepts)


def thesaurus(pack: ContentPack) -> Synonyms | None:
    """synonyms.yaml with concepts.yaml's concepts after its own: what every lookup reads."""
    return cached(pack, "thesaurus", _thesaurus)


def _thesaurus(pack: ContentPack) -> Synonyms | None:
    synonyms, more = pack.find(Synonyms), pack.find(MoreConcepts)
    if more is None or not more.concepts:
        return synonyms
    if synonyms is None:
        return Synonyms(concepts=list(more.concepts))
    return synonyms.model_copy(update={"concepts": [*synonyms.concepts, *more.concepts]})


# --- wording every lookup shares ---------------------------------------------------------------

JUDGEMENT_REMINDER = (
    "This supports your professional judgement, it doesn't replace it — talk it through with your DSL or manager."
)
NO_DECISION = (
    "I can't say where a particular child's situation sits: that takes your professional judgement, "
    "with your DSL or manager, and the front door's decision."
)


def sample_banner(pack: ContentPack) -> Caption | None:
    """A short banner while any fact awaits the partnership's confirmation."""
    if not pack.is_sample:
        return None
    reason = (
        "it has not been reviewed yet"
        if pack.partnership.reviewed_on is None
        else f"{pack.unconfirmed_count} item(s) await confirmation"
    )
    return Caption(text=f"Sample content: {pack.partnership.short_name} still has to confirm this guidance ({reason}).")


def identifier_warning() -> Text:
    return Text(text=f"**Privately, a reminder:** {safety.warning_text()} What you typed has not been kept.")


def sources_line(pack: ContentPack, refs: Iterable[Any]) -> Caption | None:
    """One grey line naming each distinct source, in order of first use."""
    titles: dict[str, str] = cached(pack, "document-titles", lambda p: {d.id: d.title for d in p.partnership.documents})
    seen: dict[str, None] = {}
    for ref in refs:
        title = titles.get(ref.doc, ref.doc)
        seen.setdefault(f"{title}, {ref.section}" if ref.section else title, None)
    if not seen:
        return None
    cited = list(seen)
    return Caption(text="Source: " + "; ".join(cited[:4]) + ("; and others" if len(cited) > 4 else ""))


@dataclass(frozen=True)
class Screened:
    """Lookup text after the identifiable-details guard: safe to match, count and show."""

    text: str
    had_identifiers: bool


# Words that only introduced a removed detail ("DOB", "NHS number", "called"); left in, they would
# steer the match towards unrelated indicators (e.g. "date of birth" towards pre-birth).
_CUES = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on| in)?|nhs(?: number| no\.?)?|post ?code|address|lives at|"
    r"phone(?: number)?|mobile|tel\.?|e-?mail|called|named|known as|(?:first |sur)?name(?: is)?|age[d]?)\b",
    re.IGNORECASE,
)


def screen(
    text: str, public_numbers: Iterable[str] = (), review_names: Iterable[str] = (), *, second_reader: bool = True
) -> Screened:
    """Take identifying details, and the words that introduced them, out before anything else sees
    the text. `second_reader=False` leaves out the guard's learned reader, for a text already known
    to be only the pack's own terms and ordinary words."""
    findings = safety.find_identifiers(text, public_numbers=public_numbers, review_names=review_names)
    if not findings:
        if second_reader and safety.may_identify(text):
            # nothing to take out, but the warning is shown: it reads like a particular child
            log.info("lookup text may identify someone (the guard's second reader); answered with the warning")
            return Screened(text, True)
        return Screened(text, False)
    log.info("lookup text held %d identifying detail(s); answered without them", len(findings))
    kept: list[str] = []
    last = 0
    for finding in findings:
        kept.append(text[last : finding.start])
        kept.append(" ")
        last = finding.end
    kept.append(text[last:])
    cleaned = _CUES.sub(" ", "".join(kept))
    return Screened(re.sub(r"\s+([,.;:])|\s{2,}", lambda m: m.group(1) or " ", cleaned).strip(" ,;:"), True)


# --- counting ----------------------------------------------------------------------------------

COUNT_TIMEOUT_SECONDS = 1.0


async def count_lookup(ctx: Context, command: str, topic: str) -> None:
    """Add one to this week's count. It is counted in memory and written in a batch (see
    storage/lookups.py), so the answer never waits for the database and no count is lost
    while the database is slow or away."""
    from storage import lookups

    week = lookups.week_start(ctx.local_now().date())
    lookups.count(ctx.db, week=week, command=command, topic=topic)


async def count_assessment(
    ctx: Context, command: str, *, concerns: Sequence[str] = (), off_topic: bool = False, nothing_close: bool = False
) -> None:
    """Count what a question was about, for `sgbot report lookups`: one count per concern
    recognised (a topic id from the pack), and one for a question that found nothing close or
    was not about safeguarding. Built on count_lookup, so it shares its batching and its
    never-fail behaviour; the typed text is never passed on."""
    from storage import lookups

    for topic in list(dict.fromkeys(concerns))[: lookups.MAX_CONCERNS]:
        await count_lookup(ctx, lookups.concern_command(command), topic)
    if off_topic or nothing_close:
        await count_lookup(ctx, lookups.outcome_command(command), "off-topic" if off_topic else "nothing-close")


# --- text matching -------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORD_LIST = (
    "a an and are as at be been being but by can could did do does doing for from had has have how i if in into "
    "is it its me my of on or our should so than that the their them then there these they this those to too "
    "us was we were what when where which who whom why will with would you your about after again any also "
    "am just only other over some such very much many more most own same under up down out off once here "
    "please help worried worry concern concerned concerns think know need needs tell level levels threshold "
    "thresholds case child children young person people kid kids family meet meets met reach reaches "
    "he she him her his hers himself herself"
)
STOPWORDS = frozenset(_STOPWORD_LIST.split())


_DOUBLED = frozenset("bdgmnprt")
_VOWELS = frozenset("aeiou")


# Not memoised: building the pack's index took as long without a memo (0.32 s), which held 5,200
# stems (0.6 MB) from then on and grew towards 65,536 as words were typed; a question stems about 17.
def stem(word: str) -> str:
    """A light stemmer: enough for 'drinking'/'drinks'/'drink', 'abuse'/'abused',
    'hits'/'hitting'/'hit' and 'caring'/'cares'/'care', no extra library."""
    if not word.endswith("ss"):
        for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + keep
                # "hitting" -> "hit", "stopped" -> "stop" (but "falling" keeps its double l)
                if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] in _DOUBLED:
                    word = word[:-1]
                elif suffix in ("ing", "ed", "es") and len(word) == 3 and _short_syllable(word):
                    word += "e"  # "caring"/"cares" -> "care", "living" -> "live", "raped" -> "rape"
                break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def _short_syllable(word: str) -> bool:
    """Consonant, vowel, consonant ("car", "liv"): a word that lost a silent e before its suffix."""
    return word[0] not in _VOWELS and word[1] in _VOWELS and word[2] not in _VOWELS and word[2] not in "wxy"


_ORDINARY: tuple[WordSet, WordSet] | None = None
ORDINARY_ZIPF = 3.0  # about once in a million words of everyday English
REAL_WORD_ZIPF = 2.5  # rarer than ordinary, still a word people write: "clamped", "groped"
COMMON_ZIPF = 4.5  # about once in thirty thousand: "told", "year", "friend"


def _word_lists() -> tuple[WordSet, WordSet]:
    global _ORDINARY
    if _ORDINARY is None:
        found = list(safety.english_words_by_zipf("small", ORDINARY_ZIPF))
        ordinary = {w.replace("'", "") for _zipf, words in found for w in words}
        common = {w.replace("'", "") for zipf, words in found if zipf >= COMMON_ZIPF for w in words}
        # 28,000 words held for every question: 0.3 MB as a WordSet, 2.6 MB as a frozenset
        _ORDINARY = (
            WordSet(w for w in ordinary if _WORD.fullmatch(w)),
            WordSet(w for w in common if _WORD.fullmatch(w)),
        )
    return _ORDINARY


def ordinary_words() -> WordSet:
    """Everyday English words (wordfreq's list of words at least as common as ORDINARY_ZIPF),
    which spelling correction must never rewrite: 'house' is not a typo for 'whose'."""
    return _word_lists()[0]


def is_real_word(word: str) -> bool:
    """A word English uses, if rarely ("clamped", "groped"): never a typo for a pack word. It reads
    the guard's word list, so this costs no more memory."""
    return safety.word_zipf(word) >= REAL_WORD_ZIPF


_LETTER_RUNS = re.compile(r"[^\W\d_]+")


def mostly_not_english(text: str) -> bool:
    """A question in another language ("dziecko ma siniaki na twarzy i boi się"), which the
    guidance, written in English, cannot read: three words or more, fewer than half of them
    English, and letters English does not use (English typed in haste has as few English words,
    "worreid abot negelct", but only English letters); or, typed without its accents ("mi hijo no va
    a la escuela"), four words or more with everyday words of another language that English does
    not use: a quarter of them, or one among fewer than half English words."""
    words = _LETTER_RUNS.findall(text)
    if len(words) < 3:
        return False
    if not text.isascii() and sum(1 for w in words if is_real_word(w)) * 2 < len(words):
        return True
    foreign, ordinary = _other_languages_words(), ordinary_words()
    folded = [_unaccented(w) for w in words]
    said = sum(1 for w in folded if w in foreign)
    english = sum(1 for w in folded if w in ordinary)
    # a quarter of its words another language's, or one of them with fewer than half English
    return len(words) >= 4 and ((said >= 2 and said * 4 >= len(words)) or (said >= 1 and english * 2 < len(words)))


# Everyday words of the languages most spoken in Medway after English, and a few more, as typed
# without accents; a word English uses too ("casa", "padre", "son", "no") is left out when read.
_OTHER_LANGUAGES = {
    "spanish": (
        "que del los las por para con una su sus pero como muy esta este esto estos hay donde cuando "
        "tiene tengo hijo hija hijos padre madre nino nina ninos escuela casa miedo dice golpea bebe "
        "mucho tambien porque moretones padrastro quiere volver ninas hambre comida todos dias llega "
        "colegio semanas nadie sabe creo mayor vende drogas parque cerca hombre desconocido habla pide "
        "fotos chica escapo otra vez anoche contesta vecina brazos cara sobrino hace dos mucha siempre "
        "nunca ahora"
    ),
    "portuguese": (
        "que nao uma com para por mas como muito esta este isso tem meu minha filho filha filhos pai mae "
        "casa escola medo diz bate bebe tambem porque voltar quer nodoas negras padrasto menino menina "
        "apareceu marcas roxas pernas quis explicar estou preocupada crianca criancas sempre fome magra "
        "dela desde cedo dorme encontrei mochila enteado catorze anos marido irma veem tudo alguem "
        "estranho jogo pediu numero telefone nunca agora"
    ),
    "french": (
        "que les des une pour avec pas est sont mais comme tres cette il elle ils nous vous mon fils "
        "fille enfant enfants pere mere maison ecole peur dit frappe boit beaucoup aussi parce bleus "
        "rentrer veut notre votre leur vu sur dos petit quand change rien mange depuis hier frigo vide "
        "neveu plus college rentree pense fume garcons ages copain bebe meme piece ado fugue troisieme "
        "fois mois faire inconnu envoie bizarres onze ans jamais toujours"
    ),
    "italian": (
        "che della dei delle una per con non sono ma come molto questa questo mio mia figlio figlia figli "
        "padre madre casa scuola paura dice picchia beve anche perche lividi suo sua gli lui lei nostro "
        "vuole tornare bambino bambina bambini sulle braccia caduto dalle scale chiede sempre cibo "
        "compagni mangia nipote frequenta settimane risponde nonno accudisce troppo vino addormenta ho "
        "prenda droghe soldi telefoni nuovi compagno mamma quando ragazza scappata ieri sera sappiamo "
        "dove dorme uomo adulto scrive promesso regali"
    ),
    "polish": (
        "jest nie sie ze na do od po za ale jak bardzo moja moj moje syn corka dziecko dzieci ojciec "
        "matka mama tata dom domu szkola szkoly boi bije pije tez poniewaz chce siniaki twarzy ojca "
        "ojczyma matki wracac sasiadow ciagle glodna prosi jedzenie znalazlam niego jakies tabletki "
        "woreczki proszkiem jej partner placza pokoju obok obcy facet pisze mojej corki spotkac zawsze "
        "nigdy teraz"
    ),
    "romanian": (
        "este nu si cu la pe din pentru dar cum foarte meu mea fiul fiica copilul copiii tatal mama casa "
        "scoala frica spune bate bea mult ca vrea vanatai mamei spate sa spuna cine lovit fetita vine "
        "flamanda fara haine potrivite frig baiatul mai fost luna zile fiecare seara raman "
        "nesupravegheati sotul sora vad totul nepoata fugit acasa doarme prieteni necunoscuti strain "
        "cerut fiicei mele poze"
    ),
    "lithuanian": (
        "yra ne ir su ant is del bet kaip labai mano sunus dukra vaikas vaikai tevas mama namo namai "
        "mokykla bijo muso geria grizti tevo mokyklon neina muse turi melyniu ranku sako kad nukrito "
        "mergaite visada alkana namuose nera maisto jau tris savaites nelanko mokyklos jos vyras prie "
        "vaiku kreiptis policija paauglys pabego namu nezinome kur jis nepazistamas internete raso dukrai "
        "siulo pinigu"
    ),
    "welsh": (
        "mae yn ac o ei eu gyda ar am ond fel iawn fy mab merch plentyn plant tad mam ty ysgol ofn dweud "
        "taro yfed hefyd achos ganddo gleisiau ofnus ddim eisiau"
    ),
    "urdu_hindi": (
        "hai hain nahi nahin aur ka ki ke ko mein se par lekin bahut mera meri beta beti bacha bachay "
        "bachche baap abba ammi maa ghar school dar darta darti maar marta peeta sharab kyun bache bachi "
        "jism neel nishan woh dara hua khana milta bhookhi aati bhatija kai hafton raha mujhe lagta nasha "
        "karta paise gayab ho rahe mere jija behen maarda te bacche sab dekhde ne kuri ton bhaj gayi kal "
        "raat koi pata anjaan aadmi baat milna chahta"
    ),
    "turkish": (
        "bir ve bu da de ile icin ama cok benim oglum kizim cocuk cocuklar baba anne ev okul korkuyor "
        "vuruyor iciyor cocugum okula gitmiyor morluklar sarhos dovuyor cocugun kolunda var sordugumda "
        "cevap vermiyor komsunun kizi her gun ac geliyor evde yemek yok diyor oglumun cantasinda "
        "uyusturucu buldum ne yapmam gerekiyor evden kacti iki gundur haber alamiyoruz internetten "
        "tanimadigi adam kizimla konusuyor fotograf istiyor"
    ),
    "tagalog": (
        "ang ng mga sa ay hindi siya ako anak ko kanyang tatay nanay bahay paaralan takot sinasaktan "
        "umiinom lasing gutom palagi pasa natatakot may bata braso ayaw niyang sabihin kung bakit na "
        "pumapasok pamangkin mula noong nakita gumagamit droga kasama barkada tumakas kong dalagita pa "
        "umuuwi estranghero nagmemessage humihingi litrato"
    ),
}


@functools.cache
def _other_languages_words() -> frozenset[str]:
    ordinary = ordinary_words()
    return frozenset(w for listed in _OTHER_LANGUAGES.values() for w in listed.split() if w not in ordinary)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def common_words() -> WordSet:
    """The most common English words (COMMON_ZIPF): matching on them alone says little."""
    return _word_lists()[1]


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("'", ""))


@dataclass(frozen=True)
class Query:
    """A question (or a pack entry) reduced to stemmed terms."""

    terms: tuple[str, ...]
    # Words the asker typed that a synonym group also stands for ("county lines" beside
    # "exploitation", "DA" beside "domestic abuse"): they help when the pack uses them, and are
    # not held against a match when it doesn't.
    optional: frozenset[str] = frozenset()
    shown: tuple[tuple[str, str], ...] = ()  # term -> the words the asker used for it

    def as_typed(self, terms: Iterable[str]) -> list[str]:
        names = dict(self.shown)
        out: list[str] = []
        for term in terms:
            name = names.get(term, term)
            # "county" adds nothing after "county lines"
            if not any(name == o or name in o.split() for o in out):
                out.append(name)
        return out


class Vocabulary:
    """The pack's own words and synonyms, for typo correction and canonical terms."""

    def __init__(self, synonyms: Synonyms | None, texts: Iterable[str], *, ignored: frozenset[str] = STOPWORDS) -> None:
        self.ignored = ignored  # words that never count as terms
        # phrase (tuple of surface words) -> canonical words
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        surface: set[str] = set()
        for group in synonyms.groups if synonyms else []:
            canonical = words_of(group.means)
            surface.update(canonical)
            for term in [group.means, *group.terms]:
                words = tuple(words_of(term))
                if words:
                    self.phrases.setdefault(words, canonical)
                    surface.update(words)
        self.longest = max((len(p) for p in self.phrases), default=1)
        for concept in synonyms.concepts if synonyms else []:
            for phrase in concept.phrases:
                surface.update(words_of(_SLOT.sub(" ", phrase)))
        for members in synonyms.words.values() if synonyms else []:
            for member in members:
                surface.update(words_of(member))
        for text in texts:
            surface.update(words_of(text))
        self.surface = WordSet(surface)  # the Medway pack's 5,275 words: 0.2 MB less than a frozenset
        self.ordinary = ordinary_words()
        # Words worth correcting to, filed by (first letter, length) and (second letter, length):
        # a typo rarely changes both of the first two letters, so comparing with these few
        # buckets keeps correction fast however large the pack's vocabulary grows. Sorted, so
        # that two equally close words are settled the same way in every process.
        self._first: dict[tuple[str, int], list[str]] = {}
        self._second: dict[tuple[str, int], list[str]] = {}
        for word in sorted(surface):
            if len(word) >= 4 and not word.isdigit():
                self._first.setdefault((word[0], len(word)), []).append(word)
                self._second.setdefault((word[1], len(word)), []).append(word)
        self._corrected: dict[str, str] = {}

    def correct(self, word: str) -> str:
        """The pack word a typo was meant to be; any real word (the pack's, or ordinary
        English) is left exactly as typed."""
        if word in self.surface or word in STOPWORDS or len(word) < 4 or word.isdigit() or word in self.ordinary:
            return word
        known = self._corrected.get(word)
        if known is not None:
            return known
        if is_real_word(word):
            self._corrected[word] = word
            return word
        candidates: dict[str, None] = {}  # ordered: the first of equally close words wins, always
        for n in range(len(word) - 2, len(word) + 3):
            # a typo after the first letter; the first letter dropped or swapped; a letter added in front
            first, second, added = (word[0], n), (word[0], n), (word[1], n)
            for bucket in (self._first.get(first), self._second.get(second), self._first.get(added)):
                candidates.update(dict.fromkeys(bucket or ()))
        # Two letters swapped ("slef", "gril") first: a ratio of common letters scores a swap too low
        # in a short word. Then the closest by that ratio.
        pool = list(candidates)
        letters = sorted(word)
        swaps = [w for w in pool if len(w) == len(word) and sorted(w) == letters and OSA.distance(word, w) == 1]
        cutoff = 80 if len(word) < 7 else 75
        best = process.extractOne(word, pool, scorer=fuzz.ratio, score_cutoff=cutoff)
        # A typo is one slip in a short word (or its own letters out of order, "austim"), two in a
        # longer one: "frappe" is not "rape" with two letters lost, and reading it so would name a
        # worry nobody raised.
        slips = 1 if len(word) <= 6 and (best is None or sorted(best[0]) != letters) else 2
        if best and OSA.distance(word, best[0]) > slips:
            best = None
        found = swaps[0] if swaps else best[0] if best else word
        if len(self._corrected) < 10_000:  # typos repeat; a bounded memo keeps them cheap
            self._corrected[word] = found
        return found

    def tokens(self, text: str, *, correct: bool = True) -> list[str]:
        """The words of `text`, typos corrected."""
        words = words_of(text)
        return [self.correct(w) for w in words] if correct else words

    def analyse(self, text: str, *, correct: bool = True) -> Query:
        """Stemmed terms of `text`, typos corrected, synonyms read as their canonical phrase."""
        return self.analyse_words(self.tokens(text, correct=correct))

    def analyse_words(self, words: list[str]) -> Query:
        """Stemmed terms of words already split (and corrected), synonyms read as their canonical phrase."""
        terms: dict[str, None] = {}
        optional: set[str] = set()
        shown: dict[str, str] = {}

        def add(word: str, as_typed: str, *, extra: bool = False) -> None:
            if word in self.ignored or (len(word) < 2 and not word.isdigit()):
                return
            term = stem(word)
            if term not in terms and extra:
                optional.add(term)
            elif not extra:
                optional.discard(term)
            terms.setdefault(term, None)
            shown.setdefault(term, as_typed)

        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                canonical = self.phrases.get(tuple(words[i : i + size]))
                if canonical is not None:
                    typed = " ".join(words[i : i + size])
                    for word in canonical:
                        add(word, typed)
                    for word in words[i : i + size]:
                        add(word, word, extra=True)
                    i += size
                    break
            else:
                add(words[i], words[i])
                i += 1
        return Query(tuple(terms), frozenset(optional), tuple(shown.items()))


@dataclass(frozen=True)
class Hit:
    key: Any
    score: float  # 0..1: how much of the question this entry covers, nudged by how focused it is
    matched: tuple[str, ...]


CHAMPIONS = 32


@dataclass
class TextIndex:
    """An inverted index over entries; rare words weigh more than common ones (idf)."""

    vocabulary: Vocabulary
    keys: list[Any] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    entry_weight: list[float] = field(default_factory=list)
    boost: list[float] = field(default_factory=list)
    terms: list[frozenset[str]] = field(default_factory=list)

    @classmethod
    def build(cls, vocabulary: Vocabulary, entries: Sequence[tuple[Any, str] | tuple[Any, str, float]]) -> TextIndex:
        """Entries are (key, text) or (key, text, boost); a boost below 1 makes an entry rank lower."""
        index = cls(vocabulary)
        term_sets: list[set[str]] = []
        for key, text, *rest in entries:
            terms = set(vocabulary.analyse(text, correct=False).terms)
            index.keys.append(key)
            index.boost.append(float(rest[0]) if rest else 1.0)
            term_sets.append(terms)
            index.terms.append(frozenset(terms))
            for term in terms:
                index.postings.setdefault(term, []).append(len(index.keys) - 1)
        total = max(len(entries), 1)
        index.weights = {t: math.log(1 + total / len(p)) for t, p in index.postings.items()}
        index.entry_weight = [sum(index.weights[t] for t in terms) or 1.0 for terms in term_sets]
        # Champion lists: a common word keeps only the entries where it matters most (short,
        # focused entries, not down-weighted), so a search walks at most CHAMPIONS entries per
        # word however large the pack grows. Packs with fewer entries per word are searched exactly.
        for term, posting in index.postings.items():
            if len(posting) > CHAMPIONS:
                best = sorted(posting, key=lambda i: -index.boost[i] / index.entry_weight[i])[:CHAMPIONS]
                index.postings[term] = sorted(best)
        return index

    def query(self, text: str) -> Query:
        return self.vocabulary.analyse(text)

    def search(self, query: Query, *, min_score: float = 0.34, relative: float = 0.5, limit: int = 30) -> list[Hit]:
        """Up to `limit` entries covering enough of the question, best first; weak ones far behind
        the best are dropped."""
        known = [t for t in query.terms if t in self.postings]
        if not known:
            return []
        # Words the pack never uses still count against coverage, but less than a rare pack word.
        missing = [t for t in query.terms if t not in self.postings and t not in query.optional]
        total = sum(self.weights[t] for t in known if t not in query.optional) + 0.5 * len(missing)
        total = total or sum(self.weights[t] for t in known)
        least = min_score * total
        # Rarest words first. Once the words left could not lift a new entry to `least` on their
        # own, they only add to entries already found (a cheap set lookup each) instead of
        # walking their long postings: the work grows with the answer, not with the pack.
        ordered = sorted(known, key=lambda t: -self.weights[t])
        remaining = sum(self.weights[t] for t in ordered)
        covered: dict[int, float] = {}
        for term in ordered:
            weight = self.weights[term]
            if remaining >= least:
                for i in self.postings[term]:
                    covered[i] = covered.get(i, 0.0) + weight
            else:
                for i in covered:
                    if term in self.terms[i]:
                        covered[i] += weight
            remaining -= weight
        boost, entry_weight = self.boost, self.entry_weight
        scored = [
            ((min(c / total, 1.0) + 0.2 * c / entry_weight[i]) * boost[i], i) for i, c in covered.items() if c >= least
        ]
        if not scored:
            return []
        top = heapq.nlargest(limit, scored)
        floor = top[0][0] * relative
        return [
            Hit(self.keys[i], round(score, 6), tuple(t for t in known if t in self.terms[i]))
            for score, i in top
            if score >= floor
        ]


def diverse(
    hits: Sequence[Hit], weights: dict[str, float], limit: int, group: Callable[[Hit], Any], per_group: int
) -> list[Hit]:
    """Pick up to `limit` hits, preferring ones that cover words the earlier picks did not, and
    at most `per_group` from any one group (for /threshold: a level).

    For "baby not brought to appointments and parent drinking" this shows both the missed
    appointments and the drinking, rather than five ways of saying one of them.
    """
    pool = []
    for hit in hits:
        terms = [(t, weights.get(t, 0.0)) for t in hit.matched]
        pool.append((hit, group(hit), terms, sum(w for _t, w in terms) or 1.0))
    taken: Counter[Any] = Counter()
    chosen: list[Hit] = []
    covered: set[str] = set()
    while len(chosen) < limit:
        best, best_gain = None, -1.0
        for entry in pool:
            hit, key, terms, every = entry
            if taken[key] >= per_group:
                continue
            gain = hit.score * (0.6 + 0.4 * sum(w for t, w in terms if t not in covered) / every)
            if gain > best_gain:
                best, best_gain = entry, gain
        if best is None:
            break
        pool.remove(best)
        chosen.append(best[0])
        taken[best[1]] += 1
        covered.update(t for t, _w in best[2])
    return chosen


# --- per-pack caches -----------------------------------------------------------------------------

_CACHE: dict[tuple[int, str], tuple[weakref.ref[ContentPack], Any]] = {}


# One build at a time: the bot's warm-up thread and a first question must not build an index twice.
# Re-entrant, because building one index reads another (the threshold index reads the vocabulary).
_BUILDING = threading.RLock()


def _hit(pack: ContentPack, key: tuple[int, str]) -> tuple[bool, Any]:
    entry = _CACHE.get(key)
    return (True, entry[1]) if entry is not None and entry[0]() is pack else (False, None)


def cached(pack: ContentPack, name: str, build: Callable[[ContentPack], Any]) -> Any:
    """Build once per loaded pack (a reloaded pack is a new object, so it gets a fresh index)."""
    key = (id(pack), name)
    found, value = _hit(pack, key)
    if found:
        return value
    with _BUILDING:
        found, value = _hit(pack, key)  # built by another thread while this one waited
        if found:
            return value
        value = build(pack)

        def forget(_ref: weakref.ref[ContentPack]) -> None:
            _CACHE.pop(key, None)

        _CACHE[key] = (weakref.ref(pack, forget), value)
    return value


async def cached_async(pack: ContentPack, name: str, build: Callable[[ContentPack], Any]) -> Any:
    """`cached`, without holding up the event loop while a first build runs (or waits for the
    warm-up thread's): answers to other people go on meanwhile."""
    found, value = _hit(pack, (id(pack), name))
    return value if found else await asyncio.to_thread(cached, pack, name, build)


# A lookup this long is read (the guard, the matching) in a thread: the work grows with the text,
# 0.2 s for an ordinary 4,000 characters and up to 0.7 s for the worst shapes bench_stall tries,
# and on the event loop that time would hold every other person's answer. Shorter lookups take
# a few milliseconds, less than handing them to a thread.
LONG_LOOKUP = 400
_T = TypeVar("_T")


async def read_off_loop(text: str, work: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """`work(*args, **kwargs)` on the loop for a short lookup `text`, in a thread for a long one.
    `work` only reads the pack and the text, so it is safe in a thread."""
    if len(text) < LONG_LOOKUP:
        return work(*args, **kwargs)
    return await asyncio.to_thread(work, *args, **kwargs)


def vocabulary(
    pack: ContentPack, texts: Callable[[ContentPack], Iterable[str]], name: str, *, ignored: frozenset[str] = STOPWORDS
) -> Vocabulary:
    return cached(pack, f"vocabulary:{name}", lambda p: Vocabulary(thesaurus(p), texts(p), ignored=ignored))
