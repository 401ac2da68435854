"""/training: the multi-agency training programme in chat.

- `/training` lists upcoming sessions (`course X`, `topic X` or `month april` narrow it);
  `/training N` shows one with its calendar file; `/training mine` lists your replies;
  `/training courses` lists the programme.
- Trainers and admins: `/training add` (a form), `edit N`, `cancel N [reason]`,
  `announce N [CHANNEL...]`, `attended N [PEOPLE...]` and `courses add`.
- Every change to a session runs under its row lock, and the reminders, waitlist promotions and
  change notices it causes are written to the outbox in the same transaction.

Where things are, for a first read:

    commands.py    /training and its verbs; the lists and views that change nothing; cancelling
    views.py       what people see: a session's blocks, list lines, notices, calendar files
    forms.py       add and edit a session, add a course: the forms and their checks
    posts.py       announcing a session and keeping every copy of its post true
    rsvp.py        Going, Can't go, the waitlist and promotion from it
    reminders.py   the reminder rules and the hourly job
    attendance.py  who attended
    sessions.py    the session a command names; a new session from a checked draft
    messages.py    the outbox rows this feature writes and where they go
    courses.py     the course catalogue: the pack's courses.yaml plus courses trainers add
    schedule.py    rules that need no chat or database: dates, times, clock changes, channels
    files.py       CSV imports and iCalendar files
    cli.py         `sgbot training import | ics | attendance` (bot/cli.py adds it)

The registry (core.registry.build_registry) finds the feature's command, sub-commands, actions,
job, sent-hook and content-pack section in the modules above, where they are written; the names
below are what the command line, the benches and the tests import.
"""

from __future__ import annotations

from handlers.training.attendance import attended_submitted
from handlers.training.commands import calendar_pressed, training
from handlers.training.courses import SECTION, CourseInfo, courses
from handlers.training.forms import add_submitted, course_submitted, edit_submitted
from handlers.training.posts import announcement_posted, refresh_posts
from handlers.training.reminders import keep_reminders_in_step, sync_reminders
from handlers.training.rsvp import rsvp_pressed
from handlers.training.sessions import new_session
from handlers.training.views import calendar_text, session_blocks

__all__ = [
    "training",
    "calendar_pressed",
    "rsvp_pressed",
    "add_submitted",
    "edit_submitted",
    "course_submitted",
    "attended_submitted",
    "keep_reminders_in_step",
    "announcement_posted",
    "SECTION",
    # used by the command line, the benches and the tests
    "CourseInfo",
    "courses",
    "new_session",
    "calendar_text",
    "session_blocks",
    "refresh_posts",
    "sync_reminders",
]
