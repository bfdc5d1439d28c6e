"""Published speech recipes: wav2vec 2.0 and HuBERT pre-training, wav2vec 2.0 and Whisper
fine-tuning, Conformer ASR (ESPnet, SpeechBrain), DeepSpeech2 and Tacotron 2.

Read, at the commit in each URL, from the official configs (fairseq, ESPnet, SpeechBrain,
NVIDIA's Tacotron 2, deepspeech.pytorch) and the Hugging Face fine-tuning blog posts. Audio
batches in fairseq and ESPnet are sized in samples or feature frames, not utterances, so
``batch_size`` stays unset there and the description gives the size as the config does.

Schedules with no ScheduleName are left ``None`` and named in the quote: fairseq's tri-stage
(warm-up, hold, exponential decay) and the Noam-style inverse square root of ESPnet's
``warmuplr`` and SpeechBrain's ``NoamScheduler`` (both peak at the configured lr at the end of
warm-up). fairseq's ``adam`` decouples weight decay (it follows "Fixed Weight Decay
Regularization in Adam"), so its records are ``adamw``.
"""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription

# Short aliases keep the records below readable.
O, A, D, R, T = OptimizerName, Architecture, Domain, Regime, TaskDescription  # noqa: E741

_FAIRSEQ = "github:facebookresearch/fairseq"
_FAIRSEQ_BLOB = (
    "https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/"
)
_FAIRSEQ_ADAM = (
    "... [fairseq/optim/adam.py:] This implementation is modified from torch.optim.Adam based "
    "on: `Fixed Weight Decay Regularization in Adam`"
)
_ESPNET = "github:espnet/espnet"
_ESPNET_BLOB = "https://github.com/espnet/espnet/blob/"
_HF_BLOG = "github:huggingface/blog"
_HF_BLOG_BLOB = "https://github.com/huggingface/blog/blob/"
# The blog posts rely on the Trainer's defaults for the schedule and optimizer.
_HF_DEFAULTS = (
    "... [huggingface/transformers@00349ae src/transformers/training_args.py:] "
    'lr_scheduler_type: SchedulerType | str = field( default="linear", ... default_optim = '
    '"adamw_torch" ... weight_decay: float = field( default=0.0,'
)

RECIPES: tuple[Recipe, ...] = (
    Recipe(
        id="wav2vec2-base-pretrain-librispeech-fairseq",
        area=Area.SPEECH,
        source_key=_FAIRSEQ,
        task=T(
            description=(
                "Pre-train a wav2vec 2.0 Base model (768-dim transformer over a conv feature "
                "encoder) self-supervised on LibriSpeech 960h audio on 64 GPUs, 1.4M audio "
                "samples per GPU per batch, 400k updates"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FROM_SCRATCH,
            steps=400_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer="fairseq adam (decoupled weight decay)",
        lr=0.0005,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.98,
        eps=1e-06,
        schedule=ScheduleName.WARMUP_LINEAR,
        # 32_000 / 400_000; polynomial_decay defaults to power 1.0 down to 0.0
        warmup_fraction=0.08,
        warmup="32k updates",
        citation=Citation(
            title="fairseq: wav2vec2_base_librispeech.yaml",
            url=_FAIRSEQ_BLOB
            + "examples/wav2vec/config/pretraining/wav2vec2_base_librispeech.yaml",
            where="examples/wav2vec/config/pretraining/wav2vec2_base_librispeech.yaml",
            quote=(
                "max_tokens: 1400000 ... distributed_world_size: 64 ... optimization: "
                "max_update: 400000 lr: [0.0005] optimizer: _name: adam adam_betas: (0.9,0.98) "
                "adam_eps: 1e-06 weight_decay: 0.01 lr_scheduler: _name: polynomial_decay "
                "warmup_updates: 32000 ... encoder_embed_dim: 768 " + _FAIRSEQ_ADAM
            ),
        ),
    ),
    Recipe(
        id="wav2vec2-base-finetune-100h-fairseq",
        area=Area.SPEECH,
        source_key=_FAIRSEQ,
        task=T(
            description=(
                "Fine-tune a pre-trained wav2vec 2.0 Base model with a CTC head on the "
                "LibriSpeech 100h labelled subset (letters), 3.2M audio samples per GPU, "
                "80k updates"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FINE_TUNING,
            steps=80_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer="fairseq adam (decoupled weight decay)",
        lr=0.00003,
        weight_decay=0.0,
        beta1=0.9,
        beta2=0.98,
        eps=1e-08,
        # Tri-stage: 10% linear warm-up, 40% hold, 50% exponential decay to 0.05 x lr.
        schedule=None,
        warmup_fraction=0.1,
        warmup="10% of updates (tri-stage)",
        citation=Citation(
            title="fairseq: wav2vec 2.0 fine-tuning config base_100h.yaml",
            url=_FAIRSEQ_BLOB + "examples/wav2vec/config/finetuning/base_100h.yaml",
            where="examples/wav2vec/config/finetuning/base_100h.yaml; FairseqAdamConfig",
            quote=(
                "max_tokens: 3200000 ... criterion: _name: ctc ... optimization: max_update: "
                "80000 lr: [0.00003] sentence_avg: true update_freq: [4] optimizer: _name: adam "
                "adam_betas: (0.9,0.98) adam_eps: 1e-08 lr_scheduler: _name: tri_stage "
                "phase_ratio: [0.1, 0.4, 0.5] final_lr_scale: 0.05 ... [fairseq/optim/adam.py:] "
                'weight_decay: float = field(default=0.0, metadata={"help": "weight decay"})'
            ),
        ),
    ),
    Recipe(
        id="hubert-base-pretrain-librispeech-fairseq",
        area=Area.SPEECH,
        source_key=_FAIRSEQ,
        task=T(
            description=(
                "Pre-train a HuBERT Base model (masked prediction of k-means cluster labels) "
                "on LibriSpeech 960h audio on 32 GPUs, 1.4M audio samples per GPU per batch, "
                "400k updates"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FROM_SCRATCH,
            steps=400_000,
        ),
        optimizer=O.ADAMW,
        published_optimizer="fairseq adam (decoupled weight decay)",
        lr=0.0005,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.98,
        eps=1e-06,
        schedule=ScheduleName.WARMUP_LINEAR,
        # 32_000 / 400_000
        warmup_fraction=0.08,
        warmup="32k updates",
        citation=Citation(
            title="fairseq: hubert_base_librispeech.yaml",
            url=_FAIRSEQ_BLOB + "examples/hubert/config/pretrain/hubert_base_librispeech.yaml",
            where="examples/hubert/config/pretrain/hubert_base_librispeech.yaml",
            quote=(
                "distributed_world_size: 32 ... max_tokens: 1400000 ... optimization: "
                "max_update: 400000 lr: [0.0005] clip_norm: 10.0 optimizer: _name: adam "
                "adam_betas: (0.9,0.98) adam_eps: 1e-06 weight_decay: 0.01 lr_scheduler: "
                "_name: polynomial_decay warmup_updates: 32000 " + _FAIRSEQ_ADAM
            ),
        ),
    ),
    Recipe(
        id="conformer-librispeech100-espnet",
        area=Area.SPEECH,
        source_key=_ESPNET,
        task=T(
            description=(
                "Train a Conformer encoder (12 blocks, 256 dims, 4 heads) with a 6-layer "
                "transformer decoder and joint CTC/attention loss from scratch on LibriSpeech "
                "100h, SpecAugment, 70 epochs, 16M-element batches with 4-step accumulation"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FROM_SCRATCH,
            epochs=70,
        ),
        optimizer=O.ADAM,
        lr=0.002,
        weight_decay=0.000001,
        # ESPnet warmuplr: linear warm-up to lr, then inverse square root of the step.
        schedule=None,
        warmup="15000 steps",
        citation=Citation(
            title="ESPnet: LibriSpeech-100 Conformer ASR config",
            url=_ESPNET_BLOB
            + "d1198b4002aea1362c4ee548e9a09f2e4aca613a/egs2/librispeech_100/asr1/conf/tuning/"
            "train_asr_conformer_lr2e-3_warmup15k_amp_nondeterministic.yaml",
            where=(
                "egs2/librispeech_100/asr1/conf/tuning/"
                "train_asr_conformer_lr2e-3_warmup15k_amp_nondeterministic.yaml"
            ),
            quote=(
                "encoder: conformer encoder_conf: output_size: 256 attention_heads: 4 "
                "linear_units: 1024 num_blocks: 12 ... batch_type: numel batch_bins: 16000000 "
                "accum_grad: 4 max_epoch: 70 ... optim: adam optim_conf: lr: 0.002 "
                "weight_decay: 0.000001 scheduler: warmuplr scheduler_conf: warmup_steps: 15000"
            ),
        ),
    ),
    Recipe(
        id="whisper-small-finetune-librispeech100-espnet",
        area=Area.SPEECH,
        source_key=_ESPNET,
        task=T(
            description=(
                "Fine-tune the whole Whisper small model (encoder and decoder) for English "
                "ASR on LibriSpeech 100h for 3 epochs, 4M-element batches with 4-step "
                "accumulation, SpecAugment"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FINE_TUNING,
            epochs=3,
        ),
        optimizer=O.ADAMW,
        lr=2.0e-05,
        weight_decay=0.01,
        beta1=0.9,
        beta2=0.99,
        eps=1.0e-06,
        # ESPnet warmuplr: linear warm-up to lr, then inverse square root of the step.
        schedule=None,
        warmup="1500 steps",
        citation=Citation(
            title="ESPnet: LibriSpeech-100 Whisper full fine-tuning config",
            url=_ESPNET_BLOB
            + "0383bc5e7fe4b7ac4d877638980177c1e606d995/egs2/librispeech_100/asr1/conf/tuning/"
            "train_asr_whisper_full.yaml",
            where="egs2/librispeech_100/asr1/conf/tuning/train_asr_whisper_full.yaml",
            quote=(
                "encoder: whisper encoder_conf: whisper_model: small ... decoder: whisper ... "
                "batch_type: numel batch_bins: 4000000 accum_grad: 4 max_epoch: 3 ... optim: "
                "adamw grad_clip: 1.0 optim_conf: lr: 2.0e-05 weight_decay: 0.01 betas: - 0.9 "
                "- 0.99 eps: 1.0e-06 scheduler: warmuplr scheduler_conf: warmup_steps: 1500"
            ),
        ),
    ),
    Recipe(
        id="whisper-small-finetune-cv-hindi-hf-blog",
        area=Area.SPEECH,
        source_key=_HF_BLOG,
        task=T(
            description=(
                "Fine-tune the multilingual Whisper small checkpoint for Hindi speech "
                "recognition on Common Voice 11 (about 8 hours of audio), batch 16, 4000 "
                "steps, fp16"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FINE_TUNING,
            batch_size=16,
            steps=4000,
        ),
        optimizer=O.ADAMW,
        published_optimizer="Hugging Face Trainer default AdamW",
        lr=1e-5,
        weight_decay=0.0,
        schedule=ScheduleName.WARMUP_LINEAR,
        # 500 / 4000
        warmup_fraction=0.125,
        warmup="500 steps",
        batch_size=16,
        citation=Citation(
            title="Fine-Tune Whisper For Multilingual ASR with Transformers (Hugging Face blog)",
            url=_HF_BLOG_BLOB + "17e0c1d1a60415688a810127c660aea54804cc94/fine-tune-whisper.md",
            where="fine-tune-whisper.md, Define the Training Arguments",
            quote=(
                'training_args = Seq2SeqTrainingArguments( output_dir="./whisper-small-hi", '
                "# change to a repo name of your choice per_device_train_batch_size=16, "
                "gradient_accumulation_steps=1, # increase by 2x for every 2x decrease in "
                "batch size learning_rate=1e-5, warmup_steps=500, max_steps=4000, "
                "gradient_checkpointing=True, fp16=True, ... Our best WER is 32.0% - not bad "
                "for 8h of training data! " + _HF_DEFAULTS
            ),
        ),
    ),
    Recipe(
        id="wav2vec2-base-finetune-timit-hf-blog",
        area=Area.SPEECH,
        source_key=_HF_BLOG,
        task=T(
            description=(
                "Fine-tune the pre-trained wav2vec2-base checkpoint with a CTC head for "
                "English ASR on TIMIT (4620 training utterances), batch 32, 30 epochs, "
                "feature encoder frozen"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FINE_TUNING,
            dataset_size=4620,
            batch_size=32,
            epochs=30,
        ),
        optimizer=O.ADAMW,
        published_optimizer="Hugging Face Trainer default AdamW",
        lr=1e-4,
        weight_decay=0.005,
        schedule=ScheduleName.WARMUP_LINEAR,
        # 1000 / (30 epochs x ceil(4620 / 32) = 145 steps) = 1000 / 4350
        warmup_fraction=0.23,
        warmup="1000 steps",
        batch_size=32,
        citation=Citation(
            title="Fine-Tune Wav2Vec2 for English ASR with Transformers (Hugging Face blog)",
            url=(
                _HF_BLOG_BLOB
                + "0055009513db58db11f98158ff79a3adc29d872c/fine-tune-wav2vec2-english.md"
            ),
            where="fine-tune-wav2vec2-english.md, Set-up Trainer",
            quote=(
                "num_rows: 4620 ... model.freeze_feature_extractor() ... training_args = "
                'TrainingArguments( ... output_dir="./wav2vec2-base-timit-demo", '
                "group_by_length=True, per_device_train_batch_size=32, "
                'evaluation_strategy="steps", num_train_epochs=30, fp16=True, save_steps=500, '
                "eval_steps=500, logging_steps=500, learning_rate=1e-4, weight_decay=0.005, "
                "warmup_steps=1000, ... `learning_rate` and `weight_decay` were heuristically "
                "tuned until fine-tuning has become stable. ..." + _HF_DEFAULTS.removeprefix("...")
            ),
        ),
    ),
    Recipe(
        id="conformer-small-librispeech960-speechbrain",
        area=Area.SPEECH,
        source_key="github:speechbrain/speechbrain",
        task=T(
            description=(
                "Train a small Conformer (12 encoder layers, d_model 144, 4 heads) with a "
                "4-layer transformer decoder and CTC+attention loss from scratch on "
                "LibriSpeech 960h, global batch 128 (16 per GPU x 2 GPUs x 4 accumulation), "
                "110 epochs"
            ),
            domain=D.SPEECH,
            architecture=A.TRANSFORMER,
            regime=R.FROM_SCRATCH,
            batch_size=128,
            epochs=110,
        ),
        optimizer=O.ADAM,
        published_optimizer="Adam for 90 epochs, then SGD (Nesterov, lr 2.5e-5)",
        lr=0.001,
        beta1=0.9,
        beta2=0.98,
        eps=0.000000001,
        # NoamScheduler without model_size: warm-up to lr_initial, then inverse square root.
        schedule=None,
        warmup="25000 steps",
        batch_size=128,
        citation=Citation(
            title="SpeechBrain: LibriSpeech Conformer small (conformer_small.yaml)",
            url=(
                "https://github.com/speechbrain/speechbrain/blob/"
                "077a045c41f07b778892869113aecc85b2723dbb/recipes/LibriSpeech/ASR/transformer/"
                "hparams/conformer_small.yaml"
            ),
            where="recipes/LibriSpeech/ASR/transformer/hparams/conformer_small.yaml",
            quote=(
                "# The global batch size is computed as batch_size * n_gpus * "
                "gradient_accumulation. ... number_of_epochs: 110 batch_size: 16 # This works "
                "for 2x GPUs with 32GB ... gradient_accumulation: 4 ... stage_one_epochs: 90 "
                "lr_adam: 0.001 lr_sgd: 0.000025 ... d_model: 144 nhead: 4 "
                "num_encoder_layers: 12 num_decoder_layers: 4 ... Adam: !name:torch.optim.Adam "
                "lr: !ref <lr_adam> betas: (0.9, 0.98) eps: 0.000000001 ... noam_annealing: "
                "!new:speechbrain.nnet.schedulers.NoamScheduler lr_initial: !ref <lr_adam> "
                "n_warmup_steps: 25000"
            ),
        ),
    ),
    Recipe(
        id="deepspeech2-librispeech-deepspeech-pytorch",
        area=Area.SPEECH,
        source_key="github:SeanNaren/deepspeech.pytorch",
        task=T(
            description=(
                "Train DeepSpeech2 (conv front end, 5 bidirectional LSTM layers of 1024 "
                "units, CTC) from scratch on LibriSpeech spectrograms with SpecAugment, "
                "batch 64, 16 epochs, mixed precision"
            ),
            domain=D.SPEECH,
            architecture=A.LSTM,
            regime=R.FROM_SCRATCH,
            batch_size=64,
            epochs=16,
        ),
        optimizer=O.ADAMW,
        lr=1.5e-4,
        weight_decay=1e-5,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        schedule=ScheduleName.EXPONENTIAL,
        batch_size=64,
        citation=Citation(
            title="deepspeech.pytorch: LibriSpeech config and training defaults",
            url=(
                "https://github.com/SeanNaren/deepspeech.pytorch/blob/"
                "b88a631ef6b96553e16bbaa5bd6a621435bed278/deepspeech_pytorch/configs/"
                "train_config.py"
            ),
            where="deepspeech_pytorch/configs/train_config.py; configs/librispeech.yaml; model.py",
            quote=(
                'defaults = [ {"optim": "adam"}, {"model": "bidirectional"}, ... batch_size: '
                "int = 64 # Batch size for training ... hidden_size: int = 1024 # Hidden size "
                "of RNN Layer hidden_layers: int = 5 # Number of RNN layers ... learning_rate: "
                "float = 1.5e-4 # Initial Learning Rate learning_anneal: float = 0.99 # "
                "Annealing applied to learning rate after each epoch weight_decay: float = "
                "1e-5 ... eps: float = 1e-8 # Adam eps betas: tuple = (0.9, 0.999) ... "
                "[librispeech.yaml:] max_epochs: 16 ... [model.py:] optimizer = "
                "torch.optim.AdamW( ... scheduler = torch.optim.lr_scheduler.ExponentialLR("
            ),
        ),
    ),
    Recipe(
        id="tacotron2-ljspeech-nvidia",
        area=Area.SPEECH,
        source_key="github:NVIDIA/tacotron2",
        task=T(
            description=(
                "Train Tacotron 2 (text to mel spectrogram, attention-based seq2seq with LSTM "
                "decoder) from scratch on the LJ Speech dataset at 22.05 kHz, batch 64, 500 "
                "epochs"
            ),
            domain=D.SPEECH,
            architecture=A.LSTM,
            regime=R.FROM_SCRATCH,
            batch_size=64,
            epochs=500,
        ),
        optimizer=O.ADAM,
        lr=1e-3,
        weight_decay=1e-6,
        schedule=ScheduleName.CONSTANT,
        batch_size=64,
        citation=Citation(
            title="NVIDIA/tacotron2: hparams.py and train.py",
            url=(
                "https://github.com/NVIDIA/tacotron2/blob/"
                "185cd24e046cc1304b4f8e564734d2498c6e2e6f/hparams.py"
            ),
            where="hparams.py, Optimization Hyperparameters; train.py optimizer",
            quote=(
                "epochs=500, ... sampling_rate=22050, ... # Optimization Hyperparameters # "
                "... use_saved_learning_rate=False, learning_rate=1e-3, weight_decay=1e-6, "
                "grad_clip_thresh=1.0, batch_size=64, ... [train.py:] optimizer = "
                "torch.optim.Adam(model.parameters(), lr=learning_rate, "
                "weight_decay=hparams.weight_decay)"
            ),
        ),
    ),
)
