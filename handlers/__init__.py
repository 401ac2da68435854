"""The product: one module per feature, platform-neutral.

Add a feature by writing its module and listing it in FEATURES."""

from __future__ import annotations

import importlib
from types import ModuleType

FEATURES = [
    "handlers.help",
    "handlers.debug",
    "handlers.whoami",
    "handlers.guidance",
    "handlers.threshold",
    "handlers.escalation",
    "handlers.glossary",
    "handlers.contacts",
    "handlers.training",
    "handlers.surveys",
    "handlers.impact",
    "handlers.feeds",
    "handlers.bulletins",
    "handlers.briefings",
]


def feature_modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in FEATURES]
