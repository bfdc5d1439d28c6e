"""tabular-mlp: an MLP on scikit-learn's bundled breast-cancer data (569 rows, 30 features)."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from tunewise.wire.dimensions import BUILTIN_WORKLOAD_DIMENSIONS
from workers.workloads.base import Dataset, Split, Workload, WorkloadSpec
from workers.workloads.data import generator, holdout, standardize, with_noisy_copies


class TabularMlp(Workload):
    spec = WorkloadSpec(
        name="tabular-mlp",
        summary="MLP with layer norm classifying scikit-learn's bundled breast-cancer table",
        domain=Domain.TABULAR,
        architecture=Architecture.MLP,
        # Log loss rather than accuracy: 114 validation rows make accuracy too coarse to prune on.
        metric="val_loss",
        direction="minimize",
        default_epochs=20,
        default_batch_size=32,
    )
    accepted_dimensions = BUILTIN_WORKLOAD_DIMENSIONS["tabular-mlp"]

    def __init__(self, hidden: int = 64, dropout: float = 0.0) -> None:
        #: Width of both hidden layers at size 1, and dropout after each of them.
        self.hidden = hidden
        self.dropout = dropout

    def make_data(self, size: int, seed: int) -> Dataset:
        from sklearn.datasets import load_breast_cancer

        table = load_breast_cancer()
        features = torch.tensor(table.data, dtype=torch.float32)
        labels = torch.tensor(table.target, dtype=torch.long)
        gen = generator(seed)
        train_idx, valid_idx = holdout(len(labels), 0.2, gen)
        train_x, valid_x = standardize(features[train_idx], features[valid_idx])
        train_x, train_y = with_noisy_copies(train_x, labels[train_idx], size, noise=0.05, gen=gen)
        return Dataset(train=Split((train_x,), train_y), valid=Split((valid_x,), labels[valid_idx]))

    def make_model(self, size: int) -> nn.Module:
        return _Mlp(in_features=30, hidden=self.hidden * size, classes=2, dropout=self.dropout)

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.cross_entropy(outputs, target)

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.cross_entropy(outputs.float(), target)


class _Mlp(nn.Module):
    def __init__(self, in_features: int, hidden: int, classes: int, dropout: float) -> None:
        super().__init__()
        # No Dropout module at 0: the default model stays the one the batched runner stacks.
        dropped = (nn.Dropout(dropout),) if dropout > 0 else ()
        self.body = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.LayerNorm(hidden),
            nn.ReLU(),
            *dropped,
            nn.Linear(hidden, hidden),
            nn.LayerNorm(hidden),
            nn.ReLU(),
            *dropped,
        )
        self.head = nn.Linear(hidden, classes)

    def forward(self, features: Tensor) -> Tensor:
        logits: Tensor = self.head(self.body(features))
        return logits
