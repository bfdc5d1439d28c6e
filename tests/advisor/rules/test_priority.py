"""priority.*: time pressure, the best result, and trying both when unsure."""

from __future__ import annotations

from tests.advisor.helpers import advice, cand, fired_for, portfolio, without


def test_time_pressure_favours_adam() -> None:
    result = advice(domain="tabular", priority="fast_convergence")
    assert result.best().optimizer.value == "adam"
    assert "priority.time_pressure_adam" in fired_for(result, "adam")
    ablated = without("priority.time_pressure_adam", domain="tabular", priority="fast_convergence")
    assert cand(ablated, "adam").score < cand(result, "adam").score


def test_chasing_the_best_result_keeps_sgd_momentum_in_the_search() -> None:
    task = {"domain": "nlp", "architecture": "transformer", "priority": "best_generalization"}
    result = advice(**task, budget_trials=5)
    assert result.best().optimizer.value == "adamw"
    assert portfolio(result)[0] == "adamw"
    assert {"momentum", "nesterov"} & set(portfolio(result))
    assert "priority.best_result_try_sgd_too" in fired_for(result, "momentum")
    ablated = without("priority.best_result_try_sgd_too", **task, budget_trials=5)
    assert portfolio(ablated) == ["adamw", "adam"]


def test_unsure_means_trying_adam_and_sgd_momentum() -> None:
    task = {"domain": "vision", "architecture": "resnet", "budget_trials": 5}
    result = advice(**task)
    assert portfolio(result) == ["momentum", "adam"]
    assert "priority.unsure_try_both" in [item.rule for item in result.search.rationale]
    assert portfolio(without("priority.unsure_try_both", **task)) == ["momentum", "nesterov"]
    # Where the seeds name a winner (Transformers), balanced does not force SGD in.
    assert portfolio(advice(domain="nlp", budget_trials=5)) == ["adamw", "adam"]
