"""Fine-tuning pre-trained encoders (BERT, RoBERTa, ELECTRA on GLUE/SQuAD; ViT on images).

Every number was read in the cited file; derived values (warm-up fractions) say how in the
quote. BERT's and ELECTRA's ``AdamWeightDecayOptimizer`` and fairseq's ``adam`` decouple weight
decay from the gradient (their code and docstrings say so), hence ``adamw``. Hugging Face's
Trainer defaults (AdamW, weight decay 0.0, linear decay, no warm-up) fill what its example
commands leave unset; those defaults were read in ``training_args.py``.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName as O
from advisor.task import Architecture, Domain, Regime, TaskDescription

_AREA = Area.ENCODER_FINE_TUNING
_FAIRSEQ = "github:facebookresearch/fairseq"
_BERT = "github:google-research/bert"
_HF = "github:huggingface/transformers"
_VIT = "github:google-research/vision_transformer"
_ELECTRA = "github:google-research/electra"
_FAIRSEQ_ADAM = "fairseq 'adam' (decoupled weight decay, like torch AdamW)"
_TF_ADAMWD = "AdamWeightDecayOptimizer (decoupled weight decay)"
_HF_DEFAULTS = (
    'Trainer defaults (src/transformers/training_args.py): lr_scheduler_type default="linear", '
    'warmup_steps default=0, default_optim = "adamw_torch", weight_decay default=0.0, '
    "adam_beta1 default=0.9, adam_beta2 default=0.999, adam_epsilon default=1e-8"
)
_BERT_OPT = (
    "optimization.py: polynomial_decay(... end_learning_rate=0.0, power=1.0) ... linear warmup "
    "... AdamWeightDecayOptimizer(... weight_decay_rate=0.01, beta_1=0.9, beta_2=0.999, "
    'epsilon=1e-6); run_classifier.py, run_squad.py: "warmup_proportion", 0.1'
)
_ELECTRA_OPT = (
    "configure_finetuning.py: weight_decay_rate = 0.01 ... warmup_proportion = 0.1 ... "
    "train_batch_size = 32; model/optimization.py: polynomial_decay(... end_learning_rate=0.0, "
    "power=lr_decay_power) ... AdamWeightDecayOptimizer(... beta_1=0.9, beta_2=0.999, epsilon=1e-6)"
)


def _roberta_glue(
    task: str, description: str, *, batch: int, lr: float, warmup: int, updates: int
) -> Recipe:
    """One of fairseq's per-task RoBERTa GLUE configs (they differ only in these numbers)."""
    return Recipe(
        id=f"fairseq-roberta-glue-{task.lower().replace('-', '')}",
        area=_AREA,
        source_key=_FAIRSEQ,
        task=TaskDescription(
            description=description,
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            batch_size=batch,
            epochs=10,
            steps=updates,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_FAIRSEQ_ADAM,
        lr=lr,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.98,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=warmup / updates,
        warmup=f"{warmup} updates",
        batch_size=batch,
        citation=Citation(
            title="fairseq: Finetuning RoBERTa on GLUE tasks",
            url=(
                "https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/examples/roberta/config/"
                f"finetuning/{task.lower().replace('-', '_')}.yaml"
            ),
            where=f"examples/roberta/config/finetuning/{task.lower().replace('-', '_')}.yaml",
            quote=(
                f"dataset: batch_size: {batch} ... optimizer: _name: adam weight_decay: 0.1 "
                "adam_betas: (0.9,0.98) adam_eps: 1e-06 lr_scheduler: _name: polynomial_decay "
                f"warmup_updates: {warmup} optimization: clip_norm: 0.0 lr: [{lr:g}] "
                f"max_update: {updates} max_epoch: 10 (polynomial_decay default power 1.0)"
            ),
        ),
    )


RECIPES: tuple[Recipe, ...] = (
    _roberta_glue(
        "RTE",
        "Fine-tune a pre-trained RoBERTa checkpoint on the RTE entailment task (GLUE, 2 "
        "classes) on one 32GB V100, batch 16, for up to 10 epochs",
        batch=16,
        lr=2e-5,
        warmup=122,
        updates=2036,
    ),
    _roberta_glue(
        "SST-2",
        "Fine-tune a pre-trained RoBERTa checkpoint for binary sentiment classification on "
        "SST-2 (GLUE) on one 32GB V100, batch 32, for up to 10 epochs",
        batch=32,
        lr=1e-5,
        warmup=1256,
        updates=20935,
    ),
    _roberta_glue(
        "MNLI",
        "Fine-tune a pre-trained RoBERTa checkpoint on MultiNLI (GLUE, 3-way entailment) "
        "on one 32GB V100, batch 32, for up to 10 epochs",
        batch=32,
        lr=1e-5,
        warmup=7432,
        updates=123873,
    ),
    Recipe(
        id="bert-base-mrpc-google",
        area=_AREA,
        source_key=_BERT,
        task=TaskDescription(
            description=(
                "Fine-tune pre-trained BERT-Base on the MRPC paraphrase task (3,600 examples), "
                "sequence length 128, batch 32, 3 epochs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            dataset_size=3600,
            batch_size=32,
            epochs=3,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_TF_ADAMWD,
        lr=2e-5,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.999,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=32,
        citation=Citation(
            title="BERT (google-research/bert)",
            url="https://github.com/google-research/bert/blob/eedf5716ce1268e56f0a50264a88cafad334ac61/README.md",
            where=(
                "README.md, Sentence (and sentence-pair) classification tasks; "
                "optimization.py; run_classifier.py"
            ),
            quote=(
                "Microsoft Research Paraphrase Corpus (MRPC) corpus, which only contains 3,600 "
                "examples ... python run_classifier.py --task_name=MRPC ... "
                "--max_seq_length=128 --train_batch_size=32 --learning_rate=2e-5 "
                "--num_train_epochs=3.0. " + _BERT_OPT
            ),
        ),
    ),
    Recipe(
        id="bert-base-squad11-google",
        area=_AREA,
        source_key=_BERT,
        task=TaskDescription(
            description=(
                "Fine-tune pre-trained BERT-Base for extractive question answering on SQuAD 1.1, "
                "sequence length 384 with doc stride 128, batch 12, 2 epochs on one GPU"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            batch_size=12,
            epochs=2,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_TF_ADAMWD,
        lr=3e-5,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.999,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=12,
        citation=Citation(
            title="BERT (google-research/bert)",
            url="https://github.com/google-research/bert/blob/eedf5716ce1268e56f0a50264a88cafad334ac61/README.md",
            where="README.md, SQuAD 1.1; run_squad.py; optimization.py",
            quote=(
                "python run_squad.py ... --train_file=$SQUAD_DIR/train-v1.1.json ... "
                "--train_batch_size=12 --learning_rate=3e-5 --num_train_epochs=2.0 "
                "--max_seq_length=384 --doc_stride=128. " + _BERT_OPT
            ),
        ),
    ),
    Recipe(
        id="bert-large-squad20-google",
        area=_AREA,
        source_key=_BERT,
        task=TaskDescription(
            description=(
                "Fine-tune pre-trained BERT-Large for question answering with unanswerable "
                "questions on SQuAD 2.0 on a TPU, sequence length 384, batch 24, 2 epochs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            batch_size=24,
            epochs=2,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_TF_ADAMWD,
        lr=3e-5,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.999,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=24,
        citation=Citation(
            title="BERT (google-research/bert)",
            url="https://github.com/google-research/bert/blob/eedf5716ce1268e56f0a50264a88cafad334ac61/README.md",
            where="README.md, SQuAD 2.0; run_squad.py; optimization.py",
            quote=(
                "python run_squad.py --vocab_file=$BERT_LARGE_DIR/vocab.txt ... "
                "--train_file=$SQUAD_DIR/train-v2.0.json ... --train_batch_size=24 "
                "--learning_rate=3e-5 --num_train_epochs=2.0 --max_seq_length=384 "
                "--doc_stride=128 ... --use_tpu=True. " + _BERT_OPT
            ),
        ),
    ),
    Recipe(
        id="hf-bert-base-cased-sst2-run-glue",
        area=_AREA,
        source_key=_HF,
        task=TaskDescription(
            description=(
                "Fine-tune bert-base-cased for sentiment classification on GLUE SST-2 with the "
                "Hugging Face Trainer on a single GPU, max length 128, batch 32, 3 epochs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            batch_size=32,
            epochs=3,
        ),
        optimizer=O.ADAMW,
        lr=2e-5,
        weight_decay=0.0,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.0,
        batch_size=32,
        citation=Citation(
            title="Hugging Face Transformers: text classification examples",
            url=(
                "https://github.com/huggingface/transformers/blob/main/examples/pytorch/"
                "text-classification/README.md"
            ),
            where="examples/pytorch/text-classification/README.md (GLUE tasks)",
            quote=(
                "python run_glue.py --model_name_or_path bert-base-cased --task_name $TASK_NAME "
                "... --max_seq_length 128 --per_device_train_batch_size 32 --learning_rate 2e-5 "
                "--num_train_epochs 3 ... task name can be one of cola, sst2, ... (a single Titan "
                "RTX was used). " + _HF_DEFAULTS
            ),
        ),
    ),
    Recipe(
        id="hf-bert-base-uncased-squad-run-qa",
        area=_AREA,
        source_key=_HF,
        task=TaskDescription(
            description=(
                "Fine-tune bert-base-uncased for extractive question answering on SQuAD 1.0 with "
                "the Hugging Face Trainer on one 16GB V100, length 384, stride 128, batch 12, "
                "2 epochs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            batch_size=12,
            epochs=2,
        ),
        optimizer=O.ADAMW,
        lr=3e-5,
        weight_decay=0.0,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.0,
        batch_size=12,
        citation=Citation(
            title="Hugging Face Transformers: question answering examples",
            url=(
                "https://github.com/huggingface/transformers/blob/main/examples/pytorch/"
                "question-answering/README.md"
            ),
            where="examples/pytorch/question-answering/README.md (Fine-tuning BERT on SQuAD1.0)",
            quote=(
                "It runs in 24 min (with BERT-base) ... on a single tesla V100 16GB. python "
                "run_qa.py --model_name_or_path bert-base-uncased --dataset_name squad ... "
                "--per_device_train_batch_size 12 --learning_rate 3e-5 --num_train_epochs 2 "
                "--max_seq_length 384 --doc_stride 128. " + _HF_DEFAULTS
            ),
        ),
    ),
    Recipe(
        id="hf-vit-beans-run-image-classification",
        area=_AREA,
        source_key=_HF,
        task=TaskDescription(
            description=(
                "Fine-tune a pre-trained Vision Transformer (ViT) to classify bean-leaf diseases "
                "on the small beans image dataset, batch 8, 5 epochs"
            ),
            domain=Domain.VISION,
            architecture=Architecture.VIT,
            regime=Regime.FINE_TUNING,
            batch_size=8,
            epochs=5,
        ),
        optimizer=O.ADAMW,
        lr=2e-5,
        weight_decay=0.0,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.0,
        batch_size=8,
        citation=Citation(
            title="Hugging Face Transformers: image classification examples",
            url=(
                "https://github.com/huggingface/transformers/blob/main/examples/pytorch/"
                "image-classification/README.md"
            ),
            where="examples/pytorch/image-classification/README.md (Using datasets from Hub)",
            quote=(
                "fine-tune a Vision Transformer (ViT) on the beans dataset ... python "
                "run_image_classification.py --dataset_name beans ... --learning_rate 2e-5 "
                "--num_train_epochs 5 --per_device_train_batch_size 8 ... " + _HF_DEFAULTS
            ),
        ),
    ),
    Recipe(
        id="vit-b16-in21k-cifar10-finetune",
        area=_AREA,
        source_key=_VIT,
        task=TaskDescription(
            description=(
                "Fine-tune an ImageNet-21k pre-trained ViT-B/16 on CIFAR-10 at 384px resolution, "
                "batch 512, 10,000 steps, gradient clipping at norm 1"
            ),
            domain=Domain.VISION,
            architecture=Architecture.VIT,
            regime=Regime.FINE_TUNING,
            batch_size=512,
            steps=10_000,
        ),
        optimizer=O.MOMENTUM,
        lr=0.03,
        momentum=0.9,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=500 / 10_000,
        warmup="500 steps",
        batch_size=512,
        citation=Citation(
            title="Vision Transformer (google-research/vision_transformer)",
            url=(
                "https://github.com/google-research/vision_transformer/blob/c6de1e5378c9831a8477feb30994971bdc409e46/vit_jax/"
                "configs/common.py"
            ),
            where="vit_jax/configs/common.py; vit_jax/train.py",
            quote=(
                "config.grad_norm_clip = 1.0 ... config.batch = 512 ... # Base learning-rate for "
                "fine-tuning. config.base_lr = 0.03 ... config.decay_type = 'cosine' ... "
                "config.warmup_steps = 500 ... 'cifar10': ml_collections.ConfigDict( "
                "{'total_steps': "
                "10_000, ... 'crop': "
                "384}. train.py: optax.sgd(learning_rate=lr_fn, momentum=0.9, ...)"
            ),
        ),
    ),
    Recipe(
        id="vit-b16-in21k-imagenet-finetune",
        area=_AREA,
        source_key=_VIT,
        task=TaskDescription(
            description=(
                "Fine-tune an ImageNet-21k pre-trained ViT-B/16 on ImageNet-1k at "
                "384px resolution, batch 512, 20,000 steps"
            ),
            domain=Domain.VISION,
            architecture=Architecture.VIT,
            regime=Regime.FINE_TUNING,
            batch_size=512,
            steps=20_000,
        ),
        optimizer=O.MOMENTUM,
        lr=0.03,
        momentum=0.9,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=500 / 20_000,
        warmup="500 steps",
        batch_size=512,
        citation=Citation(
            title="Vision Transformer (google-research/vision_transformer)",
            url=(
                "https://github.com/google-research/vision_transformer/blob/c6de1e5378c9831a8477feb30994971bdc409e46/vit_jax/"
                "configs/common.py"
            ),
            where="vit_jax/configs/common.py; vit_jax/train.py",
            quote=(
                "config.grad_norm_clip = 1.0 ... config.batch = 512 ... config.base_lr = 0.03 "
                "... config.decay_type = 'cosine' ... config.warmup_steps = 500 ... "
                "'imagenet2012': ml_collections.ConfigDict( {'total_steps': 20_000, ... "
                "'crop': 384 ... "
                "train.py: "
                "optax.sgd(learning_rate=lr_fn, momentum=0.9, ...)"
            ),
        ),
    ),
    Recipe(
        id="electra-base-mnli-finetune",
        area=_AREA,
        source_key=_ELECTRA,
        task=TaskDescription(
            description=(
                "Fine-tune pre-trained ELECTRA-Base on MultiNLI entailment (GLUE), batch 32, "
                "3 epochs, with layer-wise decay of the step size toward the input layers"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            batch_size=32,
            epochs=3,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_TF_ADAMWD + " with layer-wise lr decay 0.8",
        lr=1e-4,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.999,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=32,
        citation=Citation(
            title="ELECTRA (google-research/electra)",
            url="https://github.com/google-research/electra/blob/8a46635f32083ada044d7e9ad09604742600ee7b/configure_finetuning.py",
            where="configure_finetuning.py; model/optimization.py; README.md (mnli example)",
            quote=(
                "self.learning_rate = 1e-4 ... self.layerwise_lr_decay = 0.8 ... "
                "self.num_train_epochs = 3.0 ... else: self.num_train_epochs = 3.0. README: "
                'run_finetuning.py ... --hparams \'{"model_size": "base", "task_names": '
                '["mnli"]}\'. ' + _ELECTRA_OPT
            ),
        ),
    ),
    Recipe(
        id="electra-large-rte-finetune",
        area=_AREA,
        source_key=_ELECTRA,
        task=TaskDescription(
            description=(
                "Fine-tune pre-trained ELECTRA-Large on the small RTE entailment task (GLUE), "
                "batch 32, 10 epochs, with layer-wise decay of the step size"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FINE_TUNING,
            batch_size=32,
            epochs=10,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_TF_ADAMWD + " with layer-wise lr decay 0.9",
        lr=5e-5,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.999,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=0.1,
        warmup="10% of steps",
        batch_size=32,
        citation=Citation(
            title="ELECTRA (google-research/electra)",
            url="https://github.com/google-research/electra/blob/8a46635f32083ada044d7e9ad09604742600ee7b/configure_finetuning.py",
            where="configure_finetuning.py; model/optimization.py",
            quote=(
                'if task_name == "rte" or task_name == "sts": self.num_train_epochs = 10.0 ... '
                'if self.model_size == "large": self.learning_rate = 5e-5 '
                "self.layerwise_lr_decay = 0.9. " + _ELECTRA_OPT
            ),
        ),
    ),
)
