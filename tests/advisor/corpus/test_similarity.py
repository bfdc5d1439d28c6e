"""Similarity between a task and a recipe: kind of task first, then sizes on log scales;
unknown features are neutral; the nearest recipes come most similar first, stably."""

from __future__ import annotations

from typing import Any

from advisor.corpus import Area
from advisor.corpus.similarity import (
    IndexedRecipe,
    RecipeIndex,
    area_of,
    named_models,
    similarity,
)
from advisor.normalise import normalise
from advisor.task import NormalisedTask, TaskDescription
from tests.advisor.corpus.make import recipe
from tests.advisor.helpers import reads_nothing

RESNET: dict[str, Any] = {"domain": "vision", "architecture": "resnet", "regime": "from_scratch"}


def task(**fields: Any) -> NormalisedTask:
    return normalise(TaskDescription(**fields), reads_nothing).task


def indexed(**fields: Any) -> IndexedRecipe:
    made = recipe("r-one", "momentum", 0.1, **fields)
    task = normalise(made.task, reads_nothing).task
    return IndexedRecipe(made, task, named_models(made.task.description))


def sim(query: NormalisedTask, other: IndexedRecipe) -> float:
    return similarity(query, area_of(query), other, named_models(query.description))


def test_the_same_kind_scale_and_named_model_is_fully_similar() -> None:
    fields = RESNET | {"model_params": 25_000_000, "batch_size": 256, "dataset_size": 1_281_167}
    named = fields | {"description": "ResNet-50 on ImageNet"}
    assert sim(task(**named), indexed(**named)) == 1.0
    assert sim(task(**fields), indexed(**fields)) < 1.0  # no model named: that feature is neutral


def test_a_named_model_family_counts_and_names_in_a_lineage_agree() -> None:
    convnext = task(**RESNET, description="ConvNeXt-T from scratch")
    swin = indexed(description="Swin-T from scratch")  # ConvNeXt took the Swin/DeiT recipe
    resnet = indexed(description="ResNet-50 from scratch")
    unnamed = indexed(description="some network")
    assert sim(convnext, swin) > sim(convnext, unnamed) > sim(convnext, resnet)
    assert named_models("MobileNetV3 and LeNet") == {"mobile_convnet", "lenet"}


def test_another_domain_or_architecture_is_less_similar() -> None:
    query = task(**RESNET, batch_size=256)
    same = sim(query, indexed(batch_size=256))
    kin = sim(query, indexed(batch_size=256, architecture="cnn"))
    other_arch = sim(query, indexed(batch_size=256, architecture="transformer"))
    other_domain = sim(query, indexed(batch_size=256, domain="nlp", architecture="transformer"))
    assert same > kin > other_arch > other_domain


def test_sizes_compare_on_a_log_scale_and_a_thousandfold_counts_nothing() -> None:
    query = task(**RESNET, batch_size=256)
    near, far, farther = (sim(query, indexed(batch_size=b)) for b in (512, 256_000, 2_560_000))
    assert sim(query, indexed(batch_size=256)) > near > far == farther


def test_unknown_fields_are_neutral_and_a_defaulted_regime_counts_as_unknown() -> None:
    vague = task(domain="vision")
    assert vague.inferred["regime"].origin == "default"
    assert 0.5 < sim(vague, indexed()) < sim(task(**RESNET), indexed())


def test_area_of_reads_the_kind_of_task() -> None:
    assert area_of(task(**RESNET)) is Area.IMAGE_CLASSIFICATION
    assert area_of(task(domain="nlp", regime="fine_tuning")) is Area.ENCODER_FINE_TUNING
    big = task(domain="nlp", regime="fine_tuning", model_params=7_000_000_000)
    assert area_of(big) is Area.LLM_FINE_TUNING
    assert area_of(task(domain="nlp", architecture="transformer")) is Area.LM_TRANSLATION
    assert area_of(task(domain="nlp", architecture="lstm")) is Area.SMALL_CLASSIC
    assert area_of(task(domain="recsys")) is Area.RECSYS
    detection = task(description="detect objects on COCO", domain="vision")
    assert area_of(detection) is Area.DETECTION_SEGMENTATION
    assert area_of(task(domain="other")) is None


def test_the_index_finds_the_nearest_first_and_leaves_a_source_out() -> None:
    index = RecipeIndex.build(
        [
            recipe("near", "momentum", 0.1, source="test:a", **RESNET),
            recipe("far", "adam", 1e-3, source="test:b", domain="nlp", architecture="lstm"),
            recipe("also-near", "nesterov", 0.1, source="test:b", **RESNET),
        ],
        reads_nothing,
    )
    nearest = index.nearest(task(**RESNET), k=3)
    assert [e.recipe.id for _, e in nearest] == ["also-near", "near", "far"]  # ties by id
    assert [s for s, _ in nearest] == sorted((s for s, _ in nearest), reverse=True)
    assert [e.recipe.id for e in index.without_source("test:b").entries] == ["near"]
