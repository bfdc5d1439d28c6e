"""Matching vocabulary tables: Latin word edges, and longest-match-wins on overlaps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.text.folding import fold
from advisor.text.patterns import Matcher, en, find_entries, zh


@dataclass(frozen=True)
class Word:
    pattern: Matcher
    name: str


def found(text: str, *words: Word) -> list[tuple[str, str]]:
    folded = fold(text)
    return [(hit.entry.name, folded.words(hit.span)) for hit in find_entries(folded, words)]


def test_english_words_match_whole_words_only_with_an_optional_plural() -> None:
    gan = Word(en("gan"), "gan")
    assert found("GANs and organs; a gan", gan) == [("gan", "GANs"), ("gan", "gan")]


def test_english_words_match_beside_chinese_characters() -> None:
    assert found("用LSTM预测", Word(en("lstm"), "lstm")) == [("lstm", "LSTM")]


def test_chinese_words_need_no_edges() -> None:
    assert found("用卷积网络", Word(zh("卷积"), "conv")) == [("conv", "卷积")]


def test_the_longest_of_overlapping_matches_wins() -> None:
    words = (Word(en("transformer"), "generic"), Word(en("vision transformer"), "vit"))
    assert found("a vision transformer", *words) == [("vit", "vision transformer")]


def test_a_word_start_inside_a_rejected_match_is_still_found() -> None:
    words = (Word(en("ab ab"), "pair"),)
    assert found("xab ab ab", *words) == [("pair", "ab ab")]


def test_plain_compiled_patterns_are_matchers_too() -> None:
    assert found("loss 不降", Word(re.compile("不降"), "flat")) == [("flat", "不降")]
