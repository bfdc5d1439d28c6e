"""The service side of learning: catch up on ended jobs, read the caller's evidence, learn.

Used by job creation (warm starts and the learned advice a job searches with), by
``POST /v1/advice?learned=true`` (static and learned side by side) and by recommendations.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from sqlalchemy.exc import IntegrityError

from advisor import Advice, OptimizerName
from service.auth import Principal
from service.context import ServiceContext
from service.errors import ForbiddenError
from service.evidence.learned import Learned, learn
from service.evidence.store import EvidenceStore, PastJob
from tunewise.wire.dimensions import UserDimension
from tunewise.wire.models import AdviceComparison, LearnedWarmStart, SimilarJob

_log = logging.getLogger(__name__)


class LearningService:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._store = EvidenceStore()

    def past_jobs(self, principal: Principal, *, everyone: bool = False) -> list[PastJob]:
        if everyone and not principal.is_admin:
            raise ForbiddenError(
                "only admin tokens may learn from every token's jobs; use 'own'",
                field="warm_start_from",
            )
        self.catch_up()
        with self._context.database.reading() as session:
            return self._store.past_jobs(session, principal, everyone=everyone)

    def catch_up(self) -> None:
        try:
            with self._context.database.unit_of_work() as session:
                recorded = self._store.catch_up(session)
        except IntegrityError:  # another replica recorded the same job first: nothing lost
            _log.info("evidence catch-up raced another process; its rows stand")
            return
        if recorded:
            _log.info("recorded the evidence of %d ended jobs", recorded)

    def learn(
        self,
        principal: Principal,
        advice: Advice,
        *,
        workload: str | None,
        metric: str,
        direction: str,
        optimizers: Sequence[OptimizerName] | None = None,
        n_trials: int | None = None,
        everyone: bool = False,
        dimensions: Mapping[str, UserDimension] | None = None,
    ) -> Learned:
        return learn(
            advice,
            workload=workload,
            metric=metric,
            direction=direction,
            past=self.past_jobs(principal, everyone=everyone),
            optimizers=optimizers,
            n_trials=n_trials,
            dimensions=dimensions,
        )

    def compare(
        self,
        principal: Principal,
        advice: Advice,
        *,
        workload: str | None,
        metric: str,
        direction: str,
        everyone: bool = False,
    ) -> AdviceComparison:
        learned = self.learn(
            principal,
            advice,
            workload=workload,
            metric=metric,
            direction=direction,
            everyone=everyone,
        )
        return comparison(advice, learned)


def comparison(static: Advice, learned: Learned) -> AdviceComparison:
    return AdviceComparison(
        static=static,
        learned=learned.advice,
        changes=learned.changes,
        warm_starts=tuple(
            LearnedWarmStart(
                label=w.label, job_id=w.job_id, value=w.value, params=dict(w.study_params)
            )
            for w in learned.warm_starts
        ),
        similar_jobs=tuple(
            SimilarJob(job_id=p.job_id, path=p.path, similarity=m.score, why=m.describe())
            for p, m in learned.matches
        ),
    )
