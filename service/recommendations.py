"""Best-known configs for a kind of task: the best trials of ended jobs on the same kind
(domain, architecture, regime), read from the evidence store that warm starts use, then the
advisor's defaults; each says where it came from."""

from __future__ import annotations

from advisor import AdvisorError, TaskDescription, TrainConfig, advise
from service.auth import Principal
from service.context import ServiceContext
from service.errors import InvalidInputError
from service.evidence.service import LearningService
from service.jobs import require_reader
from service.views import direction_of
from tunewise.wire.models import Recommendation, Recommendations, TaskKind


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
        """The best config of each ended job of this kind, most recent first, from the same
        evidence that warm starts use (service.evidence): a user token's own jobs only."""
        learning = LearningService(self._context)
        found: list[Recommendation] = []
        for past in learning.past_jobs(principal, everyone=principal.is_admin):
            task = past.task
            if any(
                wanted is not None and wanted != have
                for wanted, have in (
                    (kind.domain, task.domain),
                    (kind.architecture, task.architecture),
                    (kind.regime, task.regime),
                )
            ):
                continue
            best = past.top_configs[0]
            if not best.params:
                continue
            found.append(
                Recommendation(
                    config=TrainConfig.model_validate(best.params),
                    source="job",
                    detail=f"best of job {past.job_id} ({past.path}): trial {best.number}, "
                    f"{past.metric} = {best.value:g} ({past.direction})",
                    job_id=past.job_id,
                    trial_id=best.trial_id,
                    value=best.value,
                    metric=past.metric,
                    direction=direction_of(past.direction),
                )
            )
            if len(found) >= limit:
                break
        return found
