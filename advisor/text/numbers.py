"""Numbers as people write them: "1.28M", "1,281,167", "1e5", "1.5 billion", "5万", "1.2亿",
"5千万", and Chinese numerals with a unit character ("三千", "十万", "一百").

A Chinese numeral without one of 十百千万亿 ("一", "三") is not read: such characters are parts
of everyday words ("一直", "三条建议") far more often than counts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from advisor.text.folding import FoldedText, Span

_LATIN_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "trillion": 1e12,
}
#: Scales that only a parameter count reaches: a bare "7B" is a model size.
BILLIONS = frozenset({"b", "bn", "billion"})

_HAN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_HAN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_HAN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_HAN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_HAN_UNIT_CHARS = "十百千万亿"

_NUMBER = re.compile(
    r"(?<![a-z0-9_.])"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|\.\d+)(?:e(?P<exp>[+-]?\d{1,3}))?"
    r"(?:\s?(?P<word>thousand|million|billion|trillion)(?![a-z])"
    r"|(?P<letter>k|mn|m|bn|b)(?![a-z])"
    r"|(?P<han>[十百千万亿]{1,4}))?"
    r"(?![0-9])"
    r"|(?P<numeral>[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]{0,11})"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in the text, with the scale word it carried ("m", "billion", "万")."""

    value: float
    span: Span
    scale: str | None

    def as_count(self) -> int | None:
        """The number as a positive whole count, or None when it is not one."""
        if not math.isfinite(self.value) or self.value < 1:
            return None
        return round(self.value)


def han_numeral(numeral: str) -> int:
    """The value of a Chinese numeral such as 三千, 十万, 一千二百万, 一亿五千万."""
    total = section = digit = 0
    for char in numeral:
        if char in _HAN_DIGITS:
            digit = _HAN_DIGITS[char]
        elif char in _HAN_SMALL_UNITS:
            section += (digit or 1) * _HAN_SMALL_UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * _HAN_BIG_UNITS[char]
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * _HAN_BIG_UNITS[char]
            section = digit = 0
    return total + section + digit


def _han_scale(units: str) -> float:
    scale = 1.0
    for char in units:
        scale *= _HAN_SMALL_UNITS.get(char) or _HAN_BIG_UNITS[char]
    return scale


def _value(match: re.Match[str]) -> tuple[float, str | None] | None:
    numeral = match.group("numeral")
    if numeral is not None:
        if not any(char in _HAN_UNIT_CHARS for char in numeral):
            return None
        return float(han_numeral(numeral)), numeral[-1]
    digits = match.group("digits").replace(",", "")
    exponent = match.group("exp")
    base = float(f"{digits}e{exponent}" if exponent else digits)
    latin = match.group("word") or match.group("letter")
    if latin:
        return base * _LATIN_SCALES[latin], latin
    han = match.group("han")
    if han:
        return base * _han_scale(han), han
    return base, None


def find_quantities(text: FoldedText) -> Iterator[Quantity]:
    """Every number in the text, in order."""
    for match in _NUMBER.finditer(text.folded):
        found = _value(match)
        if found is not None:
            value, scale = found
            yield Quantity(value=value, span=Span(match.start(), match.end()), scale=scale)
