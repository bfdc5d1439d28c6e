"""resources.*: a stated memory or time limit per run, or a time trade-off, shapes the job
(constraints, a second objective) and the advice (ranking, schedule, notes with arithmetic)."""

from __future__ import annotations

from advisor import Advice
from advisor.advice import SuggestedConstraint, SuggestedObjective
from tests.advisor.helpers import advice, cand, fired_for, note_rules, notes_text, rank, without

LM = {"domain": "nlp", "architecture": "transformer", "regime": "from_scratch"}
#: 300M parameters: Adam's weights, gradients and state take 4.5 GB, over half of 8 GB.
TIGHT = {**LM, "model_params": 300_000_000, "memory_limit_gb": 8}
VISION = {"domain": "vision", "architecture": "resnet"}
LIGHT = ("sgd", "adafactor")
ADAM_STYLE = ("adam", "adamw", "nadam", "radam")


def search_rules(result: Advice) -> list[str]:
    return [item.rule for item in result.search.rationale]


def test_a_memory_limit_becomes_a_peak_memory_constraint() -> None:
    result = advice(**VISION, memory_limit_gb=8)
    assert result.search.constraints == (SuggestedConstraint(metric="peak_memory_mb", max=8192),)
    assert "resources.memory_limit_constraint" in search_rules(result)
    # Without a parameter count the optimizer state cannot be checked: the advice asks for it.
    assert "say the model's size" in notes_text(result)
    ablated = without("resources.memory_limit_constraint", **VISION, memory_limit_gb=8)
    assert ablated.search.constraints == ()
    assert advice(**VISION).search.constraints == ()


def test_a_tight_memory_limit_ranks_lighter_optimizer_state_higher() -> None:
    result = advice(**TIGHT)
    roomy = advice(**{**TIGHT, "memory_limit_gb": 80})
    for light in LIGHT:
        for heavy in ADAM_STYLE:
            gap = cand(result, light).score - cand(result, heavy).score
            roomy_gap = cand(roomy, light).score - cand(roomy, heavy).score
            assert gap > roomy_gap, (light, heavy)
    assert rank(result, "adafactor") < rank(roomy, "adafactor")
    assert "resources.optimizer_state_memory" in fired_for(result, "adam")
    assert "resources.optimizer_state_memory" not in fired_for(roomy, "adam")
    # The arithmetic is shown: 300M × 16 bytes = 4.5 GB with Adam, 3.4 with momentum, 2.2 SGD.
    assert "need 4.5 GB with an Adam-family optimizer" in notes_text(result)
    assert "3.4 GB with momentum" in notes_text(result)
    assert "2.2 GB with plain SGD or Adafactor" in notes_text(result)
    ablated = without("resources.optimizer_state_memory", **TIGHT)
    assert cand(ablated, "adam").score > cand(result, "adam").score


def test_a_model_whose_adam_state_exceeds_the_limit_is_told_so_with_the_arithmetic() -> None:
    result = advice(**{**LM, "model_params": 7_000_000_000, "memory_limit_gb": 8})
    assert "resources.model_exceeds_memory" in note_rules(result)
    text = notes_text(result)
    assert "7B parameters cannot train with Adam in 8 GB" in text
    assert "7B × 16 bytes" in text and "= 104 GB" in text
    assert "Even plain SGD needs 52 GB" in text and "no optimizer fits" in text
    # 1B parameters: Adam needs 15 GB, over 12 GB; plain SGD (7.5 GB) still fits.
    some_fit = advice(**{**LM, "model_params": 1_000_000_000, "memory_limit_gb": 12})
    assert "Plain SGD or Adafactor need 7.5 GB" in notes_text(some_fit)
    fits = advice(**{**LM, "model_params": 300_000_000, "memory_limit_gb": 8})
    assert "resources.model_exceeds_memory" not in note_rules(fits)


def test_a_time_limit_per_run_becomes_a_train_seconds_constraint() -> None:
    result = advice(**VISION, time_limit_s=600)
    assert result.search.constraints == (SuggestedConstraint(metric="train_seconds", max=600),)
    assert "resources.time_limit_constraint" in search_rules(result)
    assert "Each run must finish in 600 s" in notes_text(result)
    both = advice(**VISION, time_limit_s=600, memory_limit_gb=8)
    assert {c.metric for c in both.search.constraints} == {"train_seconds", "peak_memory_mb"}
    ablated = without("resources.time_limit_constraint", **VISION, time_limit_s=600)
    assert ablated.search.constraints == ()


def test_a_time_limit_per_run_favours_adam_style_methods() -> None:
    result = advice(**VISION, time_limit_s=600)
    unlimited = advice(**VISION)
    for family in ADAM_STYLE:
        assert cand(result, family).score > cand(unlimited, family).score
        assert "resources.time_limit_fast_families" in fired_for(result, family)
    assert cand(result, "momentum").score == cand(unlimited, "momentum").score


def test_a_time_limit_per_run_ranks_adafactors_slower_default_step_lower() -> None:
    result = advice(**LM, time_limit_s=600)
    unlimited = advice(**LM)
    assert cand(result, "adafactor").score < cand(unlimited, "adafactor").score
    assert "resources.time_limit_slow_step" in fired_for(result, "adafactor")
    assert "resources.time_limit_slow_step" not in fired_for(result, "adamw")


def test_a_time_limit_per_run_decays_the_lr_to_zero_by_the_end_of_the_run() -> None:
    task = {"domain": "tabular", "architecture": "mlp", "current": {"schedule": "StepLR"}}
    result = advice(**task, time_limit_s=300)
    stepped = advice(**task)
    assert cand(stepped, "adam").schedule.name.value == "step"
    schedule = cand(result, "adam").schedule
    assert (schedule.name.value, schedule.warmup_fraction) == ("warmup_linear", 0.0)
    assert "resources.budget_aware_schedule" in fired_for(result, "adam")
    # A schedule that already ends with the run is kept: warmup then cosine for transformers.
    lm = advice(**LM, time_limit_s=300)
    assert cand(lm, "adamw").schedule.name.value == "warmup_cosine"
    assert "resources.budget_aware_schedule" not in fired_for(lm, "adamw")


def test_a_time_trade_off_becomes_a_second_objective() -> None:
    result = advice(**VISION, time_tradeoff=True)
    assert result.search.secondary_objectives == (
        SuggestedObjective(metric="train_seconds", direction="minimize"),
    )
    assert result.search.constraints == ()
    assert "resources.time_tradeoff_objective" in search_rules(result)
    assert "Pareto front" in notes_text(result)
    for said in (None, False):
        assert advice(**VISION, time_tradeoff=said).search.secondary_objectives == ()
    ablated = without("resources.time_tradeoff_objective", **VISION, time_tradeoff=True)
    assert ablated.search.secondary_objectives == ()
