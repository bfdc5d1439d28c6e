"""The client speaks the v1 contract and sorts every failure by what the worker should do:
retry (unreachable, 5xx), stop (token refused), let the trial go (404/409), or report."""

from __future__ import annotations

import socket

import httpx
import pytest
from pydantic import SecretStr

from tests.workers.agent.conftest import BASE_URL, LocalApi
from tunewise.wire.models import Completion, JobState, TrialState
from workers.agent import (
    NotAuthorizedError,
    ServiceClient,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialGoneError,
)


def test_no_lease_when_no_job_runs_a_workload_this_worker_has(api: LocalApi) -> None:
    assert api.client.lease(["tw-instant"], "w1") is None
    api.create_job("tw-instant")
    assert api.client.lease(["digits-cnn"], "w1") is None


def test_a_lease_carries_a_ready_config_and_reports_renew_it(api: LocalApi) -> None:
    job = api.create_job("tw-instant", max_epochs=4)
    lease = api.client.lease(["digits-cnn", "tw-instant"], "box:1")
    assert lease is not None
    assert (lease.job_id, lease.workload, lease.max_epochs) == (job.id, "tw-instant", 4)
    assert lease.params.lr > 0
    verdict = api.client.report(lease.trial_id, 1, 0.25)
    assert verdict.should_prune is False
    assert verdict.lease_expires_at >= lease.lease_expires_at


def test_complete_is_exactly_once(api: LocalApi) -> None:
    api.create_job("tw-instant")
    lease = api.client.lease(["tw-instant"], "w1")
    assert lease is not None
    trial = api.client.complete(lease.trial_id, Completion(value=0.5))
    assert (trial.state, trial.value) == (TrialState.COMPLETE, 0.5)
    with pytest.raises(TrialGoneError) as refused:
        api.client.complete(lease.trial_id, Completion(value=0.4))
    assert refused.value.status == 409


def test_a_trial_the_service_does_not_know_is_gone(api: LocalApi) -> None:
    with pytest.raises(TrialGoneError) as refused:
        api.client.report(123456, 1, 0.5)
    assert refused.value.status == 404


def test_a_refused_token_says_to_check_it(api: LocalApi) -> None:
    wrong = ServiceClient(BASE_URL, SecretStr("not-the-token"), http=api.http)
    with pytest.raises(NotAuthorizedError, match="check the API token"):
        wrong.lease(["tw-instant"], "w1")
    anonymous = ServiceClient(BASE_URL, None, http=api.http)
    with pytest.raises(NotAuthorizedError, match="set TUNEWISE_API_TOKEN"):
        anonymous.jobs()


def test_jobs_and_trials_read_back_what_was_created(api: LocalApi) -> None:
    job = api.create_job("tw-instant", n_trials=2)
    assert api.client.job(job.id).state is JobState.QUEUED
    assert [j.id for j in api.client.jobs(state=JobState.QUEUED).items] == [job.id]
    assert api.client.jobs(state=JobState.COMPLETED).items == ()
    lease = api.client.lease(["tw-instant"], "w1")
    assert lease is not None
    running = api.client.trials(job.id, state=TrialState.RUNNING)
    assert [t.id for t in running.items] == [lease.trial_id]


def test_nothing_listening_is_unavailable_not_an_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The port is closed again: a connection there is refused, as when the API restarts.
    client = ServiceClient(f"http://127.0.0.1:{port}", SecretStr("t"), timeout_s=2)
    with pytest.raises(ServiceUnavailableError, match="ConnectError"):
        client.lease(["tw-instant"], "w1")


def answering(status: int, body: bytes, content_type: str = "text/html") -> httpx.Client:
    """What a proxy or another program in front of the API might answer."""
    return httpx.Client(
        transport=httpx.MockTransport(
            lambda request: httpx.Response(
                status, content=body, headers={"content-type": content_type}
            )
        )
    )


@pytest.mark.parametrize("status", [502, 503, 504, 429])
def test_a_proxy_saying_not_now_is_unavailable(status: int) -> None:
    client = ServiceClient("http://api", SecretStr("t"), http=answering(status, b"<h1>Bad</h1>"))
    with pytest.raises(ServiceUnavailableError, match=str(status)):
        client.lease(["tw-instant"], "w1")


def test_something_else_answering_at_the_address_is_named() -> None:
    client = ServiceClient(
        "http://api", SecretStr("t"), http=answering(200, b'{"hello": 1}', "application/json")
    )
    with pytest.raises(ServiceRejectedError, match="not a Lease") as refused:
        client.lease(["tw-instant"], "w1")
    assert refused.value.code == "unexpected_response"
