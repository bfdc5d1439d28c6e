"""A pruned trial's reason says at which step, with which value, and against what: the median
of the complete trials at that step, as the median pruner compares them; a trial a client
pruned on its own, or before reporting anything, says so."""

from __future__ import annotations

from typing import Any

from tests.service.conftest import Api

STEPS = 3


def complete_five(api: Api, job_id: str) -> None:
    """Five complete trials: trial i reports i/10 + 1/(step + 1) at each step."""
    for i in range(5):
        lease = api.lease(job_id)
        assert lease is not None
        for step in range(STEPS):
            verdict = api.report(lease["trial_id"], step, i / 10 + 1 / (step + 1)).json()
            assert not verdict["should_prune"], "the median pruner waits for 5 complete trials"
        assert api.complete(lease["trial_id"], {"value": i / 10}).status_code == 200


def reason_of(api: Api, job_id: str, trial_id: int) -> str:
    trials = api.client.get(f"/v1/jobs/{job_id}/trials", headers=api.admin).json()["items"]
    trial: dict[str, Any] = next(t for t in trials if t["id"] == trial_id)
    assert trial["state"] == "pruned"
    reason: str = trial["reason"]
    return reason


def new_job(api: Api) -> str:
    job = api.create_job(
        workload=None,
        objective={"metric": "val_loss", "direction": "minimize"},
        budget={"n_trials": 10, "max_epochs": STEPS},
        pruner="median",
        sampler="random",
        seed=3,
    )
    job_id: str = job["id"]
    complete_five(api, job_id)
    return job_id


def prune_after(api: Api, values: tuple[float, ...]) -> tuple[list[bool], str]:
    """A sixth trial reports ``values`` at steps 0, 1, ..., then completes as pruned: the
    service's verdicts at each step, and the reason it recorded."""
    job_id = new_job(api)
    lease = api.lease(job_id)
    assert lease is not None
    verdicts = [
        api.report(lease["trial_id"], step, value).json()["should_prune"]
        for step, value in enumerate(values)
    ]
    assert api.complete(lease["trial_id"], {"pruned": True}).status_code == 200
    return verdicts, reason_of(api, job_id, lease["trial_id"])


def test_a_trial_the_median_pruner_stops_names_the_step_its_value_and_the_median(
    api: Api,
) -> None:
    verdicts, reason = prune_after(api, (5.0, 7.0))
    assert verdicts == [False, True]  # step 0 is the pruner's warm-up
    # At step 1 the complete trials reported 0.5, 0.6, 0.7, 0.8, 0.9; the pruner judges the
    # trial's best so far (5.0), not its last value.
    assert reason == (
        "pruned at step 1: val_loss 5 (its best so far) worse than the median 0.7 "
        "of 5 trials at that step"
    )


def test_a_trial_a_client_prunes_on_its_own_says_it_was_not_worse(api: Api) -> None:
    verdicts, reason = prune_after(api, (0.4, 0.3))
    assert verdicts == [False, False]
    assert reason == (
        "pruned at step 1 by the client: val_loss 0.3, not worse than the median 0.7 "
        "of 5 trials at that step"
    )


def test_a_trial_pruned_before_any_report_says_so(api: Api) -> None:
    assert prune_after(api, ()) == ([], "pruned before it reported any value")
