"""How vocabulary entries become patterns, and how a table of them is matched against a text.

Patterns are written lower-case against the folded text. English words get Latin word edges
(so "gan" is not found in "organ") and an optional plural "s"; Chinese words get none, because
Chinese runs words together ("用LSTM预测股票").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from advisor.text.folding import FoldedText, Span

_LATIN_AFTER = r"(?![a-z0-9])"
_LATIN_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class Matcher(Protocol):
    """What a vocabulary entry's pattern must do: a compiled regex, or LatinWords."""

    def finditer(self, string: str) -> Iterator[re.Match[str]]: ...


@dataclass(frozen=True, slots=True)
class LatinWords:
    """An English pattern that only matches at the start of a Latin word.

    The start edge is checked here rather than with a leading lookbehind in the regex: a
    pattern that opens with a lookbehind cannot use the regex engine's fast scan for its
    first characters, which made reading a paragraph several times slower.
    """

    regex: re.Pattern[str]

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        position = 0
        while (match := self.regex.search(string, position)) is not None:
            start = match.start()
            if start == 0 or string[start - 1] not in _LATIN_WORD_CHARS:
                yield match
                position = max(match.end(), start + 1)
            else:
                position = start + 1


def en(pattern: str, *, plural: bool = True) -> LatinWords:
    """An English word or phrase: Latin word edges, optionally a plural 's'."""
    suffix = "s?" if plural else ""
    return LatinWords(re.compile(f"(?:{pattern}){suffix}{_LATIN_AFTER}"))


def zh(pattern: str) -> re.Pattern[str]:
    """A Chinese word or phrase (it may end in Latin letters: Latin edge after them only)."""
    return re.compile(f"(?:{pattern})(?![a-z])" if pattern[-1:].isascii() else pattern)


class HasPattern(Protocol):
    @property
    def pattern(self) -> Matcher: ...


EntryT = TypeVar("EntryT", bound=HasPattern)


@dataclass(frozen=True, slots=True)
class Hit(Generic[EntryT]):
    """One entry of a table found in the text."""

    entry: EntryT
    span: Span


def find_entries(text: FoldedText, table: Iterable[EntryT]) -> list[Hit[EntryT]]:
    """Every entry of ``table`` found in ``text``, in text order. Where matches overlap the
    longest wins ("vision transformer" over "transformer", "图神经网络" over "神经网络"), then the
    earliest, then the one listed first."""
    found: list[tuple[int, int, int, EntryT]] = []
    for order, entry in enumerate(table):
        for match in entry.pattern.finditer(text.folded):
            if match.end() > match.start():
                found.append((match.start(), match.end(), order, entry))
    found.sort(key=lambda f: (f[0] - f[1], f[0], f[2]))
    taken = bytearray(len(text.folded))
    hits: list[Hit[EntryT]] = []
    for start, end, _, entry in found:
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            hits.append(Hit(entry=entry, span=Span(start, end)))
    hits.sort(key=lambda h: h.span.start)
    return hits
