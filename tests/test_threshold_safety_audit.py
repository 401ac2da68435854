"""/threshold's safety lines, held on questions practitioners ask: a child in danger right now is
told to call 999 first; plain words for abuse and neglect reach their concern; a question asking
whether to refer is told who decides; an over-long question still shows the emergency route."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime, load_registry
from core.clock import FrozenClock
from core.config import Settings
from core.contentpack import DEFAULT_PACK, ContentPack, load_pack
from core.model import Request, RequestKind
from handlers import threshold
from storage.db import Database
from tests.harness import text_of
from tests.pack_support import answer_text, medway_pack


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return medway_pack()


# --- plain words for abuse and neglect ---------------------------------------------------------

PLAIN_WORDS = [
    ("child is neglected", "neglect"),
    ("my pupil is being neglected", "neglect"),
    ("being neglected", "neglect"),
    ("year 5 girl at a primary school is being neglected", "neglect"),
    ("the kids are neglected by their parents", "neglect"),
    ("he's being starved", "neglect"),
    ("she has been starved by her stepmum", "neglect"),
    ("physically abused", "physical-abuse"),
    ("child is being physically abused", "physical-abuse"),
    ("child is being hurt", "physical-abuse"),
    ("a boy in my class is being hurt at home", "physical-abuse"),
    ("toddler has been tied up", "physical-abuse"),
    ("child is being abused", "physical-abuse"),
    ("he was abused", "physical-abuse"),
    ("my 8 year old pupil says she is being abused at home", "physical-abuse"),
    ("emotionally abused by her mum", "emotional-abuse"),
    ("teenager says he is emotionally abused at home", "emotional-abuse"),
    ("verbally abused by dad every night", "emotional-abuse"),
]


@pytest.mark.parametrize(("question", "topic"), PLAIN_WORDS)
def test_plain_words_reach_their_concern(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert found.concerns and found.concerns[0] == topic, (question, found.concerns)
    assert found.ranked and topic in found.ranked[0].topics, (question, found.ranked[:1])
    assert not found.off_topic and not found.nothing_close


# a kind of abuse named in two words stays that kind, and hunger is not starving on purpose
KIND_NAMED = [
    ("child is living with domestic abuse", "domestic-abuse"),
    ("it is domestic abuse", "domestic-abuse"),
    ("dad was abusing drugs", "substance-misuse"),
    ("mum's substance abuse is getting worse", "substance-misuse"),
    ("emotinal abuse, scapegoated child, siblings treated differently", "emotional-abuse"),
    ("she was sexually abused by her uncle", "sexual-abuse"),
]


@pytest.mark.parametrize(("question", "topic"), KIND_NAMED)
def test_a_named_kind_of_abuse_stays_that_kind(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert found.concerns[0] == topic, (question, found.concerns)


def test_hungry_is_not_starved_on_purpose(pack: ContentPack) -> None:
    found = threshold.assess(pack, "hes always starving at breakfast club")
    assert found.concerns == ("neglect",)
    assert found.ranked[0].level < 4


# --- a child in danger right now -----------------------------------------------------------------

CALL_999_NOW = "**Call 999 now**"
EMERGENCIES = [
    "I'm on a home visit and the baby is not breathing",
    "the baby is not breathing",
    "baby has stopped breathing",
    "a child is being attacked right now outside school",
    "is this serious enough to call 999? teenager says she took 30 pills an hour ago",
    "child is in danger right now, stepdad has a knife",
    "child has been stabbed",
    "teenager unconscious after taking drugs at a party",
    "toddler unconcious on the floor",  # a typo the reader corrects
    "child has swallowed bleach",
    "he is having a seizure after being shaken",
    "child locked in a car on a hot day",
    "her dad is hitting her right now",
    "he's punching her as we speak",
    "my 15 year old pupil has taken an overdose",
    "a man has pulled a knife on a pupil at the gate",
    "girl is threatening to jump off the bridge, she's about to jump",
    # an outside audit's danger-now questions that got no opener (lookups3 F1)
    "dad is beating him right now",
    "a 14 year old took 20 paracetamol an hour ago",
    "there's a toddler alone on the balcony right now",
    "her stepdad is at the school gate with a knife",
    "he says he's going to kill himself tonight and has the tablets",
    "child is fitting and won't stop",
    "he just hit her really hard and she is not moving",
    "I can smell gas and the toddler is screaming inside",
    "14yo missing since yesterday, last seen getting into a car with older men",  # "since": still going on
    # the third blind danger set's kinds (read after it was measured)
    "boy in lunch queue says his throat is closing after the satay, lips puffing up",
    "2 kids on the frozen lake, ice cracking, one just went through",
    "a man is trying to put one of the girls in his car, she's crying",
    # a review of the session: a past time in another clause leaves the danger now
    "baby is turning blue, she was ill last week",
    "toddler is having a seizure, he had one in october too",
    "the 15yo is unresponsive, she took something at the party yesterday",
    "he has been stabbed, the gang threatened him last week",
]


@pytest.mark.parametrize("question", EMERGENCIES)
def test_a_child_in_danger_now_is_told_to_call_999_first(pack: ContentPack, question: str) -> None:
    text = answer_text(pack, question)
    body = text.split("\n", 1)[1] if text.startswith("Sample content") else text  # the sample banner
    assert body.startswith(CALL_999_NOW), (question, text[:300])
    assert "If a child is in immediate danger, call 999." in text  # the footer stays
    assert "This supports your professional judgement" in text
    assert "I can't say where a particular child's situation sits" not in text


ORDINARY = [
    "child protection conference next week",
    "knife crime awareness training",
    "took the bus",
    "he isn't unconscious, just sleepy",
    "mum took her pills this morning",
    "child with epilepsy has seizures, mum not giving meds",
    "what counts as immediate danger?",
    "not an emergency, no one's in danger right now, but the family's being evicted",
    "family drowning in debt and bailiffs keep coming round",
    "his older brother was stabbed last year",
    "mum's in hospital after taking an overdose last month",
    "her grades have collapsed",
    "dad hits her when he's drunk",
    # the same dangers, over: a time said beside them puts them in the past
    "11mo went floppy at nursery last week, checked at a&e and discharged",
    "yr 8 girl said back in sept she wanted to hang herself, says shes fine now",
    "16yo was found unconscious in the toilets on saturday, shes back in school",
    "the teen who was on the car park roof in october is with camhs now",
    "mum keeps saying he has seizures but no doctor can find anything",
    "16yo kicked out by his stepdad, nowhere to go tonight",
    "fire service home safety visit, smoke alarms taken down, 2 kids sleeping on mattresses",
    "7 week old brought in with bruising to the face and a swollen arm, no explanation",
    "baby stopped breathing 2 wks ago and had cpr, home now, mum smoking weed round him",
    # a review of the session: everyday questions the first phrases opened with 999
    "the threshold strip on our fire door keeps sticking, who do I ask",
    "persistent absence, parents not responding to letters",
    "family not responding to early help, what next",
    "care leaver on the edge of the care system, what support is there",
    "mum has a bottle of vodka most evenings, kids 6 and 9",
    "12yo currently missing education, family moved from Kent",
    "should I do it today or wait for the DSL",
    "eczema so bad it is bleeding and mum won't use the creams",
    "he has not had a wheelchair that fits for over a year",
    "yr 11 found with a knife in his bag, says it's for protection",
]


@pytest.mark.parametrize("question", ORDINARY)
def test_an_ordinary_question_does_not_open_with_999(pack: ContentPack, question: str) -> None:
    assert CALL_999_NOW not in answer_text(pack, question), question


def test_the_emergency_phrases_are_the_packs() -> None:
    from handlers.threshold import LEVELS  # noqa: F401  (the section is registered)

    pack = load_pack(DEFAULT_PACK, load_registry().sections)
    emergency = pack.get(threshold.Levels).emergency
    assert emergency is not None and emergency.source.doc == "police-contact"
    assert "not breathing" in emergency.phrases


# --- an over-long question ------------------------------------------------------------------------


@pytest.fixture
async def rt(db: Database, database_url: str, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Runtime]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path / "data", database_url=database_url,
        survey_secret="test-key-Qz8vWm2Lp9Xr4Nf7Hc",
    )  # fmt: skip
    runtime = await Runtime.create(settings, clock=clock, console_mode=True)
    yield runtime
    await runtime.ctx.db.dispose()


@pytest.mark.parametrize("name", ["threshold", "escalation", "glossary", "contacts"])
async def test_an_over_long_lookup_is_refused_with_the_emergency_route(rt: Runtime, name: str) -> None:
    text = "a long chronology of what happened this term. " * 100 + "the child has bruises"
    request = Request(kind=RequestKind.COMMAND, platform="slack", user_id="u1", command=name, text=text)
    shown = text_of((await rt.dispatcher.handle(request)).replies)
    assert shown.startswith("That is more text than a command takes here (4,000 characters at most)")
    assert "If a child is in immediate danger, call 999." in shown
    assert "First Response on 01634 334466" in shown and "outside those hours" in shown
    assert "This supports your professional judgement" in shown


# --- whether to refer: who decides, and how to challenge a decision -----------------------------

WHETHER_TO_REFER = [
    "do I need to refer?",
    "shall I ring first response or not",
    "the front door said it doesn't meet threshold, what now?",
    "is it level 1? no one else needs to know?",
    "12 yo with bruises on her arm, should I refer or not",
    "dad drinks every night and the kids are left alone, yes or no for a referral?",
    "is it worth a referral, mum keeps missing his appointments",
    "can you confirm this is level 2, she is often late and hungry",
]


@pytest.mark.parametrize("question", WHETHER_TO_REFER)
def test_a_question_whether_to_refer_is_told_who_decides(pack: ContentPack, question: str) -> None:
    shown = answer_text(pack, question)
    assert "I can't say where a particular child's situation sits" in shown, shown
    assert "I answer safeguarding guidance about children" not in shown  # not taken as off-topic


def test_a_decision_against_a_referral_points_to_the_escalation_policy(pack: ContentPack) -> None:
    shown = answer_text(pack, "the front door said it doesn't meet threshold, what now?")
    assert "/escalation" in shown and "challenge it" in shown
    assert "challenge it" not in answer_text(pack, "do I need to refer?")


def test_level_one_never_reads_as_telling_no_one(pack: ContentPack) -> None:
    shown = answer_text(pack, "level 1")
    assert "No one else is needed" not in shown and "never keep a worry to yourself" in shown


def test_an_off_topic_should_i_question_stays_off_topic(pack: ContentPack) -> None:
    shown = answer_text(pack, "should I book the meeting room for the core group?")
    assert "I answer safeguarding guidance about children" in shown


# --- a worry about someone who works with children ----------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "a teacher at my school has been accused of hitting a pupil",
        "our TA grabbed a child by the arm and pushed him",
        "there is an allegation against a staff member at the nursery",
    ],
)
def test_a_worry_about_staff_reaches_the_lado_on_the_first_screen(pack: ContentPack, question: str) -> None:
    shown = answer_text(pack, question)
    assert "a worry about someone who works with children" in shown
    assert "LADO at Medway Council is told within one working day" in shown


@pytest.mark.parametrize("question", ["teacher says the child is often late", "the teacher noticed bruises on his arm"])
def test_a_teacher_who_notices_is_not_an_allegation(pack: ContentPack, question: str) -> None:
    assert "someone who works with children" not in answer_text(pack, question)


# --- other languages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "dziecko ma siniaki na twarzy i boi się wracać do domu",  # Polish
        "copilul are vânătăi pe față și îi este frică să meargă acasă",  # Romanian
        "بچے کے چہرے پر زخم ہیں",  # Urdu
        # typed without accents, as on a phone set to English (an outside audit's F4)
        "Mi hijo no va a la escuela y su padre bebe mucho",  # Spanish
        "Mio figlio ha dei lividi e dice che suo padre lo picchia",  # Italian
        "Mon fils ne va pas a l'ecole et son pere boit beaucoup",  # French
        "Mera beta school nahi jata aur uska baap sharab peeta hai",  # romanised Urdu
    ],
)
def test_a_question_in_another_language_is_told_only_english_is_read(pack: ContentPack, question: str) -> None:
    shown = answer_text(pack, question)
    assert "I can only read questions in English for now" in shown
    assert "Level 2 — Additional" not in shown  # no guess from words matched by chance


@pytest.mark.parametrize(
    "question",
    [
        "worreid abot negelct, kids allways dirty and hungery",
        "Siân (13) says her stepdad hits her",
        "dad keeps saying 'no problema' when I ask about the bruises",
        "mum says the kids went to the madrassa and came back with bruises",
    ],
)
def test_english_in_haste_or_with_an_accented_name_is_still_read(pack: ContentPack, question: str) -> None:
    assert "I can only read questions in English" not in answer_text(pack, question)


@pytest.mark.parametrize(
    "question",
    [
        "would a 15 year old drinking at weekends meet early help?",  # the README's own example
        "teenager drinking alcohol at weekends",
        "15yo drinking every weekend",
    ],
)
def test_a_young_persons_own_drinking_comes_before_a_parents(pack: ContentPack, question: str) -> None:
    # An outside walk-through: the parent's-drinking indicator came first though no parent was named.
    shown = answer_text(pack, question)
    own = shown.index("Regular drinking or drug use that is affecting health")
    assert "A parent's mental ill health" not in shown[:own]


def test_a_parents_drinking_still_comes_first_when_the_parent_drinks(pack: ContentPack) -> None:
    shown = answer_text(pack, "mum drinking every day and 15 year old son left to cope")
    own = shown.find("Regular drinking or drug use")
    assert own == -1 or shown.index("A parent's mental ill health") < own
