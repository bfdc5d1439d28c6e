"""From a family's draft to a ranked ``Candidate``: score, ready config, search space, groups."""

from __future__ import annotations

import math

from advisor.advice import Candidate, ParamGroupAdvice, Range
from advisor.config import TrainConfig
from advisor.draft import FamilyDraft
from advisor.families import SEED_FAMILIES, OptimizerName, ParamName
from advisor.rules.base import LOG_SCALED
from advisor.rules.book import IncompleteRuleBookError
from advisor.task import NormalisedTask

#: Ties in score are broken by this fixed order: the seeds' families first, simplest first.
TIE_ORDER: tuple[OptimizerName, ...] = tuple(OptimizerName)
#: Score points map to 0..1 through a logistic curve centred here (points ≈ the seeds' base
#: standing of a solid default), so every rule's points move the score without clipping.
SCORE_CENTRE = 1.5
SCORE_DIGITS = 4


def score_of(points: float) -> float:
    return round(1 / (1 + math.exp(SCORE_CENTRE - points)), SCORE_DIGITS)


def rank_key(candidate: Candidate) -> tuple[float, int]:
    return -candidate.score, TIE_ORDER.index(candidate.optimizer)


def _derived_groups(draft: FamilyDraft) -> tuple[ParamGroupAdvice, ...]:
    """Groups that follow from the ready config, so config and advice never disagree."""
    config, groups = draft.config, []
    lr_draft = draft.params.get(ParamName.LR)
    lr = lr_draft.default if lr_draft else None
    if config.backbone_lr_ratio is not None:
        ratio = config.backbone_lr_ratio
        split = ratio < 1
        groups.append(
            ParamGroupAdvice(
                name="backbone" if split else "one_lr",
                applies_to=(
                    "the pretrained backbone; the new head trains at the full lr"
                    if split
                    else "all layers, pretrained and new, at one lr"
                ),
                settings={"lr_ratio": ratio} | ({"lr": lr * ratio} if lr else {}),
                rule=config.set_by["backbone_lr_ratio"],
            )
        )
    if config.sparse_optimizer is not None:
        settings: dict[str, float | str] = {"optimizer": config.sparse_optimizer.value}
        if config.sparse_lr is not None:
            settings["lr"] = config.sparse_lr
        groups.append(
            ParamGroupAdvice(
                name="sparse_embeddings",
                applies_to="sparse embedding tables (nn.Embedding(sparse=True))",
                settings=settings,
                rule=config.set_by["sparse_optimizer"],
            )
        )
    return tuple(groups)


def build_candidate(task: NormalisedTask, draft: FamilyDraft) -> Candidate:
    family = draft.family
    lr = draft.params.get(ParamName.LR)
    if lr is None or lr.default is None:
        raise IncompleteRuleBookError(
            f"no rule gives {family.value} a learning rate; every family needs one "
            "(see advisor.rules.ranges and advisor.rules.newer)"
        )
    params = [(p, draft.params[p]) for p in ParamName if p in draft.params]
    space = {
        p.value: Range(low=d.low, high=d.high, log=p in LOG_SCALED)
        for p, d in params
        if d.low is not None and d.high is not None
    }
    config = draft.config
    sparse = config.sparse_lr_range
    if config.sparse_optimizer is not None and sparse and sparse.low and sparse.high:
        # The embedding group's own lr, searched like the dense lr (TrainConfig.sparse_lr).
        space["sparse_lr"] = Range(low=sparse.low, high=sparse.high, log=True)
    defaults = TrainConfig.model_validate(
        {
            "optimizer": family,
            "schedule": draft.schedule,
            "grad_clip_norm": config.grad_clip_norm,
            "backbone_lr_ratio": config.backbone_lr_ratio,
            "sparse_optimizer": config.sparse_optimizer,
            "sparse_lr": config.sparse_lr,
            "batch_size": task.batch_size,
        }
        | {p.value: d.default for p, d in params if d.default is not None}
    )
    return Candidate(
        optimizer=family,
        score=score_of(draft.points),
        origin="seed" if family in SEED_FAMILIES else "newer",
        defaults=defaults,
        search_space=space,
        schedule=draft.schedule,
        param_groups=(*draft.groups.values(), *_derived_groups(draft)),
        rationale=tuple(draft.rationale),
    )
