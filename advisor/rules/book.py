"""The rule book: the ordered rules the engine applies. Order matters: later rules override
earlier settings, so the book runs from general (defaults) to specific (symptoms, priority)."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

from advisor.errors import AdvisorError, UnknownRuleError
from advisor.rules.base import Rule


class IncompleteRuleBookError(AdvisorError):
    """The rule book left a family without something every candidate needs (an lr)."""


class RuleBook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _check(self) -> Self:
        ids = [rule.id for rule in self.rules]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"rule ids must be unique; repeated: {repeated}")
        by_id = {rule.id: rule for rule in self.rules}
        for rule in self.rules:
            for refined in rule.refines:
                target = by_id.get(refined)
                # A book with rules removed (ablation) may lack the refined rule; that is fine.
                if target is not None and not target.from_seeds():
                    raise ValueError(f"{rule.id} refines {refined}, which is not a seed rule")
        return self

    def ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise UnknownRuleError(
            f"no rule {rule_id!r} in the rule book; list them with advisor.rules.all_rules()"
        )

    def without(self, *rule_ids: str) -> RuleBook:
        """The book minus some rules: shows what those rules change."""
        for rule_id in rule_ids:
            self.get(rule_id)
        return RuleBook(rules=tuple(r for r in self.rules if r.id not in rule_ids))

    def plus(self, *rules: Rule) -> RuleBook:
        """The book with more rules applied last."""
        return RuleBook(rules=(*self.rules, *rules))
