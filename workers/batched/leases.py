"""Leased trials through the batched runner: what a worker that leases K trials in one call
hands them to.

Leases are grouped into batches by workload and :func:`workers.batched.runner.batch_key`
(one update rule, one mini-batch size); a lease that cannot be batched (a family without a
batched rule, a workload without a stacked forward, a model shaped by the job's own
dimensions) trains alone through ``run_trial``, so a worker never refuses a trial for being
leased in a group; a group of one trains alone too.
Each trial is seeded by its number, as ``workers.agent.harness`` seeds one alone, so a trial's
result does not depend on which other trials it happened to be leased with (beyond the stated
rounding tolerance).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from tunewise.wire.models import Lease
from workers.batched.errors import BatchingError
from workers.batched.models import STACKED_FORWARDS
from workers.batched.runner import BatchedTrial, batch_key, run_batched
from workers.runner import TrialOutcome, TrialReporter, run_trial
from workers.workloads import WorkloadRegistry

#: (workload, batch key) of a batchable lease; None for one that trains alone.
GroupKey = tuple[str, object] | None


def group_key(lease: Lease, registry: WorkloadRegistry) -> GroupKey:
    if lease.workload is None or lease.workload not in STACKED_FORWARDS:
        return None
    if lease.params.dimensions():  # a model of its own shape: the stacked forward assumes one
        return None
    workload = registry.get(lease.workload)
    try:
        return lease.workload, batch_key(lease.params, workload.spec.default_batch_size)
    except BatchingError:
        return None


def plan_batches(leases: Sequence[Lease], registry: WorkloadRegistry) -> list[list[Lease]]:
    """The leases in batches, in lease order within each; unbatchable ones one per batch."""
    groups: dict[GroupKey, list[Lease]] = {}
    alone: list[list[Lease]] = []
    for lease in leases:
        key = group_key(lease, registry)
        if key is None:
            alone.append([lease])
        else:
            groups.setdefault(key, []).append(lease)
    return [*groups.values(), *alone]


def train_leases(
    leases: Sequence[Lease],
    reporters: Mapping[int, TrialReporter],
    *,
    registry: WorkloadRegistry,
    device: str = "auto",
    on_outcome: Callable[[Lease, TrialOutcome], None] | None = None,
) -> dict[int, TrialOutcome]:
    """Train every lease (batched where it can be); each trial's outcome by trial id.
    ``reporters`` has one reporter per trial id. ``on_outcome`` hears each batch's outcomes
    as soon as that batch ends, so a worker can complete them before the next batch trains.
    """
    outcomes: dict[int, TrialOutcome] = {}
    for batch in plan_batches(leases, registry):
        # A batch of one trains alone: the same trial, without the batch's bookkeeping
        # (measured 0.89x the trials/s of run_trial for tabular-mlp at K = 1).
        if len(batch) == 1:
            lease = batch[0]
            workload = registry.get(lease.workload or "")
            results = [
                run_trial(
                    workload,
                    lease.params,
                    max_epochs=lease.max_epochs or workload.spec.default_epochs,
                    device=device,
                    seed=lease.number,
                    reporter=reporters[lease.trial_id],
                    registry=registry,
                )
            ]
        else:
            workload = registry.get(batch[0].workload or "")
            results = run_batched(
                workload,
                [
                    BatchedTrial(
                        lease.params,
                        max_epochs=lease.max_epochs or workload.spec.default_epochs,
                        seed=lease.number,
                        reporter=reporters[lease.trial_id],
                    )
                    for lease in batch
                ],
                device=device,
                registry=registry,
            )
        for lease, outcome in zip(batch, results, strict=True):
            outcomes[lease.trial_id] = outcome
            if on_outcome is not None:
                on_outcome(lease, outcome)
    return outcomes
