"""How /threshold reads a question: each cause found in the matching is held here.

Spelling correction never rewrites a real word; answers do not depend on the hash seed; word
forms and everyday phrasings reach the same concept; negations are worries; questions about
other things are refused; several worries are each answered and named; serious signals come
first; the first screen fits a phone, with More for the rest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.runtime import Runtime, load_registry
from core.contentpack import DEFAULT_PACK, ContentPack, InvalidPack, load_pack
from core.model import Buttons, Caption, Divider, Header, Text
from handlers import guidance, threshold
from tests.harness import action, command, text_of

ROOT = Path(__file__).resolve().parent.parent
EMERGENCY = "If a child is in immediate danger, call 999."
JUDGEMENT = "This supports your professional judgement"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(DEFAULT_PACK, load_registry().sections)


def first(pack: ContentPack, text: str) -> threshold.Ranked:
    found = threshold.assess(pack, text)
    assert found.ranked, (text, found)
    return found.ranked[0]


# --- the questions in the issue ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "topic", "levels"),
    [
        ("child says uncle touched her", "sexual-abuse", {4}),
        ("she told me her stepdad touches her at night", "sexual-abuse", {4}),
        ("3 year old left home alone", "neglect", {3, 4}),
        ("dad just released from prison for sex offences, moving in with family", "risk-to-children", {4}),
        ("lives in a hostel", "housing", {2, 3}),
        ("mum says dad hits her when drunk, kids in the house", "domestic-abuse", {3, 4}),
    ],
)
def test_the_issues_questions_get_the_right_concern_and_level_first(
    pack: ContentPack, question: str, topic: str, levels: set[int]
) -> None:
    best = first(pack, question)
    assert topic in best.topics and best.level in levels, best
    assert not any(word in best.text.lower() for word in ("appointments", "pregnancy")), best


def test_a_parent_hitting_the_other_when_drunk_names_domestic_abuse_and_alcohol(pack: ContentPack) -> None:
    found = threshold.assess(pack, "mum says dad hits her when drunk, kids in the house")
    assert found.concerns[:2] == ("domestic-abuse", "substance-misuse")
    assert "domestic abuse" in found.mentioned and "alcohol" in found.mentioned


# --- spelling ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["house", "cars", "smoking", "strangled", "groping", "tablet", "uncle", "hostel", "clamped", "groped"]
)
def test_ordinary_english_words_are_never_corrected_into_pack_words(pack: ContentPack, word: str) -> None:
    vocabulary = threshold.index_of(pack).text.vocabulary
    assert vocabulary.correct(word) == word


@pytest.mark.parametrize(("typo", "meant"), [("negelct", "neglect"), ("domestc", "domestic"), ("bulying", "bullying")])
def test_typos_of_pack_words_are_still_corrected(pack: ContentPack, typo: str, meant: str) -> None:
    assert threshold.index_of(pack).text.vocabulary.correct(typo) == meant


@pytest.mark.parametrize(("typo", "meant"), [("austim", "autism"), ("sefl", "self")])
def test_a_short_words_letters_out_of_order_are_still_corrected(pack: ContentPack, typo: str, meant: str) -> None:
    assert threshold.index_of(pack).text.vocabulary.correct(typo) == meant


@pytest.mark.parametrize("word", ["frappe"])
def test_a_short_word_two_slips_from_a_pack_word_is_left_alone(pack: ContentPack, word: str) -> None:
    # "frappe" read as "rape" named sexual abuse for a coffee order (an outside audit's finding)
    assert threshold.index_of(pack).text.vocabulary.correct(word) == word
    found = threshold.assess(pack, "mum buys a frappe every morning and leaves the kids in the car")
    assert "sexual-abuse" not in found.concerns


def test_smoking_and_groping_keep_their_own_meaning(pack: ContentPack) -> None:
    assert "physical-abuse" not in threshold.assess(pack, "mum smoking in the car with the baby").concerns
    groping = threshold.assess(pack, "a man was groping her on the bus")
    assert groping.concerns[0] == "sexual-abuse" and groping.ranked[0].level == 4


# --- the same answer everywhere ------------------------------------------------------------------

_ANSWER_ALL = """
import json, sys
from core.contentpack import DEFAULT_PACK, load_pack
from bot.runtime import load_registry
from handlers import threshold
pack = load_pack(DEFAULT_PACK, load_registry().sections)
out = []
for q in json.loads(sys.argv[1]):
    reply, topic = threshold.threshold_reply(pack, q)
    out.append([topic, reply.all_text()])
print(json.dumps(out))
"""

# Typos equally close to two pack words ("haming": shaming or harming); the old matcher picked
# whichever its set happened to yield first, so these answers changed with the hash seed.
SEED_QUESTIONS = [
    "child haming herself",
    "haring images online",
    "always hungr",
    "extremis views",
    "hared pictures",
    "aking up illness",
    "negelct",
    "domestc abuse at hom",
    "mum drinking, house dirty, no food in the fridge, kids not going to school, shouting every night",
    "chlid sad and withdrwn, parnts aruging",
    "exploitaton older men gifts",
    "speciallist",
    "house",
]


def test_the_same_question_gets_the_same_answer_under_any_hash_seed() -> None:
    # The three interpreters run side by side; each is still a process of its own with its seed.
    running = [
        subprocess.Popen(
            [sys.executable, "-c", _ANSWER_ALL, json.dumps(SEED_QUESTIONS)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for seed in ("1", "2", "4242")
    ]
    answers = []
    for process in running:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        answers.append(json.loads(out.strip().splitlines()[-1]))
    assert answers[0] == answers[1] == answers[2]


# --- word forms and everyday phrasings -----------------------------------------------------------


@pytest.mark.parametrize("verb", ["touched", "touches", "touching"])
def test_forms_of_touch_reach_sexual_abuse(pack: ContentPack, verb: str) -> None:
    assert threshold.assess(pack, f"her uncle {verb} her").concerns[0] == "sexual-abuse"


@pytest.mark.parametrize("verb", ["hits", "hitting", "hit"])
def test_forms_of_hit_reach_domestic_abuse(pack: ContentPack, verb: str) -> None:
    assert "domestic-abuse" in threshold.assess(pack, f"dad {verb} mum").concerns


@pytest.mark.parametrize("words", ["self harm", "self-harming", "selfharm", "she is cutting herself"])
def test_forms_of_self_harm_reach_self_harm(pack: ContentPack, words: str) -> None:
    found = threshold.assess(pack, words)
    assert found.concerns[0] == "self-harm" and "self-harm" in found.ranked[0].topics


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("gets gifts and cash from older men", "exploitation"),
        ("he says he wants to die", "self-harm"),
        ("kicked out by his parents at 16, sofa surfing", "homeless-16-17"),
        ("mum keeps in touch with him by phone", None),  # an idiom, not a touch
    ],
)
def test_everyday_phrasings_reach_their_concept(pack: ContentPack, question: str, topic: str | None) -> None:
    concerns = threshold.assess(pack, question).concerns
    if topic is None:
        assert "sexual-abuse" not in concerns
    else:
        assert topic in concerns


# --- negation and strengths ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("no food in the fridge", "neglect"),
        ("kids not going to school", "education"),
        ("baby not brought to appointments", "health"),
        ("doesn't have a bed of his own", "neglect"),
    ],
)
def test_a_negation_is_a_worry_never_answered_by_a_going_well_indicator(
    pack: ContentPack, question: str, topic: str
) -> None:
    found = threshold.assess(pack, question)
    assert topic in found.concerns
    assert found.ranked and all(r.level > 1 for r in found.ranked), [(r.level, r.text) for r in found.ranked]


# --- what is close, and what is not safeguarding -------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "my laptop won't connect to the wifi",
        "how do I claim expenses for mileage",
        "where can I park, the car park is full",
        "who won the football last night",
        "wifi keeps dropping out in meeting room b",
    ],
)
async def test_a_question_about_something_else_is_refused_with_the_overview_and_no_indicators(
    runtime: Runtime, question: str
) -> None:
    found = threshold.assess(runtime.ctx.pack, question)
    assert found.off_topic and not found.ranked
    shown = text_of((await runtime.dispatcher.handle(command("threshold", question))).replies)
    assert "I answer safeguarding guidance" in shown
    assert "Level 4 — Specialist:" not in shown  # nothing to compare with the levels...
    assert "Level 4 in full" in shown  # ...only the way back to them
    assert not re.search(r"^1\. ", shown, re.MULTILINE)
    assert guidance.NO_DECISION not in shown  # no child's situation to decline to judge ("meeting room")
    assert EMERGENCY in shown and JUDGEMENT in shown


@pytest.mark.parametrize(
    "question",
    [
        "teams keeps crashing when I share my screen, who do I ask?",
        "can someone send me the minutes from last month's board meeting",
        "when's pay day this month, is it the 28th",
    ],
)
def test_a_question_naming_nobody_and_no_worry_is_off_topic_without_a_word_list(
    pack: ContentPack, question: str
) -> None:
    # none of these words is in the workplace list: the question names no person and the
    # thesaurus reads no worry in it
    found = threshold.assess(pack, question)
    assert found.off_topic and not found.ranked


@pytest.mark.parametrize(
    ("question", "topic"),
    [("left alone without food", "neglect"), ("yr 4 send pupil struggling", "send"), ("DA at home", "domestic-abuse")],
)
def test_a_worry_that_names_nobody_is_still_answered(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.off_topic and found.concerns[0] == topic


def test_a_school_beside_a_worry_says_where_not_what(pack: ContentPack) -> None:
    assert threshold.assess(pack, "he smokes weed every morning before college").concerns == ("substance-misuse",)
    assert threshold.assess(pack, "worried about school").concerns == ("education",)


def test_a_workplace_question_with_nobody_in_it_is_off_topic_even_with_a_worry_word(pack: ContentPack) -> None:
    found = threshold.assess(pack, "the parking outside the school is a risk to staff cars")
    assert found.off_topic and not found.ranked


@pytest.mark.parametrize(
    "question",
    [
        "our team mascot went missing after the match on saturday",
        "the whiteboard pens keep going missing from the staff room",
    ],
)
def test_a_worrys_everyday_word_said_of_something_else_is_off_topic(pack: ContentPack, question: str) -> None:
    # nobody in it, one worry read from plain English, and none of its other words goes with that worry
    found = threshold.assess(pack, question)
    assert found.off_topic and not found.ranked


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("bruises on both arms and the story keeps changing", "physical-abuse"),
        ("head lice for months and nobody treating it", "neglect"),
        ("extremist talk in class, does it meet threshold for channel", "radicalisation"),
    ],
)
def test_a_terse_worry_naming_nobody_is_still_answered(pack: ContentPack, question: str, topic: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.off_topic and topic in found.concerns


def test_send_and_prevent_as_verbs_name_no_topic(pack: ContentPack) -> None:
    assert "send" not in threshold.assess(pack, "please send me the rota for the dad's group").concerns
    assert "radicalisation" not in threshold.assess(pack, "how do we prevent the boy falling behind").concerns


def test_a_long_description_of_a_real_worry_is_never_nothing_close(pack: ContentPack) -> None:
    long = (
        "I'm a teaching assistant and I have been worried for a few weeks now about a boy in my class who "
        "comes in most mornings without having had any breakfast, his uniform is often dirty, he falls "
        "asleep in lessons and told me on Friday that there is never any food in the house at weekends"
    )
    found = threshold.assess(pack, long)
    assert not found.nothing_close and not found.off_topic
    assert found.concerns[0] == "neglect" and "neglect" in found.ranked[0].topics


def test_a_question_about_someone_with_no_worry_recognised_is_nothing_close_not_refused(pack: ContentPack) -> None:
    # telling a practitioner "this bot answers safeguarding guidance" about a child who cannot
    # read would be wrong: the pack simply has no words for it
    found = threshold.assess(pack, "he has never been diagnosed with anything and nobody has ever assessed him")
    assert found.nothing_close and not found.off_topic and not found.ranked


def test_gibberish_is_nothing_close_not_off_topic(pack: ContentPack) -> None:
    found = threshold.assess(pack, "xyzzy plugh")
    assert found.nothing_close and not found.off_topic and not found.ranked


# --- several worries -----------------------------------------------------------------------------

MANY = "mum drinking, house dirty, no food in the fridge, kids not going to school, shouting every night"


async def test_several_worries_get_one_indicator_each_and_are_named(runtime: Runtime, pack: ContentPack) -> None:
    found = threshold.assess(pack, MANY)
    for topic in ("substance-misuse", "neglect", "education", "family-relationships"):
        assert topic in found.concerns
    answered = {t for r in found.ranked for t in r.topics}
    assert {"substance-misuse", "neglect", "education", "family-relationships"} <= answered
    screen = found.ranked[: threshold.FIRST_SCREEN]
    assert len({r.topics[0] for r in screen}) == len(screen), "the first screen spans different worries"
    shown = text_of((await runtime.dispatcher.handle(command("threshold", MANY))).replies)
    assert "You mentioned:** alcohol, home conditions" in shown and "school attendance" in shown
    assert "conflict at home" in shown


# --- serious signals first -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("year 6 girl told me her mums boyfriend touches her", "sexual-abuse"),
        ("mum drinks a lot and the 4 month old baby has a bruise on his cheek", "physical-abuse"),
        ("parents are separating and he says he wants to kill himself", "self-harm"),
        ("arguments at home and mum says he strangled her last night", "domestic-abuse"),
        ("worried about FGM, family taking her abroad this summer", "harmful-practices"),
        ("14 year old keeps going missing, comes back with cash and a new phone", "exploitation"),
        ("year 10 has been stockpiling her tablets and wrote goodbye letters to her friends", "self-harm"),
        ("the 9 year old says she was cut down below on the trip back home", "harmful-practices"),
    ],
)
def test_a_serious_signal_puts_level_4_first_wherever_it_comes_in_the_question(
    pack: ContentPack, question: str, topic: str
) -> None:
    found = threshold.assess(pack, question)
    assert found.serious
    assert found.ranked[0].level == 4 and topic in found.ranked[0].topics, found.ranked[0]


# --- the answer on a phone -----------------------------------------------------------------------


@pytest.mark.parametrize("question", [MANY, "child says uncle touched her", "neglect", "DA", "county lines"])
async def test_the_first_screen_fits_a_phone_with_more_one_tap_away(runtime: Runtime, question: str) -> None:
    answer = (await runtime.dispatcher.handle(command("threshold", question))).replies[0]
    before_footer = answer.blocks[: next(i for i, b in enumerate(answer.blocks) if isinstance(b, Divider))]
    texts = [b.text for b in before_footer if isinstance(b, Header | Text | Caption)]
    shown = "\n".join(texts)
    assert len(shown) <= threshold.PHONE_BUDGET, len(shown)
    listing = next(b.text for b in before_footer if isinstance(b, Text) and b.text.startswith("1. "))
    assert len(re.findall(r"^\d\. ", listing, re.MULTILINE)) <= 3
    todo = next(b.text for b in before_footer if isinstance(b, Text) and b.text.startswith("**What to do**"))
    steps = re.findall(r"^- \*\*Level (\d):\*\*", todo, re.MULTILINE)
    assert len(steps) == len(set(steps)), "each level's next step once"
    assert len(next(t for t in texts if t.startswith("Source: "))) < 200, "a short source line"
    buttons = next(b for b in before_footer if isinstance(b, Buttons)).buttons
    assert buttons[-1].action_id == "threshold:sources"
    assert question.split()[0] not in buttons[-1].value  # buttons carry numbers, never the question
    full = text_of((await runtime.dispatcher.handle(action("threshold:sources", buttons[-1].value))).replies)
    assert "Where these indicators come from" in full and EMERGENCY in full and JUDGEMENT in full


async def test_more_shows_the_rest_with_its_next_steps_and_the_safety_footer(runtime: Runtime) -> None:
    answer = (await runtime.dispatcher.handle(command("threshold", MANY))).replies[0]
    more = next(b for b in answer.blocks if isinstance(b, Buttons)).buttons[0]
    assert more.action_id == "threshold:more" and more.label.startswith("More (")
    shown = text_of((await runtime.dispatcher.handle(action("threshold:more", more.value))).replies)
    assert re.search(r"^4\. ", shown, re.MULTILINE)
    assert "What to do" in shown and EMERGENCY in shown and JUDGEMENT in shown
    assert not re.search(r"\bmeets?\b", shown, re.IGNORECASE)


@pytest.mark.parametrize("value", ["000000:1.2.3", "zzzzzz:1", "<!channel>", "abc"])
async def test_a_stale_or_forged_more_button_gets_one_sentence(runtime: Runtime, value: str) -> None:
    outcome = await runtime.dispatcher.handle(action("threshold:more", value))
    shown = text_of(outcome.replies)
    assert outcome.error_id is None
    assert "Ask again with /threshold" in shown or "not one I recognise" in shown
    assert "Traceback" not in shown


# --- the thesaurus is part of the checked pack ---------------------------------------------------


def _pack_with_synonyms(tmp_path: Path, extra: str) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(DEFAULT_PACK, target)
    with (target / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write(extra)
    return target


@pytest.mark.parametrize(
    ("concept", "message"),
    [
        ("topics: [no-such-topic]\n    phrases: [grumbling]", "topic 'no-such-topic' is not listed in levels.yaml"),
        ('topics: [neglect]\n    phrases: ["{nobody} sad"]', "{nobody} is not a word class under words"),
        ("topics: [neglect]\n    level: 7\n    phrases: [grumbling]", "level 7 is not in levels.yaml"),
    ],
)
def test_a_concept_that_points_nowhere_is_refused_when_the_pack_loads(
    tmp_path: Path, concept: str, message: str
) -> None:
    extra = f"  - id: broken\n    name: broken\n    {concept}\n    source: {{doc: editors}}\n"
    with pytest.raises(InvalidPack) as refused:
        load_pack(_pack_with_synonyms(tmp_path, extra), load_registry().sections)
    assert message in str(refused.value) and "synonyms.yaml" in str(refused.value)


@pytest.mark.parametrize(
    ("concept", "message"),
    [
        ("topics: [no-such-topic]\n    phrases: [grumbling]", "topic 'no-such-topic' is not listed in levels.yaml"),
        ('topics: [neglect]\n    phrases: ["{nobody} sad"]', "{nobody} is not a word class under words"),
    ],
)
def test_a_concept_in_concepts_yaml_is_checked_as_those_in_synonyms_yaml(
    tmp_path: Path, concept: str, message: str
) -> None:
    pack = _pack_with_synonyms(tmp_path, "")
    with (pack / "concepts.yaml").open("a", encoding="utf-8") as f:
        f.write(f"  - id: broken\n    name: broken\n    {concept}\n    source: {{doc: editors}}\n")
    with pytest.raises(InvalidPack) as refused:
        load_pack(pack, load_registry().sections)
    assert message in str(refused.value) and "concepts.yaml" in str(refused.value)


def test_a_concept_id_used_in_both_thesaurus_files_is_refused(tmp_path: Path) -> None:
    pack = _pack_with_synonyms(tmp_path, "")
    first = guidance.Synonyms.model_validate(yaml.safe_load((pack / "synonyms.yaml").read_text())).concepts[0]
    with (pack / "concepts.yaml").open("a", encoding="utf-8") as f:
        f.write(f"  - id: {first.id}\n    name: again\n    topics: [neglect]\n    phrases: [grumbling]\n")
        f.write("    source: {doc: editors}\n")
    with pytest.raises(InvalidPack) as refused:
        load_pack(pack, load_registry().sections)
    assert f"two concepts share the id {first.id!r}" in str(refused.value)


def test_assess_is_pure_and_its_result_frozen(pack: ContentPack) -> None:
    one, two = threshold.assess(pack, MANY), threshold.assess(pack, MANY)
    assert one == two
    with pytest.raises(AttributeError):
        one.off_topic = True  # type: ignore[misc]
    assert guidance.ORDINARY_ZIPF >= 3


# --- everyday, slang and professional phrasings ---------------------------------------------------


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("mum is skint, the leccy has been cut off and the kids come in minging with nits", {"finances", "neglect"}),
        (
            "dad's been banged up again, mum's drinking and the boy is school refusing",
            {"parent-in-prison", "substance-misuse", "education"},
        ),
        (
            "young carer for mum who has MS, missing school, no food in the house",
            {"young-carer", "education", "neglect"},
        ),
        (
            "lad running for a gang, plugging, trap house and now he says he wants to end it",
            {"exploitation", "self-harm"},
        ),
        (
            "toddler smacked by dad, mum off her face on ket, house is minging",
            {"physical-abuse", "substance-misuse", "neglect"},
        ),
        (
            "aunt has been looking after him for months while mum is abroad, and he's not on roll anywhere",
            {"private-fostering", "missing-education"},
        ),
        (
            "mum keeps taking him to the GP for things the tests never find, and he's on a part time timetable",
            {"fabricated-illness", "education"},
        ),
        (
            "home ed but nobody has seen the child for months, money worries and food bank",
            {"missing-education", "finances"},
        ),
        (
            "mum and dad at each other's throats, police called to the house last night",
            {"family-relationships", "domestic-abuse"},
        ),
        (
            "nos balloons and vapes, out till 2am, hanging round with older lads",
            {"substance-misuse", "neglect", "exploitation"},
        ),
        (
            "EBSA, hasn't been in school since September, mum says she's anxious, dad in prison",
            {"education", "mental-health", "parent-in-prison"},
        ),
    ],
)
def test_several_worries_in_everyday_words_are_all_recognised(
    pack: ContentPack, question: str, wanted: set[str]
) -> None:
    found = threshold.assess(pack, question)
    assert wanted <= set(found.concerns), (question, found.concerns)
    assert not found.off_topic and found.ranked


def test_a_fuller_phrase_wins_over_a_word_inside_it(pack: ContentPack) -> None:
    found = threshold.assess(pack, "keeps missing school and there's no food at home")
    assert "education" in found.concerns and "missing" not in found.concerns


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("pastor says she's possessed and they prayed to cast out the demon", "faith-abuse"),
        ("worried she'll be sent abroad for the summer to be cut", "harmful-practices"),
        ("dad is an RSO and has moved back in with the kids", "risk-to-children"),
        ("15 year old says she wants to unalive herself", "self-harm"),
    ],
)
def test_serious_signals_in_everyday_words_put_level_4_first(pack: ContentPack, question: str, topic: str) -> None:
    best = first(pack, question)
    assert topic in best.topics and best.level == 4, best


@pytest.mark.parametrize(
    "question",
    [
        "can I claim mileage for home visits",
        "book a hotel for the conference",
        "where do I claim cash back for train tickets",
        "can I get petty cash for the christmas party",
        "can I claim an overnight hotel for the safeguarding conference",
        "who do I ask about annual leave",
        "is there a taxi account for the training day",
        "my boss keeps shouting at me in front of the team, is that bullying",
        "the video call keeps crashing halfway through the safeguarding course",
        "a colleague keeps shouting at me in meetings, what level is that",
        "my brother lost his job and is drinking every night, how do i help him",
        "a woman with learning disabilities in supported living has bruises nobody can explain",
    ],
)
def test_a_workplace_question_with_a_worrying_word_is_still_refused(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert found.off_topic and not found.ranked, (question, found.concerns)


@pytest.mark.parametrize(
    "question",
    [
        "she's been getting into cars with older men and has cash she can't explain",
        "mum drinks every day and lost her job at the office",
        "dad took the kids to a hotel and sent them to the conference room alone",
        "found with a wad of cash and a second phone, 15 year old",
        "my colleague wants to know what level neglect is",
        "my manager asked what level for a parent who drinks",
        "the rota manager says a boy, 15, sleeps in his car most nights",
        "her older brother lost his job and hits her, she is 14",
        "my brother is 15 and drinking heavily",
    ],
)
def test_a_worry_about_someone_is_never_refused_for_a_workplace_word(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.off_topic and found.ranked, question


@pytest.mark.parametrize(
    "question",
    [
        "she's sofa surfing since her stepdad kicked her out",
        "16 yo son kicked out by stepdad, now in a B&B",
        "17 year old, mum threw him out last week, staying with mates",
    ],
)
def test_kicked_out_is_housing_not_a_kick(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert "housing" in found.concerns or "homeless-16-17" in found.concerns, found.concerns
    assert "physical-abuse" not in found.concerns and "domestic-abuse" not in found.concerns, found.concerns


def test_a_kick_is_still_physical_harm_beside_the_idiom(pack: ContentPack) -> None:
    assert "physical-abuse" in threshold.assess(pack, "dad kicked him in the stomach").concerns
    both = threshold.assess(pack, "stepdad kicked her and threw her out of the house").concerns
    assert "physical-abuse" in both and "homeless-16-17" in both


def test_not_picked_up_is_supervision_not_bullying(pack: ContentPack) -> None:
    found = threshold.assess(pack, "nursery worried: not picked up on time, no coat in winter")
    assert "neglect" in found.concerns and "child-on-child" not in found.concerns
    assert "child-on-child" in threshold.assess(pack, "she's being picked on at school").concerns


def test_a_synonym_names_its_own_topic_not_a_shorter_one_inside_it(pack: ContentPack) -> None:
    found = threshold.assess(pack, "EBSA, mum says she's anxious")
    assert "mental-health" in found.concerns and "health" not in found.concerns


def test_an_idiom_with_an_unknown_word_class_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "pack"
    shutil.copytree(ROOT / DEFAULT_PACK, target)
    synonyms = target / "synonyms.yaml"
    synonyms.write_text(
        synonyms.read_text(encoding="utf-8").replace("ignore: [", 'ignore: ["kicked {nobody} out", ', 1),
        encoding="utf-8",
    )
    with pytest.raises(InvalidPack, match="nobody"):
        load_pack(target, load_registry().sections)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("he said his mum's boyfriend hurts him when mum is at work", "physical-abuse"),
        ("year 5 girl said grandad makes her keep secrets and touches her", "sexual-abuse"),
        ("she said uncle takes photos of her in the bath", "sexual-abuse"),
        ("mum doesn't take him to the dentist, teeth black", "health"),
        ("no one at home when she gets back from school", "neglect"),
        ("she told the school nurse she's been sick on purpose and hasn't eaten for days", "mental-health"),
    ],
)
def test_disclosures_and_negations_in_everyday_words_are_recognised(
    pack: ContentPack, question: str, topic: str
) -> None:
    found = threshold.assess(pack, question)
    assert topic in found.concerns and not found.off_topic, (question, found.concerns)


def test_overlapping_readings_never_drop_every_concern(pack: ContentPack) -> None:
    found = threshold.assess(pack, "he said his mum's boyfriend hurts him when mum is at work")
    assert found.concerns and found.ranked


def test_possession_of_drugs_is_not_spirit_possession(pack: ContentPack) -> None:
    found = threshold.assess(pack, "dad was arrested for possession with intent, mum uses crack")
    assert "faith-abuse" not in found.concerns and "substance-misuse" in found.concerns
    assert "faith-abuse" in threshold.assess(pack, "pastor says he has a spirit possession").concerns


@pytest.mark.parametrize(
    "question",
    ["what's the wifi password at the family hub", "our team night out is at the pub, can I bring my partner"],
)
def test_a_workplace_place_or_night_out_is_refused(pack: ContentPack, question: str) -> None:
    assert threshold.assess(pack, question).off_topic


@pytest.mark.parametrize(
    ("question", "wanted", "not_wanted"),
    [
        (
            "HV visit: mum low, flat cluttered, baby's weight dropping, dad smokes weed in the lounge",
            {"neglect", "substance-misuse", "mental-health"},
            "physical-abuse",
        ),
        ("youth worker: lad carrying a blade, says he owes money to older boys", {"exploitation"}, "self-harm"),
        (
            "kid's been excluded, getting into fights, mum can't cope and the electric's been cut off",
            {"education", "behaviour", "mental-health", "finances"},
            "",
        ),
        (
            "child is living with a mate's family since Christmas, parents in Romania, not registered with GP",
            {"private-fostering", "health"},
            "",
        ),
        (
            "son plays Fortnite all night with strangers, barely eats, won't go to school, mum's depressed",
            {"online-harm", "neglect", "education", "mental-health"},
            "",
        ),
    ],
)
def test_professional_notes_with_several_worries_name_each_and_nothing_else(
    pack: ContentPack, question: str, wanted: set[str], not_wanted: str
) -> None:
    found = threshold.assess(pack, question)
    assert wanted <= set(found.concerns), (question, found.concerns)
    assert not not_wanted or not_wanted not in found.concerns, (question, found.concerns)


def test_a_dropped_baby_is_still_a_serious_signal(pack: ContentPack) -> None:
    found = threshold.assess(pack, "dad dropped the baby and he has a bruise on his head")
    assert found.serious and found.ranked[0].level == 4 and "physical-abuse" in found.ranked[0].topics


# --- issue 16: every concern of a long question, in wording the thesaurus had not met ------------


@pytest.mark.parametrize(
    ("word", "same_as"),
    [("caring", "care"), ("cares", "care"), ("living", "lives"), ("raped", "rape"), ("hitting", "hits")],
)
def test_word_forms_that_dropped_a_silent_e_share_a_stem(word: str, same_as: str) -> None:
    assert guidance.stem(word) == guidance.stem(same_as)


def test_irregular_forms_and_an_age_reach_the_phrase(pack: ContentPack) -> None:
    # "told", "mummy" and "11 yr old" read as "tell", "mum" and a child
    found = threshold.assess(pack, "her friend says an uncle is touching the 11 yr old")
    assert "sexual-abuse" in found.concerns and found.serious
    found = threshold.assess(pack, "5 year old said daddy put his hands round mummy's neck")
    assert found.concerns[0] == "domestic-abuse"


def test_missed_is_not_missing(pack: ContentPack) -> None:
    found = threshold.assess(pack, "parents never answer the phone and the EHCP review was missed twice")
    assert "missing" not in found.concerns and "exploitation" not in found.concerns


def test_a_negation_reaches_only_to_the_next_one(pack: ContentPack) -> None:
    found = threshold.assess(pack, "he isn't eating, isn't sleeping and hasn't left his room for a week")
    assert {"neglect", "mental-health"} <= set(found.concerns)


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "mum drinking heavily again, dad's in prison, and the 14 yr old is now doing all the cooking and "
            "bedtimes for his little sisters",
            {"substance-misuse", "parent-in-prison", "young-carer"},
        ),
        (
            "dad has severe depression and has started using speed, mum has walked out, the house is a tip",
            {"mental-health", "substance-misuse", "neglect", "family-relationships"},
        ),
        (
            "nan has dementia and the 13 yr old does most of her care after school, falling asleep in maths",
            {"young-carer", "neglect"},
        ),
        (
            "4 kids in a 2 bed flat with mould on the walls, the youngest keeps getting chest infections and mum "
            "says she can't afford to put the heating on",
            {"housing", "health", "finances"},
        ),
        (
            "boy told me the older kids on the estate make him hold packages and say they'll do his mum if he grasses",
            {"exploitation"},
        ),
    ],
)
def test_long_questions_in_new_wording_name_every_worry(pack: ContentPack, question: str, wanted: set[str]) -> None:
    found = threshold.assess(pack, question)
    assert wanted <= set(found.concerns), (question, found.concerns)


@pytest.mark.parametrize(
    "question",
    ["who is doing the cooking for the staff away day", "my laptop screen has a crack in it"],
)
def test_everyday_phrasings_do_not_turn_office_questions_into_worries(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert found.off_topic and not found.ranked


@pytest.mark.parametrize(
    "question",
    [
        "the two older ones are missing loads of school and mum is drinking",
        "her older sister says she has been missing school to look after mum",
        "year 8 missing a lot of school and lessons, older siblings not bothered",
    ],
)
def test_missing_school_and_older_siblings_do_not_read_as_a_missing_child_being_exploited(
    pack: ContentPack, question: str
) -> None:
    found = threshold.assess(pack, question)
    assert "education" in found.concerns
    assert "missing" not in found.concerns and "exploitation" not in found.concerns
    assert found.ranked and found.ranked[0].level < 4


def test_going_missing_with_older_lads_is_still_the_serious_signal_first(pack: ContentPack) -> None:
    found = threshold.assess(pack, "boy keeps going missing, comes back with new trainers from older lads")
    assert set(found.ranked[0].topics) == {"missing", "exploitation"} and found.ranked[0].level == 4


# --- denials -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "denied"),
    [
        ("there has never been any self harm, she just seems flat", "self-harm"),
        ("he has never been reported missing, mum worries about his temper", "missing"),
        ("no marks or injuries seen, mum seems very low", "physical-abuse"),
        ("no concerns about drinking but the house is filthy", "substance-misuse"),
        ("it isn't domestic abuse as far as we know, they argue about money", "domestic-abuse"),
        # the denial inside the phrase, after the person it speaks of
        ("stepdad has never hit the boys, the flat is just a tip", "physical-abuse"),
        ("grandad isn't violent, he forgets to pick her up", "domestic-abuse"),
        # a short denial just before a phrase of two words
        ("he's not self harming as far as I know, he just seems withdrawn", "self-harm"),
    ],
)
def test_a_worry_the_asker_denies_is_not_named_as_a_concern(pack: ContentPack, question: str, denied: str) -> None:
    assert denied not in threshold.assess(pack, question).concerns


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # a denial at a sentence's end reaches nothing in the next sentence
        ("she'll marry a cousin she's never met. she's been cutting", "self-harm"),
        ("he says the phones aren't his. reeking of weed when he came in", "substance-misuse"),
        ("mum has never said why! she's been cutting again", "self-harm"),
    ],
)
def test_a_denial_ends_with_its_sentence(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in threshold.assess(pack, question).concerns


def test_sentence_starts_are_the_positions_after_a_full_stop() -> None:
    from handlers.threshold.reading import sentence_starts

    text = "she's never met him. she's been cutting; 3.5 stone lost"
    words = guidance.words_of(text)
    assert sentence_starts(text, words) == frozenset({4, 7})
    assert sentence_starts(text, words[:-1]) == frozenset()  # words that are not the text's: none


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("no food in the house", "neglect"),
        ("16 yo not in college", "education"),
        ("she hasn't been to school for weeks", "education"),
        ("he is not eating", "neglect"),
        ("no marks seen today but dad hits him", "physical-abuse"),
        ("mum never feeds them breakfast", "neglect"),
    ],
)
def test_a_worry_said_with_a_negation_is_still_a_worry(pack: ContentPack, question: str, topic: str) -> None:
    assert topic in threshold.assess(pack, question).concerns


@pytest.mark.parametrize(
    "question",
    [
        "my nan is 84 and has dementia, a carer keeps taking money from her purse",
        "an adult with autism at our church is being used by his so called mates",
        "my sister is 41 and her husband won't let her see anyone",
        # a pensioner scammed online; the asker's own parent in a home; a grown-up on probation
        "my elderly aunt sent thousands to someone she met on a dating site",
        "my mum's nursing home leaves her in wet sheets all morning",
        "a 26 yr old I key-work has stopped going to probation and is back on spice",
    ],
)
async def test_a_question_about_an_adult_alone_points_to_adult_social_care(runtime: Runtime, question: str) -> None:
    found = threshold.assess(runtime.ctx.pack, question)
    assert found.adult and not found.ranked
    shown = text_of((await runtime.dispatcher.handle(command("threshold", question))).replies)
    assert "adult social care" in shown and not re.search(r"^1\. ", shown, re.MULTILINE)
    assert EMERGENCY in shown and JUDGEMENT in shown


@pytest.mark.parametrize(
    "question",
    [
        "dad is 45 and drinking heavily",
        "my friend is 34 and her husband controls her money, they have a 3 yo",
        "she's 14 and the man she calls her boyfriend is 23",
        "mum aged 19 with a newborn, partner is 40",
        "she won't come home, she stays at a 20 yr old man's flat",
        # a serious signal with a parent or a child in it stays a child's worry
        "dad is 45 and she says he touches her at night",
        "my colleague's son is 15 and says he wants to end his life",
        # a child said, not ruled out; a child's carer
        "she doesn't have her own room and the kids share a mattress",
        "the adult son lives with them and the carer says the 6 yo is frightened of him",
        # a young person's age after the person; a child beside an old person
        "my sister 14 is cutting herself",
        "nan has dementia and her grandson, 12, cares for her after school",
        # a young person's own words; a child in a care home
        "my boyfriend says I owe him for the phone he got me",
        "missing episodes from care home",
        "14yo is her nans carer and misses school",
        # a young person online beside an old person; a parent of 25 in prison with a child
        "my nan is 70 and my 13 year old brother is being groomed online",
        "dad is 25 and in prison, his 4 yo keeps asking where he is",
    ],
)
def test_an_adult_beside_a_child_or_a_parent_is_still_about_the_child(runtime: Runtime, question: str) -> None:
    assert not threshold.assess(runtime.ctx.pack, question).adult


@pytest.mark.parametrize(
    "question",
    [
        "my neighbour is in her 70s, lives alone and I haven't seen her for days",
        "a colleague (she's 29, no kids) says her partner checks her phone and takes her wages",
        # an old person's son or daughter is grown up
        "my elderly uncle has dementia and his daughter has stopped visiting him",
        # a colleague is an adult
        "a colleague told me her husband hits her when he drinks",
        # a serious signal about an adult alone still goes to adult services, with 999 in the footer
        "a 52 year old man at the foodbank said he wants to end his life",
        # children ruled out in other words, an in-law, an adult's paid carer
        "my friend's husband reads all her messages, they don't have any children",
        "my sister in law is drinking every night and her husband has left",
        "an adult with autism says the carer who visits him takes his bank card",
        # an age straight after the person, or "about" an age; an old person who goes missing or
        # misses visits; the asker naming adult services; a count of grown-ups
        "my brother (38) has been sleeping in his car since his divorce",
        "lady next door, about 85, is letting strangers in and seems muddled",
        "my elderly mum with dementia keeps going missing at night",
        "man at our church, about 70, has given all his savings to a new friend, is that adult safeguarding",
        "how do I budget for feeding 5 adults on universal credit",
        # the asker's own partner; a grandparent in a care home
        "my husband reads all my messages and takes my bank card, is that abuse",
        "my grandad is in a nursing home and the staff shout at him",
        "my grans carer has been taking money from her purse",
        "an adult with learning disabilities says her son shouts at her and takes her money",
        "man in his 50s with learning disabilities, some lads have moved into his flat",
    ],
)
def test_an_adult_by_decade_or_with_no_children_is_about_an_adult(runtime: Runtime, question: str) -> None:
    assert threshold.assess(runtime.ctx.pack, question).adult


@pytest.mark.parametrize(
    "question",
    [
        "cla yp not back since friday, phone off",
        "cin child missing overnight again, no contact",
        "cyp on a cpp went missing from school at lunch",
        # a midwife's and a school's shorthand: weeks of a pregnancy, drug use, no fixed abode, early help
        "mw here - first booking at 30/40, ivdu, sofa surfing",
        "att 71%, no eh, mum not engaging, what now",
    ],
)
def test_the_trades_words_for_a_child_keep_a_question_about_safeguarding(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.off_topic and found.ranked


@pytest.mark.parametrize(
    "question",
    [
        "the cat has been shut in the shed for days with no food, who do I ring",
        "next door's puppy is whimpering all night",
        "our school hamster has stopped eating, what do we do",
    ],
)
def test_an_animals_welfare_with_no_child_in_it_is_not_a_safeguarding_question(
    pack: ContentPack, question: str
) -> None:
    found = threshold.assess(pack, question)
    assert found.off_topic and not found.ranked


@pytest.mark.parametrize(
    "question",
    ["house filthy, dog mess on the floor", "the dog bit the 4yo and mum didn't take her to a&e"],
)
def test_an_animal_beside_a_childs_worry_is_still_the_childs(pack: ContentPack, question: str) -> None:
    assert not threshold.assess(pack, question).off_topic


def test_a_childs_own_word_for_a_parent_keeps_a_disclosure_about_a_child(pack: ContentPack) -> None:
    found = threshold.assess(pack, "yr 1 said 'daddy says if i tell he'll go to jail'")
    assert not found.off_topic and found.ranked


@pytest.mark.parametrize(
    "question",
    [
        "yr 2 told the TA 'daddy says if i tell anyone about the bath game he'll go to jail'",
        "she says her uncle plays a special game with her and she mustnt tell",
    ],
)
def test_a_secret_game_a_child_must_not_tell_about_leads_with_sexual_abuse_at_level_4(
    pack: ContentPack, question: str
) -> None:
    found = threshold.assess(pack, question)
    assert found.ranked[0].level == 4 and "sexual-abuse" in found.ranked[0].topics


async def test_threshold_alone_fits_a_phone_with_each_level_one_tap_away(runtime: Runtime) -> None:
    answer = (await runtime.dispatcher.handle(command("threshold", ""))).replies[0]
    before_footer = answer.blocks[: next(i for i, b in enumerate(answer.blocks) if isinstance(b, Divider))]
    shown = "\n".join(b.text for b in before_footer if isinstance(b, Header | Text | Caption))
    assert len(shown) <= threshold.PHONE_BUDGET, len(shown)
    assert "a cycle, not a ladder" in shown, "Medway's own picture of the levels stays"
    buttons = next(b for b in before_footer if isinstance(b, Buttons)).buttons
    assert [b.value for b in buttons] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    "question",
    [
        "i'm not sleeping since a hard case last week, is there counselling for staff",
        "ive been signed off with stress, my manager wants me back, what support is there",
    ],
)
async def test_the_askers_own_wellbeing_points_to_staff_support(runtime: Runtime, question: str) -> None:
    found = threshold.assess(runtime.ctx.pack, question)
    assert found.own_wellbeing and found.off_topic and not found.ranked
    shown = text_of((await runtime.dispatcher.handle(command("threshold", question))).replies)
    assert "occupational health" in shown and EMERGENCY in shown and JUDGEMENT in shown


@pytest.mark.parametrize(
    "question",
    [
        "im so stressed at school and i want to hurt myself",  # a young person writes "I" too
        "i'm stressed because my mum drinks every night, i'm 14",
        "since a difficult case i keep thinking about the baby with the bruises",
    ],
)
def test_anyone_else_or_a_serious_signal_beside_the_asker_keeps_it_a_childs_question(
    pack: ContentPack, question: str
) -> None:
    found = threshold.assess(pack, question)
    assert not found.own_wellbeing and not found.off_topic


@pytest.mark.parametrize(
    "question",
    [
        "noticed fresh cuts on the boy's arm in PE",
        "scratches on a yr 9's wrist again",
        "there are new cuts on the girl's arm",
    ],
)
def test_a_childs_possessive_before_a_part_of_the_body_is_whose_it_is(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.off_topic and "self-harm" in found.concerns, (question, found.concerns)


def test_a_pupils_possessive_keeps_an_adults_message_a_childs_worry(pack: ContentPack) -> None:
    found = threshold.assess(pack, "a yr 8's phone had messages from an adult asking to meet up")
    assert not found.off_topic and not found.adult, found.concerns


@pytest.mark.parametrize(
    "question",
    [
        "theres alot of domestic voilence at home, police out twice this month",
        "she told me her stepbrother touches her and says he'll hurt the cat if she tells",
    ],
)
def test_a_topics_own_name_or_a_threat_to_a_pet_is_never_refused(pack: ContentPack, question: str) -> None:
    found = threshold.assess(pack, question)
    assert not found.off_topic and found.ranked, (question, found.concerns)


@pytest.mark.parametrize(
    "question", ["9 year old says uncle showed him rude videos", "mums boyfriend shows her porn on his phone"]
)
def test_an_adult_showing_a_child_sexual_videos_leads_with_sexual_abuse_at_level_4(
    pack: ContentPack, question: str
) -> None:
    # an outside audit (lookups3 F3): the Level 4 indicator, which names exactly this, was under More
    best = first(pack, question)
    assert "sexual-abuse" in best.topics and best.level == 4, best


# --- who is asking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # the fortieth blind set's askers (read after it was measured): the job led the answer
        (
            "As a housing officer I've noticed a family's 10-year-old daughter does all the shopping and cleaning "
            "because her mum uses a wheelchair.",
            "young-carer",
        ),
        ("probation - my client's 16 yr old stepson told me 'I've been sleeping at the bus station'", "homeless-16-17"),
        ("A&E - dad brought his 2 yr old in with a head injury, smelled of drink", "physical-abuse"),
    ],
)
def test_the_askers_job_does_not_lead_the_answer(pack: ContentPack, question: str, lead: str) -> None:
    assert lead in first(pack, question).topics


def test_a_concern_only_the_askers_job_brings_is_still_recognised_after_the_worry(pack: ContentPack) -> None:
    found = threshold.assess(pack, "midwife - 17 yr old, sofa surfing since her mum threw her out")
    assert "homeless-16-17" in found.ranked[0].topics
    assert "pre-birth" in found.concerns  # a midwife's patient is pregnant


@pytest.mark.parametrize(
    "text", ["mental health - teen self harming and not eating", "domestic abuse: dad hit mum again last night"]
)
def test_a_topic_typed_first_is_not_taken_for_the_asker(text: str) -> None:
    from handlers.threshold.asker import without_asker

    assert without_asker(text) == text


@pytest.mark.parametrize("question", ["Midwife - my patient is 15, what level?", "IDVA - client has two children"])
def test_when_the_askers_job_is_all_there_is_it_is_read(pack: ContentPack, question: str) -> None:
    # a review of the session: without the job these were off-topic or found nothing
    found = threshold.assess(pack, question)
    assert not found.off_topic and not found.nothing_close and found.ranked
