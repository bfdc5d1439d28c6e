"""Scores and ready configs."""

from __future__ import annotations

import pytest

from advisor.candidates import SCORE_CENTRE, score_of
from advisor.rules import IncompleteRuleBookError
from tests.advisor.helpers import advice, without


def test_scores_rise_with_points_and_stay_inside_0_1() -> None:
    points = [-50.0, -2.0, 0.0, SCORE_CENTRE, 3.0, 50.0]
    scores = [score_of(p) for p in points]
    assert scores == sorted(scores)
    assert all(0 <= s <= 1 for s in scores)
    assert score_of(SCORE_CENTRE) == 0.5


def test_the_ready_config_carries_the_batch_size_the_lr_was_scaled_for() -> None:
    result = advice(domain="vision", architecture="resnet", batch_size=512)
    assert result.best().defaults.batch_size == 512


def test_a_book_that_leaves_a_family_without_an_lr_is_refused_with_a_reason() -> None:
    with pytest.raises(IncompleteRuleBookError, match="no rule gives sgd a learning rate"):
        without("ranges.seed_lr_ranges", domain="other")
