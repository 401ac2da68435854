"""Who is asking, said before the worry ("A&E nurse - ...", "housing officer: ...", "As a midwife
I ..."): the asker's job, not the child's situation, so /threshold reads the worry without it. A
housing officer's question is not about housing, nor a probation officer's about a parent in prison,
nor an A&E nurse's about a health need, unless the worry itself says so."""

from __future__ import annotations

from core.patterns import lazy_compile

# Words a job title is made of, as practitioners type them before their question.
_ROLE_WORDS = (
    r"a&e|a\s*and\s*e|ae|ed|ane|paeds?|paediatric|children'?s|childrens|ward|nurse|nursing|doctor|dr|gp|practice"
    r"|receptionist|reception|midwife|midwief|mw|hv|health|visitor|school|dental|dentist|orthodontist|optician"
    r"|pharmacy|pharmacist|police|polic|polcie|pc|pcso|response|neighbourhood|officer|offcer|probation|housing"
    r"|tenancy|social|worker|sw|dsl|ddsl|teacher|ta|senco|head|pastoral|year|youth|coach|taxi|cab|minibus|bus"
    r"|driver|hotel|night|manager|cleaner|shop|security|supermarket|till|staff|paramedic|ambulance|crew|camhs"
    r"|cmht|adult|mental|team|drug|alcohol|substance|misuse|service|learning|disability|ld|librarian|library|gym"
    r"|lifeguard|swim|swimming|leisure|centre|council|family|support|early|help|practitioner|key|keyworker"
    r"|parent|parenting|outreach"
    r"|nursery|childminder|preschool|foster|carer|residential|home|hospital|student|assistant|receptionist"
    r"|community|ward|sister|matron|consultant|registrar|therapist|psychologist|counsellor|mentor|attendance"
    r"|welfare|ewo|faith|church|mosque|imam|pastor|vicar|leader|volunteer|scout|guide|cadet|club|sports"
    r"|football|boxing|dance|music|tutor|lunchtime|dinner|lady|caretaker|site|porter|call|handler|111|999"
    r"|contact|centre|supervisor|hmp|prison|yot|yjs|cafcass|iso|idva|isva|domestic|abuse|advocate|refuge"
)
# ...ending in a word that names a job or a workplace, so that a topic typed first ("mental health -
# ...", "domestic abuse: ...") is never taken for the asker
_ROLE_ENDS = (
    r"nurse|doctor|dr|gp|receptionist|midwife|midwief|mw|hv|visitor|dentist|orthodontist|optician|pharmacist"
    r"|pharmacy|police|polic|polcie|pc|pcso|officer|offcer|probation|worker|sw|dsl|ddsl|teacher|ta|senco|coach"
    r"|driver|manager|cleaner|security|staff|paramedic|ambulance|crew|camhs|cmht|team|service|librarian"
    r"|lifeguard|practitioner|keyworker|childminder|carer|assistant|sister|matron|consultant|registrar|therapist"
    r"|psychologist|counsellor|mentor|ewo|imam|pastor|vicar|leader|volunteer|tutor|lady|caretaker|porter|handler"
    r"|supervisor|cafcass|idva|isva|advocate|reception|a&e|ae|ed|paeds|nursery|school|hotel|shop|supermarket"
    r"|gym|library|dental|practice|hospital|ward|refuge|yot|yjs|hmp"
)
_ROLE = rf"(?:(?:{_ROLE_WORDS})\s+){{0,4}}(?:{_ROLE_ENDS})\b"
# "A&E nurse - ...", "police response: ...", "HV here, ...", "paramedic on scene - ...",
# "As a housing officer I ...", "I'm a school nurse and ...", "I manage a gym and ..."
_ASKER = lazy_compile(
    rf"^\s*(?i:(?:hi|hello)[\s,!.]+)?(?i:"
    rf"(?:i'?m\s+an?|i\s+am\s+an?|as\s+an?|we'?re\s+an?)\s+{_ROLE}(?:\s+(?:and|here))?[\s,.:;-]+"
    rf"|i\s+(?:work\s+(?:in|at|for)|manage|run|drive)\s+(?:an?\s+|the\s+)?{_ROLE}(?:\s+and)?[\s,.:;-]+"
    # "HV visit - 6wk baby ...", "school nurse drop in: ...": the asker on a visit or a session of theirs
    rf"|{_ROLE}(?:\s+(?:here|asking|on\s+scene|at\s+the\s+door(?:\s+now)?|again|(?:home\s+|new\s+birth\s+)?visit"
    r"|drop[\s-]?in|clinic|check))?\s*(?:[-–—:]|,|\.(?=\s))\s*"
    r")"
)


def without_asker(text: str) -> str:
    """`text` with a leading "who I am" taken off, when what follows still says something."""
    found = _ASKER.match(text)
    if found is None:
        return text
    rest = text[found.end() :]
    return rest if len(rest.split()) >= 3 else text
