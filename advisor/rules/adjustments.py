"""Named adjustments: the effects a constant cannot state because they depend on the task's
numbers (batch size, the person's current lr, the budget) or on what earlier rules set.

Each takes the task and a read-only view of the advice so far and returns a plain ``Effect``,
which the engine applies exactly like a rule's own. They never read anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

from advisor import memory
from advisor.advice import SuggestedConstraint
from advisor.config import ScheduleName, ScheduleSpec
from advisor.families import FAMILY_PARAMS, OptimizerName, ParamName
from advisor.rules.base import (
    LOG_SCALED,
    Adjustment,
    Effect,
    Families,
    ParamSetting,
    ScheduleSetting,
    SearchEffect,
    schedule_kind,
)
from advisor.rules.kinds import ADAM_FAMILY, ALL, SGD_FAMILY
from advisor.task import NormalisedTask

#: The lr finder's sweep bounds (seed 000, Q1); no advice goes outside them.
LR_FLOOR = 1e-7
LR_CEILING = 10.0
#: The Playbook's ceiling on warmup, as a fraction of all steps.
MAX_WARMUP_FRACTION = 0.1

#: The seeds' schedules with the seeds' values (000 学习率调度器; 001 §7; 002 §7).
SEED_SCHEDULES: Mapping[ScheduleName, ScheduleSpec] = MappingProxyType(
    {
        ScheduleName.CONSTANT: ScheduleSpec(name=ScheduleName.CONSTANT),
        ScheduleName.STEP: ScheduleSpec(name=ScheduleName.STEP, step_epochs=30, gamma=0.1),
        ScheduleName.EXPONENTIAL: ScheduleSpec(name=ScheduleName.EXPONENTIAL, gamma=0.95),
        ScheduleName.COSINE: ScheduleSpec(name=ScheduleName.COSINE),
        ScheduleName.WARMUP_COSINE: ScheduleSpec(
            name=ScheduleName.WARMUP_COSINE, warmup_fraction=0.05
        ),
        ScheduleName.WARMUP_LINEAR: ScheduleSpec(
            name=ScheduleName.WARMUP_LINEAR, warmup_fraction=0.05
        ),
        # PyTorch's OneCycleLR warms up for 30% of the steps by default.
        ScheduleName.ONE_CYCLE: ScheduleSpec(name=ScheduleName.ONE_CYCLE, warmup_fraction=0.3),
    }
)


def seed_schedule(families: Families, kind: ScheduleName) -> ScheduleSetting:
    """One of the seeds' schedules, with the seeds' values, for some families."""
    return ScheduleSetting(families=families, schedule=SEED_SCHEDULES[kind])


@dataclass(frozen=True)
class ParamState:
    default: float | None = None
    low: float | None = None
    high: float | None = None

    def contains(self, value: float) -> bool:
        return self.low is not None and self.high is not None and self.low <= value <= self.high


class DraftView(Protocol):
    """What an adjustment may read of the advice built so far."""

    def param(self, family: OptimizerName, param: ParamName) -> ParamState: ...

    def schedule(self, family: OptimizerName) -> ScheduleSpec: ...


AdjustmentFn = Callable[[NormalisedTask, DraftView], Effect]


def lr_setting(families: Families, default: float, low: float, high: float) -> ParamSetting:
    """An lr default and range kept inside the lr finder's bounds, default inside the range."""

    def clamp(value: float, lo: float, hi: float) -> float:
        return min(max(value, lo), hi)

    low, high = clamp(low, LR_FLOOR, LR_CEILING), clamp(high, LR_FLOOR, LR_CEILING)
    if not low < high:
        low, high = (high / 10, high) if high >= LR_CEILING else (low, low * 10)
    return ParamSetting(
        families=families, param=ParamName.LR, default=clamp(default, low, high), low=low, high=high
    )


def _rescale_lr(view: DraftView, families: Families, factor: float) -> Effect:
    settings = []
    for family in sorted(families):
        state = view.param(family, ParamName.LR)
        if state.default is None or state.low is None or state.high is None:
            continue
        settings.append(
            lr_setting(
                frozenset({family}),
                state.default * factor,
                state.low * factor,
                state.high * factor,
            )
        )
    return Effect(params=tuple(settings))


def _clamped_ratio(value: float, reference: float, lowest: float, highest: float) -> float:
    return min(max(value / reference, lowest), highest)


def sgd_lr_scales_with_batch(task: NormalisedTask, view: DraftView) -> Effect:
    """SGD-family lr × batch/256 (Goyal et al.: 0.1 at batch 256), the ratio held within
    1/16..32 where the linear rule was shown to hold or to be a useful start."""
    if task.batch_size is None:
        return Effect()
    return _rescale_lr(view, SGD_FAMILY, _clamped_ratio(task.batch_size, 256, 1 / 16, 32))


def adamw_lr_scales_with_batch(task: NormalisedTask, view: DraftView) -> Effect:
    """Adam-family lr × batch/1024 (DeiT: 5e-4 × batch/512, i.e. 1e-3 at batch 1024), the
    ratio held within 1/16..8."""
    if task.batch_size is None:
        return Effect()
    return _rescale_lr(view, ADAM_FAMILY, _clamped_ratio(task.batch_size, 1024, 1 / 16, 8))


_CURRENT_PARAMS = (
    ParamName.LR,
    ParamName.MOMENTUM,
    ParamName.BETA1,
    ParamName.BETA2,
    ParamName.EPS,
    ParamName.ALPHA,
    ParamName.WEIGHT_DECAY,
)


def start_from_current(task: NormalisedTask, view: DraftView) -> Effect:
    """The person's optimizer gets a small bonus (switching has a cost) and their values become
    its defaults. A zero on a log-scaled parameter (weight decay 0) means "off" and is left to
    the family's default; nesterov refuses momentum 0, so that is not copied either."""
    current = task.current
    if current is None or current.optimizer is None:
        return Effect()
    family = current.optimizer
    settings = []
    for param in _CURRENT_PARAMS:
        value = getattr(current, param.value)
        if value is None or param not in FAMILY_PARAMS[family]:
            continue
        off = value <= 0 and param in LOG_SCALED
        if off or (family is OptimizerName.NESTEROV and param is ParamName.MOMENTUM and value == 0):
            continue
        settings.append(ParamSetting(families=frozenset({family}), param=param, default=value))
    return Effect(scores={family: 0.3}, params=tuple(settings))


def keep_current_schedule(task: NormalisedTask, view: DraftView) -> Effect:
    """The schedule the person names is kept (with the seeds' values for it) for their family,
    or for every family when they did not name one."""
    current = task.current
    kind = schedule_kind(current.schedule if current else None)
    if current is None or kind is None:
        return Effect()
    families = frozenset({current.optimizer}) if current.optimizer else ALL
    return Effect(schedules=(ScheduleSetting(families=families, schedule=SEED_SCHEDULES[kind]),))


def _lr_targets(task: NormalisedTask, view: DraftView) -> tuple[Families, float | None]:
    """Which families an lr symptom is about, and the lr it was seen at, if known: the person's
    optimizer; else the families whose range holds their lr; else every family."""
    current = task.current
    lr = current.lr if current else None
    if current is not None and current.optimizer is not None:
        return frozenset({current.optimizer}), lr
    if lr is not None:
        holding = frozenset(f for f in ALL if view.param(f, ParamName.LR).contains(lr))
        if holding:
            return holding, lr
    return ALL, None


def _move_lr(task: NormalisedTask, view: DraftView, down: float, up: float, shift: float) -> Effect:
    families, lr = _lr_targets(task, view)
    if lr is None:
        return _rescale_lr(view, families, shift)
    centre = lr * shift
    return Effect(params=(lr_setting(families, centre, lr / down, lr * up),))


def raise_lr(task: NormalisedTask, view: DraftView) -> Effect:
    """Slow convergence: the lr range sits above the lr in use ([lr, 10·lr], default 3·lr);
    without a known lr, every range moves up ×3."""
    return _move_lr(task, view, down=1, up=10, shift=3)


def lower_lr(task: NormalisedTask, view: DraftView) -> Effect:
    """Oscillation: the lr range sits below the lr in use ([lr/10, lr], default lr/3); without a
    known lr, every range moves down ÷3."""
    return _move_lr(task, view, down=10, up=1, shift=1 / 3)


def widen_lr_a_decade(task: NormalisedTask, view: DraftView) -> Effect:
    """Loss not decreasing: the lr may be 10× too large or too small, so search a decade either
    side of the lr in use (or of each family's default)."""
    families, lr = _lr_targets(task, view)
    settings = []
    for family in sorted(families):
        centre = lr if lr is not None else view.param(family, ParamName.LR).default
        if centre is not None:
            settings.append(lr_setting(frozenset({family}), centre, centre / 10, centre * 10))
    return Effect(params=tuple(settings))


def cap_warmup_fraction(task: NormalisedTask, view: DraftView) -> Effect:
    """No warmup longer than 10% of the steps (the Playbook)."""
    capped = []
    for family in sorted(ALL):
        schedule = view.schedule(family)
        if schedule.warmup_fraction > MAX_WARMUP_FRACTION:
            spec = schedule.model_copy(update={"warmup_fraction": MAX_WARMUP_FRACTION})
            capped.append(ScheduleSetting(families=frozenset({family}), schedule=spec))
    return Effect(schedules=tuple(capped))


def portfolio_size_by_budget(task: NormalisedTask, view: DraftView) -> Effect:
    """Two families under 10 trials, three under 25, four under 60, six from 60 on."""
    budget = task.budget_trials
    if budget is None:
        return Effect()
    size = 2 if budget < 10 else 3 if budget < 25 else 4 if budget < 60 else 6
    return Effect(search=SearchEffect(portfolio_size=size))


#: Under a tight memory limit: points per full-size state buffer, and for a family whose model
#: state alone does not fit (so that one that fits always ranks above one that does not).
POINTS_PER_BUFFER_UNDER_LIMIT = 0.6
POINTS_DOES_NOT_FIT = 1.5
#: Schedules that do not end at the end of the run: under a time budget they stop mid-decay.
_BUDGET_UNAWARE = frozenset({ScheduleName.CONSTANT, ScheduleName.STEP, ScheduleName.EXPONENTIAL})
_LINEAR_TO_ZERO = ScheduleSpec(name=ScheduleName.WARMUP_LINEAR, warmup_fraction=0.0)


def memory_limit_constraint(task: NormalisedTask, view: DraftView) -> Effect:
    """Every trial's peak memory stays under the stated limit (in MB, 1024 per GB); without a
    parameter count, a note asks for one so the optimizer state can be checked against it."""
    limit = task.memory_limit_gb
    if limit is None:
        return Effect()
    bound = SuggestedConstraint(metric="peak_memory_mb", max=limit * memory.MB_PER_GB)
    notes: tuple[str, ...] = ()
    if task.model_params is None:
        notes = (
            f"Memory limit {memory.gb(limit)} GB: say the model's size (e.g. '25M parameters', "
            "'7B') to check each optimizer's state against it.",
        )
    return Effect(notes=notes, search=SearchEffect(constraints=(bound,)))


def rank_by_state_memory(task: NormalisedTask, view: DraftView) -> Effect:
    """Under a tight limit (Adam's model state past half of it), each full-size state buffer
    costs POINTS_PER_BUFFER_UNDER_LIMIT and a family whose state alone exceeds the limit
    POINTS_DOES_NOT_FIT more, with the arithmetic in a note."""
    params, limit = task.model_params, task.memory_limit_gb
    if params is None or limit is None or not memory.is_tight(params, limit):
        return Effect()
    scores: dict[OptimizerName, float] = {}
    for family in OptimizerName:
        points = -POINTS_PER_BUFFER_UNDER_LIMIT * memory.FULL_SIZE_BUFFERS[family]
        if not memory.fits(family, params, limit):
            points -= POINTS_DOES_NOT_FIT
        if points:
            scores[family] = round(points, 2)

    def need(family: OptimizerName) -> str:
        return memory.gb(memory.training_gb(family, params))

    note = (
        f"Memory is tight: {memory.count(params)} parameters trained in fp32 need "
        f"{need(OptimizerName.ADAM)} GB with an Adam-family optimizer (16 bytes each: weights, "
        f"gradients, two state buffers), {need(OptimizerName.MOMENTUM)} GB with momentum (12), "
        f"{need(OptimizerName.SGD)} GB with plain SGD or Adafactor (8, plus Adafactor's factored "
        f"rows and columns), against {memory.gb(limit)} GB with activations still to fit; the "
        "lighter families rank higher."
    )
    return Effect(scores=scores, notes=(note,))


def model_exceeds_memory(task: NormalisedTask, view: DraftView) -> Effect:
    """A note with the arithmetic when Adam's model state alone exceeds the limit, saying
    which families still fit, if any, and what else would."""
    params, limit = task.model_params, task.memory_limit_gb
    if params is None or limit is None or memory.fits(OptimizerName.ADAM, params, limit):
        return Effect()
    adam = memory.gb(memory.training_gb(OptimizerName.ADAM, params))
    sgd = memory.gb(memory.training_gb(OptimizerName.SGD, params))
    head = (
        f"{memory.count(params)} parameters cannot train with Adam in {memory.gb(limit)} GB: "
        f"{memory.count(params)} × 16 bytes (fp32 weights, gradients and two state buffers; "
        f"mixed precision also needs 16) = {adam} GB."
    )
    if memory.fits(OptimizerName.SGD, params, limit):
        tail = f" Plain SGD or Adafactor need {sgd} GB (8 bytes per parameter) before activations."
    else:
        tail = f" Even plain SGD needs {sgd} GB (8 bytes per parameter): no optimizer fits."
    advice = (
        " Train fewer parameters (LoRA or adapters keep state for those only), shard the state "
        "across devices (ZeRO, FSDP), offload it to the CPU, or choose a smaller model."
    )
    return Effect(notes=(head + tail + advice,))


def time_limit_constraint(task: NormalisedTask, view: DraftView) -> Effect:
    """Every trial's training time stays under the stated per-run limit."""
    limit = task.time_limit_s
    if limit is None:
        return Effect()
    bound = SuggestedConstraint(metric="train_seconds", max=limit)
    note = (
        f"Each run must finish in {limit:g} s: give the job a max_epochs that fits one run in "
        "that time; a trial that runs longer is marked infeasible and never chosen as best."
    )
    return Effect(notes=(note,), search=SearchEffect(constraints=(bound,)))


def budget_aware_schedule(task: NormalisedTask, view: DraftView) -> Effect:
    """A family whose schedule does not end with the run (constant, step, exponential) decays
    linearly to zero over it instead; warmup-then-decay, cosine and one-cycle already end there."""
    if task.time_limit_s is None:
        return Effect()
    moved = frozenset(f for f in ALL if view.schedule(f).name in _BUDGET_UNAWARE)
    if not moved:
        return Effect()
    return Effect(schedules=(ScheduleSetting(families=moved, schedule=_LINEAR_TO_ZERO),))


ADJUSTMENTS: Mapping[Adjustment, AdjustmentFn] = MappingProxyType(
    {
        Adjustment.SGD_LR_SCALES_WITH_BATCH: sgd_lr_scales_with_batch,
        Adjustment.ADAMW_LR_SCALES_WITH_BATCH: adamw_lr_scales_with_batch,
        Adjustment.START_FROM_CURRENT: start_from_current,
        Adjustment.KEEP_CURRENT_SCHEDULE: keep_current_schedule,
        Adjustment.RAISE_LR: raise_lr,
        Adjustment.LOWER_LR: lower_lr,
        Adjustment.WIDEN_LR_A_DECADE: widen_lr_a_decade,
        Adjustment.CAP_WARMUP_FRACTION: cap_warmup_fraction,
        Adjustment.PORTFOLIO_SIZE_BY_BUDGET: portfolio_size_by_budget,
        Adjustment.MEMORY_LIMIT_CONSTRAINT: memory_limit_constraint,
        Adjustment.RANK_BY_STATE_MEMORY: rank_by_state_memory,
        Adjustment.MODEL_EXCEEDS_MEMORY: model_exceeds_memory,
        Adjustment.TIME_LIMIT_CONSTRAINT: time_limit_constraint,
        Adjustment.BUDGET_AWARE_SCHEDULE: budget_aware_schedule,
    }
)
