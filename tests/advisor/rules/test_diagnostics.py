"""diagnostics.*: the lr finder and the beginner's pitfalls."""

from __future__ import annotations

from tests.advisor.helpers import advice, note_rules, notes_text


def test_the_lr_finder_is_suggested_for_lr_symptoms_and_tiny_budgets() -> None:
    for task in (
        {"domain": "other", "symptoms": ["slow_convergence"]},
        {"domain": "other", "budget_trials": 5},
    ):
        result = advice(**task)
        assert "diagnostics.lr_finder" in note_rules(result)
        assert "1e-07" in notes_text(result) and "to 10" in notes_text(result)
        assert "100 steps" in notes_text(result)
    assert "diagnostics.lr_finder" not in note_rules(advice(domain="vision", architecture="resnet"))


def test_pitfalls_are_pointed_out_when_training_misbehaves_or_nothing_is_known() -> None:
    result = advice(domain="other", symptoms=["loss_not_decreasing"])
    assert "diagnostics.pitfalls" in note_rules(result)
    assert "zero_grad()" in notes_text(result) and "before step()" in notes_text(result)
    assert "diagnostics.pitfalls" in note_rules(advice(description="something", domain=None))
    assert "diagnostics.pitfalls" not in note_rules(advice(domain="vision", architecture="resnet"))
