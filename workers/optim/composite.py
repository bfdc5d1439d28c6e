"""Several torch optimizers stepped as one (dense family + sparse embeddings, Muon + AdamW)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import torch
from torch import nn
from torch.optim import Optimizer


class OptimizerSet:
    """The optimizers that together train one model.

    Every param group carries ``initial_lr``: the lr the config asked for that group (scaled
    for the backbone, or the sparse lr). Schedules multiply it, so ratios between groups hold
    at every step.
    """

    def __init__(self, optimizers: Sequence[Optimizer]) -> None:
        if not optimizers:
            raise ValueError("an OptimizerSet needs at least one optimizer")
        self.optimizers = tuple(optimizers)
        for group in self.param_groups():
            group.setdefault("initial_lr", group["lr"])
        # Norm clipping covers dense gradients only: torch cannot take the norm of a sparse one.
        self._dense_params = [
            p for g in self.param_groups() for p in g["params"] if not _takes_sparse(g)
        ]

    def param_groups(self) -> Iterator[dict[str, Any]]:
        for optimizer in self.optimizers:
            yield from optimizer.param_groups

    def group(self, name: str) -> dict[str, Any]:
        """The param group of that name (``decay``, ``no_decay``, ``sparse``, ``muon.decay``…)."""
        for group in self.param_groups():
            if group.get("name") == name:
                return group
        names = [g.get("name") for g in self.param_groups()]
        raise KeyError(f"no param group named {name!r}; groups: {names}")

    def set_lr_multiplier(self, multiplier: float, *, sparse_too: bool = True) -> None:
        """Every group's lr becomes its ``initial_lr`` × ``multiplier``; with ``sparse_too``
        False the sparse-embedding groups keep their own lr (the lr finder sweeps ``lr``,
        not ``sparse_lr``)."""
        for group in self.param_groups():
            if sparse_too or not _takes_sparse(group):
                group["lr"] = group["initial_lr"] * multiplier

    def zero_grad(self) -> None:
        for optimizer in self.optimizers:
            optimizer.zero_grad(set_to_none=True)

    def clip_grad_norm(self, max_norm: float) -> torch.Tensor:
        return nn.utils.clip_grad_norm_(self._dense_params, max_norm)

    def step(self) -> None:
        for optimizer in self.optimizers:
            optimizer.step()

    def describe(self) -> list[str]:
        """One line per group: which optimizer, its lr and weight decay, how many tensors."""
        return [
            f"{type(opt).__name__} {g.get('name', '?')}: lr={g['lr']:.3g} "
            f"weight_decay={g.get('weight_decay', 0.0):.3g} tensors={len(g['params'])}"
            for opt in self.optimizers
            for g in opt.param_groups
        ]


def _takes_sparse(group: dict[str, Any]) -> bool:
    return str(group.get("name", "")).endswith("sparse")
