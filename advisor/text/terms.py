"""What a task is about: words for domains and architectures (English and Chinese), as data.

Each entry says which domain and/or architecture its words point to and how strongly. Known
model and dataset names, which also imply sizes, live in ``known``.

Weights, per axis (the subject extractor takes the heaviest; ties go to the earliest mention):

- domain: HIGH for words that name the task or field ("image classification", "推荐系统"),
  MID for model and dataset names ("BERT" → nlp, "ImageNet" → vision), LOW for words that only
  suggest it ("CNN" → vision, "预测" → time series, "images").
- architecture: HIGH for a specific architecture or model ("LSTM", "ResNet-50", "BERT"), MID
  for a family word ("CNN", "Transformer", "RNN"), LOW for a part of a model ("embedding").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from advisor.task import Architecture, Domain
from advisor.text.patterns import Matcher, en, zh


def _words_only(pattern: str) -> Matcher:
    """An English word whose inflections the pattern spells out (no plural 's')."""
    return en(pattern, plural=False)


A = Architecture
D = Domain


class Weight(IntEnum):
    NONE = 0
    LOW = 1
    MID = 2
    HIGH = 3


@dataclass(frozen=True, slots=True)
class SubjectTerm:
    """Words that say what the task is about."""

    pattern: Matcher
    domain: Domain | None = None
    domain_weight: Weight = Weight.NONE
    architecture: Architecture | None = None
    architecture_weight: Weight = Weight.NONE
    #: Size implied by a known model name (parameters) or data set name (training examples).
    model_params: int | None = None
    dataset_size: int | None = None
    #: Counts for recommenders only beside embeddings or ID features: bare "推荐" is also the
    #: everyday word for "recommended" ("推荐新手用Adam").
    recsys_only_in_context: bool = False


def task(pattern: Matcher, domain: Domain) -> SubjectTerm:
    """Words that name the task or field itself."""
    return SubjectTerm(pattern, domain=domain, domain_weight=Weight.HIGH)


def hint(pattern: Matcher, domain: Domain) -> SubjectTerm:
    """Words that suggest a domain without naming it."""
    return SubjectTerm(pattern, domain=domain, domain_weight=Weight.LOW)


def arch(
    pattern: Matcher,
    architecture: Architecture,
    weight: Weight = Weight.HIGH,
    domain: Domain | None = None,
    domain_weight: Weight = Weight.LOW,
) -> SubjectTerm:
    """Words that name an architecture (and, weakly, the domain it usually serves)."""
    return SubjectTerm(
        pattern,
        domain=domain,
        domain_weight=domain_weight if domain else Weight.NONE,
        architecture=architecture,
        architecture_weight=weight,
    )


_NET = "(?:神经)?网(?:络|路)"

DOMAIN_WORDS: tuple[SubjectTerm, ...] = (
    # vision
    task(en(r"image classification|image recognition|computer vision|object detection"), D.VISION),
    task(en(r"(?:semantic |instance |image )?segmentation|cv|pose estimation"), D.VISION),
    task(
        zh(
            r"(?:图像|影像|图片)(?:分类|识别|分割|处理)|计算机视觉|(?:目标|物体)检测|语义分割|实例分割"
        ),
        D.VISION,
    ),
    hint(zh(r"分割|视觉"), D.VISION),
    hint(en(r"image|picture|photo|pixel|vision"), D.VISION),
    hint(zh(r"图像|影像|图片|照片"), D.VISION),
    # nlp
    task(
        en(r"nlp|natural language(?: processing)?|text classification|sentiment(?: analysis)?"),
        D.NLP,
    ),
    task(en(r"(?:machine )?translation|question answering|summari[sz]ation"), D.NLP),
    hint(_words_only(r"translat(?:e|es|ed|ing)"), D.NLP),
    task(en(r"named entity recognition|ner"), D.NLP),
    task(
        zh(
            r"自然语言(?:处理)?|文本分类|情感(?:分类|分析)|(?:机器)?翻译|问答|命名实体识别|文本摘要"
        ),
        D.NLP,
    ),
    hint(en(r"text|sentence|document|review|token|corpus|corpora"), D.NLP),
    hint(zh(r"文本|句子|评论|语料"), D.NLP),
    # speech
    task(en(r"tts|text[- ]to[- ]speech|speech (?:synthesis|recognition)|asr"), D.SPEECH),
    task(en(r"speech|speaker verification"), D.SPEECH),
    task(zh(r"语音(?:合成|识别)?|声纹识别"), D.SPEECH),
    hint(en(r"audio|waveform|utterance"), D.SPEECH),
    hint(zh(r"音频"), D.SPEECH),
    # recommenders
    task(
        en(r"recommend(?:er|ation)(?: system| model| engine)?|recsys|ctr(?: prediction)?"), D.RECSYS
    ),
    task(en(r"click[- ]through(?: rate)?|candidate retrieval|two[- ]tower"), D.RECSYS),
    task(zh(r"推荐(?:系统|算法|模型|场景|任务)|点击率(?:预估|预测)?|召回|精排|粗排"), D.RECSYS),
    SubjectTerm(zh(r"推荐"), D.RECSYS, Weight.MID, recsys_only_in_context=True),
    SubjectTerm(en(r"recommend"), D.RECSYS, Weight.MID, recsys_only_in_context=True),
    hint(zh(r"(?:用户|商品|物品)\s*ids?"), D.RECSYS),
    hint(en(r"(?:user|item|product|movie)[ _-]?ids?"), D.RECSYS),
    # reinforcement learning
    task(en(r"reinforcement learning|rl|policy gradient|actor[- ]critic|q[- ]learning"), D.RL),
    task(zh(r"强化学习|策略梯度"), D.RL),
    hint(en(r"reward|agent|atari|mujoco|gym"), D.RL),
    # generative adversarial networks
    task(en(r"gan|generative adversarial(?: network)?"), D.GAN),
    task(zh(r"生成对抗网络|对抗生成网络"), D.GAN),
    hint(zh(r"生成器|判别器"), D.GAN),
    hint(en(r"generator|discriminator"), D.GAN),
    # tabular
    task(en(r"tabular(?: data)?|structured data"), D.TABULAR),
    task(zh(r"表格(?:数据)?|结构化数据"), D.TABULAR),
    # "the California Housing table": a data set called a table is tabular ("embedding
    # tables" are read whole as an architecture word, the longer match).
    hint(en(r"table|spreadsheet|census income"), D.TABULAR),
    # time series
    task(
        en(r"time[- ]series|timeseries|forecast(?:ing)?|stock prices?|sales forecast"), D.TIMESERIES
    ),
    task(zh(r"时间序列|时序(?:数据|预测)?|股票|股价|销量预测"), D.TIMESERIES),
    hint(zh(r"预测"), D.TIMESERIES),
    # graphs
    task(
        en(r"graph (?:data|classification|learning)|node classification|link prediction"), D.GRAPH
    ),
    hint(en(r"graph|molecule|citation network"), D.GRAPH),
    task(zh(r"图数据|节点分类|链接预测"), D.GRAPH),
)

ARCHITECTURE_WORDS: tuple[SubjectTerm, ...] = (
    arch(
        en(r"cnn|conv[- ]?net|convolutional(?: neural)?(?: network| net)?"),
        A.CNN,
        Weight.MID,
        D.VISION,
    ),
    arch(zh(f"卷积{_NET}?|卷积"), A.CNN, Weight.MID, D.VISION),
    arch(en(r"vision transformer|vit"), A.VIT, domain=D.VISION, domain_weight=Weight.MID),
    arch(en(r"transformer|self[- ]attention"), A.TRANSFORMER, Weight.MID),
    arch(en(r"decoder-only(?: transformer)?|gpt-style"), A.TRANSFORMER, Weight.MID),
    # SegFormer's encoder is a hierarchical transformer (Mix Transformer, MiT), like Swin.
    arch(en(r"segformer(?:-b\d)?|mit-b\d"), A.VIT, domain=D.VISION, domain_weight=Weight.MID),
    # Sequential recommenders built of self-attention blocks (SASRec, BERT4Rec).
    arch(en(r"sasrec|bert4rec"), A.TRANSFORMER, domain=D.RECSYS, domain_weight=Weight.HIGH),
    # TabNet is its own architecture (attentive feature selection), made for tables.
    arch(en(r"tabnet"), A.OTHER, domain=D.TABULAR, domain_weight=Weight.HIGH),
    arch(zh(r"变换器|自注意力"), A.TRANSFORMER, Weight.MID),
    arch(en(r"bi-?lstm|lstm|long short[- ]term memory"), A.LSTM),
    arch(zh(r"长短期记忆(?:网络)?"), A.LSTM),
    arch(en(r"gru|gated recurrent units?"), A.GRU),
    arch(en(r"rnn|recurrent(?: neural)?(?: network| net)?"), A.RNN, Weight.MID),
    arch(zh(f"循环{_NET}"), A.RNN, Weight.MID),
    arch(
        en(
            r"gnn|gcn|gat|gin|graphsage|graph (?:neural|convolutional|attention|isomorphism)"
            r" network"
        ),
        A.GNN,
        domain=D.GRAPH,
        domain_weight=Weight.HIGH,
    ),
    arch(
        zh(f"图{_NET}|图卷积{_NET}?|图注意力{_NET}"),
        A.GNN,
        domain=D.GRAPH,
        domain_weight=Weight.HIGH,
    ),
    arch(
        en(r"mlp|multi-?layer perceptron|(?:feed-?forward|fully[- ]connected) (?:network|net)"),
        A.MLP,
        Weight.MID,
    ),
    arch(zh(f"多层感知机|多层感知器|全连接{_NET}"), A.MLP, Weight.MID),
    # DETR is a transformer encoder-decoder over a CNN backbone (Carion et al. 2020,
    # huggingface.co/docs/transformers/model_doc/detr): the detector is the architecture.
    arch(en(r"(?:deformable[- ])?detr"), A.TRANSFORMER, domain=D.VISION, domain_weight=Weight.MID),
    # Transformers made for tables (github.com/yandex-research/rtdl-revisiting-models): their
    # feature "tokens" are no text.
    arch(
        en(r"ft-?transformer|tab-?transformer"),
        A.TRANSFORMER,
        domain=D.TABULAR,
        domain_weight=Weight.HIGH,
    ),
    arch(en(r"u-?net"), A.UNET, domain=D.VISION),
    arch(
        en(r"diffusion(?: model)?|ddpm|ddim|stable diffusion|latent diffusion"),
        A.DIFFUSION,
        domain=D.VISION,
    ),
    arch(zh(r"扩散模型|扩散"), A.DIFFUSION, domain=D.VISION),
    arch(en(r"embedding(?: layer| table)?|embedding bag"), A.EMBEDDING, Weight.LOW),
    arch(zh(r"嵌入(?:层|向量)?|embedding\s*层"), A.EMBEDDING, Weight.LOW),
    arch(
        en(r"dlrm|deepfm|wide\s*(?:&|and|\+)\s*deep|dcn|din|xdeepfm|two[- ]tower model"),
        A.EMBEDDING,
        domain=D.RECSYS,
        domain_weight=Weight.HIGH,
    ),
    arch(zh(r"双塔(?:模型)?"), A.EMBEDDING, domain=D.RECSYS, domain_weight=Weight.HIGH),
)
