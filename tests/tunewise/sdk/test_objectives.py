"""Several objectives and constraints from Python: fn returns a dict of every metric the lease
names, complete takes ``values``, and the job's front reads back."""

from __future__ import annotations

import math

from tunewise.sdk import Client, LeasedTrial
from tunewise.wire.models import TrialState


def test_optimize_with_two_objectives_and_a_constraint_reads_the_front(client: Client) -> None:
    job = client.submit(
        {"domain": "tabular", "architecture": "mlp"},
        objectives=[{"metric": "val_loss"}, {"metric": "train_seconds"}],
        constraints=[{"metric": "train_seconds", "max": 50.0}],
        n_trials=6,
        seed=5,
        warm_start=False,
    )
    seen_metrics: set[tuple[str, ...]] = set()

    def trade_off(trial: LeasedTrial) -> dict[str, float]:
        seen_metrics.add(trial.metrics)
        lr = trial.params["lr"]
        # Larger steps: a worse loss for less time (a made-up trade-off).
        return {"val_loss": abs(math.log10(lr) + 3), "train_seconds": 1e-3 / lr}

    result = job.optimize(trade_off)
    assert result.complete == 6 and seen_metrics == {("val_loss", "train_seconds")}
    front = job.pareto()
    assert [o.metric for o in front.objectives] == ["val_loss", "train_seconds"]
    assert front.trials and all(t.feasible is not False for t in front.trials)
    feasible = [t for t in job.trials() if t.feasible]
    assert {t.id for t in front.trials} <= {t.id for t in feasible}
    assert all(t.values is not None and t.values["train_seconds"] <= 50 for t in front.trials)


def test_complete_takes_values_and_a_result_lacking_a_metric_fails(client: Client) -> None:
    job = client.submit(
        {"domain": "tabular"},
        objectives=[{"metric": "val_loss"}, {"metric": "train_seconds"}],
        n_trials=2,
        warm_start=False,
    )
    lease = client.lease(job.id)
    assert lease is not None and lease.metrics == ("val_loss", "train_seconds")
    done = client.complete(lease.trial_id, values={"val_loss": 0.5, "train_seconds": 3.0})
    assert done.state is TrialState.COMPLETE
    assert done.values == {"val_loss": 0.5, "train_seconds": 3.0}

    def forgets_one(trial: LeasedTrial) -> dict[str, float]:
        return {"val_loss": 0.1}

    result = job.optimize(forgets_one, n_trials=1)
    assert (result.complete, result.failed) == (0, 1)
    [refused] = job.trials(state="failed")
    assert refused.reason is not None and refused.reason.startswith("result refused:")
    assert "train_seconds" in refused.reason
    job.cancel()
