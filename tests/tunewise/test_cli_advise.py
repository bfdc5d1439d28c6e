"""``tunewise advise``: JSON on stdin or free text in, Advice JSON or a readable table out; bad
input gets one clear line per problem and exit status 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from advisor import Advice
from tunewise.cli import cli

RESNET = '{"domain": "vision", "architecture": "resnet"}'


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["advise", *args], input=stdin)


def test_json_on_stdin_gives_the_advice_json() -> None:
    result = run("--json", stdin=RESNET)
    assert result.exit_code == 0, result.output
    advice = Advice.model_validate_json(result.stdout)
    assert [c.optimizer.value for c in advice.candidates[:2]] == ["momentum", "nesterov"]
    assert result.stderr == ""


def test_free_text_in_english_and_chinese() -> None:
    english = Advice.model_validate_json(run("fine-tune BERT for sentiment", "--json").stdout)
    assert english.best().optimizer.value == "adamw"
    assert english.task.inferred["regime"].origin == "text"
    chinese = Advice.model_validate_json(run("用ResNet做图像分类", "--json").stdout)
    assert chinese.best().optimizer.value == "momentum"


def test_the_full_view_shows_ranking_config_ranges_schedule_groups_and_reasons() -> None:
    result = run("--full", stdin=RESNET)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in (
        "Ranked optimizer families",
        "momentum",
        "search range",
        "0.01 … ",  # the upper end follows the published recipes (the corpus layer)
        "(log)",
        "schedule:",
        "group no_decay",
        "vision.cnn_sgd_momentum",
        "tunewise rule vision.cnn_sgd_momentum",
        "Search plan:",
        "(newer)",
    ):
        assert expected in out, expected


def test_an_unrecognised_description_is_marked_as_the_default_answer() -> None:
    result = run("qwertyuiop")
    assert result.exit_code == 0
    assert "Default answer" in result.stdout and "add the domain" in result.stdout
    as_json = json.loads(run("qwertyuiop", "--json").stdout)
    assert as_json["default_answer"] is True


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ("not json", ["error: input is not valid JSON"]),
        (
            '{"domain": "space"}',
            ["error: domain: Input should be 'vision', 'nlp'", "(got 'space')"],
        ),
        (
            '{"domain": "vision", "batch_size": -3, "model_params": 0}',
            [
                "error: model_params: Input should be greater than or equal to 1 (got 0)",
                "error: batch_size: Input should be greater than or equal to 1 (got -3)",
            ],
        ),
        ('{"architecture": "resnet"}', ["error: task: give at least one of 'description'"]),
        (
            '{"domain": "vision", "colour": "red"}',
            ["error: colour: not a task field; the fields are"],
        ),
        (
            '{"domain": "nlp", "current": {"optimizer": "lion"}}',
            ["error: current.optimizer:", "'adamw'"],
        ),
        ("", ["error: stdin is empty"]),
    ],
)
def test_bad_input_gets_one_line_per_problem_and_status_2(stdin: str, expected: list[str]) -> None:
    result = run("--json", stdin=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.output
    for fragment in expected:
        assert fragment in result.stderr, result.stderr
    assert all(line.startswith("error: ") for line in result.stderr.splitlines())


def test_an_empty_or_overlong_text_is_refused_too() -> None:
    result = run("")
    assert result.exit_code == 2
    assert "description: String should have at least 1 character" in result.stderr
    overlong = run("resnet " * 1000)
    assert overlong.exit_code == 2
    assert "description: String should have at most 4000 characters" in overlong.stderr
    assert len(overlong.stderr) < 200


def test_the_installed_command_runs_and_never_loads_torch() -> None:
    tunewise = Path(sys.executable).parent / "tunewise"
    done = subprocess.run(
        [str(tunewise), "advise", "--json"],
        input=RESNET,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert Advice.model_validate_json(done.stdout).best().optimizer.value == "momentum"
    probe = (
        "import sys; from click.testing import CliRunner; from tunewise.cli import cli; "
        "r = CliRunner().invoke(cli, ['advise', '--json'], input='{\"domain\": \"nlp\"}'); "
        "print(r.exit_code, 'torch' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=False, capture_output=True, text=True, timeout=60
    )
    assert loaded.stdout.split() == ["0", "False"], loaded.stderr


def test_the_full_view_names_the_nearest_published_recipes_with_their_sources() -> None:
    advice = Advice.model_validate_json(run("fine-tune BERT on 20k reviews", "--json").stdout)
    assert len(advice.evidence) == 3
    out = run("fine-tune BERT on 20k reviews", "--full").stdout
    assert "Nearest published recipes" in out
    for recipe in advice.evidence:
        assert recipe.id in out and recipe.citation.title[:20] in out


def test_limits_read_and_the_suggested_constraints_are_shown_and_in_the_json() -> None:
    text = "ResNet-18 on CIFAR-10, 我只有8G显存, 训练时间不能超过10分钟, 尽量快"
    readable = run(text)
    assert readable.exit_code == 0, readable.output
    assert "Limits: memory 8 GB; time per run 600 s" in readable.stdout
    assert "suggested constraints: peak_memory_mb <= 8192, train_seconds <= 600" in readable.stdout
    assert "suggested second objective: minimize train_seconds" in readable.stdout
    advice = Advice.model_validate_json(run(text, "--json").stdout)
    assert advice.task.inferred["memory_limit_gb"].evidence == "8G显存"
    shown = advice.model_dump(mode="json")["search"]
    assert shown["constraints"] == [
        {"metric": "peak_memory_mb", "max": 8192.0, "min": None},
        {"metric": "train_seconds", "max": 600.0, "min": None},
    ]
    assert shown["secondary_objectives"] == [{"metric": "train_seconds", "direction": "minimize"}]
    # Without a stated limit, nothing about limits is printed.
    assert "Limits:" not in run(stdin=RESNET).stdout
