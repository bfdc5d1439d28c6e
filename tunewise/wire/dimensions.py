"""The user's own search dimensions (``JobCreate.dimensions``) and the params that carry them.

A job searches the advised optimizer space and, beside it, dimensions the user names: dropout,
width, batch size. They travel in a lease's flat ``params`` next to ``lr`` (``TrialParams``),
so a client with its own loop reads ``params["dropout"]`` as it reads ``params["lr"]``.

The built-in workloads' catalogue of the dimensions they understand lives here, where both the
service (which refuses a job naming one its workload does not understand) and the workers
(whose workloads accept exactly those) can see it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from advisor.config import ScheduleSpec, TrainConfig
from advisor.families import ParamName

__all__ = [
    "BUILTIN_WORKLOAD_DIMENSIONS",
    "RUNNER_DIMENSIONS",
    "CategoricalDimension",
    "DimensionValue",
    "Dimensions",
    "FloatDimension",
    "IntDimension",
    "TrialParams",
    "UserDimension",
    "workload_refusal",
]

MAX_DIMENSIONS = 16
MAX_CHOICES = 64
#: Integer bounds stay where every database and JSON reader holds them exactly.
_INT_LIMIT = 2**31 - 1
_NAME_PATTERN = r"^[a-z_][a-z0-9_]{0,39}$"

DimensionValue = bool | int | float | str

#: Dimensions every built-in workload understands, because the runner applies them to any
#: workload: the mini-batch size (TrainConfig.batch_size).
RUNNER_DIMENSIONS: frozenset[str] = frozenset({"batch_size"})
#: Config keys that are searched dimensions of their own rather than optimizer values.
_CONFIG_DIMENSIONS = RUNNER_DIMENSIONS
#: Names a user dimension may not take: the optimizer's parameters, the family and the
#: schedule are the advised space's, and a lease's params would hold two values for one key.
RESERVED_NAMES: frozenset[str] = (
    (frozenset(TrainConfig.model_fields) - _CONFIG_DIMENSIONS)
    | (frozenset(ScheduleSpec.model_fields) - {"name"})  # the schedule's values, not its name
    | {p.value for p in ParamName}
    | {"betas"}
)


class _Dimension(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _bound_error(field: str, message: str) -> PydanticCustomError:
    """An error about one field of a dimension (``low``, ``step``, ``choices``), so the 422
    names ``dimensions.<name>.<field>`` rather than the dimension as a whole."""
    return PydanticCustomError(
        "dimension_bounds", "{message}", {"field": field, "message": message}
    )


FiniteFloat = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]
BoundedInt = Annotated[int, Field(ge=-_INT_LIMIT, le=_INT_LIMIT)]


class FloatDimension(_Dimension):
    """A real value in [low, high]; ``log`` samples it log-uniformly, ``step`` on a grid.
    Needs low < high; log needs low > 0; step (not with log) must divide high - low."""

    type: Literal["float"]
    low: FiniteFloat
    high: FiniteFloat
    log: bool = False
    step: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.low < self.high:
            raise _bound_error(
                "low", f"low must be below high, got low={self.low} high={self.high}"
            )
        if self.log and self.low <= 0:
            raise _bound_error("low", f"a log scale needs low > 0, got low={self.low}")
        if self.step is not None:
            if self.log:
                raise _bound_error("step", "give either log or step, not both")
            cells = (self.high - self.low) / self.step
            if cells < 1 or abs(cells - round(cells)) > 1e-9 * max(1.0, cells):
                raise _bound_error(
                    "step", f"high - low ({self.high - self.low:g}) must be a multiple of step"
                )
        return self

    def contains(self, value: object) -> bool:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
        )


class IntDimension(_Dimension):
    """An integer in [low, high]; ``log`` samples it log-uniformly, ``step`` skips values.
    Needs low < high; log needs low >= 1; a step other than 1 (not with log) must divide
    high - low."""

    type: Literal["int"]
    low: BoundedInt
    high: BoundedInt
    log: bool = False
    step: Annotated[int, Field(ge=1, le=_INT_LIMIT)] = 1

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.low < self.high:
            raise _bound_error(
                "low", f"low must be below high, got low={self.low} high={self.high}"
            )
        if self.log and self.low < 1:
            raise _bound_error("low", f"a log scale needs low >= 1, got low={self.low}")
        if self.step != 1:
            if self.log:
                raise _bound_error("step", "give either log or a step other than 1, not both")
            if (self.high - self.low) % self.step:
                raise _bound_error(
                    "step", f"high - low ({self.high - self.low}) must be a multiple of step"
                )
        return self

    def contains(self, value: object) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.low <= value <= self.high
            and (value - self.low) % self.step == 0
        )


#: No NUL in a string choice: Optuna keeps the choices in a text column, and PostgreSQL's text
#: cannot hold NUL (it answered a 500 until the schema said so).
ChoiceText = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00]+$")]
Choice = bool | int | float | ChoiceText


class CategoricalDimension(_Dimension):
    """One of a few values: strings, integers, numbers or booleans, each listed once."""

    type: Literal["categorical"]
    choices: Annotated[
        tuple[Choice, ...],
        Field(min_length=1, max_length=MAX_CHOICES, json_schema_extra={"uniqueItems": True}),
    ]

    @model_validator(mode="after")
    def _check(self) -> Self:
        # By type too: Python holds True == 1 == 1.0, which are three different choices.
        keys = [(type(c).__name__, c) for c in self.choices]
        if len(set(keys)) != len(keys):
            raise _bound_error("choices", "lists a choice more than once")
        if any(isinstance(c, float) and not math.isfinite(c) for c in self.choices):
            raise _bound_error("choices", "choices must be finite numbers")
        return self

    def contains(self, value: object) -> bool:
        return (type(value).__name__, value) in {(type(c).__name__, c) for c in self.choices}


UserDimension = Annotated[
    FloatDimension | IntDimension | CategoricalDimension, Field(discriminator="type")
]


def _not_reserved(name: str) -> str:
    if name in RESERVED_NAMES:
        raise PydanticCustomError(
            "reserved_dimension",
            "{message}",
            {
                "message": f"{name!r} is a parameter of the advised optimizer space, which the "
                "service searches already; give your dimension another name"
            },
        )
    return name


DimensionName = Annotated[
    str,
    Field(pattern=_NAME_PATTERN),
    AfterValidator(_not_reserved),
]

_TAGS = frozenset({"float", "int", "categorical"})


def _located(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Errors named by the field a user wrote: ``dimensions.dropout.low``, not pydantic's
    ``dimensions.dropout.float`` (the union's tag) or ``dimensions.Dropout.[key]``."""
    try:
        return handler(value)
    except ValidationError as exc:
        details: dict[tuple[str | int, ...], InitErrorDetails] = {}
        for error in exc.errors():
            loc = [part for part in error["loc"] if part != "[key]"]
            if len(loc) >= 2 and loc[1] in _TAGS:
                del loc[1]
            field = (error.get("ctx") or {}).get("field")
            if isinstance(field, str):
                loc.append(field)
            kind, message = error["type"], error["msg"]
            if len(loc) > 3 and loc[1] == "choices":  # one error per choice, not per type tried
                del loc[3:]
                kind, message = "choice_type", "a choice is a string, a number or a boolean"
            details.setdefault(
                tuple(loc),
                InitErrorDetails(
                    type=PydanticCustomError(kind, "{message}", {"message": message}),
                    loc=tuple(loc),
                    input=error["input"],
                ),
            )
        raise ValidationError.from_exception_data(exc.title, list(details.values())) from None


Dimensions = Annotated[
    dict[DimensionName, UserDimension],
    Field(
        max_length=MAX_DIMENSIONS,
        # The names' rules in the schema too, so a client generating requests from it does
        # not send a name the API refuses.
        json_schema_extra={
            "propertyNames": {
                "pattern": _NAME_PATTERN,
                "not": {"enum": sorted(RESERVED_NAMES)},
                "description": "lower-case identifier, e.g. dropout; not an optimizer "
                "parameter of the advised space",
            },
            "additionalProperties": False,
        },
    ),
    WrapValidator(_located),
]


class TrialParams(TrainConfig):
    """A trial's flat, ready config: the optimizer's values (a TrainConfig) and the job's own
    dimensions beside them, e.g. ``{"optimizer": "adamw", "lr": 3e-4, "dropout": 0.2}``."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="before")
    @classmethod
    def _accept_plain_config(cls, data: Any) -> Any:
        """The advisor's TrainConfig (no dimensions) is a TrialParams as it stands."""
        if isinstance(data, TrainConfig) and not isinstance(data, cls):
            return data.model_dump()
        return data

    @model_validator(mode="after")
    def _check_dimensions(self) -> Self:
        for name, value in (self.model_extra or {}).items():
            if name in RESERVED_NAMES or not isinstance(value, DimensionValue):
                raise ValueError(f"{name!r} is not a dimension value: {value!r}")
        return self

    def dimensions(self) -> dict[str, DimensionValue]:
        """The job's own dimensions' values (``batch_size`` is a config key: see there)."""
        return dict(self.model_extra or {})


#: The dimensions each built-in workload understands beyond RUNNER_DIMENSIONS, with the
#: values it accepts: ``workers.workloads`` builds its models from these, and a test checks
#: that the two agree.
BUILTIN_WORKLOAD_DIMENSIONS: Mapping[str, Mapping[str, IntDimension | FloatDimension]] = {
    "tabular-mlp": {
        "hidden": IntDimension(type="int", low=1, high=4096),
        "dropout": FloatDimension(type="float", low=0.0, high=0.9),
    },
    "digits-cnn": {
        "channels": IntDimension(type="int", low=1, high=256),
        "dropout": FloatDimension(type="float", low=0.0, high=0.9),
    },
    "text-transformer": {},
    "recsys-embedding": {},
    "sequence-lstm": {},
}
_RUNNER_ACCEPTS = {"batch_size": IntDimension(type="int", low=1, high=1_000_000)}


def workload_refusal(
    workload: str | None, dimensions: Mapping[str, UserDimension]
) -> tuple[str, str] | None:
    """``(field, message)`` when a built-in workload cannot search one of ``dimensions``; None
    when it can, or when the trials run in the client's own loop or an installed workload
    (which read params as they choose)."""
    if workload is None or workload not in BUILTIN_WORKLOAD_DIMENSIONS:
        return None
    accepts = {**_RUNNER_ACCEPTS, **BUILTIN_WORKLOAD_DIMENSIONS[workload]}
    understood = ", ".join(sorted(accepts))
    for name, dimension in dimensions.items():
        allowed = accepts.get(name)
        if allowed is None:
            return (
                f"dimensions.{name}",
                f"workload {workload!r} does not understand dimension {name!r}; "
                f"it understands {understood}",
            )
        values = _extremes(dimension)
        if not all(allowed.contains(v) for v in values):
            return (
                f"dimensions.{name}",
                f"workload {workload!r} takes {name} as {_describe(allowed)}; "
                f"this dimension reaches {', '.join(repr(v) for v in values)}",
            )
    return None


def _extremes(dimension: UserDimension) -> tuple[DimensionValue, ...]:
    if isinstance(dimension, CategoricalDimension):
        return dimension.choices
    return (dimension.low, dimension.high)


def _describe(allowed: IntDimension | FloatDimension) -> str:
    kind = "an integer" if isinstance(allowed, IntDimension) else "a number"
    return f"{kind} from {allowed.low:g} to {allowed.high:g}"
