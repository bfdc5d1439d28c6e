"""Scoring advice against published recipes, leaving each recipe's source out.

A recipe is advised by an advisor built without any record of its ``source_key`` (so nothing it
published can be memorised), from its ``TaskDescription`` as a new user would give it. Scored:

- **family**: the published family is among the first ``TOP`` candidates;
- **lr**: the published lr lies inside the lr range of that family's candidate (a miss when the
  family is not a candidate at all);
- **weight decay**: likewise for weight decay (records without one are not scored). A published
  0, or any decay below the coupling's negligible level
  (``advisor.corpus.calibrate.NEGLIGIBLE_DECAY``: 1e-4 decoupled, 1e-6 coupled L2), counts as
  inside when the range reaches down to that level, the lowest a log-scaled range goes;
- **span**: how many decades each candidate's lr range covers (the advice is only useful when
  ranges stay narrow; the goal caps every candidate at 2.5 decades).

Used by tests/advisor/corpus/test_loso.py and bench/advisor_corpus.py; pure, no test framework.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from advisor.advice import Advice, Candidate, Range
from advisor.corpus.base import Recipe
from advisor.corpus.calibrate import NEGLIGIBLE_DECAY
from advisor.corpus.similarity import RecipeIndex
from advisor.engine import Advisor
from advisor.families import DECOUPLED_DECAY
from advisor.normalise import Reader
from advisor.rules import RULEBOOK, RuleBook
from advisor.text import read_description

TOP = 2
OVERALL = "overall"


@dataclass(frozen=True)
class RecipeScore:
    recipe: Recipe
    #: 1 for the best candidate; None when the published family is not a candidate.
    rank: int | None
    lr_inside: bool
    #: None when the record publishes no weight decay.
    wd_inside: bool | None
    #: Decades spanned by the published family's lr range (None: family absent).
    lr_span: float | None
    #: The widest lr range of any candidate, in decades.
    widest_lr_span: float
    advice: Advice

    @property
    def top(self) -> bool:
        return self.rank is not None and self.rank <= TOP

    def misses(self) -> list[str]:
        """What went wrong, in words (empty when the advice covers the recipe)."""
        found = []
        if not self.top:
            order = ", ".join(c.optimizer.value for c in self.advice.candidates[:3])
            found.append(f"family {self.recipe.optimizer.value} ranked {self.rank} ({order})")
        candidate = self.advice.candidate(self.recipe.optimizer)
        if not self.lr_inside:
            found.append(f"lr {self.recipe.lr:g} outside {_range_text(candidate, 'lr')}")
        if self.wd_inside is False:
            wd = self.recipe.weight_decay
            found.append(f"wd {wd:g} outside {_range_text(candidate, 'weight_decay')}")
        return found


def _range_text(candidate: Candidate | None, name: str) -> str:
    if candidate is None:
        return "(family absent)"
    dimension = candidate.search_space.get(name)
    if isinstance(dimension, Range):
        return f"{dimension.low:.2g}..{dimension.high:.2g}"
    return "(not searched)"


def span(dimension: object) -> float | None:
    if isinstance(dimension, Range) and dimension.low > 0:
        return math.log10(dimension.high / dimension.low)
    return None


def _inside(candidate: Candidate, name: str, value: float, zero: float) -> bool:
    dimension = candidate.search_space.get(name)
    if isinstance(dimension, Range):
        return dimension.contains(value) or (value <= zero and dimension.low <= zero)
    default = candidate.defaults.hyperparameters().get(name)
    return default is not None and math.isclose(float(default), value)


def score(recipe: Recipe, advice: Advice) -> RecipeScore:
    families = [c.optimizer for c in advice.candidates]
    candidate = advice.candidate(recipe.optimizer)
    spans = [s for c in advice.candidates if (s := span(c.search_space.get("lr"))) is not None]
    widest = max(spans, default=0.0)
    wd = recipe.weight_decay
    if candidate is None:
        return RecipeScore(recipe, None, False, None if wd is None else False, None, widest, advice)
    zero = NEGLIGIBLE_DECAY[recipe.optimizer in DECOUPLED_DECAY]
    return RecipeScore(
        recipe=recipe,
        rank=families.index(recipe.optimizer) + 1,
        lr_inside=_inside(candidate, "lr", recipe.lr, zero),
        wd_inside=None if wd is None else _inside(candidate, "weight_decay", wd, zero),
        lr_span=span(candidate.search_space.get("lr")),
        widest_lr_span=widest,
        advice=advice,
    )


def leave_one_source_out(
    recipes: Iterable[Recipe],
    *,
    with_corpus: bool = True,
    rules: RuleBook = RULEBOOK,
    reader: Reader = read_description,
) -> list[RecipeScore]:
    """Every recipe scored by an advisor that never saw its source (or by the rules alone)."""
    records = tuple(recipes)
    index = RecipeIndex.build(records, reader)
    advisors: dict[str, Advisor] = {}
    scores = []
    for recipe in records:
        key = recipe.source_key
        if key not in advisors:
            corpus = index.without_source(key) if with_corpus else RecipeIndex(())
            advisors[key] = Advisor(rules, reader=reader, corpus=corpus)
        scores.append(score(recipe, advisors[key].advise(recipe.task)))
    return scores


@dataclass(frozen=True)
class Summary:
    n: int
    sources: int
    family_top: float
    lr_inside: float
    #: None when no record of the group publishes a weight decay.
    wd_inside: float | None
    wd_scored: int
    median_lr_span: float | None
    widest_lr_span: float


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def summarise(scores: Iterable[RecipeScore]) -> dict[str, Summary]:
    """Per area (by its value) and ``OVERALL``."""
    groups: dict[str, list[RecipeScore]] = {}
    for s in scores:
        groups.setdefault(s.recipe.area.value, []).append(s)
        groups.setdefault(OVERALL, []).append(s)
    summaries = {}
    for name, group in sorted(groups.items(), key=lambda kv: (kv[0] == OVERALL, kv[0])):
        wd = [s.wd_inside for s in group if s.wd_inside is not None]
        spans = [s.lr_span for s in group if s.lr_span is not None]
        summaries[name] = Summary(
            n=len(group),
            sources=len({s.recipe.source_key for s in group}),
            family_top=_share([s.top for s in group]),
            lr_inside=_share([s.lr_inside for s in group]),
            wd_inside=_share(wd) if wd else None,
            wd_scored=len(wd),
            median_lr_span=statistics.median(spans) if spans else None,
            widest_lr_span=max(s.widest_lr_span for s in group),
        )
    return summaries
