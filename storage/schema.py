"""Imports every table module so `metadata` is complete (for migrations and test checks).

Every module under storage/ that defines tables is imported, so a feature adding a table module
needs no line here."""

from __future__ import annotations

import importlib
import pkgutil

import storage
from storage import models

_NOT_TABLES = {"schema", "migrations"}
for _found in sorted(m.name for m in pkgutil.iter_modules(storage.__path__)):
    if _found not in _NOT_TABLES and not _found.startswith("_"):
        importlib.import_module(f"storage.{_found}")

metadata = models.Base.metadata
