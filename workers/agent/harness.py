"""The worker's trainer: a leased trial through the training harness's runner.

Importing this module imports torch; the rest of the agent does not, so a process that only
submits jobs or supervises workers stays light.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import torch

from service.schemas import Lease
from workers.agent.errors import TrialRefusedError, WorkerSetupError
from workers.agent.reporter import HttpReporter
from workers.device import resolve_device
from workers.errors import HarnessError
from workers.runner import TrialOutcome, run_trial
from workers.workloads import WorkloadRegistry


@dataclass(frozen=True)
class HarnessTrainer:
    registry: WorkloadRegistry
    #: "cuda" or "cpu": what ``--device`` resolved to on this machine.
    device: str

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
        registry = registry or WorkloadRegistry.discover()
        for name, why in registry.broken.items():
            (log or logging.getLogger(__name__)).warning("workload %s left out: %s", name, why)
        if not len(registry):
            raise WorkerSetupError("no workloads are installed on this machine")
        return cls(registry=registry, device=resolved.type)

    @property
    def cuda_device_count(self) -> int:
        return torch.cuda.device_count() if self.device == "cuda" else 0

    def workloads(self) -> tuple[str, ...]:
        return self.registry.names()

    def train(self, lease: Lease, reporter: HttpReporter) -> TrialOutcome:
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
