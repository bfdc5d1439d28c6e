"""Numbers as people write them, digits and Chinese numerals."""

from __future__ import annotations

import pytest

from advisor.text.folding import Span, fold
from advisor.text.numbers import Quantity, find_quantities, han_numeral


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("三千", 3_000),
        ("两千", 2_000),
        ("十万", 100_000),
        ("一百", 100),
        ("一千二百万", 12_000_000),
        ("一亿五千万", 150_000_000),
        ("三千零五", 3_005),
    ],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert han_numeral(numeral) == value


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1.28M", [(1_280_000, "m")]),
        ("1,281,167", [(1_281_167, None)]),
        ("1e5", [(100_000, None)]),
        ("3e-4", [(3e-4, None)]),
        ("1.5 billion", [(1_500_000_000, "billion")]),
        ("7B", [(7_000_000_000, "b")]),
        ("50k", [(50_000, "k")]),
        ("5万", [(50_000, "万")]),
        ("1.2亿", [(120_000_000, "亿")]),
        ("5千万", [(50_000_000, "千万")]),
        ("三千", [(3_000, "千")]),
        ("１２８", [(128, None)]),  # full-width digits
        ("128，100", [(128, None), (100, None)]),  # a Chinese comma separates two numbers
        ("一直三条", []),  # numerals without 十百千万亿 are words, not counts
        ("resnet50 v1.5", []),  # digits glued to a word are part of it
    ],
)
def test_numbers_and_their_scales(text: str, values: list[tuple[float, str | None]]) -> None:
    found = list(find_quantities(fold(text)))
    assert [q.value for q in found] == pytest.approx([value for value, _ in values])
    assert [q.scale for q in found] == [scale for _, scale in values]


@pytest.mark.parametrize(
    ("value", "count"),
    [(128.0, 128), (1e5, 100_000), (2.6, 3), (0.5, None), (float("inf"), None)],
)
def test_a_quantity_counts_when_it_is_a_finite_number_of_at_least_one(
    value: float, count: int | None
) -> None:
    assert Quantity(value=value, span=Span(0, 1), scale=None).as_count() == count


def test_huge_numbers_do_not_overflow() -> None:
    found = list(find_quantities(fold("1e999 " + "9" * 500 + " 一" + "亿" * 11)))
    assert [q.as_count() for q in found[:2]] == [None, None]
    assert found[2].value == pytest.approx(1e88)
