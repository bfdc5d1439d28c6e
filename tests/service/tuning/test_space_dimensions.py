"""The user's own dimensions in the search space: Optuna sees each under its bare name with
the distribution the job asked for, beside the family's; the flat config carries their values;
a grid cuts unstepped floats; past points keep only the values the new space can take."""

from __future__ import annotations

import optuna
from optuna.distributions import (
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from pydantic import TypeAdapter

from advisor import TaskDescription, advise
from service.evidence.learned import revalidate
from service.tuning.space import SearchSpace
from tunewise.wire.dimensions import CategoricalDimension, Dimensions, TrialParams

DIMENSIONS = TypeAdapter(Dimensions).validate_python(
    {
        "dropout": {"type": "float", "low": 0.0, "high": 0.5},
        "hidden": {"type": "int", "low": 32, "high": 256, "log": True},
        "layers": {"type": "int", "low": 1, "high": 7, "step": 2},
        "width_mult": {"type": "float", "low": 0.5, "high": 2.0, "step": 0.25},
        "activation": {"type": "categorical", "choices": ["relu", "gelu"]},
        "batch_size": {"type": "categorical", "choices": [32, 64, 128]},
    }
)


ADVICE = advise(TaskDescription(domain="vision", architecture="cnn"))
FAMILY = ADVICE.search.families[0].value


def space() -> SearchSpace:
    return SearchSpace.from_advice(ADVICE, dimensions=DIMENSIONS)


def test_optuna_sees_each_dimension_with_the_distribution_asked_for() -> None:
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=3))
    trial = study.ask()
    space().suggest(trial)
    seen = trial.distributions
    assert seen["dropout"] == FloatDistribution(0.0, 0.5)
    assert seen["hidden"] == IntDistribution(32, 256, log=True)
    assert seen["layers"] == IntDistribution(1, 7, step=2)
    assert seen["width_mult"] == FloatDistribution(0.5, 2.0, step=0.25)
    assert seen["activation"] == CategoricalDistribution(("relu", "gelu"))
    assert seen["batch_size"] == CategoricalDistribution((32, 64, 128))
    family = trial.params["optimizer"]
    assert f"{family}.lr" in seen, "the advised space is searched in the same trial"


def test_the_flat_config_carries_the_dimensions_beside_the_optimizer_values() -> None:
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=5))
    for _ in range(20):
        point = space().suggest(study.ask())
        config = point.config
        assert isinstance(config, TrialParams)
        values = config.dimensions()
        assert set(values) == {"dropout", "hidden", "layers", "width_mult", "activation"}
        assert 0.0 <= float(values["dropout"]) <= 0.5
        assert isinstance(values["hidden"], int) and 32 <= values["hidden"] <= 256
        assert values["layers"] in (1, 3, 5, 7)
        assert values["activation"] in ("relu", "gelu")
        # batch_size is the config's own key, which the runner applies to every workload.
        assert config.batch_size == point.study_params["batch_size"] in (32, 64, 128)
        assert config.lr == point.study_params[f"{config.optimizer.value}.lr"]
        dumped = config.model_dump(mode="json")
        assert dumped["dropout"] == values["dropout"] and dumped["lr"] == config.lr


def test_a_seeded_sampler_proposes_the_same_dimensions_in_the_same_order() -> None:
    def proposals(seed: int) -> list[dict[str, object]]:
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
        found = []
        for number in range(12):
            trial = study.ask()
            point = space().suggest(trial)
            study.tell(trial, float(number % 5))
            found.append(dict(point.study_params))
        return found

    assert proposals(11) == proposals(11)
    assert proposals(11) != proposals(12)


def test_a_grid_cuts_unstepped_floats_and_keeps_the_other_dimensions() -> None:
    grid = space().discretised(5)
    dropout = grid.dimensions["dropout"]
    assert isinstance(dropout, CategoricalDimension)
    assert dropout.choices == (0.0, 0.125, 0.25, 0.375, 0.5)
    assert grid.dimensions["hidden"] == DIMENSIONS["hidden"]
    assert grid.dimensions["width_mult"] == DIMENSIONS["width_mult"], "stepped: a grid already"
    study = optuna.create_study(sampler=optuna.samplers.BruteForceSampler(seed=0))
    point = grid.suggest(study.ask())
    assert point.config.dimensions()["dropout"] in dropout.choices


def test_a_past_point_keeps_only_the_dimension_values_the_new_space_can_take() -> None:
    past: dict[str, object] = {
        "optimizer": FAMILY,
        "dropout": 0.3,  # inside: kept
        "hidden": 1024,  # outside the new range: left for the sampler
        "activation": "tanh",  # not a choice any more: left for the sampler
        "channels": 8,  # not searched by the new job: skipped
    }
    point = revalidate(space(), past)
    assert point is not None
    assert {k: v for k, v in point.items() if "." not in k and k != "optimizer"} == {"dropout": 0.3}
    study = optuna.create_study()
    study.enqueue_trial(point)
    filled = space().suggest(study.ask())
    assert filled.study_params["dropout"] == 0.3
    assert 32 <= int(filled.study_params["hidden"]) <= 256, "the sampler fills the rest"
