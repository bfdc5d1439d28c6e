"""A job's conditional search space, compiled from the advice.

Optuna sees a categorical ``optimizer`` over the searched families, then each family's tuned
parameters under their own names (``adamw.lr``, ``adamw.beta2``), so one family's values never
pollute another's model in the sampler. A worker sees the flat, ready config: the family's
defaults with the tuned values substituted, validated as a TrainConfig.

The user's own dimensions (``JobCreate.dimensions``) are searched in the same study under
their bare names (``dropout``: a family's names always hold a dot, so the two never meet), asked
after the family's values, and join the flat config beside them (``TrialParams``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import optuna
from pydantic import ValidationError

from advisor import Advice, Choices, OptimizerName, Range, ScheduleSpec, TrainConfig
from advisor.advice import SearchDimension
from service.errors import InvalidInputError
from tunewise.wire.dimensions import (
    CategoricalDimension,
    FloatDimension,
    IntDimension,
    TrialParams,
    UserDimension,
)

OPTIMIZER_PARAM = "optimizer"
#: TrainConfig keys a search space may not vary: they define the family, not a value in it.
_FIXED_KEYS = frozenset({"optimizer", "schedule"})
_TOP_LEVEL_KEYS = frozenset(TrainConfig.model_fields) - _FIXED_KEYS
_SCHEDULE_KEYS = frozenset(ScheduleSpec.model_fields) - {"name"}

StudyParams = dict[str, float | int | str | bool]


class InvalidPointError(Exception):
    """A sampled point that is not a valid TrainConfig (e.g. nesterov with momentum 0)."""


@dataclass(frozen=True)
class FamilySpace:
    family: OptimizerName
    defaults: TrainConfig
    #: Tuned parameter (TrainConfig or schedule key) → where to search it.
    dimensions: Mapping[str, SearchDimension]

    def study_name_of(self, param: str) -> str:
        return f"{self.family.value}.{param}"

    def default_point(self) -> StudyParams:
        """The family's defaults as study params, for a warm-start trial. A default outside its
        range is left for the sampler rather than forced into the study."""
        point: StudyParams = {OPTIMIZER_PARAM: self.family.value}
        for param, dimension in self.dimensions.items():
            value = _default_of(self.defaults, param)
            if value is not None and dimension.contains(value):
                point[self.study_name_of(param)] = value
        return point


@dataclass(frozen=True)
class Point:
    config: TrialParams
    study_params: StudyParams


class SearchSpace:
    def __init__(
        self,
        families: Sequence[FamilySpace],
        dimensions: Mapping[str, UserDimension] | None = None,
    ) -> None:
        if not families:
            raise ValueError("a search space needs at least one family")
        self.families = {f.family: f for f in families}
        #: The user's own dimensions, by name, in the order the job gave them.
        self.dimensions: Mapping[str, UserDimension] = dict(dimensions or {})

    @classmethod
    def from_advice(
        cls,
        advice: Advice,
        families: Sequence[OptimizerName] | None = None,
        dimensions: Mapping[str, UserDimension] | None = None,
    ) -> SearchSpace:
        """The advice's plan (or the given families), each at its candidate's ranges for the
        parameters the plan tunes. A family the advice has no candidate for is refused."""
        chosen = tuple(families) if families is not None else advice.search.families
        offered = [c.optimizer.value for c in advice.candidates]
        spaces = []
        for family in chosen:
            candidate = advice.candidate(family)
            if candidate is None:
                raise InvalidInputError(
                    f"the advice for this task has no candidate for {family.value!r}; "
                    f"choose among {', '.join(offered)}",
                    field="families",
                )
            tuned = {
                param: dimension
                for param, dimension in candidate.search_space.items()
                if param in advice.search.tuned_params
                and (param in _TOP_LEVEL_KEYS or param in _SCHEDULE_KEYS)
            }
            spaces.append(FamilySpace(family, candidate.defaults, tuned))
        return cls(spaces, dimensions)

    def discretised(self, points: int) -> SearchSpace:
        """The same space with every range cut into ``points`` values (for grid search)."""
        return SearchSpace(
            [
                FamilySpace(
                    f.family,
                    f.defaults,
                    {p: _as_grid(d, points) for p, d in f.dimensions.items()},
                )
                for f in self.families.values()
            ],
            {n: _user_grid(d, points) for n, d in self.dimensions.items()},
        )

    @property
    def family_names(self) -> tuple[str, ...]:
        return tuple(f.value for f in self.families)

    def suggest(self, trial: optuna.Trial) -> Point:
        """Ask the trial for a point (fixed values of an enqueued trial come back as given)."""
        chosen = trial.suggest_categorical(OPTIMIZER_PARAM, list(self.family_names))
        family = self.families[OptimizerName(str(chosen))]
        params: StudyParams = {OPTIMIZER_PARAM: family.family.value}
        for param, dimension in family.dimensions.items():
            name = family.study_name_of(param)
            if isinstance(dimension, Range):
                params[name] = trial.suggest_float(
                    name, dimension.low, dimension.high, log=dimension.log
                )
            else:
                choice = trial.suggest_categorical(name, list(dimension.choices))
                if choice is None:  # Choices never holds None; Optuna's signature allows it
                    raise InvalidPointError(f"{name} came back as null")
                params[name] = choice
        for name, user_dimension in self.dimensions.items():
            params[name] = _suggest_user(trial, name, user_dimension)
        return Point(self.config_for(params), params)

    def user_point(self, study_params: Mapping[str, Any]) -> StudyParams:
        """The values of ``study_params`` that this space's own dimensions can take (a past
        job's point, re-validated: the others are left for the sampler to fill)."""
        return {
            name: value
            for name, dimension in self.dimensions.items()
            if isinstance(value := study_params.get(name), bool | int | float | str)
            and dimension.contains(value)
        }

    def config_for(self, study_params: Mapping[str, Any]) -> TrialParams:
        family = self.families[OptimizerName(str(study_params[OPTIMIZER_PARAM]))]
        data = family.defaults.model_dump()
        schedule = dict(data["schedule"])
        prefix = f"{family.family.value}."
        for name, value in study_params.items():
            if not name.startswith(prefix):
                continue
            param = name.removeprefix(prefix)
            if param in _TOP_LEVEL_KEYS:
                data[param] = value
            elif param in _SCHEDULE_KEYS:
                schedule[param] = value
        data["schedule"] = schedule
        # Own dimensions join the config by their names (batch_size is a config key itself).
        data.update({n: study_params[n] for n in self.dimensions if n in study_params})
        try:
            return TrialParams.model_validate(data)
        except ValidationError as exc:
            raise InvalidPointError(f"the sampled point is not a valid config: {exc}") from exc


def _default_of(defaults: TrainConfig, param: str) -> Any:
    if param in _TOP_LEVEL_KEYS:
        return getattr(defaults, param)
    return getattr(defaults.schedule, param)


def _as_grid(dimension: SearchDimension, points: int) -> Choices:
    if isinstance(dimension, Choices):
        return dimension
    if points < 2:
        return Choices(choices=(dimension.low,))
    if dimension.log:
        low, high = math.log(dimension.low), math.log(dimension.high)
        values = [math.exp(low + (high - low) * i / (points - 1)) for i in range(points)]
    else:
        step = (dimension.high - dimension.low) / (points - 1)
        values = [dimension.low + step * i for i in range(points)]
    rounded = [float(f"{v:.4g}") for v in values]
    inside = [min(max(v, dimension.low), dimension.high) for v in rounded]
    return Choices(choices=tuple(dict.fromkeys(inside)))


def _suggest_user(
    trial: optuna.Trial, name: str, dimension: UserDimension
) -> bool | int | float | str:
    if isinstance(dimension, FloatDimension):
        return trial.suggest_float(
            name, dimension.low, dimension.high, log=dimension.log, step=dimension.step
        )
    if isinstance(dimension, IntDimension):
        return trial.suggest_int(
            name, dimension.low, dimension.high, log=dimension.log, step=dimension.step
        )
    choice = trial.suggest_categorical(name, list(dimension.choices))
    if choice is None:  # the choices never hold None; Optuna's signature allows it
        raise InvalidPointError(f"{name} came back as null")
    return choice


def _user_grid(dimension: UserDimension, points: int) -> UserDimension:
    """A float without a step cut into ``points`` values, as the advised ranges are; ints and
    stepped floats are a grid already."""
    if not isinstance(dimension, FloatDimension) or dimension.step is not None:
        return dimension
    cut = _as_grid(Range(low=dimension.low, high=dimension.high, log=dimension.log), points)
    return CategoricalDimension(type="categorical", choices=cut.choices)
