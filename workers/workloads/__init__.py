"""Workloads: a model, its data, a loss and a metric, by name. Built-ins plus entry points."""

from workers.workloads.base import Dataset, Direction, Split, Workload, WorkloadSpec
from workers.workloads.registry import (
    BUILTIN_WORKLOADS,
    ENTRY_POINT_GROUP,
    WorkloadRegistry,
    load_entry_point,
)

__all__ = [
    "BUILTIN_WORKLOADS",
    "ENTRY_POINT_GROUP",
    "Dataset",
    "Direction",
    "Split",
    "Workload",
    "WorkloadRegistry",
    "WorkloadSpec",
    "load_entry_point",
]
