"""The two arms of bench/advisor_search.py and the trainer they share.

Both arms search with the service's own pieces, in-process: ``make_sampler("tpe", seed)`` and
a ``SearchSpace`` that turns an Optuna trial into a ready ``TrainConfig``. They differ only in
the space (and the advised arm's warm starts, which are part of what advice gives):

- advised: ``SearchSpace.from_advice`` on the advice for the task, with the advice's top
  families' defaults enqueued first, exactly as ``StudyBook.create`` does for a job;
- uninformed: the seven classic families at the built-in defaults (constant lr, no advice),
  lr 1e-6..1 (log), weight decay 0..0.3, beta1, beta2 and momentum over their whole ranges.

Every trial trains in-process through ``run_trial``, the harness a worker uses, with the
trial's number as its seed as a worker does. A diverged trial is told to the study as failed
(the worker reports it so and the service does not retry it) and still counts as a trial.
"""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import optuna

from advisor import Advice, OptimizerName, Range, TrainConfig
from advisor.advice import SearchDimension
from service.tuning.space import FamilySpace, InvalidPointError, SearchSpace, StudyParams
from service.tuning.strategies import make_sampler
from service.tuning.studies import warm_start_count
from workers.optim import BUILTIN_DEFAULTS
from workers.runner import TrialState, run_trial
from workers.workloads import Workload

O = OptimizerName  # noqa: E741 -- short alias keeps the table readable
CLASSIC = (O.SGD, O.MOMENTUM, O.NESTEROV, O.ADAGRAD, O.RMSPROP, O.ADAM, O.ADAMW)
LR = Range(low=1e-6, high=1.0, log=True)
WEIGHT_DECAY = Range(low=0.0, high=0.3)
BETA1 = Range(low=0.0, high=0.999)
BETA2 = Range(low=0.0, high=0.9999)
MOMENTUM = Range(low=0.0, high=0.99)
#: torch refuses nesterov with momentum 0, so its whole range starts just above.
NESTEROV_MOMENTUM = Range(low=0.01, high=0.99)


def uninformed_space() -> SearchSpace:
    families = []
    for family in CLASSIC:
        dims: dict[str, SearchDimension] = {"lr": LR, "weight_decay": WEIGHT_DECAY}
        if family in (O.ADAM, O.ADAMW):
            dims |= {"beta1": BETA1, "beta2": BETA2}
        if family is O.MOMENTUM:
            dims["momentum"] = MOMENTUM
        if family is O.NESTEROV:
            dims["momentum"] = NESTEROV_MOMENTUM
        families.append(FamilySpace(family, BUILTIN_DEFAULTS[family], dims))
    return SearchSpace(families)


def advised_arm(advice: Advice, n_trials: int) -> tuple[SearchSpace, list[StudyParams]]:
    """The job's space and its warm-start points, as the service would make them."""
    space = SearchSpace.from_advice(advice)
    families = advice.search.families
    warm = [
        space.families[f].default_point() for f in families[: warm_start_count(families, n_trials)]
    ]
    return space, warm


@dataclass(frozen=True)
class Trained:
    """One training run's ending: the metric, or None when it diverged or failed."""

    value: float | None
    state: str


class Trainer:
    """Trains one workload at a fixed number of epochs; remembers every (config, seed) it has
    trained, on disk too, because a seed gives the same result bit for bit on the CPU."""

    def __init__(self, workload: Workload, epochs: int, cache_file: Path) -> None:
        self.workload, self.epochs, self.cache_file = workload, epochs, cache_file
        self.trained = 0
        self.hits = 0
        self._cache: dict[str, Trained] = {}
        if cache_file.exists():
            for line in cache_file.read_text().splitlines():
                row = json.loads(line)
                self._cache[row["key"]] = Trained(row["value"], row["state"])

    def key(self, config: TrainConfig, seed: int) -> str:
        text = json.dumps(
            [self.workload.spec.name, self.epochs, seed, config.model_dump(mode="json")],
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def train(self, config: TrainConfig, seed: int) -> Trained:
        key = self.key(config, seed)
        if key in self._cache:
            self.hits += 1
            return self._cache[key]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sparse invariant checks")
            outcome = run_trial(
                self.workload, config, max_epochs=self.epochs, device="cpu", seed=seed
            )
        value = outcome.value
        if value is not None and not math.isfinite(value):
            value = None
        done = Trained(value, outcome.state.value if value is not None else "diverged")
        if outcome.state not in (TrialState.COMPLETE, TrialState.DIVERGED):
            done = Trained(None, outcome.state.value)
        self._cache[key] = done
        self.trained += 1
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        with self.cache_file.open("a") as out:
            out.write(json.dumps({"key": key, "value": done.value, "state": done.state}) + "\n")
        return done


@dataclass(frozen=True)
class SearchTrial:
    number: int
    config: TrainConfig | None
    value: float | None
    state: str
    warm_start: bool


def run_search(
    trainer: Trainer,
    space: SearchSpace,
    warm: Sequence[StudyParams],
    *,
    seed: int,
    n_trials: int,
    direction: Literal["minimize", "maximize"],
) -> list[SearchTrial]:
    """One study of ``n_trials`` asked one at a time (no pruning in either arm: every trial
    trains its full epochs, so the arms spend the same compute per trial)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction=direction, sampler=make_sampler("tpe", seed))
    for params in warm:
        study.enqueue_trial(dict(params))
    trials: list[SearchTrial] = []
    for number in range(n_trials):
        trial = study.ask()
        try:
            point = space.suggest(trial)
        except InvalidPointError:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            trials.append(SearchTrial(number, None, None, "invalid", number < len(warm)))
            continue
        done = trainer.train(point.config, seed=trial.number)
        if done.value is None:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        else:
            study.tell(trial, done.value)
        trials.append(SearchTrial(number, point.config, done.value, done.state, number < len(warm)))
    return trials
