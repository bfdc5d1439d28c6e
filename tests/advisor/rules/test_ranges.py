"""ranges.*: the seeds' lr ranges and tuning order."""

from __future__ import annotations

import pytest

from advisor.rules import IncompleteRuleBookError
from tests.advisor.helpers import advice, bounds, default, note_rules, notes_text, without

UNKNOWN = {"domain": "other"}


def test_seed_lr_ranges_hold_the_seeds_ranges_and_start_values() -> None:
    result = advice(**UNKNOWN)
    low, high = bounds(result, "sgd", "lr")
    assert low <= 0.01 and high >= 0.1 and default(result, "sgd", "lr") == 0.1
    low, high = bounds(result, "adam", "lr")
    assert low <= 1e-4 and high >= 1e-3 and default(result, "adam", "lr") == 1e-3
    assert bounds(result, "adagrad", "lr") == (1e-3, 0.1)
    assert all(getattr(c.search_space["lr"], "log", False) for c in result.candidates)
    with pytest.raises(IncompleteRuleBookError, match="sgd"):
        without("ranges.seed_lr_ranges", **UNKNOWN)


def test_tuning_order_puts_lr_first_then_batch_size() -> None:
    result = advice(**UNKNOWN)
    assert "ranges.tuning_order" in note_rules(result)
    assert "learning rate first" in notes_text(result)
    assert "32–128" in notes_text(result) and "256–1024" in notes_text(result)
    assert result.search.tuned_params[0] == "lr"
