"""search.*: what to tune at a budget, the portfolio, sampler and pruner."""

from __future__ import annotations

import pytest

from tests.advisor.helpers import advice, cand, note_rules, portfolio, without

OTHER = {"domain": "other"}


def _search_rules(budget: int, **task: object) -> list[str]:
    return [item.rule for item in advice(**OTHER, budget_trials=budget, **task).search.rationale]


def test_optuna_defaults_are_tpe_and_median() -> None:
    search = advice(**OTHER).search
    assert (search.sampler, search.pruner) == ("tpe", "median")
    assert "search.optuna_defaults" in _search_rules(20)


def test_the_popular_optimizer_is_the_baseline_once_the_domain_is_known() -> None:
    assert "search.popular_optimizer_first" in note_rules(advice(domain="vision"))
    assert "search.popular_optimizer_first" not in note_rules(advice(description="x"))


@pytest.mark.parametrize(
    ("budget", "rule_id", "tuned"),
    [
        (5, "search.budget_lr_only", ("lr",)),
        (20, "search.budget_add_momentum", ("lr", "momentum", "beta1")),
        (40, "search.budget_add_eps_and_decay", ("lr", "momentum", "weight_decay", "beta1", "eps")),
        (
            100,
            "search.budget_add_beta2",
            ("lr", "momentum", "weight_decay", "beta1", "beta2", "eps"),
        ),
    ],
)
def test_the_budget_decides_what_to_tune(budget: int, rule_id: str, tuned: tuple[str, ...]) -> None:
    result = advice(**OTHER, budget_trials=budget)
    assert result.search.tuned_params == tuned
    assert rule_id in _search_rules(budget)
    assert result.search.n_trials == budget


def test_tuned_parameters_are_ones_the_portfolio_takes() -> None:
    # RL searches Adam, RMSProp and AdamW: no momentum to tune, but RMSProp's alpha at 60+.
    assert advice(domain="rl", budget_trials=20).search.tuned_params == ("lr", "beta1")
    assert "alpha" in advice(domain="rl", budget_trials=100).search.tuned_params


@pytest.mark.parametrize(("budget", "size"), [(5, 2), (20, 3), (40, 4), (100, 6)])
def test_the_portfolio_grows_with_the_budget(budget: int, size: int) -> None:
    result = advice(domain="tabular", budget_trials=budget)
    assert len(portfolio(result)) == size
    assert portfolio(result)[0] == result.best().optimizer.value
    assert "search.portfolio_by_budget" in _search_rules(budget)


def test_wide_searches_take_adam_family_methods_at_their_word() -> None:
    wide = advice(**OTHER, budget_trials=40)
    ablated = without("search.wide_spaces_favour_adam", **OTHER, budget_trials=40)
    assert cand(wide, "adam").score > cand(ablated, "adam").score
    assert cand(wide, "momentum").score == cand(ablated, "momentum").score
    assert cand(advice(**OTHER, budget_trials=20), "adam").score == cand(ablated, "adam").score


def test_tiny_budgets_sample_quasi_randomly() -> None:
    assert advice(**OTHER, budget_trials=5).search.sampler == "qmc"
    assert "search.quasi_random_tiny_budget" in _search_rules(5)
    assert advice(**OTHER, budget_trials=10).search.sampler == "tpe"


def test_tiny_budgets_of_unknown_length_are_not_pruned() -> None:
    assert advice(**OTHER, budget_trials=5).search.pruner == "none"
    assert "search.no_pruning_blind_tiny_budget" in _search_rules(5)
    assert advice(**OTHER, budget_trials=5, epochs=20).search.pruner == "median"


def test_hyperband_prunes_when_the_run_length_is_known() -> None:
    assert advice(**OTHER, budget_trials=40, epochs=50).search.pruner == "hyperband"
    assert advice(**OTHER, budget_trials=40, steps=10_000).search.pruner == "hyperband"
    assert "search.hyperband_known_length" in _search_rules(40, epochs=50)
    assert advice(**OTHER, budget_trials=40).search.pruner == "median"
