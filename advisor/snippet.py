"""A tuned config as PyTorch code a person can paste next to their model.

Written as text, without importing torch (``tunewise submit`` stays quick, and the service,
which never imports torch, shows it on a job's page). The values the harness fills in when a
config leaves them unset are spelled out, so the snippet trains with exactly what the trial
trained with; a test builds both and compares them.

Pure (advisor imports pydantic and the standard library only), so every layer may use it:
the CLI (`tunewise submit`) and the dashboard both write their snippets with it.
"""

from __future__ import annotations

from advisor.config import ScheduleName, TrainConfig
from advisor.families import OptimizerName

O = OptimizerName  # noqa: E741 -- short alias keeps the tables readable

#: torch class per family (muon's non-matrix half and sparse_adam's dense half are below).
TORCH_CLASS: dict[OptimizerName, str] = {
    O.SGD: "SGD",
    O.MOMENTUM: "SGD",
    O.NESTEROV: "SGD",
    O.ADAGRAD: "Adagrad",
    O.RMSPROP: "RMSprop",
    O.ADAM: "Adam",
    O.ADAMW: "AdamW",
    O.NADAM: "NAdam",
    O.RADAM: "RAdam",
    O.ADAFACTOR: "Adafactor",
    O.MUON: "Muon",
    O.SPARSE_ADAM: "SparseAdam",
}

#: What the harness uses when a config leaves a value unset, where torch's default differs.
HARNESS_DEFAULTS: dict[OptimizerName, dict[str, float]] = {
    O.MOMENTUM: {"momentum": 0.9},
    O.NESTEROV: {"momentum": 0.9},
    O.ADAMW: {"weight_decay": 0.01},
    O.MUON: {"momentum": 0.95, "weight_decay": 0.01},
}
#: Muon's AdamW half runs at this fraction of the config's lr (the reference recipe's
#: 3e-4 / 0.02), with these betas.
MUON_ADAMW_LR_RATIO = 0.015
MUON_ADAMW_BETAS = (0.9, 0.95)
_FIXED: dict[OptimizerName, dict[str, object]] = {
    O.NESTEROV: {"nesterov": True},
    O.NADAM: {"decoupled_weight_decay": True},
}
_BETA_FAMILIES = frozenset({O.ADAM, O.ADAMW, O.NADAM, O.RADAM, O.SPARSE_ADAM})


def _number(value: float) -> str:
    # Python's shortest form that reads back as the same float: short for the round values a
    # person picks, exact for the ones a search found (the trial trained with exactly these).
    return repr(float(value))


def _literal(value: object) -> str:
    return _number(value) if isinstance(value, float) else repr(value)


def optimizer_kwargs(config: TrainConfig) -> dict[str, object]:
    """The keyword arguments of the family's torch optimizer (weight decay goes per group)."""
    family = config.optimizer
    values: dict[str, object] = {"lr": config.lr}
    defaults = HARNESS_DEFAULTS.get(family, {})
    for name in ("momentum", "dampening", "alpha", "eps", "initial_accumulator_value"):
        value = getattr(config, name)
        value = defaults.get(name) if value is None else value
        if value is not None:
            values[name] = value
    if family in _BETA_FAMILIES and (config.beta1 is not None or config.beta2 is not None):
        values["betas"] = (
            0.9 if config.beta1 is None else config.beta1,
            0.999 if config.beta2 is None else config.beta2,
        )
    if family is O.ADAFACTOR:
        values["eps"] = (config.eps, 1e-3)  # (eps1, torch's eps2)
    values.update(_FIXED.get(family, {}))
    return values


def weight_decay_of(config: TrainConfig) -> float:
    default = HARNESS_DEFAULTS.get(config.optimizer, {}).get("weight_decay", 0.0)
    return default if config.weight_decay is None else config.weight_decay


def _call(function: str, first: str, kwargs: dict[str, object]) -> list[str]:
    lines = [f"{function}(", f"    {first},"]
    lines += [f"    {key}={_literal_tuple(value)}," for key, value in kwargs.items()]
    return [*lines, ")"]


def _literal_tuple(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ")"
    return _literal(value)


def _groups(config: TrainConfig) -> list[str]:
    """One group when every parameter decays alike (or none does); else the harness's split:
    weight matrices decay, biases, norm layers and embeddings do not."""
    weight_decay = weight_decay_of(config)
    trainable = "[p for p in model.parameters() if p.requires_grad]"
    if weight_decay == 0:
        return [
            "# No weight decay: this config leaves it unset. To add some, decay the weight",
            "# matrices only, not biases, norm layers or embeddings.",
            f'groups = [{{"params": {trainable}, "weight_decay": 0.0}}]',
        ]
    decay = _number(weight_decay)
    if not config.no_decay_bias_and_norm:
        return [f'groups = [{{"params": {trainable}, "weight_decay": {decay}}}]']
    return [
        "# Weight decay on weight matrices only: biases, norm layers and embeddings get none.",
        "no_decay_modules = (",
        "    torch.nn.modules.batchnorm._NormBase, torch.nn.GroupNorm, torch.nn.LayerNorm,",
        "    torch.nn.LocalResponseNorm, torch.nn.RMSNorm,",
        "    torch.nn.Embedding, torch.nn.EmbeddingBag,",
        ")",
        "decay, no_decay, seen = [], [], set()",
        "for module in model.modules():",
        "    for name, p in module.named_parameters(recurse=False):",
        "        if p.requires_grad and id(p) not in seen:  # a shared weight goes in once",
        "            seen.add(id(p))",
        "            norm_or_embedding = isinstance(module, no_decay_modules)",
        '            exempt = name.startswith("bias") or p.ndim < 2 or norm_or_embedding',
        "            (no_decay if exempt else decay).append(p)",
        "groups = [",
        f'    {{"params": decay, "weight_decay": {decay}}},',
        '    {"params": no_decay, "weight_decay": 0.0},',
        "]",
    ]


def _optimizer(config: TrainConfig) -> list[str]:
    family = config.optimizer
    kwargs = optimizer_kwargs(config)
    if family is O.MUON:
        decay = _number(weight_decay_of(config))
        adamw = {"lr": config.lr * MUON_ADAMW_LR_RATIO, "betas": MUON_ADAMW_BETAS}
        return [
            "# Muon for the 2-D weights of hidden layers; AdamW for the rest: the output head,",
            "# embeddings, biases and gains (put your head's parameters in `head`).",
            "head: set[torch.nn.Parameter] = set()",
            "hidden = [p for p in model.parameters() if p.ndim == 2 and p not in head]",
            "rest = [p for p in model.parameters() if not (p.ndim == 2 and p not in head)]",
            *_call(
                "optimizer = torch.optim.Muon",
                "hidden",
                {**kwargs, "weight_decay": weight_decay_of(config)},
            ),
            "adamw_groups = [",
            f'    {{"params": [p for p in rest if p.ndim > 1], "weight_decay": {decay}}},',
            '    {"params": [p for p in rest if p.ndim <= 1], "weight_decay": 0.0},',
            "]",
            *_call("adamw = torch.optim.AdamW", "adamw_groups", adamw),
            "# Step both after each backward: optimizer.step(); adamw.step()",
        ]
    if family is O.SPARSE_ADAM:
        return [
            "# SparseAdam takes only the sparse embeddings (nn.Embedding(sparse=True)).",
            "sparse = [p for m in model.modules() if isinstance(m, torch.nn.Embedding) "
            "and m.sparse for p in m.parameters()]",
            *_call("optimizer = torch.optim.SparseAdam", "sparse", kwargs),
        ]
    lines = _groups(config)
    if family is O.ADAFACTOR and config.beta2 is not None:
        lines += [
            f"# tunewise caps Adafactor's beta2 at {_number(config.beta2)} (Zhai et al., 2022);",
            "# torch's Adafactor has no such option and lets it rise towards 1.",
        ]
    return [*lines, *_call(f"optimizer = torch.optim.{TORCH_CLASS[family]}", "groups", kwargs)]


def _cosine(floor: float, progress: str) -> str:
    """Half a cosine from 1 down to ``floor`` as ``progress`` goes from 0 to 1."""
    half = f"0.5 * (1 + math.cos(math.pi * {progress}))"
    return half if floor == 0 else f"{_number(floor)} + {_number(1 - floor)} * {half}"


def _linear(floor: float, progress: str) -> str:
    return f"1 - {progress}" if floor == 0 else f"1 - {_number(1 - floor)} * {progress}"


def _schedule(config: TrainConfig) -> list[str]:
    spec = config.schedule
    steps = "total_steps = 10_000  # optimizer steps in your whole run: epochs × batches per epoch"
    scheduler = "scheduler = torch.optim.lr_scheduler"
    if spec.name is ScheduleName.CONSTANT:
        return []
    if spec.name is ScheduleName.STEP:
        return [
            f"{scheduler}.StepLR(optimizer, step_size={spec.step_epochs}, "
            f"gamma={_number(spec.effective_gamma())})",
            "# scheduler.step() once per epoch",
        ]
    if spec.name is ScheduleName.EXPONENTIAL:
        return [
            f"{scheduler}.ExponentialLR(optimizer, gamma={_number(spec.effective_gamma())})",
            "# scheduler.step() once per epoch",
        ]
    if spec.name is ScheduleName.ONE_CYCLE:
        peak = spec.warmup_fraction or 0.3
        final = 1e4 if spec.min_lr_fraction == 0 else (1 / 25) / spec.min_lr_fraction
        return [
            steps,
            f"{scheduler}.OneCycleLR(",
            f"    optimizer, max_lr={_number(config.lr)}, total_steps=total_steps,",
            f"    pct_start={_number(peak)}, div_factor=25.0, final_div_factor={_number(final)},",
            "    cycle_momentum=False,",
            ")",
            "# scheduler.step() after each optimizer.step()",
        ]
    after = (
        _linear(spec.min_lr_fraction, "progress")
        if spec.name is ScheduleName.WARMUP_LINEAR
        else _cosine(spec.min_lr_fraction, "progress")
    )
    if spec.name is ScheduleName.COSINE:
        factor = ["    progress = min(step / total_steps, 1.0)", f"    return {after}"]
        warmup = []
    else:
        factor = [
            "    if step < warmup:",
            "        return (step + 1) / warmup",
            "    progress = min((step - warmup) / max(1, total_steps - warmup), 1.0)",
            f"    return {after}",
        ]
        warmup = [f"warmup = round({_number(spec.warmup_fraction)} * total_steps)"]
    return [
        steps,
        *warmup,
        "",
        "",
        "def lr_factor(step: int) -> float:",
        *factor,
        "",
        "",
        f"{scheduler}.LambdaLR(optimizer, lr_factor)",
        "# scheduler.step() after each optimizer.step()",
    ]


def _extras(config: TrainConfig) -> list[str]:
    lines = []
    if config.grad_clip_norm is not None:
        clip = _number(config.grad_clip_norm)
        lines += [
            "# Before each optimizer.step():",
            f"# torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm={clip})",
        ]
    if config.backbone_lr_ratio is not None:
        ratio = config.backbone_lr_ratio
        lines += [
            "# Fine-tuning: the pretrained backbone's parameters go in their own group with",
            f"# lr={_number(config.lr * ratio)} (lr × {_number(ratio)}); the new head keeps lr.",
        ]
    if config.sparse_optimizer is not None:
        lr = f"lr={_number(config.sparse_lr)}" if config.sparse_lr is not None else "its default lr"
        lines += [
            "# Sparse embeddings (nn.Embedding(sparse=True)) train on their own",
            f"# torch.optim.{TORCH_CLASS[config.sparse_optimizer]} at {lr}.",
        ]
    if config.batch_size is not None:
        lines.append(f"# Batch size: {config.batch_size}")
    return lines


def pytorch_snippet(config: TrainConfig, heading: str | None = None) -> str:
    """Python source that builds ``config``'s optimizer (and schedule) for a ``model``."""
    body = [*_optimizer(config), *_schedule(config), *_extras(config)]
    needs_math = any("math." in line for line in body)
    head = [f"# {heading}"] if heading else []
    imports = ["import math", "", "import torch"] if needs_math else ["import torch"]
    return "\n".join([*head, *imports, "", *body]) + "\n"
