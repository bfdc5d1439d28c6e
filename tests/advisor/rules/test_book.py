"""The rule book: unique ids, lookups that say what to do, ablation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from advisor.errors import UnknownRuleError
from advisor.rules import RULEBOOK, Effect, Rule, RuleBook, Topic
from advisor.rules.sources import PLAYBOOK


def _rule(rule_id: str, refines: tuple[str, ...] = ()) -> Rule:
    return Rule(
        id=rule_id,
        topic=Topic(rule_id.split(".", maxsplit=1)[0]),
        summary="a rule for a test",
        effect=Effect(),
        sources=(PLAYBOOK,),
        refines=refines,
    )


def test_rule_ids_are_unique() -> None:
    with pytest.raises(ValidationError, match="repeated"):
        RuleBook(rules=(_rule("search.a"), _rule("search.a")))


def test_a_refinement_refines_a_seed_rule() -> None:
    with pytest.raises(ValidationError, match="not a seed rule"):
        RuleBook(rules=(_rule("search.a"), _rule("search.b", refines=("search.a",))))


def test_get_names_the_missing_rule_and_where_to_look() -> None:
    assert RULEBOOK.get("vision.vit_adamw").id == "vision.vit_adamw"
    with pytest.raises(UnknownRuleError, match=r"no rule 'vision.nope'.*all_rules\(\)"):
        RULEBOOK.get("vision.nope")


def test_without_and_plus_make_new_books() -> None:
    smaller = RULEBOOK.without("vision.vit_adamw")
    assert "vision.vit_adamw" not in smaller.ids()
    assert len(smaller.rules) == len(RULEBOOK.rules) - 1
    with pytest.raises(UnknownRuleError):
        RULEBOOK.without("vision.nope")
    assert RULEBOOK.plus(_rule("search.extra")).ids()[-1] == "search.extra"
