"""The portfolio: the best-ranked families, with each required group represented."""

from __future__ import annotations

from advisor import Candidate, ParamName
from advisor.draft import SearchDraft
from advisor.planning import plan_search
from advisor.rules.kinds import O, of
from tests.advisor.helpers import advice


def ranked() -> tuple[Candidate, ...]:
    # adam, adamw, momentum, nesterov, rmsprop, … for an unknown task.
    return advice(domain="other").candidates


def families(draft: SearchDraft) -> list[str]:
    result = advice(domain="other")
    return [f.value for f in plan_search(result.task, ranked(), draft).families]


def test_the_top_families_by_rank() -> None:
    assert families(SearchDraft(portfolio_size=2)) == ["adam", "adamw"]


def test_a_needed_group_swaps_in_for_the_lowest_member() -> None:
    draft = SearchDraft(portfolio_size=2, needs=[of(O.RMSPROP)])
    assert families(draft) == ["adam", "rmsprop"]


def test_a_sole_member_of_a_needed_group_is_kept() -> None:
    draft = SearchDraft(portfolio_size=2, needs=[of(O.ADAMW), of(O.RMSPROP)])
    assert families(draft) == ["adamw", "rmsprop"]


def test_excluded_families_are_never_searched() -> None:
    draft = SearchDraft(portfolio_size=2, excludes={O.ADAM}, needs=[of(O.ADAM)])
    assert families(draft) == ["adamw", "momentum"]


def test_tuned_parameters_are_those_the_portfolio_takes() -> None:
    # The portfolio is Adam alone, which has no momentum.
    result = advice(domain="other")
    draft = SearchDraft(portfolio_size=1, tune=[ParamName.LR, ParamName.MOMENTUM])
    plan = plan_search(result.task, ranked(), draft)
    assert plan.tuned_params == ("lr",)
