"""Leave one source out: every published recipe is advised by an advisor built without any
record of its source, from its task as a new user would describe it (see
advisor.corpus.scoring). Goals: family in the top 2 for >= 95%, lr inside the advised range for
>= 90%, weight decay inside for >= 85%, overall and per area, with every candidate's lr range
within 2.5 decades. The floors below sit just under what the advisor reaches, so a regression
fails; where an area misses a goal its floor is what it reaches (docs/benchmarks.md, section
"advisor-corpus", lists the misses; bench/advisor_corpus.py prints the full table).
"""

from __future__ import annotations

import math
from functools import cache

import pytest

from advisor.advice import Range
from advisor.corpus import ALL_RECIPES, Area
from advisor.corpus.calibrate import LR_DECADES, WD_DECADES
from advisor.corpus.scoring import OVERALL, RecipeScore, Summary, leave_one_source_out, summarise

#: Per area and overall: (family in top 2, lr inside, weight decay inside), as shares.
FLOORS: dict[str, tuple[float, float, float]] = {
    "detection_segmentation": (0.99, 0.90, 0.99),
    "encoder_fine_tuning": (0.99, 0.99, 0.99),
    "gan_diffusion": (0.99, 0.99, 0.99),
    "graph": (0.99, 0.99, 0.99),
    "image_classification": (0.89, 0.99, 0.99),
    "llm_fine_tuning": (0.99, 0.99, 0.99),
    "lm_translation": (0.99, 0.99, 0.79),
    "recsys": (0.79, 0.89, 0.99),
    "rl": (0.99, 0.89, 0.00),
    "small_classic": (0.79, 0.89, 0.49),
    "speech": (0.99, 0.89, 0.88),
    "tabular": (0.99, 0.89, 0.99),
    OVERALL: (0.95, 0.94, 0.94),
}


@cache
def scores() -> tuple[RecipeScore, ...]:
    return tuple(leave_one_source_out(ALL_RECIPES))


@cache
def summaries() -> dict[str, Summary]:
    return summarise(scores())


def test_every_area_has_a_floor() -> None:
    assert set(FLOORS) == {a.value for a in Area} | {OVERALL}


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_leave_one_source_out_stays_above_its_floors(group: str) -> None:
    summary = summaries().get(group)
    assert summary is not None, f"no records for {group}"
    family, lr, wd = FLOORS[group]
    reached = (summary.family_top, summary.lr_inside, summary.wd_inside)
    misses = [
        f"{s.recipe.id}: {'; '.join(s.misses())}"
        for s in scores()
        if s.misses() and group in (OVERALL, s.recipe.area.value)
    ]
    assert summary.family_top >= family, (reached, misses)
    assert summary.lr_inside >= lr, (reached, misses)
    assert summary.wd_inside is None or summary.wd_inside >= wd, (reached, misses)


def test_every_candidates_lr_range_spans_at_most_two_and_a_half_decades() -> None:
    too_wide = []
    for s in scores():
        for candidate in s.advice.candidates:
            for name, cap in (("lr", LR_DECADES), ("weight_decay", WD_DECADES)):
                dimension = candidate.search_space.get(name)
                if isinstance(dimension, Range) and dimension.log:
                    decades = math.log10(dimension.high / dimension.low)
                    if decades > cap + 1e-9:
                        too_wide.append((s.recipe.id, candidate.optimizer.value, name, decades))
    assert too_wide == []
