"""The fair order of open jobs for a lease: least-served owner first, then that owner's
least-served job, then the oldest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.scheduling import Candidate, fair_order

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def job(job_id: str, owner: int | None, running: int, age: int) -> Candidate:
    return Candidate(job_id, owner, T0 - timedelta(minutes=age), running)


def test_with_nothing_running_the_oldest_job_goes_first() -> None:
    assert fair_order([job("new", 1, 0, age=1), job("old", 2, 0, age=9)]) == ["old", "new"]


def test_the_job_holding_fewer_workers_goes_first_however_old_the_other_is() -> None:
    assert fair_order([job("long", 1, 3, age=60), job("late", 2, 1, age=1)]) == ["late", "long"]


def test_an_owner_with_many_jobs_does_not_get_a_share_per_job() -> None:
    # Owner 1 holds 2 workers over two jobs; owner 2's lone job holds 1: owner 2 goes first
    # although each of owner 1's jobs holds only one.
    order = fair_order([job("a", 1, 1, age=9), job("b", 1, 1, age=8), job("c", 2, 1, age=1)])
    assert order[0] == "c"
    # Within one owner, the job holding fewer goes first.
    assert fair_order([job("a", 1, 2, age=9), job("b", 1, 0, age=1)]) == ["b", "a"]


def test_priority_orders_one_owners_jobs_but_never_beats_another_owners_share() -> None:
    urgent = Candidate("urgent", 1, T0, running=1, priority=5)
    routine = Candidate("routine", 1, T0 - timedelta(minutes=9), running=0)
    assert fair_order([routine, urgent]) == ["urgent", "routine"]
    other = Candidate("other", 2, T0, running=0)
    assert fair_order([urgent, routine, other])[0] == "other"
