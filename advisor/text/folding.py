"""The text the extractors read: folded for matching, but offset-for-offset the person's own.

Folding maps each character to exactly one character (width-folded, lower-cased, traditional
Chinese to simplified), so a span found in the folded text quotes the original words unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from advisor.text.traditional import TRADITIONAL_TO_SIMPLIFIED

#: The TaskDescription caps a description at 4000 characters; reading more buys nothing and
#: would let a huge string cost more than a paragraph does.
MAX_CHARS = 4000

#: Evidence spans closer than this (and in one sentence) are quoted as one stretch of text.
_MERGE_GAP = 24
_SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)|[。！？\n]")

#: Where a clause ends: a negation or usage cue before it does not reach past one of these.
#: Not at a decimal point ("lr 0.1 SGD") nor a colon ("optimizer: Adam").
_CLAUSE_BREAK = re.compile(
    r"[,;!?，。；！？、\n()（）]|\.(?!\d)|\b(?:and|but|however|while|though|although|then|whereas)\b"
    r"|但是|但|而且|并且|然后|不过|同时|而|且|和"
)


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range [start, end) of the text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FoldedText:
    """The original text (bounded to MAX_CHARS) and its same-length folded form."""

    original: str
    folded: str

    def words(self, span: Span) -> str:
        """The person's own words at ``span``."""
        return self.original[span.start : span.end]

    def clause_before(self, position: int, limit: int = 48) -> str:
        """Folded text from the start of the clause holding ``position`` up to it (at most
        ``limit`` characters): the reach of a cue that must come before what it qualifies."""
        window = self.folded[max(0, position - limit) : position]
        breaks = list(_CLAUSE_BREAK.finditer(window))
        return window[breaks[-1].end() :] if breaks else window

    def clause_after(self, position: int, limit: int = 32) -> str:
        """Folded text from ``position`` to the end of its clause (at most ``limit`` chars)."""
        window = self.folded[position : position + limit]
        found = _CLAUSE_BREAK.search(window)
        return window[: found.start()] if found else window

    def quote(self, spans: tuple[Span, ...] | list[Span]) -> str:
        """The evidence for a field: spans close together in one sentence become one stretch
        of the original text, the others are joined with '; '."""
        ordered = sorted(set(spans), key=lambda s: (s.start, s.end))
        if not ordered:
            return ""
        groups: list[Span] = [ordered[0]]
        for span in ordered[1:]:
            last = groups[-1]
            gap = self.original[last.end : span.start]
            if span.start - last.end <= _MERGE_GAP and not _SENTENCE_BREAK.search(gap):
                groups[-1] = Span(last.start, max(last.end, span.end))
            else:
                groups.append(span)
        return "; ".join(self.words(group).strip() for group in groups)


#: Folded by hand: curly quotes, so "doesn’t" reads as "doesn't". Kept as written: the
#: Chinese comma, so "批大小128，100轮" is two numbers and not one written with a thousands
#: separator.
_BY_HAND = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\uff0c": "\uff0c"}


def _fold_char(char: str) -> str:
    if char in _BY_HAND:
        return _BY_HAND[char]
    # Keep a character whose folded form is not exactly one character (ligatures, "İ"...):
    # offsets must stay aligned with the original.
    wide = unicodedata.normalize("NFKC", char)
    if len(wide) != 1:
        return char
    lower = wide.lower()
    if len(lower) != 1:
        return wide
    return TRADITIONAL_TO_SIMPLIFIED.get(lower, lower)


#: Full-width ASCII forms and the ideographic space, as NFKC folds them (the Chinese comma
#: excepted, see _BY_HAND): what Chinese text mostly carries that is not NFKC-normal.
_FULL_WIDTH = str.maketrans(
    {0xFF01 + offset: 0x21 + offset for offset in range(94)} | {0x3000: 0x20, 0xFF0C: 0xFF0C}
)
_TRANSLATION = str.maketrans({**TRADITIONAL_TO_SIMPLIFIED, **_BY_HAND})


def fold(text: str) -> FoldedText:
    """Bound ``text`` to MAX_CHARS and fold it for matching."""
    original = text[:MAX_CHARS]
    narrowed = original.translate(_FULL_WIDTH)
    if unicodedata.is_normalized("NFKC", narrowed):
        # The common case, done in C: nothing else to width-fold, and lower-casing maps each
        # character to one (lower() never drops a character, so equal length means that).
        lowered = narrowed.lower()
        if len(lowered) == len(original):
            return FoldedText(original=original, folded=lowered.translate(_TRANSLATION))
    return FoldedText(original=original, folded="".join(map(_fold_char, original)))
