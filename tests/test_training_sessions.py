"""/training through the dispatcher, on SQLite and PostgreSQL: adding, listing, announcing,
replying, the waitlist, changes, cancellation, attendance and the bad inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.clock import FrozenClock
from core.model import Buttons, File, Reply, RequestKind
from storage import audit, threads
from storage import surveys as surveys_store
from storage import training as store
from tests.harness import text_of
from tests.storage_support import down_and_up, in_tx
from tests.training_support import Bot, london, training_bot

WHEN = "2026-03-09 10:00-13:00"  # a week after the test clock's start, Monday 2 March 09:00


@pytest.fixture
async def bot(tmp_path: Path, clock: FrozenClock, database_url: str) -> AsyncIterator[Bot]:
    async with training_bot(tmp_path, clock, database_url) as b:
        yield b


def buttons(reply: Reply) -> list[tuple[str, str, str]]:
    return [
        (b.label, b.action_id, b.value) for block in reply.blocks if isinstance(block, Buttons) for b in block.buttons
    ]


# --- adding --------------------------------------------------------------------------------------


async def test_only_trainers_may_add_and_everyone_else_gets_a_sentence(bot: Bot) -> None:
    text = await bot.text("/training add", user="amy")
    assert text.startswith("Only trainers (role `trainer`) can add training sessions.")
    outcome = await bot.submit("training:add", {"course": "neglect", "when": WHEN, "capacity": "2"}, user="amy")
    assert "Only trainers" in text_of(outcome.replies)
    assert await in_tx(bot.ctx.db, store.list_sessions) == []


async def test_the_add_form_fits_a_discord_modal_and_offers_the_courses(bot: Bot) -> None:
    [form_reply] = await bot.say("/training add gcp2")
    form = form_reply.form
    assert form is not None and form.action_id == "training:add"
    assert len(form.fields) <= 5
    course = form.fields[0]
    assert course.kind == "select" and course.initial == "gcp2"
    assert {"neglect", "gcp2", "trauma-awareness"} <= {o.value for o in course.options}


async def test_a_session_is_added_in_utc_with_its_zone_and_audited(bot: Bot) -> None:
    session = await bot.add_session("2026-07-01 09:30-12:30", capacity=12)
    assert session.start_at == london(2026, 7, 1, 9, 30) and session.start_at.utcoffset() == dt.timedelta(0)
    assert (session.course_id, session.capacity, session.zone, session.version) == ("neglect", 12, "Europe/London", 1)
    assert session.trainer == "console:sam" and session.created_by == "console:sam"
    async with bot.ctx.db.transaction() as tx:
        entries = await audit.entries(tx)
    assert [(e.action, e.subject, e.actor) for e in entries] == [("training.session_added", str(session.id), "sam")]


@pytest.mark.parametrize(
    ("form", "field", "sentence"),
    [
        ({"when": "2026-02-20 10:00-12:00"}, "when", "20 February 2026 has already passed"),
        ({"when": "2026-03-09 10:00-09:00"}, "when", "The end time 09:00 is not after the start time 10:00"),
        ({"course": "knitting"}, "course", 'There is no course "knitting"'),
        ({"capacity": "0"}, "capacity", "Give the number of places as a whole number, at least 1."),
        ({"where": ""}, "where", "Give a venue, an online link, or both."),
        ({"when": "tuesday morning"}, "when", "Give the date and times like 2026-04-21 09:30-12:30"),
    ],
)
async def test_bad_form_input_gets_one_sentence_on_its_field_and_saves_nothing(
    bot: Bot, form: dict[str, str], field: str, sentence: str
) -> None:
    good = {"course": "neglect", "when": WHEN, "capacity": "2", "where": "Gun Wharf", "trainer": ""}
    outcome = await bot.submit("training:add", {**good, **form})
    assert outcome.form_errors is not None
    assert list(outcome.form_errors) == [field]
    assert sentence in outcome.form_errors[field]
    assert await in_tx(bot.ctx.db, store.list_sessions, include_cancelled=True) == []


# --- listing and showing ------------------------------------------------------------------------------


async def test_the_list_filters_by_course_topic_and_month(bot: Bot) -> None:
    neglect = await bot.add_session("2026-03-09 10:00-13:00")
    gcp2 = await bot.add_session("2026-04-14 09:30-15:30", course="gcp2")
    thresholds = await bot.add_session("2026-04-20 13:30", course="thresholds", where="https://teams.example.org/t")
    everything = await bot.text("/training")
    assert everything.index(neglect.title) < everything.index(gcp2.title) < everything.index(thresholds.title)
    assert "2 of 2 places left" in everything
    by_course = await bot.text("/training course gcp2")
    assert gcp2.title in by_course and neglect.title not in by_course
    by_topic = await bot.text("/training topic neglect")  # neglect and GCP2 both carry the tag
    assert neglect.title in by_topic and gcp2.title in by_topic and thresholds.title not in by_topic
    april = await bot.text("/training month april")
    assert "Training in April 2026" in april and neglect.title not in april and thresholds.title in april
    assert thresholds.title in await bot.text("/training thresholds")  # a bare course id filters too
    for written in ("month 04/2026", "month 4/2026", "month 2026-04", "month apr 2026"):  # as people write them
        assert "Training in April 2026" in await bot.text(f"/training {written}"), written
    assert "is not a month I understand" in await bot.text("/training month 13/2026")


async def test_unknown_filters_and_subcommands_get_one_sentence(bot: Bot) -> None:
    assert (await bot.text("/training course knitting")).startswith('There is no course "knitting"')
    assert (await bot.text("/training topic knitting")).startswith('No course has the topic "knitting"')
    assert "is not a month I understand" in await bot.text("/training month smarch")
    unknown = await bot.text("/training frobnicate")  # answered from the declared verbs
    assert unknown.startswith("I don't know /training frobnicate.") and "/training cancel N [reason]" in unknown
    assert (await bot.text("/training 404")).startswith("There is no session 404;")


async def test_showing_a_session_offers_replies_and_its_calendar_file(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    [shown] = await bot.say(f"/training {session.id}", user="amy")
    assert ("Going", "training:rsvp", f"{session.id}:g") in buttons(shown)
    [ics] = [b for b in shown.blocks if isinstance(b, File)]
    assert ics.filename == f"training-{session.id}.ics" and ics.mime == "text/calendar"
    assert "DTSTART;TZID=Europe/London:20260309T100000" in ics.content
    assert "Trainers see this part" not in shown.all_text()
    trainer_view = await bot.text(f"/training {session.id}")
    assert "Trainers see this part" in trainer_view and "**Going (0):** nobody yet" in trainer_view


async def test_the_courses_list_cites_its_sources(bot: Bot) -> None:
    text = await bot.text("/training courses")
    assert "**gcp2** Graded Care Profile 2 (GCP2) licensed course" in text
    assert "source: MSCP Annual Report 2024-25, Graded Care Profile 2 (GCP2)" in text
    assert "(to be confirmed)" in text  # sample details are labelled


# --- announcing and replying --------------------------------------------------------------------------


async def test_announcing_posts_once_per_channel_and_claims_the_thread(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    text = await bot.text(f"/training announce {session.id} training console:general")
    assert "Announcing session" in text and "console:training console:general" in text
    await bot.rt.tick()
    await bot.rt.tick()
    posted = await in_tx(bot.ctx.db, store.announcements, session.id, posted_only=True)
    assert sorted(a.channel_id for a in posted) == ["general", "training"]
    assert bot.posts().count("== Recognising and responding to neglect ==") == 2
    async with bot.ctx.db.transaction() as tx:
        owner = await threads.thread_owner(
            tx,
            platform="console",
            channel_id="training",
            thread_id=next(a.message_id for a in posted if a.channel_id == "training") or "",
        )
    assert owner is not None and (owner.feature, owner.ref) == ("training", str(session.id))
    assert "**Announced:** console:training posted, console:general posted" in await bot.text(f"/training {session.id}")


async def test_announcing_needs_a_trainer_and_a_channel(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    assert (await bot.text(f"/training announce {session.id} training", user="amy")).startswith("Only trainers")
    assert "Say where to announce it" in await bot.text(f"/training announce {session.id}")
    assert '"myspace:x" is not a channel I can post in' in await bot.text(f"/training announce {session.id} myspace:x")
    assert await in_tx(bot.ctx.db, store.announcements, session.id) == []


async def test_three_replies_for_two_places_put_the_third_on_the_waitlist_and_a_cancellation_promotes_them(
    bot: Bot,
) -> None:
    session = await bot.add_session(WHEN, capacity=2)
    post = await bot.announce(session.id)
    first = await bot.reply_to(post, "g", "amy")
    assert first[0].replace_original and "1 of 2 places left" in first[0].all_text()
    assert (
        "You're going to" in first[1].all_text()
        and "I'll remind you 1 week, 1 day and 1 hour before" in first[1].all_text()
    )
    full = await bot.reply_to(post, "g", "ben")
    assert "Places: full" in full[0].all_text()
    assert [b[0] for b in buttons(full[0])] == ["Join waitlist", "Can't go", "Add to calendar"]
    waitlisted = await bot.reply_to(post, "w", "cal")
    assert "It's full, so you're on the waitlist" in text_of(waitlisted) and "number 1" in text_of(waitlisted)
    assert "full, 1 on the waitlist" in waitlisted[0].all_text()

    declined = await bot.reply_to(post, "n", "amy")
    assert "Thanks for letting us know you can't go" in text_of(declined)
    statuses = {r.user_id: r.status for r in await in_tx(bot.ctx.db, store.rsvps, session.id)}
    assert statuses == {"amy": "declined", "ben": "going", "cal": "going"}
    await bot.rt.tick()
    told = bot.posts()
    assert told.count("direct message to cal") == 1
    assert "a place has opened up on **Recognising" not in told  # the console shows plain text
    assert "a place has opened up on Recognising and responding to neglect" in told
    async with bot.ctx.db.transaction() as tx:
        actions = [(e.action, e.detail) for e in await audit.entries(tx)]
    assert ("training.promoted", "console:cal") in actions and ("training.rsvp", "declined") in actions


async def test_pressing_the_same_reply_twice_changes_nothing(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    again = await bot.reply_to(post, "g", "amy")
    assert "You're already down as going" in text_of(again)
    async with bot.ctx.db.transaction() as tx:
        assert [e.action for e in await audit.entries(tx)].count("training.rsvp") == 1


async def test_buttons_for_sessions_that_are_gone_cancelled_or_forged_get_one_sentence(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    post = await bot.announce(session.id)
    gone = await bot.add_session("2026-03-10 10:00-13:00")
    assert await in_tx(bot.ctx.db, store.delete_session, gone.id)
    text = text_of(await bot.press("training:rsvp", f"{gone.id}:g", user="amy"))
    assert text == (
        "That training session no longer exists, so there is nothing to reply to. "
        "Type /training to see what's coming up."
    )
    assert "no longer exists" in text_of(await bot.press("training:calendar", str(gone.id), user="amy"))
    forged = text_of(await bot.press("training:rsvp", "1:maybe; DROP TABLE", user="amy"))
    assert forged == "That button or form is not one I recognise any more. Run the command again to get a fresh one."
    await bot.say(f"/training cancel {session.id}")
    cancelled = text_of(await bot.reply_to(post, "g", "amy"))
    assert cancelled == (
        "Recognising and responding to neglect (session 1) was cancelled, so it isn't taking replies. "
        "Type /training to see other dates."
    ).replace("session 1", f"session {session.id}")
    assert await in_tx(bot.ctx.db, store.rsvps, session.id) == []


async def test_replies_close_when_the_session_starts(bot: Bot, clock: FrozenClock) -> None:
    session = await bot.add_session(WHEN)
    clock.advance(dt.timedelta(days=7, hours=1))
    assert "has already started, so replies are closed" in text_of(
        await bot.press("training:rsvp", f"{session.id}:g", user="amy")
    )


async def test_mine_lists_the_askers_replies(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    mine = await bot.text("/training mine", user="amy")
    assert f"**{session.id}** Recognising and responding to neglect" in mine and "— going" in mine
    assert "You haven't replied to any upcoming sessions" in await bot.text("/training mine", user="ben")


# --- changes and cancellation ---------------------------------------------------------------------------


async def test_a_change_of_time_tells_those_going_or_waiting_once_and_moves_their_reminders(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=1)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    await bot.reply_to(post, "w", "ben")
    await bot.reply_to(post, "n", "cal")
    old_keys = {r.key for r in await bot.outbox(f"reminder:{session.id}:v1:") if r.status == "pending"}
    assert f"reminder:{session.id}:v1:console:amy:1d" in old_keys

    [form_reply] = await bot.say(f"/training edit {session.id}")
    assert form_reply.form is not None and form_reply.form.fields[1].initial == "2026-03-09 10:00-13:00"
    new = {"when": "2026-03-10 14:00-17:00", "capacity": "1", "where": "Gun Wharf, Chatham", "trainer": "Sam"}
    outcome = await bot.submit("training:edit", new, value=str(session.id))
    assert "The time changed: I'm telling the 2 people going or on the waitlist, once each" in text_of(outcome.replies)
    # Saving the same details again is not a change, so nobody is told twice.
    again = await bot.submit("training:edit", new, value=str(session.id))
    shown = text_of(again.replies)
    assert "Nothing changed." in shown and "telling" not in shown

    notices = await bot.outbox(f"training:changed:{session.id}:")
    assert sorted(r.key.rsplit(":", 1)[1] for r in notices if "thread" not in r.key) == ["amy", "ben"]  # not cal
    assert len([r for r in notices if ":thread:" in r.key]) == 1
    old = {r.key: r for r in await bot.outbox(f"reminder:{session.id}:v1:")}
    assert all(old[k].status == "skipped" and "details changed" in (old[k].error or "") for k in old_keys)
    moved = {r.key: r.due_at for r in await bot.outbox(f"reminder:{session.id}:v2:console:amy:")}
    assert moved[f"reminder:{session.id}:v2:console:amy:1d"] == london(2026, 3, 9, 14, 0)
    await bot.rt.tick()
    assert bot.posts().count("has changed: the time.") == 3  # amy, ben and the thread
    assert "Now: Tuesday 10 March 2026, 14:00–17:00, Gun Wharf, Chatham" in bot.posts()


async def test_more_places_move_people_up_from_the_waitlist(bot: Bot) -> None:
    session = await bot.add_session(WHEN, capacity=1)
    post = await bot.announce(session.id)
    for user in ("amy", "ben", "cal"):
        await bot.reply_to(post, "g", user)
    form = {"when": WHEN, "capacity": "3", "where": "Gun Wharf, Chatham", "trainer": ""}
    outcome = await bot.submit("training:edit", form, value=str(session.id))
    assert "2 people moved up from the waitlist" in text_of(outcome.replies)
    assert {r.status for r in await in_tx(bot.ctx.db, store.rsvps, session.id)} == {"going"}


async def test_cancelling_tells_everyone_once_and_skips_the_reminders(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    text = await bot.text(f"/training cancel {session.id} the room flooded")
    assert "is cancelled. I'm telling the 1 person going or on the waitlist, once each" in text
    # a second cancel says so, as an outside audit asked (it said the session "can't be changed")
    assert "is already cancelled; nothing more to do" in await bot.text(f"/training cancel {session.id}")
    await bot.rt.tick()
    await bot.rt.tick()
    assert bot.posts().count("has been cancelled. Reason: the room flooded.") == 2  # amy and the thread
    reminders = await bot.outbox(f"reminder:{session.id}:")
    assert reminders and {r.status for r in reminders} == {"skipped"}
    assert {r.error for r in reminders} == {"not needed: the session was cancelled"}


async def test_cancelling_closes_a_baseline_survey_already_sent(bot: Bot) -> None:
    # Outside audit (sixteenth session): after a cancel the baseline stayed open, took answers and
    # sent its reminder "two taps before you start" for a course that would not run.
    session = await bot.add_session(WHEN)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    assert "Sending the baseline survey" in await bot.text(f"/survey send {session.id} pre-course")
    text = await bot.text(f"/training cancel {session.id}")
    assert "Its survey already sent is closed too: it takes no more answers and sends no reminders." in text
    [survey] = await in_tx(bot.ctx.db, surveys_store.surveys_of_session, session.id)
    assert survey.status == surveys_store.CLOSED
    assert "closed" in await bot.text(f"/survey status {session.id}")
    # /impact for it says why it has no figures, not "No surveys were sent" (trainer audit D2)
    impact = await bot.text(f"/impact {session.id}")
    assert f"Session {session.id} was cancelled, so the impact figures leave it out." in impact
    # announcing it again says what cannot be done: announced, not "changed"
    again = await bot.text(f"/training announce {session.id} news")
    assert f"Session {session.id} has been cancelled, so it can't be announced; add a new one instead." in again


async def test_a_baseline_the_cancel_could_not_close_is_closed_by_the_next_round_unreminded(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A review (sixteenth session): a close that failed after the cancel committed left the survey
    # open for good, and its reminder went out. Here the close fails as a database would.
    import handlers.surveys

    session = await bot.add_session(WHEN)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    assert "Sending the baseline survey" in await bot.text(f"/survey send {session.id} pre-course")

    async def fails(*_args: object, **_kwargs: object) -> None:
        raise ConnectionError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(handlers.surveys, "close_survey", fails)
        text = await bot.text(f"/training cancel {session.id}")
    assert "is cancelled" in text
    assert "Its survey could not be closed just now; the bot closes it within a minute" in text
    await handlers.surveys.survey_rounds(bot.ctx)
    [survey] = await in_tx(bot.ctx.db, surveys_store.surveys_of_session, session.id)
    assert survey.status == surveys_store.CLOSED and survey.reminded_at is None


async def test_a_survey_sent_from_a_session_read_before_its_cancel_is_refused(bot: Bot) -> None:
    # A review: /survey send read the session, a cancel committed, and the survey opened anyway.
    from core.model import UserError
    from handlers.surveys import send_survey

    session = await bot.add_session(WHEN)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    read_before = await in_tx(bot.ctx.db, store.get_session, session.id)
    assert read_before is not None
    await bot.text(f"/training cancel {session.id}")
    with pytest.raises(UserError, match="was cancelled, so there is nobody to survey"):
        await send_survey(bot.ctx, read_before, "pre-course")
    assert await in_tx(bot.ctx.db, surveys_store.surveys_of_session, session.id) == []


# --- attendance -------------------------------------------------------------------------------------------


async def test_attendance_defaults_to_those_going_and_can_be_ticked_by_name(bot: Bot, clock: FrozenClock) -> None:
    session = await bot.add_session(WHEN, capacity=3)
    post = await bot.announce(session.id)
    for user in ("amy", "ben"):
        await bot.reply_to(post, "g", user)
    assert "hasn't started yet" in await bot.text(f"/training attended {session.id}")
    clock.advance(dt.timedelta(days=7, hours=3))
    [form_reply] = await bot.say(f"/training attended {session.id}")
    assert form_reply.form is not None and form_reply.form.fields[0].initial == "amy\nben"
    outcome = await bot.submit("training:attended", {"people": ""}, value=str(session.id))
    assert "Recorded 2 attendee(s)" in text_of(outcome.replies)
    # Dan came without replying: named exactly, as a typo of a name would not be
    # (a register is kept now, so a list that leaves ben out says "only": see the test below)
    text = await bot.text(f"/training attended {session.id} only amy console:dan")
    assert "Recorded 2 attendee(s)" in text and "1 who said they were going did not attend" in text
    marks = {(a.user_id, a.attended) for a in await in_tx(bot.ctx.db, store.attendance, session.id)}
    assert marks == {("amy", True), ("ben", False), ("dan", True)}
    # a trainer sees the register (an outside audit: it was nowhere in /training N)
    assert "**Attended (2):** amy, dan" in await bot.text(f"/training {session.id}")
    [form_reply] = await bot.say(f"/training attended {session.id}")
    assert form_reply.form is not None and form_reply.form.fields[0].initial == "amy\ndan"  # the register now
    assert (await bot.text(f"/training attended {session.id}", user="amy")).startswith("Only trainers")


async def test_a_register_names_people_on_every_platform_teams_included(bot: Bot, clock: FrozenClock) -> None:
    session = await bot.add_session(WHEN, capacity=3)
    clock.advance(dt.timedelta(days=7, hours=3))
    text = await bot.text(f"/training attended {session.id} teams:29:1aBcD slack:U123 discord:4567 console:amy")
    assert "Recorded 4 attendee(s)" in text
    marks = {(a.platform, a.user_id) for a in await in_tx(bot.ctx.db, store.attendance, session.id)}
    assert {("teams", "29:1aBcD"), ("slack", "U123"), ("discord", "4567"), ("console", "amy")} <= marks
    refused = await bot.text(f"/training attended {session.id} myspace:tom")
    assert "is not a person I can record" in refused


async def test_a_mistyped_name_is_refused_with_the_nearest_and_nothing_is_recorded(
    bot: Bot, clock: FrozenClock
) -> None:
    # An outside audit: "amy bne zed" recorded bne and zed, marked Ben absent, and the survey went
    # to bne and zed.
    session = await bot.add_session(WHEN, capacity=3)
    post = await bot.announce(session.id)
    for user in ("amy", "ben"):
        await bot.reply_to(post, "g", user)
    clock.advance(dt.timedelta(days=7, hours=3))
    text = await bot.text(f"/training attended {session.id} amy bne zed")
    assert text.startswith('"bne" (did you mean ben?), "zed" did not reply to session 1 and are not on its register.')
    assert text.endswith("For someone who came without replying, write console:name.")  # the console has no mentions
    assert await in_tx(bot.ctx.db, store.attendance, session.id) == []
    outcome = await bot.submit("training:attended", {"people": "amy\nbne"}, value=str(session.id))
    assert outcome.form_errors is not None and "did you mean ben?" in outcome.form_errors["people"]


async def test_none_empties_the_register_of_everyone_it_held(bot: Bot, clock: FrozenClock) -> None:
    # An outside audit: after "amy console:zed", "none" said "Recorded 0 attendee(s)" and the
    # survey still went to zed
    session = await bot.add_session(WHEN, capacity=3)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    clock.advance(dt.timedelta(days=7, hours=3))
    assert "Recorded 2 attendee(s)" in await bot.text(f"/training attended {session.id} amy console:zed")
    said = await bot.text(f"/training attended {session.id} none")
    assert "Recorded 0 attendee(s)" in said
    # a review: an imported or earlier register taken off by a shorter list is said, not silent
    assert "1 more on the register before this list are now marked as not attending" in said
    marks = {(a.user_id, a.attended) for a in await in_tx(bot.ctx.db, store.attendance, session.id)}
    assert marks == {("amy", False), ("zed", False)}
    assert await in_tx(bot.ctx.db, surveys_store.delegates, session.id) == []  # the survey goes to nobody


# --- courses trainers add ----------------------------------------------------------------------------------


async def test_a_trainer_adds_a_course_and_can_schedule_it(bot: Bot) -> None:
    [form_reply] = await bot.say("/training courses add")
    assert form_reply.form is not None and len(form_reply.form.fields) <= 5
    bad = await bot.submit(
        "training:course_add", {"title": "x", "summary": "", "duration": "0", "delivery": "telepathy", "topics": ""}
    )
    assert bad.form_errors is not None and set(bad.form_errors) == {
        "title",
        "summary",
        "duration",
        "delivery",
        "topics",
    }
    good = {
        "title": "Harmful sexual behaviour",
        "summary": "Recognising and responding to harmful sexual behaviour.",
        "duration": "150",
        "delivery": "in person, virtual",
        "topics": "HSB, Exploitation",
    }
    outcome = await bot.submit("training:course_add", good)
    assert "the id `harmful-sexual-behaviour`" in text_of(outcome.replies)
    assert "already exists" in (await bot.submit("training:course_add", good)).form_errors["title"]  # type: ignore[index]
    session = await bot.add_session("2026-05-05 10:00", course="harmful-sexual-behaviour")
    assert session.end_at - session.start_at == dt.timedelta(minutes=150)
    assert "topics: hsb, exploitation — _source: added by sam_" in await bot.text("/training courses")


async def test_the_course_list_comes_from_whichever_pack_is_loaded(tmp_path: Path, clock: FrozenClock) -> None:
    riverside = Path(__file__).parent / "packs" / "riverside"
    async with training_bot(tmp_path, clock, content_pack=riverside) as bot:
        text = await bot.text("/training courses")
        assert "RCSP training programme" in text and "**river-neglect** Spotting neglect on the riverbank" in text
        assert "gcp2" not in text and "(to be confirmed)" not in text
        session = await bot.add_session("2026-04-01 10:00", course="river-basics")
        assert session.end_at - session.start_at == dt.timedelta(minutes=150)


async def test_announcing_on_a_platform_that_is_not_connected_says_the_post_will_wait(bot: Bot) -> None:
    session = await bot.add_session(WHEN)
    text = await bot.text(f"/training announce {session.id} slack:C0123ABC")
    assert "Slack is not connected to this bot right now, so that post goes out once it is." in text
    await bot.rt.tick()
    [row] = await bot.outbox("training:announce:")
    assert (row.platform, row.status, row.target["channel_id"]) == ("slack", "pending", "C0123ABC")
    assert "**Announced:** slack:C0123ABC pending" in await bot.text(f"/training {session.id}")


@pytest.mark.parametrize(("typed", "minutes"), [("150", 150), ("3 hours", 180), ("90 minutes", 90), ("1.5 hrs", 90),
                                                ("2 hours 30 minutes", 150)])  # fmt: skip
async def test_a_course_length_is_read_in_minutes_or_hours(bot: Bot, typed: str, minutes: int) -> None:
    """An outside audit: "3 hours" was refused, where the session form reads "up to 25 people"."""
    form = {"title": "Harmful sexual behaviour", "summary": "Recognising harmful sexual behaviour.",
            "duration": typed, "delivery": "in person", "topics": "HSB"}  # fmt: skip
    outcome = await bot.submit("training:course_add", form)
    assert outcome.form_errors is None, outcome.form_errors
    session = await bot.add_session("2026-05-05 10:00", course="harmful-sexual-behaviour")
    assert session.end_at - session.start_at == dt.timedelta(minutes=minutes)


async def test_a_course_added_on_teams_names_who_added_it_not_their_id(bot: Bot) -> None:
    """An outside audit of the Teams adapter: the course card said "added by 29:1aBcD..."."""
    form = {"title": "Harmful sexual behaviour", "summary": "Recognising harmful sexual behaviour.",
            "duration": "150", "delivery": "in person", "topics": "HSB"}  # fmt: skip
    submit = bot._request(
        "29:1aBcDeFgHiJ", kind=RequestKind.SUBMIT, action_id="training:course_add", form=form,
        platform="teams", user_name="Sam Patel", roles=frozenset({"practitioner", "trainer"}),
    )  # fmt: skip
    outcome = await bot.handle(submit)
    assert outcome.form_errors is None, outcome.form_errors
    listed = await bot.text("/training courses")
    assert "_source: added by Sam Patel_" in listed and "29:" not in listed


async def test_the_upgrade_names_who_added_a_console_course(bot: Bot) -> None:
    from sqlalchemy import text

    form = {"title": "Harmful sexual behaviour", "summary": "Recognising harmful sexual behaviour.",
            "duration": "150", "delivery": "in person", "topics": "HSB"}  # fmt: skip
    assert (await bot.submit("training:course_add", form)).form_errors is None

    await down_and_up(bot.ctx.db, "0003_training")  # as an earlier version kept it: no name
    async with bot.ctx.db.engine.connect() as conn:
        names = (await conn.execute(text("SELECT created_by_name FROM training_courses"))).scalars().all()
    assert names == ["sam"]


async def test_a_trainer_sees_who_is_going_by_name_with_the_id_attendance_takes(bot: Bot) -> None:
    """An outside look at the trainer's view: on Slack it listed "U07ABC12, U07DEF34"."""
    session = await bot.add_session("2026-03-09 10:00-13:00", capacity=1)
    await bot.announce(session.id)
    for user_id, name in (("U07ABC12", "Sam Patel"), ("U07DEF34", "Ana <@U999> Ruiz")):
        press = bot._request(
            user_id, kind=RequestKind.ACTION, action_id="training:rsvp", value=f"{session.id}:g",
            channel_id="training", platform="slack", user_name=name,
        )  # fmt: skip
        await bot.handle(press)
    await bot.reply_to((await in_tx(bot.ctx.db, store.announcements, session.id))[0], "g", "cal")  # console
    shown = await bot.text(f"/training {session.id}")
    assert "**Going (1):** Sam Patel (slack:U07ABC12)" in shown
    waiting = shown.split("**Waitlist, in order:**")[1].splitlines()[0]
    assert "(slack:U07DEF34)" in waiting and "<@U999>" not in waiting  # a name is shown as text
    assert "cal" in waiting.split(", ") or " cal" in waiting.split(",")  # the console's id is its name: once
    assert "cal (cal)" not in waiting


async def test_a_typed_list_adds_or_replaces_a_kept_register_only_when_told(bot: Bot, clock: FrozenClock) -> None:
    # An outside audit: "/training attended 1 n1_5" for a latecomer took 99 imported attendees off
    # the register of a session whose survey had closed, and with them the annual report's figures
    session = await bot.add_session(WHEN, capacity=3)
    post = await bot.announce(session.id)
    await bot.reply_to(post, "g", "amy")
    clock.advance(dt.timedelta(days=7, hours=3))
    assert "Recorded 2 attendee(s)" in await bot.text(f"/training attended {session.id} amy console:zed")

    def register() -> set[tuple[str, bool]]:
        return {(a.user_id, a.attended) for a in marks}

    refused = await bot.text(f"/training attended {session.id} console:late_one")
    assert refused.startswith(f"Session {session.id} has 2 on its register already, and this list leaves 2 of them")
    assert f"/training attended {session.id} add console:late\u02cdone" in refused  # as shown; it reads back
    marks = await in_tx(bot.ctx.db, store.attendance, session.id)
    assert register() == {("amy", True), ("zed", True)}

    # copied back from the session's lists, where an underscore is shown as a look-alike
    assert "Recorded 3 attendee(s)" in await bot.text(f"/training attended {session.id} add console:late\u02cdone")
    marks = await in_tx(bot.ctx.db, store.attendance, session.id)
    assert register() == {("amy", True), ("zed", True), ("late_one", True)}

    # a review: "add" before any register took everyone going off
    other = await bot.add_session("2026-03-09 14:00-16:00", capacity=3)
    other_post = await bot.announce(other.id)
    await bot.reply_to(other_post, "g", "amy")
    clock.advance(dt.timedelta(hours=5))
    assert "Recorded 2 attendee(s)" in await bot.text(f"/training attended {other.id} add console:late")

    assert "Recorded 1 attendee(s)" in await bot.text(f"/training attended {session.id} only amy")
    marks = await in_tx(bot.ctx.db, store.attendance, session.id)
    assert register() == {("amy", True), ("zed", False), ("late_one", False)}


async def test_the_register_lists_ids_in_the_order_people_read_them(bot: Bot, clock: FrozenClock) -> None:
    # an outside audit: n1_0, n1_1, n1_10, n1_11 ... n1_2
    session = await bot.add_session(WHEN, capacity=3)
    clock.advance(dt.timedelta(days=7, hours=3))
    people = " ".join(f"console:n1_{n}" for n in (10, 2, 1, 0))
    assert "Recorded 4 attendee(s)" in await bot.text(f"/training attended {session.id} {people}")
    shown = await bot.text(f"/training {session.id}")
    assert "**Attended (4):** n1\u02cd0, n1\u02cd1, n1\u02cd2, n1\u02cd10" in shown


@pytest.mark.parametrize("typed", ["-1", "99999999999999999999"])
async def test_a_number_that_is_no_session_number_is_said_so(bot: Bot, typed: str) -> None:
    """An outside audit: "/training -1" got "I don't know /training -1" with the list of verbs."""
    shown = await bot.text(f"/training {typed}")
    assert "is not a session number" in shown and "I don't know" not in shown
