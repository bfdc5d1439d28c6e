"""A multi-objective job on the dashboard, from a study written with Optuna in the service's
layout: the reads agree with Optuna (directions, metric names, the feasible front), the Pareto
page draws and tabulates the trade-off, the job page shows each objective's history, and a
single-objective job's page is unchanged."""

from __future__ import annotations

import json
import re
from typing import Any

import optuna

from service.dashboard.front import pareto_front
from service.dashboard.objectives import objective_points, study_layout
from tests.dashboard.conftest import run_trials, sign_in
from tests.dashboard.studies import Outcome, write_study
from tests.service.conftest import Api
from tunewise.testing.browser import FIGURES
from tunewise.testing.jobs import trade_off

OBJECTIVES = [("val_loss", "minimize"), ("train_seconds", "minimize")]
MEMORY = [{"metric": "peak_memory_mb", "max": 800}]


def outcome(family: str, lr: float, loss: float, seconds: float, memory: float) -> Outcome:
    values = {"val_loss": loss, "train_seconds": seconds, "peak_memory_mb": memory}
    return Outcome(family, lr, values)


#: The front (feasible, not dominated) is trials 8, 0, 2 and 1; trial 3 has the lowest loss
#: but needs 900 MB, over the 800 MB limit.
TRIALS = [
    outcome("adam", 1e-3, 0.30, 12, 500),
    outcome("sgd", 1e-2, 0.50, 4, 300),
    outcome("momentum", 1e-2, 0.40, 6, 400),
    outcome("adam", 3e-4, 0.25, 20, 900),
    outcome("sgd", 1e-1, 0.60, 5, 300),
    outcome("adamw", 1e-3, 0.35, 14, 600),
    outcome("momentum", 1e-1, 0.45, 8, 400),
    Outcome("adam", 1e-2, state="pruned"),
    outcome("adamw", 2e-3, 0.28, 25, 700),
]
FRONT = [8, 0, 2, 1]


def multi_objective_job(
    api: Api, constraints: list[dict[str, Any]] | None = MEMORY
) -> tuple[str, optuna.Study]:
    job = api.create_job(name="loss against time", families=["adam", "adamw", "sgd", "momentum"])
    study = write_study(api.context, job["id"], OBJECTIVES, TRIALS, constraints)
    return job["id"], study


def read(api: Api, job_id: str, study: optuna.Study) -> Any:
    study_id = api.context.studies.storage.get_study_id_from_name(study.study_name)
    with api.context.database.reading() as session:
        layout = study_layout(session, study_id, "val_loss")
        return layout, objective_points(session, job_id, study_id, layout)


def test_the_study_is_read_as_optuna_laid_it_out(each_database: Api) -> None:
    job_id, study = multi_objective_job(each_database)
    layout, points = read(each_database, job_id, study)
    assert layout.metrics == study.metric_names == ["val_loss", "train_seconds"]
    assert [a.direction for a in layout.objectives] == ["minimize", "minimize"]
    assert [(b.metric, b.max, b.min) for b in layout.constraints] == [("peak_memory_mb", 800, None)]
    assert [p.number for p in points] == list(range(len(TRIALS)))
    assert points[3].values == (0.25, 20) and not points[3].feasible
    assert points[3].violations == (100,) and points[3].reported["peak_memory_mb"] == 900
    assert points[7].values is None and not points[7].scored  # pruned
    assert points[0].trial.family.value == "adam" and points[0].config["lr"] == 1e-3


def test_the_front_is_the_one_optuna_finds(each_database: Api) -> None:
    job_id, study = multi_objective_job(each_database)
    layout, points = read(each_database, job_id, study)
    front = pareto_front(points, layout.objectives)
    assert [p.number for p in front] == FRONT
    assert sorted(p.number for p in front) == sorted(t.number for t in study.best_trials)


def test_without_constraints_every_complete_trial_is_feasible(site: Api) -> None:
    job_id, study = multi_objective_job(site, constraints=[])
    layout, points = read(site, job_id, study)
    assert layout.constraints == () and all(p.feasible for p in points)
    front = [p.number for p in pareto_front(points, layout.objectives)]
    assert front[0] == 3 and sorted(front) == sorted(t.number for t in study.best_trials)


def figure_json(html: str, key: str) -> dict[str, Any]:
    block = rf'<script type="application/json" id="data-{key}">(.*?)</script>'
    found = re.search(block, html, re.S)
    assert found, f"no figure {key}"
    loaded: dict[str, Any] = json.loads(found.group(1))
    return loaded


def figure_keys(html: str) -> list[str]:
    return re.findall(r'id="plot-([\w-]+)"', html)


def test_the_pareto_page_plots_the_front_and_the_families(signed_in: Api) -> None:
    job_id, _ = multi_objective_job(signed_in)
    response = signed_in.client.get(f"/ui/jobs/{job_id}/pareto")
    assert response.status_code == 200, response.text
    html = response.text
    fig = figure_json(html, "pareto")
    traces = {t["name"]: t for t in fig["data"]}
    assert traces["Pareto front"]["x"] == [0.28, 0.30, 0.40, 0.50]
    assert "trial 8</b> · adamw" in traces["Pareto front"]["text"][0]
    assert traces["infeasible"]["x"] == [0.25]
    assert "breaks peak_memory_mb ≤ 800 (900)" in traces["infeasible"]["text"][0]
    assert {"adam", "adamw", "sgd", "momentum"} <= set(traces)
    assert fig["layout"]["xaxis"]["title"]["text"] == "val_loss (lower is better)"
    assert fig["layout"]["yaxis"]["title"]["text"] == "train_seconds (lower is better)"
    assert 'id="front-size">4<' in html and 'id="infeasible-count">1<' in html
    front_rows = re.findall(r'<tr>\s*<td class="num">(\d+)</td>', html.split('id="front"')[1])
    assert front_rows == ["8", "0", "2", "1"]
    assert 'data-family="adam"' in html and "#0" in html
    # The job is still open: the page follows it and reloads once it ends.
    assert f'data-live-url="/ui/jobs/live?id={job_id}"' in html
    assert 'data-reload-when-done="true"' in html


def test_the_axes_can_be_swapped_and_a_wrong_one_is_named(signed_in: Api) -> None:
    job_id, _ = multi_objective_job(signed_in)
    swapped = signed_in.client.get(f"/ui/jobs/{job_id}/pareto?x=train_seconds&y=val_loss")
    fig = figure_json(swapped.text, "pareto")
    assert fig["layout"]["xaxis"]["title"]["text"].startswith("train_seconds")
    wrong = signed_in.client.get(f"/ui/jobs/{job_id}/pareto?x=accuracy")
    assert wrong.status_code == 422
    assert "x must be one of the job&#39;s objectives (val_loss, train_seconds)" in wrong.text
    same = signed_in.client.get(f"/ui/jobs/{job_id}/pareto?x=val_loss&y=val_loss")
    assert same.status_code == 422 and "two different objectives" in same.text


def test_the_job_page_of_a_multi_objective_job_shows_each_objectives_history(
    signed_in: Api,
) -> None:
    job_id, _ = multi_objective_job(signed_in)
    html = signed_in.client.get(f"/ui/jobs/{job_id}").text
    assert f'id="pareto-link" href="/ui/jobs/{job_id}/pareto"' in html
    keys = figure_keys(html)
    assert keys[:2] == ["history-1", "history-2"] and "best-so-far" not in keys
    seconds = figure_json(html, "history-2")
    best = next(t for t in seconds["data"] if t["name"] == "best so far")
    # Trial 3 (20 s) is infeasible and never counts; trial 1 (4 s) is the fastest.
    assert best["y"][:2] == [12, 4]
    assert next(t for t in seconds["data"] if t["name"] == "infeasible")["x"] == [3]
    # The family table ranks on the first objective over feasible trials: adamw's 0.28.
    families = html.split('id="families"')[1]
    assert families.index("adamw") < families.index("adam<")


def test_a_single_objective_jobs_page_is_as_before(signed_in: Api) -> None:
    job = signed_in.create_job(name="one objective")
    run_trials(signed_in, job["id"], 3)
    html = signed_in.client.get(f"/ui/jobs/{job['id']}").text
    assert figure_keys(html) == list(FIGURES)
    assert "pareto-link" not in html and "several-objectives" not in html
    response = signed_in.client.get(f"/ui/jobs/{job['id']}/pareto")
    assert response.status_code == 404 and "has one objective" in response.text


def test_with_three_objectives_the_axes_are_chosen_and_each_gets_a_history(
    signed_in: Api,
) -> None:
    job = signed_in.create_job(name="three", families=["adam", "adamw", "sgd", "momentum"])
    three = [*OBJECTIVES, ("peak_memory_mb", "minimize")]
    write_study(signed_in.context, job["id"], three, TRIALS)
    html = signed_in.client.get(f"/ui/jobs/{job['id']}/pareto").text
    fig = figure_json(html, "pareto")
    assert [fig["layout"][a]["title"]["text"].split()[0] for a in ("xaxis", "yaxis")] == [
        "val_loss",
        "train_seconds",
    ]
    ringed = next(t for t in fig["data"] if t["name"] == "Pareto front (all objectives)")
    # Trial 4 (0.60, 5 s) loses to trial 1 on loss and time, and ties it on memory.
    assert 0.25 in ringed["x"] and 0.60 not in ringed["x"]
    assert html.count('<option value="peak_memory_mb"') == 2  # in the x and the y selector
    by_memory = signed_in.client.get(f"/ui/jobs/{job['id']}/pareto?y=val_loss").text
    fig = figure_json(by_memory, "pareto")
    assert fig["layout"]["xaxis"]["title"]["text"].startswith("train_seconds")
    assert fig["layout"]["yaxis"]["title"]["text"].startswith("val_loss")
    page = signed_in.client.get(f"/ui/jobs/{job['id']}").text
    assert figure_keys(page)[:3] == ["history-1", "history-2", "history-3"]


def test_a_job_made_through_the_api_reads_as_the_service_wrote_it(each_database: Api) -> None:
    api = each_database
    job = api.create_job(
        name="made over HTTP",
        families=["adam", "sgd", "momentum"],
        objectives=[
            {"metric": "val_loss", "direction": "minimize"},
            {"metric": "train_seconds", "direction": "minimize"},
        ],
        constraints=[{"metric": "peak_memory_mb", "max": 900}],
        budget={"n_trials": 12},
        seed=3,
    )
    while (lease := api.lease(job["id"])) is not None:
        params = lease["params"]
        values = trade_off(
            params["optimizer"], params["lr"], lease["number"], params.get("batch_size") or 32
        )
        assert api.complete(lease["trial_id"], {"values": values}).status_code == 200
    study_id = api.context.studies.storage.get_study_id_from_name(job["study_name"])
    with api.context.database.reading() as session:
        layout = study_layout(session, study_id, "val_loss")
        points = objective_points(session, job["id"], study_id, layout)
    assert layout.metrics == ["val_loss", "train_seconds"]
    assert [(b.metric, b.max) for b in layout.constraints] == [("peak_memory_mb", 900)]
    trials = {
        t["number"]: t
        for t in api.client.get(f"/v1/jobs/{job['id']}/trials?limit=100", headers=api.admin).json()[
            "items"
        ]
    }
    assert len(points) == len(trials) == 12
    for point in points:
        trial = trials[point.number]
        assert point.feasible is trial["feasible"]
        assert point.values == (trial["values"]["val_loss"], trial["values"]["train_seconds"])
        assert dict(point.reported) == trial["values"]
    front = pareto_front(points, layout.objectives)
    served = api.client.get(f"/v1/jobs/{job['id']}/pareto", headers=api.admin).json()
    assert [p.number for p in front] == [t["number"] for t in served["trials"]]
    sign_in(api)
    listed = api.client.get("/ui/jobs").text
    assert "minimize val_loss, minimize train_seconds" in listed
