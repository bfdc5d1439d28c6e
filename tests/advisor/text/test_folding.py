"""Folding keeps every offset: what is found in the folded text quotes the person's words."""

from __future__ import annotations

import pytest

from advisor.text.folding import MAX_CHARS, Span, fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ResNet-50", "resnet-50"),
        ("微調預訓練模型", "微调预训练模型"),  # traditional → simplified
        ("ＢＥＲＴ１２８：", "bert128:"),  # full width → ASCII
        ("doesn’t", "doesn't"),  # curly apostrophe
        ("批大小128，100轮", "批大小128，100轮"),  # the Chinese comma is kept
        ("İstanbul ﬁne", "İstanbul ﬁne"),  # characters that would change length are kept
    ],
)
def test_fold_maps_each_character_to_one(text: str, folded: str) -> None:
    result = fold(text)
    assert result.folded == folded
    assert len(result.folded) == len(result.original)


def test_fold_reads_at_most_the_description_cap() -> None:
    assert len(fold("a" * (MAX_CHARS + 10)).original) == MAX_CHARS


def test_quote_merges_nearby_spans_in_a_sentence_and_joins_far_ones() -> None:
    text = fold("SGD with lr 0.1. Much later in the text, momentum 0.9")
    sgd, lr = Span(0, 3), Span(9, 15)
    momentum = Span(text.folded.index("momentum"), len(text.folded))
    assert text.quote([lr, sgd]) == "SGD with lr 0.1"
    assert text.quote([lr, momentum]) == "lr 0.1; momentum 0.9"
    assert text.quote([]) == ""


def test_a_clause_ends_at_punctuation_and_conjunctions() -> None:
    text = fold("no overfitting, but the loss oscillates")
    assert text.clause_before(text.folded.index("oscillates")) == " the loss "
    assert text.clause_after(3) == "overfitting"
