"""adafactor: torch's Adafactor, and a capped-β2 variant for configs that set ``beta2``.

torch's Adafactor decays its factored second moment with β2_t = 1 − t^−0.8 (the paper's
schedule), which rises towards 1 without bound. A config's ``beta2`` caps it,
β2_t = min(1 − t^−0.8, beta2), as Zhai et al. ("Scaling Vision Transformers", 2022) do
with 0.999. torch has no such knob, so :class:`CappedAdafactor` re-implements torch's
single-tensor update step for step with the cap as the only difference; a test checks the
two agree when the cap never binds. ``eps`` is the paper's ε1 (regularises the second
moment); ε2 (the relative step-size floor) stays at torch's 1e-3.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch import Tensor
from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.base import TorchGroup, or_default, torch_groups
from workers.optim.groups import ParamGroupPlan

BETA2_DECAY = -0.8
EPS2 = 1e-3


def build_adafactor(
    groups: Sequence[ParamGroupPlan], config: TrainConfig, hidden: frozenset[str]
) -> list[Optimizer]:
    decay = or_default(config.weight_decay, 0.0)
    params = torch_groups(groups, config.lr, decay)
    if config.beta2 is None:
        return [torch.optim.Adafactor(params, lr=config.lr, eps=(config.eps, EPS2))]
    return [CappedAdafactor(params, lr=config.lr, beta2=config.beta2, eps1=config.eps)]


class CappedAdafactor(Optimizer):
    """Adafactor (Shazeer & Stern, 2018) as torch implements it, with β2_t capped at beta2."""

    def __init__(
        self,
        params: list[TorchGroup],
        lr: float = 1e-2,
        beta2: float = 0.999,
        eps1: float | None = None,
        weight_decay: float = 0.0,
    ) -> None:
        if not 0.0 < beta2 < 1.0:
            raise ValueError(f"beta2 must be in (0, 1), got {beta2}")
        defaults = {"lr": lr, "beta2": beta2, "eps1": eps1, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Callable[[], float] | None = None) -> float | None:  # type: ignore[override]
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is not None:
                    self._update(param, group)
        return loss

    def _update(self, param: Tensor, group: dict[str, Any]) -> None:
        grad = param.grad
        assert grad is not None
        if grad.is_sparse:
            raise RuntimeError("Adafactor does not support sparse gradients")
        state = self.state[param]
        if not state:
            state["step"] = 0
            if grad.dim() > 1:
                state["row_var"] = grad.new_zeros((*grad.shape[:-1], 1))
                state["col_var"] = grad.new_zeros((*grad.shape[:-2], 1, grad.shape[-1]))
            else:
                state["variance"] = torch.zeros_like(grad)
        state["step"] += 1
        step: int = state["step"]
        lr: float = group["lr"]
        eps1: float = group["eps1"] if group["eps1"] is not None else torch.finfo(param.dtype).eps

        one_minus_beta2 = max(step**BETA2_DECAY, 1.0 - group["beta2"])
        rho = min(lr, 1 / step**0.5)
        alpha = max(EPS2, param.norm(2).item() / param.numel() ** 0.5) * rho
        if group["weight_decay"] != 0:
            param.mul_(1 - lr * group["weight_decay"])

        if grad.dim() > 1:
            row_var, col_var = state["row_var"], state["col_var"]
            row_var.lerp_(
                torch.norm(grad, dim=-1, keepdim=True).square_() / grad.size(-1), one_minus_beta2
            )
            col_var.lerp_(
                torch.norm(grad, dim=-2, keepdim=True).square_() / grad.size(-2), one_minus_beta2
            )
            var_estimate = row_var @ col_var
            var_estimate.div_(row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1))
        else:
            state["variance"].lerp_(grad * grad, one_minus_beta2)
            var_estimate = state["variance"].clone()

        update = var_estimate.clamp_(min=eps1 * eps1).rsqrt_().mul_(grad)
        denom = max(1.0, update.norm(2).item() / update.numel() ** 0.5)
        param.add_(update, alpha=-alpha / denom)
