"""TPE that models a batch of asks once: outside a batch it is Optuna's TPE, proposal for
proposal; inside one, the good model is fitted once per group, every later member models the
earlier ones as running ("bad", newest last), and the search finds as good a point as
Optuna's TPE refitted at every ask of the batch."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

import numpy as np
import optuna
import pytest

from service.tuning.one_write import ask_many_in_one_write
from service.tuning.optuna_seam import BatchedTPESampler, recording_fits, study_storage

pytestmark = pytest.mark.filterwarnings("ignore::optuna.exceptions.ExperimentalWarning")

TPE_SETTINGS: dict[str, Any] = {
    "multivariate": True,
    "group": True,
    "constant_liar": True,
    "n_startup_trials": 8,
}


def suggest(trial: optuna.Trial) -> dict[str, Any]:
    family = trial.suggest_categorical("family", ["adam", "sgd"])
    return {
        "family": family,
        "lr": trial.suggest_float(f"{family}_lr", 1e-5, 1.0, log=True),
        "decay": trial.suggest_float("decay", 0.0, 0.1),
    }


def loss(point: dict[str, Any]) -> float:
    """Best at adam, lr 1e-3, decay 0.01; sgd is worse everywhere."""
    lr_term = (np.log10(point["lr"]) + 3.0) ** 2
    return float(lr_term + 100 * (point["decay"] - 0.01) ** 2 + (point["family"] == "sgd"))


def create(study: optuna.Study) -> Callable[[int, list[Any]], list[Any]]:
    storage = study_storage(study)

    def write(study_id: int, templates: list[Any]) -> list[Any]:
        ids = [storage.create_new_trial(study_id, template_trial=t) for t in templates]
        return [storage.get_trial(trial_id) for trial_id in ids]

    return write


def searched(sampler: optuna.samplers.BaseSampler, trials: int, batch: int) -> optuna.Study:
    study = optuna.create_study(sampler=sampler)
    while len(study.trials) < trials:
        for frozen, point in ask_many_in_one_write(study, suggest, batch, create(study)):
            study.tell(frozen.number, loss(point))
    return study


def test_outside_a_batch_it_proposes_what_optuna_s_tpe_proposes() -> None:
    theirs = searched(optuna.samplers.TPESampler(seed=7, **TPE_SETTINGS), 30, 1)
    ours = searched(BatchedTPESampler(seed=7, **TPE_SETTINGS), 30, 1)
    assert [t.params for t in ours.trials] == [t.params for t in theirs.trials]


def test_a_batch_fits_the_good_model_once_and_each_member_sees_the_earlier_ones_running() -> None:
    sampler = BatchedTPESampler(seed=3, **TPE_SETTINGS)
    study = searched(sampler, 20, 1)
    with recording_fits(sampler) as fits:
        batch = ask_many_in_one_write(study, suggest, 5, create(study))

    # "decay" is in the group of params every trial has: one good model for the batch, then
    # one bad model per member, holding the stored bad trials and, last, the members asked
    # before it.
    decay = [fit["decay"] for fit in fits if "decay" in fit]
    assert len(decay) == 1 + 5
    good, bad = decay[0], decay[1:]
    assert len(good) == max(1, int(np.ceil(0.1 * 20)))  # Optuna's gamma: the best 10%
    stored_bad = bad[0]
    assert len(stored_bad) == 20 - len(good)
    for member, fit in enumerate(bad):
        earlier = [frozen.params["decay"] for frozen, _ in batch[:member]]
        assert fit[: len(stored_bad)] == stored_bad
        assert fit[len(stored_bad) :] == pytest.approx(earlier)


def test_asks_beyond_the_announced_batch_fall_back_to_a_model_of_their_own() -> None:
    sampler = BatchedTPESampler(seed=3, **TPE_SETTINGS)
    study = searched(sampler, 20, 1)
    with sampler.together(2):
        points = [suggest(study.ask()) for _ in range(3)]
    assert len({p["decay"] for p in points}) == 3


def test_batches_of_eight_search_as_well_as_optuna_s_tpe_asked_eight_at_a_time() -> None:
    def best(sampler: optuna.samplers.BaseSampler) -> float:
        return searched(sampler, 64, 8).best_value

    seeds = range(10)
    optunas = [best(optuna.samplers.TPESampler(seed=s, **TPE_SETTINGS)) for s in seeds]
    ours = [best(BatchedTPESampler(seed=s, **TPE_SETTINGS)) for s in seeds]
    random = [best(optuna.samplers.RandomSampler(seed=s)) for s in seeds]

    # Medians over seeds (Optuna 5.1 and 4.5: 0.0009 and 0.006 here, 0.0017 and 0.0046 for
    # Optuna's TPE refitted at every ask, 0.032 for random search).
    assert statistics.median(ours) < statistics.median(random) / 3
    assert statistics.median(ours) <= 2 * statistics.median(optunas)
