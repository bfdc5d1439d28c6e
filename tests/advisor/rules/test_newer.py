"""newer.*: families offered on public evidence, always marked as newer."""

from __future__ import annotations

import pytest

from advisor import NEWER_FAMILIES
from advisor.rules import IncompleteRuleBookError
from tests.advisor.helpers import advice, cand, default, fired_for, portfolio, rank, without

UNKNOWN = {"domain": "other"}
PRETRAIN_7B = {
    "domain": "nlp",
    "architecture": "transformer",
    "regime": "from_scratch",
    "model_params": 7_000_000_000,
}


@pytest.mark.parametrize(
    ("family", "rule_id", "lr"),
    [
        ("nadam", "newer.nadamw", 1e-3),
        ("radam", "newer.radam", 1e-3),
        ("adafactor", "newer.adafactor", 1e-2),
        ("muon", "newer.muon", 0.02),
        ("sparse_adam", "newer.sparse_adam", 1e-3),
    ],
)
def test_each_newer_family_is_offered_marked_and_cited(
    family: str, rule_id: str, lr: float
) -> None:
    result = advice(**UNKNOWN)
    candidate = cand(result, family)
    assert candidate.origin == "newer"
    assert rule_id in fired_for(result, family)
    assert any(item.text.startswith("Newer, not in the seeds") for item in candidate.rationale)
    assert candidate.defaults.lr == lr
    assert "lr" in candidate.search_space
    with pytest.raises(IncompleteRuleBookError, match=family):
        without(rule_id, **UNKNOWN)


def test_newer_families_stand_where_the_evidence_puts_them() -> None:
    result = advice(**UNKNOWN)
    assert rank(result, "nadam") < rank(result, "adagrad")
    assert rank(result, "radam") < rank(result, "adagrad")
    assert rank(result, "adagrad") < rank(result, "adafactor") < rank(result, "muon")


def test_sparse_adam_ranks_last_for_dense_models() -> None:
    assert advice(**UNKNOWN).candidates[-1].optimizer.value == "sparse_adam"


def test_newer_families_rank_below_the_seeds_choice_for_an_unknown_task() -> None:
    result = advice(**UNKNOWN)
    assert {c.optimizer for c in result.candidates[:3]}.isdisjoint(NEWER_FAMILIES)


def test_muon_keeps_other_parameters_on_adamw() -> None:
    groups = {g.name: g for g in cand(advice(**UNKNOWN), "muon").param_groups}
    assert groups["muon_hidden_matrices"].settings["optimizer"] == "adamw"
    assert default(advice(**UNKNOWN), "muon", "momentum") == 0.95


def test_sparse_adam_is_never_searched_on_its_own() -> None:
    big_budget = advice(**UNKNOWN, budget_trials=200, sparse_features=True)
    assert len(portfolio(big_budget)) == 6
    assert "sparse_adam" not in portfolio(big_budget)
    assert "newer.sparse_adam" in fired_for(big_budget, "sparse_adam")


def test_muon_earns_a_place_for_large_transformer_pretraining() -> None:
    result = advice(**PRETRAIN_7B)
    assert "newer.muon_for_transformer_pretraining" in fired_for(result, "muon")
    assert rank(result, "muon") < rank(
        without("newer.muon_for_transformer_pretraining", **PRETRAIN_7B), "muon"
    )
    fine_tuning = advice(**(PRETRAIN_7B | {"regime": "fine_tuning"}))
    assert "newer.muon_for_transformer_pretraining" not in fired_for(fine_tuning, "muon")


def test_adafactor_rises_when_memory_binds() -> None:
    result = advice(**PRETRAIN_7B)
    assert "newer.adafactor_when_memory_bound" in fired_for(result, "adafactor")
    assert rank(result, "adafactor") <= 4
    ablated = without("newer.adafactor_when_memory_bound", **PRETRAIN_7B)
    assert cand(ablated, "adafactor").score < cand(result, "adafactor").score
