"""Every sampler and pruner name the advice or a JobCreate may use maps to a working Optuna
object that can run the conditional space."""

from __future__ import annotations

from typing import get_args

import optuna
import pytest
from optuna.trial import FrozenTrial

from advisor.advice import Pruner, Sampler
from service.tuning.one_write import ask_many_in_one_write
from service.tuning.optuna_seam import BatchedTPESampler, recording_fits, study_storage
from service.tuning.space import SearchSpace
from service.tuning.strategies import make_pruner, make_sampler
from service.tuning.window import WindowedSampler
from tests.service.tuning.test_space import two_family_advice


@pytest.mark.parametrize("name", get_args(Sampler))
def test_every_sampler_runs_the_conditional_space(name: Sampler) -> None:
    space = SearchSpace.from_advice(two_family_advice())
    if name == "grid":
        space = space.discretised(3)
    study = optuna.create_study(sampler=make_sampler(name, seed=3))
    for number in range(12):
        trial = study.ask()
        point = space.suggest(trial)
        study.tell(trial, float(point.config.lr) + number * 1e-3)
    assert len(study.trials) == 12


def test_a_seeded_sampler_repeats_itself() -> None:
    space = SearchSpace.from_advice(two_family_advice())

    def first_points(seed: int) -> list[dict[str, object]]:
        study = optuna.create_study(sampler=make_sampler("tpe", seed=seed))
        points = []
        for _ in range(3):
            trial = study.ask()
            points.append(dict(space.suggest(trial).study_params))
            study.tell(trial, 1.0)
        return points

    assert first_points(5) == first_points(5)
    assert first_points(5) != first_points(6)


@pytest.mark.parametrize("name", get_args(Pruner))
def test_every_pruner_gives_a_verdict(name: Pruner) -> None:
    # Hyperband puts trials in brackets by a hash of the study's name: fix it, and run enough
    # trials that the hopeless one meets others in its bracket.
    study = optuna.create_study(study_name="verdicts", pruner=make_pruner(name, max_epochs=9))
    for value in [1.0] * 12:
        trial = study.ask()
        for step in range(9):
            trial.report(value, step)
            trial.should_prune()  # the halving pruners record rungs as they judge
        study.tell(trial, value)
    hopeless = study.ask()
    verdicts = []
    for step in range(9):
        hopeless.report(100.0, step)
        verdicts.append(hopeless.should_prune())
    assert any(verdicts) is (name != "none")


def test_a_job_s_tpe_models_a_batch_of_asks_once() -> None:
    space = SearchSpace.from_advice(two_family_advice())
    sampler = make_sampler("tpe", seed=3)
    study = optuna.create_study(sampler=sampler)
    for number in range(20):
        trial = study.ask()
        study.tell(trial, float(space.suggest(trial).config.lr) + number * 1e-3)
    assert isinstance(sampler, WindowedSampler) and isinstance(sampler.inner, BatchedTPESampler)
    storage = study_storage(study)

    def create(study_id: int, templates: list[FrozenTrial]) -> list[FrozenTrial]:
        ids = [storage.create_new_trial(study_id, template_trial=t) for t in templates]
        return [storage.get_trial(trial_id) for trial_id in ids]

    with recording_fits(sampler.inner) as fits:
        ask_many_in_one_write(study, space.suggest, 4, create)
    groups = len({tuple(fit) for fit in fits})
    # Per group: one good model for the batch and one bad model per ask (not two per ask).
    assert len(fits) == groups * (1 + 4)
