"""``tunewise advise`` prints a short view by default: the ranked families with their scores,
the top candidate's ready config and search ranges, the three reasons this task adds, and how
to see everything (``--full``); about 25 lines where the full view printed nearly 300."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from advisor import Advice, TaskDescription, TrainConfig, advise
from advisor.advice import Range
from tunewise.cli import cli

TASKS = [
    '{"domain": "vision", "architecture": "resnet"}',
    '{"description": "fine-tune BERT on 20k reviews"}',
    '{"description": "GAN on faces, loss spikes"}',
    '{"description": "用ResNet做图像分类"}',
    '{"description": "qwertyuiop"}',
    '{"description": "ResNet-18 on CIFAR-10, 我只有8G显存, 训练时间不能超过10分钟, 尽量快"}',
]


def short_and_advice(task_json: str) -> tuple[list[str], Advice]:
    runner = CliRunner()
    short = runner.invoke(cli, ["advise"], input=task_json)
    assert short.exit_code == 0, short.output
    full = runner.invoke(cli, ["advise", "--json"], input=task_json)
    return short.stdout.splitlines(), Advice.model_validate_json(full.stdout)


def line_after(lines: list[str], heading: str) -> str:
    index = next(i for i, line in enumerate(lines) if line.startswith(heading))
    return lines[index + 1]


@pytest.mark.parametrize("task_json", TASKS)
def test_the_short_view_fits_in_about_25_lines_and_says_how_to_see_more(task_json: str) -> None:
    lines, _ = short_and_advice(task_json)
    assert len(lines) <= 25, "\n".join(lines)
    assert "--full" in lines[-1] and "--json" in lines[-1]
    assert not any("Nearest published recipes" in line for line in lines)


@pytest.mark.parametrize("task_json", TASKS)
def test_the_short_view_ranks_every_family_with_its_score(task_json: str) -> None:
    lines, advice = short_and_advice(task_json)
    ranked = next(line for line in lines if line.startswith("Families, best first"))
    expected = ", ".join(f"{c.optimizer.value} {c.score:.2f}" for c in advice.candidates)
    assert ranked.endswith(expected)


@pytest.mark.parametrize("task_json", TASKS)
def test_the_top_candidate_comes_as_a_ready_config_with_its_search_ranges(task_json: str) -> None:
    lines, advice = short_and_advice(task_json)
    best = advice.candidates[0]
    config = line_after(lines, f"{best.optimizer.value} (score {best.score:.2f}): ready config")
    assert TrainConfig.model_validate(json.loads(config)) == best.defaults
    for name, dimension in best.search_space.items():
        assert any(line.split()[:1] == [name] for line in lines if line.startswith("  ")), name
        if isinstance(dimension, Range):
            assert any(f"{dimension.low:.4g} … {dimension.high:.4g}" in line for line in lines)


def test_the_three_reasons_shown_are_the_ones_the_task_adds() -> None:
    lines, advice = short_and_advice('{"description": "fine-tune BERT on 20k reviews"}')
    best = advice.candidates[0]
    heading = next(i for i, line in enumerate(lines) if line.startswith("why ("))
    assert lines[heading] == f"why (3 of {len(best.rationale)} reasons):"
    shown = [line.split(":")[0].strip() for line in lines[heading + 1 : heading + 4]]
    generic = advise(TaskDescription(domain="other"))
    general = {
        r.rule for c in generic.candidates if c.optimizer is best.optimizer for r in c.rationale
    }
    assert shown == [r.rule for r in best.rationale if r.rule not in general][:3]
    assert all(rule.startswith(("nlp.", "fine_tuning.")) for rule in shown), shown


def test_a_task_with_nothing_recognised_leads_with_the_default_answer() -> None:
    lines, advice = short_and_advice('{"description": "qwertyuiop"}')
    assert advice.default_answer and lines[0].startswith("Default answer: ")
    assert "add the domain" in lines[0]
