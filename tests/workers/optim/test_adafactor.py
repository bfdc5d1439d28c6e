"""The capped-β2 Adafactor is torch's Adafactor plus the cap, nothing else."""

from __future__ import annotations

import torch

from workers.optim.adafactor import CappedAdafactor


def _run(make: type, steps: int, **kwargs: object) -> list[torch.Tensor]:
    torch.manual_seed(0)
    params = [torch.nn.Parameter(torch.randn(6, 4)), torch.nn.Parameter(torch.randn(4))]
    grads = [[torch.randn_like(p) for p in params] for _ in range(steps)]
    optimizer = make([{"params": params, "weight_decay": 0.01}], lr=0.01, **kwargs)
    for step_grads in grads:
        for p, g in zip(params, step_grads, strict=True):
            p.grad = g
        optimizer.step()
    return [p.detach().clone() for p in params]


def test_matches_torch_when_the_cap_never_binds() -> None:
    ours = _run(CappedAdafactor, 20, beta2=1 - 1e-9)
    theirs = _run(torch.optim.Adafactor, 20, foreach=False)

    for a, b in zip(ours, theirs, strict=True):
        torch.testing.assert_close(a, b)


def test_the_cap_changes_the_updates_once_it_binds() -> None:
    # 1 - t^-0.8 passes 0.5 at the second step, so a cap of 0.5 binds from then on.
    capped = _run(CappedAdafactor, 20, beta2=0.5)
    theirs = _run(torch.optim.Adafactor, 20, foreach=False)

    assert not torch.allclose(capped[0], theirs[0])


def test_matches_torch_in_the_first_step_whatever_the_cap() -> None:
    capped = _run(CappedAdafactor, 1, beta2=0.5)
    theirs = _run(torch.optim.Adafactor, 1, foreach=False)

    for a, b in zip(capped, theirs, strict=True):
        torch.testing.assert_close(a, b)
