"""The sampler's window: the best complete trials (kept incrementally, even when a trial
finishes long after it started) plus the most recent ones; the study keeps everything."""

from __future__ import annotations

import optuna
from optuna.distributions import FloatDistribution
from optuna.study import StudyDirection
from optuna.trial import TrialState, create_trial

from service.tuning.window import WindowedSampler, _Ranking, windowed

X = {"x": FloatDistribution(0.0, 100.0)}


def trials(values: list[float | None]) -> list[optuna.trial.FrozenTrial]:
    made = []
    for number, value in enumerate(values):
        state = TrialState.RUNNING if value is None else TrialState.COMPLETE
        trial = create_trial(params={"x": float(number)}, distributions=X, value=value, state=state)
        trial.number = number
        made.append(trial)
    return made


def test_window_keeps_the_best_and_the_recent_in_order() -> None:
    history = trials([float(v) for v in [50, 1, 40, 2, 30, 60, 70, 80, 90, 95]])
    kept = windowed(history, _Ranking(2), StudyDirection.MINIMIZE, recent=3)
    assert [t.number for t in kept] == [1, 3, 7, 8, 9]
    kept = windowed(history, _Ranking(2), StudyDirection.MAXIMIZE, recent=3)
    assert [t.number for t in kept] == [7, 8, 9]
    short = history[:5]
    assert windowed(short, _Ranking(2), StudyDirection.MINIMIZE, recent=3) == short


def test_ranking_sees_a_trial_that_finishes_after_later_ones() -> None:
    ranking = _Ranking(size=2)
    history = trials([5.0, None, 4.0, 3.0])
    assert ranking.update(history, StudyDirection.MINIMIZE) == [3, 2]
    history[1] = trials([0.0, 0.5])[1]  # trial 1 finishes, best of all
    assert ranking.update(history, StudyDirection.MINIMIZE) == [1, 3]


def test_a_windowed_tpe_optimizes_and_the_study_keeps_every_trial() -> None:
    sampler = WindowedSampler(optuna.samplers.TPESampler(seed=0), best=5, recent=20)
    study = optuna.create_study(sampler=sampler)
    study.optimize(lambda t: (t.suggest_float("x", -10, 10) - 3) ** 2, n_trials=80)
    assert len(study.trials) == 80
    assert abs(study.best_params["x"] - 3) < 0.5
