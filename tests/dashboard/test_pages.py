"""The pages over HTTP: sign-in with an HttpOnly cookie, security headers on every page, user
text escaped, filters, the sortable and paginated trial table, live JSON, and the forms that
turn advice into a job or cancel one."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from markupsafe import escape

from advisor import TaskDescription, advise
from service.dashboard.security import CONTENT_SECURITY_POLICY
from tests.dashboard.conftest import COOKIE, run_trials, sign_in, token_of
from tests.service.conftest import Api
from tunewise.wire.models import TokenScope

VISION = {"domain": "vision", "architecture": "cnn"}
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def test_pages_send_people_without_a_session_to_sign_in(site: Api) -> None:
    response = site.client.get("/ui/jobs?state=running")
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/login?next=/ui/jobs%3Fstate%3Drunning"
    assert site.client.get("/").headers["location"] == "/ui/jobs"


def test_signing_in_sets_an_httponly_strict_cookie_and_returns_where_you_were(site: Api) -> None:
    token = token_of(site.admin)
    response = site.client.post(
        "/ui/login", data={"token": token, "next": "/ui/advise"}, headers=SAME_SITE
    )
    assert response.status_code == 303 and response.headers["location"] == "/ui/advise"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert site.client.get("/ui/jobs").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_never_redirects_to_another_site(site: Api, target: str) -> None:
    response = site.client.post(
        "/ui/login", data={"token": token_of(site.admin), "next": target}, headers=SAME_SITE
    )
    assert response.headers["location"] == "/ui/jobs"


def test_a_wrong_token_is_refused_with_a_message(site: Api) -> None:
    response = site.client.post("/ui/login", data={"token": "tw_nope_nope"}, headers=SAME_SITE)
    assert response.status_code == 401
    assert "was not accepted" in response.text and "set-cookie" not in response.headers


def test_a_revoked_or_forged_cookie_counts_as_signed_out(site: Api) -> None:
    site.client.cookies.set(COOKIE, "tw_forged_secret")
    response = site.client.get("/ui/jobs")
    assert response.status_code == 303 and "reason=" in response.headers["location"]


def test_signing_out_clears_the_cookie(signed_in: Api) -> None:
    response = signed_in.client.post("/ui/logout", headers=SAME_SITE)
    assert response.status_code == 303
    assert f'{COOKIE}=""' in response.headers["set-cookie"]


def test_every_page_carries_the_security_headers(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION)
    for path in [
        "/ui/jobs",
        f"/ui/jobs/{job['id']}",
        "/ui/advise",
        "/ui/recommendations",
        "/ui/login",
        "/ui/jobs/nope",
        "/ui/static/dashboard.js",
    ]:
        response = signed_in.client.get(path)
        headers = response.headers
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
        assert "script-src 'self';" in CONTENT_SECURITY_POLICY
        assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
    assert signed_in.client.get("/ui/jobs").headers["cache-control"] == "no-store"


def test_pages_have_no_inline_script(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION, budget={"n_trials": 4})
    run_trials(signed_in, job["id"], 4)
    html = signed_in.client.get(f"/ui/jobs/{job['id']}").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attributes, body in scripts:
        assert 'type="application/json"' in attributes or (
            body.strip() == "" and "src=" in attributes
        )
    handlers = [tag for tag in re.findall(r"<[^>]+>", html) if re.search(r"\son[a-z]+\s*=", tag)]
    assert handlers == []


def test_user_text_is_escaped(signed_in: Api) -> None:
    evil = "<img src=x onerror=alert(1)>"
    job = signed_in.create_job(task={"description": f"a cnn {evil}"}, name=f"job {evil}")
    for path in ["/ui/jobs", f"/ui/jobs/{job['id']}"]:
        html = signed_in.client.get(path).text
        assert evil not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_jobs_page_lists_and_filters(signed_in: Api) -> None:
    first = signed_in.create_job(
        name="first", task=VISION, families=["adam"], budget={"n_trials": 2}
    )
    signed_in.create_job(name="second", task=VISION, families=["sgd"])
    run_trials(signed_in, first["id"], 2)
    html = signed_in.client.get("/ui/jobs").text
    assert "first" in html and "second" in html and 'class="family family-adam"' in html
    html = signed_in.client.get("/ui/jobs?state=completed").text
    assert "first" in html and ">second<" not in html
    assert ">second<" in signed_in.client.get("/ui/jobs?family=sgd&state=").text
    bad = signed_in.client.get("/ui/jobs?state=finished")
    assert bad.status_code == 422 and "state must be one of queued, running" in bad.text


def test_the_jobs_page_paginates(signed_in: Api) -> None:
    for n in range(3):
        signed_in.create_job(name=f"job-{n}", task=VISION)
    ui = next(r.app for r in signed_in.client.app.routes if getattr(r, "path", "") == "/ui")  # type: ignore[attr-defined]
    ui.state.options = ui.state.options.model_copy(update={"page_size": 2})
    html = signed_in.client.get("/ui/jobs").text
    assert "job-2" in html and "job-0" not in html and "page 1 of 2" in html
    assert "job-0" in signed_in.client.get("/ui/jobs?page=2").text


def test_a_job_page_shows_progress_best_config_families_plots_and_advice(signed_in: Api) -> None:
    job = signed_in.create_job(
        task={"description": "fine-tune BERT on 20k reviews"}, budget={"n_trials": 6}
    )
    run_trials(signed_in, job["id"], 6)
    html = signed_in.client.get(f"/ui/jobs/{job['id']}").text
    for key in [
        "best-so-far",
        "family-best",
        "learning-curves",
        "lr-value",
        "parallel",
        "importance",
    ]:
        assert f'data-figure="data-{key}"' in html and f'id="data-{key}"' in html
    assert 'id="best-config"' in html and "Families compared" in html
    assert "torch.optim." in html and "optimizer = " in html  # the ready PyTorch snippet
    assert "read from the text" in html and "“BERT”" in html  # the task as understood
    assert "Source: " in html and "tunewise rule " in html  # the rationale cites its sources
    assert "6 trials" in html and "page 1 of 1" in html


def test_the_trial_table_sorts_and_filters(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION, budget={"n_trials": 5}, sampler="random", seed=1)
    trials = run_trials(signed_in, job["id"], 5)
    html = signed_in.client.get(f"/ui/jobs/{job['id']}?sort=value&order=asc").text
    table = html[html.index('id="trial-table"') :]
    numbers = [
        int(n) for n in re.findall(r'<td class="num">(\d+)</td>\s*<td><span class="badge', table)
    ]
    ordered = sorted((t for t in trials if t["value"] is not None), key=lambda t: t["value"])
    assert numbers[: len(ordered)] == [t["number"] for t in ordered]
    assert "sort=value&amp;order=desc" in table  # clicking the sorted column flips it
    pruned = signed_in.client.get(f"/ui/jobs/{job['id']}?tstate=failed").text
    assert "No trials in state failed" in pruned
    assert signed_in.client.get(f"/ui/jobs/{job['id']}?sort=colour").status_code == 422


def test_live_json_follows_a_running_job(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION, budget={"n_trials": 3})
    url = f"/ui/jobs/live?id={job['id']}"
    before = signed_in.client.get(url).json()["jobs"][0]
    run_trials(signed_in, job["id"], 1)
    after = signed_in.client.get(url).json()["jobs"][0]
    assert before["progress"]["finished"] == 0 and before["is_open"]
    assert after["progress"]["finished"] == 1 and after["percent"] == 33
    assert after["state"] == "running" and after["best_value"] is not None
    signed_in.client.cookies.clear()
    signed_out = signed_in.client.get(url, headers={"Accept": "application/json"})
    assert signed_out.status_code == 401


def test_advice_in_chinese_becomes_a_job_with_one_click(signed_in: Api) -> None:
    page = signed_in.client.get(
        "/ui/advise", params={"description": "在两万条评论上微调 BERT，关心最终准确率"}
    )
    assert page.status_code == 200
    assert "read from the text" in page.text and "“微调”" in page.text
    assert 'id="candidate-adamw"' in page.text and "Source: " in page.text
    task = re.search(r'name="task" value="([^"]*)"', page.text)
    assert task is not None
    created = signed_in.client.post(
        "/ui/jobs",
        data={
            "task": task.group(1).replace("&#34;", '"').replace("&quot;", '"'),
            "n_trials": "3",
            "metric": "val_loss",
            "direction": "minimize",
            "workload": "",
        },
        headers=SAME_SITE,
    )
    assert created.status_code == 303
    job_id = created.headers["location"].rsplit("/", 1)[1]
    job = signed_in.job(job_id)
    assert job["budget"]["n_trials"] == 3 and job["advice"]["task"]["regime"] == "fine_tuning"


def test_forms_refuse_cross_site_submissions(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
        response = signed_in.client.post(f"/ui/jobs/{job['id']}/cancel", headers=headers)
        assert response.status_code == 403
    assert signed_in.job(job["id"])["state"] == "queued"
    response = signed_in.client.post(f"/ui/jobs/{job['id']}/cancel", headers=SAME_SITE)
    assert response.status_code == 303 and signed_in.job(job["id"])["state"] == "cancelled"


def test_fields_alone_get_advice_and_bad_fields_name_themselves(signed_in: Api) -> None:
    page = signed_in.client.get("/ui/advise?domain=tabular&architecture=mlp&batch_size=32")
    assert page.status_code == 200 and "<code>domain</code>" in page.text and ">given<" in page.text
    bad = signed_in.client.get("/ui/advise?domain=cooking")
    assert bad.status_code == 422 and "domain must be one of vision" in bad.text


def test_scopes_are_respected(signed_in: Api) -> None:
    admins = signed_in.create_job(task=VISION)
    user = signed_in.token(TokenScope.USER)
    sign_in(signed_in, user)
    assert signed_in.client.get(f"/ui/jobs/{admins['id']}").status_code == 404
    assert admins["id"] not in signed_in.client.get("/ui/jobs").text
    sign_in(signed_in, signed_in.token(TokenScope.WORKER))
    assert signed_in.client.get("/ui/jobs").status_code == 403


def test_recommendations_show_finished_jobs_by_kind_and_advisor_defaults(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION, budget={"n_trials": 3})
    run_trials(signed_in, job["id"], 3)
    html = signed_in.client.get("/ui/recommendations").text
    assert "vision · cnn" in html and f"job {job['id']}" in html
    html = signed_in.client.get("/ui/recommendations?domain=nlp").text
    assert "advisor default for" in html


def test_the_advise_page_shows_the_nearest_published_recipes_with_links(signed_in: Api) -> None:
    described = "fine-tune BERT on 20k reviews"
    page = signed_in.client.get("/ui/advise", params={"description": described})
    assert page.status_code == 200
    assert 'id="evidence"' in page.text and "Nearest published recipes" in page.text
    advice = advise(TaskDescription(description=described))
    for recipe in advice.evidence:
        assert recipe.id in page.text and f'href="{escape(recipe.citation.url)}"' in page.text


def test_a_job_page_shows_which_trials_batched_workers_trained(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION, budget={"n_trials": 4})
    path = f"/v1/jobs/{job['id']}/lease"
    batched: list[dict[str, Any]] = []
    while len(batched) < 3:  # a batched worker's calls: one fresh trial, then those asked ahead
        body = {"worker": "gpu-box:7 [batch 8]", "count": 3 - len(batched)}
        response = signed_in.client.post(path, json=body, headers=signed_in.admin)
        assert response.status_code in (200, 204), response.text
        batched += response.json() if response.status_code == 200 else []
    alone = signed_in.client.post(path, json={"worker": "cpu-box:9"}, headers=signed_in.admin)
    for lease in [*batched, alone.json()]:
        assert signed_in.complete(lease["trial_id"], {"value": 0.5}).status_code == 200

    html = signed_in.client.get(f"/ui/jobs/{job['id']}").text
    notice = html[html.index('id="batching"') :]
    notice = notice[: notice.index("</p>")]
    assert "3 of 4 trials went to batched workers" in notice
    assert "tunewise worker --batch 8" in notice
    assert re.search(r"up to [123] were leased in one call", notice)
    table = html[html.index('id="trial-table"') :]
    assert table.count("batch of ≤8") == 3
    assert 'title="leased by gpu-box:7 [batch 8]"' in table


def test_a_job_trained_one_trial_at_a_time_says_nothing_of_batches(signed_in: Api) -> None:
    job = signed_in.create_job(task=VISION, budget={"n_trials": 2})
    run_trials(signed_in, job["id"], 2)
    html = signed_in.client.get(f"/ui/jobs/{job['id']}").text
    assert 'id="batching"' not in html and "batch of ≤" not in html


def test_a_job_page_shows_the_jobs_own_dimensions_among_the_params(signed_in: Api) -> None:
    job = signed_in.create_job(
        task=VISION,
        budget={"n_trials": 6},
        sampler="random",
        seed=2,
        dimensions={
            "dropout": {"type": "float", "low": 0.0, "high": 0.5},
            "hidden": {"type": "int", "low": 32, "high": 256, "log": True},
            "activation": {"type": "categorical", "choices": ["relu", "gelu"]},
        },
    )
    trials = run_trials(signed_in, job["id"], 6)
    html = signed_in.client.get(f"/ui/jobs/{job['id']}").text
    figure = html[html.index('id="data-parallel">') + len('id="data-parallel">') :]
    figure = json.loads(figure[: figure.index("</script>")])
    axes = {a["text"] for a in figure["layout"]["annotations"] if a["text"].startswith("<b>")}
    assert {"<b>dropout</b>", "<b>hidden</b>", "<b>lr</b>"} <= axes
    table = html[html.index('id="trial-table"') :]
    for trial in trials:
        params = trial["params"]
        shown = f"dropout={params['dropout']:.3g}, hidden={params['hidden']}"
        assert f"activation={params['activation']}, {shown}" in table
