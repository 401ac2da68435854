"""sgbot runtime: dispatch, respond, adapters, scheduling, delivery and the command line."""

import sys

from core import __version__

# The bot never runs httpx's command-line client, whose import (httpx/_main.py) loads rich, pygments
# and click into every process that uses httpx; without it httpx defines a stand-in `main` instead.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

__all__ = ["__version__"]
