"""A cluster of real processes per test, killed at the end whatever happened."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tunewise.testing.processes import Cluster

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
