"""Helpers for tunewise's own tests and benchmarks, as ``optuna.testing`` is for Optuna's.

Real parts, never mocks: a throwaway PostgreSQL (``postgres``), the API under uvicorn in this
process (``servers``), ``tunewise serve`` and ``tunewise worker`` as real processes
(``processes``, ``light_worker``), near-zero-cost workloads installed through a real entry
point (``workloads``), jobs driven over HTTP (``jobs``), headless Chromium (``browser``), and
a service clock a test moves forward instead of sleeping until a lease runs out (``clock``).

tests/ and bench/ both import from here and never from each other. Nothing here is imported by
the service, the workers or the CLI; importing this package alone loads nothing else.
"""
