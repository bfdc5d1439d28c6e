"""fine_tuning.*: the backbone learns slower than the new head."""

from __future__ import annotations

from tests.advisor.helpers import advice, cand, fired_for

RESNET = {"domain": "vision", "architecture": "resnet"}


def test_per_group_lr_gives_the_backbone_a_tenth_of_the_head_lr() -> None:
    result = advice(**RESNET, regime="fine_tuning")
    best = cand(result, "momentum")
    assert best.defaults.backbone_lr_ratio == 0.1
    groups = {g.name: g for g in best.param_groups}
    assert groups["backbone"].settings == {"lr_ratio": 0.1, "lr": best.defaults.lr * 0.1}
    assert groups["backbone"].rule == "fine_tuning.per_group_lr"
    assert "fine_tuning.per_group_lr" in fired_for(result, "adam")
    scratch = cand(advice(**RESNET, regime="from_scratch"), "momentum")
    assert scratch.defaults.backbone_lr_ratio is None
    assert "backbone" not in {g.name for g in scratch.param_groups}
