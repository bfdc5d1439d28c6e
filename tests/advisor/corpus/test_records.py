"""The recipe corpus as data: enough records in every area, from enough sources, each with a
citation a person can check, a task described without giving the answer, and plausible values.

These fail when an area module drops records or disappears (the loader tolerates a missing
module so work can proceed area by area; the floors here are what holds the corpus to the goal).
"""

from __future__ import annotations

import importlib
from collections import Counter

import pytest

from advisor.corpus import ALL_RECIPES, AREA_MODULES, Area, Recipe, load_recipes
from advisor.families import OptimizerName

MIN_RECORDS = 120
MIN_PER_AREA = 6
MIN_SOURCES_PER_AREA = 3
#: Plausible peak learning rates. Plain SGD (no momentum) goes higher: word-level LSTM language
#: models publish 20 to 30 (pytorch/examples word_language_model, AWD-LSTM).
LR_BOUNDS = (1e-7, 10.0)
PLAIN_SGD_LR_HIGH = 100.0


def _by_area(area: Area) -> list[Recipe]:
    return [r for r in ALL_RECIPES if r.area is area]


def test_every_record_has_its_own_id() -> None:
    counts = Counter(r.id for r in ALL_RECIPES)
    assert [i for i, n in counts.items() if n > 1] == []


def test_the_corpus_holds_at_least_120_records() -> None:
    assert len(ALL_RECIPES) >= MIN_RECORDS


@pytest.mark.parametrize("area", list(Area), ids=str)
def test_every_area_module_exists_and_exports_its_records(area: Area) -> None:
    module = importlib.import_module(f"advisor.corpus.recipes.{area.value}")
    records = module.RECIPES
    assert isinstance(records, tuple) and records
    assert {r.area for r in records} == {area}, "a module holds the records of its own area only"


@pytest.mark.parametrize("area", list(Area), ids=str)
def test_every_area_has_six_records_from_three_sources(area: Area) -> None:
    records = _by_area(area)
    assert len(records) >= MIN_PER_AREA
    assert len({r.source_key for r in records}) >= MIN_SOURCES_PER_AREA


@pytest.mark.parametrize("recipe", ALL_RECIPES, ids=lambda r: r.id)
def test_every_record_cites_an_https_page_where_in_it_and_the_words(recipe: Recipe) -> None:
    citation = recipe.citation
    assert citation.url.startswith("https://") and " " not in citation.url
    assert citation.where.strip() and len(citation.quote.strip()) >= 10
    assert len(citation.title.strip()) >= 3


@pytest.mark.parametrize("recipe", ALL_RECIPES, ids=lambda r: r.id)
def test_every_task_is_described_without_the_answer(recipe: Recipe) -> None:
    # Re-validating runs the record's model validator, which refuses an optimizer's name.
    assert Recipe.model_validate(recipe.model_dump()) == recipe
    assert recipe.task.description, "a record describes its task as a new user would"


def test_a_description_that_names_the_optimizer_is_refused() -> None:
    recipe = ALL_RECIPES[0].model_dump()
    recipe["task"]["description"] = "Train ResNet-50 with Adam on ImageNet"
    with pytest.raises(ValueError, match="adam"):
        Recipe.model_validate(recipe)


@pytest.mark.parametrize("recipe", ALL_RECIPES, ids=lambda r: r.id)
def test_every_record_has_plausible_values(recipe: Recipe) -> None:
    low, high = LR_BOUNDS
    if recipe.optimizer is OptimizerName.SGD:
        high = PLAIN_SGD_LR_HIGH
    assert low < recipe.lr < high
    assert recipe.weight_decay is None or 0 <= recipe.weight_decay <= 1
    for value in (recipe.beta1, recipe.beta2, recipe.momentum):
        assert value is None or 0 <= value < 1
    assert recipe.beta1 is None or recipe.beta2 is None or recipe.beta1 <= recipe.beta2
    if recipe.momentum is not None:
        assert recipe.optimizer in (
            OptimizerName.MOMENTUM,
            OptimizerName.NESTEROV,
            OptimizerName.RMSPROP,
            OptimizerName.MUON,
            OptimizerName.SGD,  # momentum 0 stated explicitly
        )


def test_the_loader_skips_an_area_not_written_yet_but_raises_on_a_broken_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_recipes(("no_such_area",)) == ()
    assert len(load_recipes(AREA_MODULES)) == len(ALL_RECIPES)

    def broken(name: str) -> object:
        raise ModuleNotFoundError("No module named 'numpy'", name="numpy")

    monkeypatch.setattr(importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="numpy"):
        load_recipes(("tabular",))
