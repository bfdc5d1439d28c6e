"""The databases a benchmark runs against: the one a person names, or a throwaway PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """``url`` when given; otherwise a fresh database on a PostgreSQL cluster of its own
    (started as the tests start theirs), dropped afterwards."""
    if url is not None:
        yield url
        return
    from tunewise.testing.postgres import running_postgres

    with running_postgres() as server, server.database() as fresh:
        yield fresh
