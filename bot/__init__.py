"""sgbot runtime: dispatch, respond, adapters, scheduling, delivery and the command line."""

from core import __version__

__all__ = ["__version__"]
