"""Best-known configs for a kind of task: the best trials of finished jobs on the same kind
(domain, architecture, regime), then the advisor's defaults; each says where it came from."""

from __future__ import annotations

from sqlalchemy import select

from advisor import AdvisorError, TaskDescription, advise
from service.auth import Principal
from service.context import ServiceContext
from service.db import JobRow
from service.errors import InvalidInputError
from service.jobs import require_reader
from service.schemas import JobState, Recommendation, Recommendations, TaskKind, TokenScope
from service.views import best_of, direction_of


class RecommendationService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def recommend(self, principal: Principal, task: TaskDescription, limit: int) -> Recommendations:
        require_reader(principal)
        try:
            advice = advise(task)
        except AdvisorError as exc:
            raise InvalidInputError(str(exc), field="task") from exc
        normalised = advice.task
        kind = TaskKind(
            domain=normalised.domain,
            architecture=normalised.architecture,
            regime=normalised.regime,
        )
        items = self._from_jobs(principal, kind, limit)
        for candidate in advice.candidates[: max(0, limit - len(items))]:
            rules = ", ".join(r.rule for r in candidate.rationale[:3])
            items.append(
                Recommendation(
                    config=candidate.defaults,
                    source="advisor",
                    detail=f"advisor default for {candidate.optimizer.value} "
                    f"(score {candidate.score:.2f}; rules: {rules})",
                )
            )
        return Recommendations(kind=kind, items=tuple(items))

    def _from_jobs(self, principal: Principal, kind: TaskKind, limit: int) -> list[Recommendation]:
        query = select(JobRow).where(JobRow.state == JobState.COMPLETED.value)
        for column, value in (
            (JobRow.task_domain, kind.domain),
            (JobRow.task_architecture, kind.architecture),
            (JobRow.task_regime, kind.regime),
        ):
            if value is not None:
                query = query.where(column == value.value)
        if principal.scope is TokenScope.USER:
            query = query.where(JobRow.owner_token_id == principal.token_id)
        found: list[Recommendation] = []
        with self._context.database.reading() as session:
            for job in session.scalars(query.order_by(JobRow.ended_at.desc()).limit(limit * 4)):
                best = best_of(session, job)
                if best is None:
                    continue
                found.append(
                    Recommendation(
                        config=best.params,
                        source="job",
                        detail=f"best of job {job.id} ({job.name!r}): trial {best.number}, "
                        f"{job.metric} = {best.value:g} ({job.direction})",
                        job_id=job.id,
                        trial_id=best.trial_id,
                        value=best.value,
                        metric=job.metric,
                        direction=direction_of(job.direction),
                    )
                )
                if len(found) >= limit:
                    break
        return found
