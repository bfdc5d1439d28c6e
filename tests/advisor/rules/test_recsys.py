"""recsys.*: a hybrid of AdamW for dense towers and Adagrad for sparse embeddings."""

from __future__ import annotations

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
