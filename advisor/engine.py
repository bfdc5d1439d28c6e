"""PLACEHOLDER: replaced by the rule engine (issue 2). Signature and return type are final."""

from __future__ import annotations

from advisor.advice import Advice, Candidate, Range, RationaleItem, SearchPlan
from advisor.config import ScheduleName, ScheduleSpec, TrainConfig
from advisor.families import OptimizerName
from advisor.task import NormalisedTask, TaskDescription


def advise(task: TaskDescription | str) -> Advice:
    if isinstance(task, str):
        task = TaskDescription(description=task)
    schedule = ScheduleSpec(name=ScheduleName.COSINE)
    cand = Candidate(
        optimizer=OptimizerName.ADAM,
        score=0.8,
        origin="seed",
        defaults=TrainConfig(
            optimizer=OptimizerName.ADAM,
            lr=1e-3,
            beta1=0.9,
            beta2=0.999,
            eps=1e-8,
            schedule=schedule,
        ),
        search_space={"lr": Range(low=1e-4, high=1e-2, log=True)},
        schedule=schedule,
        rationale=(RationaleItem(rule="default.adam", text="Adam by default", source="seed 000"),),
    )
    return Advice(
        task=NormalisedTask(**task.model_dump()),
        candidates=(cand,),
        search=SearchPlan(
            sampler="tpe",
            pruner="median",
            n_trials=20,
            tuned_params=("lr",),
            families=(OptimizerName.ADAM,),
        ),
    )
