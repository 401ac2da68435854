"""Content packs: a partnership's own guidance as a folder of YAML files.

Each feature declares the section it owns (a file and a pydantic model) next to its handler,
so everything about `/threshold` lives in `handlers/threshold/` and `levels.yaml`. This
module loads the files, validates every section and reports every problem as `file:line`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import math
import os
import re
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core import packcache
from core.config import DEFAULT_PACK as DEFAULT_PACK  # the shipped pack; named here for the pack's readers

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base for pack models: unknown keys are mistakes, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceRef(Strict):
    """Where an entry's facts come from: a document listed in partnership.yaml, and a section."""

    doc: str
    section: str = ""


class Cited(Strict):
    """An entry that cites its source, and may be flagged as still to be confirmed."""

    source: SourceRef
    unconfirmed: bool = False


class Document(Strict):
    id: str
    title: str
    year: str = ""
    url: str = ""


class Partnership(Strict):
    name: str
    short_name: str
    area: str
    owner: str
    reviewed_on: dt.date | None = None
    timezone: str = "Europe/London"
    website: str = ""
    documents: list[Document] = Field(min_length=1)

    @field_validator("reviewed_on", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value in ("", None) else value


@dataclass(frozen=True)
class Section:
    """A file of the pack owned by one feature."""

    name: str
    filename: str
    model: type[BaseModel]
    required: bool = True
    # Extra checks across sections, e.g. "every level referenced exists"; returns
    # (path inside the file, message) pairs.
    cross_check: Callable[[ContentPack, BaseModel], Iterable[tuple[tuple[Any, ...], str]]] | None = None
    # Work worth doing once per loaded pack before the first question uses it (a match index). It
    # is not validation: `sgbot content validate` skips it, and the running bot does it in a
    # thread once it is ready (warm_pack), so neither waits for it.
    warm: Callable[[ContentPack], object] | None = None


PARTNERSHIP = Section("partnership", "partnership.yaml", Partnership)


class _SectionNotLoaded(Exception):
    """A cross-check asked for a section whose file is there but failed to load. Its own problems
    are listed already; what the cross-check would say without it would be false."""


class _Sections(dict[str, BaseModel]):
    """The loaded sections of a pack with some that failed to load: asking for one of those by
    name stops the cross-check that asked."""

    def __init__(self, loaded: dict[str, BaseModel], unloaded: Iterable[str]) -> None:
        super().__init__(loaded)
        self.unloaded = frozenset(unloaded)

    def __getitem__(self, name: str) -> BaseModel:
        if name in self.unloaded:
            raise _SectionNotLoaded(name)
        return super().__getitem__(name)

    def get(self, name: str, default: Any = None) -> Any:
        if name in self.unloaded:
            raise _SectionNotLoaded(name)
        return super().get(name, default)


@dataclass(frozen=True)
class ContentPack:
    """A loaded, validated pack. Never changed once loaded (a reload swaps in a whole new pack),
    which is what lets load_pack hand one object to every caller that loads the same files."""

    path: Path
    partnership: Partnership
    sections: dict[str, BaseModel] = field(default_factory=dict)
    unconfirmed_count: int = 0
    # The models of sections whose files failed to load; only a pack being rejected has any.
    unloaded: tuple[type[BaseModel], ...] = ()

    def get(self, model: type[M]) -> M:
        for value in self.sections.values():
            if isinstance(value, model):
                return value
        if any(issubclass(failed, model) for failed in self.unloaded):
            raise _SectionNotLoaded(model.__name__)
        raise LookupError(f"the content pack has no {model.__name__} section")

    def find(self, model: type[M]) -> M | None:
        try:
            return self.get(model)
        except LookupError:
            return None

    def failed_to_load(self, model: type[BaseModel]) -> bool:
        """Whether this section's file is there but failed to load (only in a pack being refused):
        a cross-check with other things to say skips just what needs it, rather than all of it."""
        return any(issubclass(failed, model) for failed in self.unloaded)

    @property
    def is_sample(self) -> bool:
        """True while any fact awaits confirmation or the pack has never been reviewed."""
        return self.unconfirmed_count > 0 or self.partnership.reviewed_on is None

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.partnership.documents if d.id == doc_id), None)

    def cite(self, ref: SourceRef) -> str:
        doc = self.document(ref.doc)
        title = doc.title if doc else ref.doc
        return f"{title}, {ref.section}" if ref.section else title


@dataclass(frozen=True)
class PackProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class InvalidPack(Exception):
    def __init__(self, problems: list[PackProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# libyaml's loader when installed (ten times faster on a pack), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The shipped pack nests seven levels deep. Building a value nested a few hundred levels deep
# runs out of Python's stack, so anything past this is refused before it is built.
MAX_NESTING = 50
NESTED_TOO_DEEPLY = (
    f"nested too deeply: lists and mappings sit more than {MAX_NESTING} levels inside each other, where a "
    "content pack needs a few; check the brackets and indentation"
)


class RefusedInPack(yaml.YAMLError):
    """Something in a pack file that is refused before it is built: where it is and what to do."""

    def __init__(self, mark: Any, problem: str) -> None:
        super().__init__(problem)
        self.problem_mark = mark
        self.problem = problem


class AliasRefused(RefusedInPack):
    """A pack used a YAML anchor and alias: refused, because a few aliases nested in each other
    (a "billion laughs") expand into gigabytes that would stop the bot or the validator."""

    def __init__(self, mark: Any) -> None:
        super().__init__(
            mark,
            "this value is anchored (&name) and reused through an alias (*name); content packs do not allow "
            "anchors and aliases, so write the value out in full where it is needed",
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_shape(root: yaml.Node) -> None:
    """Refuse, before anything is built, a node reached twice (only an alias can do that) and
    lists or mappings nested more than MAX_NESTING deep. Walked without recursion, so no depth
    of nesting the parser accepts can exhaust the stack here."""
    seen: set[yaml.Node] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if node in seen:
            raise AliasRefused(node.start_mark)
        seen.add(node)
        children = _children(node)
        if children and depth > MAX_NESTING:
            raise RefusedInPack(node.start_mark, f"{NESTED_TOO_DEEPLY} from this line")
        stack.extend((child, depth + 1) for child in reversed(children))  # reversed: popped in file order


def _unreadable_value(node: yaml.Node, exc: Exception) -> RefusedInPack:
    if node.tag == "tag:yaml.org,2002:int":
        digits = sum(c.isdigit() for c in str(node.value))
        return RefusedInPack(
            node.start_mark,
            f"this number has {digits} digits, too many to read; shorten it, or put it in quotes if it is text",
        )
    return RefusedInPack(
        node.start_mark, f"this value cannot be read ({exc}); correct it, or put it in quotes if it is text"
    )


class _LineLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """Keeps the line of every mapping and sequence item so errors can point at it. Refuses
    anchors and aliases (without them every node is built exactly once, so building costs no
    more than the file's own size), nesting deeper than MAX_NESTING, repeated keys, and values
    such as a 5,000-digit number or 31 February that cannot be built."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.texts: dict[str, str] = {}  # each distinct text of the file, built once (_construct_text)

    def construct_document(self, node: yaml.Node) -> Any:
        _check_shape(node)
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # raised by the int, float and date constructors
            raise _unreadable_value(node, exc) from None


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # A repeated key would silently replace everything under the first one (two people's
    # additions merged into one file, say), so it is refused rather than resolved.
    first_line: dict[tuple[str, Any], int] = {}
    for key_node, _value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = (key_node.tag, key_node.value)
        if key in first_line:
            raise RefusedInPack(
                key_node.start_mark,
                f"key {key_node.value!r} appears twice (first on line {first_line[key]}); the second would "
                "replace the first, so keep one and merge what is under them",
            )
        first_line[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    lines = {"__line__": node.start_mark.line + 1}
    for key_node, value_node in node.value:
        lines[key_node.value] = value_node.start_mark.line + 1
    mapping["__lines__"] = lines
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # One string for each distinct text of a file, which the validated models keep as they are: the
    # loaded pack repeats 5,400 texts (document ids, topic ids, sections), 0.33 MB of copies.
    text: str = loader.construct_scalar(node)
    return loader.texts.setdefault(text, text)


_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)


def _strip_lines(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _strip_lines(v) for k, v in data.items() if k != "__lines__"}
    if isinstance(data, list):
        return [_strip_lines(v) for v in data]
    return data


def _line_of(data: Any, loc: Iterable[Any]) -> int:
    """The closest known line for a pydantic error location."""
    line = 1
    node = data
    for part in loc:
        if isinstance(node, dict):
            lines = node.get("__lines__", {})
            line = lines.get(part, lines.get("__line__", line))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if isinstance(node, dict):
                line = node.get("__lines__", {}).get("__line__", line)
        else:
            break
    return line


def _count_unconfirmed(value: Any) -> int:
    if isinstance(value, Cited):
        own = 1 if value.unconfirmed else 0
        return own + sum(_count_unconfirmed(getattr(value, f)) for f in type(value).model_fields)
    if isinstance(value, BaseModel):
        return sum(_count_unconfirmed(getattr(value, f)) for f in type(value).model_fields)
    if isinstance(value, list | tuple):
        return sum(_count_unconfirmed(v) for v in value)
    if isinstance(value, dict):
        return sum(_count_unconfirmed(v) for v in value.values())
    return 0


def _source_refs(value: Any, path: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], SourceRef]]:
    if isinstance(value, SourceRef):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _source_refs(getattr(value, name), (*path, name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _source_refs(item, (*path, i))


def _format_error(err: Any) -> str:
    loc = ".".join(str(p) for p in err["loc"])
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        msg = "unknown key (check the spelling against the pack format in the README)"
    return f"{loc}: {msg}" if loc else msg


# Packs already loaded in this process, by folder, sections and the digest of every file read.
# Inside reusing_loaded_packs(), loading the same bytes again hands back the same pack (and the
# features' match indexes, which are cached per pack), so a process that builds many runtimes on
# one pack, as the tests do, validates it once. Any edit to a file changes its digest, so an
# edited pack is always loaded afresh. Outside it, every load validates afresh, as a reload means.
_LOADED: OrderedDict[tuple[Any, ...], ContentPack] = OrderedDict()
_LOADED_LOCK = threading.Lock()  # reloads load in a worker thread
_LOADED_MAX = 8  # a few packs side by side (tests use several); older ones are let go
_REUSE = contextvars.ContextVar("reuse_loaded_packs", default=False)


@contextmanager
def reusing_loaded_packs() -> Iterator[None]:
    """Within this block (and threads started from it), load_pack hands back the pack already
    loaded from byte-identical files instead of validating them again. Safe because a loaded
    pack is never changed: a reload swaps in a whole new pack."""
    token = _REUSE.set(True)
    try:
        yield
    finally:
        _REUSE.reset(token)


# The shipped pack's largest YAML file is under 0.4 MB. Reading YAML takes about 30 bytes of
# memory per byte of a file like it (up to 200 for a dense one), so 4 MB is ten times the room,
# and still readable on a small server.
MAX_FILE_MB = 4
OUT_OF_MEMORY = "is too big to read in the memory the bot has; make it smaller, or give the bot more memory"


class PackFileRefused(OSError):
    """A pack file refused unread: not an ordinary file, or too big. The message is the sentence."""


def _megabytes(size: int) -> str:
    return f"{math.ceil(size / 100_000) / 10:g} MB"  # rounded up, so a file just over says more than the limit


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"))


def _not_a_file(path: Path, mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "something else")
    target = f" (it links to {os.path.realpath(path)})" if path.is_symlink() else ""
    return f"is {kind}{target}, not an ordinary file; put the file itself here"


def read_pack_file(path: Path, max_mb: int = MAX_FILE_MB) -> bytes:
    """The file's bytes. Anything but an ordinary file is refused before it is opened (a named
    pipe would block the read, a device such as /dev/zero never ends), and so is a file over
    max_mb; the read itself stops there too, should the file be swapped or grow meanwhile.
    Raises PackFileRefused with a sentence, or the OSError of a file that cannot be read."""
    limit = max_mb * 1_000_000
    over = f"more than the {max_mb} MB this file may be"
    info = path.stat()  # follows a link, to judge what it leads to
    if not stat.S_ISREG(info.st_mode):
        raise PackFileRefused(_not_a_file(path, info.st_mode))
    if info.st_size > limit:
        raise PackFileRefused(f"is {_megabytes(info.st_size)}, {over}; check it is the right file")
    # Non-blocking, so a named pipe put here since the stat cannot hang the open.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise PackFileRefused(_not_a_file(path, mode))
        data = file.read(limit + 1)
    if len(data) > limit:
        raise PackFileRefused(f"grew as it was read to {over}; check it is the right file")
    return data


def _read_files(root: Path, all_sections: Sequence[Section]) -> dict[str, bytes | OSError]:
    """Each section file's bytes, or why it could not be read; read once, so the pack is built
    from exactly the bytes its cache key was made from."""
    contents: dict[str, bytes | OSError] = {}
    for section in all_sections:
        try:
            contents[section.filename] = read_pack_file(root / section.filename)
        except OSError as exc:
            contents[section.filename] = exc
    return contents


def _cache_key(root: Path, all_sections: Sequence[Section], contents: dict[str, bytes | OSError]) -> tuple[Any, ...]:
    digests = tuple(
        (name, hashlib.blake2b(data, digest_size=20).digest() if isinstance(data, bytes) else type(data).__name__)
        for name, data in sorted(contents.items())
    )
    return (str(root), tuple(all_sections), digests)


def load_pack(path: Path | str, sections: Iterable[Section], *, parsed_cache: Path | None = None) -> ContentPack:
    """Load and validate a pack; raise InvalidPack listing every problem found. With
    `parsed_cache`, a folder, each file's YAML is read once per version of its bytes (core.packcache).

    Inside reusing_loaded_packs(), a pack whose files are byte for byte those of a pack loaded
    before from the same folder, with the same sections, is that pack."""
    root = Path(path)
    if not root.is_dir():
        raise InvalidPack([PackProblem(str(root), 0, "is not a folder; CONTENT_PACK must name a content pack folder")])
    all_sections = [PARTNERSHIP, *sections]
    contents = _read_files(root, all_sections)
    key = _cache_key(root, all_sections, contents)
    if _REUSE.get():
        with _LOADED_LOCK:
            known = _LOADED.get(key)
            if known is not None:
                _LOADED.move_to_end(key)
                return known
    pack = _load_and_validate(root, all_sections, contents, parsed_cache)  # an invalid pack raises, and is not kept
    with _LOADED_LOCK:
        _LOADED[key] = pack
        while len(_LOADED) > _LOADED_MAX:
            _LOADED.popitem(last=False)
    return pack


def _text_of(data: bytes) -> str:
    """The file's text as Path.read_text gives it (UTF-8, newlines made universal)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _load_and_validate(
    root: Path, all_sections: list[Section], contents: dict[str, bytes | OSError], parsed_cache: Path | None = None
) -> ContentPack:
    problems: list[PackProblem] = []
    raw: dict[str, Any] = {}
    parsed: dict[str, BaseModel] = {}
    for section in all_sections:
        file = root / section.filename
        content = contents[section.filename]
        if isinstance(content, FileNotFoundError):
            if section.required:
                problems.append(PackProblem(str(file), 0, f"missing: the {section.name} section is required"))
            continue
        if isinstance(content, PackFileRefused):
            problems.append(PackProblem(str(file), 0, str(content)))
            continue
        try:
            if isinstance(content, OSError):
                raise content
            data = packcache.read(parsed_cache, section.filename, content)
            if data is None:
                data = yaml.load(_text_of(content), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
                packcache.keep(parsed_cache, section.filename, content, data)
        except RefusedInPack as exc:
            problems.append(PackProblem(str(file), exc.problem_mark.line + 1, exc.problem))
            continue
        except RecursionError:  # only the pure-Python parser, used without libyaml, recurses while reading
            problems.append(PackProblem(str(file), 0, NESTED_TOO_DEEPLY))
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            problems.append(PackProblem(str(file), line, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
            continue
        except UnicodeDecodeError as exc:
            # the line of the first byte that is not UTF-8, as every other problem gives its line
            line = exc.object[: exc.start].count(b"\n") + 1
            problems.append(
                PackProblem(str(file), line, "is not UTF-8 text here; save the file as UTF-8 (the editor's encoding)")
            )
            continue
        except OSError as exc:
            problems.append(PackProblem(str(file), 0, f"cannot be read: {exc}"))
            continue
        except MemoryError:  # a dense file under the size limit on a server with little memory
            problems.append(PackProblem(str(file), 0, OUT_OF_MEMORY))
            continue
        raw[section.name] = data
        try:
            parsed[section.name] = section.model.model_validate(_strip_lines(data))
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(PackProblem(str(file), _line_of(data, err["loc"]), _format_error(err)))

    if "partnership" not in parsed:
        raise InvalidPack(problems)
    partnership = parsed.pop("partnership")
    assert isinstance(partnership, Partnership)
    unconfirmed = sum(_count_unconfirmed(v) for v in parsed.values())
    # A section whose file is there but failed to load has its problems listed above; the
    # cross-checks that need it are skipped, not run as if it were empty.
    failed = [
        s for s in all_sections[1:] if s.name not in parsed and not isinstance(contents[s.filename], FileNotFoundError)
    ]
    sections = _Sections(parsed, [s.name for s in failed]) if failed else parsed
    pack = ContentPack(root, partnership, sections, unconfirmed, tuple(s.model for s in failed))

    known_docs = {d.id for d in partnership.documents}
    for section in all_sections[1:]:
        value = parsed.get(section.name)
        if value is None:
            continue
        where = str(root / section.filename)
        for loc, ref in _source_refs(value):
            if ref.doc not in known_docs:
                line = _line_of(raw[section.name], (*loc, "doc"))
                problems.append(
                    PackProblem(where, line, f"source cites unknown document {ref.doc!r}; add it to partnership.yaml")
                )
        if section.cross_check:
            try:
                found = list(section.cross_check(pack, value))
            except _SectionNotLoaded:
                continue
            for loc, message in found:
                problems.append(PackProblem(where, _line_of(raw[section.name], loc), message))

    if problems:
        raise InvalidPack(problems)
    return pack


def warm_pack(pack: ContentPack, sections: Iterable[Section]) -> None:
    """Do each present section's `warm` work for this pack (features cache it per pack)."""
    for section in sections:
        if section.warm is not None and section.name in pack.sections:
            section.warm(pack)


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")
