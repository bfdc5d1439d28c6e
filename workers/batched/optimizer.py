"""``BatchedOptimizer``: K trials' optimizers as one, over stacked parameters.

Which trials share a batch: those whose families share an **update rule** (see
:data:`RULE_OF`). sgd, momentum and nesterov are torch's SGD with per-trial momentum,
dampening and nesterov flag; adam and adamw are torch's Adam with per-trial L2 or decoupled
decay; adagrad and rmsprop are each their own. Families with different rules go to different
batches, because a batch that mixed them would either run every rule over the whole stack
(up to four times the optimizer work and state memory) or gather and scatter each family's
slice of every parameter at every step; both cost more than a second, smaller batch. Families
that have no batched rule (nadam, radam, adafactor, muon, sparse_adam) run one at a time.

Each trial keeps what ``workers.optim.build_optimizer`` would give it alone: its family's
defaults, its schedule, and its parameter groups (no decay on biases and norms, a backbone lr
ratio), which become per-trial, per-parameter lr scales and decay masks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import torch
from torch import Tensor, nn

from advisor.config import TrainConfig
from advisor.families import OptimizerName
from workers.batched.errors import BatchingError
from workers.batched.rules import (
    adagrad_update,
    adam_update,
    per_trial,
    rmsprop_update,
    sgd_update,
)
from workers.optim.groups import plan_parameters
from workers.optim.sgd import DEFAULT_MOMENTUM

O = OptimizerName  # noqa: E741 -- short alias keeps the table readable


class UpdateRule(StrEnum):
    SGD = "sgd"
    ADAGRAD = "adagrad"
    RMSPROP = "rmsprop"
    ADAM = "adam"


RULE_OF: Mapping[OptimizerName, UpdateRule] = {
    O.SGD: UpdateRule.SGD,
    O.MOMENTUM: UpdateRule.SGD,
    O.NESTEROV: UpdateRule.SGD,
    O.ADAGRAD: UpdateRule.ADAGRAD,
    O.RMSPROP: UpdateRule.RMSPROP,
    O.ADAM: UpdateRule.ADAM,
    O.ADAMW: UpdateRule.ADAM,
}


def update_rule(family: OptimizerName) -> UpdateRule:
    """The batched rule that trains ``family``; BatchingError for a family without one."""
    try:
        return RULE_OF[family]
    except KeyError:
        raise BatchingError(
            f"optimizer {family.value!r} has no batched update; batched trials use "
            f"{', '.join(f.value for f in RULE_OF)}"
        ) from None


@dataclass(frozen=True)
class ParamRole:
    """What a parameter's group makes of its trial's lr and weight decay."""

    lr_scale: float
    decay: bool


def param_roles(
    model: nn.Module, config: TrainConfig, head_modules: tuple[str, ...] = ("head",)
) -> dict[str, ParamRole]:
    """Each parameter's role under ``config``, by name, from the same grouping plan as a
    trial run alone (``workers.optim.groups.plan_parameters``)."""
    plan = plan_parameters(
        model,
        no_decay_bias_and_norm=config.no_decay_bias_and_norm,
        backbone_lr_ratio=config.backbone_lr_ratio,
        head_modules=head_modules,
    )
    if plan.sparse():
        raise BatchingError("sparse embeddings need their own optimizer; run them one at a time")
    return {
        name: ParamRole(lr_scale=group.lr_scale, decay=group.decay)
        for group in plan.groups
        for name in group.param_names
    }


def _or(value: float | None, default: float) -> float:
    return default if value is None else value


def resolve_hyperparameters(config: TrainConfig) -> dict[str, float]:
    """The family's full set of values for one trial, with the defaults its builder in
    ``workers.optim`` uses when the config leaves one out."""
    family = config.optimizer
    rule = update_rule(family)
    decay = _or(config.weight_decay, 0.01 if family is O.ADAMW else 0.0)
    if rule is UpdateRule.SGD:
        momentum = _or(config.momentum, 0.0 if family is O.SGD else DEFAULT_MOMENTUM)
        nesterov = family is O.NESTEROV
        # torch ignores dampening without momentum and the nesterov family takes none.
        dampening = 0.0 if nesterov or momentum == 0 else _or(config.dampening, 0.0)
        return {
            "weight_decay": decay,
            "momentum": momentum,
            "dampening": dampening,
            "nesterov": float(nesterov),
        }
    if rule is UpdateRule.ADAGRAD:
        return {
            "weight_decay": decay,
            "eps": _or(config.eps, 1e-10),
            "initial_accumulator_value": _or(config.initial_accumulator_value, 0.0),
            "lr_decay": 0.0,
        }
    if rule is UpdateRule.RMSPROP:
        return {
            "weight_decay": decay,
            "alpha": _or(config.alpha, 0.99),
            "momentum": _or(config.momentum, 0.0),
            "eps": _or(config.eps, 1e-8),
        }
    return {
        "weight_decay_l2": decay if family is O.ADAM else 0.0,
        "weight_decay_decoupled": decay if family is O.ADAMW else 0.0,
        "beta1": _or(config.beta1, 0.9),
        "beta2": _or(config.beta2, 0.999),
        "eps": _or(config.eps, 1e-8),
    }


class BatchedOptimizer:
    """Owns K trials' stacked parameters (leaves with ``requires_grad``) and steps them.

    ``params`` maps each parameter name to a ``[K, …]`` tensor; ``roles[k]`` gives trial k's
    role of each name. The per-step lr of trial k is ``config.lr × multipliers[k]``, and of a
    parameter ``× its lr_scale``.
    """

    def __init__(
        self,
        params: Mapping[str, Tensor],
        configs: Sequence[TrainConfig],
        roles: Sequence[Mapping[str, ParamRole]],
    ) -> None:
        if not configs or len(configs) != len(roles):
            raise ValueError("one config and one role map per trial, at least one trial")
        rules = {update_rule(c.optimizer) for c in configs}
        if len(rules) != 1:
            raise BatchingError(
                f"a batch takes one update rule; these configs need {sorted(rules)} "
                "(group trials with workers.batched.batch_key)"
            )
        self.rule = rules.pop()
        first = next(iter(params.values()))
        device = first.device
        self.params: dict[str, Tensor] = {
            name: p.detach().clone().requires_grad_(True) for name, p in params.items()
        }
        for name, p in self.params.items():
            if p.shape[0] != len(configs):
                raise ValueError(f"{name} stacks {p.shape[0]} trials, not {len(configs)}")

        def column(values: Sequence[float]) -> Tensor:
            return torch.tensor(values, dtype=torch.float64, device=device)

        hyper = [resolve_hyperparameters(c) for c in configs]
        self.hyper = {key: column([h[key] for h in hyper]) for key in hyper[0]}
        self.base_lr = column([c.lr for c in configs])
        clip = [c.grad_clip_norm for c in configs]
        self.clip: Tensor | None = (
            column([math_inf if v is None else v for v in clip])
            if any(v is not None for v in clip)
            else None
        )
        # Parameters whose roles agree in every trial share their per-step scalars, so a
        # step computes them once per role (two, usually: decayed or not), not per tensor.
        by_role: dict[tuple[tuple[float, ...], tuple[bool, ...]], list[str]] = {}
        for name in self.params:
            key = (tuple(r[name].lr_scale for r in roles), tuple(r[name].decay for r in roles))
            by_role.setdefault(key, []).append(name)
        self.roles = [
            _RoleGroup(tuple(names), column(key[0]), column([float(d) for d in key[1]]))
            for key, names in by_role.items()
        ]
        self.state: dict[str, dict[str, Tensor]] = {n: {} for n in self.params}
        self.steps = 0

    @property
    def size(self) -> int:
        return int(self.base_lr.shape[0])

    def zero_grad(self) -> None:
        for p in self.params.values():
            p.grad = None

    @torch.no_grad()
    def step(self, multipliers: Tensor | None = None) -> None:
        """One optimizer step for every trial; ``multipliers`` (``[K]`` float64) are the
        trials' schedule factors at this step (1 when None)."""
        self.steps += 1
        lr = self.base_lr if multipliers is None else self.base_lr * multipliers
        grads = {n: p.grad for n, p in self.params.items() if p.grad is not None}
        if self.clip is not None:
            self._clip(grads)
        update = _UPDATES[self.rule]
        for role in self.roles:
            scalars = self._scalars(lr * role.lr_scale, role.decays)
            shaped: dict[int, dict[str, Tensor | None]] = {}
            for name in role.names:
                grad = grads.get(name)
                if grad is None:
                    continue
                param = self.params[name]
                if param.dim() not in shaped:
                    shaped[param.dim()] = {
                        key: None if value is None else _shape(key, value, param)
                        for key, value in scalars.items()
                    }
                update(param, grad, self.state[name], **shaped[param.dim()])

    def keep(self, index: Tensor) -> None:
        """Only the trials at ``index`` (positions in the current stack, in order) go on."""
        self.params = {
            n: p.detach().index_select(0, index).requires_grad_(True)
            for n, p in self.params.items()
        }
        self.state = {
            n: {k: v.index_select(0, index) for k, v in s.items()} for n, s in self.state.items()
        }
        cpu = index.to(self.base_lr.device)
        self.hyper = {k: v.index_select(0, cpu) for k, v in self.hyper.items()}
        self.base_lr = self.base_lr.index_select(0, cpu)
        if self.clip is not None:
            self.clip = self.clip.index_select(0, cpu)
        self.roles = [
            _RoleGroup(r.names, r.lr_scale.index_select(0, cpu), r.decays.index_select(0, cpu))
            for r in self.roles
        ]

    def _clip(self, grads: Mapping[str, Tensor]) -> None:
        """torch's clip_grad_norm_ per trial: the norm over all of a trial's gradients,
        ``coef = max_norm / (norm + 1e-6)`` capped at 1; trials without a limit untouched."""
        assert self.clip is not None
        squares = [g.flatten(1).float().pow(2).sum(dim=1) for g in grads.values()]
        norm = torch.stack(squares).sum(dim=0).sqrt().double()
        coef = (self.clip / (norm + 1e-6)).clamp(max=1.0)
        coef = torch.where(torch.isinf(self.clip), torch.ones_like(coef), coef)
        for g in grads.values():
            g.mul_(per_trial(coef, g))

    def _scalars(self, lr: Tensor, decays: Tensor) -> dict[str, Tensor | None]:
        """This step's per-trial scalars of one role, in float64 (torch computes them in
        Python floats); None for a term that is zero in every trial, which the rule skips."""
        h, step = self.hyper, self.steps

        def unless_zero(values: Tensor) -> Tensor | None:
            return values if bool(values.any()) else None

        if self.rule is UpdateRule.SGD:
            return {
                "lr": lr,
                "weight_decay": unless_zero(h["weight_decay"] * decays),
                "momentum": h["momentum"],
                "one_minus_dampening": 1 - h["dampening"],
                "nesterov": unless_zero(h["nesterov"]),
            }
        if self.rule is UpdateRule.ADAGRAD:
            return {
                "clr": lr / (1 + (step - 1) * h["lr_decay"]),
                "weight_decay": unless_zero(h["weight_decay"] * decays),
                "eps": h["eps"],
                "initial_accumulator_value": h["initial_accumulator_value"],
            }
        if self.rule is UpdateRule.RMSPROP:
            return {
                "lr": lr,
                "weight_decay": unless_zero(h["weight_decay"] * decays),
                "alpha": h["alpha"],
                "one_minus_alpha": 1 - h["alpha"],
                "eps": h["eps"],
                "momentum": h["momentum"],
            }
        beta1, beta2 = h["beta1"], h["beta2"]
        decoupled = unless_zero(h["weight_decay_decoupled"] * decays)
        return {
            "decay_factor": None if decoupled is None else 1 - lr * decoupled,
            "weight_decay_l2": unless_zero(h["weight_decay_l2"] * decays),
            "one_minus_beta1": 1 - beta1,
            "beta2": beta2,
            "one_minus_beta2": 1 - beta2,
            "eps": h["eps"],
            "step_size": lr / (1 - beta1**step),
            "bias_correction2_sqrt": (1 - beta2**step).sqrt(),
        }


@dataclass(frozen=True)
class _RoleGroup:
    """Parameters with the same lr scale and decay in every trial of the batch."""

    names: tuple[str, ...]
    lr_scale: Tensor
    decays: Tensor


def _shape(key: str, values: Tensor, param: Tensor) -> Tensor:
    shaped = per_trial(values, param)
    return shaped.bool() if key == "nesterov" else shaped


_UPDATES: Mapping[UpdateRule, Callable[..., None]] = {
    UpdateRule.SGD: sgd_update,
    UpdateRule.ADAGRAD: adagrad_update,
    UpdateRule.RMSPROP: rmsprop_update,
    UpdateRule.ADAM: adam_update,
}

math_inf = float("inf")
