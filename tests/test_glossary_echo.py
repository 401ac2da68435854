"""/glossary names back a term it could not find: what was typed is shown as text only."""

from __future__ import annotations

import pytest

from bot.runtime import load_registry
from core.contentpack import DEFAULT_PACK, load_pack
from core.model import Header, Text
from handlers import glossary


@pytest.mark.parametrize(
    "typed",
    ["[click here](https://evil.example) safeguarding", "**loud** zzqx", "<https://evil.example|x> qqq"],
)
def test_what_was_typed_can_form_no_link_or_bold_in_the_answer(typed: str) -> None:
    pack = load_pack(DEFAULT_PACK, load_registry().sections)
    blocks, _topic = glossary.answer(pack, typed)
    shown = " ".join(b.text for b in blocks if isinstance(b, Header | Text))
    assert "](https://evil.example)" not in shown
    assert "**loud**" not in shown
