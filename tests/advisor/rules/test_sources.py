"""Every rationale cites what a user can open (a paper, a documentation page, a repository
file's address) and the rule's own id; a rule from the seed tutorials names the tutorial and
its section in words. No source names one of tunewise's own files (``seeds/...``,
``advisor-rules.md``), for any advice: the corpus's task descriptions, the example jobs, a few
symptoms and priorities, and a description nothing in which is recognised."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from advisor import Advice, RationaleItem, TaskDescription, advise
from advisor.corpus import all_recipes
from advisor.rules import RULEBOOK, all_rules
from advisor.rules.sources import SECTION_WORDS

ROOT = Path(__file__).resolve().parents[3]
#: An address a person opens; what it points to may be any file of a public repository.
ADDRESS = re.compile(r"<?https://\S+?>?(?=[;,)\s]|$)")
#: What would name a file of tunewise's own (a seed, the rules list, a module of ours) once the
#: addresses are taken out; a public repository's file is named beside its address.
INTERNAL = re.compile(r"seeds/|\d{3}_[0-9a-f]{16}|advisor-rules|advisor/|service/|§")

EXTRA_TASKS = [
    TaskDescription(description="qwertyuiop"),
    TaskDescription(domain="vision", architecture="resnet", symptoms=["overfitting"]),
    TaskDescription(domain="nlp", symptoms=["loss_not_decreasing", "vanishing_gradients"]),
    TaskDescription(domain="rl", symptoms=["oscillation", "slow_convergence", "loss_spikes"]),
    TaskDescription(domain="tabular", priority="fast_convergence", budget_trials=5),
    TaskDescription(domain="speech", priority="best_generalization", budget_trials=200),
    TaskDescription(domain="recsys", sparse_features=True, model_params=2_000_000_000),
]


def tasks() -> list[TaskDescription]:
    examples = [
        TaskDescription.model_validate(json.loads(path.read_text())["task"])
        for path in sorted((ROOT / "examples").glob("*.json"))
    ]
    return [*(recipe.task for recipe in all_recipes()), *examples, *EXTRA_TASKS]


def rationale(advice: Advice) -> list[RationaleItem]:
    return [
        *(item for candidate in advice.candidates for item in candidate.rationale),
        *advice.search.rationale,
        *advice.notes,
    ]


def internal_names(source: str) -> list[str]:
    return INTERNAL.findall(ADDRESS.sub("", source))


def test_no_advice_cites_a_file_of_tunewise_and_each_rule_names_its_id() -> None:
    fired: set[str] = set()
    for task in tasks():
        for item in rationale(advise(task)):
            assert internal_names(item.source) == [], (item.rule, item.source)
            if item.rule in RULEBOOK.ids():
                assert f"tunewise rule {item.rule}" in item.source, item.source
            fired.add(item.rule)
    assert len(fired) > 60, "the tasks should reach most of the rule book"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_every_rule_cites_an_address_or_its_tutorial_section_in_words(rule: object) -> None:
    citation = rule.citation()  # type: ignore[attr-defined]
    assert internal_names(citation) == []
    assert "https://" in citation or "(from the optimizer tutorials: tutorial " in citation


def test_the_catch_finds_the_old_file_citations() -> None:
    old = "seeds/000_ea1261471f0af607.txt § 如何选择优化器 › 具体建议; see advisor-rules.md"
    assert internal_names(old) == ["seeds/", "000_ea1261471f0af607", "§", "advisor-rules"]
    assert (
        internal_names("Repo <https://github.com/a/b/blob/main/train.py>; tunewise rule x.y") == []
    )


def test_every_seed_heading_has_english_words() -> None:
    assert all(
        words and not re.search(r"[\u4e00-\u9fff]", words) for words in SECTION_WORDS.values()
    )
