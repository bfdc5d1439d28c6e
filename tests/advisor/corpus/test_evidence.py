"""Advice names the published recipes most like the task, with settings and a citation."""

from __future__ import annotations

from advisor import Advice, TaskDescription, advise
from advisor.corpus import ALL_RECIPES
from advisor.corpus.evidence import RecipeEvidence


def test_advice_names_the_three_nearest_recipes_most_similar_first() -> None:
    advice = advise(TaskDescription(description="fine-tune BERT-base on 20k product reviews"))
    assert len(advice.evidence) == 3
    similarities = [e.similarity for e in advice.evidence]
    assert similarities == sorted(similarities, reverse=True) and similarities[0] > 0.8
    ids = {r.id for r in ALL_RECIPES}
    for recipe in advice.evidence:
        assert recipe.id in ids and recipe.citation.url.startswith("https://")
        assert recipe.area.value == "encoder_fine_tuning"


def test_the_evidence_survives_the_json_the_api_and_the_cli_send() -> None:
    advice = advise(TaskDescription(domain="rl", description="PPO on Atari"))
    assert Advice.model_validate_json(advice.model_dump_json()) == advice
    assert advice.evidence


def test_a_recipe_reads_as_one_line_of_settings() -> None:
    recipe = next(r for r in ALL_RECIPES if r.weight_decay is not None and r.beta2 is not None)
    line = RecipeEvidence.of(recipe, 0.9).settings()
    assert f"lr {recipe.lr:g}" in line and f"wd {recipe.weight_decay:g}" in line
    assert f"/{recipe.beta2:g}" in line


def test_a_description_the_advisor_cannot_read_gets_no_arbitrary_recipes() -> None:
    advice = advise(TaskDescription(description="qwertyuiop"))
    assert advice.default_answer and advice.evidence == ()
