"""Thousands of finished trials written straight through the storage layer, for the 10k-trial
benchmarks (leasing them one by one would measure the sampler, not the page). The jobs that go
through HTTP, which tests share, are in ``tunewise.testing.jobs``."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from service.context import ServiceContext


def fill_job(context: ServiceContext, job_id: str, trials: int, steps: int = 10) -> None:
    """Write ``trials`` finished trials (curves included) of the job straight to storage:
    Optuna's trial rows and intermediate values, and our lease rows, as the service would."""
    from sqlalchemy import insert, select

    from service.db import JobRow, TrialLeaseRow
    from service.tuning import optuna_seam

    rng = random.Random(42)
    now = datetime.now(UTC)
    with context.database.unit_of_work() as session:
        job = session.scalars(select(JobRow).where(JobRow.id == job_id)).one()
        study_id = context.studies.storage.get_study_id_from_name(job.study_name)
        families = list(job.families)
        first = len(
            session.scalars(
                select(optuna_seam.TrialModel.trial_id).where(
                    optuna_seam.TrialModel.study_id == study_id
                )
            ).all()
        )
        plan = [
            (n, families[n % len(families)], 10 ** rng.uniform(-5, -1), rng.random() < 0.3)
            for n in range(first, first + trials)
        ]
        session.execute(
            insert(optuna_seam.TrialModel),
            [
                {
                    "number": n,
                    "study_id": study_id,
                    "state": "PRUNED" if pruned else "COMPLETE",
                    "datetime_start": now,
                    "datetime_complete": now,
                }
                for n, _, _, pruned in plan
            ],
        )
        ids = {
            number: trial_id
            for number, trial_id in session.execute(
                select(optuna_seam.TrialModel.number, optuna_seam.TrialModel.trial_id).where(
                    optuna_seam.TrialModel.study_id == study_id
                )
            )
        }
        leases, curves = [], []
        for n, family, lr, pruned in plan:
            last = steps // 2 if pruned else steps
            curve = [
                abs(math.log10(lr) + 3.2) * 0.25 + 1.0 / s + rng.random() * 0.03
                for s in range(1, last + 1)
            ]
            curves += [
                {
                    "trial_id": ids[n],
                    "step": s,
                    "intermediate_value": v,
                    "intermediate_value_type": "FINITE",
                }
                for s, v in enumerate(curve, 1)
            ]
            leases.append(
                {
                    "trial_id": ids[n],
                    "job_id": job_id,
                    "number": n,
                    "attempt": 0,
                    "state": "pruned" if pruned else "complete",
                    "params": {"optimizer": family, "lr": lr, "weight_decay": rng.uniform(0, 0.1)},
                    "study_params": {"optimizer": family, f"{family}.lr": lr},
                    "leased_at": now - timedelta(seconds=30),
                    "finished_at": now,
                    "value": curve[-1],
                    "reason": "pruned" if pruned else None,
                }
            )
        session.execute(insert(optuna_seam.TrialIntermediateValueModel), curves)
        session.execute(insert(TrialLeaseRow), leases)
