"""The advice while rules are being applied: one draft per family plus the search plan's draft.

Lives for one ``advise`` call only; the engine turns it into frozen ``Advice`` at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.advice import (
    ParamGroupAdvice,
    Pruner,
    RationaleItem,
    Sampler,
    SuggestedConstraint,
    SuggestedObjective,
)
from advisor.config import ScheduleName, ScheduleSpec
from advisor.families import OptimizerName, ParamName
from advisor.rules.adjustments import ParamState
from advisor.rules.base import (
    ConfigSetting,
    Effect,
    Families,
    ParamSetting,
    Rule,
    SearchEffect,
)


@dataclass
class ParamDraft:
    default: float | None = None
    low: float | None = None
    high: float | None = None

    def apply(self, setting: ParamSetting) -> None:
        self.set(setting.default, setting.low, setting.high)

    def set(self, default: float | None, low: float | None, high: float | None) -> None:
        # A new range pulls an old default inside it; a new default stretches an old range.
        if low is not None and high is not None:
            self.low, self.high = low, high
            if self.default is not None:
                self.default = min(max(self.default, low), high)
        if default is not None:
            self.default = default
            if self.low is not None and self.high is not None:
                self.low, self.high = min(self.low, self.default), max(self.high, self.default)

    def state(self) -> ParamState:
        return ParamState(default=self.default, low=self.low, high=self.high)


@dataclass
class ConfigDraft:
    """Ready-config settings beyond the hyperparameters, each with the rule that set it."""

    grad_clip_norm: float | None = None
    backbone_lr_ratio: float | None = None
    sparse_optimizer: OptimizerName | None = None
    sparse_lr: float | None = None
    #: The sparse lr's search range, kept like a ParamDraft's: a later default stretches it.
    sparse_lr_range: ParamDraft | None = None
    set_by: dict[str, str] = field(default_factory=dict)

    def apply(self, setting: ConfigSetting, rule_id: str) -> None:
        for name in ("grad_clip_norm", "backbone_lr_ratio", "sparse_optimizer", "sparse_lr"):
            value = getattr(setting, name)
            if value is not None:
                setattr(self, name, value)
                self.set_by[name] = rule_id
        if setting.sparse_lr_low is not None and self.sparse_lr_range is None:
            self.sparse_lr_range = ParamDraft(default=self.sparse_lr)
        if self.sparse_lr_range is not None:
            sparse = self.sparse_lr_range
            sparse.set(setting.sparse_lr, setting.sparse_lr_low, setting.sparse_lr_high)
            self.sparse_lr = sparse.default  # a new range pulls the default inside it


@dataclass
class FamilyDraft:
    family: OptimizerName
    points: float = 0.0
    params: dict[ParamName, ParamDraft] = field(default_factory=dict)
    schedule: ScheduleSpec = field(default_factory=lambda: ScheduleSpec(name=ScheduleName.CONSTANT))
    config: ConfigDraft = field(default_factory=ConfigDraft)
    groups: dict[str, ParamGroupAdvice] = field(default_factory=dict)
    rationale: list[RationaleItem] = field(default_factory=list)


@dataclass
class SearchDraft:
    tune: list[ParamName] = field(default_factory=list)
    sampler: Sampler = "tpe"
    pruner: Pruner = "median"
    portfolio_size: int = 3
    needs: list[Families] = field(default_factory=list)
    excludes: set[OptimizerName] = field(default_factory=set)
    #: By metric: a later rule's bound or objective on a metric replaces an earlier one's.
    constraints: dict[str, SuggestedConstraint] = field(default_factory=dict)
    objectives: dict[str, SuggestedObjective] = field(default_factory=dict)
    rationale: list[RationaleItem] = field(default_factory=list)

    def apply(self, effect: SearchEffect) -> None:
        self.tune.extend(p for p in effect.tune if p not in self.tune)
        self.sampler = effect.sampler or self.sampler
        self.pruner = effect.pruner or self.pruner
        self.portfolio_size = effect.portfolio_size or self.portfolio_size
        self.needs.extend(effect.portfolio_needs)
        self.excludes |= effect.portfolio_excludes
        self.constraints |= {c.metric: c for c in effect.constraints}
        self.objectives |= {o.metric: o for o in effect.objectives}


@dataclass
class AdviceDraft:
    families: dict[OptimizerName, FamilyDraft] = field(
        default_factory=lambda: {f: FamilyDraft(family=f) for f in OptimizerName}
    )
    search: SearchDraft = field(default_factory=SearchDraft)
    notes: list[RationaleItem] = field(default_factory=list)

    # DraftView, for adjustments.
    def param(self, family: OptimizerName, param: ParamName) -> ParamState:
        draft = self.families[family].params.get(param)
        return draft.state() if draft else ParamState()

    def schedule(self, family: OptimizerName) -> ScheduleSpec:
        return self.families[family].schedule

    def apply(self, effect: Effect, rule: Rule) -> dict[OptimizerName, float]:
        """Apply one effect; returns the families it touched with their score change."""
        touched: dict[OptimizerName, float] = dict.fromkeys(effect.families(), 0.0)
        for family, points in effect.scores.items():
            self.families[family].points += points
            touched[family] = points
        for setting in effect.params:
            for family in setting.families:
                self.families[family].params.setdefault(setting.param, ParamDraft()).apply(setting)
        for schedule in effect.schedules:
            for family in schedule.families:
                self.families[family].schedule = schedule.schedule
        for config in effect.config:
            for family in config.families:
                self.families[family].config.apply(config, rule.id)
        for group in effect.groups:
            for family in group.families:
                self.families[family].groups[group.group.name] = group.group
        source = rule.citation()
        self.notes.extend(RationaleItem(rule=rule.id, text=n, source=source) for n in effect.notes)
        if effect.search is not None:
            self.search.apply(effect.search)
        return touched
