"""Every v1 endpoint through ``tunewise.Client``, against a real server: typed answers, and the
API's refusals raised with their ``{code, message, field}``."""

from __future__ import annotations

from pathlib import Path

import pytest

import tunewise
from advisor.advice import Advice
from tunewise.sdk import Client, TuningJob
from tunewise.testing.servers import LocalServer
from tunewise.wire.errors import NotAuthorizedError, ServiceRejectedError, TrialGoneError
from tunewise.wire.models import (
    AdviceComparison,
    Completion,
    JobState,
    ReportItem,
    TrialState,
)


def own_loop_job(client: Client, n_trials: int = 10) -> TuningJob:
    return client.submit(
        {"domain": "tabular", "architecture": "mlp"},
        n_trials=n_trials,
        max_epochs=3,
        metric="mse",
        pruner="none",
        seed=7,
        warm_start=False,
    )


def test_the_package_exports_the_client_lazily() -> None:
    assert tunewise.Client is Client
    assert issubclass(tunewise.TrialPruned, Exception)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        _ = tunewise.Nope  # type: ignore[attr-defined]


def test_system_routes(client: Client) -> None:
    assert client.healthy()
    readiness = client.readiness()
    assert readiness.status == "ready" and readiness.database
    assert "tunewise" in client.metrics() or "http" in client.metrics()


def test_advice_from_words_and_learned_advice(client: Client) -> None:
    advice = client.advice("fine-tune BERT on 20k reviews")
    assert isinstance(advice, Advice)
    assert advice.candidates and advice.task.domain is not None
    compared = client.learned_advice({"domain": "tabular"}, workload="tabular-mlp")
    assert isinstance(compared, AdviceComparison)
    assert compared.static.candidates


def test_submit_read_list_and_cancel(client: Client) -> None:
    job = client.submit("ResNet on CIFAR-size images", n_trials=5, name="sdk: cancel me")
    assert job.info.name == "sdk: cancel me" and job.info.workload is None
    assert job.state.is_open and job.progress.n_trials == 5
    assert client.job(job.id).info.study_name == job.info.study_name
    listed = client.jobs(limit=500)
    assert job.id in {j.id for j in listed.items}
    assert job.cancel().state is JobState.CANCELLED
    assert client.cancel_job(job.id).state is JobState.CANCELLED  # cancelling again is fine
    assert job.id in {j.id for j in client.jobs(state="cancelled", limit=500).items}
    assert client.lease(job.id) is None


def test_lease_report_heartbeat_complete_and_read_back(client: Client) -> None:
    job = own_loop_job(client)
    lease = client.lease(job.id, worker="sdk-test")
    assert lease is not None and lease.job_id == job.id and lease.max_epochs == 3
    verdict = client.report(lease.trial_id, 0, 0.5)
    assert verdict.should_prune is False
    renewal = client.heartbeat(lease.trial_id)
    assert renewal.lease_expires_at >= verdict.lease_expires_at
    trial = client.complete(lease.trial_id, 0.25)
    assert trial.state is TrialState.COMPLETE and trial.value == 0.25
    read = client.trial(lease.trial_id)
    assert read.worker == "sdk-test" and [p.value for p in read.intermediate] == [0.5]
    assert client.best(job.id).trial_id == lease.trial_id
    assert job.refresh().best is not None and job.best.value == 0.25  # type: ignore[union-attr]
    assert [t.id for t in job.trials()] == [lease.trial_id]
    assert client.trials(job.id, state="complete").total == 1


def test_lease_many_report_many_and_complete_and_lease(client: Client) -> None:
    job = own_loop_job(client)
    # Up to the count: what the sampler has ready, at least one.
    leased = client.lease_many(job.id, 2)
    assert 1 <= len(leased) <= 2
    while len(leased) < 2:
        leased += client.lease_many(job.id, 2 - len(leased))
    first, second = leased
    results = client.report_many(
        [
            ReportItem(trial_id=first.trial_id, step=0, value=1.0),
            ReportItem(trial_id=second.trial_id, step=0, value=2.0),
        ]
    )
    assert [r.verdict is not None for r in results.results] == [True, True]
    done = client.complete_and_lease(first.trial_id, Completion(value=1.0), count=2)
    assert done.trial.state is TrialState.COMPLETE
    assert 1 <= len(done.leases) <= 2 and {lease.job_id for lease in done.leases} == {job.id}
    failed = client.complete(second.trial_id, failed="out of memory", retry=False)
    assert failed.state is TrialState.FAILED and failed.reason == "out of memory"
    pruned = client.complete(done.leases[0].trial_id, pruned=True)
    assert pruned.state is TrialState.PRUNED


def test_worker_lease_names_the_workloads(client: Client) -> None:
    job = client.submit({"domain": "tabular"}, workload="tabular-mlp", n_trials=3)
    leased = client.worker_lease(["tabular-mlp"], worker="sdk-worker")
    assert [lease.job_id for lease in leased] == [job.id]
    assert client.worker_lease(["no-such-workload"], worker="sdk-worker") == []
    job.cancel()


def test_recommendations_for_a_domain(client: Client) -> None:
    found = client.recommendations(domain="tabular", limit=3)
    assert 1 <= len(found.items) <= 3
    assert found.kind.domain is not None and found.kind.domain.value == "tabular"


def test_a_refusal_carries_the_apis_code_message_and_field(client: Client) -> None:
    with pytest.raises(ServiceRejectedError) as refused:
        client.recommendations(domain="vision", limit=0)
    assert (refused.value.status, refused.value.field) == (422, "limit")
    assert refused.value.code and refused.value.message
    with pytest.raises(ServiceRejectedError) as missing:
        client.job("no-such-job")
    assert missing.value.status == 404 and missing.value.code == "not_found"


def test_a_second_complete_is_refused_as_gone(client: Client) -> None:
    job = own_loop_job(client)
    lease = client.lease(job.id)
    assert lease is not None
    client.complete(lease.trial_id, 1.0)
    with pytest.raises(TrialGoneError) as gone:
        client.complete(lease.trial_id, 2.0)
    assert (gone.value.status, gone.value.code, gone.value.field) == (
        409,
        "already_finished",
        "trial_id",
    )


def test_a_wrong_token_is_not_authorized(server: LocalServer) -> None:
    with (
        Client(server.url, "tw_wrong_token", retries=0) as stranger,
        pytest.raises(NotAuthorizedError) as refused,
    ):
        stranger.jobs()
    assert refused.value.status == 401 and "token" in refused.value.message


def test_url_and_token_default_to_the_environment(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUNEWISE_API_URL", server.url + "/")
    monkeypatch.setenv("TUNEWISE_API_TOKEN", server.token)
    with Client() as from_environment:
        assert from_environment.url == server.url
        assert from_environment.jobs(limit=1).limit == 1


def test_without_a_token_in_the_environment_the_serve_token_file_is_read(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "token").write_text(server.token + "\n", encoding="utf-8")
    monkeypatch.delenv("TUNEWISE_API_TOKEN", raising=False)
    monkeypatch.setenv("TUNEWISE_DATA_DIR", str(data_dir))
    with Client(server.url) as from_file:
        assert from_file.jobs(limit=1).limit == 1


def test_wait_prints_progress_and_gives_up_at_its_timeout(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    job = own_loop_job(client, n_trials=2)
    with pytest.raises(TimeoutError, match=f"job {job.id} is still queued after 0.3 s"):
        job.wait(timeout=0.3, poll_s=0.1)
    assert f"job {job.id} queued: 0/2 finished" in capsys.readouterr().err
    job.cancel()
    assert job.wait(progress=False) is job
