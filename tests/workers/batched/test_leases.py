"""train_leases: a group of leased trials split into batches, each trial seeded by its number."""

from __future__ import annotations

from datetime import UTC, datetime

from advisor.config import TrainConfig
from tunewise.wire.dimensions import TrialParams
from tunewise.wire.models import Lease, Objective
from workers.batched.leases import plan_batches, train_leases
from workers.runner import NullReporter, TrialOutcome, TrialState, run_trial
from workers.workloads import WorkloadRegistry

REGISTRY = WorkloadRegistry.discover()


def lease(trial_id: int, params: TrainConfig, workload: str = "tabular-mlp") -> Lease:
    return Lease(
        trial_id=trial_id,
        number=trial_id - 100,
        job_id="job",
        workload=workload,
        params=params,
        max_epochs=1,
        objective=Objective(),
        lease_expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        attempt=1,
    )


ADAM = TrainConfig(optimizer="adam", lr=1e-3)
ADAMW = TrainConfig(optimizer="adamw", lr=3e-3)
SGD = TrainConfig(optimizer="sgd", lr=0.05)
NADAM = TrainConfig(optimizer="nadam", lr=1e-3)


def test_leases_batch_by_workload_and_update_rule_and_the_rest_train_alone() -> None:
    leases = [
        lease(101, ADAM),
        lease(102, SGD),
        lease(103, ADAMW),
        lease(104, NADAM),
        lease(105, ADAM, workload="text-transformer"),
        lease(106, SGD, workload="digits-cnn"),
    ]
    batches = [[x.trial_id for x in batch] for batch in plan_batches(leases, REGISTRY)]
    assert batches == [[101, 103], [102], [106], [104], [105]]


def test_each_leased_trial_ends_as_it_would_alone_seeded_by_its_number() -> None:
    leases = [lease(101, ADAM), lease(102, NADAM), lease(103, ADAMW)]
    heard: list[int] = []

    def on_outcome(done: Lease, outcome: TrialOutcome) -> None:
        heard.append(done.trial_id)

    outcomes = train_leases(
        leases,
        {x.trial_id: NullReporter() for x in leases},
        registry=REGISTRY,
        device="cpu",
        on_outcome=on_outcome,
    )
    assert sorted(heard) == [101, 102, 103] and set(outcomes) == {101, 102, 103}
    for x in leases:
        alone = run_trial(
            "tabular-mlp", x.params, max_epochs=1, device="cpu", seed=x.number, registry=REGISTRY
        )
        got = outcomes[x.trial_id]
        assert got.state is TrialState.COMPLETE and got.value is not None
        assert alone.value is not None
        assert abs(got.value - alone.value) <= 1e-4 * abs(alone.value)


def test_a_lease_whose_own_dimensions_shape_its_model_trains_alone() -> None:
    wide = TrialParams.model_validate({**ADAM.model_dump(), "hidden": 96})
    leases = [lease(101, ADAM), lease(102, wide), lease(103, ADAMW)]
    batches = [[x.trial_id for x in batch] for batch in plan_batches(leases, REGISTRY)]
    assert batches == [[101, 103], [102]]
    outcomes = train_leases(
        leases, {x.trial_id: NullReporter() for x in leases}, registry=REGISTRY, device="cpu"
    )
    alone = run_trial("tabular-mlp", wide, max_epochs=1, device="cpu", seed=2)
    assert outcomes[102].value == alone.value
