"""How a job with several objectives or a cost in them is searched, beside the advice.

A job that states no objectives or constraints of its own takes those the advice suggests
from a limit in its description ("each run under 30 s", "我只有8G显存"), when its workload is a
built-in one (which reports those metrics; a client's own loop might not, and its completions
would be refused). Then two adjustments, each said in the advice's notes with its source: a
multi-objective job runs without a pruner and with a sampler that models several objectives;
and a job whose objectives or constraints name a cost (``train_seconds``,
``peak_memory_mb``) searches the batch size too, since the optimizer's values barely move that
cost (the front would otherwise be timing noise).
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor import Advice, Choices
from advisor.advice import Pruner, RationaleItem, Sampler
from service.tuning.strategies import MULTI_OBJECTIVE_SAMPLERS
from tunewise.wire.metrics import BUILT_IN_QUALITY, PEAK_MEMORY_MB, TRAIN_SECONDS
from tunewise.wire.models import MAX_OBJECTIVES, Constraint, JobCreate, Objective

#: Why a multi-objective job runs without a pruner (read in Optuna 5.1's trial/_trial.py).
PRUNING_OFF = RationaleItem(
    rule="several_objectives_no_pruning",
    text="Pruning is off: this job has several objectives, and Optuna's pruners judge one "
    "intermediate value per step (Trial.report and Trial.should_prune are not supported for "
    "multi-objective optimization). Every trial runs its full budget of epochs.",
    source="https://github.com/optuna/optuna/blob/v5.1.0/optuna/trial/_trial.py",
)
TPE_DOCS = (
    "https://optuna.readthedocs.io/en/stable/reference/samplers/generated/"
    "optuna.samplers.TPESampler.html"
)
#: The metrics the batch size moves.
COST_METRICS = frozenset({TRAIN_SECONDS, PEAK_MEMORY_MB})
BATCH_SIZE = "batch_size"
#: The batch size searched around when the task gives none.
DEFAULT_BATCH_SIZE = 32


MULTI_OBJECTIVE_DOCS = (
    "Optuna documentation, Multi-objective Optimization with Optuna "
    "<https://optuna.readthedocs.io/en/stable/tutorial/20_recipes/002_multi_objective.html>"
)


def adopt_suggestions(
    spec: JobCreate, advice: Advice
) -> tuple[Advice, tuple[Objective, ...], tuple[Constraint, ...]] | None:
    """The advice's suggested objectives and constraints as the job's, with a note saying so;
    None when the job states its own, suggests none, or its workload is not a built-in one
    whose quality metric is the job's objective."""
    plan = advice.search
    suggests = plan.constraints or plan.secondary_objectives
    quality = BUILT_IN_QUALITY.get(spec.workload or "")
    if spec.objectives is not None or spec.constraints or not suggests:
        return None
    if quality is None or spec.objective.metric != quality:
        return None
    objectives = [spec.objective]
    for suggested in plan.secondary_objectives:
        if len(objectives) < MAX_OBJECTIVES and suggested.metric not in {
            o.metric for o in objectives
        }:
            objectives.append(Objective(metric=suggested.metric, direction=suggested.direction))
    constraints = tuple(Constraint(metric=c.metric, max=c.max, min=c.min) for c in plan.constraints)
    said = [f"objectives {', '.join(f'{o.metric} ({o.direction})' for o in objectives)}"]
    if constraints:
        said.append(f"constraints {', '.join(c.describe() for c in constraints)}")
    why = next((r for r in plan.rationale if r.rule.startswith("resources.")), None)
    note = RationaleItem(
        rule="job_adopts_suggested_limits",
        text=f"This job searches with the advice's suggestions ({'; '.join(said)}), read from "
        "the limits in its description; give objectives or constraints to choose otherwise.",
        source=why.source if why is not None else MULTI_OBJECTIVE_DOCS,
    )
    noted = advice.model_copy(update={"notes": (*advice.notes, note)})
    return noted, tuple(objectives), constraints


def several_objectives(
    advice: Advice, sampler: Sampler, pruner: Pruner
) -> tuple[Advice, Sampler, Pruner]:
    """The plan of a multi-objective job: no pruner, and TPE (multi-objective TPE) where the
    advice chose a single-objective sampler; both said in the advice's notes."""
    notes = list(advice.notes)
    if pruner != "none":
        notes.append(PRUNING_OFF)
    if sampler not in MULTI_OBJECTIVE_SAMPLERS:
        notes.append(
            RationaleItem(
                rule="several_objectives_sampler",
                text=f"Sampler tpe instead of {sampler}: {sampler} searches one objective "
                "only; TPE models several (MOTPE) and honours constraints.",
                source=TPE_DOCS,
            )
        )
        sampler = "tpe"
    return advice.model_copy(update={"notes": tuple(notes)}), sampler, "none"


def with_cost_knob(
    advice: Advice, objectives: Sequence[Objective], constraints: Sequence[Constraint]
) -> Advice:
    """The advice with the batch size searched (a quarter of the task's to twice it) when an
    objective or constraint is a cost; unchanged otherwise, or when it is searched already."""
    named = {o.metric for o in objectives} | {c.metric for c in constraints}
    costs = sorted(named & COST_METRICS)
    if not costs or BATCH_SIZE in advice.search.tuned_params:
        return advice
    base = advice.task.batch_size or DEFAULT_BATCH_SIZE
    choices = tuple(sorted({max(1, base // 4), max(1, base // 2), base, base * 2}))
    candidates = tuple(
        c.model_copy(
            update={"search_space": {**c.search_space, BATCH_SIZE: Choices(choices=choices)}}
        )
        for c in advice.candidates
    )
    search = advice.search.model_copy(
        update={"tuned_params": (*advice.search.tuned_params, BATCH_SIZE)}
    )
    note = RationaleItem(
        rule="cost_objective_batch_size",
        text=f"Batch size searched over {', '.join(map(str, choices))}: this job weighs "
        f"{' and '.join(costs)}, which the batch size governs far more than the optimizer's "
        "values do, so the search can trade quality for cost.",
        source="Godbole et al., Deep Learning Tuning Playbook, 'Choosing the batch size' "
        "<https://github.com/google-research/tuning_playbook#choosing-the-batch-size>",
    )
    return advice.model_copy(
        update={"candidates": candidates, "search": search, "notes": (*advice.notes, note)}
    )
