"""The worker's trainer: a leased trial through the training harness's runner.

Importing this module imports torch; the rest of the agent does not, so a process that only
submits jobs or supervises workers stays light.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import torch

from tunewise.wire.models import Completion, Lease
from workers.agent.errors import TrialRefusedError, WorkerSetupError
from workers.agent.reporter import HttpReporter
from workers.device import resolve_device
from workers.errors import HarnessError
from workers.runner import TrialOutcome, TrialState, run_trial
from workers.workloads import WorkloadRegistry


def warm_up() -> None:
    """Pays the process's one-time costs before the first lease, not during it: torch imports
    its compiler stack (seconds of CPU) the first time any optimizer is built, which would
    otherwise eat into the first trial's lease before it can report anything."""
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)


def completion_for(outcome: TrialOutcome, *, with_values: bool = False) -> Completion:
    """The harness's ending, in the service's words. A diverged run is not worth retrying
    with the same params; a crash, an out-of-memory or an interruption may be.
    ``with_values``: the job needs every metric measured (its lease names ``metrics``: several
    objectives or constraints); a job with one objective takes ``value`` alone, as before."""
    if outcome.state is TrialState.COMPLETE and outcome.value is not None:
        values = dict(outcome.metrics) if with_values and outcome.metrics else None
        return Completion(value=outcome.value, values=values)
    if outcome.state is TrialState.PRUNED:
        return Completion(pruned=True)
    if outcome.state is TrialState.DIVERGED:
        return Completion(failed=f"diverged: {outcome.reason or 'non-finite loss'}", retry=False)
    return Completion(failed=outcome.reason or f"{outcome.state.value} without a reason")


@dataclass(frozen=True)
class HarnessTrainer:
    registry: WorkloadRegistry
    #: "cuda" or "cpu": what ``--device`` resolved to on this machine.
    device: str
    log: logging.Logger = field(default_factory=lambda: logging.getLogger(__name__))

    @classmethod
    def for_device(
        cls,
        device: str,
        registry: WorkloadRegistry | None = None,
        log: logging.Logger | None = None,
    ) -> HarnessTrainer:
        try:
            resolved = resolve_device(device)
        except HarnessError as exc:
            raise WorkerSetupError(str(exc)) from exc
        log = log or logging.getLogger(__name__)
        registry = registry or WorkloadRegistry.discover()
        for name, why in registry.broken.items():
            log.warning("workload %s left out: %s", name, why)
        if not len(registry):
            raise WorkerSetupError("no workloads are installed on this machine")
        warm_up()
        return cls(registry=registry, device=resolved.type, log=log)

    @property
    def cuda_device_count(self) -> int:
        return torch.cuda.device_count() if self.device == "cuda" else 0

    def workloads(self) -> tuple[str, ...]:
        return self.registry.names()

    def train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        outcome = self.run(lease, reporter)
        self.log.info(
            "trial %d ended %s%s after %d epochs in %.1f s on %s",
            lease.trial_id,
            outcome.state.value,
            f" ({outcome.reason})" if outcome.reason else "",
            outcome.epochs_run,
            outcome.seconds,
            outcome.device,
        )
        return completion_for(outcome, with_values=bool(lease.metrics))

    def run(self, lease: Lease, reporter: HttpReporter) -> TrialOutcome:
        """The harness's own account of the trial."""
        if lease.workload is None or lease.workload not in self.registry:
            raise TrialRefusedError(
                f"workload {lease.workload!r} is not installed on this worker "
                f"(it has {', '.join(self.registry.names())})"
            )
        workload = self.registry.get(lease.workload)
        try:
            return run_trial(
                workload,
                lease.params,
                max_epochs=lease.max_epochs or workload.spec.default_epochs,
                device=self.device,
                # Each trial its own initialisation and batch order, reproducible by number.
                seed=lease.number,
                reporter=reporter,
                registry=self.registry,
            )
        except HarnessError as exc:
            raise TrialRefusedError(str(exc)) from exc
