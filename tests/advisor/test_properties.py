"""Properties of the advice for any valid task, drawn from TaskDescription's own schema."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import FAMILY_PARAMS, Advice, OptimizerName, Range, TaskDescription, advise
from advisor.candidates import TIE_ORDER
from advisor.rules.adjustments import MAX_WARMUP_FRACTION

Schema = dict[str, Any]
SCHEMA: Schema = TaskDescription.model_json_schema()


def _resolve(node: Schema) -> Schema:
    if "$ref" in node:
        return _resolve(SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]])
    return node


def from_schema(node: Schema) -> st.SearchStrategy[Any]:
    """Values valid for a JSON-schema node (the subset pydantic emits for these models)."""
    node = _resolve(node)
    if "properties" in node:
        # An object's own anyOf states a cross-field rule (description or domain), which the
        # filter on TASKS enforces; its properties are what to draw.
        return st.fixed_dictionaries(
            {}, optional={k: from_schema(v) for k, v in node["properties"].items()}
        )
    if "anyOf" in node:
        return st.one_of([from_schema(option) for option in node["anyOf"]])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low, high = node.get("minimum"), node.get("maximum")
        # Sizes span many orders of magnitude: draw small, typical and extreme values alike.
        return st.integers(low, high) | st.integers(low, min(high or 10**6, 10**6))
    if kind == "number":
        return st.floats(
            min_value=node.get("minimum", node.get("exclusiveMinimum", 1e-9)),
            max_value=node.get("maximum", node.get("exclusiveMaximum", 1e3)),
            exclude_min="exclusiveMinimum" in node,
            exclude_max="exclusiveMaximum" in node,
            allow_nan=False,
        )
    if kind == "string":
        return st.text(
            min_size=node.get("minLength", 0), max_size=min(node.get("maxLength", 40), 40)
        )
    if kind == "array":
        return st.lists(from_schema(node["items"]), max_size=3).map(tuple)
    raise AssertionError(f"no strategy for schema node {node}")


TASKS = (
    from_schema(SCHEMA)
    .filter(lambda d: d.get("domain") or d.get("description"))
    .map(TaskDescription.model_validate)
)


def check_candidates(result: Advice) -> None:
    keys = [(-c.score, TIE_ORDER.index(c.optimizer)) for c in result.candidates]
    assert keys == sorted(keys)
    assert sorted(c.optimizer for c in result.candidates) == sorted(OptimizerName)
    for candidate in result.candidates:
        assert 0 <= candidate.score <= 1
        taken = {p.value for p in FAMILY_PARAMS[candidate.optimizer]}
        if candidate.defaults.sparse_optimizer is not None:
            taken.add("sparse_lr")  # a hybrid's embedding group has its own lr
        assert set(candidate.search_space) <= taken
        if "sparse_lr" in candidate.search_space and candidate.defaults.sparse_lr is not None:
            assert candidate.search_space["sparse_lr"].contains(candidate.defaults.sparse_lr)
        defaults = candidate.defaults.hyperparameters()
        for name, dimension in candidate.search_space.items():
            assert isinstance(dimension, Range)
            assert dimension.low < dimension.high
            assert not dimension.log or dimension.low > 0
            if name in defaults:
                assert dimension.contains(defaults[name]), (candidate.optimizer, name)
        assert candidate.schedule.warmup_fraction <= MAX_WARMUP_FRACTION
        assert candidate.rationale
        assert all(item.rule and item.text and item.source for item in candidate.rationale)


def check_search(result: Advice) -> None:
    search = result.search
    ranked = [c.optimizer for c in result.candidates]
    assert search.families and set(search.families) <= set(ranked)
    assert list(search.families) == sorted(search.families, key=ranked.index)
    searchable = {
        name for c in result.candidates if c.optimizer in search.families for name in c.search_space
    }
    assert set(search.tuned_params) <= searchable
    assert search.n_trials >= 1


@settings(max_examples=150, deadline=None)
@given(TASKS)
def test_advice_is_deterministic_sorted_bounded_and_cited(task: TaskDescription) -> None:
    result = advise(task)
    assert advise(task) == result
    check_candidates(result)
    check_search(result)
    assert all(note.source for note in result.notes)
