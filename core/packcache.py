"""What a content pack's YAML files read as, kept in the data folder by the digest of their bytes.

Reading YAML is most of loading the shipped pack: synonyms.yaml (0.4 MB) alone takes 0.13-0.24 s
with libyaml, on every start and every command that loads the pack. The same bytes, read back
from this cache as JSON, take a few milliseconds. A file is read as YAML again whenever one of its
bytes changes, and only a file that read cleanly is kept, so a new or edited file always meets
the pack's own checks (repeated keys, nesting, unreadable values). What comes back is validated
as any freshly read file is.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("sgbot.content")

# Part of every digest, with the source of this module and of the pack's YAML reader
# (core/contentpack.py), PyYAML's version and Python's: a change to how values are written here or
# to what the reader builds makes every kept file stale at once, without anyone having to say so.
FORMAT = b"sgbot-parsed-pack-1"
_TAG = "\x00"  # a JSON object whose one key starts with this holds a value JSON has no form for


class _NoForm(Exception):
    """A value this cache cannot write; the file is simply not kept."""


@functools.cache
def _reader_version() -> bytes:
    import yaml

    from core import contentpack

    parts = [FORMAT, yaml.__version__.encode(), sys.version.encode()]
    parts += [Path(module).read_bytes() for module in (__file__, contentpack.__file__)]
    return hashlib.blake2b(b"\0".join(parts), digest_size=20).digest()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(_reader_version() + data, digest_size=20).hexdigest()


def _path(folder: Path, filename: str, data: bytes) -> Path:
    return folder / f"{filename}.{_digest(data)}.json"


def _tagged(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith(_TAG) for k in value):
            return {k: _tagged(v) for k, v in value.items()}
        return {_TAG + "map": [[_tagged(k), _tagged(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):  # before date: every datetime is a date
        return {_TAG + "datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG + "date": value.isoformat()}
    if isinstance(value, set):
        return {_TAG + "set": [_tagged(v) for v in value]}
    if isinstance(value, bytes):
        return {_TAG + "bytes": base64.b64encode(value).decode()}
    raise _NoForm(type(value).__name__)


def _map(pairs: list[list[Any]]) -> dict[Any, Any]:
    return {key: value for key, value in pairs}


_UNTAG: dict[str, Any] = {
    _TAG + "map": _map,
    _TAG + "datetime": dt.datetime.fromisoformat,
    _TAG + "date": dt.date.fromisoformat,
    _TAG + "set": set,
    _TAG + "bytes": base64.b64decode,
}


def _reader() -> json.JSONDecoder:
    """A decoder that gives equal texts one string, as the YAML reader does (the validated models
    keep the strings as they are, and the pack repeats thousands of ids and section names)."""
    texts: dict[str, str] = {}

    def one_string(value: Any) -> Any:
        return texts.setdefault(value, value) if type(value) is str else value

    def untag(obj: dict[str, Any]) -> Any:
        if len(obj) == 1:
            key = next(iter(obj))
            if key.startswith(_TAG):
                return _UNTAG[key](obj[key])
        for key, value in obj.items():
            if type(value) is str:
                obj[key] = texts.setdefault(value, value)
            elif type(value) is list:
                obj[key] = [one_string(v) for v in value]
        return obj

    return json.JSONDecoder(object_hook=untag)


def read(folder: Path | None, filename: str, data: bytes) -> Any | None:
    """The kept reading of these bytes, or None when there is none (or it cannot be read back)."""
    if folder is None:
        return None
    try:
        text = _path(folder, filename, data).read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        return _reader().decode(text)
    except (ValueError, KeyError, TypeError) as exc:  # damaged: read the YAML instead, and keep it again
        log.debug("the kept reading of %s could not be used (%s)", filename, exc)
        return None


def keep(folder: Path | None, filename: str, data: bytes, parsed: Any) -> None:
    """Keep the reading of these bytes, replacing the file's earlier ones. Never fails: without a
    folder that can be written, the pack is simply read as YAML each time."""
    if folder is None:
        return
    try:
        text = json.dumps(_tagged(parsed), ensure_ascii=False, separators=(",", ":"))
    except (_NoForm, ValueError) as exc:
        log.debug("the reading of %s is not kept (%s)", filename, exc)
        return
    target = _path(folder, filename, data)
    written = ""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as tmp:
            written = tmp.name
            tmp.write(text)
        os.replace(written, target)  # whole or not at all, even with two processes starting at once
        written = ""
        for older in folder.glob(f"{filename}.*.json"):
            if older != target:
                older.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("the reading of %s is not kept (%s)", filename, exc)
        if written:
            with contextlib.suppress(OSError):
                os.unlink(written)
