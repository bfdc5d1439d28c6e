"""``tunewise submit --dim``: each form of NAME=SPEC becomes the dimension the API takes; a
malformed one or a bad range is refused naming --dim; a submitted job searches them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.tunewise.cli.conftest import LiveApi
from tunewise.cli import cli
from tunewise.cli.dims import parse_dim, with_dims
from tunewise.wire.models import Job, JobCreate

NO_ENV = {"TUNEWISE_API_TOKEN": None, "TUNEWISE_API_URL": None, "TUNEWISE_DATA_DIR": None}
OWN_LOOP = json.dumps({"task": {"domain": "tabular"}, "workload": None, "seed": 4})


@pytest.mark.parametrize(
    ("text", "name", "dimension"),
    [
        ("dropout=float:0:0.5", "dropout", {"type": "float", "low": 0.0, "high": 0.5}),
        (
            "lr_head=float:1e-5:1e-2:log",
            "lr_head",
            {"type": "float", "low": 1e-5, "high": 1e-2, "log": True},
        ),
        (
            "width=float:0.5:2:step=0.25",
            "width",
            {"type": "float", "low": 0.5, "high": 2.0, "step": 0.25},
        ),
        ("hidden=int:32:256:log", "hidden", {"type": "int", "low": 32, "high": 256, "log": True}),
        ("layers=int:1:7:step=2", "layers", {"type": "int", "low": 1, "high": 7, "step": 2}),
        ("bs=cat:32,64,128", "bs", {"type": "categorical", "choices": [32, 64, 128]}),
        (
            "act=cat:relu,gelu,0.5,true",
            "act",
            {"type": "categorical", "choices": ["relu", "gelu", 0.5, True]},
        ),
    ],
)  # fmt: skip
def test_each_form_becomes_the_dimension_the_api_takes(
    text: str, name: str, dimension: dict[str, Any]
) -> None:
    assert parse_dim(text) == (name, dimension)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("dropout", "write NAME=float:LOW:HIGH"),
        ("dropout=normal:0:1", "write NAME=float:LOW:HIGH"),
        ("dropout=float:0", "needs LOW:HIGH"),
        ("hidden=int:1:2.5", "invalid literal for int()"),
        ("hidden=int:1:8:square", "neither log nor step=S"),
    ],
)
def test_a_malformed_dim_is_refused_saying_how_to_write_it(text: str, says: str) -> None:
    with pytest.raises(click.BadParameter, match=re.escape(says)):
        parse_dim(text)


def test_a_bad_range_is_refused_naming_the_dimension_and_its_field() -> None:
    spec = JobCreate.model_validate_json(OWN_LOOP)
    with pytest.raises(click.BadParameter, match=r"dimensions\.dropout\.low: low must be below"):
        with_dims(spec, ["dropout=float:0.5:0.1"])
    with pytest.raises(click.BadParameter, match="advised optimizer space"):
        with_dims(spec, ["lr=float:0.001:0.1:log"])


def test_submit_with_dims_creates_a_job_that_searches_them(live_api: LiveApi) -> None:
    args = ["submit", "-", "--json", "--dim", "dropout=float:0:0.5"]
    args += ["--dim", "batch_size=cat:32,64", "--api", live_api.url, "--token", live_api.token]
    result = CliRunner().invoke(cli, args, input=OWN_LOOP, env=NO_ENV)
    assert result.exit_code == 0, result.output
    job = Job.model_validate_json(result.stdout)
    assert set(job.dimensions) == {"dropout", "batch_size"}


def test_submit_names_the_dim_it_refuses(live_api: LiveApi) -> None:
    args = ["submit", "-", "--dim", "hidden=int:0:8:log", "--api", live_api.url]
    result = CliRunner().invoke(cli, [*args, "--token", live_api.token], input=OWN_LOOP, env=NO_ENV)
    assert result.exit_code == 2
    assert "--dim" in result.output and "dimensions.hidden.low" in result.output
    assert "Traceback" not in result.output


def test_the_readme_example_submits_a_job_its_workload_can_train(live_api: LiveApi) -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**Search your own dimensions too.**") :]
    start = section.index("tunewise submit")
    command = section[start : section.index("```", start)]
    dims = re.findall(r"--dim (\S+)", command)
    assert len(dims) == 3 and "examples/tabular-mlp.json" in command
    example = Path(__file__).parents[3] / "examples" / "tabular-mlp.json"
    args = ["submit", str(example), "--json", *[a for d in dims for a in ("--dim", d)]]
    args += ["--api", live_api.url, "--token", live_api.token]
    result = CliRunner().invoke(cli, args, env=NO_ENV)
    assert result.exit_code == 0, result.output
    job = Job.model_validate_json(result.stdout)
    assert job.workload == "tabular-mlp"
    assert set(job.dimensions) == {"dropout", "hidden", "batch_size"}
