"""How the runner talks to whoever runs the trial (the worker loop reports over HTTP)."""

from __future__ import annotations

from typing import Protocol


class TrialReporter(Protocol):
    def report(self, epoch: int, value: float) -> bool:
        """The metric after ``epoch`` (1-based). True means: prune this trial now."""
        ...

    def heartbeat(self) -> None:
        """Called during long epochs, at most about once a second (renews a lease)."""
        ...

    def should_stop(self) -> bool:
        """True stops the trial at the next step, as failed with reason "interrupted"."""
        ...


class NullReporter:
    """Never prunes, never stops: a plain run to the last epoch."""

    def report(self, epoch: int, value: float) -> bool:
        return False

    def heartbeat(self) -> None:
        return None

    def should_stop(self) -> bool:
        return False
