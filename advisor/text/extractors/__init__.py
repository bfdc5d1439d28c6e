"""The extractor family: each reads one group of TextReading fields from a Scan."""

from advisor.text.extractors.base import Extractor, Finding, Findings, Scan
from advisor.text.extractors.current import read_current
from advisor.text.extractors.intent import read_intent
from advisor.text.extractors.limits import read_limits
from advisor.text.extractors.quantities import read_quantities
from advisor.text.extractors.subject import read_subject
from advisor.text.extractors.symptoms import read_symptoms

#: In precedence order: where two set the same field, the earlier wins. Stated numbers come
#: before the sizes that model and data set names imply.
EXTRACTORS: tuple[Extractor, ...] = (
    read_quantities,
    read_subject,
    read_intent,
    read_symptoms,
    read_current,
    read_limits,
)

__all__ = ["EXTRACTORS", "Extractor", "Finding", "Findings", "Scan"]
