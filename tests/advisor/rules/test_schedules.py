"""schedules.*: the seeds' schedules, the person's own, and the Playbook's limits."""

from __future__ import annotations

from tests.advisor.helpers import advice, cand, fired_for, note_rules, notes_text, without

RESNET = {"domain": "vision", "architecture": "resnet"}


def test_the_seed_schedules_make_cosine_the_default_and_are_listed() -> None:
    result = advice(domain="other")
    assert {c.schedule.name.value for c in result.candidates} == {"cosine"}
    assert "schedules.seed_schedules" in note_rules(result)
    assert "StepLR(step_size=30, gamma=0.1)" in notes_text(result)
    assert "ExponentialLR(gamma=0.95)" in notes_text(result)
    bare = without("schedules.seed_schedules", domain="other")
    assert cand(bare, "sgd").schedule.name.value == "constant"


def test_a_long_cnn_run_with_sgd_steps_the_lr_every_30_epochs() -> None:
    result = advice(**RESNET, epochs=90)
    schedule = cand(result, "momentum").schedule
    assert schedule.name.value == "step"
    assert (schedule.step_epochs, schedule.effective_gamma()) == (30, 0.1)
    assert cand(result, "adam").schedule.name.value == "cosine"
    assert "schedules.step_resnet_recipe" in fired_for(result, "momentum")
    assert cand(advice(**RESNET, epochs=20), "momentum").schedule.name.value == "cosine"


def test_large_batches_warm_up_the_sgd_family() -> None:
    result = advice(**RESNET, batch_size=4096)
    schedule = cand(result, "momentum").schedule
    assert schedule.name.value == "warmup_cosine" and schedule.warmup_fraction == 0.05
    assert "schedules.large_batch_warmup" in fired_for(result, "sgd")
    ablated = without("schedules.large_batch_warmup", **RESNET, batch_size=4096)
    assert cand(ablated, "momentum").schedule.name.value == "cosine"


def test_the_persons_own_schedule_is_kept_with_the_seeds_values() -> None:
    result = advice(domain="other", current={"optimizer": "momentum", "schedule": "ExponentialLR"})
    schedule = cand(result, "momentum").schedule
    assert schedule.name.value == "exponential" and schedule.effective_gamma() == 0.95
    assert cand(result, "adam").schedule.name.value == "cosine"
    assert "schedules.keep_current_schedule" in fired_for(result, "momentum")
    everyone = advice(domain="other", current={"schedule": "StepLR"})
    assert {c.schedule.name.value for c in everyone.candidates} == {"step"}


def test_a_constant_lr_is_told_to_decay() -> None:
    result = advice(domain="other", current={"optimizer": "adam", "schedule": "none"})
    assert "schedules.decay_by_default" in note_rules(result)
    assert cand(result, "adam").schedule.name.value == "cosine"
    assert "schedules.decay_by_default" not in note_rules(advice(domain="other"))


def test_warmup_is_capped_at_a_tenth_of_the_steps() -> None:
    task = {"domain": "other", "current": {"optimizer": "adam", "schedule": "OneCycleLR"}}
    schedule = cand(advice(**task), "adam").schedule
    assert schedule.name.value == "one_cycle" and schedule.warmup_fraction == 0.1
    assert "schedules.short_warmup" in fired_for(advice(**task), "adam")
    assert cand(without("schedules.short_warmup", **task), "adam").schedule.warmup_fraction == 0.3
