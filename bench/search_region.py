"""Does the advised space hold the best region an uninformed search finds?

For each uninformed study's final best config: is its family among the searched families,
and its lr and weight decay inside that family's advised ranges? A weight decay below the
advised low counts as inside (the range's bottom already stands for "almost none"); only one
above the high is fenced off. A config outside the space matters when it also beats what the
advised arm ended with by more than half the seed noise (the median spread of one config over
the re-evaluation seeds; a median of 5 seeds moves by about a quarter of that spread from seed
luck alone): then advice fenced off a better region.

Values the advice fixes rather than searches (the schedule; the sparse embeddings' optimizer
and lr) count too when the uninformed config trained with others: a better result there is
fenced off just the same, by a value no advised trial can change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advisor import Advice, Range, TrainConfig
from bench.search_arms import SearchTrial
from workers.optim import sparse_family, sparse_lr


def outside(advice: Advice, trial: SearchTrial, sparse: bool = False) -> list[str]:
    """Why the config lies outside the advised space (empty when inside)."""
    config = trial.config
    if config is None:
        return []
    if config.optimizer not in advice.search.families:
        names = ", ".join(f.value for f in advice.search.families)
        return [f"family {config.optimizer.value} not searched ({names})"]
    candidate = advice.candidate(config.optimizer)
    if candidate is None:  # searched families always have a candidate
        return [f"no candidate for {config.optimizer.value}"]
    reasons = []
    lr = candidate.search_space.get("lr")
    if isinstance(lr, Range) and not lr.low <= config.lr <= lr.high:
        reasons.append(f"lr {config.lr:.3g} outside {lr.low:g}..{lr.high:g}")
    wd = config.weight_decay or 0.0
    decay = candidate.search_space.get("weight_decay")
    if isinstance(decay, Range) and wd > decay.high:
        reasons.append(f"wd {wd:.3g} above {decay.high:g}")
    if decay is None and wd > 0 and "weight_decay" in advice.search.tuned_params:
        reasons.append(f"wd {wd:.3g} where the advice has none")
    searched = candidate.search_space.get("sparse_lr")
    sparse_range = searched if isinstance(searched, Range) else None
    return reasons + fixed_differences(candidate.defaults, config, sparse, sparse_range)


def fixed_differences(
    advised: TrainConfig, found: TrainConfig, sparse: bool, sparse_range: Range | None = None
) -> list[str]:
    """Where the found config trained with values the advice fixes for its family (the sparse
    lr only where the advice does not search it over ``sparse_range``)."""
    reasons = []
    if found.schedule.name is not advised.schedule.name:
        reasons.append(
            f"schedule {found.schedule.name.value} where the advice fixes "
            f"{advised.schedule.name.value}"
        )
    if sparse:
        mine = (sparse_family(found).value, sparse_lr(found))
        theirs = (sparse_family(advised).value, sparse_lr(advised))
        if sparse_range is not None and mine[0] == theirs[0]:
            if not sparse_range.low <= mine[1] <= sparse_range.high:
                reasons.append(
                    f"sparse lr {mine[1]:.3g} outside {sparse_range.low:g}..{sparse_range.high:g}"
                )
        elif mine != theirs:
            reasons.append(
                f"sparse embeddings on {mine[0]} lr {mine[1]:.3g} where the advice fixes "
                f"{theirs[0]} lr {theirs[1]:.3g}"
            )
    return reasons


def region_check(
    advice: Advice,
    finals: Sequence[tuple[SearchTrial | None, float | None]],
    advised_final: float | None,
    minimize: bool,
    *,
    noise: float | None,
    sparse: bool = False,
) -> dict[str, Any]:
    """``finals``: each uninformed study's best trial and its re-evaluated quality."""
    margin = (noise or 0.0) / 2
    configs: list[dict[str, Any]] = []
    lines: list[str] = []
    for trial, quality in finals:
        if trial is None or trial.config is None:
            continue
        why = outside(advice, trial, sparse)
        gain = (
            None
            if quality is None or advised_final is None
            else (advised_final - quality if minimize else quality - advised_final)
        )
        beats = gain is not None and gain > margin
        config = trial.config
        label = f"{config.optimizer.value} lr={config.lr:.3g} wd={config.weight_decay or 0:.3g}"
        shown = "—" if quality is None else f"{quality:.4g}"
        if why:
            if beats:
                verdict = "FENCED OFF, beats advised"
            elif gain is not None and gain > 0:
                verdict = "outside, better than advised only within noise"
            else:
                verdict = "outside, not better"
            lines.append(f"{label} ({shown}) {verdict}: {', '.join(why)}")
        else:
            lines.append(f"{label} ({shown}) inside")
        configs.append(
            {
                "config": config.model_dump(mode="json", exclude_none=True),
                "quality": quality,
                "outside": why,
                "beats_advised": beats,
            }
        )
    fenced = sum(1 for c in configs if c["outside"] and c["beats_advised"])
    return {"configs": configs, "lines": lines, "fenced_and_better": fenced}
