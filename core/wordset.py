"""A large fixed set of words, held compactly.

A frozenset of the 28,000 ordinary English words spelling correction leaves alone takes 2.6 MB:
a string object of about 57 bytes for each word, and a hash-table slot. Here the words are
shared out by hash among a few thousand strings, each holding its words between newlines, so a
word costs little more than its letters: 0.4 MB for the same words. Asking for a word is one
search of about a hundred characters, a few tenths of a microsecond."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set

WORDS_PER_BUCKET = 12  # fewer is faster to search, more costs less memory
SEPARATOR = "\n"


class WordSet(Set[str]):
    """The words given, for reading only (`word in words`); a word may not hold a newline."""

    __slots__ = ("_buckets", "_size")

    def __init__(self, words: Iterable[str]) -> None:
        unique = {word for word in words if word}
        if any(SEPARATOR in word for word in unique):
            raise ValueError("a word in a WordSet cannot hold a newline")
        lists: list[list[str]] = [[] for _ in range(len(unique) // WORDS_PER_BUCKET + 1)]
        for word in unique:
            lists[hash(word) % len(lists)].append(word)
        self._buckets = tuple(SEPARATOR + SEPARATOR.join(bucket) + SEPARATOR if bucket else "" for bucket in lists)
        self._size = len(unique)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or SEPARATOR in word:
            return False
        return f"{SEPARATOR}{word}{SEPARATOR}" in self._buckets[hash(word) % len(self._buckets)]

    def __iter__(self) -> Iterator[str]:
        for bucket in self._buckets:
            yield from bucket.split(SEPARATOR)[1:-1]

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return f"WordSet(<{self._size} words>)"
