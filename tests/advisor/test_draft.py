"""How later settings combine with earlier ones."""

from __future__ import annotations

from advisor import ParamName
from advisor.draft import ParamDraft
from advisor.rules import ParamSetting
from advisor.rules.kinds import ADAM_FAMILY


def setting(**fields: float) -> ParamSetting:
    return ParamSetting(families=ADAM_FAMILY, param=ParamName.LR, **fields)


def test_a_new_range_pulls_the_old_default_inside() -> None:
    draft = ParamDraft()
    draft.apply(setting(default=1e-3, low=1e-4, high=3e-3))
    draft.apply(setting(low=2e-5, high=5e-5))
    assert (draft.default, draft.low, draft.high) == (5e-5, 2e-5, 5e-5)


def test_a_new_default_stretches_the_old_range() -> None:
    draft = ParamDraft()
    draft.apply(setting(default=1e-3, low=1e-4, high=3e-3))
    draft.apply(setting(default=0.5))
    assert (draft.default, draft.low, draft.high) == (0.5, 1e-4, 0.5)


def test_a_default_alone_sets_no_range() -> None:
    draft = ParamDraft()
    draft.apply(setting(default=1e-3))
    assert (draft.default, draft.low, draft.high) == (1e-3, None, None)
