"""tunewise's optimizer advisor: pure rules, task description in, cited advice out.

Imports pydantic and the standard library only.
"""

from advisor.advice import (
    Advice,
    Candidate,
    Choices,
    ParamGroupAdvice,
    Range,
    RationaleItem,
    SearchPlan,
    SuggestedConstraint,
    SuggestedObjective,
)
from advisor.config import ScheduleName, ScheduleSpec, TrainConfig
from advisor.engine import advise
from advisor.errors import AdvisorError
from advisor.families import (
    FAMILY_PARAMS,
    NEWER_FAMILIES,
    SEED_FAMILIES,
    OptimizerName,
    ParamName,
)
from advisor.task import (
    Architecture,
    CurrentConfig,
    Domain,
    Inference,
    NormalisedTask,
    Priority,
    Regime,
    Symptom,
    TaskDescription,
)

__all__ = [
    "FAMILY_PARAMS",
    "NEWER_FAMILIES",
    "SEED_FAMILIES",
    "Advice",
    "AdvisorError",
    "Architecture",
    "Candidate",
    "Choices",
    "CurrentConfig",
    "Domain",
    "Inference",
    "NormalisedTask",
    "OptimizerName",
    "ParamGroupAdvice",
    "ParamName",
    "Priority",
    "Range",
    "RationaleItem",
    "Regime",
    "ScheduleName",
    "ScheduleSpec",
    "SearchPlan",
    "SuggestedConstraint",
    "SuggestedObjective",
    "Symptom",
    "TaskDescription",
    "TrainConfig",
    "advise",
]
