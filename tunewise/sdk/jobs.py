"""``TuningJob``: a handle on one job, what ``Client.submit`` and ``Client.job`` answer.

It holds the job as last read (``info``); ``refresh`` reads it again, ``wait`` follows it to
its end, and ``optimize`` runs its trials with your own training function.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from tunewise.sdk.optimize import Objective, OptimizeResult, run_optimize
from tunewise.wire.models import Best, Job, JobState, ParetoFront, Progress, Trial, TrialState

if TYPE_CHECKING:
    from tunewise.sdk.client import Client

_log = logging.getLogger("tunewise.sdk")

#: The page size ``trials()`` reads with (the API's maximum is 500).
_TRIAL_PAGE = 200


class TuningJob:
    def __init__(self, client: Client, info: Job) -> None:
        self.client = client
        #: The job as last read: call :meth:`refresh` for news.
        self.info = info

    def __repr__(self) -> str:
        done = f"{self.info.progress.finished}/{self.info.progress.n_trials}"
        return f"<TuningJob {self.id} {self.state.value} {done}>"

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def state(self) -> JobState:
        return self.info.state

    @property
    def progress(self) -> Progress:
        return self.info.progress

    @property
    def best(self) -> Best | None:
        """The best complete trial as of the last read (None before one completes)."""
        return self.info.best

    @property
    def best_value(self) -> float | None:
        return None if self.info.best is None else self.info.best.value

    @property
    def best_params(self) -> dict[str, Any] | None:
        """The best trial's flat, ready config, as ``trial.params`` gave it (Optuna's
        ``study.best_params``)."""
        best = self.info.best
        return None if best is None else best.params.model_dump(mode="json", exclude_none=True)

    def refresh(self) -> TuningJob:
        self.info = self.client.get_job(self.id)
        return self

    def cancel(self) -> TuningJob:
        """Stops leasing; trials already running may still finish."""
        self.info = self.client.cancel_job(self.id)
        return self

    def pareto(self) -> ParetoFront:
        """The feasible non-dominated trials (several objectives), by the first objective."""
        return self.client.pareto(self.id)

    def trials(self, state: TrialState | str | None = None) -> list[Trial]:
        """All the job's trials (every page), by number."""
        return list(self._each_trial(state))

    def _each_trial(self, state: TrialState | str | None) -> Iterator[Trial]:
        offset = 0
        while True:
            page = self.client.trials(self.id, state=state, limit=_TRIAL_PAGE, offset=offset)
            yield from page.items
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return

    def wait(
        self,
        timeout: float | None = None,
        *,
        poll_s: float = 1.0,
        progress: bool | Callable[[Job], None] = True,
    ) -> TuningJob:
        """Reads the job every ``poll_s`` until it ends. ``progress``: True prints a line to
        stderr whenever the counts change; a function is called with each new read instead.
        Raises TimeoutError when ``timeout`` seconds pass first (the job goes on)."""
        show = _print_progress if progress is True else progress or None
        deadline = None if timeout is None else time.monotonic() + timeout
        shown: Progress | None = None
        while True:
            if show is not None and self.info.progress != shown:
                show(self.info)
                shown = self.info.progress
            if not self.state.is_open:
                return self
            if deadline is not None and time.monotonic() + poll_s > deadline:
                raise TimeoutError(
                    f"job {self.id} is still {self.state.value} after {timeout:g} s "
                    f"({self.progress.finished} of {self.progress.n_trials} trials finished)"
                )
            time.sleep(poll_s)
            self.refresh()

    def optimize(
        self,
        fn: Objective,
        n_trials: int | None = None,
        n_workers: int = 1,
        timeout: float | None = None,
        *,
        catch: tuple[type[Exception], ...] = (Exception,),
        poll_s: float = 1.0,
        worker: str | None = None,
    ) -> OptimizeResult:
        """Runs the job's trials with ``fn(trial)`` until the job has none left, ``n_trials``
        have run, or ``timeout`` seconds have passed (no new trial is leased after it).

        ``fn`` reads ``trial.params`` (a flat config: ``{"optimizer": "adamw", "lr": ...}``),
        may call ``trial.report(step, value)`` and ``trial.should_prune()``, and returns the
        objective's value (several objectives or constraints: a dict of every metric in
        ``trial.metrics``), or raises :class:`~tunewise.sdk.TrialPruned`. An exception of a
        ``catch`` type fails the trial with its message and the run goes on (Optuna's ``catch``;
        here every Exception by default, so one bad config does not end a long run); another
        fails the trial and is raised. ``KeyboardInterrupt`` fails the running trials as
        ``interrupted`` and is raised. ``n_workers`` threads each lease their own trial. The
        lease is renewed in the background while ``fn`` runs; a trial whose lease expired
        anyway is logged and skipped.
        """
        result = run_optimize(
            self.client,
            self.id,
            fn,
            n_trials=n_trials,
            n_workers=n_workers,
            timeout=timeout,
            catch=catch,
            poll_s=poll_s,
            worker=worker,
        )
        self.refresh()
        return result


def _print_progress(job: Job) -> None:
    counts = job.progress
    best = "–" if job.best is None else f"{job.best.value:.6g} (trial #{job.best.number})"
    print(
        f"job {job.id} {job.state.value}: {counts.finished}/{counts.n_trials} finished, "
        f"{counts.running} running, {counts.failed} failed; best {job.objective.metric} {best}",
        file=sys.stderr,
        flush=True,
    )
