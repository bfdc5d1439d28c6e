"""Training memory per parameter: what a family keeps, and whether a model fits a limit.

Facts, from the state each torch optimizer allocates per parameter (torch/optim): plain SGD
none (a momentum_buffer only when momentum is on), Momentum and Nesterov one buffer, Adagrad
one (``sum``), RMSProp one (``square_avg``; more with momentum or ``centered``), Adam, AdamW,
NAdam and RAdam two (``exp_avg``, ``exp_avg_sq``). Adafactor keeps no first moment and factors
the second: a matrix's ``row_var`` and ``col_var`` hold n + m numbers instead of n × m
(Shazeer & Stern, 2018), so it counts as no full-size buffer here.

Every figure is for training in fp32 with every parameter trained: 4 bytes of weights, 4 of
gradients and 4 per state buffer, so Adam needs 16 bytes per parameter. Mixed precision does
not shrink that for Adam: ZeRO (Rajbhandari et al., 2020) counts 2 + 2 + 12 = 16 bytes (fp16
weights and gradients, an fp32 master copy and two fp32 moments). Activations come on top and
depend on the batch, so a limit is "tight" well before the model state alone fills it.
"""

from __future__ import annotations

from types import MappingProxyType

from advisor.families import STATE_BUFFERS, OptimizerName

#: A "GB" of a limit is 2**30 bytes: what a GPU sold as 8 GB reports (8192 MiB).
BYTES_PER_GB = 2**30
MB_PER_GB = 1024
WEIGHTS_AND_GRADIENTS_BYTES = 8
BYTES_PER_BUFFER = 4
#: The model state may fill at most this share of a limit before memory binds: the rest is
#: for activations, the CUDA context and the allocator's cache (a working margin, not a law).
TIGHT_SHARE = 0.5

#: Full-size state buffers per parameter; Adafactor's factored state is far below one.
FULL_SIZE_BUFFERS = MappingProxyType({**STATE_BUFFERS, OptimizerName.ADAFACTOR: 0})


def bytes_per_parameter(family: OptimizerName) -> int:
    return WEIGHTS_AND_GRADIENTS_BYTES + BYTES_PER_BUFFER * FULL_SIZE_BUFFERS[family]


def training_gb(family: OptimizerName, params: int) -> float:
    """Weights, gradients and optimizer state of ``params`` parameters, in GB."""
    return params * bytes_per_parameter(family) / BYTES_PER_GB


def is_tight(params: int, limit_gb: float) -> bool:
    """Whether Adam's model state alone would take more than TIGHT_SHARE of the limit."""
    return training_gb(OptimizerName.ADAM, params) > TIGHT_SHARE * limit_gb


def fits(family: OptimizerName, params: int, limit_gb: float) -> bool:
    return training_gb(family, params) <= limit_gb


def gb(value: float) -> str:
    """A size in GB as a person reads it: "0.4", "7.5", "104"."""
    return f"{value:.2g}" if value < 10 else f"{value:.0f}"


def count(params: int) -> str:
    """A parameter count as a person reads it: "7B", "350M", "25k"."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if params >= scale:
            return f"{params / scale:.3g}{suffix}"
    return str(params)
