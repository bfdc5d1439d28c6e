"""A cluster of real processes per test, killed at the end whatever happened."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tests.integration.processes import TOKEN, Cluster
from tunewise.wire.models import Budget, Job, JobCreate, Objective
from workers.agent import ServiceClient

ClusterFactory = Callable[..., Cluster]


@pytest.fixture
def cluster_factory(tmp_path: Path) -> Iterator[ClusterFactory]:
    made: list[Cluster] = []

    def build(**kwargs: Any) -> Cluster:
        cluster = Cluster(folder=tmp_path / f"cluster{len(made)}", **kwargs)
        cluster.folder.mkdir(parents=True)
        made.append(cluster)
        return cluster

    try:
        yield build
    finally:
        for cluster in made:
            cluster.close()


@pytest.fixture
def cluster(cluster_factory: ClusterFactory) -> Cluster:
    return cluster_factory()


def client_of(cluster: Cluster) -> ServiceClient:
    assert cluster.api_url is not None
    return ServiceClient(cluster.api_url, SecretStr(TOKEN), timeout_s=10)


def submit(
    client: ServiceClient, workload: str, n_trials: int, max_epochs: int = 2, **extra: Any
) -> Job:
    spec = {
        "task": {"domain": "tabular", "architecture": "mlp"},
        "workload": workload,
        "objective": Objective(metric="mse", direction="minimize"),
        "budget": Budget(n_trials=n_trials, max_epochs=max_epochs),
        "pruner": "none",
        "seed": 3,
        **extra,
    }
    return client.create_job(JobCreate.model_validate(spec))
