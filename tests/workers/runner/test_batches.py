"""Batches of in-memory tensors: each example at most once per epoch, reproducible by seed."""

from __future__ import annotations

import torch

from workers.runner.batches import ShuffledBatches

CPU = torch.device("cpu")


def test_an_epoch_visits_each_example_once_and_drops_the_partial_batch() -> None:
    batches = ShuffledBatches(n=103, batch_size=10, seed=0, device=CPU)
    epoch = list(batches.epoch())

    assert batches.per_epoch == 10
    assert [len(b) for b in epoch] == [10] * 10
    seen = torch.cat(epoch)
    assert len(set(seen.tolist())) == 100
    assert seen.max() < 103


def test_each_epoch_is_a_new_order_and_a_seed_repeats_them_all() -> None:
    first = ShuffledBatches(n=50, batch_size=5, seed=7, device=CPU)
    again = ShuffledBatches(n=50, batch_size=5, seed=7, device=CPU)
    other = ShuffledBatches(n=50, batch_size=5, seed=8, device=CPU)

    a1, a2 = torch.cat(list(first.epoch())), torch.cat(list(first.epoch()))
    assert not torch.equal(a1, a2)
    assert torch.equal(a1, torch.cat(list(again.epoch())))
    assert torch.equal(a2, torch.cat(list(again.epoch())))
    assert not torch.equal(a1, torch.cat(list(other.epoch())))


def test_a_split_smaller_than_a_batch_is_one_batch() -> None:
    batches = ShuffledBatches(n=7, batch_size=32, seed=0, device=CPU)

    assert [len(b) for b in batches.epoch()] == [7]
