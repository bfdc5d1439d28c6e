"""Known model and data set names, and the sizes they imply when the text states no number.

Parameter counts are the published sizes of the standard configurations; a bare family name
implies a size only where one configuration is the default meaning of the name ("BERT" is
BERT-base, "GPT-2" the 124M model); "ResNet" or "LLaMA" alone imply none. Data set sizes count
training examples of the standard training split.
"""

from __future__ import annotations

from advisor.task import Architecture, Domain
from advisor.text.patterns import Matcher, en, zh
from advisor.text.terms import SubjectTerm, Weight

A = Architecture
D = Domain
K = 1_000
M = 1_000_000
B = 1_000_000_000


def model(
    pattern: Matcher,
    architecture: Architecture | None,
    domain: Domain,
    params: int | None = None,
    domain_weight: Weight = Weight.MID,
) -> SubjectTerm:
    """A model (or algorithm) name: names its architecture, implies its domain and size."""
    return SubjectTerm(
        pattern,
        domain=domain,
        domain_weight=domain_weight,
        architecture=architecture,
        architecture_weight=Weight.HIGH if architecture else Weight.NONE,
        model_params=params,
    )


def dataset(pattern: Matcher, domain: Domain, size: int | None = None) -> SubjectTerm:
    """A data set name: implies the domain and the number of training examples."""
    return SubjectTerm(pattern, domain=domain, domain_weight=Weight.MID, dataset_size=size)


_RESNET = {"18": 11_700 * K, "34": 21_800 * K, "50": 25_600 * K, "101": 44_500 * K}
_RESNET_152 = 60_200 * K

KNOWN_MODELS: tuple[SubjectTerm, ...] = (
    # vision
    *(model(en(rf"resnet[-_ ]?{d}"), A.RESNET, D.VISION, p) for d, p in _RESNET.items()),
    model(en(r"resnet[-_ ]?152"), A.RESNET, D.VISION, _RESNET_152),
    model(en(r"resnet|resnext|wide[- ]resnet|wrn"), A.RESNET, D.VISION),
    model(en(r"vgg[-_ ]?16"), A.CNN, D.VISION, 138 * M),
    model(en(r"vgg[-_ ]?19"), A.CNN, D.VISION, 143_700 * K),
    model(en(r"alexnet"), A.CNN, D.VISION, 61 * M),
    model(en(r"lenet(?:-?5)?"), A.CNN, D.VISION, 60 * K),
    model(en(r"mobilenet[-_ ]?v2"), A.CNN, D.VISION, 3_500 * K),
    model(en(r"efficientnet[-_ ]?b0"), A.CNN, D.VISION, 5_300 * K),
    model(en(r"densenet[-_ ]?121"), A.CNN, D.VISION, 8 * M),
    model(en(r"convnext(?:[-_ ]?tiny|[-_ ]t)"), A.CNN, D.VISION, 28_600 * K),
    model(
        en(r"vgg|mobilenet(?:v\d)?|efficientnet(?:v2)?|densenet|inception(?:v\d)?|googlenet"),
        A.CNN,
        D.VISION,
    ),
    model(en(r"convnext|yolo(?:v\d+)?|(?:faster|mask)[- ]r-?cnn|retinanet"), A.CNN, D.VISION),
    model(en(r"vit(?:[-_ ]?base|[-_ ]b)(?:[-/_ ]?(?:16|32))?"), A.VIT, D.VISION, 86 * M),
    model(en(r"vit(?:[-_ ]?large|[-_ ]l)(?:[-/_ ]?(?:14|16|32))?"), A.VIT, D.VISION, 304 * M),
    model(en(r"vit(?:[-_ ]?huge|[-_ ]h)(?:[-/_ ]?14)?"), A.VIT, D.VISION, 632 * M),
    model(en(r"vit(?:[-_ ]?small|[-_ ]s)(?:[-/_ ]?(?:16|32))?"), A.VIT, D.VISION, 22 * M),
    model(en(r"swin(?:[-_ ]?tiny|[-_ ]t)"), A.VIT, D.VISION, 28 * M),
    model(en(r"swin(?:[-_ ]?base|[-_ ]b)"), A.VIT, D.VISION, 88 * M),
    model(en(r"swin(?: transformer)?|deit|beit|dinov?2?"), A.VIT, D.VISION),
    model(en(r"stable diffusion"), A.DIFFUSION, D.VISION),
    # language
    model(en(r"bert[-_ ]?large"), A.TRANSFORMER, D.NLP, 340 * M),
    model(
        en(r"bert(?:[-_ ]?base)?(?:[-_ ](?:un)?cased|[-_ ]chinese)?"), A.TRANSFORMER, D.NLP, 110 * M
    ),
    model(en(r"distil-?bert"), A.TRANSFORMER, D.NLP, 66 * M),
    model(en(r"roberta[-_ ]?large"), A.TRANSFORMER, D.NLP, 355 * M),
    model(en(r"roberta(?:[-_ ]?base)?"), A.TRANSFORMER, D.NLP, 125 * M),
    model(en(r"albert(?:[-_ ]?base)?"), A.TRANSFORMER, D.NLP, 12 * M),
    model(en(r"deberta(?:-?v3)?|electra|xlnet|macbert|ernie|xlm-?r"), A.TRANSFORMER, D.NLP),
    model(en(r"gpt-?2[-_ ](?:medium|m)"), A.TRANSFORMER, D.NLP, 355 * M),
    model(en(r"gpt-?2[-_ ](?:large|l)"), A.TRANSFORMER, D.NLP, 774 * M),
    model(en(r"gpt-?2[-_ ]xl"), A.TRANSFORMER, D.NLP, 1_500 * M),
    model(en(r"gpt-?2(?:[-_ ]small)?|nanogpt"), A.TRANSFORMER, D.NLP, 124 * M),
    model(en(r"gpt-?3"), A.TRANSFORMER, D.NLP, 175 * B),
    model(
        en(r"gpt(?:-?[j4]|-?neox?)?|llama(?:[-_ ]?[1-4](?:\.\d)?)?|mistral|mixtral"),
        A.TRANSFORMER,
        D.NLP,
    ),
    model(
        en(r"qwen[\d.]*|chatglm\d*|baichuan\d*|deepseek|gemma|phi-?\d|falcon|bloom"),
        A.TRANSFORMER,
        D.NLP,
    ),
    model(en(r"llm|large language model"), A.TRANSFORMER, D.NLP, domain_weight=Weight.HIGH),
    model(zh(r"大模型|大语言模型"), A.TRANSFORMER, D.NLP, domain_weight=Weight.HIGH),
    # "language model" says the task, not the architecture: RNN language models exist.
    model(en(r"language model|causal lm"), None, D.NLP, domain_weight=Weight.HIGH),
    model(zh(r"语言模型"), None, D.NLP, domain_weight=Weight.HIGH),
    model(en(r"t5[-_ ]?small"), A.TRANSFORMER, D.NLP, 60 * M),
    model(en(r"t5[-_ ]?base"), A.TRANSFORMER, D.NLP, 220 * M),
    model(en(r"t5[-_ ]?large"), A.TRANSFORMER, D.NLP, 770 * M),
    model(en(r"m?t5|flan-?t5"), A.TRANSFORMER, D.NLP),
    model(en(r"bart[-_ ]?base"), A.TRANSFORMER, D.NLP, 140 * M),
    model(en(r"bart(?:[-_ ]?large)?"), A.TRANSFORMER, D.NLP),
    model(en(r"word2vec|glove|fasttext"), A.EMBEDDING, D.NLP),
    # speech
    model(
        en(r"whisper|wav2vec(?: ?2(?:\.0)?)?|hubert|conformer|fastspeech ?2?"),
        A.TRANSFORMER,
        D.SPEECH,
    ),
    model(en(r"tacotron ?2?|deepspeech ?2?"), A.RNN, D.SPEECH),
    model(en(r"wavenet|hifi-?gan|melgan"), A.CNN, D.SPEECH, domain_weight=Weight.HIGH),
    # generative adversarial networks
    model(
        en(r"dcgan|stylegan ?[23]?|cyclegan|pix2pix|biggan"),
        A.CNN,
        D.GAN,
        domain_weight=Weight.HIGH,
    ),
    model(en(r"wgan(?:-gp)?"), None, D.GAN, domain_weight=Weight.HIGH),
    # reinforcement learning algorithms name the field
    model(
        en(r"ppo|dqn|ddqn|a2c|a3c|sac|td3|ddpg|trpo|impala|rainbow"),
        None,
        D.RL,
        domain_weight=Weight.HIGH,
    ),
)

KNOWN_DATASETS: tuple[SubjectTerm, ...] = (
    dataset(en(r"imagenet[-_ ]?(?:21k|22k)"), D.VISION, 14_197_122),
    dataset(en(r"imagenet(?:[-_ ]?1k)?|ilsvrc(?:[-_ ]?2012)?"), D.VISION, 1_281_167),
    dataset(en(r"cifar[-_ ]?(?:10|100)"), D.VISION, 50 * K),
    dataset(en(r"(?:fashion[-_ ]?)?mnist"), D.VISION, 60 * K),
    dataset(en(r"svhn"), D.VISION, 73_257),
    dataset(en(r"(?:ms[-_ ]?)?coco"), D.VISION, 118_287),
    dataset(en(r"celeba"), D.VISION, 162_770),
    dataset(en(r"pascal voc|cityscapes|ade20k"), D.VISION),
    dataset(en(r"sst[-_ ]?2"), D.NLP, 67_349),
    dataset(en(r"imdb"), D.NLP, 25 * K),
    dataset(en(r"ag[-_ ]?news"), D.NLP, 120 * K),
    # SQuAD 2.0 is a larger set than 1.1: named, it must not imply 1.1's size.
    dataset(en(r"squad[-_ ]?(?:v?2(?:\.0)?)"), D.NLP),
    dataset(en(r"squad(?: ?v?1(?:\.1)?)?"), D.NLP, 87_599),
    dataset(en(r"mnli|multinli"), D.NLP, 392_702),
    dataset(en(r"multi30k"), D.NLP),
    dataset(en(r"glue|superglue|wikitext(?:-?103|-?2)?|wmt\d*|openwebtext|the pile|c4"), D.NLP),
    dataset(en(r"movielens[-_ ]?100k"), D.RECSYS, 100 * K),
    dataset(en(r"movielens[-_ ]?1m"), D.RECSYS, 1_000_209),
    dataset(en(r"movielens[-_ ]?20m"), D.RECSYS, 20_000_263),
    dataset(en(r"movielens"), D.RECSYS),
    # The 1TB click logs (24 days) are not the Kaggle set the bare name stands for.
    dataset(en(r"criteo (?:1 ?tb|terabyte)"), D.RECSYS),
    dataset(en(r"criteo"), D.RECSYS, 45_840_617),
    dataset(en(r"avazu"), D.RECSYS, 40_428_967),
    # train-clean-100 alone (huggingface.co/datasets/openslr/librispeech_asr: 28,539
    # utterances; the three training splits together are 281,241).
    dataset(
        en(
            r"librispeech[-_ ](?:train[-_]clean[-_])?100 ?h(?:ours?)?"
            r"|librispeech[-_ ]train[-_]clean[-_]100"
        ),
        D.SPEECH,
        28_539,
    ),
    dataset(en(r"librispeech"), D.SPEECH, 281_241),
    dataset(en(r"ljspeech|lj speech"), D.SPEECH, 13_100),
    dataset(en(r"common ?voice|aishell"), D.SPEECH),
    dataset(en(r"cora|citeseer|ogb[ngl]-[a-z]+"), D.GRAPH),
)
