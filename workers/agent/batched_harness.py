"""The batched worker's trainer: leased trials through ``workers.batched`` (one stacked model
per batch), and how ``--batch auto`` sizes a batch.

Importing this module imports torch; :mod:`workers.agent.batched` does not.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch

from tunewise.wire.metrics import RESOURCE_METRICS
from tunewise.wire.models import MAX_LEASE_COUNT, Completion, Lease
from workers.agent.batched import BatchReporter
from workers.agent.errors import TrialRefusedError
from workers.agent.harness import completion_for
from workers.batched import STACKED_FORWARDS
from workers.batched.leases import plan_batches, train_leases
from workers.errors import HarnessError
from workers.workloads import WorkloadRegistry

#: Batch size ``auto`` never exceeds on the CPU: tabular-mlp's trials/s stop growing much
#: past 32 there (docs/benchmarks.md: 10.8x at K = 32), while a batch's epoch grows with K.
AUTO_CPU_CAP = 32
#: Share of the free memory ``auto`` plans to use: the rest is for the data, the allocator's
#: slack, and other processes on the same machine.
AUTO_MEMORY_SHARE = 0.5
#: Metrics measured only for a trial trained alone (a batch's trials share time and memory).
PER_TRIAL_ALONE = frozenset(RESOURCE_METRICS)


@dataclass(frozen=True)
class HarnessBatchTrainer:
    registry: WorkloadRegistry
    #: "cuda" or "cpu": what ``--device`` resolved to on this machine.
    device: str
    log: logging.Logger

    def workloads(self) -> tuple[str, ...]:
        return self.registry.names()

    def plan(self, leases: Sequence[Lease]) -> list[list[Lease]]:
        """``plan_batches``'s batches; a trial of a workload not installed here is a batch of
        its own, which ``train`` refuses."""
        known = [x for x in leases if x.workload is not None and x.workload in self.registry]
        unknown = [[x] for x in leases if x not in known]
        return [*plan_batches(known, self.registry), *unknown]

    def train(
        self, batch: Sequence[Lease], reporters: Mapping[int, BatchReporter]
    ) -> dict[int, Completion]:
        unmeasured = sorted({m for x in batch for m in x.metrics if m in PER_TRIAL_ALONE})
        if unmeasured:
            raise TrialRefusedError(
                f"this job needs {', '.join(unmeasured)} of each trial, which a batched worker "
                "(--batch) does not measure: its trials share one stacked model's time and "
                "memory; run the job's trials on workers without --batch"
            )
        if any(x.workload is None or x.workload not in self.registry for x in batch):
            raise TrialRefusedError(
                f"workload {batch[0].workload!r} is not installed on this worker "
                f"(it has {', '.join(self.registry.names())})"
            )
        try:
            outcomes = train_leases(batch, reporters, registry=self.registry, device=self.device)
        except HarnessError as exc:
            raise TrialRefusedError(str(exc)) from exc
        for lease in batch:
            outcome = outcomes[lease.trial_id]
            self.log.info(
                "trial %d ended %s%s after %d epochs in a batch of %d",
                lease.trial_id,
                outcome.state.value,
                f" ({outcome.reason})" if outcome.reason else "",
                outcome.epochs_run,
                len(batch),
            )
        return {trial_id: completion_for(o) for trial_id, o in outcomes.items()}

    def auto_batch(self, workloads: Sequence[str]) -> int:
        """``--batch auto``: how many trials of the batchable workloads among ``workloads``
        fit in half the free memory (CUDA: the card's free memory; CPU: MemAvailable), for
        the largest of them, capped at 32 on the CPU and at the lease API's 64. A trial's
        memory: its parameters 4 times (weights, gradients, two optimizer moments) plus
        twice the activations of one training mini-batch (kept for backward), 4 bytes
        each. 1 when none of the workloads can be batched."""
        batchable = [w for w in workloads if w in STACKED_FORWARDS and w in self.registry]
        if not batchable:
            return 1
        cap = MAX_LEASE_COUNT if self.device == "cuda" else AUTO_CPU_CAP
        per_trial = max(trial_memory_bytes(self.registry, w) for w in batchable)
        fits = int(free_memory_bytes(self.device) * AUTO_MEMORY_SHARE // per_trial)
        return max(1, min(cap, fits))


def trial_memory_bytes(registry: WorkloadRegistry, name: str) -> int:
    """One trial's training memory (see ``HarnessBatchTrainer.auto_batch``), from one model
    of the workload's smallest size and one mini-batch of its default size, on the CPU."""
    workload = registry.get(name)
    model = workload.make_model(1)
    data = workload.make_data(1, 0)
    inputs = tuple(t[: workload.spec.default_batch_size] for t in data.train.inputs)
    activations = 0

    def numel(output: object) -> int:
        if isinstance(output, torch.Tensor):
            return output.numel()
        if isinstance(output, tuple | list):  # an LSTM's (output, (h, c))
            return sum(numel(o) for o in output)
        return 0

    def count(_module: object, _inputs: object, output: object) -> None:
        nonlocal activations
        activations += numel(output)

    leaves = [m for m in model.modules() if not list(m.children())]
    hooks = [m.register_forward_hook(count) for m in leaves]
    try:
        with torch.no_grad():
            model(*inputs)
    finally:
        for hook in hooks:
            hook.remove()
    params = sum(p.numel() for p in model.parameters())
    return 4 * (4 * params + 2 * activations)


def free_memory_bytes(device: str) -> int:
    """Free memory of the device: the card's on CUDA, the machine's available memory on the
    CPU (``MemAvailable``; where there is no /proc, the free physical pages)."""
    if device == "cuda":
        free, _total = torch.cuda.mem_get_info()
        return int(free)
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
