"""What every extractor shares: the scan it reads, the findings it returns, negation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from advisor.task import Architecture, CurrentConfig, Domain, Priority, Regime, Symptom
from advisor.text.cues import NEGATED_AFTER, NEGATED_BEFORE, QUESTION_FORMS, Cue, ValueT
from advisor.text.folding import FoldedText, Span
from advisor.text.patterns import Hit, find_entries
from advisor.text.terms import SubjectTerm

FieldValue = Domain | Architecture | Regime | Priority | bool | int | float | tuple[Symptom, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A value for one TextReading field and the spans of text that say it."""

    value: FieldValue | CurrentConfig
    spans: tuple[Span, ...]


#: TextReading field name → what the text says about it.
Findings = dict[str, Finding]


@dataclass(frozen=True, slots=True)
class Scan:
    """The folded text, and what more than one extractor needs from it (found once)."""

    text: FoldedText
    #: Domain, architecture, model and data set words, in text order.
    subjects: tuple[Hit[SubjectTerm], ...]


Extractor = Callable[[Scan], Findings]


def is_negated(text: FoldedText, span: Span) -> bool:
    """True when the clause around ``span`` denies it: "no overfitting", "没有过拟合",
    "overfitting is not an issue". Questions ("是不是过拟合") are not denials."""
    before = QUESTION_FORMS.sub(" ", text.clause_before(span.start))
    if NEGATED_BEFORE.search(before):
        return True
    return NEGATED_AFTER.match(text.clause_after(span.end)) is not None


def affirmed_cues(text: FoldedText, cues: tuple[Cue[ValueT], ...]) -> list[Hit[Cue[ValueT]]]:
    """The cues of a table found in the text and not negated, in text order."""
    return [hit for hit in find_entries(text, cues) if not is_negated(text, hit.span)]
