"""The classic families' updates over stacked parameters: one tensor per parameter with the
trials along dim 0, and every hyperparameter a per-trial tensor.

Each rule is torch.optim's single-tensor update (torch 2.13's ``_single_tensor_sgd``,
``_single_tensor_adagrad``, ``_single_tensor_rmsprop`` and ``_single_tensor_adam`` with
``maximize``, ``amsgrad``, ``centered`` and ``capturable`` off), written so that a value that
torch takes as a Python scalar is a ``[K, 1, …]`` tensor here. Where torch branches on a
hyperparameter (``momentum != 0``, ``nesterov``, ``weight_decay != 0``), the rule computes a
form that gives the same numbers for both branches, so trials on either side share one batch:

- SGD's momentum buffer starts as a copy of the first gradient, as torch's does; a trial
  with momentum 0 keeps ``buf = 0·buf + g = g`` (its dampening is forced to 0 when resolved,
  since torch ignores dampening without momentum), so ``buf`` is then torch's plain gradient.
- Adam and AdamW are one rule: decoupled decay multiplies the parameter by
  ``1 − lr·wd_decoupled`` (exactly 1 for an Adam trial) and L2 decay adds ``wd_l2·p`` to the
  gradient (``wd_l2`` is 0 for an AdamW trial).
- RMSprop's momentum buffer (zeros at first, as torch's) with momentum 0 holds ``g / avg``,
  which is the step torch takes without one.

Bias corrections and Adagrad's lr decay are per-trial scalars computed in float64 on the host
side of the step, as torch computes them in Python floats.
"""

from __future__ import annotations

import torch
from torch import Tensor


def per_trial(values: Tensor, like: Tensor) -> Tensor:
    """``[K]`` values shaped to broadcast against a stacked ``[K, …]`` tensor, in its dtype."""
    return values.to(dtype=like.dtype).view(-1, *([1] * (like.dim() - 1)))


def _decayed(grad: Tensor, param: Tensor, weight_decay: Tensor | None) -> Tensor:
    """``g + wd·p``, torch's L2 term; None where no trial decays (adding 0·p changes nothing)."""
    return grad if weight_decay is None else grad + weight_decay * param


def sgd_update(
    param: Tensor,
    grad: Tensor,
    state: dict[str, Tensor],
    *,
    lr: Tensor,
    weight_decay: Tensor | None,
    momentum: Tensor,
    one_minus_dampening: Tensor,
    nesterov: Tensor | None,
) -> None:
    """torch's SGD: ``g += wd·p``; ``buf = g`` on the first step, else
    ``buf = μ·buf + (1 − dampening)·g``; nesterov steps along ``g + μ·buf``, others along
    ``buf``; ``p -= lr·step``. All hyperparameters are ``[K, 1, …]``; ``nesterov`` is a bool
    tensor. A None term is zero (or false) in every trial and is skipped."""
    g = _decayed(grad, param, weight_decay)
    if "momentum_buffer" not in state:
        buf = g.detach().clone()
        state["momentum_buffer"] = buf
    else:
        buf = state["momentum_buffer"]
        buf.mul_(momentum).add_(one_minus_dampening * g)
    direction = buf if nesterov is None else torch.where(nesterov, g + momentum * buf, buf)
    param.sub_(lr * direction)


def adagrad_update(
    param: Tensor,
    grad: Tensor,
    state: dict[str, Tensor],
    *,
    clr: Tensor,
    weight_decay: Tensor | None,
    eps: Tensor,
    initial_accumulator_value: Tensor,
) -> None:
    """torch's Adagrad: the sum starts at ``initial_accumulator_value``; ``g += wd·p``;
    ``sum += g²``; ``p -= clr·g / (√sum + eps)`` where the caller's
    ``clr = lr / (1 + (step − 1)·lr_decay)``."""
    if "sum" not in state:
        state["sum"] = initial_accumulator_value.expand_as(param).clone()
    g = _decayed(grad, param, weight_decay)
    total = state["sum"]
    total.addcmul_(g, g)
    std = total.sqrt().add_(eps)
    param.sub_(clr * g / std)


def rmsprop_update(
    param: Tensor,
    grad: Tensor,
    state: dict[str, Tensor],
    *,
    lr: Tensor,
    weight_decay: Tensor | None,
    alpha: Tensor,
    one_minus_alpha: Tensor,
    eps: Tensor,
    momentum: Tensor,
) -> None:
    """torch's RMSprop (not centered): ``g += wd·p``; ``v = α·v + (1 − α)·g²``;
    ``avg = √v + eps``; ``buf = μ·buf + g / avg`` and ``p -= lr·buf``."""
    if "square_avg" not in state:
        state["square_avg"] = torch.zeros_like(param)
        state["momentum_buffer"] = torch.zeros_like(param)
    g = _decayed(grad, param, weight_decay)
    square_avg = state["square_avg"]
    square_avg.mul_(alpha).add_(one_minus_alpha * g * g)
    avg = square_avg.sqrt().add_(eps)
    buf = state["momentum_buffer"]
    buf.mul_(momentum).add_(g / avg)
    param.sub_(lr * buf)


def adam_update(
    param: Tensor,
    grad: Tensor,
    state: dict[str, Tensor],
    *,
    decay_factor: Tensor | None,
    weight_decay_l2: Tensor | None,
    one_minus_beta1: Tensor,
    beta2: Tensor,
    one_minus_beta2: Tensor,
    eps: Tensor,
    step_size: Tensor,
    bias_correction2_sqrt: Tensor,
) -> None:
    """torch's Adam and AdamW: ``p *= 1 − lr·wd_decoupled``; ``g += wd_l2·p``;
    ``m = lerp(m, g, 1 − β1)``; ``v = β2·v + (1 − β2)·g²``;
    ``p -= (lr / bc1) · m / (√v / √bc2 + eps)``. The caller computes the per-trial scalars
    (``decay_factor`` = ``1 − lr·wd_decoupled``, ``step_size`` = ``lr / bc1``,
    ``bias_correction2_sqrt`` = ``√bc2``) in float64, as torch does in Python floats."""
    if "exp_avg" not in state:
        state["exp_avg"] = torch.zeros_like(param)
        state["exp_avg_sq"] = torch.zeros_like(param)
    if decay_factor is not None:
        param.mul_(decay_factor)
    g = _decayed(grad, param, weight_decay_l2)
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    exp_avg.lerp_(g, one_minus_beta1)
    exp_avg_sq.mul_(beta2).add_(one_minus_beta2 * g * g)
    denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
    param.sub_(step_size * exp_avg / denom)
