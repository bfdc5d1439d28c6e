"""How the person trains and what they want: regime, sparse ID features, priority.

Precedence: negated cues are dropped ("no sparse features" says sparse_features is False).
Regime: the heaviest cue wins; cues of equal weight that disagree leave the regime unset
("fine-tune or train from scratch?"). Priority: a balanced cue, or cues for both speed and
final quality, read as balanced; otherwise the one priority the text names.
"""

from __future__ import annotations

from advisor.task import Priority, Regime
from advisor.text.cues import PRIORITY_CUES, REGIME_CUES, SPARSE_CUES
from advisor.text.extractors.base import Finding, Findings, Scan, affirmed_cues, is_negated
from advisor.text.patterns import find_entries


def _regime(scan: Scan) -> Finding | None:
    hits = affirmed_cues(scan.text, REGIME_CUES)
    if not hits:
        return None
    heaviest = max(hit.entry.weight for hit in hits)
    strongest = [hit for hit in hits if hit.entry.weight == heaviest]
    regimes: set[Regime] = {hit.entry.value for hit in strongest}
    if len(regimes) != 1:
        return None
    return Finding(regimes.pop(), tuple(hit.span for hit in strongest))


def _sparse(scan: Scan) -> Finding | None:
    hits = find_entries(scan.text, SPARSE_CUES)
    affirmed = [hit for hit in hits if not is_negated(scan.text, hit.span)]
    if affirmed:
        return Finding(True, tuple(hit.span for hit in affirmed))
    if hits:
        return Finding(False, tuple(hit.span for hit in hits))
    return None


def _priority(scan: Scan) -> Finding | None:
    hits = affirmed_cues(scan.text, PRIORITY_CUES)
    said = {hit.entry.value for hit in hits}
    both = {Priority.FAST_CONVERGENCE, Priority.BEST_GENERALIZATION} <= said
    if Priority.BALANCED in said or both:
        return Finding(Priority.BALANCED, tuple(hit.span for hit in hits))
    if said:
        return Finding(said.pop(), tuple(hit.span for hit in hits))
    return None


def read_intent(scan: Scan) -> Findings:
    found = {"regime": _regime(scan), "sparse_features": _sparse(scan), "priority": _priority(scan)}
    return {field: finding for field, finding in found.items() if finding is not None}
