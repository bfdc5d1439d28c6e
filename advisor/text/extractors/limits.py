"""Limits on one training run: memory_limit_gb, time_limit_s, and time_tradeoff.

Precedence: where the text states several limits of one kind, the tightest binds ("a 24GB GPU,
but it must fit in 8 GB" is 8 GB). A duration said of the whole search or of one epoch or step
("a 2-hour tuning budget", "10 minutes per epoch") is no run's limit. A negated trade-off ("not
as fast as possible") says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from advisor.text.extractors.base import Finding, Findings, Scan, is_negated
from advisor.text.folding import FoldedText, Span
from advisor.text.limits import (
    MEGABYTE_UNITS,
    MEMORY_HINT,
    MEMORY_LIMITS,
    NOT_ONE_RUN,
    NUMBER_WORDS,
    TIME_HINT,
    TIME_LIMITS,
    TIME_TRADEOFF,
    TRADEOFF_HINT,
    UNIT_SECONDS,
)
from advisor.text.numbers import han_numeral

_HAN_DIGITS = re.compile(r"[一二两三四五六七八九十百]+")


def _memory_gb(match: re.Match[str]) -> float | None:
    amount = float(match.group("n"))
    gb = amount / 1024 if match.group("u") in MEGABYTE_UNITS else amount
    return gb if gb > 0 else None


def _seconds(match: re.Match[str]) -> float | None:
    said = match.group("n")
    groups = match.groupdict()
    half = 0.5 if groups.get("half") else 0.0
    if said is None:
        count = 0.0
    elif said in NUMBER_WORDS:
        count = NUMBER_WORDS[said]
    elif _HAN_DIGITS.fullmatch(said):
        count = float(han_numeral(said))
    else:
        count = float(said)
    total = (count + half) * UNIT_SECONDS[match.group("u")]
    return total if total > 0 else None


def _of_one_run(text: FoldedText, span: Span) -> bool:
    """Whether the clause around a duration leaves it one run's ("each run under 30 s") and
    not the whole search's or an epoch's ("2 hours of tuning in total", "30 s per epoch")."""
    around = text.clause_before(span.start) + text.folded[span.start : span.end]
    return NOT_ONE_RUN.search(around + text.clause_after(span.end)) is None


def _tightest(
    text: FoldedText,
    hint: re.Pattern[str],
    patterns: tuple[re.Pattern[str], ...],
    value_of: Callable[[re.Match[str]], float | None],
    runs_only: bool,
) -> Finding | None:
    if hint.search(text.folded) is None:
        return None
    best: tuple[float, Span] | None = None
    for pattern in patterns:
        for match in pattern.finditer(text.folded):
            span = Span(match.start(), match.end())
            value = value_of(match)
            if value is None or (runs_only and not _of_one_run(text, span)):
                continue
            if best is None or value < best[0]:
                best = (value, span)
    return Finding(best[0], (best[1],)) if best else None


def _tradeoff(scan: Scan) -> Finding | None:
    if TRADEOFF_HINT.search(scan.text.folded) is None:
        return None
    spans = [
        Span(m.start(), m.end())
        for m in TIME_TRADEOFF.finditer(scan.text.folded)
        if not is_negated(scan.text, Span(m.start(), m.end()))
    ]
    return Finding(True, tuple(spans)) if spans else None


def read_limits(scan: Scan) -> Findings:
    found = {
        "memory_limit_gb": _tightest(
            scan.text, MEMORY_HINT, MEMORY_LIMITS, _memory_gb, runs_only=False
        ),
        "time_limit_s": _tightest(scan.text, TIME_HINT, TIME_LIMITS, _seconds, runs_only=True),
        "time_tradeoff": _tradeoff(scan),
    }
    return {field: finding for field, finding in found.items() if finding is not None}
