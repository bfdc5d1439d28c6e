"""Sizes and lengths stated as numbers: model_params, dataset_size, batch_size, epochs, steps
and budget_trials.

Precedence for one number: a keyword before it, then a unit word after it, then (for a bare
scaled number) its neighbours: billions are parameters ("7B"), and so is a scaled number
right after a model name ("GPT-2 124M"). Among numbers for the same field the first wins,
except that a whole batch ("effective batch 2048") beats a per-device or micro batch.
Numbers inside a name ("ResNet-50", "CIFAR-10", "flowers-102") are no amounts.

The batch is the one the optimizer sees: a per-device count ("8 GPUs with 128 images each",
"64 per GPU") is multiplied by the devices the text counts, and a stated batch by its
gradient accumulation ("batch 4 with 2-step accumulation" is 8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.text.extractors.base import Finding, Findings, Scan
from advisor.text.folding import Span
from advisor.text.numbers import BILLIONS, Quantity, find_quantities
from advisor.text.units import (
    A_PHASE,
    ACCUMULATION,
    BUDGET_TAIL,
    DEVICE_COUNT,
    EACH_AFTER,
    GROUPS_OF,
    KEYWORD_BEFORE,
    LENGTH_OF_A_RUN,
    MODEL_SIZE_GAP,
    MODEL_SIZE_GAP_CHARS,
    NOT_OPTIMIZER_STEPS,
    NOT_OPTIMIZER_STEPS_BEFORE,
    NOT_OPTIMIZER_STEPS_BEFORE_A_NUMBER,
    NOT_THE_BATCH_BEFORE,
    PER_DEVICE_AFTER,
    PER_DEVICE_BATCH,
    PER_DEVICE_BEFORE,
    POINT_IN_TRAINING,
    QUALIFIES_NEXT,
    QUANTITY_FIELDS,
    RATE_AFTER,
    RATE_BEFORE,
    SEEN_AFTER,
    UNIT_AFTER,
    WHOLE_BATCH,
    QuantityField,
)

#: How far back a keyword may start ("batch size of about 256").
_KEYWORD_REACH = 40


@dataclass(frozen=True, slots=True)
class _Amount:
    """What one number states: its field, its words, and for a batch, whose batch it is."""

    field: QuantityField
    span: Span
    per_device: bool = False
    whole: bool = False


def _as_field(name: str | None) -> QuantityField | None:
    return next((field for field in QUANTITY_FIELDS if field == name), None)


def _glued_to_a_name(folded: str, start: int) -> bool:
    """ "flowers-102", "Caltech-256": a plain number hyphenated to a word is part of a name.
    A scaled one still gives a size ("Qwen-7B", "MovieLens-20M")."""
    return start >= 2 and folded[start - 1] == "-" and "a" <= folded[start - 2] <= "z"


def _after_a_model_name(scan: Scan, quantity: Quantity) -> Span | None:
    start = quantity.span.start
    for hit in scan.subjects:
        gap = start - hit.span.end
        if hit.entry.architecture is None or not 0 <= gap <= MODEL_SIZE_GAP_CHARS:
            continue
        if MODEL_SIZE_GAP.fullmatch(scan.text.folded, hit.span.end, start):
            return Span(hit.span.start, quantity.span.end)
    return None


def _steps_of_something_else(folded: str, keyword_start: int, number: Span) -> bool:
    """ "diffusion_steps=1000", "iterations of 250k agent steps": the keyword names steps,
    but the words around say whose."""
    if NOT_OPTIMIZER_STEPS_BEFORE.search(folded, max(0, keyword_start - 20), keyword_start):
        return True
    unit = UNIT_AFTER.match(folded, number.end)
    return (
        unit is not None
        and unit.lastgroup == "steps"
        and not _is_a_run_length(folded, number, unit, "steps")
    )


def _by_keyword(scan: Scan, quantity: Quantity) -> tuple[_Amount | None] | None:
    """None when no keyword names the number; (None,) when one does and says it is no
    amount we keep ("virtual batches of 512", "diffusion_steps=1000")."""
    folded = scan.text.folded
    start = quantity.span.start
    window_start = max(0, start - _KEYWORD_REACH)
    keyword = KEYWORD_BEFORE.search(folded[window_start:start])
    field = _as_field(keyword.lastgroup) if keyword else None
    if keyword is None or field is None:
        return None
    keyword_start = window_start + keyword.start()
    end = quantity.span.end
    if field == "budget_trials":
        tail = BUDGET_TAIL.match(folded, end)
        if tail is None:
            return None
        end = max(end, tail.end("unit"))
    if field == "steps" and _steps_of_something_else(folded, keyword_start, quantity.span):
        return (None,)
    if field != "batch_size":
        return (_Amount(field, Span(keyword_start, end)),)
    if NOT_THE_BATCH_BEFORE.search(folded, max(0, keyword_start - 12), keyword_start):
        return (None,)
    words = keyword.group(field)
    per_device_after = PER_DEVICE_AFTER.match(folded, end)
    per_device_before = PER_DEVICE_BEFORE.search(folded, max(0, keyword_start - 12), keyword_start)
    per_device = bool(PER_DEVICE_BATCH.search(words) or per_device_after or per_device_before)
    if per_device_after:
        end = per_device_after.end()
    if per_device_before:
        keyword_start = per_device_before.start()
    whole = WHOLE_BATCH.search(words) is not None
    return (_Amount(field, Span(keyword_start, end), per_device=per_device, whole=whole),)


def _by_neighbours(scan: Scan, quantity: Quantity) -> _Amount | None:
    if quantity.scale is None:
        return None
    named = _after_a_model_name(scan, quantity)
    if named is not None:
        return _Amount("model_params", named)
    if quantity.scale in BILLIONS:
        return _Amount("model_params", quantity.span)
    return None


def _is_a_run_length(folded: str, number: Span, unit: re.Match[str], field: str) -> bool:
    """Whether "N steps"/"N epochs" is how long training runs, not a property of something
    else: "1000 diffusion steps", "200 iterations of 250k agent steps", "3-step returns"."""
    number_start, number_end = number.start, number.end
    between = folded[number_end : unit.start(field)]
    if A_PHASE.search(between):
        return False
    before = folded[max(0, number_start - 8) : number_start]
    if field == "steps" and NOT_OPTIMIZER_STEPS_BEFORE_A_NUMBER.search(before):
        return False
    if field == "steps" and (
        NOT_OPTIMIZER_STEPS.search(between) or GROUPS_OF.match(folded, unit.end())
    ):
        return False
    if between != "-":
        return True
    following = QUALIFIES_NEXT.match(folded, unit.end())
    return following is None or LENGTH_OF_A_RUN.match(folded, following.end()) is not None


def _per_device(scan: Scan, quantity: Quantity, end: int) -> Span | None:
    """The words that make a count a per-device one ("per GPU", "每卡", "each" after a
    count of devices in the same clause), from the number's start or the cue's."""
    folded = scan.text.folded
    start = quantity.span.start
    before = PER_DEVICE_BEFORE.search(folded, max(0, start - 12), start)
    if before is not None:
        return Span(before.start(), end)
    after = PER_DEVICE_AFTER.match(folded, end)
    if after is not None:
        return Span(start, after.end())
    each = EACH_AFTER.match(folded, end)
    if each is not None and DEVICE_COUNT.search(scan.text.clause_before(start)):
        return Span(start, each.end())
    return None


def _examples(scan: Scan, quantity: Quantity, end: int) -> _Amount | None:
    """A count of examples: the data set, unless the words around make it a batch per
    device, examples seen in training ("25M images shown") or a rate ("40M rows each")."""
    folded = scan.text.folded
    start = quantity.span.start
    if SEEN_AFTER.match(folded, end):
        return None
    per_device = _per_device(scan, quantity, end)
    if per_device is not None:
        return _Amount("batch_size", per_device, per_device=True)
    before = folded[max(0, start - 8) : start]
    if EACH_AFTER.match(folded, end) or RATE_AFTER.match(folded, end) or RATE_BEFORE.search(before):
        return None
    return _Amount("dataset_size", Span(start, end))


def _field_of(scan: Scan, quantity: Quantity) -> _Amount | None:
    folded = scan.text.folded
    start, end = quantity.span.start, quantity.span.end
    if POINT_IN_TRAINING.search(folded[max(0, start - _KEYWORD_REACH) : start]):
        return None
    by_keyword = _by_keyword(scan, quantity)
    if by_keyword is not None:
        return by_keyword[0]
    unit = UNIT_AFTER.match(folded, end)
    if unit is None:
        # A bare count per device ("16 per GPU on 8 GPUs") is what each device's batch holds.
        bare = PER_DEVICE_AFTER.match(folded, end)
        if bare is not None and quantity.scale is None:
            return _Amount("batch_size", Span(start, bare.end()), per_device=True)
        return _by_neighbours(scan, quantity)
    if unit.lastgroup == "model_word":
        return _Amount("model_params", Span(start, unit.end())) if quantity.scale else None
    # A unit word of no field ("7B tokens", "8 GPUs") makes the number no amount we keep.
    field = _as_field(unit.lastgroup)
    if field is None:
        return None
    if field == "dataset_size":
        return _examples(scan, quantity, unit.end())
    if field in ("steps", "epochs") and not _is_a_run_length(folded, quantity.span, unit, field):
        return None
    if field == "batch_size":
        per_device = _per_device(scan, quantity, unit.end())
        if per_device is not None:
            return _Amount(field, per_device, per_device=True)
    return _Amount(field, Span(start, unit.end()))


def _says_accumulation(scan: Scan) -> bool:
    """Every way of saying gradient accumulation holds one of these: a substring test spares
    the regex (which has no literal prefix to scan for) on the many texts without one."""
    folded = scan.text.folded
    return "accum" in folded or "梯度累" in folded


def _the_batch(scan: Scan, batches: list[tuple[int, _Amount]]) -> Finding | None:
    """The batch the optimizer sees, from every batch the text states."""
    whole = next(((count, said) for count, said in batches if said.whole), None)
    if whole is not None:
        return Finding(whole[0], (whole[1].span,))
    if not batches:
        return None
    count, said = batches[0]
    spans = [said.span]
    if said.per_device:
        devices = DEVICE_COUNT.search(scan.text.folded)
        if devices is not None:
            count *= int(next(n for n in devices.groupdict().values() if n is not None))
            spans.append(Span(devices.start(), devices.end()))
    accumulation = ACCUMULATION.search(scan.text.folded) if _says_accumulation(scan) else None
    if accumulation is not None:
        count *= int(next(n for n in accumulation.groupdict().values() if n is not None))
        spans.append(Span(accumulation.start(), accumulation.end()))
    return Finding(count, tuple(spans))


def read_quantities(scan: Scan) -> Findings:
    findings: Findings = {}
    folded = scan.text.folded
    # Numbers inside names, and a gradient accumulation count, fill no field of their own.
    not_amounts = bytearray(len(folded))
    named = [hit.span for hit in scan.subjects]
    if _says_accumulation(scan):
        named += [Span(m.start(), m.end()) for m in ACCUMULATION.finditer(folded)]
    for span in named:
        not_amounts[span.start : span.end] = b"\x01" * (span.end - span.start)
    batches: list[tuple[int, _Amount]] = []
    for quantity in find_quantities(scan.text):
        count = quantity.as_count()
        start = quantity.span.start
        if count is None or not_amounts[start]:
            continue
        if quantity.scale is None and _glued_to_a_name(folded, start):
            continue
        said = _field_of(scan, quantity)
        if said is None:
            continue
        if said.field == "batch_size":
            batches.append((count, said))
        elif said.field not in findings:
            findings[said.field] = Finding(count, (said.span,))
    batch = _the_batch(scan, batches)
    if batch is not None:
        findings["batch_size"] = batch
    return findings
