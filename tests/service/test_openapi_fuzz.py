"""The OpenAPI schema tells the truth: schemathesis generates requests from it (the schema's
own examples, its boundaries and unsupported methods, then property-based fuzzing with valid
and invalid data) against the app on PostgreSQL with a valid admin token, and every answer is
checked.

- no answer is a 5xx;
- every 4xx is ``{"error": {"code", "message", "field"}}``, and a 405 says ``Allow``;
- status codes, content types, headers and bodies are the documented ones, a schema-valid
  request is never refused by validation (``validation_error``; a rule that depends on state
  may refuse it as ``invalid_input``), and an ``OPTIONS`` lists exactly the path's methods.

Seeded and derandomized (``deterministic``), with a bounded number of examples per operation,
so the run is the same every time. Path ids point at a real job and a real leased trial, so
generated bodies reach the real code rather than stopping at a 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from pydantic import ValidationError
from schemathesis.engine import events, from_schema
from schemathesis.python.asgi import shutdown_lifespans

from tests.service.conftest import Api
from tunewise.wire.models import ErrorBody

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Every schemathesis check that judges one answer against the schema. Left out:
#: ``negative_data_rejection``, because pydantic's lax mode still takes JSON ``true`` or
#: ``"5"`` where the schema says integer (the wire's reported values are strict, see
#: test_reported_values_must_be_numbers); the stateful-only checks (``use_after_free``,
#: ``ensure_resource_availability``) and ``object_level_authorization``, which needs a
#: second identity.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
)
#: What a schema-valid request may get. 422 is among them for rules that depend on state (a
#: family the task's advice has no candidate for, an objective the job does not have): those
#: are ``invalid_input``; a ``validation_error`` answer to a valid request fails the run.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
#: Rules JSON Schema cannot state: ``uniqueItems`` compares whole items, not one key of them
#: (two objectives or constraints on one metric, one trial completed twice), and no keyword
#: compares two fields' values (a dimension's low and high, its step against their difference).
INEXPRESSIBLE = (
    "needs its own metric",
    "each trial_id may appear once",
    "low must be below high",
    "must be a multiple of step",
)
SEED = 15
EXAMPLES_PER_OPERATION = 5


def fuzz_config(headers: dict[str, str], path_ids: dict[str, Any]) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            "workers": 1,
            "parameters": path_ids,
            "checks": {
                "enabled": False,
                **{name: {"enabled": True} for name in CHECKS},
                "positive_data_acceptance": {"expected-statuses": ACCEPTED},
            },
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES_PER_OPERATION,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
        }
    )


def without_lifespan(app: ASGIApp) -> ASGIApp:
    """The app as schemathesis calls it: the test's own client already runs its lifespan (the
    lease sweeper, and closing the context at the end), so a second one must not start."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await receive()
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        await app(scope, receive, send)

    return serve


@dataclass
class Run:
    answers: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    #: One line per problem: "OPERATION: what".
    problems: list[str] = field(default_factory=list)

    def record(
        self, operation: str, positive: bool, status: int, headers: dict[str, Any], body: bytes
    ) -> None:
        self.answers += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        error: ErrorBody | None = None
        if 400 <= status < 500:
            try:
                error = ErrorBody.model_validate_json(body)
            except ValidationError:
                self.problems.append(f"{operation}: {status} not in the error shape: {body!r}")
        if status == 405 and not headers.get("allow"):
            self.problems.append(f"{operation}: 405 without an Allow header")
        if (
            positive
            and error is not None
            and error.error.code == "validation_error"
            and not any(rule in error.error.message for rule in INEXPRESSIBLE)
        ):
            self.problems.append(
                f"{operation}: a schema-valid request was refused as invalid: {error.error.message}"
            )


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """PostgreSQL only, to keep the run near 45 s of CPU: it is the stricter of the two (a seed
    of 2**32 - 1 overflowed its INTEGER column there with a 500, while SQLite stored it), and
    the answers' shapes do not depend on the database."""
    return postgres_url


def fuzz(api: Api) -> Run:
    """One seeded schemathesis run over every operation, as ``st run`` would do it."""
    job = api.create_job(budget={"n_trials": 1000})
    lease = api.lease(job["id"])
    assert lease is not None
    path_ids = {"path.job_id": job["id"], "path.trial_id": lease["trial_id"]}
    config = fuzz_config(dict(api.admin), path_ids)
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", without_lifespan(api.client.app), config=config
    )
    run = Run()
    try:
        for event in from_schema(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                label = event.recorder.label
                for case_id, interaction in event.recorder.interactions.items():
                    answer = interaction.response
                    if answer is not None:
                        meta = event.recorder.cases[case_id].value.meta
                        positive = meta is not None and meta.generation.mode.is_positive
                        run.record(
                            label, positive, answer.status_code, answer.headers, answer.content
                        )
                for checks in event.recorder.checks.values():
                    run.problems.extend(
                        f"{label}: {check.name}: {check.failure_info.failure}"
                        for check in checks
                        if check.failure_info is not None
                    )
            elif isinstance(event, events.NonFatalError | events.FatalError):
                run.problems.append(f"schemathesis could not test: {event}")
    finally:
        shutdown_lifespans()
    return run


def test_generated_requests_get_documented_answers(api: Api) -> None:
    run = fuzz(api)

    problems = sorted(set(run.problems))
    assert not problems, "\n\n".join(problems)
    # A run that only ever hit 401 or 404 would prove nothing.
    assert run.answers > 500
    for status in (200, 201, 204, 400, 401, 405, 409, 422):
        assert run.statuses.get(status, 0) > 0, (status, run.statuses)
