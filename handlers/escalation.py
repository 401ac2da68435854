"""/escalation: how to challenge another agency's decision when you think a child is left at risk.

Content: `escalation.yaml` in the content pack (the `Escalation` model below): principles, the
stages (who, what, timescale), when the partnership is told, the immediate-risk bypass, and
the common themes of disagreement with the stages they usually start at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from core.contentpack import Cited, ContentPack, Section, Strict
from core.context import Context
from core.model import Divider, Header, Reply, Request, Text, reply
from core.registry import command
from handlers import contacts, guidance, threshold


class Principle(Cited):
    text: str


class Stage(Cited):
    number: int = Field(ge=1, le=9)
    title: str
    who: str
    what: list[str] = Field(min_length=1)
    timescale: str
    partnership_copied: bool = False  # the partnership's business unit gets a copy


class Theme(Cited):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    examples: list[str] = Field(default_factory=list)  # how practitioners put it, for matching
    advice: str
    start_at: int = 1  # the stage to begin at
    # A theme about the asker's own DSL or manager: chosen only when the text names them ("my DSL",
    # "our manager") and says they refuse or agree; never on its words alone ("won't", "referral").
    own_lead: Literal["refuses", "agrees"] | None = None
    # Not a disagreement between agencies at all, with a route of its own (a worry about a colleague
    # goes to the LADO): the advice is the answer, and it comes before the asker's own-lead themes.
    outside_stages: bool = False


class Note(Cited):
    text: str


class Escalation(Strict):
    title: str
    principles: list[Principle] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=1)
    immediate_risk: Note
    partnership_notified: Note
    recording: Note
    themes: list[Theme] = Field(default_factory=list)

    def stage(self, number: int) -> Stage | None:
        return next((s for s in self.stages if s.number == number), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


def _check(pack: ContentPack, value: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    assert isinstance(value, Escalation)
    numbers = [s.number for s in value.stages]
    if numbers != list(range(1, len(numbers) + 1)):
        yield ("stages",), f"stages must be numbered 1, 2, 3... in order; found {numbers}"
    for i, theme in enumerate(value.themes):
        if value.stage(theme.start_at) is None:
            yield (
                ("themes", i, "start_at"),
                f"theme {theme.id!r} starts at stage {theme.start_at}, which does not exist",
            )


ESCALATION = Section("escalation", "escalation.yaml", Escalation, cross_check=_check)


@dataclass
class EscalationIndex:
    escalation: Escalation
    themes: guidance.TextIndex  # keys: theme ids
    stages: guidance.TextIndex  # keys: stage numbers


def _texts(pack: ContentPack) -> list[str]:
    esc = pack.get(Escalation)
    out = [f"{t.name} {' '.join(t.examples)} {t.advice}" for t in esc.themes]
    out += [f"{s.title} {s.who} {' '.join(s.what)}" for s in esc.stages]
    return out


def _build(pack: ContentPack) -> EscalationIndex:
    esc = pack.get(Escalation)
    vocabulary = guidance.vocabulary(pack, _texts, "escalation")
    # own-lead themes are chosen by stance, and those outside the stages by who the worry is about
    ordinary = [t for t in esc.themes if t.own_lead is None and not t.outside_stages]
    themes = guidance.TextIndex.build(vocabulary, [(t.id, f"{t.name} {' '.join(t.examples)}") for t in ordinary])
    stages = guidance.TextIndex.build(vocabulary, [(s.number, s.title) for s in esc.stages])
    return EscalationIndex(esc, themes, stages)


def index_of(pack: ContentPack) -> EscalationIndex:
    return guidance.cached(pack, "escalation", _build)


_STAGE_REF = re.compile(
    r"^\s*+(?:stage|step|level)?\s*+(-?\d{1,3}|one|two|three|four|five|i{1,3}|iv|v)\s*+$", re.IGNORECASE
)  # "stage 0", "stage -1", "stage 12": the stages there are, at a glance
_STAGE_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
# The asker's own side: "my DSL", "our line manager", "the DSL", "I was told not to refer".
_OWN_LEAD = re.compile(
    r"\b(?:(?:my|our)\s+(?:own\s+|line\s+|deputy\s+|designated\s+|safeguarding\s+)*"
    r"(?:d?dsl|manager|lead|head(?:\s*teacher)?|boss|supervisor)|(?:the\s+)?d?dsl|designated\s+(?:safeguarding\s+)?lead"
    r"|i\s+(?:was|am|have\s+been|got)\s+told\s+not\s+to)\b"
    # "head teacher disagrees": a question that begins with the head teacher refusing is about the
    # asker's own (not "I'm a social worker and the head teacher ...", nor another school's)
    r"|^\s*(?:the\s+)?head\s*(?:teacher|master|mistress)\s+(?:disagrees?|won['’]?t|wont|will\s+not|refus\w*"
    r"|says?\s+no|said\s+no|does\s*n['’]?t\s+agree|does\s+not\s+agree|is\s+not\s+happy)\b",
    re.IGNORECASE,
)
_AGREES = re.compile(
    r"\b(?:agrees?|agreed|supports?|supported|backs?\s+me|backed\s+me|on\s+board|on\s+my\s+side)\b", re.I
)
_REFUSES = re.compile(
    r"\b(?:won['’]?t|wont|will\s+not|refus\w*|disagree\w*|reject\w*|not\s+to|told\s+(?:me\s+)?not|says?\s+no|said\s+no"
    r"|against\s+it|stopp\w*|block\w*|reluctant|no\s+need)\b|n['’]?t\b|\bnot\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"(?:\bnot|\bnever|\bno\s+longer|n['’]?t)\s+(?:\w+\s+)?$", re.IGNORECASE)  # just before a word
# A question about the route itself, not a disagreement: the whole route answers it.
_ROUTE_QUESTION = re.compile(
    r"\b(?:how\s+long|timescales?|each\s+stage|every\s+stage|all\s+(?:the\s+)?stages|how\s+many\s+stages"
    r"|(?:is|are|does|do|gets?)\s+the\s+partnership\s+(?:told|informed|notified|copied|know)"
    r"|partnership\s+(?:is\s+|gets?\s+)?(?:told|informed|notified|copied))\b",
    re.IGNORECASE,
)


# A stage named inside a question ("who do I send a stage 2 to"): that stage answers it.
_STAGE_NAMED = re.compile(r"\bstage\s*(\d|one|two|three|four|five)\b", re.IGNORECASE)
# The level of need or a threshold in dispute ("disagreement about level of need"): the pack's
# threshold-decision theme. These words are stopwords for matching (they fill every /threshold
# question), so the theme's examples alone cannot find them.
_LEVEL_OF_NEED = re.compile(
    r"\b(?:levels?\s+of\s+need|thresholds?|(?:support\s+)?level\s+[1-4]|(?:meet|meets|met|meeting)\s+the\s+level)\b",
    re.IGNORECASE,
)
_THRESHOLD_THEME = "threshold-decision"
# "escalation policy", "the policy": asking for the route itself.
_POLICY = re.compile(r"^\s*(?:the\s+|your\s+|our\s+)?(?:\w+\s+)?polic(?:y|ies)\s*\??\s*$", re.IGNORECASE)


def own_lead_stance(text: str) -> Literal["refuses", "agrees"] | None:
    """Whether the text says the asker's own DSL or manager agrees with them or will not act."""
    if not _OWN_LEAD.search(text):
        return None
    for agree in _AGREES.finditer(text):
        if not _NEGATION.search(text[: agree.start()]):
            return "agrees"
    return "refuses" if _REFUSES.search(text) else None


# A stage tried that has not settled it ("escalated twice already manager to manager and still no
# resolution"): the answer is the next stage, not the one already done. Said as a failure, not as
# "already" alone ("I already spoke to her and she agreed"), nor asked about ("what happens at
# stage 2 if still no answer?", "we have not tried stage 1 yet").
_NOT_SETTLED = re.compile(
    r"\b(?:still\s+(?:no|not|nothing|waiting|hasn'?t|haven'?t|won'?t|disagree\w*|refus\w*|says?\s+no|saying\s+no)"
    r"|no\s+resolution"
    r"|not\s+(?:been\s+)?(?:resolved|settled|sorted)|unresolved|got\s+nowhere|nothing\s+(?:has\s+)?changed"
    r"|did(?:n'?t|\s+not)\s+(?:work|help)|no\s+(?:joy|change|progress))\b",
    re.IGNORECASE,
)
# The people each stage is between, as practitioners name them ("been through the team manager and
# the service manager"): a stage gone through by whom it went to.
# Only as whom it went to or through ("been through the team manager", "escalated to their service
# manager"), not the asker's own post ("I am a senior manager") nor their own manager ("my line
# manager", who starts stage 2).
_WENT_TO = r"\b(?:through|to|with|via)\s+(?:the\s+|their\s+|a\s+)?(?:[\w']+\s+){0,5}?"
_STAGE_PEOPLE = (
    (2, re.compile(_WENT_TO + r"(?<!\bmy\s)(?<!\bour\s)(?:team|line)\s+managers?\b", re.IGNORECASE)),
    (
        3,
        re.compile(
            _WENT_TO + r"(?<!\bmy\s)(?<!\bour\s)(?:(?:service|senior|area)\s+managers?|heads?\s+of\s+service)\b",
            re.IGNORECASE,
        ),
    ),
)
_ASKED_ABOUT = re.compile(
    r"\?|^\s*(?:what|how|when|where|which|who|do|does|did|is|are|can|could|should|shall|would|will|if)\b"
    r"|\b(?:not|never|haven'?t|hasn'?t)\s+(?:yet\s+)?(?:tried|done|had|been)\b",
    re.IGNORECASE,
)
# Stage 1 told as what was done: "spoke to the social worker", "raised it with them"
_TALKED_TO_THEM = re.compile(
    r"\b(?:spoke|spoken|talked|raised\s+it|rang|phoned|called)\s+(?:to|with)?\s*(?:the|their|her|his)?\s*"
    r"(?:social\s+worker|sw|practitioner|worker|them)\b",
    re.IGNORECASE,
)
_URGENT = re.compile(r"\b(immediate|imminent|emergency|right now|tonight|in danger|unsafe now)\b", re.IGNORECASE)


def stage_tried(esc: Escalation, text: str) -> Stage | None:
    """The stage the asker says they went through without it settling anything, by its number or
    its title ("manager to manager"); None when they say no such thing."""
    if not _NOT_SETTLED.search(text) or _ASKED_ABOUT.search(text):
        return None
    lowered = " ".join(text.lower().split())
    tried: list[Stage | None] = [s for s in esc.stages if s.title.lower() in lowered]
    if _TALKED_TO_THEM.search(text):
        tried.append(esc.stage(1))
    tried.extend(esc.stage(number) for number, people in _STAGE_PEOPLE if people.search(text))
    if named := _STAGE_NAMED.search(text):
        said = named.group(1).lower()
        tried.append(esc.stage(int(said) if said.isdigit() else _STAGE_WORDS[said]))
    return max((s for s in tried if s is not None), key=lambda s: s.number, default=None)


def stage_line(stage: Stage) -> str:
    copied = " The partnership gets a copy." if stage.partnership_copied else ""
    return f"- **Stage {stage.number} — {stage.title}:** {stage.who}. _Timescale:_ {stage.timescale}.{copied}"


def at_a_glance(pack: ContentPack) -> list[Any]:
    esc = pack.get(Escalation)
    return [
        Header(text=f"{esc.title} — {pack.partnership.short_name}"),
        Text(text="\n".join(f"- {p.text}" for p in esc.principles)),
        Text(text="**Stages**\n" + "\n".join(stage_line(s) for s in esc.stages)),
        Text(text=f"**A child at immediate risk?** {esc.immediate_risk.text}"),
        Text(text=f"{esc.recording.text} {esc.partnership_notified.text}"),
        Text(
            text="See one stage with `/escalation stage 2`, or describe the disagreement in general terms, "
            "e.g. `/escalation they closed the case and I disagree`."
        ),
        *_sources(pack, [*(p.source for p in esc.principles), *(s.source for s in esc.stages)]),
    ]


def stage_in_full(pack: ContentPack, stage: Stage) -> list[Any]:
    esc = pack.get(Escalation)
    following = esc.stage(stage.number + 1)
    lines = [
        f"**Who:** {stage.who}",
        f"**Timescale:** {stage.timescale}",
        "**What to do**",
        *(f"- {step}" for step in stage.what),
    ]
    if stage.partnership_copied:
        lines.append(esc.partnership_notified.text)
    nxt = (
        f"Not resolved? Go to stage {following.number} ({following.title}): `/escalation stage {following.number}`."
        if following
        else "This is the last stage."
    )
    return [
        Header(text=f"Escalation stage {stage.number} of {len(esc.stages)} — {stage.title}"),
        Text(text="\n".join(lines)),
        Text(text=f"{nxt} {esc.recording.text}"),
        Text(text=f"**A child at immediate risk?** {esc.immediate_risk.text}"),
        *_sources(pack, [stage.source, esc.partnership_notified.source, esc.immediate_risk.source]),
    ]


def _sources(pack: ContentPack, refs: list[Any]) -> list[Any]:
    line = guidance.sources_line(pack, refs)
    return [line] if line else []


def escalation_answer(pack: ContentPack, text: str) -> tuple[list[Any], str]:
    """The body of an /escalation answer, and the topic to count it under."""
    index = index_of(pack)
    esc = index.escalation
    text = text.strip()
    if not text:
        return at_a_glance(pack), "overview"
    ref = _STAGE_REF.match(text)
    if ref:
        said = ref.group(1).lower()
        stage = esc.stage(int(said) if said.lstrip("-").isdigit() else _STAGE_WORDS[said])
        if stage is None:
            return [
                Text(text=f"There are {len(esc.stages)} stages. Here they are at a glance."),
                *at_a_glance(pack),
            ], "overview"
        return stage_in_full(pack, stage), f"stage-{stage.number}"
    urgent = [Text(text=f"**If the child is at immediate risk, don't wait:** {esc.immediate_risk.text}")]
    urgent = urgent if _URGENT.search(text) else []
    if _ROUTE_QUESTION.search(text) or _POLICY.match(text):
        return [*urgent, *at_a_glance(pack)], "overview"
    if (tried := stage_tried(esc, text)) is not None and (following := esc.stage(tried.number + 1)) is not None:
        moved_on = Text(
            text=f"Stage {tried.number} ({tried.title.lower()}) has not settled it, so the next step is "
            f"stage {following.number}."
        )
        return [*urgent, moved_on, *stage_in_full(pack, following)], f"stage-{following.number}"
    query = index.themes.query(text)
    stance = own_lead_stance(text)
    own = [t.id for t in esc.themes if stance and t.own_lead == stance]
    named = _STAGE_NAMED.search(text)
    if not own and named:
        said = named.group(1).lower()
        stage = esc.stage(int(said) if said.isdigit() else _STAGE_WORDS[said])
        if stage is not None:
            return [*urgent, *stage_in_full(pack, stage)], f"stage-{stage.number}"
    matched = [h.key for h in index.themes.search(query, min_score=0.3, relative=0.7)]
    if _LEVEL_OF_NEED.search(text) and esc.theme(_THRESHOLD_THEME) is not None:
        matched = [_THRESHOLD_THEME, *(k for k in matched if k != _THRESHOLD_THEME)]
    outside = {t.id for t in esc.themes if t.outside_stages}
    if outside and _ABOUT_STAFF.search(text) and not _LADO_AS_AGENCY.search(text):
        theme_id = sorted(outside)[0]
        return [*urgent, *_own_route(pack, esc.theme(theme_id))], theme_id
    matched = [k for k in matched if k not in outside]  # never a stage route for them
    themes = own[:1] or matched[:2]
    if not themes:
        stages = [h.key for h in index.stages.search(query, min_score=0.4)][:1]
        if stages:
            stage = esc.stage(stages[0])
            assert stage is not None
            return [*urgent, *stage_in_full(pack, stage)], f"stage-{stage.number}"
        worry = _a_worry_not_a_disagreement(pack, text)
        route = (
            "If it is a disagreement with another agency as well, here is the whole route."
            if worry
            else "I couldn't match that to a common kind of disagreement, so here is the whole route. "
            "Talk it through with your DSL or manager: they can help you decide where to start."
        )
        return [*urgent, *worry, Text(text=route), *at_a_glance(pack)], "no-match"
    chosen = [t for t in esc.themes if t.id in themes]
    chosen.sort(key=lambda t: themes.index(t.id))
    lines = []
    for theme in chosen:
        start = esc.stage(theme.start_at)
        assert start is not None
        lines.append(f"**{theme.name}**\n{theme.advice} _Start at stage {start.number}:_ {start.who}.")
    first = esc.stage(chosen[0].start_at)
    assert first is not None
    blocks = [
        *urgent,
        Header(text="Challenging a decision: where to start"),
        Text(text="\n\n".join(lines)),
        Text(text="**Stages**\n" + "\n".join(stage_line(s) for s in esc.stages)),
        # the bypass is said with every kind of disagreement, not only when the words ask for it
        *([] if urgent else [Text(text=f"**A child at immediate risk?** {esc.immediate_risk.text}")]),
        Text(text=f"{esc.recording.text} {esc.partnership_notified.text}"),
        Text(text=f"See what stage {first.number} involves: `/escalation stage {first.number}`."),
        *_sources(pack, [*(t.source for t in chosen), *(s.source for s in esc.stages)]),
    ]
    return blocks, chosen[0].id


# Someone who works with children as the one the worry is about: concerns about them, or what they
# did ("a colleague's behaviour with kids", "the PE teacher is messaging a year 9"). A job named
# otherwise ("a TA raised concerns and the SW won't act", "I am a teacher", "she told her teacher he
# gets hit") is not, nor a colleague's own wellbeing ("worried about a colleague who keeps crying").
_STAFF = (
    r"(?:colleague|member\s+of\s+staff|staff\s+member|teacher|ta|teaching\s+assistant|coach|volunteer"
    r"|youth\s+worker|childminder|nursery\s+worker|foster\s+carer|dinner\s+lady|caretaker)"
)
# words that say someone else did it ("told the TA that mum hit her", "told her teacher he gets hit")
_NOT_STAFF_DOING = r"(?:he|she|they|i|we|him|her|them|that|mum|dad|mother|father|parents?|his|their)\b"
_ABOUT_STAFF = re.compile(
    r"\b(?:concerns?|allegations?)\s+(?:about|against|regarding|re)\s+"
    r"(?:a|the|my|our|one\s+of\s+our)?\s*(?:\w+\s+)?" + _STAFF + r"s?\b"
    r"|\b"
    + _STAFF
    + r"(?:'?s)?(?:\s+(?!"
    + _NOT_STAFF_DOING
    + r")\w+){0,3}?\s+(?:behaviou?r|behaving|messag\w*|text\w*|touch\w*|hit|hitting|"
    r"grabbed|kissed|too\s+close|inappropriate\w*|sending|sent|groom\w*|alone\s+with)\b",
    re.IGNORECASE,
)
# the LADO named as the other side ("the LADO has not replied"): a disagreement with them
_LADO_AS_AGENCY = re.compile(r"\blado\b", re.IGNORECASE)


def _own_route(pack: ContentPack, theme: Theme | None) -> list[Any]:
    """A theme outside the stages: its advice is the whole answer (the footer says 999 and the front door)."""
    assert theme is not None
    return [
        Header(text=theme.name),
        Text(text=f"{theme.advice} This is its own route, not the escalation stages between agencies."),
        *_sources(pack, [theme.source]),
    ]


_DISAGREEING = re.compile(
    r"\b(?:disagree\w*|challeng\w*|escalat\w*|disput\w*|decision|decided|refus\w*|reject\w*|closed|"
    r"my view|their view|(?:won'?t|wouldn'?t|didn'?t|don'?t|doesn'?t) (?:agree|accept|act|listen|take)\w*|"
    r"not (?:agree|accept)\w*|no further action|nfa)\b",
    re.IGNORECASE,
)


def _a_worry_not_a_disagreement(pack: ContentPack, text: str) -> list[Text]:
    """A worry about a child, not a disagreement between agencies ("teacher at my school messaging
    a yr 11 girl on snapchat"): /threshold is where it is answered, and a note that says who must
    be told (the LADO for someone who works with children) is given here too."""
    if _DISAGREEING.search(text):  # "the health visitor disagrees with my view": a disagreement after all
        return []
    found = threshold.assess(pack, text)
    if found.off_topic or not found.concerns:
        return []
    index = threshold.index_of(pack)
    lead = index.topics.get(found.concerns[0])
    if lead is None:
        return []
    said = (
        f"This reads as a worry ({lead.name}) rather than a disagreement between professionals: "
        "**/threshold** gives its level and whom to tell."
    )
    if lead.note and lead.note_first:
        said += f" {lead.note}"
    return [Text(text=said)]


def _read(pack: ContentPack, text: str) -> tuple[tuple[list[Any], str], bool]:
    return escalation_answer(pack, text), contacts.danger_now(pack, text)


@command(
    "escalation",
    usage="[stage N | what the disagreement is about]",
    help="How to challenge another agency's decision: the stages, who, and how fast.",
    long_help="/escalation alone shows the stages at a glance; /escalation stage 2 shows one stage; "
    "describe the disagreement in general terms (never a child's details), e.g. /escalation they closed the "
    "case and I disagree, to see where to start.",
)
async def escalation_command(req: Request, ctx: Context) -> Reply:
    pack = ctx.pack
    screened = await guidance.read_off_loop(req.text, contacts.screen, pack, req.text)
    # the reading (a worry, not a disagreement, is read as /threshold reads it) in a thread for a
    # long question, as the guard's: 4,000 characters of "no no no" held the loop for seconds
    (body, topic), danger = await guidance.read_off_loop(screened.text, _read, pack, screened.text)
    await guidance.count_lookup(ctx, "escalation", topic)
    # a child in danger tonight: 999 first, the disagreement after (an outside practitioner's audit)
    top: list[Any] = [contacts.call_999_now(pack)] if danger else []
    if banner := guidance.sample_banner(pack):
        top.append(banner)
    if screened.had_identifiers:
        top.append(guidance.identifier_warning())
    return reply(*top, *body, Divider(), *contacts.finish(pack), summary="Challenge and escalation")
