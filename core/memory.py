"""Handing freed memory back to the system after a burst of allocation.

Loading a content pack and building its indexes parses thousands of YAML nodes and builds
throwaway lists; CPython frees them, but glibc keeps the freed pages mapped, so the process stays
about 5 MB larger for the rest of its life (BENCHMARKS.md, "Idle memory"). `malloc_trim` returns
them. Where the C library has no such call (musl, macOS), this does nothing."""

from __future__ import annotations

import ctypes
import gc


def trim_heap() -> None:
    """Give the C heap's free pages back. Cheap: safe on a question's path."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)


def release_free_memory() -> None:
    """Collect cycles first (about 0.1 s in a running bot), then trim: for work off the loop."""
    gc.collect()
    trim_heap()
