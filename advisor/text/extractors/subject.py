"""Domain and architecture, and the sizes known model and data set names imply.

Precedence: the heaviest word wins on each axis, ties going to the earliest (see ``terms`` for
the weights). Then two deliberate readings of ambiguous words:

- a generic "Transformer" in a vision task is a Vision Transformer;
- an RNN (said, or implied by a model name such as DeepSpeech2) built of LSTM or GRU layers
  the text names is that kind of RNN ("DeepSpeech2 with 5 LSTM layers" is an LSTM);
- bare "推荐"/"recommend" means a recommender only beside embeddings or ID features.

A data set named as what a model was pre-trained on ("ImageNet-pretrained ResNet") implies no
training-set size: the person trains on something else.
"""

from __future__ import annotations

import re

from advisor.task import Architecture, Domain
from advisor.text.extractors.base import Finding, Findings, Scan
from advisor.text.folding import FoldedText, Span
from advisor.text.patterns import Hit
from advisor.text.terms import SubjectTerm, Weight

#: "pretrained on ImageNet", "ImageNet-pretrained", "ImageNet weights", "在ImageNet上预训练的".
_PRETRAINED_BEFORE = re.compile(r"pre-?trained (?:on|with|using)(?: the)?\s*$")
_PRETRAINED_AFTER = re.compile(
    r"[\s-]*(?:pre-?trained|weights|上?预训练(?:好)?的|上?预训练(?:权重|模型))"
)

SubjectHit = Hit[SubjectTerm]

#: The kinds of RNN the architecture field names more exactly than "rnn".
_GATED_RNNS = (Architecture.LSTM, Architecture.GRU)


def _heaviest(hits: list[tuple[Weight, SubjectHit]]) -> SubjectHit | None:
    weighed = [(weight, -hit.span.start, index) for index, (weight, hit) in enumerate(hits)]
    if not weighed:
        return None
    _, _, index = max(weighed)
    return hits[index][1]


def _recsys_context(hits: tuple[SubjectHit, ...]) -> bool:
    return any(
        hit.entry.architecture is Architecture.EMBEDDING
        or (hit.entry.domain is Domain.RECSYS and not hit.entry.recsys_only_in_context)
        for hit in hits
    )


def _domain_hit(hits: tuple[SubjectHit, ...]) -> SubjectHit | None:
    in_context = _recsys_context(hits)
    return _heaviest(
        [
            (hit.entry.domain_weight, hit)
            for hit in hits
            if hit.entry.domain is not None
            and hit.entry.domain_weight > Weight.NONE
            and (in_context or not hit.entry.recsys_only_in_context)
        ]
    )


def _architecture_hit(hits: tuple[SubjectHit, ...]) -> SubjectHit | None:
    return _heaviest(
        [
            (hit.entry.architecture_weight, hit)
            for hit in hits
            if hit.entry.architecture is not None and hit.entry.architecture_weight > Weight.NONE
        ]
    )


def _pretrained_on(text: FoldedText, hit: SubjectHit) -> bool:
    if _PRETRAINED_BEFORE.search(text.clause_before(hit.span.start)):
        return True
    return _PRETRAINED_AFTER.match(text.folded, hit.span.end) is not None


def read_subject(scan: Scan) -> Findings:
    findings: Findings = {}
    hits = scan.subjects
    domain_hit = _domain_hit(hits)
    if domain_hit is not None and domain_hit.entry.domain is not None:
        findings["domain"] = Finding(domain_hit.entry.domain, (domain_hit.span,))

    arch_hit = _architecture_hit(hits)
    if arch_hit is not None and arch_hit.entry.architecture is not None:
        architecture = arch_hit.entry.architecture
        spans: tuple[Span, ...] = (arch_hit.span,)
        generic_transformer = (
            architecture is Architecture.TRANSFORMER
            and arch_hit.entry.architecture_weight is Weight.MID
        )
        if generic_transformer and domain_hit and domain_hit.entry.domain is Domain.VISION:
            architecture = Architecture.VIT
            spans = (arch_hit.span, domain_hit.span)
        if architecture is Architecture.RNN:
            gated = next((hit for hit in hits if hit.entry.architecture in _GATED_RNNS), None)
            if gated is not None and gated.entry.architecture is not None:
                architecture = gated.entry.architecture
                spans = (arch_hit.span, gated.span)
        findings["architecture"] = Finding(architecture, spans)

    for hit in hits:
        if hit.entry.model_params is not None:
            findings["model_params"] = Finding(hit.entry.model_params, (hit.span,))
            break
    for hit in hits:
        if hit.entry.dataset_size is not None and not _pretrained_on(scan.text, hit):
            findings["dataset_size"] = Finding(hit.entry.dataset_size, (hit.span,))
            break
    return findings
