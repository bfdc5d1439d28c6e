"""A batch's trials are read in one go and finished in one transaction: the same trials as
Optuna's own ``get_trial``, and the same end as its ``set_trial_user_attr``,
``set_trial_system_attr`` and ``set_trial_state_values`` (attributes, state, values, completion
time), all or none. The cache then holds each finished trial as written, so the next sync does
not read it again."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from optuna.exceptions import UpdateFinishedTrialError
from optuna.trial import TrialState

from service.tuning.optuna_seam import (
    Finish,
    TrialBackend,
    TrialStorage,
    study_id_of,
    trial_id_of,
)
from tests.service.tuning.full_reads import record_full_reads


@pytest.fixture
def storage(tmp_path: Path) -> TrialStorage:
    return TrialStorage(TrialBackend(f"sqlite:///{tmp_path / 'optuna.db'}", {}))


def running_trials(storage: TrialStorage, n: int) -> tuple[optuna.Study, list[int]]:
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    ids = []
    for step in range(n):
        trial = study.ask()
        trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        trial.suggest_categorical("optimizer", ["adam", "sgd"])
        trial.set_user_attr("worker", f"w{step}")
        trial.report(0.5 + step, step)
        ids.append(trial_id_of(trial))
    return study, ids


def test_trials_read_together_are_the_trials_optuna_reads_one_by_one(
    storage: TrialStorage,
) -> None:
    _, ids = running_trials(storage, 3)
    backend = storage.trials_backend
    together = backend.read_trials([ids[2], ids[0], ids[2], 10_000])
    assert sorted(together) == [ids[0], ids[2]]  # unknown ids left out, repeats once
    for trial_id, trial in together.items():
        assert trial == backend.get_trial(trial_id)
        assert trial.intermediate_values and trial.user_attrs and trial.params
    assert backend.read_trials([]) == {}


def test_finished_together_as_set_trial_state_values_finishes_each(
    storage: TrialStorage,
) -> None:
    study, ids = running_trials(storage, 4)
    backend = storage.trials_backend
    backend.finish_trials(
        [
            Finish(ids[0], TrialState.COMPLETE, [0.25]),
            Finish(ids[1], TrialState.PRUNED, [1.5]),
            Finish(ids[2], TrialState.FAIL, None),
        ]
    )
    storage.set_trial_state_values(ids[3], TrialState.COMPLETE, [0.75])  # Optuna's own, beside
    trials = study.get_trials(deepcopy=False)
    assert [t.state for t in trials] == [
        TrialState.COMPLETE,
        TrialState.PRUNED,
        TrialState.FAIL,
        TrialState.COMPLETE,
    ]
    assert [t.value for t in trials] == [0.25, 1.5, None, 0.75]
    assert all(t.datetime_complete is not None for t in trials)
    assert study.best_trial.number == 0


def test_a_batch_with_a_finished_trial_writes_none_of_it(storage: TrialStorage) -> None:
    study, ids = running_trials(storage, 2)
    study.tell(1, 3.0)
    with pytest.raises(UpdateFinishedTrialError):
        storage.trials_backend.finish_trials(
            [Finish(ids[0], TrialState.COMPLETE, [1.0]), Finish(ids[1], TrialState.COMPLETE, [2.0])]
        )
    first, second = study.get_trials(deepcopy=False)
    assert first.state is TrialState.RUNNING and first.value is None
    assert second.value == 3.0


def test_a_finish_s_attributes_are_written_with_it_replacing_those_of_the_same_key(
    storage: TrialStorage,
) -> None:
    _, ids = running_trials(storage, 2)
    storage.trials_backend.finish_trials(
        [
            Finish(ids[0], TrialState.COMPLETE, [0.5], {"worker": "w9", "metrics": {"a": 1.0}}),
            Finish(ids[1], TrialState.FAIL, None, {"reason": "oom"}, {"constraints": [0.5]}),
        ]
    )
    first, second = (storage.backend.get_trial(i) for i in ids)
    assert first.user_attrs == {"worker": "w9", "metrics": {"a": 1.0}}
    assert second.user_attrs == {"worker": "w1", "reason": "oom"}
    assert second.system_attrs == {"constraints": [0.5]}


def test_the_cache_holds_finished_trials_as_written_and_does_not_read_them_again(
    storage: TrialStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    study, ids = running_trials(storage, 3)
    study.get_trials()  # cached, running
    read = storage.trials_backend.read_trials(ids)
    storage.finish_trials(
        [
            Finish(ids[0], TrialState.COMPLETE, [0.25], {"metrics": {"a": 1.0}}),
            Finish(ids[1], TrialState.PRUNED, [1.5]),
        ],
        read,
    )
    for trial_id in ids:
        assert storage.get_trial(trial_id) == storage.backend.get_trial(trial_id)

    full_reads = record_full_reads(storage, monkeypatch)
    with storage.one_sync():
        trials = storage.get_all_trials(study_id_of(study))
    assert full_reads == []
    assert [t.state for t in trials] == [TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING]
