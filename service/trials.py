"""Reading trials: one, or a job's page of them (with their curves from Optuna)."""

from __future__ import annotations

from sqlalchemy import func, select

from service.auth import Principal
from service.context import ServiceContext
from service.db import TrialLeaseRow
from service.errors import NotFoundError
from service.jobs import find_job, require_reader
from service.views import trial_view
from tunewise.wire.models import Page, Trial, TrialState


class TrialReader:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def one(self, principal: Principal, trial_id: int) -> Trial:
        require_reader(principal)
        with self._context.database.reading() as session:
            lease = session.get(TrialLeaseRow, trial_id)
            if lease is None:
                raise NotFoundError(f"no trial {trial_id}", field="trial_id")
            find_job(session, principal, lease.job_id)
            return trial_view(lease, self._context.studies.storage)

    def page(
        self,
        principal: Principal,
        job_id: str,
        limit: int,
        offset: int,
        state: TrialState | None = None,
    ) -> Page[Trial]:
        require_reader(principal)
        query = select(TrialLeaseRow).where(TrialLeaseRow.job_id == job_id)
        if state is not None:
            query = query.where(TrialLeaseRow.state == state.value)
        with self._context.database.reading() as session:
            find_job(session, principal, job_id)
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(TrialLeaseRow.number).limit(limit).offset(offset)
            ).all()
            storage = self._context.studies.storage
            return Page[Trial](
                items=tuple(trial_view(row, storage) for row in rows),
                total=total,
                limit=limit,
                offset=offset,
            )
