"""Why a set of trials cannot train as one batch."""

from __future__ import annotations

from workers.errors import HarnessError


class BatchingError(HarnessError):
    """Trials that cannot share a batch (different update rules or batch sizes), or a
    workload or family that has no batched form; each message says what to do instead."""
