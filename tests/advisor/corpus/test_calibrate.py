"""The corpus layer: the rules are the prior, similar published recipes sharpen it.

One recipe never overturns the rules' order; several agreeing ones move it. Ranges widen to
cover the published values, within their caps, respecting how each family couples its weight
decay. Dissimilar recipes change nothing. Every change is cited with the recipes' addresses.
"""

from __future__ import annotations

import math
from typing import Any

from advisor import Advice, Range, TaskDescription
from advisor.corpus import Recipe
from advisor.corpus.calibrate import LONE_POINTS, LR_DECADES, RULE_ID, WD_DECADES
from advisor.corpus.similarity import RecipeIndex
from advisor.engine import Advisor
from tests.advisor.corpus.make import recipe
from tests.advisor.helpers import cand, order, reads_nothing

RESNET: dict[str, Any] = {"domain": "vision", "architecture": "resnet", "regime": "from_scratch"}


def advise(recipes: list[Recipe], **fields: Any) -> Advice:
    index = RecipeIndex.build(recipes, reads_nothing)
    advisor = Advisor(reader=reads_nothing, corpus=index)
    return advisor.advise(TaskDescription(**fields))


def rules_only(**fields: Any) -> Advice:
    return advise([], **fields)


def lr_range(result: Advice, family: str, name: str = "lr") -> Range:
    dimension = cand(result, family).search_space[name]
    assert isinstance(dimension, Range)
    return dimension


def corpus_items(result: Advice, family: str) -> list[str]:
    return [r.text for r in cand(result, family).rationale if r.rule == RULE_ID]


def test_without_similar_recipes_nothing_changes() -> None:
    unlike = [recipe(f"lm-{i}", "adamw", 3e-4, domain="nlp", architecture="lstm") for i in range(5)]
    with_unlike = advise(unlike, **RESNET)
    assert with_unlike.candidates == rules_only(**RESNET).candidates


def _points(score: float) -> float:
    """The score's points, back from 0..1 (the inverse of the logistic squash)."""
    return math.log(score / (1 - score))


def test_one_recipe_never_overturns_the_rules_order() -> None:
    before = rules_only(**RESNET)
    after = advise([recipe("one", "adamw", 1e-3, **RESNET)], **RESNET)
    assert order(after)[:2] == order(before)[:2] == ["momentum", "nesterov"]
    moved = _points(cand(after, "adamw").score) - _points(cand(before, "adamw").score)
    assert 0 < moved <= LONE_POINTS + 1e-3


def test_several_agreeing_recipes_move_the_order() -> None:
    agreeing = [recipe(f"conv-{i}", "adamw", 4e-3, **RESNET) for i in range(4)]
    result = advise(agreeing, **RESNET)
    assert "adamw" in order(result)[:2]
    assert any("4 similar published recipes use adamw" in t for t in corpus_items(result, "adamw"))


def test_ranges_widen_to_cover_the_published_values_and_defaults_follow_them() -> None:
    published = [recipe(f"big-batch-{i}", "momentum", 3.2, **RESNET) for i in range(3)]
    before, after = rules_only(**RESNET), advise(published, **RESNET)
    assert not lr_range(before, "momentum").contains(3.2)
    assert lr_range(after, "momentum").contains(3.2)
    assert cand(after, "momentum").defaults.lr > cand(before, "momentum").defaults.lr


def test_an_lr_range_spans_at_most_its_cap_and_keeps_most_of_the_evidence() -> None:
    scattered = [
        recipe("tiny-a", "adam", 1e-7, **RESNET),
        recipe("huge-a", "adam", 0.5, **RESNET),
        recipe("huge-b", "adam", 0.6, **RESNET),
    ]
    result = advise(scattered, **RESNET)
    for candidate in result.candidates:
        dimension = candidate.search_space["lr"]
        assert isinstance(dimension, Range)
        assert math.log10(dimension.high / dimension.low) <= LR_DECADES + 1e-9
    adam = lr_range(result, "adam")
    assert adam.contains(0.5) and adam.contains(0.6) and not adam.contains(1e-7)


def test_weight_decay_follows_recipes_of_the_same_coupling_only() -> None:
    decoupled = [recipe(f"dec-{i}", "adamw", 1e-3, weight_decay=0.9, **RESNET) for i in range(3)]
    result, before = advise(decoupled, **RESNET), rules_only(**RESNET)
    assert lr_range(result, "adamw", "weight_decay").contains(0.9)
    assert lr_range(result, "momentum", "weight_decay") == lr_range(
        before, "momentum", "weight_decay"
    )
    coupled = [recipe(f"l2-{i}", "momentum", 0.1, weight_decay=5e-3, **RESNET) for i in range(3)]
    result = advise(coupled, **RESNET)
    assert lr_range(result, "momentum", "weight_decay").contains(5e-3)
    assert lr_range(result, "adamw", "weight_decay") == lr_range(before, "adamw", "weight_decay")


def test_a_published_zero_decay_pulls_the_range_down_within_its_cap() -> None:
    zero = [recipe(f"zero-{i}", "adamw", 1e-3, weight_decay=0.0, **RESNET) for i in range(3)]
    result = advise(zero, **RESNET)
    decay = lr_range(result, "adamw", "weight_decay")
    assert decay.low <= 1e-4 and math.log10(decay.high / decay.low) <= WD_DECADES + 1e-9


def test_every_change_is_cited_with_the_recipes_addresses() -> None:
    published = [recipe(f"cited-{i}", "momentum", 3.2, **RESNET) for i in range(2)]
    item = next(
        r for r in cand(advise(published, **RESNET), "momentum").rationale if r.rule == RULE_ID
    )
    assert "https://example.org/cited-0" in item.source and "cited-1" in item.text
    assert "lr 0.01..0.3 →" in item.text


def test_a_persons_current_config_keeps_the_defaults() -> None:
    published = [recipe(f"big-{i}", "momentum", 3.2, **RESNET) for i in range(3)]
    current = {"current": {"optimizer": "momentum", "lr": 0.05}}
    result = advise(published, **RESNET, **current)
    assert (
        cand(result, "momentum").defaults.lr
        == cand(rules_only(**RESNET, **current), "momentum").defaults.lr
    )


def test_advice_shows_the_three_nearest_recipes_with_their_citations() -> None:
    published = [recipe(f"shown-{i}", "momentum", 0.1, batch_size=2**i, **RESNET) for i in range(5)]
    result = advise(published, **RESNET, batch_size=16)
    assert [e.id for e in result.evidence] == ["shown-4", "shown-3", "shown-2"]
    assert result.evidence[0].citation.url == "https://example.org/shown-4"
    assert all(0 < e.similarity <= 1 for e in result.evidence)


def test_advice_stored_before_the_corpus_still_validates() -> None:
    stored = rules_only(**RESNET).model_dump(mode="json")
    del stored["evidence"]
    assert Advice.model_validate(stored).evidence == ()


def test_published_sgd_lrs_are_read_at_the_tasks_batch() -> None:
    # 0.5 at batch 1024 is 0.03 at batch 64: a small-batch task must not be told to try 0.5.
    big_batch = [recipe(f"big-{i}", "momentum", 0.5, batch_size=1024, **RESNET) for i in range(3)]
    result = advise(big_batch, **RESNET, batch_size=64)
    assert lr_range(result, "momentum").high < 0.5
    assert lr_range(result, "momentum").contains(0.5 * 64 / 1024)
    same_batch = advise(big_batch, **RESNET, batch_size=1024)
    assert lr_range(same_batch, "momentum").contains(0.5)


def test_a_small_batch_recipe_is_never_read_at_a_higher_lr_for_a_larger_batch() -> None:
    # Plain SGD at lr 30 with batch 20 (an LSTM language model) says nothing about lr 96 at
    # batch 64: nobody published that, and it diverges first.
    small_batch = [recipe(f"small-{i}", "sgd", 30.0, batch_size=20, **RESNET) for i in range(3)]
    result = advise(small_batch, **RESNET, batch_size=64)
    assert lr_range(result, "sgd").contains(30.0)
    assert lr_range(result, "sgd").high <= 30.0 * 2.0  # the headroom, not the batch ratio


def test_plain_sgd_recipes_speak_for_momentum_at_a_tenth_of_their_lr() -> None:
    # Momentum 0.9 steps lr / (1 - 0.9): plain SGD's lr 20 is momentum's 2.
    plain = [recipe(f"plain-{i}", "sgd", 20.0, **RESNET) for i in range(3)]
    momentum = lr_range(advise(plain, **RESNET), "momentum")
    assert momentum.contains(2.0)
    assert momentum.high < 20.0
    with_momentum = [recipe(f"heavy-{i}", "momentum", 0.1, **RESNET) for i in range(3)]
    assert lr_range(advise(with_momentum, **RESNET), "sgd").contains(1.0)
