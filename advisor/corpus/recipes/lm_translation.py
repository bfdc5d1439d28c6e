"""Transformer language models and translation trained from scratch: published recipes.

Every number was read in the cited file or paper text; where a value is derived (a peak learning
rate from a formula, a warm-up fraction from steps) the quote says how. fairseq's ``adam`` and
GPT-NeoX's ``Adam`` decouple weight decay (their docstrings say so), hence ``adamw`` with the
published name kept in ``published_optimizer``.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName as O
from advisor.task import Architecture, Domain, Regime, TaskDescription

_AREA = Area.LM_TRANSLATION
_NANOGPT = "github:karpathy/nanoGPT"
_FAIRSEQ = "github:facebookresearch/fairseq"
_PYTHIA = "github:EleutherAI/pythia"
_FAIRSEQ_ADAM = "fairseq 'adam' (decoupled weight decay, like torch AdamW)"
_NEOX_ADAM = "GPT-NeoX 'Adam' (fused Adam, adam_w_mode=True by default)"

RECIPES: tuple[Recipe, ...] = (
    Recipe(
        id="nanogpt-gpt2-124m-openwebtext",
        area=_AREA,
        source_key=_NANOGPT,
        task=TaskDescription(
            description=(
                "Pre-train a GPT-2 small (124M parameters) language model from scratch on "
                "OpenWebText with 1024-token context, about 0.5M tokens per step for 600k steps "
                "(300B tokens) on 8 A100 GPUs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            model_params=124_000_000,
            batch_size=480,
            steps=600_000,
        ),
        optimizer=O.ADAMW,
        lr=6e-4,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.95,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=2000 / 600_000,
        warmup="2000 iterations",
        batch_size=480,
        citation=Citation(
            title="nanoGPT (karpathy/nanoGPT)",
            url="https://github.com/karpathy/nanoGPT/blob/3adf61e154c3fe3fca428ad6bc3818b27a3b8291/train.py",
            where="train.py defaults; config/train_gpt2.py",
            quote=(
                "train.py: # adamw optimizer / learning_rate = 6e-4 # max learning rate / "
                "max_iters = 600000 ... / weight_decay = 1e-1 / beta1 = 0.9 / beta2 = 0.95 ... "
                "warmup_iters = 2000 ... lr_decay_iters = 600000 ... min_lr = 6e-5 ...; get_lr: "
                "# 1) linear warmup ... # 3) in between, use cosine decay down to min learning "
                "rate. config/train_gpt2.py: # 12 batch size * 1024 block size * 5 gradaccum * 8 "
                "GPUs = 491,520 / batch_size = 12 / block_size = 1024 / "
                "gradient_accumulation_steps = 5 * 8 (480 sequences per step, computed)"
            ),
        ),
    ),
    Recipe(
        id="nanogpt-shakespeare-char",
        area=_AREA,
        source_key=_NANOGPT,
        task=TaskDescription(
            description=(
                "Train a small character-level GPT (6 layers, 6 heads, 384 channels, 256-character "
                "context) from scratch on the 1MB tiny Shakespeare text, batch 64, 5000 iterations "
                "on one GPU"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            batch_size=64,
            steps=5000,
        ),
        optimizer=O.ADAMW,
        lr=1e-3,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.99,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=100 / 5000,
        warmup="100 iterations",
        batch_size=64,
        citation=Citation(
            title="nanoGPT (karpathy/nanoGPT)",
            url="https://github.com/karpathy/nanoGPT/blob/3adf61e154c3fe3fca428ad6bc3818b27a3b8291/config/train_shakespeare_char.py",
            where="config/train_shakespeare_char.py (over train.py defaults)",
            quote=(
                "batch_size = 64 / block_size = 256 ... n_layer = 6 / n_head = 6 / n_embd = 384 / "
                "dropout = 0.2 / learning_rate = 1e-3 # with baby networks can afford to go a bit "
                "higher / max_iters = 5000 / lr_decay_iters = 5000 ... / min_lr = 1e-4 ... / "
                "beta2 = 0.99 ... warmup_iters = 100 ... Defaults kept from train.py: "
                "weight_decay = 1e-1, beta1 = 0.9; model.py: torch.optim.AdamW"
            ),
        ),
    ),
    Recipe(
        id="fairseq-transformer-iwslt14-de-en",
        area=_AREA,
        source_key=_FAIRSEQ,
        task=TaskDescription(
            description=(
                "Train a small Transformer translation model from scratch on IWSLT'14 "
                "German-to-English on a single GPU, 4096 tokens per batch, label smoothing 0.1 "
                "and dropout 0.3"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_FAIRSEQ_ADAM,
        lr=5e-4,
        weight_decay=1e-4,
        beta1=0.9,
        beta2=0.98,
        schedule=None,
        warmup="4000 updates (inverse_sqrt)",
        citation=Citation(
            title="fairseq: Neural Machine Translation example",
            url=(
                "https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/examples/translation/"
                "README.md"
            ),
            where="examples/translation/README.md, IWSLT'14 German to English (Transformer)",
            quote=(
                "--arch transformer_iwslt_de_en --share-decoder-input-output-embed "
                "--optimizer adam --adam-betas '(0.9, 0.98)' --clip-norm 0.0 --lr 5e-4 "
                "--lr-scheduler inverse_sqrt --warmup-updates 4000 --dropout 0.3 "
                "--weight-decay 0.0001 --criterion label_smoothed_cross_entropy "
                "--label-smoothing 0.1 --max-tokens 4096 (schedule: inverse square root)"
            ),
        ),
    ),
    Recipe(
        id="fairseq-transformer-big-wmt16-en-de",
        area=_AREA,
        source_key=_FAIRSEQ,
        task=TaskDescription(
            description=(
                "Train a Transformer-big translation model from scratch on WMT'16 English-German "
                "(32k joint BPE) on 8 GPUs in fp16, 3584 tokens per GPU per batch"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_FAIRSEQ_ADAM,
        lr=5e-4,
        weight_decay=0.0,
        beta1=0.9,
        beta2=0.98,
        schedule=None,
        warmup="4000 updates (inverse_sqrt)",
        citation=Citation(
            title="fairseq: Scaling Neural Machine Translation (Ott et al., 2018)",
            url=(
                "https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/examples/scaling_nmt/"
                "README.md"
            ),
            where="examples/scaling_nmt/README.md, Training a new model on WMT'16 En-De",
            quote=(
                "--arch transformer_vaswani_wmt_en_de_big --share-all-embeddings --optimizer adam "
                "--adam-betas '(0.9, 0.98)' --clip-norm 0.0 --lr 0.0005 --lr-scheduler "
                "inverse_sqrt --warmup-updates 4000 --warmup-init-lr 1e-07 --dropout 0.3 "
                "--weight-decay 0.0 ... --max-tokens 3584 --fp16 ... If you want to train the "
                "above model with big batches (assuming your machine has 8 GPUs): - add "
                "`--update-freq 16` ... increase the learning rate; 0.001 works well for big "
                "batches"
            ),
        ),
    ),
    Recipe(
        id="fairseq-transformer-lm-wikitext103",
        area=_AREA,
        source_key=_FAIRSEQ,
        task=TaskDescription(
            description=(
                "Train a basic Transformer decoder language model from scratch on WikiText-103 "
                "on 2 GPUs, 512-token samples, 2048 tokens per GPU with 16x accumulation, "
                "50k updates in fp16"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            steps=50_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_FAIRSEQ_ADAM,
        lr=5e-4,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.98,
        schedule=None,
        warmup="4000 updates (inverse_sqrt)",
        warmup_fraction=4000 / 50_000,
        citation=Citation(
            title="fairseq: Neural Language Modeling example",
            url=(
                "https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/examples/language_model/"
                "README.md"
            ),
            where="examples/language_model/README.md, 2) Train a language model",
            quote=(
                "To train a basic LM (assumes 2 GPUs): ... --arch transformer_lm "
                "--share-decoder-input-output-embed --dropout 0.1 --optimizer adam "
                "--adam-betas '(0.9, 0.98)' --weight-decay 0.01 --clip-norm 0.0 --lr 0.0005 "
                "--lr-scheduler inverse_sqrt --warmup-updates 4000 --warmup-init-lr 1e-07 "
                "--tokens-per-sample 512 --sample-break-mode none --max-tokens 2048 "
                "--update-freq 16 --fp16 --max-update 50000"
            ),
        ),
    ),
    Recipe(
        id="fairseq-roberta-base-pretraining",
        area=_AREA,
        source_key=_FAIRSEQ,
        task=TaskDescription(
            description=(
                "Pre-train a RoBERTa-base masked language model from scratch, 512-token "
                "sequences, 2048 sequences per step for 125k updates on 8 V100 GPUs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            batch_size=2048,
            steps=125_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_FAIRSEQ_ADAM,
        lr=5e-4,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.98,
        eps=1e-6,
        schedule=ScheduleName.WARMUP_LINEAR,
        warmup_fraction=10_000 / 125_000,
        warmup="10000 updates",
        batch_size=2048,
        citation=Citation(
            title="fairseq: Pretraining RoBERTa using your own data",
            url=(
                "https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/examples/roberta/config/"
                "pretraining/base.yaml"
            ),
            where=(
                "examples/roberta/config/pretraining/base.yaml; "
                "examples/roberta/README.pretraining.md"
            ),
            quote=(
                "tokens_per_sample: 512 ... optimizer: _name: adam weight_decay: 0.01 "
                "adam_betas: (0.9,0.98) adam_eps: 1e-06 lr_scheduler: _name: polynomial_decay "
                "warmup_updates: 10000 optimization: ... lr: [0.0005] max_update: 125000 "
                "update_freq: [16]. README: assumes training on 8x32GB V100 GPUs ... for a total "
                "batch size of 2048 sequences. (polynomial_decay default power 1.0, i.e. linear)"
            ),
        ),
    ),
    Recipe(
        id="pythia-160m-pile",
        area=_AREA,
        source_key=_PYTHIA,
        task=TaskDescription(
            description=(
                "Pre-train a 160M-parameter GPT-style decoder (12 layers, width 768, 2048-token "
                "context) from scratch on the Pile, 2M tokens per step for 143k steps "
                "(about 300B tokens) on 32 GPUs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            model_params=160_000_000,
            batch_size=1024,
            steps=143_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_NEOX_ADAM,
        lr=6e-4,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.95,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.01,
        warmup="1% of steps",
        batch_size=1024,
        citation=Citation(
            title="Pythia (EleutherAI/pythia) training configs",
            url="https://github.com/EleutherAI/pythia/blob/a19eecb807ec2c79a39ebf18108816e6ffffc1d5/models/160M/pythia-160m.yml",
            where="models/160M/pythia-160m.yml; README.md",
            quote=(
                '"seq-length": 2048 ... "optimizer": {"type": "Adam", "params": {"lr": 0.0006, '
                '"betas": [0.9, 0.95], "eps": 1.0e-8}}, "min_lr": 0.00006 ... # batch size '
                '(trained on 32 gpus) "train_micro_batch_size_per_gpu": 32, "gas": 1 ... '
                '"weight-decay": 0.1 ... "train-iters": 143000 ... "lr-decay-style": "cosine", '
                '"warmup": 0.01. README: trained for the equivalent of 143000 steps at a batch '
                "size of 2,097,152 tokens ... needs to be kept at 1024"
            ),
        ),
    ),
    Recipe(
        id="pythia-6.9b-pile",
        area=_AREA,
        source_key=_PYTHIA,
        task=TaskDescription(
            description=(
                "Pre-train a 6.9B-parameter GPT-style decoder (32 layers, width 4096, 2048-token "
                "context) from scratch on the Pile, 2M tokens per step for 143k steps on 128 GPUs "
                "in fp16"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            model_params=6_900_000_000,
            batch_size=1024,
            steps=143_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer=_NEOX_ADAM,
        lr=1.2e-4,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.95,
        eps=1e-8,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=0.01,
        warmup="1% of steps",
        batch_size=1024,
        citation=Citation(
            title="Pythia (EleutherAI/pythia) training configs",
            url="https://github.com/EleutherAI/pythia/blob/a19eecb807ec2c79a39ebf18108816e6ffffc1d5/models/6.9B/pythia-6.9b.yml",
            where="models/6.9B/pythia-6.9b.yml; README.md",
            quote=(
                '"num-layers": 32, "hidden-size": 4096 ... "optimizer": {"type": "Adam", '
                '"params": {"lr": 0.00012, "betas": [0.9, 0.95], "eps": 1.0e-8}}, '
                '"min_lr": 0.000012 ... "weight-decay": 0.1 ... "train-iters": 143000 ... '
                '"lr-decay-style": "cosine", "warmup": 0.01. README: 6.9B | 32 | 4096 | 32 | 128 '
                "| 2M | 1.2e-4 ... total batch size ... needs to be kept at 1024"
            ),
        ),
    ),
    Recipe(
        id="transformer-base-wmt14-vaswani",
        area=_AREA,
        source_key="arxiv:1706.03762",
        task=TaskDescription(
            description=(
                "Train the base encoder-decoder Transformer (d_model 512) from scratch for "
                "WMT 2014 English-German translation on 8 P100 GPUs"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
        ),
        optimizer=O.ADAM,
        lr=512**-0.5 * 4000**-0.5,
        beta1=0.9,
        beta2=0.98,
        eps=1e-9,
        schedule=None,
        warmup="4000 steps (then inverse square root)",
        citation=Citation(
            title="Attention Is All You Need",
            url="https://arxiv.org/abs/1706.03762",
            where="Section 5.3 Optimizer, equation (3)",
            quote=(
                "We used the Adam optimizer with β1 = 0.9, β2 = 0.98 and ϵ = 10−9. We varied the "
                "learning rate over the course of training, according to the formula: lrate = "
                "d_model^−0.5 · min(step_num^−0.5, step_num · warmup_steps^−1.5) ... increasing "
                "the learning rate linearly for the first warmup_steps training steps, and "
                "decreasing it thereafter proportionally to the inverse square root of the step "
                "number. We used warmup_steps = 4000. (Peak computed: 512^-0.5 * 4000^-0.5 = "
                "6.99e-4 for the base model, d_model = 512.)"
            ),
        ),
    ),
    Recipe(
        id="llama-7b-pretraining",
        area=_AREA,
        source_key="arxiv:2302.13971",
        task=TaskDescription(
            description=(
                "Pre-train a 7B-parameter decoder-only language model (32 layers, width 4096) "
                "from scratch on 1.0T tokens of public web, code and book text, 4M tokens per step"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            model_params=6_700_000_000,
            steps=250_000,
        ),
        optimizer=O.ADAMW,
        lr=3.0e-4,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.95,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=2000 / 250_000,
        warmup="2000 steps",
        citation=Citation(
            title="LLaMA: Open and Efficient Foundation Language Models",
            url="https://arxiv.org/abs/2302.13971",
            where="Section 2.2 Optimizer; Table 2",
            quote=(
                "Our models are trained using the AdamW optimizer ... β1 = 0.9, β2 = 0.95 ... "
                "cosine learning rate schedule, such that the final learning rate is equal to 10% "
                "of the maximal learning rate ... weight decay of 0.1 ... gradient clipping of "
                "1.0 ... 2,000 warmup steps. Table 2: 6.7B | 4096 | 32 | 32 | 3.0e−4 | 4M | 1.0T "
                "(steps computed: 1.0T / 4M = 250k)"
            ),
        ),
    ),
    Recipe(
        id="llama-65b-pretraining",
        area=_AREA,
        source_key="arxiv:2302.13971",
        task=TaskDescription(
            description=(
                "Pre-train a 65B-parameter decoder-only language model (80 layers, width 8192) "
                "from scratch on 1.4T tokens of public web, code and book text, 4M tokens per step"
            ),
            domain=Domain.NLP,
            architecture=Architecture.TRANSFORMER,
            regime=Regime.FROM_SCRATCH,
            model_params=65_200_000_000,
            steps=350_000,
        ),
        optimizer=O.ADAMW,
        lr=1.5e-4,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.95,
        schedule=ScheduleName.WARMUP_COSINE,
        warmup_fraction=2000 / 350_000,
        warmup="2000 steps",
        citation=Citation(
            title="LLaMA: Open and Efficient Foundation Language Models",
            url="https://arxiv.org/abs/2302.13971",
            where="Section 2.2 Optimizer; Table 2",
            quote=(
                "Our models are trained using the AdamW optimizer ... β1 = 0.9, β2 = 0.95 ... "
                "cosine learning rate schedule ... weight decay of 0.1 ... 2,000 warmup steps, "
                "and vary the learning rate and batch size with the size of the model. Table 2: "
                "65.2B | 8192 | 64 | 80 | 1.5e−4 | 4M | 1.4T (steps computed: 1.4T / 4M = 350k)"
            ),
        ),
    ),
)
