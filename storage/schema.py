"""Imports every table module so `metadata` is complete (for migrations and test checks).

Add one import line here when a feature adds a table module."""

from storage import briefings, bulletins, feeds, lookups, models, surveys, teams, training  # noqa: F401

metadata = models.Base.metadata
