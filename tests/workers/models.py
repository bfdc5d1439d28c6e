"""Small models the harness tests share: every kind of parameter the grouping rules tell apart."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from workers.optim import OptimizerSet


class Mixed(nn.Module):
    """Dense and sparse embeddings, a conv, linear layers, batch and layer norm, and a head."""

    def __init__(self, sparse: bool = True) -> None:
        super().__init__()
        self.users = nn.Embedding(50, 8, sparse=sparse)
        self.words = nn.Embedding(20, 8)  # dense embedding
        self.conv = nn.Conv1d(1, 2, 3, padding=1)
        self.batch_norm = nn.BatchNorm1d(2)
        self.body = nn.Linear(8 + 8 + 16, 16)
        self.layer_norm = nn.LayerNorm(16)
        self.head = nn.Linear(16, 1)

    def forward(self, user: Tensor, word: Tensor, signal: Tensor) -> Tensor:
        conv = self.batch_norm(self.conv(signal)).flatten(1)
        joined = torch.cat([self.users(user), self.words(word), conv], dim=1)
        hidden = self.layer_norm(torch.relu(self.body(joined)))
        out: Tensor = self.head(hidden).squeeze(1)
        return out


def mixed_batch(n: int = 32, seed: int = 0) -> tuple[tuple[Tensor, Tensor, Tensor], Tensor]:
    gen = torch.Generator().manual_seed(seed)
    inputs = (
        torch.randint(0, 10, (n,), generator=gen),  # only users 0..9 ever appear
        torch.randint(0, 20, (n,), generator=gen),
        torch.randn(n, 1, 8, generator=gen),
    )
    return inputs, torch.randn(n, generator=gen)


def train_steps(model: Mixed, optimizers: OptimizerSet, steps: int) -> list[float]:
    """Train on one fixed batch; the loss of each step."""
    inputs, target = mixed_batch()
    losses = []
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(*inputs), target)
        optimizers.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizers.step()
        losses.append(loss.item())
    return losses


def names_in(groups: list[dict[str, object]], model: nn.Module) -> set[str]:
    by_id = {id(p): name for name, p in model.named_parameters()}
    return {by_id[id(p)] for g in groups for p in g["params"]}  # type: ignore[attr-defined]
