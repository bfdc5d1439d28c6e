"""Learned advice from plain evidence: exactly the static advice when nothing similar is
known; a Beta-Bernoulli family update that one lucky job cannot turn but repeated evidence
does; re-centred lr ranges inside the advisor's bounds; warm starts valid in the new space."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from advisor import Advice, OptimizerName, Range, TaskDescription, advise
from service.evidence.learned import learn, posterior, revalidate
from service.evidence.similarity import THRESHOLD
from service.evidence.store import FamilyResult, PastConfig, PastJob
from service.tuning.space import SearchSpace

TASK = TaskDescription(domain="tabular", architecture="mlp", dataset_size=1000, batch_size=32)
WORKLOAD = "tabular-mlp"


def static() -> Advice:
    return advise(TASK)


def past_job(
    job_id: str,
    families: list[tuple[str, float]],
    configs: Sequence[Mapping[str, object]] | None = None,
    *,
    workload: str = WORKLOAD,
    task: TaskDescription = TASK,
    metric: str = "val_loss",
) -> PastJob:
    ranked = sorted(families, key=lambda fv: fv[1])
    return PastJob(
        job_id=job_id,
        workload=workload,
        metric=metric,
        direction="minimize",
        task=advise(task).task,
        families=tuple(
            FamilyResult(family=f, best=v, rank=i, complete=1)
            for i, (f, v) in enumerate(ranked, start=1)
        ),
        top_configs=tuple(
            PastConfig(trial_id=i, number=i, value=0.1 + i, study_params=dict(c))
            for i, c in enumerate(configs or [])
        ),
    )


def learned_for(past: list[PastJob]) -> Advice:
    return learn(
        static(), workload=WORKLOAD, metric="val_loss", direction="minimize", past=past
    ).advice


def rank(advice: Advice, family: OptimizerName) -> int:
    return [c.optimizer for c in advice.candidates].index(family)


def test_with_no_similar_job_the_advice_is_exactly_the_static_one() -> None:
    advice = static()
    unrelated = past_job(
        "v1",
        [("sgd", 0.1), ("adam", 0.2)],
        workload="digits-cnn",
        task=TaskDescription(domain="vision", architecture="cnn", dataset_size=10**6),
    )
    other_metric = past_job("m1", [("sgd", 0.1), ("adam", 0.2)], metric="val_accuracy")
    result = learn(
        advice,
        workload=WORKLOAD,
        metric="val_loss",
        direction="minimize",
        past=[unrelated, other_metric],
    )
    assert result.advice is advice
    assert result.changes == () and result.warm_starts == () and result.matches == ()
    assert THRESHOLD > 0


def test_the_posterior_is_the_documented_beta_mean() -> None:
    assert posterior(0.5, 0.0, 0.0) == 0.5
    assert posterior(0.9, 0.0, 1.0) == (0.9 * 6) / 7
    assert posterior(0.5, 1.0, 1.0) == (0.5 * 6 + 1) / 7


def test_one_lucky_job_cannot_overturn_a_strong_rule_but_repeated_evidence_does() -> None:
    advice = static()
    first, last = advice.candidates[0], advice.candidates[-1]
    assert first.score - last.score > 0.2  # a strong rule to overturn
    lucky = [(last.optimizer.value, 0.1), (first.optimizer.value, 0.5)]

    once = learned_for([past_job("j1", lucky)])
    assert rank(once, first.optimizer) < rank(once, last.optimizer)

    many = learned_for([past_job(f"j{i}", lucky) for i in range(12)])
    assert rank(many, last.optimizer) < rank(many, first.optimizer)
    assert many.candidates[0].optimizer is last.optimizer
    raised = next(c for c in many.candidates if c.optimizer is last.optimizer)
    item = raised.rationale[-1]
    assert item.rule == "evidence.family_order"
    assert f"family order: {last.optimizer.value} raised by 12 similar jobs" in item.text
    assert item.source.startswith("/v1/jobs/j")
    assert item in many.search.rationale


def test_a_job_that_tried_one_family_says_nothing_about_family_order() -> None:
    advice = static()
    only = advice.candidates[-1].optimizer.value
    learned = learned_for([past_job(f"j{i}", [(only, 0.1)]) for i in range(20)])
    assert [c.optimizer for c in learned.candidates] == [c.optimizer for c in advice.candidates]


def test_lr_ranges_are_recentred_inside_the_advisors_bounds() -> None:
    advice = static()
    family = advice.search.families[0]
    bounds = advice.candidate(family).search_space["lr"]  # type: ignore[union-attr]
    assert isinstance(bounds, Range)
    inside = [bounds.low * 2, bounds.low * 3]
    configs: list[dict[str, object]] = [
        {"optimizer": family.value, f"{family.value}.lr": lr} for lr in inside
    ]
    learned = learned_for([past_job("j1", [(family.value, 0.1)], configs)])
    lr = learned.candidate(family).search_space["lr"]  # type: ignore[union-attr]
    assert isinstance(lr, Range)
    assert lr.low == bounds.low  # min/4 is below the advisor's bound: clipped
    assert lr.high == inside[1] * 4 < bounds.high
    assert any("lr range re-centred on 2 good trials" in r.text for r in learned.search.rationale)


def test_warm_starts_are_revalidated_against_the_new_space() -> None:
    advice = static()
    family = advice.search.families[0]
    bounds = advice.candidate(family).search_space["lr"]  # type: ignore[union-attr]
    assert isinstance(bounds, Range)
    good: dict[str, object] = {"optimizer": family.value, f"{family.value}.lr": bounds.low * 2}
    outside: dict[str, object] = {
        "optimizer": family.value,
        f"{family.value}.lr": bounds.high * 100,
    }
    unsearched: dict[str, object] = {"optimizer": "sparse_adam", "sparse_adam.lr": 1e-3}
    result = learn(
        advice,
        workload=WORKLOAD,
        metric="val_loss",
        direction="minimize",
        past=[past_job("j7", [(family.value, 0.1)], [good, outside, unsearched])],
    )
    space = SearchSpace.from_advice(result.advice)
    points = [w.study_params for w in result.warm_starts]
    assert points[0] == good
    assert points[1] == {"optimizer": family.value}  # the lr outside its range is dropped
    assert len(points) == 2  # the family the new space does not search is skipped
    for point in points:
        space.config_for(point)  # a valid config
        assert revalidate(space, dict(point)) == point
    assert result.warm_starts[0].label.startswith("warm start: trial 0 of job j7 (same workload")
    summary = result.changes[-1]
    assert summary.text.startswith("warm start: 2 configs from job j7, same workload")
    assert summary.source == "/v1/jobs/j7"
    assert OptimizerName(str(points[0]["optimizer"])) is family
