"""Stacked forwards: K copies of a workload's model, one set of weights per trial, run as one.

Parameters and buffers keep the names the workload's own model gives them, with the trials
along a new dim 0 (``body.0.weight`` is ``[K, out, in]``), so the grouping plan of a trial
alone (no decay on biases and norms) applies to the stack name for name.

Activations travel in one of two layouts:

- *stacked* ``[K, B, …]`` for linear layers (one ``baddbmm``), layer norm and the loss;
- *grouped* ``[B, K·C, H, W]`` for convolutions (one convolution with ``groups = K``), batch
  norm (per-channel statistics are per-trial statistics) and pooling.

``Flatten`` turns grouped into stacked. Only layer types whose batched form is written here
are accepted; a workload whose model has others gets a ``BatchingError`` when the batch is
built, never a silently different network. On the CPU the LSTM runs torch's fused kernel once
per trial: ``vmap`` has no batching rule for ``aten::lstm``, and a stacked cell written from
separate ops measured two to five times slower there. On a GPU it runs that
stacked cell (see :func:`lstm_and_head`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from workers.batched.errors import BatchingError

Params = Mapping[str, Tensor]
#: (params, buffers, inputs, training) → outputs ``[K, B, …]``.
StackedForward = Callable[[Params, Params, tuple[Tensor, ...], bool], Tensor]


@dataclass
class _Flow:
    """An activation and its layout: ``grouped`` is ``[B, K·C, H, W]``, else ``[K, B, …]``."""

    value: Tensor
    k: int
    grouped: bool = False

    def stacked(self) -> Tensor:
        if not self.grouped:
            return self.value
        b = self.value.shape[0]
        per_trial = self.value.reshape(b, self.k, -1)
        return per_trial.transpose(0, 1)

    def as_grouped(self) -> Tensor:
        if self.grouped:
            return self.value
        k, b, c, *spatial = self.value.shape
        return self.value.transpose(0, 1).reshape(b, k * c, *spatial)


def stacked_linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """``[K, B, in] → [K, B, out]`` with ``weight`` ``[K, out, in]``."""
    if bias is None:
        return torch.bmm(x, weight.transpose(1, 2))
    return torch.baddbmm(bias.unsqueeze(1), x, weight.transpose(1, 2))


def _layer(
    module: nn.Module, name: str, flow: _Flow, *, p: Params, b: Params, train: bool
) -> _Flow:
    """One layer of a ``Sequential`` on the stack; ``name`` is its dotted prefix."""

    def param(leaf: str) -> Tensor | None:
        return p.get(f"{name}.{leaf}")

    k = flow.k
    if isinstance(module, nn.Linear):
        return _Flow(stacked_linear(flow.stacked(), p[f"{name}.weight"], param("bias")), k)
    if isinstance(module, nn.LayerNorm):
        x = flow.stacked()
        y = nn.functional.layer_norm(x, module.normalized_shape, None, None, module.eps)
        weight, bias = param("weight"), param("bias")
        lead = (k, 1) + (1,) * (x.dim() - 2 - len(module.normalized_shape))
        if weight is not None:
            y = y * weight.view(*lead, *module.normalized_shape)
        if bias is not None:
            y = y + bias.view(*lead, *module.normalized_shape)
        return _Flow(y, k)
    if isinstance(module, nn.ReLU):
        return _Flow(nn.functional.relu(flow.value), k, flow.grouped)
    if isinstance(module, nn.Conv2d):
        weight = p[f"{name}.weight"]
        bias = param("bias")
        out = nn.functional.conv2d(
            flow.as_grouped(),
            weight.reshape(-1, *weight.shape[2:]),
            None if bias is None else bias.reshape(-1),
            module.stride,
            module.padding,
            module.dilation,
            k * module.groups,
        )
        return _Flow(out, k, grouped=True)
    if isinstance(module, nn.BatchNorm2d):
        assert module.momentum is not None  # checked when the forward is built
        running_mean, running_var = b[f"{name}.running_mean"], b[f"{name}.running_var"]
        weight, bias = param("weight"), param("bias")
        if train:
            b[f"{name}.num_batches_tracked"].add_(1)
        out = nn.functional.batch_norm(
            flow.as_grouped(),
            running_mean.view(-1),  # a view: the update lands in the stacked buffer
            running_var.view(-1),
            None if weight is None else weight.reshape(-1),
            None if bias is None else bias.reshape(-1),
            train,
            module.momentum,
            module.eps,
        )
        return _Flow(out, k, grouped=True)
    if isinstance(module, nn.MaxPool2d):
        out = nn.functional.max_pool2d(
            flow.as_grouped(),
            module.kernel_size,
            module.stride,
            module.padding,
            module.dilation,
            ceil_mode=module.ceil_mode,
        )
        return _Flow(out, k, grouped=True)
    if isinstance(module, nn.Flatten):
        return _Flow(flow.stacked().flatten(2), k)
    raise BatchingError(f"{name} is a {type(module).__name__}, which has no batched form")


SUPPORTED_LAYERS = (nn.Linear, nn.LayerNorm, nn.ReLU, nn.Conv2d, nn.BatchNorm2d, nn.MaxPool2d)


def _check_sequential(module: nn.Module, name: str) -> nn.Sequential:
    if not isinstance(module, nn.Sequential):
        raise BatchingError(f"{name} is a {type(module).__name__}, not a Sequential")
    for index, layer in enumerate(module):
        where = f"{name}.{index}"
        if isinstance(layer, nn.Flatten):
            if layer.start_dim != 1 or layer.end_dim != -1:
                raise BatchingError(f"{where} flattens other dims than all but the batch")
        elif not isinstance(layer, SUPPORTED_LAYERS):
            raise BatchingError(f"{where} is a {type(layer).__name__}, which has no batched form")
        if isinstance(layer, nn.Conv2d) and layer.padding_mode != "zeros":
            raise BatchingError(f"{where} pads with {layer.padding_mode!r}; only zeros batch")
        if isinstance(layer, nn.Conv2d) and isinstance(layer.padding, str):
            raise BatchingError(f"{where} pads {layer.padding!r}; give the padding as numbers")
        if isinstance(layer, nn.BatchNorm2d) and (
            layer.momentum is None or not layer.track_running_stats
        ):
            raise BatchingError(f"{where} needs a momentum and running statistics to batch")
    return module


def _sequential(
    seq: nn.Sequential, name: str, flow: _Flow, *, p: Params, b: Params, train: bool
) -> _Flow:
    for index, layer in enumerate(seq):
        flow = _layer(layer, f"{name}.{index}", flow, p=p, b=b, train=train)
    return flow


def _head(model: nn.Module) -> nn.Linear:
    head = getattr(model, "head", None)
    if not isinstance(head, nn.Linear):
        raise BatchingError("the model's head is not one nn.Linear")
    return head


def body_and_head(body: str) -> Callable[[nn.Module], StackedForward]:
    """``head(<body>(x))`` where the body is a ``Sequential`` of batched layers: the shape of
    the tabular MLP (``body``) and of the digits CNN (``features``)."""

    def build(model: nn.Module) -> StackedForward:
        seq = _check_sequential(getattr(model, body, None), body)  # type: ignore[arg-type]
        _head(model)

        def forward(p: Params, b: Params, inputs: tuple[Tensor, ...], train: bool) -> Tensor:
            (x,) = inputs
            flow = _sequential(seq, body, _Flow(x, x.shape[0]), p=p, b=b, train=train)
            return stacked_linear(flow.stacked(), p["head.weight"], p.get("head.bias"))

        return forward

    return build


def lstm_and_head(model: nn.Module, *, stacked_cell: bool | None = None) -> StackedForward:
    """``head(last hidden state of lstm(x))``: the sequence forecaster.

    Two forms of the recurrence: torch's fused LSTM kernel once per trial (the CPU's choice:
    the fused kernel beats a cell built from separate ops), or one stacked cell for all
    trials, a batched matrix product and the gates per time step (the GPU's choice: K times
    fewer kernel launches per step). ``stacked_cell`` None picks by the model's device.
    """
    lstm = getattr(model, "lstm", None)
    if not isinstance(lstm, nn.LSTM) or type(lstm) is not nn.LSTM:
        raise BatchingError("the model has no nn.LSTM named lstm")
    if lstm.bidirectional or lstm.proj_size or not lstm.bias or not lstm.batch_first:
        raise BatchingError("only a one-way, biased, batch-first LSTM without projection batches")
    _head(model)
    names = [
        f"lstm.{kind}_l{layer}"
        for layer in range(lstm.num_layers)
        for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]
    layers, hidden, dropout = lstm.num_layers, lstm.hidden_size, float(lstm.dropout)
    if stacked_cell is None:
        on_gpu = next(model.parameters()).device.type == "cuda"
        stacked_cell = on_gpu and not (dropout and layers > 1)

    def fused(p: Params, train: bool, x: Tensor) -> Tensor:
        per_trial = list(zip(*(p[n].unbind(0) for n in names), strict=True))
        last = []
        for xk, weights in zip(x.unbind(0), per_trial, strict=True):
            h0 = xk.new_zeros(layers, xk.shape[0], hidden)
            # The op nn.LSTM.forward calls, with this trial's weights in its flat order.
            _, h_n, _ = torch.lstm(
                xk, (h0, h0), list(weights), True, layers, dropout, train, False, True
            )
            last.append(h_n[-1])
        return torch.stack(last)

    def cell(p: Params, train: bool, x: Tensor) -> Tensor:
        k, batch, steps, _ = x.shape
        h = x.new_zeros(k, batch, hidden)
        for layer in range(layers):
            w_ih, w_hh, b_ih, b_hh = (p[n] for n in names[4 * layer : 4 * layer + 4])
            # All time steps' input projections in one product; unbind (not indexing) so the
            # backward stacks the slices' gradients instead of adding K·T zero-padded copies.
            projected = torch.baddbmm(
                (b_ih + b_hh).unsqueeze(1), x.reshape(k, batch * steps, -1), w_ih.transpose(1, 2)
            ).view(k, batch, steps, 4 * hidden)
            h, c = x.new_zeros(k, batch, hidden), x.new_zeros(k, batch, hidden)
            w_hh_t = w_hh.transpose(1, 2)
            outputs = []
            for pre in projected.unbind(2):
                # torch's gate order: input, forget, cell, output.
                i, f, g, o = torch.baddbmm(pre, h, w_hh_t).chunk(4, dim=-1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
                outputs.append(h)
            x = torch.stack(outputs, dim=2)
        return h

    recurrence = cell if stacked_cell else fused

    def forward(p: Params, b: Params, inputs: tuple[Tensor, ...], train: bool) -> Tensor:
        (x,) = inputs
        last = recurrence(p, train, x)
        return stacked_linear(last, p["head.weight"], p.get("head.bias"))

    return forward


#: Built-in workloads with a stacked forward, by name: each builder checks the workload's
#: model has the shape it was written for.
STACKED_FORWARDS: Mapping[str, Callable[[nn.Module], StackedForward]] = {
    "tabular-mlp": body_and_head("body"),
    "digits-cnn": body_and_head("features"),
    "sequence-lstm": lstm_and_head,
}


def stacked_forward(workload_name: str, model: nn.Module) -> StackedForward:
    """The stacked forward of a workload, built against one freshly made copy of its model."""
    try:
        build = STACKED_FORWARDS[workload_name]
    except KeyError:
        raise BatchingError(
            f"workload {workload_name!r} has no batched form; batched workloads: "
            f"{', '.join(STACKED_FORWARDS)}"
        ) from None
    return build(model)
