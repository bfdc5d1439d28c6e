"""Best-known configs for a kind of task: the best trials of ended jobs on the same kind
(domain, architecture, regime), read from the evidence store that warm starts use, then the
advisor's defaults; each says where it came from. A job with several objectives contributes
the trial of its front that the caller's preference picks (``prefer``/``weights``, as for a
job's ``best``; the part of it that names none of the job's objectives is left out)."""

from __future__ import annotations

from advisor import AdvisorError, TaskDescription, advise
from service.auth import Principal
from service.context import ServiceContext
from service.db import JobRow
from service.errors import InvalidInputError
from service.evidence.service import LearningService
from service.evidence.store import PastJob
from service.jobs import require_reader
from service.pareto import Preference
from service.views import best_of, direction_of, objectives_of
from tunewise.wire.dimensions import TrialParams
from tunewise.wire.models import Objective, Recommendation, Recommendations, TaskKind


class RecommendationService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def recommend(
        self,
        principal: Principal,
        task: TaskDescription,
        limit: int,
        preference: Preference | None = None,
    ) -> Recommendations:
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
        items = self._from_jobs(principal, kind, limit, preference or Preference())
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

    def recent(
        self, principal: Principal, kind: TaskKind, limit: int, preference: Preference | None = None
    ) -> Recommendations:
        """Without a domain or a description there is nothing to advise on: the best config of
        the caller's most recent ended job of each kind (of those matching ``kind``'s fields)."""
        require_reader(principal)
        items = self._from_jobs(
            principal, kind, limit, preference or Preference(), one_per_kind=True
        )
        notes = [
            "no domain or description given: the best config of your most recent ended job "
            "of each kind; give 'domain' or 'description' for one kind and the advisor's "
            "defaults"
        ]
        if not items:
            notes.append("none of your ended jobs has a complete trial yet")
        return Recommendations(kind=kind, items=tuple(items), notes=tuple(notes))

    def _from_jobs(
        self,
        principal: Principal,
        kind: TaskKind,
        limit: int,
        preference: Preference,
        *,
        one_per_kind: bool = False,
    ) -> list[Recommendation]:
        """The best config of each ended job of this kind, most recent first, from the same
        evidence that warm starts use (service.evidence): a user token's own jobs only."""
        learning = LearningService(self._context)
        found: list[Recommendation] = []
        kinds_seen: set[tuple[object, ...]] = set()
        for past in learning.past_jobs(principal, everyone=principal.is_admin):
            task = past.task
            its_kind = (task.domain, task.architecture, task.regime)
            if one_per_kind and its_kind in kinds_seen:
                continue
            if any(
                wanted is not None and wanted != have
                for wanted, have in (
                    (kind.domain, task.domain),
                    (kind.architecture, task.architecture),
                    (kind.regime, task.regime),
                )
            ):
                continue
            chosen = self._front_choice(past.job_id, preference) or _evidence_choice(past)
            if chosen is None:
                continue
            kinds_seen.add(its_kind)
            found.append(chosen)
            if len(found) >= limit:
                break
        return found

    def _front_choice(self, job_id: str, preference: Preference) -> Recommendation | None:
        """A multi-objective job's front trial by the preference; None for a job with one
        objective (its evidence's best is it)."""
        with self._context.database.reading() as session:
            job = session.get(JobRow, job_id)
            if job is None or not job.objectives or len(job.objectives) < 2:
                return None
            objectives = objectives_of(job)
            chosen = preference.within(objectives)
            best = best_of(session, job, chosen)
            if best is None:
                return None
            values = ", ".join(f"{m} = {v:g}" for m, v in (best.values or {}).items())
            return _job_recommendation(
                job.id,
                best.params,
                detail=f"front of job {job.id} (/v1/jobs/{job.id}/pareto) by "
                f"{chosen.describe()}: trial {best.number}, {values}",
                trial_id=best.trial_id,
                value=best.value,
                objective=objectives[0],
            )


def _evidence_choice(past: PastJob) -> Recommendation | None:
    """A job's best config as its evidence recorded it (one objective)."""
    best = past.top_configs[0]
    if not best.params:
        return None
    return _job_recommendation(
        past.job_id,
        TrialParams.model_validate(best.params),
        detail=f"best of job {past.job_id} ({past.path}): trial {best.number}, "
        f"{past.metric} = {best.value:g} ({past.direction})",
        trial_id=best.trial_id,
        value=best.value,
        objective=Objective(metric=past.metric, direction=direction_of(past.direction)),
    )


def _job_recommendation(
    job_id: str,
    config: TrialParams,
    *,
    detail: str,
    trial_id: int,
    value: float,
    objective: Objective,
) -> Recommendation:
    return Recommendation(
        config=config,
        source="job",
        detail=detail,
        job_id=job_id,
        trial_id=trial_id,
        value=value,
        metric=objective.metric,
        direction=objective.direction,
    )
