"""Sparse embeddings get their own sparse-capable optimizer, and actually train."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from advisor.config import TrainConfig
from tests.workers.models import Mixed, mixed_batch, names_in, train_steps
from workers.errors import OptimizerConfigError
from workers.optim import build_optimizer


def _optimizer_of(optimizers: object, group_name: str) -> torch.optim.Optimizer:
    for opt in optimizers.optimizers:  # type: ignore[attr-defined]
        if any(g.get("name") == group_name for g in opt.param_groups):
            return opt  # type: ignore[no-any-return]
    raise AssertionError(f"no optimizer holds {group_name}")


def test_sparse_embeddings_go_to_adagrad_beside_a_dense_family() -> None:
    model = Mixed()
    optimizers = build_optimizer(model, TrainConfig(optimizer="adamw", lr=1e-3))

    sparse = optimizers.group("sparse")
    assert names_in([sparse], model) == {"users.weight"}
    assert isinstance(_optimizer_of(optimizers, "sparse"), torch.optim.Adagrad)
    assert isinstance(_optimizer_of(optimizers, "decay"), torch.optim.AdamW)
    # Seed 003: sparse parameters take bigger steps than the dense lr.
    assert sparse["lr"] == 0.05
    assert sparse["weight_decay"] == 0.0


@pytest.mark.parametrize(
    ("config", "expected", "lr"),
    [
        (TrainConfig(optimizer="sparse_adam", lr=3e-3), torch.optim.SparseAdam, 3e-3),
        (TrainConfig(optimizer="sgd", lr=0.2), torch.optim.SGD, 0.2),
        (TrainConfig(optimizer="adagrad", lr=0.02), torch.optim.Adagrad, 0.02),
        (
            TrainConfig(optimizer="adam", lr=1e-3, sparse_optimizer="sparse_adam", sparse_lr=0.03),
            torch.optim.SparseAdam,
            0.03,
        ),
    ],
)
def test_the_sparse_optimizer_follows_the_config(
    config: TrainConfig, expected: type[torch.optim.Optimizer], lr: float
) -> None:
    optimizers = build_optimizer(Mixed(), config)

    assert type(_optimizer_of(optimizers, "sparse")) is expected
    assert optimizers.group("sparse")["lr"] == lr


def test_sparse_adam_pairs_sparse_adam_with_adam_for_the_dense_layers() -> None:
    config = TrainConfig(optimizer="sparse_adam", lr=1e-3, beta1=0.8)
    optimizers = build_optimizer(Mixed(), config)

    dense = _optimizer_of(optimizers, "decay")
    assert type(dense) is torch.optim.Adam
    assert dense.param_groups[0]["betas"] == (0.8, 0.999)


def test_sparse_adam_on_a_model_without_sparse_embeddings_is_refused() -> None:
    with pytest.raises(OptimizerConfigError, match="use adam"):
        build_optimizer(Mixed(sparse=False), TrainConfig(optimizer="sparse_adam", lr=1e-3))


@pytest.mark.parametrize("family", ["adamw", "momentum", "sparse_adam", "sgd", "muon"])
def test_sparse_embeddings_train_and_only_the_rows_seen_move(family: str) -> None:
    torch.manual_seed(0)
    model = Mixed()
    optimizers = build_optimizer(model, TrainConfig(optimizer=family, lr=1e-2))
    before = model.users.weight.detach().clone()
    losses = train_steps(model, optimizers, 20)
    inputs, _ = mixed_batch()

    assert model.users.weight.grad is not None and model.users.weight.grad.is_sparse
    moved = (model.users.weight.detach() - before).abs().sum(dim=1) > 0
    seen = torch.zeros(len(moved), dtype=torch.bool)
    seen[inputs[0]] = True
    assert seen.sum() > 5
    # Every user in the batch has a trained row; rows never seen stay as they were.
    assert torch.equal(moved, seen)
    assert losses[-1] < losses[0]


def test_clipping_covers_the_dense_gradients_and_leaves_sparse_ones_alone() -> None:
    model = Mixed()
    optimizers = build_optimizer(model, TrainConfig(optimizer="adamw", lr=1e-3))
    inputs, target = mixed_batch()
    (1000 * nn.functional.mse_loss(model(*inputs), target)).backward()  # type: ignore[no-untyped-call]
    sparse_before = model.users.weight.grad.coalesce().values().clone()  # type: ignore[union-attr]

    norm_before = optimizers.clip_grad_norm(1.0)
    norm_after = torch.linalg.vector_norm(
        torch.stack([p.grad.norm() for p in model.parameters() if not p.grad.is_sparse])  # type: ignore[union-attr]
    )

    assert norm_before > 1.0
    assert norm_after == pytest.approx(1.0, rel=1e-4)
    assert torch.equal(model.users.weight.grad.coalesce().values(), sparse_before)  # type: ignore[union-attr]
