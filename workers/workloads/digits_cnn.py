"""digits-cnn: a small CNN on scikit-learn's bundled 8×8 handwritten digits."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from tunewise.wire.dimensions import BUILTIN_WORKLOAD_DIMENSIONS
from workers.workloads.base import Dataset, Split, Workload, WorkloadSpec
from workers.workloads.data import generator, holdout, with_noisy_copies


class DigitsCnn(Workload):
    spec = WorkloadSpec(
        name="digits-cnn",
        summary="CNN classifying scikit-learn's 1,797 bundled 8x8 digits (10 classes)",
        domain=Domain.VISION,
        architecture=Architecture.CNN,
        metric="accuracy",
        direction="maximize",
        default_epochs=10,
        default_batch_size=64,
    )
    accepted_dimensions = BUILTIN_WORKLOAD_DIMENSIONS["digits-cnn"]

    def __init__(self, channels: int = 16, dropout: float = 0.0) -> None:
        #: Channels of the first convolution at size 1 (the second has twice as many), and
        #: dropout before the head.
        self.channels = channels
        self.dropout = dropout

    def make_data(self, size: int, seed: int) -> Dataset:
        from sklearn.datasets import load_digits

        digits = load_digits()
        # Pixels are 0..16; scaled to 0..1 and centred, the net needs no normalisation layer.
        images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0 - 0.5
        labels = torch.tensor(digits.target, dtype=torch.long)
        gen = generator(seed)
        train_idx, valid_idx = holdout(len(labels), 0.2, gen)
        train_x, train_y = with_noisy_copies(
            images[train_idx], labels[train_idx], size, noise=0.1, gen=gen
        )
        return Dataset(
            train=Split((train_x,), train_y),
            valid=Split((images[valid_idx],), labels[valid_idx]),
        )

    def make_model(self, size: int) -> nn.Module:
        return _DigitsNet(width=self.channels * size, dropout=self.dropout)

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.cross_entropy(outputs, target)

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return (outputs.argmax(dim=1) == target).float().mean()


class _DigitsNet(nn.Module):
    def __init__(self, width: int, dropout: float) -> None:
        super().__init__()
        # No Dropout module at 0: the default model stays the one the batched runner stacks.
        dropped = (nn.Dropout(dropout),) if dropout > 0 else ()
        self.features = nn.Sequential(
            nn.Conv2d(1, width, 3, padding=1),
            nn.BatchNorm2d(width),
            nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, padding=1),
            nn.BatchNorm2d(2 * width),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(2 * width * 16, 4 * width),
            nn.ReLU(),
            *dropped,
        )
        self.head = nn.Linear(4 * width, 10)

    def forward(self, images: Tensor) -> Tensor:
        logits: Tensor = self.head(self.features(images))
        return logits
