"""The reader as a pipeline: fold the text, scan its names once, run the extractors, merge.

Precedence, all in one place:

1. Stated numbers beat sizes implied by model or data set names ("BERT-base on 5k reviews" has
   dataset_size 5000 and the 110M parameters BERT-base implies).
2. For one number, a keyword before it beats a unit word after it ("batch size 256 images").
3. Among statements for one field, the first in the text wins; for the batch, a whole one
   ("effective batch 2048") beats a per-device or micro batch, and a per-device batch is
   multiplied by the devices and the gradient accumulation the text states.
4. Domain and architecture: the heaviest word wins (``terms``); "Transformer" in a vision task
   is a ViT; bare "推荐" means recommender only beside embeddings or IDs.
5. Negated cues say nothing, except "no sparse features", which says False.
6. Equal-weight cues that disagree (regime) leave the field unset.
7. A value outside what a TaskDescription accepts is dropped, so whatever the reader returns
   can be put into a TaskDescription.
8. Limits per run: where several are stated, the tightest binds; a duration said of the whole
   search or of one epoch is no run's limit (``extractors.limits``).
"""

from __future__ import annotations

from pydantic import ValidationError

from advisor.task import TaskDescription
from advisor.text.extractors import EXTRACTORS, Findings, Scan
from advisor.text.folding import FoldedText, fold
from advisor.text.known import KNOWN_DATASETS, KNOWN_MODELS
from advisor.text.language import detect_language
from advisor.text.patterns import find_entries
from advisor.text.reading import TextReading
from advisor.text.terms import ARCHITECTURE_WORDS, DOMAIN_WORDS

_SUBJECT_VOCABULARY = (*ARCHITECTURE_WORDS, *KNOWN_MODELS, *KNOWN_DATASETS, *DOMAIN_WORDS)


def _fits_a_task(field: str, value: object) -> bool:
    """Whether a TaskDescription accepts ``value`` for ``field`` (its bounds are the contract)."""
    try:
        TaskDescription.model_validate({"description": "-", field: value})
    except ValidationError:
        return False
    return True


def _merge(text: FoldedText, findings: Findings) -> TextReading:
    values = {field: finding.value for field, finding in findings.items()}
    evidence = {field: text.quote(finding.spans) for field, finding in findings.items()}
    return TextReading.model_validate(
        {**values, "evidence": evidence, "language": detect_language(text.original)}
    )


def read(description: str) -> TextReading:
    text = fold(description)
    scan = Scan(text=text, subjects=tuple(find_entries(text, _SUBJECT_VOCABULARY)))
    merged: Findings = {}
    for extract in EXTRACTORS:
        for field, finding in extract(scan).items():
            if field not in merged and _fits_a_task(field, finding.value):
                merged[field] = finding
    return _merge(text, merged)
