"""nlp.*: AdamW with warmup and cosine, Adagrad for sparse features, fine-tuning versus
pre-training lr ranges."""

from __future__ import annotations

from tests.advisor.helpers import advice, bounds, cand, default, fired_for, order, rank, without

TRANSFORMER = {"domain": "nlp", "architecture": "transformer"}
PRETRAIN_300M = TRANSFORMER | {"regime": "from_scratch", "model_params": 300_000_000}


def test_transformers_train_with_adamw_then_adam_lr_1e4_and_warmup_cosine() -> None:
    result = advice(**TRANSFORMER)
    assert order(result)[:2] == ["adamw", "adam"]
    assert default(result, "adamw", "lr") == 1e-4
    assert bounds(result, "adamw", "lr") == (5e-5, 3e-4)
    schedule = cand(result, "adamw").schedule
    assert schedule.name.value == "warmup_cosine" and 0 < schedule.warmup_fraction <= 0.1
    assert "nlp.transformer_adamw" in fired_for(result, "adamw")
    # Language work with no architecture named is read as Transformer work.
    assert advice(domain="nlp").best().optimizer.value == "adamw"
    assert without("nlp.transformer_adamw", **TRANSFORMER).best().optimizer.value == "adam"


def test_sparse_nlp_features_bring_adagrad_and_a_sparse_group() -> None:
    dense = advice(domain="nlp", architecture="embedding")
    sparse = advice(domain="nlp", architecture="embedding", sparse_features=True)
    assert rank(sparse, "adagrad") < rank(dense, "adagrad")
    assert rank(sparse, "adagrad") <= 2
    adamw = cand(sparse, "adamw")
    assert adamw.defaults.sparse_optimizer is not None
    assert adamw.defaults.sparse_optimizer.value == "adagrad"
    groups = {g.name: g for g in adamw.param_groups}
    assert groups["sparse_embeddings"].rule == "nlp.sparse_features_adagrad"
    assert cand(sparse, "adagrad").defaults.sparse_optimizer is None
    assert "nlp.sparse_features_adagrad" in fired_for(sparse, "adagrad")


def test_large_transformer_pretraining_favours_adamw_over_sgd() -> None:
    result = advice(**PRETRAIN_300M)
    ablated = without("nlp.large_transformer_pretraining", **PRETRAIN_300M)
    assert cand(result, "adamw").score > cand(ablated, "adamw").score
    assert cand(result, "momentum").score < cand(ablated, "momentum").score
    assert "nlp.large_transformer_pretraining" in fired_for(result, "sgd")


def test_bert_fine_tuning_uses_2e5_to_5e5_one_lr_and_a_linear_schedule() -> None:
    result = advice(**TRANSFORMER, regime="fine_tuning")
    adamw = cand(result, "adamw")
    assert adamw.defaults.lr == 3e-5
    assert bounds(result, "adamw", "lr") == (2e-5, 5e-5)
    assert adamw.defaults.backbone_lr_ratio == 1.0
    assert {g.name for g in adamw.param_groups} >= {"one_lr"}
    assert adamw.schedule.name.value == "warmup_linear"
    assert adamw.schedule.warmup_fraction == 0.1
    assert "nlp.bert_fine_tuning_lr" in fired_for(result, "adamw")
    ablated = without("nlp.bert_fine_tuning_lr", **TRANSFORMER, regime="fine_tuning")
    assert cand(ablated, "adamw").defaults.backbone_lr_ratio == 0.1


def test_gpt_size_pretraining_runs_at_6e4_with_cosine_to_a_tenth() -> None:
    result = advice(**PRETRAIN_300M)
    adamw = cand(result, "adamw")
    assert adamw.defaults.lr == 6e-4
    assert bounds(result, "adamw", "lr") == (1e-4, 1e-3)
    assert adamw.schedule.name.value == "warmup_cosine"
    assert adamw.schedule.min_lr_fraction == 0.1
    assert "nlp.gpt_pretraining_lr" in fired_for(result, "adamw")
    assert default(without("nlp.gpt_pretraining_lr", **PRETRAIN_300M), "adamw", "lr") == 1e-4
