"""The service's Optuna storage answers as Optuna's own does, while its reads do not grow with
the study: trials come back in number order (also when another process created some of them),
new trials are numbered in turn, the cache's sync sees other processes' changes to unfinished
trials, and an enqueued trial is found from the cache. Trials read or written in bulk are those
Optuna's own calls read and write one at a time."""

from __future__ import annotations

from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState
from sqlalchemy import event

from service.tuning.one_write import ask_in_one_write
from service.tuning.optuna_seam import TrialBackend, TrialStorage, study_id_of, trial_id_of
from tests.service.tuning.full_reads import record_full_reads


def suggest(trial: optuna.Trial) -> float:
    return trial.suggest_float("x", 0.0, 1.0)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'optuna.db'}"


def open_storage(url: str) -> TrialStorage:
    return TrialStorage(TrialBackend(url, {}))


def as_stored(trials: list[optuna.trial.FrozenTrial]) -> list[tuple[int, int, TrialState]]:
    return [(t.number, trial_id_of(t), t.state) for t in trials]


def test_trials_come_in_number_order_with_those_another_process_created(url: str) -> None:
    mine, other = open_storage(url), open_storage(url)
    study = optuna.create_study(storage=mine, sampler=optuna.samplers.RandomSampler(seed=0))
    theirs = optuna.load_study(study_name=study.study_name, storage=other)
    ask_in_one_write(study, suggest, mine.create_trial)
    theirs.ask()  # number 1, not in my cache yet
    ask_in_one_write(study, suggest, mine.create_trial)  # number 2: a hole before it
    theirs.tell(theirs.ask(), 0.5)  # number 3

    expected = as_stored(other.backend.get_all_trials(study_id_of(study)))
    assert [number for number, _, _ in expected] == [0, 1, 2, 3]
    assert as_stored(mine.get_all_trials(study_id_of(study))) == expected
    assert as_stored(mine.get_all_trials(study_id_of(study), states=(TrialState.COMPLETE,))) == [
        expected[3]
    ]


def test_trials_asked_in_one_write_are_numbered_in_turn_among_optunas(url: str) -> None:
    storage = open_storage(url)
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    other = optuna.create_study(storage=storage)  # another study's trials take ids in between
    numbers = []
    for _ in range(3):
        numbers.append(ask_in_one_write(study, suggest, storage.create_trial)[0].number)
        other.ask()
        numbers.append(study.ask().number)
    assert numbers == list(range(6))
    assert [t.number for t in storage.backend.get_all_trials(study_id_of(study))] == numbers


def test_the_sync_sees_another_process_finish_an_older_running_trial(url: str) -> None:
    mine, other = open_storage(url), open_storage(url)
    study = optuna.create_study(storage=mine, sampler=optuna.samplers.RandomSampler(seed=0))
    running, _ = ask_in_one_write(study, suggest, mine.create_trial)
    for _ in range(3):  # newer trials finish first: the running one is now an older one
        frozen, _ = ask_in_one_write(study, suggest, mine.create_trial)
        study.tell(frozen.number, 0.1)
    assert mine.get_all_trials(study_id_of(study))[0].state is TrialState.RUNNING

    theirs = optuna.load_study(study_name=study.study_name, storage=other)
    theirs.tell(running.number, 0.9)

    first = mine.get_all_trials(study_id_of(study))[0]
    assert first.number == running.number
    assert first.state is TrialState.COMPLETE and first.value == 0.9


def test_an_enqueued_trial_is_found_also_when_another_process_enqueued_it(url: str) -> None:
    mine, other = open_storage(url), open_storage(url)
    study = optuna.create_study(storage=mine, sampler=optuna.samplers.RandomSampler(seed=0))
    ask_in_one_write(study, suggest, mine.create_trial)  # unfinished, not waiting
    assert not mine.any_waiting(study_id_of(study))

    theirs = optuna.load_study(study_name=study.study_name, storage=other)
    theirs.enqueue_trial({"x": 0.25})
    assert mine.any_waiting(study_id_of(study))

    frozen, point = ask_in_one_write(
        study, suggest, mine.create_trial, any_waiting=mine.any_waiting
    )
    assert point == 0.25 and frozen.number == 1
    assert not mine.any_waiting(study_id_of(study))


class Syncs:
    """Counts the cache's syncs: the queries for the trials newer than the last finished one
    (each sync reads them, and every unfinished trial, again)."""

    def __init__(self, storage: TrialStorage) -> None:
        self.count = 0
        event.listen(storage.backend.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "FROM trials" in statement and "trials.trial_id >" in statement:
            self.count += 1


def test_a_batch_of_asks_syncs_once_and_sees_its_own_trials(url: str) -> None:
    storage = open_storage(url)
    syncs = Syncs(storage)
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.TPESampler(seed=0))
    for _ in range(3):
        study.tell(study.ask({"x": optuna.distributions.FloatDistribution(0, 1)}), 0.5)

    syncs.count = 0
    with storage.one_sync():
        asked = [
            ask_in_one_write(study, suggest, storage.create_trial, any_waiting=storage.any_waiting)
            for _ in range(4)
        ]
    assert syncs.count == 1
    # Each ask's sampler saw the trials asked before it in the batch: 3 told, then running.
    numbers = [t.number for t in storage.get_all_trials(study_id_of(study))]
    assert numbers == list(range(7)) and [t.number for t, _ in asked] == [3, 4, 5, 6]
    assert syncs.count == 2  # outside the block, every read syncs again


def test_another_process_s_trial_is_read_by_the_first_sync_after_the_batch(url: str) -> None:
    mine, other = open_storage(url), open_storage(url)
    study = optuna.create_study(storage=mine, sampler=optuna.samplers.RandomSampler(seed=0))
    theirs = optuna.load_study(study_name=study.study_name, storage=other)
    with mine.one_sync():
        ask_in_one_write(study, suggest, mine.create_trial, any_waiting=mine.any_waiting)
        theirs.enqueue_trial({"x": 0.25})
        assert not mine.any_waiting(study_id_of(study))  # not read during the batch
    assert mine.any_waiting(study_id_of(study))
    assert [t.number for t in mine.get_all_trials(study_id_of(study))] == [0, 1]


def test_a_batch_s_sync_reads_in_full_only_the_trials_that_are_new_or_changed(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, other = open_storage(url), open_storage(url)
    study = optuna.create_study(storage=mine, sampler=optuna.samplers.RandomSampler(seed=0))
    running = [ask_in_one_write(study, suggest, mine.create_trial)[0] for _ in range(5)]
    theirs = optuna.load_study(study_name=study.study_name, storage=other)
    theirs.tell(running[1].number, 0.9)  # finished by another process
    theirs.ask()  # a new trial of another process's
    mine.get_all_trials(study_id_of(study))  # an ordinary sync: everything fresh
    theirs.tell(running[3].number, 0.1)
    new = theirs.ask()

    read = record_full_reads(mine, monkeypatch)
    with mine.one_sync():
        trials = mine.get_all_trials(study_id_of(study))
    assert sorted(read) == sorted([trial_id_of(running[3]), trial_id_of(new)])
    assert as_stored(trials) == as_stored(other.backend.get_all_trials(study_id_of(study)))
    assert trials[running[3].number].value == 0.1


def test_a_trial_this_process_enqueued_is_found_in_a_batch(url: str) -> None:
    storage = open_storage(url)
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    study.enqueue_trial({"x": 0.25})  # cached, but not yet among the unfinished trials
    with storage.one_sync():
        assert storage.any_waiting(study_id_of(study))
        frozen, point = ask_in_one_write(
            study, suggest, storage.create_trial, any_waiting=storage.any_waiting
        )
    assert point == 0.25 and frozen.number == 0


def rich_study(storage: optuna.storages.BaseStorage) -> optuna.Study:
    """Trials holding every kind of row, with the values Optuna stores specially."""
    study = optuna.create_study(storage=storage, directions=["minimize", "maximize"])
    for value in (1.5, float("inf")):
        trial = study.ask()
        trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        trial.suggest_int("layers", 1, 4)
        trial.suggest_categorical("optimizer", ["adam", "sgd", None])
        trial.set_user_attr("metrics", {"accuracy": 0.9})
        storage.set_trial_system_attr(trial_id_of(trial), "constraints", [0.0, -1.0])
        study.tell(trial, [value, float("-inf")])
    study.ask()  # running, nothing suggested
    failed = study.ask()
    failed.suggest_float("lr", 1e-5, 1e-1, log=True)
    study.tell(failed, state=TrialState.FAIL)
    return study


def test_trials_read_in_bulk_are_the_trials_optuna_reads(url: str) -> None:
    storage = open_storage(url)
    study = rich_study(storage.backend)
    single = optuna.create_study(storage=storage.backend)
    reporting = single.ask()
    for step, value in enumerate((0.5, float("inf"), float("-inf"))):
        reporting.report(value, step)
    ids = [trial_id_of(t) for t in [*study.trials, *single.trials]]

    expected = {i: storage.backend.get_trial(i) for i in ids}  # Optuna's own read, one by one
    assert storage.trials_backend.read_trials([*ids, 10_000]) == expected
    assert storage.trials_backend.trials_with_ids(sorted(ids)) == [expected[i] for i in sorted(ids)]


def test_trials_created_in_bulk_are_numbered_in_turn_cached_and_stored_whole(url: str) -> None:
    storage = open_storage(url)
    study = optuna.create_study(storage=storage)
    other = optuna.create_study(storage=storage)
    study.tell(study.ask({"x": optuna.distributions.FloatDistribution(0, 1)}), 0.5)
    other.ask()  # another study's trial between ours
    template = storage.backend.get_trial(trial_id_of(study.trials[0]))
    templates = []
    for x, state in ((0.25, TrialState.RUNNING), (0.75, TrialState.FAIL)):
        made = optuna.trial.create_trial(
            state=state,
            params={"x": x},
            distributions=template.distributions,
            user_attrs={"attempt": 1},
            system_attrs={"batch": True},
        )
        templates.append(made)

    written = storage.create_trials(study_id_of(study), templates)

    assert [t.number for t in written] == [1, 2]
    stored = [storage.backend.get_trial(trial_id_of(t)) for t in written]
    assert [(t.params, t.user_attrs, t.system_attrs, t.state) for t in stored] == [
        ({"x": 0.25}, {"attempt": 1}, {"batch": True}, TrialState.RUNNING),
        ({"x": 0.75}, {"attempt": 1}, {"batch": True}, TrialState.FAIL),
    ]
    assert storage.get_trial(trial_id_of(written[0])) == written[0]  # cached as written
    assert [t.number for t in storage.get_all_trials(study_id_of(study))] == [0, 1, 2]
    assert other.ask().number == 1  # the other study's numbers are its own


def test_a_failed_trial_created_in_bulk_hides_no_older_trial_of_another_process(url: str) -> None:
    mine, other = open_storage(url), open_storage(url)
    study = optuna.create_study(storage=mine)
    theirs = optuna.load_study(study_name=study.study_name, storage=other)
    mine.get_all_trials(study_id_of(study))  # synced: nothing yet
    older = theirs.ask()  # not in my cache
    failed = optuna.trial.create_trial(
        state=TrialState.FAIL,
        params={"x": 0.5},
        distributions={"x": optuna.distributions.FloatDistribution(0, 1)},
    )
    mine.create_trials(study_id_of(study), [failed])
    theirs.tell(older, 0.25)

    states = [t.state for t in mine.get_all_trials(study_id_of(study))]
    assert states == [TrialState.COMPLETE, TrialState.FAIL]
