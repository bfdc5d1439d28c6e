"""Which calls the SDK sends again, and when.

The 429/5xx answers come from an ``httpx.MockTransport`` (the proxy or load balancer in front
of the API is a boundary we do not own); a lost answer is a transport that lets the request
reach the real server and then drops the response; an outage is the real server stopped and
started again on its port.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.tunewise.sdk.conftest import QUICK
from tunewise.sdk import Client
from tunewise.sdk.retrying import Retrying
from tunewise.testing.servers import LocalServer
from tunewise.wire.backoff import Backoff
from tunewise.wire.errors import ServiceUnavailableError, TrialGoneError
from tunewise.wire.models import TrialState

Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*statuses: int, body: bytes = b'{"status": "ok"}') -> tuple[Handler, list[str]]:
    """Answers each request with the next status (the last one repeats); records the paths."""
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        status = statuses[min(len(seen), len(statuses) - 1)]
        seen.append(f"{request.method} {request.url.path}")
        if status >= 400:
            return httpx.Response(status, json={"error": {"code": "busy", "message": "later"}})
        return httpx.Response(status, content=body)

    return handle, seen


def mocked(handler: Handler, retries: int = 3) -> Client:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Client("http://api.test", "token", retries=retries, backoff=QUICK, http=http)


def test_a_read_is_sent_again_after_503s_until_it_succeeds() -> None:
    handler, seen = scripted(503, 503, 200)
    assert mocked(handler).healthy() is False  # healthy() is one look, never retried
    handler, seen = scripted(503, 502, 200)
    assert mocked(handler).metrics() == '{"status": "ok"}'
    assert seen == ["GET /metrics"] * 3


def test_retries_are_bounded() -> None:
    handler, seen = scripted(503)
    with pytest.raises(ServiceUnavailableError) as unavailable:
        mocked(handler, retries=2).metrics()
    assert len(seen) == 3 and unavailable.value.status == 503


def test_creating_a_job_is_resent_after_503_but_not_after_a_502() -> None:
    # 503 says the API did nothing; after a 502 the job may exist, and a second would be a copy.
    handler, seen = scripted(502)
    with pytest.raises(ServiceUnavailableError):
        mocked(handler).submit("small MLP on a table")
    assert seen == ["POST /v1/jobs"]
    handler, seen = scripted(503, 429, 503)
    with pytest.raises(ServiceUnavailableError):
        mocked(handler).submit("small MLP on a table")
    assert seen == ["POST /v1/jobs"] * 4


def test_retry_after_is_obeyed_up_to_a_minute() -> None:
    waits: list[float] = []
    answers = iter(
        [
            ServiceUnavailableError("busy", status=429, not_processed=True, retry_after_s=7.0),
            ServiceUnavailableError("busy", status=503, not_processed=True, retry_after_s=9999),
        ]
    )

    def attempt() -> str:
        error = next(answers, None)
        if error is not None:
            raise error
        return "done"

    retrying = Retrying(3, Backoff(initial=0.5, maximum=1.0, jitter=0.0), sleep=waits.append)
    assert retrying.call("test", attempt, idempotent=False) == "done"
    assert waits == [7.0, 60.0]


class LosesFirstAnswerTo(httpx.HTTPTransport):
    """Delivers the first request whose path ends with ``suffix`` to the real server, then
    loses its answer, as a connection cut after the server acted would."""

    def __init__(self, suffix: str) -> None:
        super().__init__()
        self.suffix = suffix
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path.endswith(self.suffix) and not self.lost:
            self.lost += 1
            response.close()
            raise httpx.ReadError("connection reset after the request was sent", request=request)
        return response


@dataclass
class Lossy:
    """A client whose first answer to a ``complete`` is lost, and a trial it leased."""

    client: Client
    transport: LosesFirstAnswerTo
    trial_id: int


@pytest.fixture
def lossy(server: LocalServer) -> Iterator[Lossy]:
    transport = LosesFirstAnswerTo("/complete")
    http = httpx.Client(transport=transport, timeout=30)
    with Client(server.url, server.token, backoff=QUICK, http=http) as client:
        job = client.submit({"domain": "tabular"}, n_trials=3, pruner="none")
        lease = client.lease(job.id)
        assert lease is not None
        yield Lossy(client, transport, lease.trial_id)
        job.cancel()


def test_a_complete_whose_answer_was_lost_is_recognised_when_resent(lossy: Lossy) -> None:
    trial = lossy.client.complete(lossy.trial_id, 0.125)  # sent twice: 409 the second time
    assert lossy.transport.lost == 1
    assert (trial.id, trial.state, trial.value) == (lossy.trial_id, TrialState.COMPLETE, 0.125)
    with pytest.raises(TrialGoneError):  # a real second completion is still refused
        lossy.client.complete(lossy.trial_id, 0.125)


def test_a_resent_complete_finds_another_result_and_the_409_stands(
    lossy: Lossy, client: Client
) -> None:
    client.complete(lossy.trial_id, 0.75)  # another holder of the lease got there first
    with pytest.raises(TrialGoneError) as refused:
        lossy.client.complete(lossy.trial_id, 0.5)  # its 409 is lost, the retry's is not
    assert lossy.transport.lost == 1 and refused.value.code == "already_finished"
    assert lossy.client.trial(lossy.trial_id).value == 0.75


def test_calls_wait_out_an_outage_of_the_real_server(server: LocalServer, client: Client) -> None:
    job = client.submit({"domain": "tabular"}, n_trials=3)
    patient = Client(server.url, server.token, retries=8, backoff=Backoff(initial=0.2, maximum=0.5))
    server.stop()
    restart = threading.Timer(1.0, server.start)
    restart.start()
    try:
        assert patient.get_job(job.id).id == job.id  # connection refused, then answered
    finally:
        restart.join()
        patient.close()
    assert client.cancel_job(job.id).state.value == "cancelled"
