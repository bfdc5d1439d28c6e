"""text-transformer: a small causal transformer learning a generated language.

The language is a Markov chain over 64 tokens: each token is followed by one of its four
successors with probabilities 0.5, 0.25, 0.15 and 0.1. A model that learns the rule reaches a
perplexity near 3.35 (the chain's entropy rate); one that only counts tokens stays near 64.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from workers.workloads.base import Dataset, Split, Workload, WorkloadSpec
from workers.workloads.data import generator

VOCAB = 64
CONTEXT = 32
SUCCESSOR_PROBS = (0.5, 0.25, 0.15, 0.1)


class TextTransformer(Workload):
    spec = WorkloadSpec(
        name="text-transformer",
        summary="causal transformer predicting the next token of a generated Markov language",
        domain=Domain.NLP,
        architecture=Architecture.TRANSFORMER,
        metric="perplexity",
        direction="minimize",
        default_epochs=10,
        default_batch_size=64,
    )

    def make_data(self, size: int, seed: int) -> Dataset:
        gen = generator(seed)
        successors = torch.randint(0, VOCAB, (VOCAB, len(SUCCESSOR_PROBS)), generator=gen)
        train = _sample_language(2048 * size, successors, gen)
        valid = _sample_language(256, successors, gen)
        return Dataset(
            train=Split((train[:, :-1],), train[:, 1:]),
            valid=Split((valid[:, :-1],), valid[:, 1:]),
        )

    def make_model(self, size: int) -> nn.Module:
        return _CausalTransformer(width=64 * size, layers=2, heads=4)

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.cross_entropy(outputs.reshape(-1, VOCAB), target.reshape(-1))

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return torch.exp(
            nn.functional.cross_entropy(outputs.float().reshape(-1, VOCAB), target.reshape(-1))
        )


def _sample_language(n: int, successors: Tensor, gen: torch.Generator) -> Tensor:
    """``n`` sequences of ``CONTEXT + 1`` tokens from the chain."""
    cumulative = torch.tensor(SUCCESSOR_PROBS).cumsum(0)
    tokens = torch.empty(n, CONTEXT + 1, dtype=torch.long)
    tokens[:, 0] = torch.randint(0, VOCAB, (n,), generator=gen)
    for t in range(1, CONTEXT + 1):
        choice = torch.bucketize(torch.rand(n, generator=gen), cumulative, right=True)
        choice = choice.clamp_max(len(SUCCESSOR_PROBS) - 1)
        tokens[:, t] = successors[tokens[:, t - 1], choice]
    return tokens


class _CausalTransformer(nn.Module):
    causal_mask: Tensor
    position_ids: Tensor

    def __init__(self, width: int, layers: int, heads: int) -> None:
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, width)
        self.positions = nn.Embedding(CONTEXT, width)
        layer = nn.TransformerEncoderLayer(
            width, heads, dim_feedforward=2 * width, dropout=0.0, batch_first=True, norm_first=True
        )
        self.blocks = nn.TransformerEncoder(
            layer, layers, norm=nn.LayerNorm(width), enable_nested_tensor=False
        )
        self.head = nn.Linear(width, VOCAB)
        self.register_buffer(
            "causal_mask", nn.Transformer.generate_square_subsequent_mask(CONTEXT), persistent=False
        )
        self.register_buffer("position_ids", torch.arange(CONTEXT), persistent=False)

    def forward(self, tokens: Tensor) -> Tensor:
        length = tokens.shape[1]
        hidden = self.tokens(tokens) + self.positions(self.position_ids[:length])
        mask = self.causal_mask[:length, :length]
        logits: Tensor = self.head(self.blocks(hidden, mask=mask, is_causal=True))
        return logits
