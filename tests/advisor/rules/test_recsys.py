"""recsys.*: a hybrid of AdamW for dense towers and Adagrad for sparse embeddings."""

from __future__ import annotations

from advisor import Range
from tests.advisor.helpers import advice, cand, default, fired_for, rank, without

RECSYS = {"domain": "recsys"}


def test_recommenders_get_adamw_with_an_adagrad_embedding_group() -> None:
    result = advice(**RECSYS)
    assert result.best().optimizer.value == "adamw"
    best = result.best()
    assert best.defaults.sparse_optimizer is not None
    assert best.defaults.sparse_optimizer.value == "adagrad"
    assert best.defaults.sparse_lr == 0.01
    groups = {g.name: g for g in best.param_groups}
    assert groups["sparse_embeddings"].settings == {"optimizer": "adagrad", "lr": 0.01}
    assert groups["sparse_embeddings"].rule == "recsys.hybrid_sparse_dense"
    assert rank(result, "adagrad") < rank(advice(domain="other"), "adagrad")
    # The sparse-features default for recommenders is recorded as such.
    assert result.task.inferred["sparse_features"].origin == "default"
    dense_only = advice(**RECSYS, sparse_features=False)
    assert "recsys.hybrid_sparse_dense" not in fired_for(dense_only, "adamw")
    assert dense_only.best().defaults.sparse_optimizer is None


def test_large_batch_embeddings_train_around_5e3() -> None:
    result = advice(**RECSYS, batch_size=8192)
    assert result.best().defaults.sparse_lr == 5e-3
    assert default(result, "adagrad", "lr") == 5e-3
    assert "recsys.embedding_lr_at_scale" in fired_for(result, "adagrad")
    assert (
        without("recsys.embedding_lr_at_scale", **RECSYS, batch_size=8192).best().defaults.sparse_lr
        == 0.01
    )


def test_nadamw_joins_the_dense_side_for_recommenders() -> None:
    result = advice(**RECSYS)
    assert "recsys.nadamw_criteo" in fired_for(result, "nadam")
    assert rank(result, "nadam") <= 3
    assert (
        cand(without("recsys.nadamw_criteo", **RECSYS), "nadam").score < cand(result, "nadam").score
    )


def test_the_embedding_lr_is_searched_over_the_published_adagrad_span() -> None:
    # Published Adagrad embedding lrs run from 5e-3 (MLPerf DLRM v2) to 0.1 (TFRS retrieval).
    result = advice(**RECSYS, budget_trials=30)
    best = result.best()
    assert best.search_space["sparse_lr"] == Range(low=1e-3, high=0.3, log=True)
    assert best.defaults.sparse_lr == 0.01, "the ready config keeps the hybrid rule's value"
    assert "recsys.search_embedding_lr" in fired_for(result, "adamw")
    assert "sparse_lr" in result.search.tuned_params
    # Tuned whenever the dense lr is, even at a budget that tunes the lr alone.
    assert advice(**RECSYS, budget_trials=5).search.tuned_params == ("lr", "sparse_lr")
    # Without the rule the hybrid fixes the embedding lr, as it did before.
    fixed = without("recsys.search_embedding_lr", **RECSYS, budget_trials=30)
    assert "sparse_lr" not in fixed.best().search_space
    assert "sparse_lr" not in fixed.search.tuned_params


def test_large_batch_narrows_the_embedding_lr_search_around_5e3() -> None:
    result = advice(**RECSYS, batch_size=8192, budget_trials=30)
    assert result.best().search_space["sparse_lr"] == Range(low=1e-3, high=3e-2, log=True)


def test_only_a_hybrid_searches_an_embedding_lr() -> None:
    dense_only = advice(**RECSYS, sparse_features=False, budget_trials=30)
    assert all("sparse_lr" not in c.search_space for c in dense_only.candidates)
    assert "sparse_lr" not in dense_only.search.tuned_params
    # Adagrad itself trains the embeddings at its own lr: no second, sparse lr to search.
    assert "sparse_lr" not in cand(advice(**RECSYS, budget_trials=30), "adagrad").search_space


def test_recommenders_keep_a_constant_lr_as_their_published_recipes_do() -> None:
    result = advice(**RECSYS)
    for family in ("adamw", "adam", "adagrad"):
        assert cand(result, family).schedule.name.value == "constant", family
        assert cand(result, family).defaults.schedule.name.value == "constant", family
        assert "recsys.constant_lr" in fired_for(result, family)
    # Without the rule the seeds' general cosine applies; dense-only tasks keep it too.
    assert without("recsys.constant_lr", **RECSYS).best().schedule.name.value == "cosine"
    assert advice(**RECSYS, sparse_features=False).best().schedule.name.value == "cosine"
