"""Moved: the training rules are in handlers/training/ (schedule.py, files.py, courses.py).

Kept only for bot/cli_surveys.py's `from handlers.training_schedule import CourseCatalogue`; once
that import names handlers.training.courses, delete this module."""

from handlers.training.courses import CourseCatalogue

__all__ = ["CourseCatalogue"]
