"""The dashboard in headless Chromium against a real server (uvicorn on a loopback port,
SQLite in a temp folder) with real jobs: one whose trials the real harness trained
(tabular-mlp, through lease → report → complete over HTTP) and one that is still running.

One browser for the whole run (tests/dashboard/conftest.py), a fresh context per test.
Screenshots go to $TUNEWISE_ARTIFACTS (default build/artifacts/dashboard/).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.dashboard.chromium import signed_in_tab
from tunewise.testing.browser import FIGURES
from tunewise.testing.jobs import OwnLoop, create_job, train_job
from tunewise.testing.servers import LocalServer, local_server

pytestmark = pytest.mark.browser
ARTIFACTS = Path(os.environ.get("TUNEWISE_ARTIFACTS", "build/artifacts/dashboard"))
#: Enough real training for every plot to have a curve per family and several points per
#: curve; each more trial or epoch only costs set-up time (the harness is tested elsewhere).
TRAINED_TRIALS = 3
EPOCHS = 3


@dataclass
class World:
    server: LocalServer
    client: httpx.Client
    finished: dict[str, Any]
    running: dict[str, Any]
    loop: OwnLoop


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with (
        local_server(tmp_path_factory.mktemp("dashboard")) as server,
        server.client() as client,
    ):
        finished = create_job(
            client,
            {
                "name": "tabular-mlp: breast-cancer table",
                "task": {
                    "description": "small MLP on a tabular table of 455 rows",
                    "domain": "tabular",
                    "architecture": "mlp",
                },
                "workload": "tabular-mlp",
                "families": ["adam", "sgd", "momentum"],
                "budget": {"n_trials": TRAINED_TRIALS, "max_epochs": EPOCHS},
                "sampler": "random",
                "pruner": "none",
                "seed": 3,
            },
        )
        assert train_job(client, finished["id"], device="cpu") == TRAINED_TRIALS
        running = create_job(
            client,
            {
                "name": "own loop, still running",
                "task": {"domain": "vision"},
                "budget": {"n_trials": 40},
                "seed": 1,
            },
        )
        loop = OwnLoop(client, running["id"])
        assert loop.run_one() and loop.run_one()
        yield World(server, client, client.get(f"/v1/jobs/{finished['id']}").json(), running, loop)


@pytest.fixture
def page(browser: Any, world: World) -> Iterator[Any]:
    with signed_in_tab(browser, world.server.url, world.server.token) as tab:
        yield tab


def shot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_the_jobs_page_shows_both_jobs(page: Any, world: World) -> None:
    rows = page.locator("#jobs tbody tr")
    assert rows.count() == 2
    assert "completed" in rows.nth(1).inner_text() and "running" in rows.nth(0).inner_text()
    assert page.locator(f'tr[data-job="{world.finished["id"]}"] progress').get_attribute(
        "value"
    ) == str(TRAINED_TRIALS)
    shot(page, "jobs")


def test_a_finished_jobs_plots_render_with_a_trace_per_family(page: Any, world: World) -> None:
    page.goto(f"{world.server.url}/ui/jobs/{world.finished['id']}")
    for key in FIGURES:
        page.wait_for_selector(f"#plot-{key}[data-rendered=true] svg.main-svg", timeout=20_000)
    tried = {
        t["params"]["optimizer"]
        for t in world.client.get(f"/v1/jobs/{world.finished['id']}/trials").json()["items"]
    }
    for key in ("best-so-far", "learning-curves", "lr-value", "parallel"):
        names = page.evaluate(f"document.getElementById('plot-{key}').data.map(t => t.name)")
        assert tried <= set(names), (key, names)
    # Plotly drew one SVG trace group per trace, as many as the figure has.
    drawn = page.locator("#plot-learning-curves .scatterlayer .trace").count()
    assert drawn == page.evaluate("document.getElementById('plot-learning-curves').data.length")
    assert page.locator("#snippet, #best-config table").count() >= 1
    sources = page.locator("#advice .source").all_text_contents()
    assert sources and all(s.startswith("Source: ") for s in sources)
    assert any("tunewise rule " in s for s in sources) and not any("seeds/" in s for s in sources)
    shot(page, "job")


def test_the_advise_form_works_in_chinese_and_starts_a_job(page: Any, world: World) -> None:
    page.goto(f"{world.server.url}/ui/advise")
    page.fill("textarea[name=description]", "在两万条评论上微调 BERT，关心最终准确率")
    page.click("#advise-form button[type=submit]")
    page.wait_for_selector("#advice")
    understood = page.locator("#task").inner_text()
    assert "微调" in understood and "fine_tuning" in understood and "nlp" in understood
    assert page.locator("#candidate-adamw .source").count() > 0
    shot(page, "advise")
    page.fill("#start-job input[name=n_trials]", "4")
    page.click("#start-job button[type=submit]")
    page.wait_for_url("**/ui/jobs/*")
    assert "queued" in page.locator(".badge").first.inner_text()
    assert page.locator("#task").inner_text().count("微调") >= 1


def test_a_live_jobs_progress_moves(page: Any, world: World) -> None:
    page.goto(f"{world.server.url}/ui/jobs/{world.running['id']}")
    finished = page.locator("[data-live=finished]").first
    before = int(finished.inner_text())
    assert world.loop.run_one()
    # Polled from the page's own script; the test only waits (CSP forbids it evaluating strings).
    expect(finished).to_have_text(str(before + 1), timeout=15_000)
    expect(page.locator("progress[data-live=bar]")).to_have_attribute("value", str(before + 1))


def test_optuna_dashboard_opens_the_jobs_study(page: Any, world: World) -> None:
    page.goto(f"{world.server.url}/ui/jobs/{world.finished['id']}")
    page.click("#optuna-link")
    page.wait_for_url("**/optuna/dashboard/studies/*")
    page.get_by_text(world.finished["study_name"]).first.wait_for(timeout=20_000)
