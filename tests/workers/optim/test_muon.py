"""Muon trains only the 2-D weights of hidden layers; AdamW trains the rest."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from advisor.config import TrainConfig
from tests.workers.models import Mixed, train_steps
from workers.optim import build_optimizer


def _split(model: nn.Module) -> tuple[set[str], set[str]]:
    optimizers = build_optimizer(model, TrainConfig(optimizer="muon", lr=1e-3, weight_decay=0.1))
    by_id = {id(p): n for n, p in model.named_parameters()}
    kinds: dict[type, set[str]] = {}
    for opt in optimizers.optimizers:
        names = {by_id[id(p)] for g in opt.param_groups for p in g["params"]}
        kinds.setdefault(type(opt), set()).update(names)
    return kinds.get(torch.optim.Muon, set()), kinds.get(torch.optim.AdamW, set())


def test_muon_takes_the_hidden_matrices_only() -> None:
    model = Mixed()
    muon, adamw = _split(model)

    # body.weight is the one hidden matrix: the conv kernel is 3-D, embeddings and the head are
    # not hidden layers, biases and norms are not matrices. Sparse users go to Adagrad.
    assert muon == {"body.weight"}
    assert adamw == {n for n, _ in model.named_parameters()} - {"body.weight", "users.weight"}


def test_every_muon_parameter_is_two_dimensional_on_a_transformer() -> None:
    layer = nn.TransformerEncoderLayer(16, 2, dim_feedforward=32, batch_first=True)
    model = nn.ModuleDict(
        {"tokens": nn.Embedding(10, 16), "block": layer, "head": nn.Linear(16, 10)}
    )
    muon, adamw = _split(model)
    params = dict(model.named_parameters())

    assert muon == {
        "block.self_attn.in_proj_weight",
        "block.self_attn.out_proj.weight",
        "block.linear1.weight",
        "block.linear2.weight",
    }
    assert all(params[n].ndim == 2 for n in muon)
    assert {"tokens.weight", "head.weight"} <= adamw


def test_the_adamw_half_follows_the_reference_recipe() -> None:
    model = Mixed(sparse=False)
    optimizers = build_optimizer(model, TrainConfig(optimizer="muon", lr=0.02, weight_decay=0.2))

    # Muon at 0.02 beside AdamW at 3e-4 with betas (0.9, 0.95), one weight decay for both.
    assert optimizers.group("muon.decay")["lr"] == 0.02
    assert optimizers.group("muon.decay")["weight_decay"] == 0.2
    assert optimizers.group("adamw.decay")["lr"] == pytest.approx(3e-4)
    assert optimizers.group("adamw.decay")["betas"] == (0.9, 0.95)
    assert optimizers.group("adamw.decay")["weight_decay"] == 0.2
    assert optimizers.group("adamw.no_decay")["weight_decay"] == 0.0


def test_muon_trains() -> None:
    torch.manual_seed(0)
    model = Mixed()
    losses = train_steps(model, build_optimizer(model, TrainConfig(optimizer="muon", lr=0.02)), 30)

    assert losses[-1] < 0.5 * losses[0]
