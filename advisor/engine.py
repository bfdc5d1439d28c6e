"""The rule engine: a task in, ranked and cited advice out. Deterministic and pure.

Every rule of the book whose condition holds is applied in book order; its effect (and any
named adjustment it carries) changes the families' drafts, and the rule is added to the
rationale of each family it touched, to the search plan's when it shaped the plan, and to the
notes when it speaks to the person.
"""

from __future__ import annotations

from advisor.advice import Advice, RationaleItem
from advisor.candidates import build_candidate, rank_key
from advisor.corpus import Recipe
from advisor.corpus.calibrate import NEIGHBOURS, calibrate
from advisor.corpus.evidence import RecipeEvidence
from advisor.corpus.similarity import RecipeIndex, default_index
from advisor.draft import AdviceDraft
from advisor.normalise import Reader, normalise
from advisor.planning import plan_search
from advisor.rules import ADJUSTMENTS, RULEBOOK, Rule, RuleBook
from advisor.task import NormalisedTask, TaskDescription
from advisor.text import read_description

DEFAULT_ANSWER_NOTE = RationaleItem(
    rule="default.adam_cosine",
    text=(
        "Nothing in the description was recognised, so this is the seeds' default answer: "
        "Adam at lr 1e-3 with cosine annealing. For advice that fits your task, add the domain "
        "(vision, nlp, speech, recsys, rl, gan, tabular, timeseries, graph), the architecture "
        "(e.g. resnet, transformer, lstm), whether you fine-tune, the model and data size, and "
        "what matters most (fast convergence or best generalization)."
    ),
    source=RULEBOOK.get("default.adam_cosine").citation(),
)


#: How many of the most similar recipes an advice shows as its evidence.
SHOWN_RECIPES = 3
#: Shown only when more alike than a task about which nothing is known (every feature neutral),
#: so a description the advisor could not read gets no arbitrary "nearest" recipes.
SHOWN_ABOVE = 0.5


class Advisor:
    """Applies a rule book to tasks. ``Advisor()`` uses the full book, the text reader and the
    whole recipe corpus; ``corpus`` takes another index or records (``()``: rules only), so a
    recipe can be scored by an advisor that never saw its source."""

    def __init__(
        self,
        rules: RuleBook = RULEBOOK,
        reader: Reader = read_description,
        corpus: RecipeIndex | tuple[Recipe, ...] | None = None,
    ) -> None:
        self._rules = rules
        self._reader = reader
        if corpus is None:
            corpus = default_index()
        self._corpus = corpus if isinstance(corpus, RecipeIndex) else RecipeIndex.build(corpus)

    def advise(self, task: TaskDescription | str) -> Advice:
        if isinstance(task, str):
            task = TaskDescription(description=task)
        normalised = normalise(task, self._reader)
        draft = AdviceDraft()
        for rule in self._rules.rules:
            if rule.condition.holds(normalised.task):
                _fire(rule, normalised.task, draft)
        nearest = self._corpus.nearest(normalised.task, max(NEIGHBOURS, SHOWN_RECIPES))
        calibrate(normalised.task, draft, [(s, entry.recipe) for s, entry in nearest])
        ranked = sorted(
            (build_candidate(normalised.task, family) for family in draft.families.values()),
            key=rank_key,
        )
        notes = tuple(draft.notes)
        if normalised.unrecognised:
            notes = (DEFAULT_ANSWER_NOTE, *notes)
        return Advice(
            task=normalised.task,
            candidates=tuple(ranked),
            search=plan_search(normalised.task, ranked, draft.search),
            notes=notes,
            default_answer=normalised.unrecognised,
            evidence=tuple(
                RecipeEvidence.of(entry.recipe, s)
                for s, entry in nearest[:SHOWN_RECIPES]
                if s > SHOWN_ABOVE
            ),
        )


def _fire(rule: Rule, task: NormalisedTask, draft: AdviceDraft) -> None:
    touched = draft.apply(rule.effect, rule)
    shaped_search = rule.effect.search is not None and rule.effect.search.shapes_the_plan()
    for adjustment in rule.effect.adjustments:
        effect = ADJUSTMENTS[adjustment](task, draft)
        for family, points in draft.apply(effect, rule).items():
            touched[family] = touched.get(family, 0.0) + points
        shaped_search = shaped_search or (
            effect.search is not None and effect.search.shapes_the_plan()
        )
    source = rule.citation()
    for family in sorted(touched, key=list(draft.families).index):
        points = touched[family]
        text = f"{rule.summary} [score {points:+.1f}]" if points else rule.summary
        draft.families[family].rationale.append(
            RationaleItem(rule=rule.id, text=text, source=source)
        )
    if shaped_search:
        draft.search.rationale.append(RationaleItem(rule=rule.id, text=rule.summary, source=source))


def advise(task: TaskDescription | str) -> Advice:
    """Advice for a task (or a free-text description) from the full rule book."""
    return Advisor().advise(task)
