"""The stepped clock: real UTC time until a test moves it, then that much later for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tunewise.testing.clock import SteppedClock


def test_it_tells_utc_time_until_moved() -> None:
    clock = SteppedClock()
    before = datetime.now(UTC)
    told = clock()
    assert told.tzinfo is UTC and told >= before


def test_advancing_moves_every_later_reading_forward() -> None:
    clock = SteppedClock()
    clock.advance(61)
    clock.advance(0.5)
    assert clock() - datetime.now(UTC) >= timedelta(seconds=61.4)
