"""A trial asked in one write is the trial ``study.ask()`` would have made: the sampler's
values, written with their distributions, running, numbered in turn; an invalid point is
kept as a failed trial with its reason; enqueued trials still come first. A batch asked and
written together holds the trials the same asks one after another would have made."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState
from sqlalchemy import event

from service.tuning.one_write import ask_in_one_write, ask_many_in_one_write
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


def test_a_batch_samples_what_the_same_asks_one_by_one_sample(tmp_path: Path) -> None:
    def tpe_study(name: str) -> tuple[optuna.Study, TrialStorage]:
        storage = TrialStorage(TrialBackend(f"sqlite:///{tmp_path / name}", {}))
        sampler = optuna.samplers.TPESampler(seed=5, n_startup_trials=3, constant_liar=True)
        study = optuna.create_study(storage=storage, sampler=sampler)
        for value in (0.3, 0.1, 0.7, 0.2):
            frozen, _ = ask_in_one_write(study, suggest, storage.create_trial)
            study.tell(frozen.number, value)
        return study, storage

    one_by_one, its_storage = tpe_study("one.db")
    asked = [ask_in_one_write(one_by_one, suggest, its_storage.create_trial) for _ in range(4)]
    batched, storage = tpe_study("batch.db")
    written = ask_many_in_one_write(batched, suggest, 4, storage.create_trials)

    # TPE with the constant liar models running trials: each ask saw the ones before it.
    assert [point for _, point in written] == [point for _, point in asked]
    assert [trial.number for trial, _ in written] == [4, 5, 6, 7]
    stored = storage.backend.get_all_trials(study_id_of(batched))
    assert stored[4:] == [trial for trial, _ in written]
    assert [t.state for t in stored[4:]] == [TrialState.RUNNING] * 4


def test_each_trial_of_a_batch_sees_the_earlier_ones_running(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage)
    seen: list[int] = []

    def count_running(trial: optuna.Trial) -> float:
        seen.append(len(trial.study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))))
        return trial.suggest_float("x", 0.0, 1.0)

    ask_many_in_one_write(study, count_running, 3, storage.create_trials)
    assert seen == [0, 1, 2]
    assert len(study.get_trials(states=(TrialState.RUNNING,))) == 3


def test_a_batch_s_invalid_points_are_written_failed_beside_the_valid_ones(
    storage: TrialStorage,
) -> None:
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))

    def every_other(trial: optuna.Trial) -> float:
        x = trial.suggest_float("x", 0.0, 1.0)
        if trial.number % 2:  # the batch's trials are numbered apart while sampled
            raise InvalidError("odd")
        return x

    written = ask_many_in_one_write(
        study,
        every_other,
        4,
        storage.create_trials,
        failed=lambda exc: str(exc) if isinstance(exc, InvalidError) else None,
        reason_attr="why",
    )
    states = [storage.backend.get_trial(trial_id_of(t)).state for t, _ in written]
    assert [point is None for _, point in written] == [s is TrialState.FAIL for s in states]
    assert TrialState.FAIL in states and TrialState.RUNNING in states
    failed = [t for t, point in written if point is None]
    assert all(
        storage.backend.get_trial(trial_id_of(t)).user_attrs == {"why": "odd"} for t in failed
    )


def test_a_batch_is_written_in_one_transaction(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    commits: list[bool] = []
    event.listen(storage.backend.engine, "commit", lambda _conn: commits.append(True))
    ask_many_in_one_write(study, suggest, 8, storage.create_trials)
    assert len(commits) == 1
