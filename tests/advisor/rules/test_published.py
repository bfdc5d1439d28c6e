"""Refinements from published recipes where the seeds were thin (advisor.rules.published)."""

from __future__ import annotations

from tests.advisor.helpers import (
    advice,
    bounds,
    cand,
    default,
    fired_for,
    order,
    portfolio,
    without,
)

LSTM_LM = {"domain": "nlp", "architecture": "lstm", "regime": "from_scratch", "batch_size": 20}
VIT_FT = {"domain": "vision", "architecture": "vit", "regime": "fine_tuning"}


def test_lstm_language_models_search_plain_sgd_at_large_lr() -> None:
    result = advice(**LSTM_LM)
    # Searched beside the seeds' RMSProp and Adam (the corpus layer lifts it further).
    assert "sgd" in order(result)[:3] and "sgd" in portfolio(result)
    assert "nlp.lstm_lm_plain_sgd" in fired_for(result, "sgd")
    low, high = bounds(result, "sgd", "lr")
    assert low <= 1.0 and high >= 30  # Zaremba's 1, AWD-LSTM's 30
    assert default(result, "sgd", "lr") == 1.0
    before = without("nlp.lstm_lm_plain_sgd", **LSTM_LM)
    assert "sgd" not in portfolio(before) and bounds(before, "sgd", "lr")[1] < 1.0


def test_the_lstm_rule_leaves_vision_and_fine_tuning_alone() -> None:
    assert "nlp.lstm_lm_plain_sgd" not in fired_for(advice(domain="vision"), "sgd")
    tuned = advice(**(LSTM_LM | {"regime": "fine_tuning"}))
    assert "nlp.lstm_lm_plain_sgd" not in fired_for(tuned, "sgd")


def test_vit_fine_tuning_keeps_momentum_beside_adamw() -> None:
    result = advice(**VIT_FT)
    assert order(result)[:2] == ["adamw", "momentum"]
    assert "vision.vit_fine_tuning_momentum" in fired_for(result, "momentum")
    low, high = bounds(result, "momentum", "lr")
    assert low <= 0.003 and high >= 0.03  # the ViT authors' fine-tuning lrs
    assert order(without("vision.vit_fine_tuning_momentum", **VIT_FT))[1] != "momentum"


def test_fine_tuning_decoupled_decay_reaches_off_and_a_tenth() -> None:
    task = {"domain": "nlp", "architecture": "transformer", "regime": "fine_tuning"}
    result = advice(**task)
    assert "fine_tuning.decoupled_decay_off_to_tenth" in fired_for(result, "adamw")
    assert bounds(result, "adamw", "weight_decay") == (1e-4, 0.1)
    assert (
        bounds(
            without("fine_tuning.decoupled_decay_off_to_tenth", **task), "adamw", "weight_decay"
        )[0]
        > 1e-4
    )
    assert (
        bounds(advice(domain="nlp", architecture="transformer"), "adamw", "weight_decay")[0] > 1e-4
    )


def test_fine_tuning_beyond_nlp_searches_small_adam_family_lrs() -> None:
    for domain in ("vision", "speech", "gan"):
        result = advice(domain=domain, regime="fine_tuning")
        assert "fine_tuning.small_adaptive_lr_beyond_nlp" in fired_for(result, "adamw")
        assert bounds(result, "adamw", "lr") == (3e-6, 3e-4)
        assert default(result, "adam", "lr") == 3e-5
    nlp = advice(domain="nlp", regime="fine_tuning")
    assert "fine_tuning.small_adaptive_lr_beyond_nlp" not in fired_for(nlp, "adamw")
    scratch = advice(domain="vision", regime="from_scratch")
    assert (
        cand(scratch, "adamw").search_space["lr"]
        != cand(advice(domain="vision", regime="fine_tuning"), "adamw").search_space["lr"]
    )


MODERN_CNN = {
    "domain": "vision",
    "architecture": "cnn",
    "regime": "from_scratch",
    "epochs": 450,
    "batch_size": 1024,
}


def test_modern_convnets_on_long_imagenet_schedules_search_rmsprop_and_adamw() -> None:
    result = advice(**MODERN_CNN)
    assert "vision.modern_convnet_long_recipes" in fired_for(result, "rmsprop")
    assert "vision.modern_convnet_long_recipes" in fired_for(result, "adamw")
    assert "rmsprop" in portfolio(result)
    assert bounds(result, "rmsprop", "lr") == (1e-3, 0.1)  # 0.016 (timm) and 0.064 (torchvision)
    low, high = bounds(result, "adamw", "lr")
    assert low <= 4e-3 <= high  # ConvNeXt's
    before = without("vision.modern_convnet_long_recipes", **MODERN_CNN)
    assert order(result).index("rmsprop") < order(before).index("rmsprop")
    assert cand(result, "adamw").score > cand(before, "adamw").score


def test_short_or_small_batch_convnet_schedules_keep_the_seed_order() -> None:
    for changed in ({"epochs": 90}, {"batch_size": 64}):
        result = advice(**(MODERN_CNN | changed))
        assert "vision.modern_convnet_long_recipes" not in fired_for(result, "rmsprop")


def test_speech_ranks_adamw_beside_adam_even_for_recurrent_nets() -> None:
    for fields in ({"domain": "speech"}, {"domain": "speech", "architecture": "lstm"}):
        result = advice(**fields)
        assert order(result)[:2] == ["adam", "adamw"]
        assert "speech.recognition_adamw" in fired_for(result, "adamw")
        before = without("speech.recognition_adamw", **fields)
        assert cand(before, "adamw").score < cand(result, "adamw").score
    assert order(without("speech.recognition_adamw", domain="speech", architecture="lstm"))[1] != (
        "adamw"
    )


def test_large_batch_recommenders_rank_adagrad_as_a_family_of_its_own() -> None:
    task = {"domain": "recsys", "sparse_features": True, "batch_size": 8192}
    result = advice(**task)
    assert "recsys.adagrad_whole_model_at_scale" in fired_for(result, "adagrad")
    assert "adagrad" in order(result)[:2]
    low, high = bounds(result, "adagrad", "lr")
    assert low <= 0.005 and high >= 0.1  # MLPerf DLRM v2 and TFRS retrieval
    before = without("recsys.adagrad_whole_model_at_scale", **task)
    assert order(before).index("adagrad") > order(result).index("adagrad")
    small = advice(**(task | {"batch_size": 256}))
    assert "recsys.adagrad_whole_model_at_scale" not in fired_for(small, "adagrad")


def test_adaptive_optimizers_search_far_smaller_l2_than_sgd() -> None:
    result = advice(domain="speech", architecture="lstm")
    for family in ("adam", "rmsprop", "adagrad"):
        assert "decay.adaptive_l2_small" in fired_for(result, family)
        assert bounds(result, family, "weight_decay") == (1e-6, 5e-4)  # Tacotron 2 to GCN
    assert bounds(result, "momentum", "weight_decay")[0] > 1e-6  # SGD keeps its L2 range
    assert bounds(result, "adamw", "weight_decay")[0] > 5e-4  # decoupled decay is another scale
    before = without("decay.adaptive_l2_small", domain="speech", architecture="lstm")
    assert bounds(before, "adam", "weight_decay")[0] > 1e-6


def test_unet_segmentation_from_scratch_ranks_the_convnet_optimizers_first() -> None:
    task = {"domain": "vision", "architecture": "unet", "regime": "from_scratch"}
    result = advice(**task)
    assert set(order(result)[:2]) == {"momentum", "rmsprop"}
    assert "vision.unet_segmentation_convnet_optimizers" in fired_for(result, "rmsprop")
    assert order(without("vision.unet_segmentation_convnet_optimizers", **task))[0] == "adam"
    diffusion = advice(domain="vision", architecture="diffusion", regime="from_scratch")
    assert "vision.unet_segmentation_convnet_optimizers" not in fired_for(diffusion, "momentum")


def test_the_gan_lr_range_reaches_stylegans() -> None:
    result = advice(domain="gan")
    assert "rl_gan.gan_lr_up_to_stylegan" in fired_for(result, "adam")
    low, high = bounds(result, "adam", "lr")
    assert low <= 1e-4 and high >= 2.5e-3  # DCGAN/WGAN-GP and StyleGAN2-ADA
    assert default(result, "adam", "lr") == 2e-4  # DCGAN's stays the start
    assert bounds(without("rl_gan.gan_lr_up_to_stylegan", domain="gan"), "adam", "lr")[1] < 2.5e-3
