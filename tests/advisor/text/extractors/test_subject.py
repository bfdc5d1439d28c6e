"""Domain, architecture, and the sizes that known names imply: the words people use for them,
in English and Chinese, and the deliberate readings of ambiguous ones."""

from __future__ import annotations

from typing import Any

import pytest

from tests.advisor.text.reading_of import said

SUBJECT = ("domain", "architecture", "model_params", "dataset_size")

CASES: list[tuple[str, dict[str, tuple[Any, str]]]] = [
    # vision
    (
        "ViT-B/16 on CIFAR-100",
        {
            "domain": ("vision", "ViT-B/16"),
            "architecture": ("vit", "ViT-B/16"),
            "model_params": (86_000_000, "ViT-B/16"),
            "dataset_size": (50_000, "CIFAR-100"),
        },
    ),
    (
        "Swin Transformer for semantic segmentation",
        {
            "domain": ("vision", "semantic segmentation"),
            "architecture": ("vit", "Swin Transformer"),
        },
    ),
    (
        "ConvNeXt-T on ImageNet-21k",
        {
            "domain": ("vision", "ConvNeXt-T"),
            "architecture": ("cnn", "ConvNeXt-T"),
            "model_params": (28_600_000, "ConvNeXt-T"),
            "dataset_size": (14_197_122, "ImageNet-21k"),
        },
    ),
    (
        "VGG16 on MNIST",
        {
            "domain": ("vision", "VGG16"),
            "architecture": ("cnn", "VGG16"),
            "model_params": (138_000_000, "VGG16"),
            "dataset_size": (60_000, "MNIST"),
        },
    ),
    ("a small CNN", {"domain": ("vision", "CNN"), "architecture": ("cnn", "CNN")}),
    (
        "卷积神经网络做目标检测",
        {
            "domain": ("vision", "目标检测"),
            "architecture": ("cnn", "卷积神经网络"),
        },
    ),
    (
        "U-Net for medical image segmentation",
        {
            "domain": ("vision", "image segmentation"),
            "architecture": ("unet", "U-Net"),
        },
    ),
    (
        "训练一个扩散模型生成图片",
        {
            "domain": ("vision", "扩散模型"),
            "architecture": ("diffusion", "扩散模型"),
        },
    ),
    (
        "Vision Transformer",
        {"domain": ("vision", "Vision Transformer"), "architecture": ("vit", "Vision Transformer")},
    ),
    # A generic transformer says no domain by itself.
    ("a transformer", {"architecture": ("transformer", "transformer")}),
    # language
    (
        "T5-base for summarization",
        {
            "domain": ("nlp", "summarization"),
            "architecture": ("transformer", "T5-base"),
            "model_params": (220_000_000, "T5-base"),
        },
    ),
    (
        "BERT-large on SST-2",
        {
            "domain": ("nlp", "BERT-large"),
            "architecture": ("transformer", "BERT-large"),
            "model_params": (340_000_000, "BERT-large"),
            "dataset_size": (67_349, "SST-2"),
        },
    ),
    (
        "GPT-2 on IMDB",
        {
            "domain": ("nlp", "GPT-2"),
            "architecture": ("transformer", "GPT-2"),
            "model_params": (124_000_000, "GPT-2"),
            "dataset_size": (25_000, "IMDB"),
        },
    ),
    ("大模型微调", {"domain": ("nlp", "大模型"), "architecture": ("transformer", "大模型")}),
    (
        "RoBERTa做文本分类",
        {
            "domain": ("nlp", "文本分类"),
            "architecture": ("transformer", "RoBERTa"),
            "model_params": (125_000_000, "RoBERTa"),
        },
    ),
    # "language model" names the task, not the architecture: the RNN is the architecture.
    ("RNN language model", {"domain": ("nlp", "language model"), "architecture": ("rnn", "RNN")}),
    (
        "CNN for text classification",
        {
            "domain": ("nlp", "text classification"),
            "architecture": ("cnn", "CNN"),
        },
    ),
    (
        "自然语言处理，循环神经网络",
        {
            "domain": ("nlp", "自然语言处理"),
            "architecture": ("rnn", "循环神经网络"),
        },
    ),
    # speech
    ("TTS with Tacotron 2", {"domain": ("speech", "TTS"), "architecture": ("rnn", "Tacotron 2")}),
    (
        "语音识别，Conformer",
        {
            "domain": ("speech", "语音识别"),
            "architecture": ("transformer", "Conformer"),
        },
    ),
    ("speech synthesis", {"domain": ("speech", "speech synthesis")}),
    ("語音合成", {"domain": ("speech", "語音合成")}),
    # recommenders
    (
        "DLRM on Criteo",
        {
            "domain": ("recsys", "DLRM"),
            "architecture": ("embedding", "DLRM"),
            "dataset_size": (45_840_617, "Criteo"),
        },
    ),
    (
        "DeepFM for CTR prediction",
        {
            "domain": ("recsys", "DeepFM"),
            "architecture": ("embedding", "DeepFM"),
        },
    ),
    ("双塔召回模型", {"domain": ("recsys", "双塔"), "architecture": ("embedding", "双塔")}),
    (
        "BERT embeddings for a recommender",
        {
            "domain": ("recsys", "recommender"),
            "architecture": ("transformer", "BERT"),
            "model_params": (110_000_000, "BERT"),
        },
    ),
    # Bare 推荐 is a recommender beside embeddings, and everyday "recommended" elsewhere.
    (
        "用embedding做推荐",
        {"domain": ("recsys", "推荐"), "architecture": ("embedding", "embedding")},
    ),
    ("推荐新手先跑通一个baseline", {}),
    # reinforcement learning, GANs
    ("PPO on Atari", {"domain": ("rl", "PPO")}),
    ("强化学习，策略梯度", {"domain": ("rl", "强化学习")}),
    ("reinforcement learning agent", {"domain": ("rl", "reinforcement learning")}),
    (
        "DCGAN on CelebA faces",
        {
            "domain": ("gan", "DCGAN"),
            "architecture": ("cnn", "DCGAN"),
            "dataset_size": (162_770, "CelebA"),
        },
    ),
    ("WGAN-GP", {"domain": ("gan", "WGAN-GP")}),
    ("生成对抗网络生成人脸", {"domain": ("gan", "生成对抗网络")}),
    ("HiFi-GAN vocoder", {"domain": ("speech", "HiFi-GAN"), "architecture": ("cnn", "HiFi-GAN")}),
    # tabular, time series, graphs
    (
        "MLP on tabular data",
        {"domain": ("tabular", "tabular data"), "architecture": ("mlp", "MLP")},
    ),
    (
        "多层感知机处理表格数据",
        {
            "domain": ("tabular", "表格数据"),
            "architecture": ("mlp", "多层感知机"),
        },
    ),
    ("用GRU做时间序列预测", {"domain": ("timeseries", "时间序列"), "architecture": ("gru", "GRU")}),
    (
        "sales forecasting with an LSTM",
        {
            "domain": ("timeseries", "forecasting"),
            "architecture": ("lstm", "LSTM"),
        },
    ),
    ("GCN for node classification", {"domain": ("graph", "GCN"), "architecture": ("gnn", "GCN")}),
    (
        "图神经网络做节点分类",
        {
            "domain": ("graph", "图神经网络"),
            "architecture": ("gnn", "图神经网络"),
        },
    ),
    # A data set the model was pre-trained on is not the training set.
    (
        "ImageNet-pretrained ResNet for X-ray classification",
        {
            "domain": ("vision", "ImageNet"),
            "architecture": ("resnet", "ResNet"),
        },
    ),
    (
        "在ImageNet上预训练的ResNet-50",
        {
            "domain": ("vision", "ImageNet"),
            "architecture": ("resnet", "ResNet-50"),
            "model_params": (25_600_000, "ResNet-50"),
        },
    ),
    # Names met in the recipe corpus: the detector, not its backbone, is the architecture;
    # a table's feature "tokens" are no text; GIN is a graph network.
    (
        "DETR (transformer detector on an ImageNet-pretrained ResNet-50) on COCO",
        {
            "domain": ("vision", "DETR"),
            "architecture": ("transformer", "DETR"),
            "model_params": (25_600_000, "ResNet-50"),
            "dataset_size": (118_287, "COCO"),
        },
    ),
    (
        "FT-Transformer (192-dim tokens) on the Adult census income table",
        {
            "domain": ("tabular", "FT-Transformer"),
            "architecture": ("transformer", "FT-Transformer"),
        },
    ),
    (
        "a 5-layer GIN with 300-dim embeddings on ogbg-molhiv",
        {"domain": ("graph", "GIN"), "architecture": ("gnn", "GIN")},
    ),
    (
        "a DQN agent with a conv net on Atari games",
        {"domain": ("rl", "DQN"), "architecture": ("cnn", "conv net")},
    ),
    (
        "a decoder-only language model",
        {"domain": ("nlp", "language model"), "architecture": ("transformer", "decoder-only")},
    ),
    (
        "SegFormer-B0 on ADE20K",
        {"domain": ("vision", "SegFormer-B0"), "architecture": ("vit", "SegFormer-B0")},
    ),
    (
        "SASRec on MovieLens-1M",
        {
            "domain": ("recsys", "SASRec"),
            "architecture": ("transformer", "SASRec"),
            "dataset_size": (1_000_209, "MovieLens-1M"),
        },
    ),
    (
        "TabNet on the Forest Covertype table",
        {"domain": ("tabular", "TabNet"), "architecture": ("other", "TabNet")},
    ),
    (
        "a 3-layer MLP for regression on the California Housing table",
        {"domain": ("tabular", "table"), "architecture": ("mlp", "MLP")},
    ),
    (
        "a small transformer to translate German to English on Multi30k",
        {"domain": ("nlp", "Multi30k"), "architecture": ("transformer", "transformer")},
    ),
    # A model name that implies an RNN, built of the LSTM layers the text names, is an LSTM.
    (
        "DeepSpeech2 (5 bidirectional LSTM layers) on LibriSpeech",
        {
            "domain": ("speech", "DeepSpeech2"),
            "architecture": ("lstm", "DeepSpeech2 (5 bidirectional LSTM"),
            "dataset_size": (281_241, "LibriSpeech"),
        },
    ),
    (
        "DeepSpeech2 with 3 GRU layers",
        {"domain": ("speech", "DeepSpeech2"), "architecture": ("gru", "DeepSpeech2 with 3 GRU")},
    ),
    # A named subset or edition is not the whole set, nor another edition.
    (
        "wav2vec 2.0 on LibriSpeech 100h",
        {
            "domain": ("speech", "wav2vec 2.0"),
            "architecture": ("transformer", "wav2vec 2.0"),
            "dataset_size": (28_539, "LibriSpeech 100h"),
        },
    ),
    (
        "BERT-Large on SQuAD 2.0",
        {
            "domain": ("nlp", "BERT-Large"),
            "architecture": ("transformer", "BERT-Large"),
            "model_params": (340_000_000, "BERT-Large"),
        },
    ),
    (
        "DLRM on the Criteo 1TB click logs",
        {"domain": ("recsys", "DLRM"), "architecture": ("embedding", "DLRM")},
    ),
    # Latin words need word edges: "organ" holds no GAN, "url" no RL.
    ("organ donor url", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_subject_words_set_domain_architecture_and_implied_sizes(
    text: str, expected: dict[str, tuple[Any, str]]
) -> None:
    assert said(text, SUBJECT) == expected


def test_names_are_read_in_any_case_and_quoted_as_written() -> None:
    assert said("RESNET-50 ON IMAGENET", SUBJECT) == {
        "domain": ("vision", "RESNET-50"),
        "architecture": ("resnet", "RESNET-50"),
        "model_params": (25_600_000, "RESNET-50"),
        "dataset_size": (1_281_167, "IMAGENET"),
    }
