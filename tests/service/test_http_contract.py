"""What the HTTP layer answers where a newcomer (and schemathesis) tripped: bodies that are not
JSON, methods a path does not take, the metrics' content type, the rules that span fields, and
the family list's one name."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from advisor import TaskDescription
from tests.service.conftest import Api
from tunewise.wire.models import Completion, JobCreate

JSON = {"Content-Type": "application/json"}
NLP = {"domain": "nlp"}


def test_a_json_syntax_error_says_what_and_where(refusing_api: Api) -> None:
    body = '{\n  "task": {"domain": "nlp"},\n  "budget": {"n_trials": 3,}\n}'
    response = refusing_api.client.post(
        "/v1/jobs", content=body, headers={**refusing_api.admin, **JSON}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_json"
    assert error["field"] is None
    assert error["message"] == (
        "the request body is not valid JSON: Expecting property name enclosed in double "
        "quotes at line 3, column 28 (character 59)"
    )


def test_a_body_that_is_not_utf8_is_refused_in_the_error_shape(refusing_api: Api) -> None:
    response = refusing_api.client.post(
        "/v1/trials/1/report", content=b'{"step": \xff}', headers={**refusing_api.admin, **JSON}
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_json",
        "message": "the request body is not UTF-8 text (byte 10 cannot start or continue a "
        "character); send JSON encoded as UTF-8",
        "field": None,
    }


def test_body_operations_document_the_400_and_every_4xx_is_the_error_model(
    refusing_api: Api,
) -> None:
    paths = refusing_api.client.get("/openapi.json").json()["paths"]
    error_model = {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in paths.items():
        for method, operation in operations.items():
            answers = operation["responses"]
            if "requestBody" in operation:
                assert "400" in answers, (method, path)
            assert "422" in answers, (method, path)
            for status, answer in answers.items():
                if status.startswith("4"):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == error_model, (method, path, status)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("OPTIONS", "/v1/jobs", "GET, POST"),
        ("DELETE", "/v1/jobs", "GET, POST"),
        ("PUT", "/v1/jobs/abc", "GET"),
        ("GET", "/v1/trials/1/complete", "POST"),
    ],
)
def test_a_method_a_path_does_not_take_gets_405_listing_all_it_takes(
    refusing_api: Api, method: str, path: str, allowed: str
) -> None:
    response = refusing_api.client.request(method, path, headers=refusing_api.admin)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert error["message"] == f"{method} is not allowed on {path}; it answers {allowed}"


def test_metrics_are_documented_and_served_as_prometheus_text(refusing_api: Api) -> None:
    documented = refusing_api.client.get("/openapi.json").json()["paths"]["/metrics"]["get"]
    assert list(documented["responses"]["200"]["content"]) == ["text/plain"]
    served = refusing_api.client.get("/metrics", headers=refusing_api.admin)
    assert served.headers["content-type"].startswith("text/plain")


def _schema_accepts(model: type[BaseModel], body: dict[str, Any]) -> bool:
    return Draft202012Validator(model.model_json_schema()).is_valid(body)


def _model_accepts(model: type[BaseModel], body: dict[str, Any]) -> bool:
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (TaskDescription, {}),
        (TaskDescription, {"description": None, "domain": None}),
        (TaskDescription, {"architecture": "cnn"}),
        (TaskDescription, {"description": "resnet on cifar"}),
        (TaskDescription, {"domain": "vision", "description": None}),
        (Completion, {}),
        (Completion, {"value": None, "pruned": False, "failed": None}),
        (Completion, {"value": 0.5, "pruned": True}),
        (Completion, {"pruned": True, "failed": "oom"}),
        (Completion, {"value": 0.5, "pruned": False, "failed": None}),
        (Completion, {"pruned": True}),
        (Completion, {"value": None, "failed": "diverged", "retry": False}),
        (Completion, {"values": {"val_loss": 0.5, "train_seconds": 3.0}}),
        (Completion, {"value": 0.5, "values": {"val_loss": 0.5}}),
        (Completion, {"values": {"val_loss": 0.5}, "pruned": True}),
        (Completion, {"values": None, "failed": "oom"}),
        (JobCreate, {"task": {"domain": "nlp"}, "families": ["adam", "adam"]}),
        (JobCreate, {"task": {"domain": "nlp"}, "families": ["adam"], "optimizers": ["sgd"]}),
        (JobCreate, {"task": {"domain": "nlp"}, "families": ["adam"], "optimizers": None}),
        (JobCreate, {"task": {"domain": "nlp"}, "optimizers": ["adam", "sgd"]}),
        (JobCreate, {"task": {}}),
        (JobCreate, {"task": NLP, "constraints": [{"metric": "t"}]}),
        (JobCreate, {"task": NLP, "constraints": [{"metric": "t", "max": 1}]}),
        (JobCreate, {"task": NLP, "constraints": [{"metric": "t", "min": 1, "max": 2}]}),
        (JobCreate, {"task": NLP, "objective": {"metric": "a"}, "objectives": [{"metric": "b"}]}),
    ],
)
def test_the_json_schema_states_the_rules_that_span_fields(
    model: type[BaseModel], body: dict[str, Any]
) -> None:
    """What the schema accepts is exactly what the model accepts, so a client that validates
    against the OpenAPI schema is never surprised by a 422."""
    assert _schema_accepts(model, body) == _model_accepts(model, body)


def test_the_openapi_schema_carries_the_rules(refusing_api: Api) -> None:
    schemas = refusing_api.client.get("/openapi.json").json()["components"]["schemas"]
    assert len(schemas["TaskDescription"]["anyOf"]) == 2
    assert len(schemas["Completion"]["oneOf"]) == 3
    job = schemas["JobCreate"]
    assert job["allOf"][0]["not"]["required"] == ["families", "optimizers"]
    assert job["allOf"][1]["not"]["required"] == ["objective", "objectives"]
    assert len(schemas["Constraint"]["oneOf"]) == 2
    assert job["properties"]["families"]["anyOf"][0]["uniqueItems"] is True
    assert job["properties"]["optimizers"]["deprecated"] is True


def test_the_family_list_has_one_name_both_ways(api: Api) -> None:
    response = api.client.post(
        "/v1/jobs",
        json={"task": {"domain": "vision", "architecture": "cnn"}, "families": ["adam", "sgd"]},
        headers=api.admin,
    )
    assert response.status_code == 201
    assert response.json()["families"] == ["adam", "sgd"]
    assert "deprecation" not in response.headers


def test_the_old_name_still_works_and_the_answer_says_it_is_deprecated(api: Api) -> None:
    response = api.client.post(
        "/v1/jobs",
        json={"task": {"domain": "vision", "architecture": "cnn"}, "optimizers": ["adam"]},
        headers=api.admin,
    )
    assert response.status_code == 201
    assert response.json()["families"] == ["adam"]
    assert response.headers["deprecation"] == "@1796169600"  # 2026-12-02, RFC 9745's form


def test_both_names_at_once_are_refused(refusing_api: Api) -> None:
    response = refusing_api.client.post(
        "/v1/jobs",
        json={"task": {"domain": "nlp"}, "families": ["adam"], "optimizers": ["adam"]},
        headers=refusing_api.admin,
    )
    assert response.status_code == 422
    assert "give 'families' only" in response.json()["error"]["message"]


def test_a_job_file_with_the_old_name_is_sent_with_the_new_one() -> None:
    """``tunewise submit`` reads the file into a JobCreate and the client sends it as
    ``model_dump_json(exclude_defaults=True)``."""
    spec = JobCreate.model_validate_json('{"task": {"domain": "nlp"}, "optimizers": ["adam"]}')
    sent = json.loads(spec.model_dump_json(exclude_defaults=True))
    assert sent["families"] == ["adam"] and "optimizers" not in sent


def test_the_largest_seed_fits_the_database(api: Api) -> None:
    """A seed is stored in a 32-bit signed integer column: PostgreSQL refused 2**32 - 1 with a
    500 until the schema said so."""
    largest = api.create_job(task={"domain": "nlp"}, seed=2**31 - 1)
    assert largest["seed"] == 2**31 - 1
    response = api.client.post(
        "/v1/jobs", json={"task": {"domain": "nlp"}, "seed": 2**31}, headers=api.admin
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "seed"


def test_reported_values_must_be_numbers(refusing_api: Api) -> None:
    response = refusing_api.report(1, 0, True)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "value"
