"""Building tasks and reading advice in the advisor's tests.

Tests give structured fields, so they do not depend on the free-text reader: the advisor here
reads no text. Nor does it consult the recipe corpus: these helpers test the rule book alone (the
prior), whose behaviour must not shift each time a record is added; the corpus layer on top is
specified in tests/advisor/corpus. ``without`` runs the same task with rules removed, which
shows what they change.
"""

from __future__ import annotations

from typing import Any

from advisor import Advice, Candidate, OptimizerName, TaskDescription
from advisor.engine import Advisor
from advisor.rules import RULEBOOK, RuleBook
from advisor.text import TextReading


def reads_nothing(text: str) -> TextReading:
    return TextReading()


def advise_with(book: RuleBook, **fields: Any) -> Advice:
    return Advisor(book, reader=reads_nothing, corpus=()).advise(TaskDescription(**fields))


def advice(**fields: Any) -> Advice:
    return advise_with(RULEBOOK, **fields)


def without(rule_ids: str | tuple[str, ...], **fields: Any) -> Advice:
    ids = (rule_ids,) if isinstance(rule_ids, str) else rule_ids
    return advise_with(RULEBOOK.without(*ids), **fields)


def cand(result: Advice, family: str) -> Candidate:
    found = result.candidate(OptimizerName(family))
    assert found is not None, f"{family} is not among the candidates"
    return found


def rank(result: Advice, family: str) -> int:
    """1 for the best candidate."""
    return [c.optimizer.value for c in result.candidates].index(family) + 1


def order(result: Advice) -> list[str]:
    return [c.optimizer.value for c in result.candidates]


def fired_for(result: Advice, family: str) -> list[str]:
    return [item.rule for item in cand(result, family).rationale]


def note_rules(result: Advice) -> list[str]:
    return [note.rule for note in result.notes]


def notes_text(result: Advice) -> str:
    return "\n".join(note.text for note in result.notes)


def default(result: Advice, family: str, param: str) -> float | None:
    return cand(result, family).defaults.hyperparameters().get(param)


def bounds(result: Advice, family: str, param: str) -> tuple[float, float]:
    dimension = cand(result, family).search_space[param]
    low, high = getattr(dimension, "low", None), getattr(dimension, "high", None)
    assert low is not None and high is not None, f"{family}.{param} is not a range"
    return low, high


def portfolio(result: Advice) -> list[str]:
    return [f.value for f in result.search.families]
