"""Which device a trial trains on, and at what precision."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Literal

import torch

from workers.errors import DeviceUnavailableError

Precision = Literal["auto", "fp32", "bf16"]

_DEVICE_PATTERN = re.compile(r"^(auto|cpu|cuda(:\d+)?)$")


def resolve_device(choice: str = "auto") -> torch.device:
    """``auto`` is the first CUDA device when there is one, else the CPU."""
    if not _DEVICE_PATTERN.match(choice):
        raise DeviceUnavailableError(f"unknown device {choice!r}; use auto, cpu, cuda or cuda:N")
    if choice == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(choice)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise DeviceUnavailableError(
                "CUDA is not available on this machine; use --device cpu (or auto)"
            )
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise DeviceUnavailableError(
                f"{choice} does not exist; this machine has {torch.cuda.device_count()} "
                "CUDA device(s)"
            )
    return device


def autocast_dtype(device: torch.device, precision: Precision) -> torch.dtype | None:
    """bf16 autocast on CUDA where the GPU does bf16 natively (Ampere and later): it needs
    no loss scaling, unlike fp16. The CPU trains in fp32, where bf16 autocast is slower."""
    if precision == "fp32" or device.type != "cuda":
        return None
    if precision == "bf16" or torch.cuda.is_bf16_supported(including_emulation=False):
        return torch.bfloat16
    return None


def autocast(
    device: torch.device, dtype: torch.dtype | None
) -> contextlib.AbstractContextManager[None]:
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


@contextlib.contextmanager
def isolated_rng(device: torch.device, seed: int) -> Iterator[None]:
    """Seed torch's generators for one trial and restore them after, so a trial is
    deterministic for its seed without changing the caller's random state."""
    cuda_devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=cuda_devices):
        torch.manual_seed(seed)
        yield


def release_memory(device: torch.device) -> None:
    """Give cached CUDA memory back so the next trial starts with the whole card."""
    import gc

    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()
