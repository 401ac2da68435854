"""The answers /threshold gives: the first screen that fits a phone, "More", the sources, a level
in full, the overview, and the off-topic and nothing-close answers. Every answer is wrapped with
the safety footer in __init__."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from core.contentpack import ContentPack
from core.model import Button, Buttons, Caption, Header, Text
from handlers import contacts, glossary, guidance
from handlers.threshold.index import ThresholdIndex, index_of
from handlers.threshold.pack import DOMAIN_NAMES, Domain, Level, Levels, Topic
from handlers.threshold.reading import (
    FIRST_SCREEN,
    Assessment,
    Ranked,
    _ranked,
    asked_for_level,
    asks_for_verdict,
    asks_whether_to_refer,
    assess,
    clauses_of,
    danger_read,
    disputes_a_decision,
    main_topic,
    mentioned_level,
)

# --- answers -----------------------------------------------------------------------------------


def _contact_text(pack: ContentPack, level: Level) -> str:
    book = contacts.contacts_of(pack)
    numbers = [contacts.phone(c) for c in (book.by_id(i) for i in level.contacts) if c is not None and c.number]
    return level.who_to_contact + (f" ({'; '.join(numbers)})" if numbers else "")


_NO_SUCH_LEVEL = re.compile(r"(?:level|lvl)\s*[-:]?\s*-?\d{1,3}", re.IGNORECASE)
# "level -1" is a minus, not the hyphen of "level-1" (a new user got level 1 in full)
_NEGATIVE_LEVEL = re.compile(r"(?:level|lvl)(?:\s+|\s*[-:]\s*)-\s*\d{1,3}", re.IGNORECASE)
_FIRST_SENTENCE = re.compile(r"^.+?[.!?](?=\s|$)", re.DOTALL)
OVERVIEW_HINT = (
    "Describe the worry (`/threshold baby not brought to appointments`) or tap a level for what to do and whom to call."
)


def _level_buttons(pack: ContentPack) -> Buttons:
    numbers = [lv.number for lv in pack.get(Levels).levels]
    buttons = [Button(label=f"Level {n} in full", action_id="threshold:level", value=str(n)) for n in numbers]
    return Buttons(buttons=buttons)


def overview(pack: ContentPack, lead: Iterable[Any] = (), *, asked: bool = True) -> list[Any]:
    """Every level in one line and a button for each in full. Asked for (`/threshold` alone), it
    opens with the continuum's first sentence (Medway's "a cycle, not a ladder"); after a
    question that found nothing close, that sentence only when the screen still fits a phone
    (PHONE_BUDGET with what leads it), and the lead says how to ask instead of the hint."""
    levels = pack.get(Levels)
    body: list[Any] = [
        Header(text=f"{levels.continuum.title} — {pack.partnership.short_name}"),
        Text(text="\n".join(f"- **{lv.title}:** {lv.summary}" for lv in levels.levels)),
        *([Text(text=OVERVIEW_HINT)] if asked else []),
    ]
    if sources := _short_sources(pack, [levels.continuum.source, *(lv.source for lv in levels.levels)]):
        body.append(sources)
    banner = guidance.sample_banner(pack)
    shown = [*lead, *body, *([banner] if banner else [])]
    used = sum(len(b.text) + 1 for b in shown if isinstance(b, Header | Text | Caption))
    opening = _FIRST_SENTENCE.match(levels.continuum.text.strip())
    if opening and (asked or used + len(opening.group()) + 1 <= PHONE_BUDGET):
        body.insert(1, Text(text=opening.group()))
    body.append(_level_buttons(pack))
    return body


def level_in_full(pack: ContentPack, level: Level) -> list[Any]:
    blocks: list[Any] = [
        Header(text=level.title),
        Text(text=f"{level.summary}\n**Support:** {level.route}"),
        Text(text="**What to do**\n" + "\n".join(f"- {step}" for step in level.do)),
        Text(text=f"**Who to contact:** {_contact_text(pack, level)}"),
    ]
    for domain in Domain:
        items = [i for i in level.indicators if i.domain is domain]
        if items:
            heading = f"**Indicators — {DOMAIN_NAMES[domain]}** (examples, not a checklist)"
            blocks.append(Text(text=heading + "\n" + "\n".join(f"- {i.text}" for i in items)))
    blocks += _sources(pack, [level.source, *(i.source for i in level.indicators)])
    return blocks


def _sources(pack: ContentPack, refs: list[Any]) -> list[Any]:
    line = guidance.sources_line(pack, refs)
    return [line] if line else []


def _short_source(pack: ContentPack, ref: Any) -> str:
    """'Kent Support Level Guidance, Level 4 indicators': a document's name without its
    parenthesis or subtitle, and a section without its description."""
    doc = pack.document(ref.doc)
    title = re.split(r" \(|, ", doc.title if doc else ref.doc, maxsplit=1)[0]
    section = re.split(r" [–—-] |: ", ref.section, maxsplit=1)[0] if ref.section else ""
    return f"{title}, {section}" if section else title


def _short_sources(pack: ContentPack, refs: Iterable[Any]) -> Caption | None:
    """One short line: each document once, with the sections used from it."""
    by_doc: dict[str, dict[str, None]] = {}
    for ref in refs:
        title, _, section = _short_source(pack, ref).partition(", ")
        by_doc.setdefault(title, {}).update({section: None} if section else {})
    cited = [f"{title} ({_joined(list(sections))})" if sections else title for title, sections in by_doc.items()]
    return Caption(text="Source: " + "; ".join(cited)) if cited else None


_NUMBERED = re.compile(r"^(\w+) (\d+)$")


def _joined(sections: list[str]) -> str:
    """'Level 1; Level 2; Level 3' reads as 'Levels 1-3' (a run) or 'Levels 1, 3' (gaps)."""
    found = [_NUMBERED.match(s) for s in sections]
    words = {m.group(1) for m in found if m}
    if len(sections) < 2 or None in found or len(words) != 1:
        return "; ".join(sections)
    numbers = [int(m.group(2)) for m in found if m]
    run = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    listed = f"{numbers[0]}–{numbers[-1]}" if run else ", ".join(map(str, numbers))
    return f"{words.pop()}s {listed}"


def _listing(index: ThresholdIndex, ranked: list[Ranked], start: int) -> str:
    lines = []
    for n, item in enumerate(ranked, start=start):
        level = index.entries[item.number].level
        topics = ", ".join(t.name for t in (index.topics.get(tid) for tid in item.topics) if t)
        lines.append(f"{n}. {item.text}\n   **{level.title}** · {topics}")
    return "\n".join(lines)


def _what_to_do(index: ThresholdIndex, ranked: list[Ranked], *, urgent: bool = False) -> str:
    """Each level's next step, once, in the order the levels first appear. Under "Call 999 now"
    only the step after the call (the highest level's): an early help plan beside it would
    contradict the call (an outside audit: a toddler on a dual carriageway "right now")."""
    if urgent:
        highest = index.levels.levels[-1]
        return f"**What to do**\n- **After the call:** {highest.do_short}"
    levels = dict.fromkeys(index.entries[r.number].level.number for r in ranked)
    lines = [f"- **Level {n}:** {index.levels.level(n).do_short}" for n in levels]  # type: ignore[union-attr]
    return "**What to do**\n" + "\n".join(lines)


def _notes(index: ThresholdIndex, ranked: list[Ranked], concerns: Iterable[str] = ()) -> list[Topic]:
    """The notes of the shown indicators' topics, and of a concern recognised whose topic has a
    note and no indicators of its own (safer sleeping: no indicator would ever show it)."""
    ids = dict.fromkeys(t for r in ranked for t in r.topics)
    ids.update(dict.fromkeys(c for c in concerns if c not in index.by_topic))
    return [topic for tid in ids if (topic := index.topics.get(tid)) and topic.note]


def _note_text(topics: list[Topic]) -> str:
    return "**Also note**\n" + "\n".join(f"- **{t.name.capitalize()}:** {t.note}" for t in topics)


def _value(index: ThresholdIndex, ranked: list[Ranked], shown: int = 0, *, urgent: bool = False) -> str:
    """A button's value: the pack's fingerprint, how many indicators the first screen showed ("u"
    after it under "Call 999 now", so More keeps to the step after the call), and the indicators'
    numbers; never the question."""
    return f"{index.fingerprint}:{shown}{'u' if urgent else ''}:" + ".".join(str(r.number) for r in ranked)


PHONE_BUDGET = 1000  # characters before the safety footer, so the first screen fits a phone


def matches_answer(
    pack: ContentPack, index: ThresholdIndex, assessment: Assessment, lead: list[Any], *, urgent: bool = False
) -> list[Any]:
    """The first screen: up to three indicators (fewer when three would not fit a phone), each
    level's next step once (only the step after the call when `urgent`), what was recognised,
    short sources, and buttons for the rest and the full citations."""
    if assessment.mentioned:
        intro = f"**You mentioned:** {', '.join(assessment.mentioned)}."
        if assessment.suggested:
            intro += f" **It may also involve:** {', '.join(assessment.suggested)}."
    elif assessment.suggested:
        intro = f"**It may involve:** {', '.join(assessment.suggested)}."
    else:
        intro = f"**Closest to:** {', '.join(assessment.matched[:6]) or 'your words'}."
    above = [Header(text="Closest indicators"), Text(text=f"{intro} Examples to compare, not a checklist.")]
    banner = guidance.sample_banner(pack)
    used = sum(len(b.text) + 1 for b in [*lead, *above, *([banner] if banner else [])])  # + a line break each

    def screen(shown: list[Ranked]) -> list[Any]:
        blocks: list[Any] = [Text(text=_listing(index, shown, 1)), Text(text=_what_to_do(index, shown, urgent=urgent))]
        sources = _short_sources(pack, (index.entries[r.number].indicator.source for r in shown))
        return [*blocks, *([sources] if sources else [])]

    def size(shown: list[Ranked], body: list[Any], with_notes: bool) -> int:
        notes = _notes(index, shown, assessment.concerns)
        return used + sum(len(b.text) + 1 for b in body) + (len(_note_text(notes)) if with_notes and notes else 0)

    first = assessment.ranked[:FIRST_SCREEN]
    body = screen(first)
    while len(first) > 1 and size(first, body, False) > PHONE_BUDGET:
        first = first[:-1]
        body = screen(first)
    # A note saying who must be told (note_first), on the first indicator's concern, comes before
    # a second or third example, which "More" still shows.
    must_tell = any(t.note_first for t in _notes(index, first[:1], assessment.concerns))
    while must_tell and len(first) > 1 and size(first, body, True) > PHONE_BUDGET:
        first = first[:-1]
        body = screen(first)
    notes = _notes(index, first, assessment.concerns)
    # who must be told is shown even past the budget: the FGM duty to report on 101 is the answer
    if notes and (must_tell or size(first, body, True) <= PHONE_BUDGET):
        body.insert(2, Text(text=_note_text(notes)))
        notes = []
    # the note left for More, in a line: for a concern the question names ("neglect", "no food"), not
    # for one an example happens to be tagged with (a re-run found a GCP2 line on an eating disorder)
    elif reminders := [t.reminder for t in notes if t.reminder and t.id in assessment.concerns]:
        line = Text(text=" ".join(f"_{r}_" for r in reminders))
        while len(first) > 1 and size(first, body, False) + len(line.text) + 1 > PHONE_BUDGET:
            first = first[:-1]  # an example makes room: "More" still has it
            body = screen(first)
        body.insert(2, line)
    used = size(first, body, False)
    rest = assessment.ranked[len(first) :]
    buttons = []
    if rest or notes:
        label = f"More ({len(rest)})" if rest else "More"
        value = _value(index, assessment.ranked, len(first), urgent=urgent)
        buttons.append(Button(label=label, action_id="threshold:more", value=value))
    buttons.append(Button(label="Full sources", action_id="threshold:sources", value=_value(index, first)))
    return [*above, *body, Buttons(buttons=buttons)]


def _offer_level(answer: list[Any], number: int) -> None:
    """Add a button for the level a question named to an answer's buttons."""
    buttons = next(b for b in answer if isinstance(b, Buttons))
    buttons.buttons.append(Button(label=f"Level {number} in full", action_id="threshold:level", value=str(number)))


def more_answer(
    pack: ContentPack, index: ThresholdIndex, ranked: list[Ranked], shown: int, urgent: bool = False
) -> list[Any]:
    """After "More": the indicators past the first screen, their next steps (only the step after
    the call when the answer opened with 999) and every topic note."""
    rest = ranked[shown:]
    blocks: list[Any] = [Header(text="More indicators in the guidance")]
    if rest:
        blocks += [Text(text=_listing(index, rest, shown + 1)), Text(text=_what_to_do(index, rest, urgent=urgent))]
    if notes := _notes(index, ranked):
        blocks.append(Text(text=_note_text(notes)))
    refs = [index.entries[r.number].indicator.source for r in rest] + [t.source for t in notes]
    if sources := _short_sources(pack, refs):
        blocks.append(sources)
    blocks.append(Buttons(buttons=[
        Button(label="Full sources", action_id="threshold:sources", value=_value(index, rest or ranked))
    ]))  # fmt: skip
    return blocks


def sources_answer(
    pack: ContentPack, index: ThresholdIndex, ranked: list[Ranked], _shown: int = 0, _urgent: bool = False
) -> list[Any]:
    """The full citation of each indicator shown: document, year, section and link."""
    lines: dict[str, None] = {}
    for item in ranked:
        ref = index.entries[item.number].indicator.source
        doc = pack.document(ref.doc)
        title = doc.title if doc else ref.doc
        year = f" ({doc.year})" if doc and doc.year and doc.year not in title else ""
        link = f" {doc.url}" if doc and doc.url else ""
        section = f", {ref.section}" if ref.section else ""
        lines.setdefault(f"- {title}{year}{section}.{link}")
    return [Header(text="Where these indicators come from"), Text(text="\n".join(lines))]


def from_button_value(index: ThresholdIndex, value: str) -> tuple[list[Ranked], int, bool] | None:
    fingerprint, shown, numbers = (value.split(":") + ["", ""])[:3]
    urgent = shown.endswith("u")
    shown = shown.removesuffix("u")
    if fingerprint != index.fingerprint or not numbers or not shown.isdigit():
        return None
    try:
        picked = [int(n) for n in numbers.split(".")]
    except ValueError:
        return None
    if not all(0 <= n < len(index.entries) for n in picked):
        return None
    return [_ranked(index, n, 0.0, "") for n in picked], int(shown), urgent


# Under "Call 999 now", examples of a level that says to support a family with its consent would
# say the opposite ("baby not breathing gone blue, mum screaming" led with arguments between parents
# at level 2, a twelfth blind audit): a level named beside the danger below level 3 is not offered.
URGENT_FLOOR = 3


def top_level_of_the_concerns_said(index: ThresholdIndex, assessment: Assessment) -> Assessment:
    """For a child in danger right now, only the closest examples of the top level that are about a
    concern the question was read to describe: a sixteenth blind audit found the first example under
    "Call 999 now" fitted the danger 8 times in 30 ("Neglect that keeps returning - poor hygiene" under
    a toddler on the motorway's hard shoulder, coercive control under a house on fire, a young carer
    under a baby's head injury). With none left, the opener and the levels are the answer."""
    top = max(level.number for level in index.levels.levels)
    concerns = set(assessment.concerns)
    ranked = [r for r in assessment.ranked if r.level == top and r.topics[0] in concerns]
    return replace(assessment, ranked=ranked)


OFF_TOPIC_TEXT = (
    "I answer safeguarding guidance about children: levels of need, what to do, whom to contact. For "
    "anything else (IT, parking, expenses, an animal's welfare), ask your own organisation or the service "
    "that deals with it."
)
TRAINING_HINT = " For the partnership's courses, their dates and booking a place, see `/training`."
_ABOUT_TRAINING = re.compile(
    r"\b(?:course|courses|training|trainings|workshop|webinar|book me|booking|e-?learning)\b", re.IGNORECASE
)
ADULT_TEXT = (
    "This guidance is about children. For an adult who may be at risk of abuse or neglect, contact adult "
    "social care where they live (999 if they are in danger now). If children live with them too, ask "
    "again about the children."
)
# A care leaver is an adult, but the council that looked after them keeps duties to them up to 25
# (Children Act 1989, sections 23C to 24B): not adult social care alone.
CARE_LEAVER_TEXT = (
    "A care leaver keeps support from the council that looked after them until they are 25: contact "
    "their personal adviser or the leaving care team. If they may be at risk of abuse or neglect, "
    "contact adult social care where they live too (999 if they are in danger now)."
)
# "a colleague keeps making racist jokes": how a grown-up behaves at work, with no child in it, is
# for their manager or HR; how they treat children is an allegation, for the LADO route.
COLLEAGUE_TEXT = (
    "This guidance is about children. A worry about how a colleague behaves at work goes to your "
    "manager or HR. If it is about how they treat a child, that is an allegation against someone who "
    "works with children: tell your DSL or manager today (the LADO route), and ask /threshold about the child."
)
_COLLEAGUE = re.compile(r"\b(?:colleague|colleagues|co-?worker|workmate|member of staff|staff member)s?\b", re.I)
# ...but a colleague who is hurt, afraid or in danger is an adult at risk, for adult social care
_COLLEAGUE_AT_RISK = re.compile(
    r"\b(?:hits?|hitting|hurts?|beats?|abused?|assaulted|raped|scared|afraid|frightened"
    r"|kill\s+(?:her|him|them)sel(?:f|ves)|suicid\w*|self[- ]harm\w*|overdos\w*|husband|wife|partner|boyfriend"
    r"|girlfriend|told me|said (?:she|he|they)|disclosed)\b",
    re.I,
)
_CARE_LEAVER = re.compile(r"\bcare\s*leavers?\b|\bleft care\b|\bleaving care\b", re.IGNORECASE)
OWN_WELLBEING_TEXT = (
    "This guidance is about children. For your own wellbeing after hard work, talk to your manager or "
    "supervisor; your employer's occupational health or staff support service can help too. If a child "
    "is part of the worry, ask again about the child."
)
OTHER_LANGUAGE_TEXT = (
    "I can only read questions in English for now, so I can't match this one to the guidance. If you "
    "can, ask again in English; the emergency route below works whatever the language."
)
NOTHING_CLOSE_TEXT = (
    "I couldn't find indicators close to that in the guidance: try saying what you saw or heard in other "
    "words, or tap a level below for what to do and whom to contact."
)


# The partnership's escalation policy is how a practitioner challenges a decision they think
# leaves a child unsafe (README, /escalation).
DISPUTE_TEXT = (
    "If you think a decision about a referral leaves the child unsafe, you can challenge it: "
    "/escalation gives the partnership's steps, and a child at immediate risk goes straight to 999."
)


def call_999_now(pack: ContentPack) -> str:
    """The first line of an answer about a child in danger right now, from the pack's contacts."""
    book = contacts.contacts_of(pack)
    emergency = book.first(contacts.ContactKind.EMERGENCY)
    front = book.first(contacts.ContactKind.FRONT_DOOR)
    assert emergency and front  # the pack's cross-check guarantees them
    return (
        f"**Call {emergency.number} now** if a child's life is in danger or they are being hurt right now: "
        f"ask for an ambulance or the police and do what they tell you. Then tell your DSL and {front.name}."
    )


# "how do i make a referral to first response": a question about the process, with no worry in it,
# answered as one (it matched "making a Prevent referral" once)
_HOW_TO_REFER = re.compile(
    r"\b(?:how|where)\s+(?:do|can|should|would|shall)\s+(?:i|we|you)\s+"
    r"(?:(?:make|send|do|put\s+in|submit)\s+(?:a\s+|the\s+|my\s+)?)?(?:refer\w*|contact\s+first\s+response)"
    r"|\bhow\s+to\s+(?:make\s+a\s+)?refer\w*",
    re.IGNORECASE,
)


def asks_how_to_refer(text: str) -> bool:
    """ "How do I refer?", "how to make a referral": answered with the front door's route."""
    return _HOW_TO_REFER.search(text) is not None


def how_to_refer(pack: ContentPack) -> str:
    """How to make a referral, from the pack's contacts: the front door, out of hours, its note."""
    front = contacts.contacts_of(pack).first(contacts.ContactKind.FRONT_DOOR)
    assert front  # the pack's cross-check guarantees it
    text = f"To make a referral, contact {contacts.front_door_route(pack)}"
    text += ". Tell your DSL, but never let waiting for them delay a contact about harm."
    if front.note:
        text += f" {front.note}"
    return text + " Describe the worry here (`/threshold baby not brought to appointments`) to see its level."


def answer_with_assessment(pack: ContentPack, text: str) -> tuple[list[Any], str, Assessment | None]:
    """The body of a /threshold answer (without banner and closing), the topic to count it
    under, and the assessment when the question was matched."""
    index = index_of(pack)
    text = text.strip()
    if not text:
        return overview(pack), "overview", None
    bare = text.rstrip(" .?!")  # "Level -1." is "level -1"
    number = None if _NEGATIVE_LEVEL.fullmatch(bare) else asked_for_level(index, text)
    if number is not None:
        level = index.levels.level(number)
        assert level is not None
        return level_in_full(pack, level), f"level-{number}", None
    if _NO_SUCH_LEVEL.fullmatch(bare):
        # "level 0", "level 9": a level the pack does not have is said so, not searched for (an
        # outside audit got "I couldn't find indicators close to that")
        numbers = [lv.number for lv in index.levels.levels]
        said = f"The levels of need are {min(numbers)} to {max(numbers)}: tap one, or type `/threshold level 2`."
        return [Text(text=said), *overview(pack, asked=False)], "overview", None
    words = index.text.vocabulary.tokens(text)
    danger = frozenset(words[i] for i in danger_read(index, words, clauses_of(text)))
    urgent = bool(danger)
    if guidance.mostly_not_english(text) and not urgent:
        # whatever the words matched would be chance: say so, and the levels and the footer follow
        return [Text(text=OTHER_LANGUAGE_TEXT), Text(text=OVERVIEW_HINT), _level_buttons(pack)], "other-language", None
    # a child in danger now: the line to call 999 comes first, and "is this serious enough to
    # call 999?" is answered by it rather than declined
    note = [Text(text=call_999_now(pack))] if urgent else []
    if asks_for_verdict(text) and not urgent:
        note = [Text(text=guidance.NO_DECISION)]
    if disputes_a_decision(text) and not urgent:
        note.append(Text(text=DISPUTE_TEXT))
    mentioned = mentioned_level(index, text)
    assessment = assess(pack, text, danger)
    if urgent:
        assessment = top_level_of_the_concerns_said(index, assessment)
    if note and mentioned is not None and not assessment.ranked and not urgent:
        # "does this meet level 4?": no verdict, but the level in full to compare with
        return [*note, *level_in_full(pack, index.levels.level(mentioned))], f"level-{mentioned}", None  # type: ignore[arg-type]
    topic = main_topic(assessment)
    if _HOW_TO_REFER.search(text) and not assessment.concerns and not urgent:
        return [Text(text=how_to_refer(pack)), _level_buttons(pack)], "how-to-refer", assessment
    if assessment.adult:
        said = (
            CARE_LEAVER_TEXT
            if _CARE_LEAVER.search(text)
            else COLLEAGUE_TEXT
            if _COLLEAGUE.search(text) and not _COLLEAGUE_AT_RISK.search(text)
            else ADULT_TEXT
        )
        adult = [Text(text=said), Text(text=OVERVIEW_HINT), _level_buttons(pack)]
        return [*(note if urgent else []), *adult], "adult", assessment
    if assessment.own_wellbeing:
        staff_support = [Text(text=OWN_WELLBEING_TEXT), Text(text=OVERVIEW_HINT), _level_buttons(pack)]
        return staff_support, "own-wellbeing", assessment
    if not urgent and not _ABOUT_TRAINING.search(text) and (terms := _terms_asked_about(pack, text, assessment)):
        # "what is a section 47", "strategy discussion after an abduction attempt that was foiled":
        # a term's meaning, not indicators matched on its words ("section" as in sectioned)
        pointer = Text(text=f"That is in the glossary (`/glossary {terms[0].term}`):")
        also = [Text(text="Also in your question: " + ", ".join(f"**{t.term}**" for t in terms[1:4]))]
        meaning = [pointer, *glossary.describe(pack, terms[0]), *(also if terms[1:] else [])]
        return [*note, *meaning, Text(text=OVERVIEW_HINT), _level_buttons(pack)], "glossary", assessment
    if assessment.off_topic and not urgent:
        if note and asks_whether_to_refer(text):
            # "do I need to refer?", with nothing about the child: who decides, and the levels
            return [*note, Text(text=OVERVIEW_HINT), _level_buttons(pack)], topic, assessment
        # no child's situation to decline to judge ("the meeting room wifi keeps dropping out")
        # nothing to compare with the levels, so only the way back to them; a question about a
        # course is for /training ("what time is the thresholds course tmrw")
        said = OFF_TOPIC_TEXT + (TRAINING_HINT if _ABOUT_TRAINING.search(text) else "")
        return [Text(text=said), Text(text=OVERVIEW_HINT), _level_buttons(pack)], topic, assessment
    if urgent and (not assessment.concerns or not assessment.ranked):
        # "the baby is not breathing": indicators matched on a child word or a "not" would only
        # distract; the line to call 999, the levels and the emergency route below are the answer
        return [*note, *overview(pack, note, asked=False)], topic, assessment
    # every concern named is one with a note and no indicators ("safer sleeping"): examples matched on
    # its words ("sleeping" rough) would mislead, so its note and the levels are the answer
    only_notes = bool(assessment.concerns) and all(c not in index.by_topic for c in assessment.concerns)
    if assessment.ranked and not only_notes:
        # "would a 15 yo drinking at weekends meet early help?": the indicators closest to the
        # worry on a phone-sized screen, and the level named one tap away (in full it fills
        # several screens)
        answer = matches_answer(pack, index, assessment, note, urgent=urgent)
        if mentioned is not None and not (urgent and mentioned < URGENT_FLOOR):
            _offer_level(answer, mentioned)
        return [*note, *answer], topic, assessment
    if mentioned is not None:
        return [*note, *level_in_full(pack, index.levels.level(mentioned))], f"level-{mentioned}", assessment  # type: ignore[arg-type]
    # a concern with a note and no indicators ("SUDI"): its note, then the levels
    notes = _notes(index, [], assessment.concerns)
    nothing = NOTHING_CLOSE_TEXT + (TRAINING_HINT if _ABOUT_TRAINING.search(text) else "")
    lead = [*note, *([Text(text=_note_text(notes))] if notes else [Text(text=nothing)])]
    return [*lead, *overview(pack, lead, asked=False)], topic, assessment


def _terms_asked_about(pack: ContentPack, text: str, assessment: Assessment) -> list[glossary.GlossaryEntry]:
    """The glossary entries a question asks about ("what is a section 47", "MARAC?"), or those an
    off-topic question names ("when is a strategy discussion needed"); none for a worry that names
    a term in passing ("LADO referral for a teacher who hit a pupil")."""
    if (glossary.asks_about_a_term(pack, text) and _WHAT_IS.search(text)) or assessment.off_topic:
        return glossary.named_in(pack, text)
    return []  # "DA", "CSE": a topic's guidance, as asked


# A question about what a term means ("what is a section 47", "explain LADO"), not the term alone
_WHAT_IS = re.compile(
    r"\b(?:what(?:'s|s)?|wat|explain|define|meaning|means?|stand(?:s)? for|definition)\b", re.IGNORECASE
)


def threshold_answer(pack: ContentPack, text: str) -> tuple[list[Any], str]:
    """The body of a /threshold answer (without banner and closing) and the topic to count it under."""
    body, topic, _assessment = answer_with_assessment(pack, text)
    return body, topic


def topics_for(pack: ContentPack, typed: str) -> list[str]:
    """Topic names to offer while someone types (Discord's autocomplete); never what they typed."""
    return sorted((t.name for t in pack.get(Levels).topics), key=str.lower)
