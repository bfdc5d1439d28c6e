"""The conditional search space: Optuna sees ``optimizer`` then per-family names; a lease
gets the flat, ready config; warm starts are the advisor's defaults."""

from __future__ import annotations

import optuna
import pytest

from advisor import (
    Advice,
    Candidate,
    Choices,
    NormalisedTask,
    OptimizerName,
    Range,
    RationaleItem,
    ScheduleName,
    ScheduleSpec,
    SearchPlan,
    TaskDescription,
    TrainConfig,
    advise,
)
from service.errors import InvalidInputError
from service.tuning.space import SearchSpace

WHY = (RationaleItem(rule="test", text="for the test", source="tests"),)
COSINE = ScheduleSpec(name=ScheduleName.WARMUP_COSINE, warmup_fraction=0.05)


def candidate(family: OptimizerName, defaults: TrainConfig, space: dict[str, object]) -> Candidate:
    return Candidate.model_validate(
        {
            "optimizer": family,
            "score": 0.8,
            "origin": "seed",
            "defaults": defaults,
            "search_space": space,
            "schedule": defaults.schedule,
            "rationale": WHY,
        }
    )


def two_family_advice() -> Advice:
    adamw = candidate(
        OptimizerName.ADAMW,
        TrainConfig(optimizer="adamw", lr=3e-4, weight_decay=0.05, beta2=0.999, schedule=COSINE),
        {
            "lr": Range(low=1e-5, high=1e-2, log=True),
            "beta2": Choices(choices=(0.98, 0.999)),
            "weight_decay": Range(low=0.0, high=0.1),
            "warmup_fraction": Range(low=0.0, high=0.1),
        },
    )
    sgd = candidate(
        OptimizerName.MOMENTUM,
        TrainConfig(optimizer="momentum", lr=0.1, momentum=0.9, weight_decay=5e-4),
        {"lr": Range(low=1e-3, high=1.0, log=True), "momentum": Range(low=0.8, high=0.99)},
    )
    return Advice(
        task=NormalisedTask(domain="vision"),
        candidates=(adamw, sgd),
        search=SearchPlan(
            sampler="tpe",
            pruner="median",
            n_trials=20,
            tuned_params=("lr", "beta2", "momentum", "warmup_fraction"),
            families=(OptimizerName.ADAMW, OptimizerName.MOMENTUM),
        ),
    )


def test_each_family_tunes_its_own_names_and_leases_get_a_ready_config() -> None:
    space = SearchSpace.from_advice(two_family_advice())
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    seen: set[str] = set()
    for _ in range(12):
        point = space.suggest(study.ask())
        family = point.study_params["optimizer"]
        seen.add(str(family))
        names = set(point.study_params) - {"optimizer"}
        assert all(name.startswith(f"{family}.") for name in names)
        config = point.config
        assert config.optimizer.value == family
        if family == "adamw":
            assert names == {"adamw.lr", "adamw.beta2", "adamw.warmup_fraction"}
            assert config.lr == point.study_params["adamw.lr"]
            assert config.schedule.warmup_fraction == point.study_params["adamw.warmup_fraction"]
            assert config.weight_decay == 0.05, "not tuned at this budget: kept at the default"
        else:
            assert config.momentum == point.study_params["momentum.momentum"]
    assert seen == {"adamw", "momentum"}


def test_warm_start_points_are_the_defaults_that_lie_in_their_ranges() -> None:
    space = SearchSpace.from_advice(two_family_advice())
    adamw = space.families[OptimizerName.ADAMW].default_point()
    assert adamw == {
        "optimizer": "adamw",
        "adamw.lr": 3e-4,
        "adamw.beta2": 0.999,
        "adamw.warmup_fraction": 0.05,
    }
    study = optuna.create_study()
    study.enqueue_trial(adamw)
    point = space.suggest(study.ask())
    assert point.config.model_dump() == space.families[OptimizerName.ADAMW].defaults.model_dump()


def test_a_family_without_a_candidate_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInputError) as refused:
        SearchSpace.from_advice(two_family_advice(), [OptimizerName.RMSPROP])
    assert refused.value.field == "families"
    assert "adamw, momentum" in refused.value.message


def test_grid_search_cuts_ranges_into_values_inside_them() -> None:
    grid = SearchSpace.from_advice(two_family_advice()).discretised(4)
    lr = grid.families[OptimizerName.ADAMW].dimensions["lr"]
    assert isinstance(lr, Choices)
    assert lr.choices == (1e-5, 1e-4, 1e-3, 1e-2)
    momentum = grid.families[OptimizerName.MOMENTUM].dimensions["momentum"]
    assert isinstance(momentum, Choices) and len(momentum.choices) == 4
    assert all(0.8 <= float(v) <= 0.99 for v in momentum.choices)


def test_a_hybrid_recommender_searches_its_embedding_lr_and_leases_carry_it() -> None:
    task = TaskDescription(domain="recsys", sparse_features=True, budget_trials=30)
    space = SearchSpace.from_advice(advise(task), [OptimizerName.ADAMW])
    adamw = space.families[OptimizerName.ADAMW]
    assert adamw.dimensions["sparse_lr"] == Range(low=1e-3, high=0.3, log=True)
    assert adamw.default_point()["adamw.sparse_lr"] == 0.01, "the warm start is the advice's"
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    sampled = set()
    for _ in range(8):
        point = space.suggest(study.ask())
        lr = point.study_params["adamw.sparse_lr"]
        assert isinstance(lr, float) and 1e-3 <= lr <= 0.3
        assert point.config.sparse_lr == lr
        assert point.config.sparse_optimizer is OptimizerName.ADAGRAD
        sampled.add(lr)
    assert len(sampled) == 8, "searched, not fixed"
