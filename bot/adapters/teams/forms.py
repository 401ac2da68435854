"""A form's journey through a Teams dialog, signed so that any replica can open it and nobody can
change it on the way: the form itself, where it was asked for, and who it was opened for.

Teams opens a dialog only from a button press (`task/fetch`, dialogs.py), and its answer comes back
in a later request (`task/submit`), perhaps to another replica; so the form rides in the dialog's
submit button (and, for a typed command, in the button of the card that opens it) with an HMAC over
all of it. The person is part of what is signed: if a form's data is forwarded or copied, a press or
an answer from anyone else is refused (nothing is saved under their name, and nothing goes to the
chat it was opened in).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.adapters.teams.inbound import Origin
from bot.adapters.teams.render import FORM_KEY
from core.model import Form

SIGNED = ("form", "c", "k", "u")  # the form, the conversation and its kind, the person (from.id)
# Signed when present: the dialog was opened straight from a press (dialogs.py), so nothing of it
# was posted in a chat. Optional, so that forms signed before it was added still open.
PRESSED = "p"


@dataclass(frozen=True)
class SignedForm:
    form: Form
    conversation_id: str  # where it was asked for: public answers go back there
    kind: str  # that conversation's kind (personal, groupChat or channel)
    pressed: bool = False  # opened straight from a button's press, not from a typed command's card


class FormSigner:
    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"sgbot-teams-form\n" + secret).digest()

    def _sign(self, payload: dict[str, Any]) -> str:
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def data(self, form: Form, origin: Origin, *, pressed: bool = False) -> dict[str, Any]:
        """What a form's buttons carry: the form, where it was asked for, for whom, whether it was
        opened straight from a press, and a signature."""
        payload: dict[str, Any] = {
            "form": form.model_dump(mode="json"),
            "c": origin.conversation_id,
            "k": origin.kind,
            "u": origin.user_id,
        }
        if pressed:
            payload[PRESSED] = True
        return {**payload, "sig": self._sign(payload)}

    def read(self, data: Any, user_id: str) -> SignedForm | None:
        """The form a press or a dialog's answer carries, when it is signed as it was made and
        for this person (their Teams id); None for anything else."""
        carried = data.get(FORM_KEY) if isinstance(data, dict) else None
        if not isinstance(carried, dict):
            return None
        payload = {k: carried.get(k) for k in SIGNED}
        if PRESSED in carried:
            payload[PRESSED] = carried[PRESSED]
        # As bytes: compare_digest raises TypeError on a str that is not ASCII (outside audit hostile3 #3).
        if not hmac.compare_digest(str(carried.get("sig", "")).encode(), self._sign(payload).encode()):
            return None
        if not user_id or payload["u"] != user_id:
            return None  # opened for someone else
        try:
            form = Form.model_validate(payload["form"])
        except ValidationError:
            return None
        return SignedForm(form, str(payload["c"]), str(payload["k"]), pressed=payload.get(PRESSED) is True)
