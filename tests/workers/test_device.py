"""Device choice: CUDA when there is one, the CPU otherwise, and clear refusals."""

from __future__ import annotations

import pytest
import torch

from workers.device import autocast_dtype, resolve_device
from workers.errors import DeviceUnavailableError


def test_auto_picks_cuda_exactly_when_it_is_available() -> None:
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected


def test_cpu_is_always_there() -> None:
    assert resolve_device("cpu") == torch.device("cpu")


@pytest.mark.parametrize("choice", ["cuda:99", "tpu", "gpu", ""])
def test_devices_this_machine_lacks_are_refused_with_the_choices(choice: str) -> None:
    with pytest.raises(DeviceUnavailableError, match="cpu"):
        resolve_device(choice)


def test_the_cpu_trains_in_fp32() -> None:
    assert autocast_dtype(torch.device("cpu"), "auto") is None
    assert autocast_dtype(torch.device("cpu"), "bf16") is None
