"""What goes wrong in training: every symptom the text affirms, in order of first mention.
Negated mentions ("no overfitting", "没有过拟合") are dropped."""

from __future__ import annotations

from advisor.task import Symptom
from advisor.text.cues import SYMPTOM_CUES
from advisor.text.extractors.base import Finding, Findings, Scan, affirmed_cues


def read_symptoms(scan: Scan) -> Findings:
    hits = affirmed_cues(scan.text, SYMPTOM_CUES)
    if not hits:
        return {}
    symptoms: tuple[Symptom, ...] = tuple(dict.fromkeys(hit.entry.value for hit in hits))
    return {"symptoms": Finding(symptoms, tuple(hit.span for hit in hits))}
