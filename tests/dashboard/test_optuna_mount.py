"""optuna-dashboard under /optuna: behind the same sign-in, admins only, read-only, and its
app rewritten to live under the prefix (checked against the installed bundle)."""

from __future__ import annotations

import re

import pytest

from service.tuning.optuna_seam import Edit, OptunaBundleError, patched
from tests.dashboard.conftest import sign_in
from tests.service.conftest import Api
from tunewise.wire.models import TokenScope


def test_it_needs_a_session(site: Api) -> None:
    response = site.client.get("/optuna/dashboard")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/ui/login?next=/optuna/dashboard")


def test_it_shows_the_jobs_studies_to_an_admin(signed_in: Api) -> None:
    job = signed_in.create_job(task={"domain": "vision"})
    assert signed_in.client.get("/optuna/").headers["location"] == "/optuna/dashboard"
    page = signed_in.client.get("/optuna/dashboard/studies/1")
    assert page.status_code == 200 and 'src="/optuna/static/bundle.js"' in page.text
    assert "'unsafe-eval'" in page.headers["content-security-policy"]
    api = signed_in.client.get("/optuna/api/studies")
    assert api.headers["x-content-type-options"] == "nosniff"
    studies = api.json()["study_summaries"]
    assert [s["study_name"] for s in studies] == [job["study_name"]]


def test_its_app_is_moved_under_the_prefix(signed_in: Api) -> None:
    bundle = signed_in.client.get("/optuna/static/bundle.js")
    assert bundle.status_code == 200
    assert 'url_prefix:"/optuna/dashboard"' in bundle.text
    assert 'this.baseURL="/optuna"||(' in bundle.text
    assert 'url_prefix:"/dashboard"' not in bundle.text


def test_it_is_read_only_and_for_admins_only(signed_in: Api) -> None:
    signed_in.create_job(task={"domain": "vision"})
    refused = signed_in.client.post(
        "/optuna/api/studies", json={"study_name": "x", "directions": ["minimize"]}
    )
    assert refused.status_code == 405
    delete = signed_in.client.delete("/optuna/api/studies/1")
    assert delete.status_code == 405
    assert len(signed_in.client.get("/optuna/api/studies").json()["study_summaries"]) == 1
    sign_in(signed_in, signed_in.token(TokenScope.USER))
    assert signed_in.client.get("/optuna/api/studies").status_code == 403


def test_a_bundle_that_changed_shape_fails_with_the_version_to_pin() -> None:
    edit = Edit('url_prefix:"/dashboard"', 'url_prefix:"/optuna/dashboard"')
    with pytest.raises(OptunaBundleError, match=re.escape("install optuna-dashboard==0.21.0")):
        patched("no such text here", (edit,), "bundle.js")
    with pytest.raises(OptunaBundleError):
        patched('url_prefix:"/dashboard" url_prefix:"/dashboard"', (edit,), "bundle.js")
