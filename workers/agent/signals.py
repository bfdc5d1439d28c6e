"""SIGTERM and Ctrl-C ask the worker to stop at the next training step, not to die mid-write."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType


def stop_on_signals(stop: threading.Event, log: logging.Logger) -> None:
    """Set ``stop`` on SIGTERM or SIGINT. A second Ctrl-C interrupts at once, for a person
    who does not want to wait for the step to end."""

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        log.warning("%s received: stopping at the next step (Ctrl-C again to quit now)", name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
