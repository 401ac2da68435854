"""The answers of a survey still open, sealed.

While a survey is open, each respondent's answers are one row of `survey_sealed`: their code and
one sealed text (AES-GCM under a key derived from the survey secret, a fresh nonce for every
write) holding every answer they have given, padded to a multiple of PADDING bytes so that its
length says nothing about which option was tapped. So the database file, its write-ahead log,
PostgreSQL's dead rows, indexes and data files, and any backup say at most when a code pressed
something, never what: without the survey secret none of it can be read.

When the survey closes (storage.surveys.close) the rows are opened and written to
`survey_answers` in one go, under new random codes and in the order of those codes, and the
sealed rows are deleted. The answers the reports count were all written at once, in an order
that says nothing, under codes that neither the old ones nor the survey secret lead to.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base

# Every sealed text holds a multiple of this many bytes: enough for every tap and the longest
# comment (1,000 characters, each up to 4 bytes in UTF-8), so all are one length.
PADDING = 8192
_NONCE = 12


class SealedAnswers(Base):
    """One respondent's answers to a survey that is still open, sealed (see the module's note)."""

    __tablename__ = "survey_sealed"
    __table_args__ = ({"sqlite_with_rowid": False},)

    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True)
    respondent: Mapped[str] = mapped_column(String(64), primary_key=True)  # HMAC, hex
    sealed: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class Answer:
    """One answer as the reports will count it once the survey closes."""

    value: str
    measure: str | None = None
    score: int | None = None
    positive: bool | None = None
    free_text: bool = False

    def packed(self) -> list[Any]:
        return [self.value, self.measure, self.score, self.positive, self.free_text]


class Unreadable(Exception):
    """A sealed text that does not open with this key (SURVEY_SECRET changed) or on this row."""


class Sealer:
    """Seals and opens one respondent's answers. The row's survey and code are bound into each
    seal, so a sealed text copied onto another row does not open."""

    def __init__(self, secret: bytes) -> None:
        # Imported on the first answer, not at start-up: about 6.5 MB a bot with no survey never needs.
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sgbot survey answers").derive(secret)
        self._aead = AESGCM(key)

    def seal(self, survey_id: int, respondent: str, answers: dict[str, Answer]) -> str:
        packed = {q: a.packed() for q, a in sorted(answers.items())}
        # As UTF-8, not \u escapes, which take 6 bytes a letter of other alphabets.
        plain = json.dumps(packed, separators=(",", ":"), ensure_ascii=False).encode()
        plain += b" " * (-len(plain) % PADDING)  # JSON may end in spaces
        nonce = os.urandom(_NONCE)
        sealed = self._aead.encrypt(nonce, plain, _bound(survey_id, respondent))
        return base64.b64encode(nonce + sealed).decode()

    def open(self, survey_id: int, respondent: str, sealed: str) -> dict[str, Answer]:
        """The answers; Unreadable if the text was sealed under another key or for another row."""
        from cryptography.exceptions import InvalidTag

        try:
            raw = base64.b64decode(sealed)
            plain = self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], _bound(survey_id, respondent))
        except (InvalidTag, ValueError) as exc:
            raise Unreadable("the sealed answers cannot be opened with this key") from exc
        return {q: Answer(*packed) for q, packed in json.loads(plain).items()}


def _bound(survey_id: int, respondent: str) -> bytes:
    return f"{survey_id}\x1f{respondent}".encode()


@lru_cache(maxsize=4)
def sealer(secret: bytes) -> Sealer:
    return Sealer(secret)


def new_code(old: str, thread_code: str) -> str:
    """A closed survey's code for a respondent: random, as long as the old one, and a thread
    reply's code still marked as one (it is no respondent)."""
    fresh = secrets.token_hex(32)
    return thread_code + fresh[1:] if old.startswith(thread_code) else fresh
