"""A bulletin's links are read where the renderers will read them: a link whose address holds an
unbalanced "(" had its label kept unchecked ([www.gov.uk](https://evil.example/login(1) went out
labelled www.gov.uk, an outside audit found), while the same link without the "(" was shown as
its real address."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.slack.render import mrkdwn
from core import markup
from handlers import bulletins
from handlers.bulletins import markdown_sections


def links(neutral: str) -> list[markup.Link]:
    """Every link, bold ones (a heading's) included."""
    found: list[markup.Link] = []
    tokens: list[markup.Token] = markup.tokens(neutral)
    while tokens:
        token = tokens.pop(0)
        if isinstance(token, markup.Link):
            found.append(token)
        elif isinstance(token, markup.Bold | markup.Italic):
            tokens[:0] = token.children
    return found


@pytest.mark.parametrize(
    "line",
    [
        "Log in at [www.gov.uk](https://evil.example/login) today",
        "Log in at [www.gov.uk](https://evil.example/login(1) today",  # the audit's input
        "Log in at [www.gov.uk](https://evil.example/a(b)c(1) today",
        "Log in at [www.gov.uk](https://evil.example/((1) today",
        "- [GOV.UK guidance](https://evil.example/login(1) today",
        "## [www.gov.uk](https://evil.example/login(1)",
    ],
)
def test_a_label_naming_another_site_gives_way_whatever_the_address_holds(line: str) -> None:
    [section] = markdown_sections(line)
    [link] = links(section)
    assert "gov" not in link.label.lower(), section
    assert link.url.startswith("https://evil.example/") and "(" not in link.url
    assert "|www.gov.uk" not in mrkdwn(section)


def test_an_address_with_balanced_brackets_is_still_read_whole() -> None:
    [section] = markdown_sections("See [the page](https://en.wikipedia.org/wiki/Safeguarding_(law)) now")
    [link] = links(section)
    assert link.label == "the page" and link.url == "https://en.wikipedia.org/wiki/Safeguarding_%28law%29"


def test_the_bulletin_forms_markdown_hint_shows_its_syntax_as_typed() -> None:
    """An outside audit: the hint went through each platform's plain text, which read its own
    examples, so a Slack modal said "…, bold, label)"."""
    from bot.adapters.console.render import plain as console_plain
    from bot.adapters.slack.render import modal
    from handlers.bulletins import _form

    form = _form("new")
    body = next(f for f in form.fields if f.id == "body")
    slack_label = next(b["label"]["text"] for b in modal(form, metadata={})["blocks"] if b["block_id"] == "body")
    for shown in (slack_label, console_plain(body.label)):
        assert "**bold**" in shown and "[label](https://…)" in shown and "## Section" in shown, shown


@pytest.mark.parametrize("unit", ["[", "[a](", "[a](https://x.y/", "**", "`a", "<", "_a"])
def test_a_bulletin_file_built_to_backtrack_is_read_once_on_every_platform(unit: str, tmp_path: Path) -> None:
    """An outside audit (seventeenth session): a 100 KB bulletin file of "[" took minutes to preview
    and to send (the link patterns read a run of brackets again from each one), and 20,000
    characters of "[a](" took 104 s in discord.py's escape_markdown. A line longer than a paragraph
    is refused now, and the most a file may hold goes through each reader once: a pattern that
    retried would stall here."""
    from bot.adapters.discord import render as discord_render
    from bot.adapters.slack import render as slack_render
    from bot.adapters.teams import render as teams_render
    from core.model import Text, reply

    one_line = tmp_path / "one-line.md"
    one_line.write_text("# Spring bulletin\n\n" + unit * ((bulletins.FILE_BYTES - 100) // len(unit)))
    # the file's own line number: its title and a blank line come first
    with pytest.raises(bulletins.BulletinProblem, match="line 3 of the file is .* break it into paragraphs"):
        bulletins.read_markdown_file(one_line)
    paragraph = unit * ((bulletins.LINE_CHARS - 10) // len(unit))
    fullest = tmp_path / "fullest.md"
    fullest.write_text(
        "# Spring bulletin\n\n" + "\n\n".join([paragraph] * (bulletins.FILE_BYTES // len(paragraph) - 1))
    )
    _title, body = bulletins.read_markdown_file(fullest)
    sections = bulletins.markdown_sections(body)
    answer = reply(*(Text(text=s) for s in sections))
    assert slack_render.blocks(answer)
    assert discord_render.render(answer)
    assert all(teams_render.markdown(s) for s in sections)


@pytest.mark.parametrize("spaces", [" ", "\t"])
def test_heading_lines_built_to_backtrack_are_read_once(spaces: str, tmp_path: Path) -> None:
    """An outside audit (eighteenth session): `# a` and a run of spaces took 124 s to read at 3,000
    characters (the heading pattern tried every split of the run), on save, on every preview and
    at send; the title line was read before any length was checked."""
    heading = "a" + spaces * (bulletins.LINE_CHARS - 10) + "b"
    titled = tmp_path / "title.md"
    titled.write_text(f"# {heading}\n\nSpring bulletin")
    with pytest.raises(bulletins.BulletinProblem, match="the title is 2992 characters; keep it to 150"):
        bulletins.read_markdown_file(titled)
    fullest = tmp_path / "headings.md"
    fullest.write_text("# Spring bulletin\n\n" + "\n\n".join([f"## {heading} ##"] * 20))
    title, body = bulletins.read_markdown_file(fullest)
    assert title == "Spring bulletin"
    sections = bulletins.markdown_sections(body)
    assert len(sections) == 20 and all(s.startswith("**a") and s.endswith("b**") for s in sections)


def test_a_line_too_long_in_a_file_is_named_by_its_line_in_the_file(tmp_path: Path) -> None:
    # An outside audit: "line 2 of the text" for what was line 4 of big.md
    big = tmp_path / "big.md"
    big.write_text("# March bulletin\n\nA short first paragraph.\n" + "x" * (bulletins.LINE_CHARS + 1) + "\n")
    with pytest.raises(bulletins.BulletinProblem, match="^line 4 of the file is "):
        bulletins.read_markdown_file(big)
