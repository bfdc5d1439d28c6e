"""A job's page shows each trial as the API does: its table rows are the API's view of the trial
(``service.views.trial_view``), and its plots value a trial exactly when the API calls it
complete and feasible."""

from __future__ import annotations

import html
from typing import Any

from service.dashboard.jobpage import TableRequest, build_job_page
from service.dashboard.objectives import objective_points, on_objective, study_layout
from tests.dashboard.conftest import token_of
from tests.service.conftest import Api

OUTCOMES: list[dict[str, Any]] = [
    {"values": {"val_loss": 0.30, "peak_memory_mb": 100.0}},  # complete, within the limit
    {"values": {"val_loss": 0.20, "peak_memory_mb": 900.0}},  # complete, breaks the limit
    {"pruned": True},  # after its reports
    {"failed": "CUDA out of memory: tried to allocate 2.00 GiB"},
]


def a_job_with_every_kind_of_trial(api: Api) -> str:
    job = api.create_job(
        name="one view of a trial",
        families=["adam", "sgd"],
        objectives=[{"metric": "val_loss", "direction": "minimize"}],
        constraints=[{"metric": "peak_memory_mb", "max": 512}],
        budget={"n_trials": 6, "max_epochs": 4},
        seed=7,
    )
    for body in OUTCOMES:
        lease = api.lease(job["id"])
        assert lease is not None
        for step, value in ((1, 0.9), (2, 0.8)):
            assert api.report(lease["trial_id"], step, value).status_code == 200
        assert api.complete(lease["trial_id"], body).status_code == 200
    assert api.lease(job["id"]) is not None  # one still running
    return str(job["id"])


def served_trials(api: Api, job_id: str) -> dict[int, dict[str, Any]]:
    response = api.client.get(f"/v1/jobs/{job_id}/trials?limit=100", headers=api.admin)
    assert response.status_code == 200, response.text
    return {t["number"]: t for t in response.json()["items"]}


def table_rows(page: str) -> dict[int, str]:
    """The trial table's rows of the job page's HTML, by trial number."""
    body = page.split('id="trial-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [row for row in body.split("<tr>") if "<td" in row]
    return {int(row.split('<td class="num">', 1)[1].split("<", 1)[0]): row for row in rows}


def test_the_job_pages_trials_are_the_apis(signed_in: Api) -> None:
    api = signed_in
    job_id = a_job_with_every_kind_of_trial(api)
    served = served_trials(api, job_id)
    states = {t["state"] for t in served.values()}
    assert {"complete", "pruned", "failed", "running"} <= states
    assert [t["feasible"] for t in served.values() if t["state"] == "complete"] == [True, False]

    principal = api.context.verifier.verify(token_of(api.admin))
    page = build_job_page(api.context, principal, job_id, TableRequest(), page_size=50)
    shown = {row.trial.number: row.trial for row in page.table.rows}
    assert shown.keys() == served.keys()
    for number, trial in shown.items():
        # The API's answer but for the curve, which the table does not show.
        assert trial.model_dump(mode="json") == served[number] | {"intermediate": []}

    with api.context.database.reading() as session:
        study_id = api.context.studies.storage.get_study_id_from_name(page.job.study_name)
        layout = study_layout(session, study_id, "val_loss")
        plotted = on_objective(objective_points(session, job_id, study_id, layout), 0)
    assert sorted(p.number for p in plotted) == sorted(served)
    for point in plotted:
        trial = served[point.number]
        assert point.state.value == trial["state"]
        counted = trial["state"] == "complete" and trial["feasible"] is not False
        assert point.value == (trial["value"] if counted else None)

    rows = table_rows(api.client.get(f"/ui/jobs/{job_id}").text)
    assert rows.keys() == served.keys()
    for number, row in rows.items():
        trial = served[number]
        assert f"state-{trial['state']}" in row
        assert ('class="badge infeasible"' in row) is (trial["feasible"] is False)
        if trial["reason"]:
            assert html.escape(trial["reason"]) in row
    pruned = next(t for t in served.values() if t["state"] == "pruned")
    assert "step 2" in pruned["reason"]  # the reason says where it was stopped, on both
