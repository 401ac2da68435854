"""A small feature used only by the Slack adapter's tests: one of each kind of reply.

Everything it is asked is recorded in `ctx.services["slacktest"]`, so tests can check that
a request reached its handler, and how many times."""

from __future__ import annotations

import asyncio
from typing import Any

from core.context import Context
from core.model import (
    Button,
    Buttons,
    File,
    Form,
    FormErrors,
    FormField,
    Image,
    Option,
    Reply,
    Request,
    Text,
    reply,
)
from core.registry import action, command, thread_replies


def log(ctx: Context) -> dict[str, Any]:
    return ctx.services.setdefault("slacktest", {"calls": [], "going": set(), "feedback": []})


@command("echo", usage="TEXT", help="Repeat the text to the channel.")
async def echo(req: Request, ctx: Context) -> Reply:
    log(ctx)["calls"].append(("echo", req.text))
    return reply(Text(text=req.text), public=True, summary=req.text)


@command("rsvp", help="Post a session with RSVP buttons.")
async def rsvp(req: Request, ctx: Context) -> Reply:
    return rsvp_card()


def rsvp_card() -> Reply:
    """The session post with RSVP buttons, as /rsvp answers it (and as a test posts it otherwise)."""
    return reply(
        "**Neglect awareness**, 9 March",
        Buttons(
            buttons=[
                Button(label="Going", action_id="slacktest:rsvp", value="s1-yes", style="primary"),
                Button(label="Not going", action_id="slacktest:rsvp", value="s1-no"),
                Button(label="Course page", url="https://example.org/courses/neglect"),
            ]
        ),
        public=True,
    )


@action("slacktest:rsvp", pattern=r"^s1-(yes|no)$")
async def rsvp_pressed(req: Request, ctx: Context) -> Reply:
    state = log(ctx)
    state["calls"].append(("rsvp", req.user_id, req.value, req.message_id))
    if req.value.endswith("yes"):
        state["going"].add(req.user_id)
    else:
        state["going"].discard(req.user_id)
    return reply(f"**Neglect awareness**, 9 March — {len(state['going'])} going", public=True, replace_original=True)


@command("feedback", help="Open the feedback form.")
async def feedback(req: Request, ctx: Context) -> Reply:
    form = Form(
        action_id="slacktest:feedback",
        title="Feedback on the neglect awareness session",
        value="s1",
        fields=[
            FormField(id="comment", label="What will you do differently?", kind="multiline"),
            FormField(
                id="rating",
                label="How useful was it?",
                kind="select",
                required=False,
                options=[Option(label="Good", value="good"), Option(label="Poor", value="poor")],
            ),
        ],
    )
    return Reply(form=form)


@action("slacktest:feedback")
async def feedback_sent(req: Request, ctx: Context) -> Reply | FormErrors:
    log(ctx)["calls"].append(("feedback", req.value, dict(req.form)))
    if not req.form.get("comment", "").strip():
        return FormErrors(errors={"comment": "Write a sentence about what you will do differently."})
    log(ctx)["feedback"].append((req.value, req.form["comment"], req.form.get("rating", "")))
    return reply("Thank you: your feedback was saved.")


@thread_replies("slacktest")
async def thread_message(req: Request, ctx: Context) -> Reply:
    log(ctx)["calls"].append(("thread", req.value, req.text, req.thread_id))
    return reply(f"Noted your reply for session {req.value}.")


@command("calendar", help="Send a calendar file.")
async def calendar(req: Request, ctx: Context) -> Reply:
    return reply(
        "Here is the session for your calendar.",
        File(filename="neglect-awareness.ics", content="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", mime="text/calendar"),
    )


def gate(ctx: Context) -> asyncio.Event:
    """Holds /slow until the test opens it."""
    return log(ctx).setdefault("gate", asyncio.Event())


@command("chart", help="Post a chart to the channel.")
async def chart(req: Request, ctx: Context) -> Reply:
    path = ctx.settings.data_dir / "chart.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    return reply("Confidence before and after the course", Image(path=str(path), alt="Confidence chart"), public=True)


@command("slow", help="Answer once the test opens the gate.")
async def slow(req: Request, ctx: Context) -> Reply:
    await gate(ctx).wait()
    log(ctx)["calls"].append(("slow", req.text))
    return reply("Done, after a while.")


@command("publish", help="Trainers only.", role="trainer")
async def publish(req: Request, ctx: Context) -> Reply:
    log(ctx)["calls"].append(("publish", req.user_id))
    return reply("Published.")


@command("fail", help="Always fails.")
async def fail(req: Request, ctx: Context) -> Reply:
    raise RuntimeError("a bug")
