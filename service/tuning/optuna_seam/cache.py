"""TrialStorage: Optuna's cached storage, kept in order and synced cheaply for batches of asks."""

from __future__ import annotations

import copy
import threading
from collections.abc import Container, Iterator, Sequence
from contextlib import contextmanager

from optuna.storages import RDBStorage

# _CachedStorage is what optuna.create_study(storage=url) wraps an RDBStorage in; Optuna has no
# public way to get one around a storage we subclass. Public replacement: none (a cache of ours).
from optuna.storages._cached_storage import _CachedStorage, _StudyInfo
from optuna.trial import FrozenTrial, TrialState

from service.tuning.optuna_seam.backend import TrialBackend
from service.tuning.optuna_seam.rows import Finish
from service.tuning.optuna_seam.studies import trial_id_of


class _InOrder:
    """One study's cached trials in a list by number, kept as the cache fills, so that reading
    them in order is a copy, not a sort of the whole study (Optuna's cache sorts them on every
    read). A trial another process created may be read after a
    later one of ours: its place stays empty (a hole) until then."""

    def __init__(self) -> None:
        self.trials: list[FrozenTrial | None] = []
        self.holes = 0

    def put(self, trial: FrozenTrial) -> None:
        gap = trial.number - len(self.trials)
        if gap >= 0:
            self.trials.extend([None] * (gap + 1))
            self.holes += gap
        elif self.trials[trial.number] is None:
            self.holes -= 1
        self.trials[trial.number] = trial

    def present(self) -> list[FrozenTrial]:
        if not self.holes:
            return list(self.trials)  # type: ignore[arg-type]  # no None when no holes
        return [trial for trial in self.trials if trial is not None]


class TrialStorage(_CachedStorage):
    """Optuna's cached storage (what ``optuna.create_study(storage=url)`` uses: finished trials
    are read from the database once, then only new or unfinished ones), plus one call that
    answers the trial it wrote. Private names of Optuna used: ``_CachedStorage`` itself and
    its ``_lock``, ``_trial_id_to_study_id_and_number`` and ``_studies`` (the cache that
    ``create_new_trial`` has just filled), and ``_backend`` (the RDBStorage under it);
    ``_add_trials_to_cache`` (extended: every trial the cache takes in also goes to
    ``_InOrder``) and ``_read_trials_from_remote_storage`` (the cache's sync, called as
    Optuna's ``get_all_trials`` does; overridden for ``one_sync``); the cache's
    ``_StudyInfo.trials``, ``unfinished_trial_ids`` and ``last_finished_trial_id``.

    What grows with the study is kept out of each read: the trials come in order without a
    sort (``get_all_trials``), and whether one is enqueued is answered from the unfinished
    trials the sync has just read (``any_waiting``). A sync reads every unfinished trial
    again, so inside ``one_sync()`` a batch of asks syncs once, not once or twice per ask
    (``_read_trials_from_remote_storage`` overridden)."""

    @property
    def backend(self) -> RDBStorage:
        """The RDBStorage under the cache: reads filtered in the database, its engine."""
        # _CachedStorage keeps it as _backend; replacement: keep our own reference.
        return self._backend

    def __init__(self, backend: RDBStorage) -> None:
        super().__init__(backend)
        self._in_order: dict[int, _InOrder] = {}
        self._synced = threading.local()

    @contextmanager
    def one_sync(self) -> Iterator[None]:
        """In this thread, each study syncs with the database on its first read only: for a
        batch of asks, whose own trials enter the cache as they are written. What other
        processes write meanwhile is read by the next sync, after the batch."""
        outer = getattr(self._synced, "studies", None)
        self._synced.studies = set() if outer is None else outer
        try:
            yield
        finally:
            self._synced.studies = outer

    def _read_trials_from_remote_storage(self, study_id: int) -> None:
        synced: set[int] | None = getattr(self._synced, "studies", None)
        if synced is None or study_id not in self._studies:
            super()._read_trials_from_remote_storage(study_id)
            return
        if study_id in synced:
            return
        synced.add(study_id)
        self._read_changed_trials(study_id)

    def _read_changed_trials(self, study_id: int) -> None:
        """The sync for asks: Optuna's reads every unfinished trial again with all it holds;
        this reads the states first and then only the trials that are new or changed state.
        A running trial's reports and attributes written since it was read stay as read: a
        sampler reads running trials for their params, written with the trial (one_write).
        Outside ``one_sync`` every sync is Optuna's."""
        with self._lock:
            study = self._studies[study_id]
            states = self.trials_backend.trial_states(
                study_id, study.unfinished_trial_ids, study.last_finished_trial_id
            )
            changed = [
                trial_id
                for trial_id, state in states.items()
                if trial_id not in self._trial_id_to_study_id_and_number
                or study.trials[self._trial_id_to_study_id_and_number[trial_id][1]].state
                is not state
            ]
            if changed:
                self._add_trials_to_cache(
                    study_id, self.trials_backend.trials_with_ids(sorted(changed))
                )
            # Optuna's bookkeeping after its read (_CachedStorage, 4.5 to 5.1), over every
            # trial the states name: its read would have returned them all. (A trial this
            # process created is cached but not yet among the unfinished ones.)
            for trial_id, state in states.items():
                if not state.is_finished():
                    study.unfinished_trial_ids.add(trial_id)
                    continue
                study.last_finished_trial_id = max(study.last_finished_trial_id, trial_id)
                study.unfinished_trial_ids.discard(trial_id)

    def _add_trials_to_cache(self, study_id: int, trials: list[FrozenTrial]) -> None:
        super()._add_trials_to_cache(study_id, trials)  # called holding self._lock
        in_order = self._in_order.setdefault(study_id, _InOrder())
        for trial in trials:
            in_order.put(trial)

    def delete_study(self, study_id: int) -> None:
        super().delete_study(study_id)
        with self._lock:
            self._in_order.pop(study_id, None)

    def get_all_trials(
        self,
        study_id: int,
        deepcopy: bool = True,
        states: Container[TrialState] | None = None,
    ) -> list[FrozenTrial]:
        """As Optuna's: the study's trials by number, synced first."""
        self._read_trials_from_remote_storage(study_id)
        with self._lock:
            in_order = self._in_order.get(study_id)
            trials = in_order.present() if in_order else []
        if states is not None:
            trials = [trial for trial in trials if trial.state in states]
        return copy.deepcopy(trials) if deepcopy else trials

    @property
    def trials_backend(self) -> TrialBackend:
        """The RDB storage under the cache, for the batch calls that bypass it (the cache
        holds finished trials only, and reads unfinished ones from the database anyway)."""
        assert isinstance(self._backend, TrialBackend)
        return self._backend

    def any_waiting(self, study_id: int) -> bool:
        """Whether the study has an enqueued (WAITING) trial. After the cache's sync every
        unfinished trial of the study is among its ``unfinished_trial_ids``, read fresh (the
        sync reads every trial newer than the last finished one, and the unfinished ones
        again), so they answer; a query by state would scan the study (Optuna's trials table
        has no index on state)."""
        self._read_trials_from_remote_storage(study_id)
        with self._lock:
            study = self._studies[study_id]
            return any(
                study.trials[self._trial_id_to_study_id_and_number[trial_id][1]].state
                is TrialState.WAITING
                for trial_id in study.unfinished_trial_ids
            )

    def create_trials(self, study_id: int, templates: Sequence[FrozenTrial]) -> list[FrozenTrial]:
        """Writes sampled trials in one transaction (``TrialBackend.create_trials``) and
        caches them as ``create_new_trial`` caches each; the trials as written."""
        written = self.trials_backend.create_trials(study_id, templates)
        with self._lock:
            study = self._studies.setdefault(study_id, _StudyInfo())
            self._add_trials_to_cache(study_id, written)
            # The running ones are unfinished, as Optuna 4.5's create_new_trial records (5.1
            # leaves it to the sync). The last finished id is left to the sync in both: moved
            # past a failed trial of ours, it would hide an older trial another process
            # created meanwhile from every later sync.
            study.unfinished_trial_ids.update(
                trial_id_of(t) for t in written if not t.state.is_finished()
            )
        return written

    def finish_trials(self, finishes: Sequence[Finish], read: dict[int, FrozenTrial]) -> None:
        """Writes the finishes in one transaction (``TrialBackend.finish_trials``), then puts
        each finished trial in the cache as written, from ``read`` (the trials as read in the
        same unit of work, before they finished): the next sync finds its state unchanged and
        does not read it again (``_read_changed_trials``)."""
        completed_at = self.trials_backend.finish_trials(finishes)
        with self._lock:
            for finish in finishes:
                cached = self._trial_id_to_study_id_and_number.get(finish.trial_id)
                if cached is None or finish.trial_id not in read:
                    continue
                trial = copy.deepcopy(read[finish.trial_id])
                trial.state = finish.state
                trial.values = finish.values
                trial.datetime_complete = completed_at
                trial.user_attrs.update(finish.user_attrs)
                trial.system_attrs.update(finish.system_attrs)
                self._add_trials_to_cache(cached[0], [trial])

    def create_trial(self, study_id: int, template: FrozenTrial) -> FrozenTrial:
        """Writes ``template`` as a new trial in one transaction; the trial as written."""
        (written,) = self.create_trials(study_id, [template])
        return written
