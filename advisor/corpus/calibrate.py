"""The corpus layer: published recipes similar to the task sharpen what the rules drafted.

The rules stay the prior. After every rule has fired, the recipes at least ``SIMILAR`` alike
(``advisor.corpus.similarity``; at most ``NEIGHBOURS`` of them) move each family's draft:

- **score**: a family gains ``POINTS_PER_RECIPE`` × similarity for each similar recipe that
  published it, at most ``MAX_POINTS`` in all. A family backed by a single recipe gains at most
  ``LONE_POINTS``, so one recipe never overturns a strong seed rule (rules give 1 to 2 points),
  while several agreeing recipes do move the order.
- **lr and weight decay**: the family's range widens to cover the recipes' published values
  with ``HEADROOM`` either side. Evidence is the family's own recipes (weight = similarity) and,
  at half weight, its siblings': families on the same lr scale (the Adam kin; SGD with or
  without momentum) and, for weight decay, with the same coupling (L2 in the gradient versus
  decoupled), since the two put sensible decay values orders of magnitude apart. The SGD
  family's published lrs are first rescaled linearly down to a smaller task batch (both known;
  at most ``MAX_BATCH_FACTOR``; never up), as that family's lr scales with the batch, and
  between plain SGD and momentum by ``1 - momentum`` (their step sizes differ by it). A published
  decay of 0 (or any below ``NEGLIGIBLE_DECAY`` of its coupling, under 1% total shrink over a
  long run) stands for that negligible level, the lowest value a log-scaled range can reach.
- **caps**: an lr range spans at most ``LR_DECADES`` (2.5); weight decay at most ``WD_DECADES``
  (3.5: published decoupled decay runs from off, 1e-4 here, to 0.3). When the union is wider,
  the window of that width is kept that covers the most evidence weight (the rules' default
  counts as ``PRIOR_WEIGHT``); among equals, the one keeping most of the rules' range (or
  nearest it), then the one centred nearest the evidence.
- **default**: when the family's own recipes carry at least ``RECENTRE_WEIGHT`` (about two
  close recipes), its default moves to their similarity-weighted geometric mean; otherwise it
  stays (pulled inside the range). A person's current config keeps the defaults where they are.

Below ``SIMILAR`` nothing changes. Every change is stated in the family's rationale, citing the
recipes by title and address, so a person can open what moved the advice.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from advisor.advice import RationaleItem
from advisor.corpus.base import Recipe
from advisor.draft import AdviceDraft, FamilyDraft, ParamDraft
from advisor.families import DECOUPLED_DECAY, OptimizerName, ParamName
from advisor.task import NormalisedTask

O = OptimizerName  # noqa: E741 -- short alias keeps the tables readable
RULE_ID = "corpus.similar_recipes"
SIMILAR = 0.7
NEIGHBOURS = 8
POINTS_PER_RECIPE = 0.5
MAX_POINTS = 2.0
LONE_POINTS = 0.3
SIBLING_WEIGHT = 0.5
HEADROOM = 2.0
LR_DECADES = 2.5
WD_DECADES = 3.5
PRIOR_WEIGHT = 0.5
RECENTRE_WEIGHT = 1.4
CITED = 3
NEGLIGIBLE_DECAY = {True: 1e-4, False: 1e-6}  # by "decoupled"
SGD_KIN = frozenset({O.SGD, O.MOMENTUM, O.NESTEROV})
#: A recipe's SGD lr is rescaled to the task's batch by at most this factor either way.
MAX_BATCH_FACTOR = 32.0
#: The momentum a recipe that does not state one is read at (torch's usual 0.9, the seeds').
DEFAULT_MOMENTUM = 0.9
#: Families whose learning rates live on one scale.
LR_KIN: tuple[frozenset[OptimizerName], ...] = (
    frozenset({O.ADAM, O.ADAMW, O.NADAM, O.RADAM}),
    SGD_KIN,
)


@dataclass(frozen=True)
class Evidence:
    weight: float
    value: float
    recipe: Recipe
    #: Published for the family itself (not a sibling's).
    own: bool


def _lr_kin(a: OptimizerName, b: OptimizerName) -> bool:
    return a is b or any(a in kin and b in kin for kin in LR_KIN)


def _decay_kin(a: OptimizerName, b: OptimizerName) -> bool:
    return _lr_kin(a, b) and (a in DECOUPLED_DECAY) == (b in DECOUPLED_DECAY)


def calibrate(
    task: NormalisedTask, draft: AdviceDraft, neighbours: Sequence[tuple[float, Recipe]]
) -> None:
    """Move the draft by the similar recipes among ``neighbours`` (most similar first)."""
    similar = [(s, r) for s, r in neighbours[:NEIGHBOURS] if s >= SIMILAR]
    if not similar:
        return
    for family, family_draft in draft.families.items():
        _calibrate_family(
            family,
            family_draft,
            similar,
            batch_size=task.batch_size,
            keep_defaults=task.current is not None,
        )


def _calibrate_family(
    family: OptimizerName,
    draft: FamilyDraft,
    similar: list[tuple[float, Recipe]],
    *,
    batch_size: int | None,
    keep_defaults: bool,
) -> None:
    own = [(s, r) for s, r in similar if r.optimizer is family]
    changes: list[str] = []
    used: dict[str, Recipe] = {r.id: r for _, r in own}
    points = min(MAX_POINTS, POINTS_PER_RECIPE * sum(s for s, _ in own))
    if len(own) == 1:
        points = min(points, LONE_POINTS)
    if points > 0:
        draft.points += points
        changes.append(f"score {points:+.1f}")
    decoupled = family in DECOUPLED_DECAY
    for param, kin, decades, zero in (
        (ParamName.LR, _lr_kin, LR_DECADES, None),
        (ParamName.WEIGHT_DECAY, _decay_kin, WD_DECADES, NEGLIGIBLE_DECAY[decoupled]),
    ):
        evidence = _evidence(family, similar, param, kin, zero, batch_size=batch_size)
        param_draft = draft.params.get(param)
        if not evidence or param_draft is None:
            continue
        change = _recentre(param_draft, evidence, decades, move_default=not keep_defaults)
        if change:
            changes.append(f"{param.value} {change}")
            used.update((e.recipe.id, e.recipe) for e in evidence)
    if changes:
        draft.rationale.append(_item(family, own, list(used.values()), changes))


def _evidence(
    family: OptimizerName,
    similar: list[tuple[float, Recipe]],
    param: ParamName,
    kin: Callable[[OptimizerName, OptimizerName], bool],
    zero: float | None,
    *,
    batch_size: int | None,
) -> list[Evidence]:
    found = []
    for s, recipe in similar:
        value = recipe.lr if param is ParamName.LR else recipe.weight_decay
        if value is None or not kin(family, recipe.optimizer):
            continue
        if param is ParamName.LR and family in SGD_KIN:
            value *= _batch_factor(batch_size, recipe.batch_size or recipe.task.batch_size)
            value *= _momentum_factor(family, recipe)
        if zero is not None and value < zero:
            value = zero  # no decay, or less than negligible: the lowest a log range goes
        own = recipe.optimizer is family
        found.append(Evidence(s if own else SIBLING_WEIGHT * s, value, recipe, own))
    return found


def _batch_factor(task_batch: int | None, recipe_batch: int | None) -> float:
    """The SGD family's lr scales linearly with the batch (Goyal et al., as the rule
    scale.sgd_lr_scales_with_batch says), so a recipe's lr is read at the task's batch. Only
    downwards: a lr raised past what anyone published is a guess the recipe never tested (the
    scaling needs warm-up and breaks down at large batches), and it diverges first."""
    if task_batch is None or recipe_batch is None:
        return 1.0
    return max(min(task_batch / recipe_batch, 1.0), 1 / MAX_BATCH_FACTOR)


def _momentum_factor(family: OptimizerName, recipe: Recipe) -> float:
    """Heavy-ball momentum m takes steps of lr / (1 - m) once its buffer fills, so plain SGD's
    lr and momentum's live a factor 1 / (1 - m) apart (10x at m = 0.9): a plain-SGD recipe at
    lr 20 speaks for momentum at about 2, not 20, and the other way round."""
    family_has = family is not O.SGD
    recipe_has = recipe.optimizer is not O.SGD
    if family_has == recipe_has:
        return 1.0
    momentum = recipe.momentum if recipe_has and recipe.momentum else DEFAULT_MOMENTUM
    return (1 - momentum) if family_has else 1 / (1 - momentum)


def _log_centre(evidence: list[Evidence]) -> float:
    total = sum(e.weight for e in evidence)
    return sum(e.weight * math.log10(e.value) for e in evidence) / total


def _recentre(
    draft: ParamDraft, evidence: list[Evidence], decades: float, *, move_default: bool
) -> str | None:
    """Widen (and, past the cap, move) the range to cover the evidence; maybe move the default.
    Returns what changed in words, or None."""
    if draft.low is None or draft.high is None:
        return None
    before = (draft.low, draft.high, draft.default)
    low = min(draft.low, min(e.value for e in evidence) / HEADROOM)
    high = max(draft.high, max(e.value for e in evidence) * HEADROOM)
    if math.log10(high / low) > decades:
        low, high = _best_window(draft, evidence, low, high, decades)
    default = draft.default
    own = [e for e in evidence if e.own]
    if move_default and sum(e.weight for e in own) >= RECENTRE_WEIGHT:
        default = 10 ** _log_centre(own)
    if default is not None:
        default = min(max(default, low), high)
    draft.low, draft.high, draft.default = low, high, default
    if _close(before, (low, high, default)):
        return None
    changes = []
    if not _close(before[:2], (low, high)):
        changes.append(f"{_g(before[0])}..{_g(before[1])} → {_g(low)}..{_g(high)}")
    if before[2] is not None and default is not None and not _close((before[2],), (default,)):
        changes.append(f"default {_g(before[2])} → {_g(default)}")
    return ", ".join(changes)


def _best_window(
    draft: ParamDraft, evidence: list[Evidence], low: float, high: float, decades: float
) -> tuple[float, float]:
    width = 10**decades
    starts = {low, high / width, *(e.value / HEADROOM for e in evidence)}
    starts |= {e.value * HEADROOM / width for e in evidence}
    if draft.low is not None:
        starts.add(draft.low)
    centre = _log_centre(evidence)
    rule_low, rule_high = draft.low or low, draft.high or high

    def merit(start: float) -> tuple[float, float, float]:
        end = start * width
        covered = sum(e.weight for e in evidence if start <= e.value <= end)
        prior = draft.default is not None and start <= draft.default <= end
        # Then keep as much of the rules' range as fits (negative: the gap to it, so a window
        # that cannot overlap still stays nearest the rules), then lean to the evidence's centre.
        kept = math.log10(min(end, rule_high) / max(start, rule_low))
        return (
            round(covered + (PRIOR_WEIGHT if prior else 0.0), 9),
            round(kept, 9),
            -abs(math.log10(start) + decades / 2 - centre),
        )

    start = max(sorted(starts), key=merit)
    return max(low, start), min(high, start * width)


def _close(a: tuple[float | None, ...], b: tuple[float | None, ...]) -> bool:
    return all(
        (x is None and y is None) or (x is not None and y is not None and math.isclose(x, y))
        for x, y in zip(a, b, strict=True)
    )


def _g(value: float | None) -> str:
    return "–" if value is None else f"{value:.2g}"


def _item(
    family: OptimizerName, own: list[tuple[float, Recipe]], used: list[Recipe], changes: list[str]
) -> RationaleItem:
    if own:
        lrs = sorted(r.lr for _, r in own)
        decays = sorted(r.weight_decay for _, r in own if r.weight_decay is not None)
        one = len(own) == 1
        said = f"{len(own)} similar published recipe{'' if one else 's'} use{'s' if one else ''} "
        said += family.value
        said += f" at lr {_g(lrs[0])}" + (f"..{_g(lrs[-1])}" if lrs[-1] != lrs[0] else "")
        if decays:
            said += f", weight decay {_g(decays[0])}" + (
                f"..{_g(decays[-1])}" if decays[-1] != decays[0] else ""
            )
    else:
        said = f"similar published recipes use optimizers on {family.value}'s scale"
    shown = ", ".join(f"{r.id} ({r.optimizer.value} lr {r.lr:g})" for r in used[:CITED])
    more = f" and {len(used) - CITED} more" if len(used) > CITED else ""
    text = f"corpus: {said} ({shown}{more}); {'; '.join(changes)}"
    cited = dict.fromkeys(f"{r.citation.title} <{r.citation.url}>" for r in used[:CITED])
    source = "; ".join(cited)
    return RationaleItem(rule=RULE_ID, text=text, source=source)
