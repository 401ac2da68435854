"""The product: one module or package per feature, platform-neutral.

Every module and package directly under handlers/ is a feature module: its commands, actions,
jobs and content-pack sections are found by the registry, so adding a feature is adding its
module (or package, with the registrations in its __init__) and nothing else."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.registry import Registry


def feature_names() -> list[str]:
    """Every module and package under handlers/, in name order, so every process registers alike."""
    return sorted(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def feature_modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in feature_names()]


def feature_registry() -> Registry:
    """Every feature's commands, actions, jobs and content-pack sections."""
    from core.registry import build_registry

    return build_registry(feature_modules())
