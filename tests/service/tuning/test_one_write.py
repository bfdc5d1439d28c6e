"""A trial asked in one write is the trial ``study.ask()`` would have made: the sampler's
values, written with their distributions, running, numbered in turn; an invalid point is
kept as a failed trial with its reason; enqueued trials still come first."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from service.tuning.one_write import ask_in_one_write
from service.tuning.optuna_seam import TrialBackend, TrialStorage, study_id_of, trial_id_of


class InvalidError(Exception):
    pass


@pytest.fixture
def storage(tmp_path: Path) -> TrialStorage:
    return TrialStorage(TrialBackend(f"sqlite:///{tmp_path / 'optuna.db'}", {}))


def suggest(trial: optuna.Trial) -> dict[str, float | str]:
    family = trial.suggest_categorical("optimizer", ["adam", "sgd"])
    lr = trial.suggest_float(f"{family}_lr", 1e-5, 1e-1, log=True)
    return {"optimizer": family, "lr": lr}


def test_the_trial_is_written_running_with_the_sampled_params(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=3))
    asked = [ask_in_one_write(study, suggest, storage.create_trial) for _ in range(3)]

    assert [frozen.number for frozen, _ in asked] == [0, 1, 2]
    reloaded = optuna.load_study(study_name=study.study_name, storage=storage.backend)
    for (frozen, point), stored in zip(asked, reloaded.trials, strict=True):
        assert point is not None
        assert stored.state is TrialState.RUNNING and trial_id_of(stored) == trial_id_of(frozen)
        assert stored.params == {
            "optimizer": point["optimizer"],
            f"{point['optimizer']}_lr": point["lr"],
        }
        assert set(stored.distributions) == set(stored.params)
    study.tell(asked[0][0].number, 0.5)  # an ordinary Optuna trial from here on
    assert storage.backend.get_trial(trial_id_of(asked[0][0])).state is TrialState.COMPLETE


def test_tpe_with_the_constant_liar_sees_the_trials_asked_before(storage: TrialStorage) -> None:
    sampler = optuna.samplers.TPESampler(seed=1, n_startup_trials=2, constant_liar=True)
    study = optuna.create_study(storage=storage, sampler=sampler)
    for _ in range(4):
        frozen, _ = ask_in_one_write(study, suggest, storage.create_trial)
        study.tell(frozen.number, 1.0)
    frozen, point = ask_in_one_write(study, suggest, storage.create_trial)
    assert point is not None and frozen.number == 4
    assert storage.backend.get_trial(trial_id_of(frozen)).params["optimizer"] == point["optimizer"]


def test_an_invalid_point_is_recorded_as_failed_with_its_reason(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage)

    def refuse(trial: optuna.Trial) -> None:
        trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        raise InvalidError("lr and momentum do not go together")

    frozen, point = ask_in_one_write(
        study,
        refuse,
        storage.create_trial,
        failed=lambda exc: str(exc) if isinstance(exc, InvalidError) else None,
        reason_attr="why",
    )
    assert point is None
    stored = storage.backend.get_trial(trial_id_of(frozen))
    assert stored.state is TrialState.FAIL and "lr" in stored.params
    assert stored.user_attrs == {"why": "lr and momentum do not go together"}


def test_an_error_that_is_not_an_invalid_point_writes_nothing(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage)

    def broken(trial: optuna.Trial) -> None:
        raise RuntimeError("sampler bug")

    with pytest.raises(RuntimeError):
        ask_in_one_write(study, broken, storage.create_trial)
    assert storage.backend.get_all_trials(study_id_of(study)) == []


def test_an_enqueued_trial_is_asked_first_with_its_fixed_params(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage)
    study.enqueue_trial({"optimizer": "sgd", "sgd_lr": 0.01})
    assert storage.any_waiting(study_id_of(study))

    frozen, point = ask_in_one_write(
        study, suggest, storage.create_trial, any_waiting=storage.any_waiting
    )
    assert point == {"optimizer": "sgd", "lr": 0.01} and frozen.number == 0
    assert not storage.any_waiting(study_id_of(study))
    assert storage.backend.get_trial(trial_id_of(frozen)).state is TrialState.RUNNING
