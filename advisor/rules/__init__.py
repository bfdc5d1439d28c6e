"""The advisor's rule book: every rule as data (id, condition, effect, sources).

``RULEBOOK`` holds them in the order the engine applies them, general to specific: defaults and
ranges, then the task's domain and size, schedules, the person's current setup, symptoms,
priority, notes and the search plan. A later rule's setting overrides an earlier one's; every
rule that fired for a family appears in that family's rationale.
"""

from advisor.rules import (
    betas,
    current,
    decay,
    defaults,
    diagnostics,
    fine_tuning,
    newer,
    nlp,
    priority,
    published,
    ranges,
    recsys,
    resources,
    rl_gan,
    scale,
    schedules,
    search,
    sequence,
    speech,
    symptoms,
    vision,
)
from advisor.rules.adjustments import ADJUSTMENTS, DraftView, ParamState
from advisor.rules.base import (
    Adjustment,
    Between,
    Condition,
    ConfigSetting,
    Effect,
    GroupSetting,
    ParamSetting,
    Reference,
    Rule,
    ScheduleSetting,
    SearchEffect,
    SeedSource,
    Topic,
)
from advisor.rules.book import IncompleteRuleBookError, RuleBook

RULEBOOK = RuleBook(
    rules=(
        *defaults.RULES,
        *schedules.DEFAULT_RULES,
        *ranges.RULES,
        *decay.RULES,
        *newer.RULES,
        *fine_tuning.RULES,
        *vision.RULES,
        *nlp.RULES,
        *recsys.RULES,
        *sequence.RULES,
        *rl_gan.RULES,
        *speech.RULES,
        *scale.RULES,
        *newer.SCALE_RULES,
        *published.RULES,
        *betas.RULES,
        *schedules.RULES,
        *current.RULES,
        *symptoms.RULES,
        *priority.RULES,
        *resources.RULES,
        *diagnostics.RULES,
        *search.RULES,
    )
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule, in the order the engine applies them."""
    return RULEBOOK.rules


__all__ = [
    "ADJUSTMENTS",
    "RULEBOOK",
    "Adjustment",
    "Between",
    "Condition",
    "ConfigSetting",
    "DraftView",
    "Effect",
    "GroupSetting",
    "IncompleteRuleBookError",
    "ParamSetting",
    "ParamState",
    "Reference",
    "Rule",
    "RuleBook",
    "ScheduleSetting",
    "SearchEffect",
    "SeedSource",
    "Topic",
    "all_rules",
]
