"""Optuna studies, one per job, on the service's database.

One ``StudyBook`` per app holds the Optuna storage (cached: finished trials are read from the
database once, then only new or unfinished ones) and the loaded studies, so a sampler keeps
its state (its random stream, TPE's observations) from one ask to the next.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import optuna

from advisor import Advice, OptimizerName
from advisor.advice import Pruner, Sampler
from service.db.locks import FileLock, ask_lock
from service.tuning.optuna_seam import CONSTRAINTS_SYSTEM_ATTR, TrialBackend, TrialStorage
from service.tuning.space import SearchSpace
from service.tuning.strategies import GRID_POINTS, make_pruner, make_sampler
from tunewise.wire.dimensions import UserDimension
from tunewise.wire.models import Constraint, Objective

WARM_START_ATTR = "warm_start"
ATTEMPT_ATTR = "tunewise_attempt"
RETRY_OF_ATTR = "tunewise_retry_of"
REASON_ATTR = "tunewise_reason"
JOB_ATTR = "tunewise_job_id"
#: Study user attr: the job's constraints, [{"metric", "max"|"min"}, ...] in the job's order.
CONSTRAINTS_ATTR = "tunewise:constraints"
#: Trial user attr: every metric the completion reported, {metric: number}.
VALUES_ATTR = "values"
#: Trial system attr Optuna's samplers and plots read: one float per constraint, <= 0 when met.
OPTUNA_CONSTRAINTS_ATTR = CONSTRAINTS_SYSTEM_ATTR


@dataclass(frozen=True)
class StudyPlan:
    """What a job's study is made of (stored on the job row; rebuilt on load)."""

    study_name: str
    direction: Literal["minimize", "maximize"]
    advice: Advice
    families: tuple[OptimizerName, ...]
    sampler: Sampler
    pruner: Pruner
    seed: int | None
    max_epochs: int | None
    #: The user's own dimensions, searched beside the advised space.
    dimensions: Mapping[str, UserDimension] = field(default_factory=dict)
    #: All objectives (the first is ``direction``'s) of a job with several or with
    #: constraints; () for a plain single-objective job, whose study is as before.
    objectives: tuple[Objective, ...] = ()
    constraints: tuple[Constraint, ...] = ()

    @property
    def multi_objective(self) -> bool:
        return len(self.objectives) > 1

    def space(self) -> SearchSpace:
        space = SearchSpace.from_advice(self.advice, self.families, self.dimensions)
        return space.discretised(GRID_POINTS) if self.sampler == "grid" else space


#: Samplers whose asks are written in one transaction (service.tuning.one_write): they read
#: only the study's trials and the pending trial's own values, never its number. The others
#: (QMC, grid, CMA-ES) keep Optuna's ask.
ONE_WRITE_SAMPLERS = frozenset({"tpe", "random"})


@dataclass(frozen=True)
class LoadedStudy:
    study: optuna.Study
    space: SearchSpace
    #: Whether asks may go through service.tuning.one_write.
    one_write: bool = False
    #: As in the plan: the objectives (() for a plain single-objective job) and constraints.
    objectives: tuple[Objective, ...] = ()
    constraints: tuple[Constraint, ...] = ()


class StudyBook:
    def __init__(self, url: str, engine_kwargs: dict[str, object], capacity: int = 256) -> None:
        backend = TrialBackend(url, engine_kwargs)
        self.storage = TrialStorage(backend)
        self._backend = backend
        self._loaded: OrderedDict[str, LoadedStudy] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()
        #: Held by every ask until its trial is recorded (by every process on a SQLite file,
        #: service.db.locks), and taken before any unit of work: asks ahead run outside the
        #: units of work, Optuna's hand-out of an enqueued trial reads its state before
        #: writing it (which SQLite does not lock), and a lease must not ask past the budget
        #: while a trial asked ahead is on its way.
        self.ask_lock = ask_lock(url)

    def create(
        self,
        job_id: str,
        plan: StudyPlan,
        warm_starts: int,
        first: Sequence[tuple[dict[str, object], str]] = (),
    ) -> LoadedStudy:
        """A new study with the plan's first families' defaults enqueued as warm starts, each
        marked in its user attrs so Optuna's own tools show where it came from. ``first``
        (points and their labels: configs of similar past jobs, service.evidence) go first."""
        space = plan.space()
        multi = plan.multi_objective
        study = optuna.create_study(
            storage=self.storage,
            study_name=plan.study_name,
            direction=None if multi else plan.direction,
            directions=[o.direction for o in plan.objectives] if multi else None,
            sampler=make_sampler(plan.sampler, plan.seed, multi_objective=multi),
            pruner=make_pruner(plan.pruner, plan.max_epochs),
        )
        study.set_user_attr(JOB_ATTR, job_id)
        study.set_user_attr("families", list(space.family_names))
        if plan.objectives:
            # So that Optuna's own tools (plot_pareto_front, the dashboard) name the axes.
            with warnings.catch_warnings():  # "experimental" since Optuna 3.2; still so in 5.1
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                study.set_metric_names([o.metric for o in plan.objectives])
        if plan.constraints:
            study.set_user_attr(
                CONSTRAINTS_ATTR, [c.model_dump(exclude_none=True) for c in plan.constraints]
            )
        for point, label in first:
            study.enqueue_trial(dict(point), user_attrs={WARM_START_ATTR: label})
        for family in plan.families[:warm_starts]:
            study.enqueue_trial(
                space.families[family].default_point(),
                user_attrs={WARM_START_ATTR: f"advisor default for {family.value}"},
            )
        loaded = _loaded(study, space, plan)
        self._remember(job_id, loaded)
        return loaded

    def get(self, job_id: str, plan: Callable[[], StudyPlan]) -> LoadedStudy:
        """The job's study, loaded once per process; ``plan`` is only called to load it."""
        with self._lock:
            loaded = self._loaded.get(job_id)
            if loaded is not None:
                self._loaded.move_to_end(job_id)
                return loaded
        spec = plan()
        study = optuna.load_study(
            study_name=spec.study_name,
            storage=self.storage,
            # Loaded, not created: a sampler seeded as at creation would replay its proposals.
            sampler=make_sampler(
                spec.sampler, spec.seed, reloaded=True, multi_objective=spec.multi_objective
            ),
            pruner=make_pruner(spec.pruner, spec.max_epochs),
        )
        loaded = _loaded(study, spec.space(), spec)
        self._remember(job_id, loaded)
        return loaded

    def delete(self, study_name: str) -> None:
        """Undo a study whose job could not be recorded."""
        optuna.delete_study(study_name=study_name, storage=self.storage)

    def retry(
        self, loaded: LoadedStudy, study_params: dict[str, object], attempt: int, retry_of: int
    ) -> None:
        """Enqueue the same point again; the retry counter travels in its user attrs."""
        loaded.study.enqueue_trial(
            dict(study_params),
            user_attrs={ATTEMPT_ATTR: attempt, RETRY_OF_ATTR: retry_of},
        )

    def unfinished_trials(self, study_name: str) -> list[optuna.trial.FrozenTrial]:
        """The study's WAITING and RUNNING trials, filtered in the database by the storage
        itself rather than through the cache (which would load the whole study first)."""
        study_id = self._backend.get_study_id_from_name(study_name)
        states = (optuna.trial.TrialState.WAITING, optuna.trial.TrialState.RUNNING)
        return self._backend.get_all_trials(study_id, deepcopy=False, states=states)

    def dispose(self) -> None:
        self._backend.engine.dispose()
        if isinstance(self.ask_lock, FileLock):
            self.ask_lock.close()

    def _remember(self, job_id: str, loaded: LoadedStudy) -> None:
        with self._lock:
            self._loaded[job_id] = loaded
            self._loaded.move_to_end(job_id)
            while len(self._loaded) > self._capacity:
                self._loaded.popitem(last=False)


def _loaded(study: optuna.Study, space: SearchSpace, plan: StudyPlan) -> LoadedStudy:
    return LoadedStudy(
        study, space, plan.sampler in ONE_WRITE_SAMPLERS, plan.objectives, plan.constraints
    )


def warm_start_count(families: Sequence[OptimizerName], n_trials: int) -> int:
    """The seeds' "try both": the top families' defaults first, leaving at least half the
    budget to the sampler."""
    return max(1, min(len(families), n_trials // 2))
