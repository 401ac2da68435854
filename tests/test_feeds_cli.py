"""The feeds, bulletin and briefing command lines, run as a new user would: the first preview as a
real process, the rest through the same typer app in this process (`sgbot_in_process`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.feedserver import FakeFeed, Item, feed_server_fixture, feed_server_once_fixture, rss  # noqa: F401
from tests.test_cli import sgbot, sgbot_in_process

RECENT = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
LOCAL_PUBLISHER = {"FEEDS_ALLOW_HOSTS": "127.0.0.1"}  # the test publisher is on loopback, refused by default
HOSTILE = Item(
    "a", "Annual report <!channel>", "https://panel.example.org/a", "<p>Read <b>it</b> @everyone</p>", RECENT
)


def no_traceback(result: object) -> None:
    assert "Traceback" not in result.stdout + result.stderr  # type: ignore[attr-defined]


def test_preview_a_feed_file_in_the_console_format(tmp_path: Path) -> None:
    old = Item("o", "Old news", "https://panel.example.org/o", "", dt.datetime(2020, 1, 6, tzinfo=dt.UTC))
    (tmp_path / "feed.xml").write_bytes(rss([HOSTILE, old], title="Panel news"))
    result = sgbot(["feeds", "preview", "feed.xml"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Panel news: 2 items." in out
    # a terminal pings nobody: the text as the feed wrote it (the platforms' formats below keep
    # the zero-width spaces that stop a ping there)
    assert "Annual report <!channel> (https://panel.example.org/a)" in out
    assert "Read it @everyone" in out
    assert "(item 2 is older than the 14-day age guard: not posted)" in out
    assert not (tmp_path / "data" / "sgbot.db").exists()  # a preview stores nothing
    no_traceback(result)


def test_preview_a_feed_address_as_slack_and_discord_would_post_it(tmp_path: Path, feed_server: HTTPServer) -> None:
    feed = FakeFeed(feed_server, items=[HOSTILE])
    slack = sgbot_in_process(["feeds", "preview", feed.url, "--platform", "slack"], tmp_path, env=LOCAL_PUBLISHER)
    assert slack.returncode == 0, slack.stderr
    assert "Slack chat.postMessage" in slack.stdout
    assert "<!channel" not in slack.stdout and "&lt;\\u200b!channel&gt;" in slack.stdout
    discord = sgbot_in_process(["feeds", "preview", feed.url, "--platform", "discord"], tmp_path, env=LOCAL_PUBLISHER)
    assert discord.returncode == 0, discord.stderr
    body = discord.stdout.split("(Discord message)\n", 1)[1]
    [message] = json.loads(body)
    assert "@everyone" not in json.dumps(message, ensure_ascii=False)
    assert "Annual report" in message["embeds"][0]["description"]
    teams = sgbot_in_process(["feeds", "preview", feed.url, "--platform", "teams"], tmp_path, env=LOCAL_PUBLISHER)
    assert teams.returncode == 0, teams.stderr
    activity = json.loads(teams.stdout.split("(Teams message activity)\n", 1)[1])
    card = json.dumps(activity, ensure_ascii=False)
    assert "Annual report" in card and "<at>" not in card and "@everyone" not in card


def test_a_broken_feed_is_one_sentence_and_exit_1(tmp_path: Path, feed_server: HTTPServer) -> None:
    (tmp_path / "broken.xml").write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x')
    gone = FakeFeed(feed_server, path="/gone.xml", status=410)
    for source, words in (
        ("broken.xml", "not well-formed XML"),
        (gone.url, "removed by its publisher (HTTP 410 Gone)"),
        ("missing.xml", "neither a web address"),
    ):
        result = sgbot_in_process(["feeds", "preview", source], tmp_path, env=LOCAL_PUBLISHER)
        assert result.returncode == 1, source
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Cannot preview that feed:"), result.stderr
        assert words in result.stderr
        no_traceback(result)


def test_an_unknown_platform_is_refused(tmp_path: Path) -> None:
    result = sgbot_in_process(["feeds", "preview", "x.xml", "--platform", "myspace"], tmp_path)
    assert result.returncode == 2 and "--platform must be one of console, slack, discord, teams" in result.stderr


def test_a_markdown_bulletin_is_imported_previewed_and_replaced(tmp_path: Path) -> None:
    (tmp_path / "march.md").write_text(
        "# MSCP bulletin, March 2026\n\n## Neglect\n- GCP2 refresher dates\n", encoding="utf-8"
    )
    result = sgbot_in_process(["bulletin", "import", "march.md"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Bulletin 1 saved as a draft: MSCP bulletin, March 2026." in result.stdout
    (tmp_path / "march.md").write_text("# MSCP bulletin, March 2026 (v2)\n\nNew words.\n", encoding="utf-8")
    replaced = sgbot_in_process(["bulletin", "import", "march.md", "--replace", "1"], tmp_path)
    assert replaced.returncode == 0 and "Bulletin 1 updated" in replaced.stdout
    console = sgbot_in_process(
        ["console", "--as", "cara", "--role", "comms", "--script", "-"], tmp_path, stdin="/bulletin preview 1\n"
    )
    assert "== MSCP bulletin, March 2026 (v2) ==" in console.stdout and "New words." in console.stdout
    (tmp_path / "untitled.md").write_text("no title\n", encoding="utf-8")
    bad = sgbot_in_process(["bulletin", "import", "untitled.md"], tmp_path)
    assert bad.returncode == 1 and "must start with a title line" in bad.stderr
    missing = sgbot_in_process(["bulletin", "import", "march.md", "--replace", "7"], tmp_path)
    assert missing.returncode == 1 and "Bulletin 7 does not exist" in missing.stderr
    no_traceback(bad)


def test_the_briefings_report_counts_posts_and_presses(tmp_path: Path) -> None:
    script = "/briefing schedule laura now #practice\n!1\n!2\n@kim !1\n@kim !1\n"
    chat = sgbot_in_process(["console", "--as", "sam", "--role", "comms", "--script", "-"], tmp_path, stdin=script)
    assert chat.returncode == 0, chat.stdout + chat.stderr
    report = sgbot_in_process(["report", "briefings"], tmp_path)
    assert report.returncode == 0, report.stderr
    lines = {line.split()[0]: line.split() for line in report.stdout.splitlines() if line and line[0].isalpha()}
    assert lines["laura"][-3:] == ["1", "2", "1"]  # 1 channel, 2 people read it, 1 will use it
    assert lines["andy"][-3:] == ["0", "0", "0"]
    assert "hold no user ids" in report.stdout
    # a period counts the posts and presses made in it: the annual report's year, or any days
    today = dt.date.today()
    this_year = today.year if today.month >= 4 else today.year - 1
    for period, want in (
        (["--year", f"{this_year}-{(this_year + 1) % 100:02d}"], ["1", "2", "1"]),
        (["--year", f"{this_year - 1}-{this_year % 100:02d}"], ["0", "0", "0"]),
        (["--from", today.isoformat(), "--to", today.isoformat()], ["1", "2", "1"]),
        (
            ["--from", f"{today - dt.timedelta(days=9):%d/%m/%Y}", "--to", f"{today - dt.timedelta(days=2):%d/%m/%Y}"],
            ["0", "0", "0"],
        ),
    ):
        shown = sgbot_in_process(["report", "briefings", *period], tmp_path)
        assert shown.returncode == 0, shown.stderr
        rows = {line.split()[0]: line.split() for line in shown.stdout.splitlines() if line and line[0].isalpha()}
        assert rows["laura"][-3:] == want, (period, shown.stdout)
        assert "Posts and presses from" in shown.stdout
    wrong = sgbot_in_process(["report", "briefings", "--year", "2025"], tmp_path)
    assert wrong.returncode == 2 and "write it like 2025-26" in wrong.stderr
    no_traceback(wrong)
