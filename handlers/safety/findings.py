"""What the guard reports: the kinds of identifying detail, and a `Finding` that holds a kind and
a position but never the matched text, so it can be logged or counted safely."""

from __future__ import annotations

from dataclasses import dataclass

NHS_NUMBER = "nhs_number"
DATE_OF_BIRTH = "date_of_birth"
POSTCODE = "postcode"
PHONE = "phone"
EMAIL = "email"
NAME = "name"
ADDRESS = "address"
HANDLE = "handle"
PUPIL_NUMBER = "pupil_number"
SCHOOL = "school"
VEHICLE = "vehicle_registration"
CASE_REFERENCE = "case_reference"
DESCRIPTION = "description"  # what happened where and when, a one-person workplace, unique marks
# ...and, in a survey comment only, what could say who wrote it (handlers/safety/writers.py)
WORKPLACE = "workplace"
STAFF_NUMBER = "staff_number"

LABELS = {
    NHS_NUMBER: "NHS number",
    DATE_OF_BIRTH: "date of birth",
    POSTCODE: "postcode",
    PHONE: "phone number",
    EMAIL: "email address",
    NAME: "name",
    ADDRESS: "address",
    HANDLE: "social media handle",
    PUPIL_NUMBER: "pupil number",
    SCHOOL: "school",
    VEHICLE: "vehicle registration",
    CASE_REFERENCE: "case reference",
    DESCRIPTION: "identifying description",
    WORKPLACE: "named workplace",
    STAFF_NUMBER: "staff or registration number",
}


@dataclass(frozen=True)
class Finding:
    """What kind of identifier sits where in the text. Holds no raw text, so it is safe to log."""

    kind: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return LABELS[self.kind]
