"""The built-in workloads' own dimensions: the wire's catalogue (what the service accepts) is
exactly what each workload builds its model from; each dimension really changes the model;
anything else is refused; a trial's params build the workload it trains."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from torch import nn

from tunewise.wire.dimensions import BUILTIN_WORKLOAD_DIMENSIONS, DimensionValue, TrialParams
from workers.errors import HarnessError
from workers.runner import TrialState, run_trial
from workers.workloads import BUILTIN_WORKLOADS, Workload
from workers.workloads.tabular_mlp import TabularMlp

BUILTINS = {w.spec.name: w for w in BUILTIN_WORKLOADS}
#: For each dimension a built-in understands: a value other than its default, and how to read
#: that value back from the model it builds.
PROBES: Mapping[tuple[str, str], tuple[DimensionValue, type[nn.Module], str]] = {
    ("tabular-mlp", "hidden"): (48, nn.Linear, "out_features"),
    ("tabular-mlp", "dropout"): (0.3, nn.Dropout, "p"),
    ("digits-cnn", "channels"): (8, nn.Conv2d, "out_channels"),
    ("digits-cnn", "dropout"): (0.25, nn.Dropout, "p"),
}


def first(model: nn.Module, kind: type[nn.Module], attribute: str) -> object:
    return next(getattr(m, attribute) for m in model.modules() if isinstance(m, kind))


def test_the_catalogue_names_every_built_in_and_only_them() -> None:
    assert set(BUILTIN_WORKLOAD_DIMENSIONS) == set(BUILTINS)
    for name, workload in BUILTINS.items():
        assert workload.accepted_dimensions == BUILTIN_WORKLOAD_DIMENSIONS[name]
    assert {(w, d) for w, dims in BUILTIN_WORKLOAD_DIMENSIONS.items() for d in dims} == set(PROBES)


@pytest.mark.parametrize(("workload", "dimension"), sorted(PROBES))
def test_each_dimension_in_the_catalogue_changes_the_model(workload: str, dimension: str) -> None:
    value, kind, attribute = PROBES[(workload, dimension)]
    built = BUILTINS[workload]().with_dimensions({dimension: value}).make_model(1)
    assert first(built, kind, attribute) == value


@pytest.mark.parametrize("name", sorted({w for w, _ in PROBES}))
def test_the_default_model_has_no_dropout_module(name: str) -> None:
    """Dropout 0 adds no module, so the default model is the one the batched runner stacks."""
    workload: Workload = BUILTINS[name]()
    assert workload.with_dimensions({}) is workload
    assert not any(isinstance(m, nn.Dropout) for m in workload.make_model(1).modules())
    zero = workload.with_dimensions({"dropout": 0.0}).make_model(1)
    assert not any(isinstance(m, nn.Dropout) for m in zero.modules())


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_a_dimension_a_workload_does_not_understand_is_refused(name: str) -> None:
    understood = ", ".join(sorted(BUILTIN_WORKLOAD_DIMENSIONS[name])) or "none"
    with pytest.raises(HarnessError, match=f"it understands {understood}$"):
        BUILTINS[name]().with_dimensions({"depth": 3})


def test_a_value_outside_what_the_workload_builds_is_refused() -> None:
    with pytest.raises(HarnessError, match=r"takes hidden from 1 to 4096, got 2\.5"):
        TabularMlp().with_dimensions({"hidden": 2.5})
    with pytest.raises(HarnessError, match=r"takes dropout from 0 to 0\.9, got 1\.0"):
        TabularMlp().with_dimensions({"dropout": 1.0})


def test_a_trial_trains_the_workload_its_params_build() -> None:
    params = TrialParams.model_validate(
        {"optimizer": "adamw", "lr": 3e-3, "hidden": 24, "dropout": 0.1, "batch_size": 64}
    )
    outcome = run_trial("tabular-mlp", params, max_epochs=1, device="cpu", seed=0)
    assert outcome.state is TrialState.COMPLETE and outcome.value is not None
    wider = run_trial(
        "tabular-mlp",
        params.model_copy(update={"hidden": 96}),
        max_epochs=1,
        device="cpu",
        seed=0,
    )
    assert wider.value != outcome.value, "hidden reached the model"
    with pytest.raises(HarnessError, match="does not understand dimension 'channels'"):
        run_trial(
            "tabular-mlp",
            TrialParams.model_validate({"optimizer": "adamw", "lr": 3e-3, "channels": 8}),
            max_epochs=1,
            device="cpu",
        )
