"""The engine: every family ranked, deterministic, cited; the seeds' default answer when the
description says nothing usable."""

from __future__ import annotations

from advisor import OptimizerName, TaskDescription, advise
from advisor.candidates import TIE_ORDER
from advisor.engine import Advisor
from advisor.rules import RULEBOOK, Condition, Effect, Rule, Topic
from advisor.rules.kinds import O
from advisor.rules.sources import PLAYBOOK
from advisor.task import Domain
from advisor.text import TextReading
from tests.advisor.helpers import advice, advise_with, cand, order, reads_nothing

RESNET = {"domain": "vision", "architecture": "resnet"}


def test_resnet_balanced_puts_momentum_and_nesterov_on_top() -> None:
    result = advice(**RESNET)
    assert order(result)[:2] == ["momentum", "nesterov"]
    assert result.best().defaults.lr == 0.1
    assert result.task.priority is not None and result.task.priority.value == "balanced"
    assert result.task.inferred["priority"].origin == "default"


def test_every_family_is_ranked_once_best_first_with_a_fixed_tie_order() -> None:
    result = advice(**RESNET)
    assert sorted(c.optimizer for c in result.candidates) == sorted(OptimizerName)
    keys = [(-c.score, TIE_ORDER.index(c.optimizer)) for c in result.candidates]
    assert keys == sorted(keys)
    # momentum and nesterov tie here; the fixed order puts momentum first.
    assert cand(result, "momentum").score == cand(result, "nesterov").score


def test_newer_families_are_marked_and_seed_families_are_not() -> None:
    result = advice(**RESNET)
    for candidate in result.candidates:
        newer = candidate.optimizer in (O.NADAM, O.RADAM, O.ADAFACTOR, O.MUON, O.SPARSE_ADAM)
        assert candidate.origin == ("newer" if newer else "seed")


def test_every_candidate_explains_itself_with_sources() -> None:
    for candidate in advice(**RESNET).candidates:
        assert candidate.rationale
        assert all(item.source and item.rule in RULEBOOK.ids() for item in candidate.rationale)


def test_the_same_task_gets_the_same_advice() -> None:
    task = TaskDescription(domain=Domain.NLP, architecture="transformer", batch_size=64)
    assert advise(task).model_dump_json() == advise(task).model_dump_json()


def test_a_string_is_read_as_a_description() -> None:
    text = "fine-tune BERT for sentiment"
    assert advise(text) == advise(TaskDescription(description=text))


def test_an_unrecognised_description_gets_the_seeds_default_answer_and_what_to_add() -> None:
    result = Advisor(reader=reads_nothing).advise("something about my model")
    assert result.default_answer
    best = result.best()
    assert (best.optimizer.value, best.defaults.lr, best.schedule.name.value) == (
        "adam",
        1e-3,
        "cosine",
    )
    first = result.notes[0]
    assert (
        first.rule == "default.adam_cosine" and "tunewise rule default.adam_cosine" in first.source
    )
    assert "domain" in first.text and "architecture" in first.text


def test_structured_fields_are_not_a_default_answer_even_if_the_text_says_nothing() -> None:
    result = advise_with(RULEBOOK, description="something", domain="vision")
    assert not result.default_answer


def test_what_the_text_recognises_fills_the_task() -> None:
    def reads_vision(text: str) -> TextReading:
        return TextReading(domain=Domain.VISION, evidence={"domain": "images"})

    result = Advisor(reader=reads_vision).advise("classify images")
    assert not result.default_answer
    assert result.task.domain is Domain.VISION
    assert result.task.inferred["domain"].evidence == "images"


def test_added_rules_fire_and_are_cited_with_their_score() -> None:
    boost = Rule(
        id="search.test_boost",
        topic=Topic.SEARCH,
        summary="A test rule that lifts Adagrad.",
        condition=Condition(domains=frozenset({Domain.VISION})),
        effect=Effect(scores={O.ADAGRAD: 5.0}),
        sources=(PLAYBOOK,),
    )
    result = Advisor(RULEBOOK.plus(boost), reader=reads_nothing).advise(TaskDescription(**RESNET))
    assert result.best().optimizer is O.ADAGRAD
    item = next(i for i in result.best().rationale if i.rule == "search.test_boost")
    assert (
        item.text.endswith("[score +5.0]")
        and item.source == f"{PLAYBOOK.cite()}; tunewise rule search.test_boost"
    )
    other = Advisor(RULEBOOK.plus(boost), reader=reads_nothing).advise(
        TaskDescription(domain="nlp")
    )
    assert "search.test_boost" not in [i.rule for i in cand(other, "adagrad").rationale]


def test_a_known_phrase_end_to_end() -> None:
    assert advise("fine-tune BERT for sentiment").best().optimizer is O.ADAMW
    assert advise("用ResNet做图像分类").best().optimizer is O.MOMENTUM


def test_the_search_plan_cites_only_rules_that_shaped_it_for_this_task() -> None:
    advice = advise(TaskDescription(domain="vision", architecture="resnet"))
    cited = {item.rule for item in advice.search.rationale}
    assert "newer.sparse_adam" not in cited
    assert "search.portfolio_by_budget" in cited
    assert OptimizerName.SPARSE_ADAM not in advice.search.families
