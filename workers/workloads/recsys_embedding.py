"""recsys-embedding: ratings from generated user and item latent factors, learnt by sparse
ID embeddings beside a dense tower (the seeds' case for a hybrid optimizer).

Each user and item has a hidden 8-dimensional factor and a bias; a rating is their dot product
plus both biases plus noise. Users also carry four dense features, a noisy projection of their
factor. Items are drawn with a long-tailed popularity, so many embedding rows are rarely seen:
the sparse gradients Adagrad was made for.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from workers.workloads.base import Dataset, Split, Workload, WorkloadSpec
from workers.workloads.data import generator

USERS = 1000
ITEMS = 500
LATENT = 8
DENSE_FEATURES = 4


class RecsysEmbedding(Workload):
    spec = WorkloadSpec(
        name="recsys-embedding",
        summary="rating prediction: sparse user/item embeddings and a dense tower on latent data",
        domain=Domain.RECSYS,
        architecture=Architecture.EMBEDDING,
        metric="rmse",
        direction="minimize",
        default_epochs=10,
        default_batch_size=256,
        sparse_features=True,
    )

    def make_data(self, size: int, seed: int) -> Dataset:
        gen = generator(seed)
        users, items = USERS * size, ITEMS * size
        user_factors = torch.randn(users, LATENT, generator=gen) / LATENT**0.25
        item_factors = torch.randn(items, LATENT, generator=gen) / LATENT**0.25
        user_bias = 0.5 * torch.randn(users, generator=gen)
        item_bias = 0.5 * torch.randn(items, generator=gen)
        projection = torch.randn(LATENT, DENSE_FEATURES, generator=gen) / LATENT**0.5
        user_features = user_factors @ projection
        user_features += 0.3 * torch.randn(user_features.shape, generator=gen)
        # Zipf-like popularity: item k is drawn with weight 1 / (k + 10).
        popularity = 1.0 / (torch.arange(items, dtype=torch.float32) + 10.0)

        def interactions(n: int) -> Split:
            user = torch.randint(0, users, (n,), generator=gen)
            item = torch.multinomial(popularity, n, replacement=True, generator=gen)
            rating = (user_factors[user] * item_factors[item]).sum(dim=1)
            rating += user_bias[user] + item_bias[item] + 0.3 * torch.randn(n, generator=gen)
            return Split((user, item, user_features[user]), rating)

        return Dataset(train=interactions(40_000 * size), valid=interactions(5_000))

    def make_model(self, size: int) -> nn.Module:
        return _TwoTower(USERS * size, ITEMS * size, width=32 * size)

    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.mse_loss(outputs, target)

    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        return nn.functional.mse_loss(outputs.float(), target).sqrt()


class _TwoTower(nn.Module):
    def __init__(self, users: int, items: int, width: int) -> None:
        super().__init__()
        self.user_embedding = nn.Embedding(users, width, sparse=True)
        self.item_embedding = nn.Embedding(items, width, sparse=True)
        nn.init.normal_(self.user_embedding.weight, std=0.1)
        nn.init.normal_(self.item_embedding.weight, std=0.1)
        self.dense = nn.Sequential(nn.Linear(DENSE_FEATURES, width // 2), nn.ReLU())
        self.tower = nn.Sequential(nn.Linear(3 * width + width // 2, 2 * width), nn.ReLU())
        self.head = nn.Linear(2 * width, 1)

    def forward(self, user: Tensor, item: Tensor, user_features: Tensor) -> Tensor:
        u, i = self.user_embedding(user), self.item_embedding(item)
        joined = torch.cat([u, i, u * i, self.dense(user_features)], dim=1)
        rating: Tensor = self.head(self.tower(joined)).squeeze(1)
        return rating
