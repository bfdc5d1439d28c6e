"""What the person trains with now: optimizer, hyperparameter values, schedule.

An optimizer name is the one in use when its clause says so ("I use SGD", "目前用 Adam",
"switching from Adam") or values follow it ("Adam lr=1e-3"), and the clause does not ask about
it instead ("should I use Adam", "换成AdamW", "Adam还是SGD"); the first such name wins. SGD
with a momentum value is the momentum family; with Nesterov mentioned, Nesterov. Each value is
its first statement in the text; a value out of its range ("momentum 1.5") is ignored.
"""

from __future__ import annotations

from pydantic import ValidationError

from advisor.families import OptimizerName
from advisor.task import CurrentConfig
from advisor.text.extractors.base import Finding, Findings, Scan
from advisor.text.folding import Span
from advisor.text.optimizers import (
    ASKED_AFTER,
    ASKED_BEFORE,
    BETAS,
    IN_USE_BEFORE,
    OPTIMIZER_NAMES,
    SCHEDULE_NAMES,
    VALUE_PATTERNS,
    VALUES_AFTER,
    WARMUP,
    WITH_WARMUP,
    OptimizerTerm,
)
from advisor.text.patterns import Hit, find_entries

_CUE_REACH = 32
_SGD_FAMILY = (OptimizerName.SGD, OptimizerName.MOMENTUM)


def _in_use(scan: Scan, hits: list[Hit[OptimizerTerm]]) -> Hit[OptimizerTerm] | None:
    for hit in hits:
        before = scan.text.clause_before(hit.span.start, limit=_CUE_REACH)
        after = scan.text.clause_after(hit.span.end)
        if ASKED_BEFORE.search(before) or ASKED_AFTER.match(after):
            continue
        if IN_USE_BEFORE.search(before) or VALUES_AFTER.match(scan.text.folded, hit.span.end):
            return hit
    return None


def _is_valid(field: str, value: float) -> bool:
    try:
        CurrentConfig.model_validate({field: value})
    except ValidationError:
        return False
    return True


def _values(scan: Scan) -> dict[str, tuple[float, Span]]:
    folded = scan.text.folded
    values: dict[str, tuple[float, Span]] = {}
    betas = BETAS.search(folded)
    if betas is not None:
        for field in ("beta1", "beta2"):
            value = float(betas.group(field))
            if _is_valid(field, value):
                values[field] = (value, Span(betas.start(), betas.end()))
    for field, pattern in VALUE_PATTERNS.items():
        for match in pattern.finditer(folded):
            value = float(match.group("value"))
            if field not in values and _is_valid(field, value):
                values[field] = (value, Span(match.start(), match.end()))
    return values


def _schedule(scan: Scan) -> tuple[str, tuple[Span, ...]] | None:
    hits = find_entries(scan.text, SCHEDULE_NAMES)
    if not hits:
        return None
    first = hits[0]
    warmup = WARMUP.search(scan.text.folded)
    if warmup is not None and first.entry.schedule in WITH_WARMUP:
        return WITH_WARMUP[first.entry.schedule], (first.span, Span(warmup.start(), warmup.end()))
    return first.entry.schedule, (first.span,)


def _family(
    in_use: Hit[OptimizerTerm] | None, hits: list[Hit[OptimizerTerm]], momentum: float | None
) -> tuple[OptimizerName | None, tuple[Span, ...]]:
    """The family in use, and the words beyond its name that decided it (a Nesterov flag)."""
    if in_use is None:
        return None, ()
    named = in_use.entry.optimizer
    if named not in _SGD_FAMILY:
        return named, (in_use.span,)
    for hit in hits:
        if hit.entry.optimizer is OptimizerName.NESTEROV:
            return OptimizerName.NESTEROV, (in_use.span, hit.span)
    return (OptimizerName.MOMENTUM if momentum else named), (in_use.span,)


def read_current(scan: Scan) -> Findings:
    hits = find_entries(scan.text, OPTIMIZER_NAMES)
    in_use = _in_use(scan, hits)
    values = _values(scan)
    schedule = _schedule(scan)
    momentum = values["momentum"][0] if "momentum" in values else None
    optimizer, spans = _family(in_use, hits, momentum)
    spans += tuple(span for _, span in values.values())
    if schedule is not None:
        spans += schedule[1]
    if not spans:
        return {}
    try:
        current = CurrentConfig.model_validate(
            {
                "optimizer": optimizer,
                "schedule": schedule[0] if schedule else None,
                **{field: value for field, (value, _) in values.items()},
            }
        )
    except ValidationError:
        return {}
    return {"current": Finding(current, tuple(spans))}
