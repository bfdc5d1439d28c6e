"""Which trials the cache's sync reads in full (``TrialBackend.trials_with_ids``)."""

from __future__ import annotations

import optuna
import pytest

from service.tuning.optuna_seam import TrialStorage


def record_full_reads(storage: TrialStorage, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the trials ``storage`` reads in full from now on, as they are read."""
    read: list[int] = []
    full_read = storage.trials_backend.trials_with_ids

    def recorded(trial_ids: list[int]) -> list[optuna.trial.FrozenTrial]:
        read.extend(trial_ids)
        return full_read(trial_ids)

    monkeypatch.setattr(storage.trials_backend, "trials_with_ids", recorded)
    return read
