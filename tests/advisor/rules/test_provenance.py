"""Every rule says where it comes from, and every row of advisor-rules.md is a rule.

Seed citations are checked against the seed files themselves: the file exists, every heading
of the cited section appears in it, and any quoted words appear verbatim.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from advisor.rules import RULEBOOK, Reference, SeedSource, all_rules

SHARED = Path(__file__).parents[3] / ".." / "shared"
SEEDS = SHARED / "seeds"

#: Each row of the seed table (by its first words) → the rules that encode it.
SEED_ROWS: dict[str, tuple[str, ...]] = {
    "New model or unknown task": (
        "default.adam_cosine",
        "default.family_priors",
        "schedules.seed_schedules",
    ),
    "Image classification with CNNs": ("vision.cnn_sgd_momentum",),
    "Best generalization on CV": ("vision.best_generalization_cosine",),
    "Deep CNN/RNN nets in general": (
        "vision.deep_nets_adaptive",
        "vision.conflict_sgd_first",
        "vision.conflict_adam_first",
    ),
    "Transformers: AdamW (or Adam)": ("nlp.transformer_adamw",),
    "NLP with sparse features": ("nlp.sparse_features_adagrad",),
    "Sparse ID embeddings": ("recsys.hybrid_sparse_dense",),
    "RNN/LSTM: RMSProp or Adam": (
        "sequence.rnn_rmsprop_or_adam",
        "sequence.non_stationary_rmsprop",
    ),
    "RL, GANs, unstable early training": ("rl_gan.adaptive_for_unstable",),
    "Speech synthesis": ("speech.synthesis_adam",),
    "Small data set and simple network": ("scale.small_data_simple_net",),
    "Large Transformer pre-training": ("nlp.large_transformer_pretraining",),
    "Overfitting: switch to SGD": ("symptoms.overfitting_sgd_momentum",),
    "Slow convergence: raise lr": (
        "symptoms.slow_convergence_raise_lr",
        "symptoms.oscillation_lower_lr",
    ),
    "Loss not decreasing": ("symptoms.loss_not_decreasing", "symptoms.vanishing_gradients"),
    "Time pressure → Adam": (
        "priority.time_pressure_adam",
        "priority.best_result_try_sgd_too",
        "priority.unsure_try_both",
    ),
    "lr: SGD 0.01–0.1": ("ranges.seed_lr_ranges",),
    "Tuning order": ("ranges.tuning_order",),
    "momentum 0.9; betas": ("default.seed_hyperparameters",),
    "Lower beta2 to 0.98 or 0.95": ("betas.lower_beta2",),
    "AdamW decoupled weight decay": ("decay.decoupled_no_decay_on_norm_and_bias",),
    "Large models use lr": (
        "scale.large_model_lr_from_scratch",
        "scale.large_model_lr_fine_tuning",
    ),
    "Different lr per parameter group": ("fine_tuning.per_group_lr",),
    "StepLR (step 30": (
        "schedules.seed_schedules",
        "schedules.step_resnet_recipe",
        "schedules.keep_current_schedule",
    ),
    "Sweep lr log-uniformly": ("diagnostics.lr_finder",),
    "SGD keeps no state": ("scale.memory_bound",),
    "Forgetting `zero_grad`": ("diagnostics.pitfalls",),
}

#: Each bullet of the public-evidence list (by its first words) → its refinement rules.
EVIDENCE_ROWS: dict[str, tuple[str, ...]] = {
    "Google's Deep Learning Tuning Playbook": (
        "search.popular_optimizer_first",
        "search.budget_lr_only",
        "search.budget_add_momentum",
        "search.budget_add_eps_and_decay",
        "search.budget_add_beta2",
        "search.quasi_random_tiny_budget",
        "schedules.decay_by_default",
        "schedules.short_warmup",
        "symptoms.regularise_first",
        "symptoms.instability_warmup_clipping",
    ),
    "Weight decay differs by coupling": ("decay.ranges_by_coupling",),
    "Lower beta2 (0.95 for GPT-style": (
        "betas.stability_beta2",
        "betas.stability_not_run_length",
    ),
    "Fine-tuning and pre-training need separate": (
        "nlp.bert_fine_tuning_lr",
        "nlp.gpt_pretraining_lr",
    ),
    "Vision Transformers and ConvNeXt/Swin": (
        "vision.vit_adamw",
        "vision.batchnorm_cnn_recipe",
        "scale.sgd_lr_scales_with_batch",
        "schedules.large_batch_warmup",
    ),
    "Recommenders: (row-wise) Adagrad": (
        "recsys.embedding_lr_at_scale",
        "recsys.nadamw_criteo",
    ),
    "RL: PPO uses Adam": ("rl_gan.ppo_dqn_recipes",),
    "GANs: Adam lr 1e-4 to 2e-4": ("rl_gan.gan_betas",),
    "A portfolio of two to four optimizers": (
        "search.portfolio_by_budget",
        "search.wide_spaces_favour_adam",
    ),
    "Newer methods in torch.optim": (
        "newer.nadamw",
        "newer.radam",
        "newer.adafactor",
        "newer.muon",
        "newer.sparse_adam",
        "newer.muon_for_transformer_pretraining",
        "newer.adafactor_when_memory_bound",
    ),
}

#: Rules the list does not name, each needed by the engine's contract.
BEYOND_THE_LIST = {
    "current.start_from_current": "the person's current config moves the advice",
    "search.optuna_defaults": "a search plan always names a sampler and a pruner",
    "search.no_pruning_blind_tiny_budget": "pruner 'none' for tiny budgets of unknown length",
    "search.hyperband_known_length": "hyperband when the run length is known",
    "sequence.rnn_adamw_higher_lr": "issue 10: the advised space fenced off recurrent nets' "
    "better region (bench/advisor_search.py); published recurrent recipes widen it",
    "recsys.search_embedding_lr": "issue 10: the advised space fixed the embeddings' Adagrad "
    "lr (bench/advisor_search.py); published recommender recipes span 5e-3 to 0.1",
    "recsys.constant_lr": "issue 10: the advice decayed recommenders' lr to zero where "
    "published recommender recipes (DLRM, TFRS, NCF) keep it constant",
    # Where the published recipe corpus (advisor/corpus) showed the seeds thin; each cites the
    # recipes' own files (advisor.rules.published).
    "vision.modern_convnet_long_recipes": "long ImageNet convnet recipes: RMSProp, AdamW",
    "speech.recognition_adamw": "speech recognition recipes publish AdamW",
    "recsys.adagrad_whole_model_at_scale": "large-batch recommenders publish Adagrad",
    "decay.adaptive_l2_small": "adaptive optimizers publish far smaller L2 than SGD",
    "vision.unet_segmentation_convnet_optimizers": "U-Net segmentation: momentum, RMSProp",
    "rl_gan.gan_lr_up_to_stylegan": "StyleGAN2-ADA trains at lr 0.0025",
    "nlp.lstm_lm_plain_sgd": "LSTM language models publish plain SGD at lr 1 to 30",
    "vision.vit_fine_tuning_momentum": "ViT fine-tuning publishes SGD with momentum",
    "fine_tuning.decoupled_decay_off_to_tenth": "fine-tuning decay from 0 to 0.1",
    "fine_tuning.small_adaptive_lr_beyond_nlp": "small Adam-family lrs fine-tuning non-NLP models",
    # Issue 13: a stated memory or time limit, or a time trade-off, shapes the job and the
    # ranking (advisor.rules.resources).
    "resources.memory_limit_constraint": "a memory limit becomes a peak_memory_mb constraint",
    "resources.optimizer_state_memory": "a tight memory limit ranks lighter optimizer state up",
    "resources.model_exceeds_memory": "a model whose Adam state exceeds the limit is told so",
    "resources.time_limit_constraint": "a time limit per run becomes a train_seconds constraint",
    "resources.time_limit_fast_families": "a time limit per run favours Adam-style methods",
    "resources.time_limit_slow_step": "a time limit per run ranks Adafactor's slow step lower",
    "resources.budget_aware_schedule": "a time limit per run decays the lr to zero by its end",
    "resources.time_tradeoff_objective": "a time trade-off becomes a train_seconds objective",
}


def _rules_md() -> tuple[list[str], list[str]]:
    text = (SHARED / "advisor-rules.md").read_text(encoding="utf-8")
    seeds_part, evidence_part = text.split("## Refinements from public evidence")
    seed_rows = [
        cells[1]
        for line in seeds_part.splitlines()
        if line.startswith("| ")
        and (cells := [c.strip() for c in line.strip().strip("|").split("|")])[0]
        not in ("topic", "---")
    ]
    bullets = re.findall(r"^- (.+)$", evidence_part, flags=re.MULTILINE)
    return seed_rows, bullets


@cache
def _seed_text(file: str) -> str:
    return (SEEDS / file).read_text(encoding="utf-8")


def _seed_citations() -> list[tuple[str, SeedSource]]:
    return [
        (rule.id, source)
        for rule in all_rules()
        for source in rule.sources
        if isinstance(source, SeedSource)
    ]


def test_every_rule_has_a_source() -> None:
    missing = [rule.id for rule in all_rules() if not rule.sources or not rule.citation()]
    assert missing == []


@pytest.mark.parametrize(("rule_id", "source"), _seed_citations(), ids=lambda v: str(v)[:40])
def test_every_seed_citation_names_an_existing_file_section_and_quote(
    rule_id: str, source: SeedSource
) -> None:
    assert (SEEDS / source.file).is_file(), f"{rule_id}: no seed file {source.file}"
    text = _seed_text(source.file)
    for heading in source.section:
        if heading.startswith("("):
            assert source.quote, f"{rule_id}: an untitled location needs a quote"
        else:
            assert heading in text, f"{rule_id}: heading {heading!r} not in {source.file}"
    if source.quote:
        assert source.quote in text, f"{rule_id}: {source.quote!r} not in {source.file}"


def test_a_seed_rule_is_cited_by_its_id_and_its_tutorial_sections_in_words() -> None:
    citation = RULEBOOK.get("vision.cnn_sgd_momentum").citation()
    assert "tunewise rule vision.cnn_sgd_momentum (from the optimizer tutorials: " in citation
    assert "tutorial 000, “How to choose an optimizer › Concrete advice”" in citation
    assert "seeds/" not in citation and ".txt" not in citation


def test_every_reference_has_a_name_and_an_https_address() -> None:
    references = [s for rule in all_rules() for s in rule.sources if isinstance(s, Reference)]
    assert references
    assert all(ref.url.startswith("https://") and len(ref.name) > 10 for ref in references)


def test_every_row_of_the_seed_table_is_encoded_by_seed_rules() -> None:
    rows, _ = _rules_md()
    unmapped = [row for row in rows if not any(row.startswith(key) for key in SEED_ROWS)]
    assert unmapped == []
    assert len(rows) == len(SEED_ROWS)
    for rule_ids in SEED_ROWS.values():
        for rule_id in rule_ids:
            assert RULEBOOK.get(rule_id).from_seeds(), f"{rule_id} should cite the seeds"


def test_every_bullet_of_the_evidence_list_is_encoded_by_rules_that_cite_references() -> None:
    _, bullets = _rules_md()
    unmapped = [b for b in bullets if not any(b.startswith(key) for key in EVIDENCE_ROWS)]
    assert unmapped == []
    assert len(bullets) == len(EVIDENCE_ROWS)
    for rule_ids in EVIDENCE_ROWS.values():
        for rule_id in rule_ids:
            sources = RULEBOOK.get(rule_id).sources
            assert all(isinstance(s, Reference) for s in sources), rule_id


def test_refinements_name_the_seed_rule_they_refine_in_their_rationale() -> None:
    for rule in all_rules():
        for refined in rule.refines:
            assert RULEBOOK.get(refined).from_seeds()
            assert refined in rule.summary, f"{rule.id} should say it refines {refined}"


def test_every_rule_is_in_the_list_or_explained() -> None:
    listed = {i for ids in (*SEED_ROWS.values(), *EVIDENCE_ROWS.values()) for i in ids}
    assert set(RULEBOOK.ids()) == listed | set(BEYOND_THE_LIST)


def test_every_rule_has_a_behavioural_test_that_names_it() -> None:
    here = Path(__file__).parent
    tests = "".join(
        p.read_text(encoding="utf-8")
        for p in here.glob("test_*.py")
        if p.name != Path(__file__).name
    )
    untested = [rule_id for rule_id in RULEBOOK.ids() if f'"{rule_id}"' not in tests]
    assert untested == []
