"""Stacked forwards: K trials' weights in one network compute what each trial's own model does."""

from __future__ import annotations

import pytest
import torch
from torch import Tensor, nn

from workers.batched.errors import BatchingError
from workers.batched.models import body_and_head, lstm_and_head, stacked_forward
from workers.workloads import WorkloadRegistry

REGISTRY = WorkloadRegistry.discover()
INPUTS = {"tabular-mlp": (30,), "digits-cnn": (1, 8, 8), "sequence-lstm": (48, 1)}
K, BATCH = 3, 16


def trial_models(workload: str) -> list[nn.Module]:
    models = []
    for seed in range(K):
        torch.manual_seed(seed)
        models.append(REGISTRY.get(workload).make_model(1))
    return models


def stack(models: list[nn.Module], buffers: bool = False) -> dict[str, Tensor]:
    named = [dict(m.named_buffers() if buffers else m.named_parameters()) for m in models]
    return {n: torch.stack([d[n].detach() for d in named]) for n in named[0]}


@pytest.mark.parametrize("workload", sorted(INPUTS))
@pytest.mark.parametrize("train", [True, False])
def test_the_stack_computes_each_trials_own_model(workload: str, train: bool) -> None:
    models = trial_models(workload)
    params, buffers = stack(models), stack(models, buffers=True)
    forward = stacked_forward(workload, models[0])
    x = torch.randn(K, BATCH, *INPUTS[workload], generator=torch.Generator().manual_seed(0))
    out = forward(params, buffers, (x,), train)
    for k, model in enumerate(models):
        model.train(train)
        # Grouped convolutions and batch norm round differently from one trial's; the rest
        # are the same products in the same order.
        torch.testing.assert_close(out[k], model(x[k]), rtol=1e-5, atol=1e-6)
        for name, buffer in model.named_buffers():
            torch.testing.assert_close(buffers[name][k], buffer, rtol=1e-5, atol=1e-7)
    if train and workload == "digits-cnn":
        assert int(buffers["features.1.num_batches_tracked"][0]) == 1


def test_the_stacked_lstm_cell_computes_torchs_lstm_and_its_gradients() -> None:
    models = trial_models("sequence-lstm")
    params = {n: p.requires_grad_(True) for n, p in stack(models).items()}
    forward = lstm_and_head(models[0], stacked_cell=True)
    x = torch.randn(K, BATCH, 48, 1, generator=torch.Generator().manual_seed(1))
    out = forward(params, {}, (x,), True)
    out.square().sum().backward()  # type: ignore[no-untyped-call]
    for k, model in enumerate(models):
        expected = model(x[k])
        torch.testing.assert_close(out[k], expected, rtol=1e-5, atol=1e-6)
        expected.square().sum().backward()
        for name, p in model.named_parameters():
            grad = params[name].grad
            assert grad is not None and p.grad is not None
            torch.testing.assert_close(grad[k], p.grad, rtol=1e-4, atol=1e-6)


class WithDropout(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.1))
        self.head = nn.Linear(4, 1)


class WithoutHead(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4))


def test_layers_without_a_batched_form_are_refused_when_the_forward_is_built() -> None:
    with pytest.raises(BatchingError, match=r"body\.1 is a Dropout"):
        body_and_head("body")(WithDropout())
    with pytest.raises(BatchingError, match="head"):
        body_and_head("body")(WithoutHead())
    with pytest.raises(BatchingError, match=r"no nn\.LSTM"):
        lstm_and_head(WithoutHead())
    with pytest.raises(BatchingError, match="text-transformer"):
        stacked_forward("text-transformer", WithoutHead())
