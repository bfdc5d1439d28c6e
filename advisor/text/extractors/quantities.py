"""Sizes and lengths stated as numbers: model_params, dataset_size, batch_size, epochs, steps
and budget_trials.

Precedence for one number: a keyword before it, then a unit word after it, then (for a bare
scaled number) its neighbours: billions are parameters ("7B"), and so is a scaled number
right after a model name ("GPT-2 124M"). Among numbers for the same field the first wins.
Numbers inside a name ("ResNet-50", "CIFAR-10") are no amounts.
"""

from __future__ import annotations

from advisor.text.extractors.base import Finding, Findings, Scan
from advisor.text.folding import Span
from advisor.text.numbers import BILLIONS, Quantity, find_quantities
from advisor.text.units import (
    BUDGET_TAIL,
    KEYWORD_BEFORE,
    MODEL_SIZE_GAP,
    MODEL_SIZE_GAP_CHARS,
    POINT_IN_TRAINING,
    QUANTITY_FIELDS,
    UNIT_AFTER,
    QuantityField,
)

#: How far back a keyword may start ("batch size of about 256").
_KEYWORD_REACH = 40


def _as_field(name: str | None) -> QuantityField | None:
    return next((field for field in QUANTITY_FIELDS if field == name), None)


def _after_a_model_name(scan: Scan, quantity: Quantity) -> Span | None:
    start = quantity.span.start
    for hit in scan.subjects:
        gap = start - hit.span.end
        if hit.entry.architecture is None or not 0 <= gap <= MODEL_SIZE_GAP_CHARS:
            continue
        if MODEL_SIZE_GAP.fullmatch(scan.text.folded, hit.span.end, start):
            return Span(hit.span.start, quantity.span.end)
    return None


def _by_keyword(scan: Scan, quantity: Quantity) -> tuple[QuantityField, Span] | None:
    start = quantity.span.start
    window_start = max(0, start - _KEYWORD_REACH)
    keyword = KEYWORD_BEFORE.search(scan.text.folded[window_start:start])
    field = _as_field(keyword.lastgroup) if keyword else None
    if keyword is None or field is None:
        return None
    end = quantity.span.end
    if field == "budget_trials":
        tail = BUDGET_TAIL.match(scan.text.folded, end)
        if tail is None:
            return None
        end = max(end, tail.end("unit"))
    return field, Span(window_start + keyword.start(), end)


def _by_neighbours(scan: Scan, quantity: Quantity) -> tuple[QuantityField, Span] | None:
    if quantity.scale is None:
        return None
    named = _after_a_model_name(scan, quantity)
    if named is not None:
        return "model_params", named
    if quantity.scale in BILLIONS:
        return "model_params", quantity.span
    return None


def _field_of(scan: Scan, quantity: Quantity) -> tuple[QuantityField, Span] | None:
    start, end = quantity.span.start, quantity.span.end
    if POINT_IN_TRAINING.search(scan.text.folded[max(0, start - _KEYWORD_REACH) : start]):
        return None
    by_keyword = _by_keyword(scan, quantity)
    if by_keyword is not None:
        return by_keyword
    unit = UNIT_AFTER.match(scan.text.folded, end)
    if unit is None:
        return _by_neighbours(scan, quantity)
    if unit.lastgroup == "model_word":
        return ("model_params", Span(start, unit.end())) if quantity.scale else None
    # A unit word of no field ("7B tokens", "8 GPUs") makes the number no amount we keep.
    field = _as_field(unit.lastgroup)
    return (field, Span(start, unit.end())) if field else None


def read_quantities(scan: Scan) -> Findings:
    findings: Findings = {}
    in_a_name = bytearray(len(scan.text.folded))
    for hit in scan.subjects:
        in_a_name[hit.span.start : hit.span.end] = b"\x01" * (hit.span.end - hit.span.start)
    for quantity in find_quantities(scan.text):
        count = quantity.as_count()
        if count is None or in_a_name[quantity.span.start]:
            continue
        found = _field_of(scan, quantity)
        if found is not None and found[0] not in findings:
            field, span = found
            findings[field] = Finding(count, (span,))
    return findings
