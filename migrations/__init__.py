"""Alembic migrations for tunewise's own tables (prefix ``tw_``, version table
``tw_alembic_version``). The service runs them at start-up; ``alembic upgrade head`` from the
repository root runs the same scripts."""
