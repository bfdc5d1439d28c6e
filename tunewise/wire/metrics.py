"""The metrics a trial of a built-in workload reports, so a job naming another one is refused
before it runs (a bring-your-own-loop client reports whatever it names).

Every workload run by the training harness reports its quality metric and the resource
metrics below; the built-in workloads' quality metrics are listed here, beside the wire, so
the service and the CLI can check a job without importing torch (tests/workers checks that
this table matches the workloads' own specs).
"""

from __future__ import annotations

from collections.abc import Sequence

from tunewise.wire.models import Constraint, Objective

#: Wall time of the training loop, evaluation included (seconds).
TRAIN_SECONDS = "train_seconds"
#: CUDA: peak allocated memory during the trial; CPU: peak resident memory growth (MiB).
PEAK_MEMORY_MB = "peak_memory_mb"
#: Trainable parameters of the model.
N_PARAMETERS = "n_parameters"
RESOURCE_METRICS = (TRAIN_SECONDS, PEAK_MEMORY_MB, N_PARAMETERS)

#: Built-in workload -> its quality metric (workers.workloads' specs).
BUILT_IN_QUALITY = {
    "digits-cnn": "accuracy",
    "recsys-embedding": "rmse",
    "sequence-lstm": "mse",
    "tabular-mlp": "val_loss",
    "text-transformer": "perplexity",
}


def reported_metrics(workload: str | None) -> tuple[str, ...] | None:
    """The metrics a trial of ``workload`` reports; None when any name goes (a client's own
    loop, or a workload installed on the workers that the service does not know)."""
    if workload is None or workload not in BUILT_IN_QUALITY:
        return None
    return (BUILT_IN_QUALITY[workload], *RESOURCE_METRICS)


def unknown_metric(
    workload: str | None, objectives: Sequence[Objective], constraints: Sequence[Constraint]
) -> tuple[str, str] | None:
    """``(field, message)`` for the first objective or constraint naming a metric the
    workload does not report; None when all are known."""
    allowed = reported_metrics(workload)
    if allowed is None:
        return None
    named = [(f"objectives.{i}.metric", o.metric) for i, o in enumerate(objectives)]
    named += [(f"constraints.{i}.metric", c.metric) for i, c in enumerate(constraints)]
    for field, metric in named:
        if metric not in allowed:
            return field, (
                f"workload {workload!r} does not report {metric!r}; "
                f"its metrics are {', '.join(allowed)}"
            )
    return None
