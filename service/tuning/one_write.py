"""Asking Optuna for a trial with one write instead of one per parameter.

``study.ask()`` creates the trial in the database first, then each ``suggest_*`` writes its
parameter in a transaction of its own (and TPE's constant liar one more system attribute):
seven or eight commits per trial for the advised spaces, most of a trial's cost on SQLite.
Here the sampler suggests against a trial that lives in memory only (a "pending" trial the
storage seen by the sampler pretends to hold), and the finished trial, its parameters and
attributes are written at once with ``create_new_trial(study_id, template_trial=...)``, which
Optuna documents for this (it is how ``Study.add_trial`` writes a whole trial).

What the sampler sees is the same as with ``ask``: the study's trials (the pending one is not
among them yet, as the current trial is left out by TPE anyway), its directions, and the
pending trial's own parameters and attributes as they are suggested.

The study internals this needs (its storage and id, the waiting-trial hand-out, a study seen
through another storage) are reached through service.tuning.optuna_seam.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Container, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast

import optuna
from optuna.distributions import BaseDistribution
from optuna.storages import BaseStorage
from optuna.trial import FrozenTrial, TrialState

from service.tuning.optuna_seam import (
    asking_together,
    forget_cached_trials,
    pop_waiting_trial_id,
    seen_through,
    study_id_of,
    study_storage,
    trial_of,
)

T = TypeVar("T")

#: The id (and number) of the first trial being suggested, before it exists in the
#: database; the next ones of a batch count down from it.
PENDING_ID = -1


class _PendingStorage:
    """The study's storage as the sampler sees it during one ask: every call goes through to
    the real storage except those about the pending trial, which read and write ``pending``;
    the study's trials are those stored plus ``others``, trials sampled earlier in the same
    batch and not written yet (running, as the sampler would see them after their asks)."""

    def __init__(
        self,
        inner: BaseStorage,
        pending: FrozenTrial,
        pending_id: int,
        others: Sequence[FrozenTrial] = (),
    ) -> None:
        self._inner = inner
        self.pending = pending
        self._pending_id = pending_id
        self._others = others

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def get_all_trials(
        self,
        study_id: int,
        deepcopy: bool = True,
        states: Container[TrialState] | None = None,
    ) -> list[FrozenTrial]:
        stored = self._inner.get_all_trials(study_id, deepcopy=deepcopy, states=states)
        if not self._others:
            return stored
        others = [t for t in self._others if states is None or t.state in states]
        return [*stored, *(copy.deepcopy(others) if deepcopy else others)]

    def get_trial(self, trial_id: int) -> FrozenTrial:
        return self.pending if trial_id == self._pending_id else self._inner.get_trial(trial_id)

    def set_trial_param(
        self, trial_id: int, name: str, internal: float, distribution: BaseDistribution
    ) -> None:
        if trial_id != self._pending_id:
            self._inner.set_trial_param(trial_id, name, internal, distribution)
            return
        self.pending.params[name] = distribution.to_external_repr(internal)
        self.pending.distributions[name] = distribution

    def set_trial_user_attr(self, trial_id: int, key: str, value: Any) -> None:
        if trial_id != self._pending_id:
            self._inner.set_trial_user_attr(trial_id, key, value)
            return
        self.pending.user_attrs[key] = value

    def set_trial_system_attr(self, trial_id: int, key: str, value: Any) -> None:
        if trial_id != self._pending_id:
            self._inner.set_trial_system_attr(trial_id, key, value)
            return
        self.pending.system_attrs[key] = value


def ask_in_one_write(
    study: optuna.Study,
    suggest: Callable[[optuna.Trial], T],
    create: Callable[[int, FrozenTrial], FrozenTrial],
    *,
    any_waiting: Callable[[int], bool] = lambda _study_id: True,
    failed: Callable[[Exception], str | None] = lambda _exc: None,
    reason_attr: str = "reason",
) -> tuple[FrozenTrial, T | None]:
    """Samples a trial with ``suggest`` and writes it, running, with ``create(study_id,
    template)`` (which answers the trial as written: its id and number). When ``suggest``
    raises an exception for which ``failed`` gives a reason, the trial is written as failed
    with that reason in its user attr ``reason_attr`` (and the answer's second half is
    None): a sampled point is never lost from the record. Enqueued trials take Optuna's own
    path; ``any_waiting(study_id)`` says whether there may be one (when it cannot tell, true)."""
    forget_cached_trials(study)  # what Study.ask does: sync once per ask
    # Optuna's own check re-reads every unfinished trial through the cache; ``any_waiting``
    # may answer from one filtered query first.
    waiting = pop_waiting_trial_id(study) if any_waiting(study_id_of(study)) else None
    if waiting is not None:
        trial = trial_of(study, waiting)
        return study_storage(study).get_trial(waiting), suggest(trial)
    pending, answer = _sample(study, suggest, (), failed, reason_attr)
    return create(study_id_of(study), pending), answer


def ask_many_in_one_write(
    study: optuna.Study,
    suggest: Callable[[optuna.Trial], T],
    count: int,
    create: Callable[[int, list[FrozenTrial]], list[FrozenTrial]],
    *,
    failed: Callable[[Exception], str | None] = lambda _exc: None,
    reason_attr: str = "reason",
) -> list[tuple[FrozenTrial, T | None]]:
    """``count`` trials sampled one after another, as ``count`` asks would sample them (each
    sees the ones before it as running), and written together with ``create(study_id,
    templates)``, which answers them as written. Each trial is paired with ``suggest``'s
    answer, or None for a point ``failed`` gave a reason for (written as failed, as in
    ``ask_in_one_write``). Enqueued trials are not looked for: the caller asks them one at a
    time (``ask_in_one_write``) while the study may have one. A sampler that can model the
    batch once (``together``: the job's TPE, service.tuning.optuna_seam.tpe_batches) does."""
    sampled: list[tuple[FrozenTrial, T | None]] = []
    with asking_together(study.sampler, count):
        for _ in range(count):
            earlier = [trial for trial, _answer in sampled]
            sampled.append(_sample(study, suggest, earlier, failed, reason_attr))
    written = create(study_id_of(study), [trial for trial, _answer in sampled])
    return [(trial, answer) for trial, (_pending, answer) in zip(written, sampled, strict=True)]


def _sample(
    study: optuna.Study,
    suggest: Callable[[optuna.Trial], T],
    earlier: Sequence[FrozenTrial],
    failed: Callable[[Exception], str | None],
    reason_attr: str,
) -> tuple[FrozenTrial, T | None]:
    """A trial sampled in memory (the pending trial), with ``earlier`` among the study's
    trials; not written."""
    forget_cached_trials(study)  # the study's trial list is read again, with ``earlier``
    # Numbered apart from every real trial and from the batch's earlier ones: samplers leave
    # the trial being sampled out of their trial lists by its number.
    pending_id = PENDING_ID - len(earlier)
    pending = FrozenTrial(
        number=pending_id,
        state=TrialState.RUNNING,
        value=None,
        datetime_start=datetime.now(),
        datetime_complete=None,
        params={},
        distributions={},
        user_attrs={},
        system_attrs={},
        intermediate_values={},
        trial_id=pending_id,
        values=None,
    )
    # The same study (sampler, cache), seen through _PendingStorage (duck-typed: it answers
    # what a sampler and a trial call and passes the rest on).
    pending_storage = cast(
        BaseStorage, _PendingStorage(study_storage(study), pending, pending_id, earlier)
    )
    view = seen_through(study, pending_storage)
    try:
        answer: T | None = suggest(trial_of(view, pending_id))
    except Exception as exc:
        reason = failed(exc)
        if reason is None:
            raise
        pending.user_attrs[reason_attr] = reason
        pending.state = TrialState.FAIL
        pending.datetime_complete = datetime.now()
        answer = None
    return pending, answer
