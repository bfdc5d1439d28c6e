"""How a model's parameters split into optimizer groups.

- Biases, normalization layers and embeddings get no weight decay (when the config says so,
  which is its default): decaying a gain towards zero or an embedding row that is seldom seen
  only fights the data.
- Sparse embeddings (``nn.Embedding(sparse=True)``) get their own group: only a
  sparse-capable optimizer (Adagrad, SparseAdam, SGD) can take their gradients.
- With ``backbone_lr_ratio`` (fine-tuning) everything outside the workload's head trains at
  ``lr × ratio``.
- The 2-D weights of hidden layers (not embeddings, not the head) are marked as hidden
  matrices: Muon's share of the model.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from workers.errors import OptimizerConfigError

NORM_LAYERS: tuple[type[nn.Module], ...] = (
    nn.modules.batchnorm._NormBase,
    nn.GroupNorm,
    nn.LayerNorm,
    nn.LocalResponseNorm,
    nn.RMSNorm,
)
EMBEDDINGS: tuple[type[nn.Module], ...] = (nn.Embedding, nn.EmbeddingBag)


@dataclass(frozen=True)
class ParamGroupPlan:
    """One optimizer parameter group before it meets an optimizer."""

    name: str
    params: tuple[nn.Parameter, ...]
    param_names: tuple[str, ...]
    lr_scale: float
    decay: bool
    sparse: bool


@dataclass(frozen=True)
class ParameterPlan:
    groups: tuple[ParamGroupPlan, ...]
    #: Names of the 2-D weights of hidden layers.
    hidden_matrices: frozenset[str]

    def dense(self) -> tuple[ParamGroupPlan, ...]:
        return tuple(g for g in self.groups if not g.sparse)

    def sparse(self) -> tuple[ParamGroupPlan, ...]:
        return tuple(g for g in self.groups if g.sparse)

    def group(self, name: str) -> ParamGroupPlan | None:
        return next((g for g in self.groups if g.name == name), None)


@dataclass(frozen=True)
class _Param:
    name: str
    param: nn.Parameter
    module: nn.Module


def plan_parameters(
    model: nn.Module,
    *,
    no_decay_bias_and_norm: bool = True,
    backbone_lr_ratio: float | None = None,
    head_modules: tuple[str, ...] = ("head",),
) -> ParameterPlan:
    params = _trainable(model)
    in_head = {p.name for p in params if _under(p.name, head_modules)}
    if backbone_lr_ratio is not None and not in_head:
        raise OptimizerConfigError(
            f"backbone_lr_ratio needs a head to keep at the full lr, but the model has no "
            f"parameters under {', '.join(head_modules)}; drop backbone_lr_ratio"
        )

    buckets: dict[tuple[str, str], list[_Param]] = {}
    for p in params:
        if _is_sparse_embedding(p.module):
            kind = "sparse"
        elif no_decay_bias_and_norm and _is_exempt_from_decay(p):
            kind = "no_decay"
        else:
            kind = "decay"
        section = ""
        if backbone_lr_ratio is not None:
            section = "head" if p.name in in_head else "backbone"
        buckets.setdefault((section, kind), []).append(p)

    groups = tuple(
        ParamGroupPlan(
            name=f"{section}.{kind}" if section else kind,
            params=tuple(p.param for p in members),
            param_names=tuple(p.name for p in members),
            lr_scale=backbone_lr_ratio if section == "backbone" and backbone_lr_ratio else 1.0,
            decay=kind == "decay",
            sparse=kind == "sparse",
        )
        for (section, kind), members in buckets.items()
    )
    hidden = frozenset(
        p.name
        for p in params
        if p.param.ndim == 2 and p.name not in in_head and not isinstance(p.module, EMBEDDINGS)
    )
    return ParameterPlan(groups=groups, hidden_matrices=hidden)


def _trainable(model: nn.Module) -> list[_Param]:
    """Every trainable parameter once (shared ones under their first name), with its module."""
    seen: set[int] = set()
    found = []
    for module_name, module in model.named_modules():
        for param_name, param in module.named_parameters(recurse=False):
            if not param.requires_grad or id(param) in seen:
                continue
            seen.add(id(param))
            full = f"{module_name}.{param_name}" if module_name else param_name
            found.append(_Param(full, param, module))
    return found


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _is_sparse_embedding(module: nn.Module) -> bool:
    return isinstance(module, EMBEDDINGS) and bool(getattr(module, "sparse", False))


def _is_exempt_from_decay(p: _Param) -> bool:
    leaf = p.name.rsplit(".", 1)[-1]
    return (
        leaf.startswith("bias")  # also LSTM's bias_ih_l0 and bias_hh_l0
        or p.param.ndim < 2
        or isinstance(p.module, NORM_LAYERS + EMBEDDINGS)
    )
