"""Prometheus metrics on a registry of the app's own (so two apps in one process, as in the
tests, never share counters)."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from service.db import Database, JobRow, TrialLeaseRow
from tunewise.wire.models import JobState, TrialState


class ServiceMetrics:
    def __init__(self, database: Database) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "tunewise_http_requests",
            "HTTP requests served, by route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "tunewise_http_request_seconds",
            "Time to serve a request, by route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self.ask_seconds = Histogram(
            "tunewise_ask_seconds",
            "Time for Optuna to ask the next trial (sampling included).",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
            registry=self.registry,
        )
        self.lease_expiries = Counter(
            "tunewise_lease_expiries",
            "Leases that expired without a complete; their trials were failed.",
            registry=self.registry,
        )
        self.registry.register(_StateCollector(database))


class _StateCollector(Collector):
    """Trials and jobs by state, read from the database at scrape time so every replica
    reports the same truth."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def describe(self) -> list[Metric]:
        return []

    def collect(self) -> Iterator[Metric]:
        trials = GaugeMetricFamily("tunewise_trials", "Trials by state.", labels=["state"])
        jobs = GaugeMetricFamily("tunewise_jobs", "Jobs by state.", labels=["state"])
        with self._database.reading() as session:
            trial_counts = {
                state: count
                for state, count in session.execute(
                    select(TrialLeaseRow.state, func.count()).group_by(TrialLeaseRow.state)
                )
            }
            job_counts = {
                state: count
                for state, count in session.execute(
                    select(JobRow.state, func.count()).group_by(JobRow.state)
                )
            }
        for trial_state in TrialState:
            trials.add_metric([trial_state.value], trial_counts.get(trial_state.value, 0))
        for job_state in JobState:
            jobs.add_metric([job_state.value], job_counts.get(job_state.value, 0))
        yield trials
        yield jobs
