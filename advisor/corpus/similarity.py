"""How alike a task and a published recipe are, and the index that finds the nearest recipes.

Similarity is a weighted mean of per-feature agreement in 0..1, kind of task first:

=================  ======  ===============================================================
feature            weight  agreement
=================  ======  ===============================================================
area               3       1 when the task's area (``area_of``) is the recipe's, else 0
domain             2       1 when equal, else 0
architecture       2       1 when equal, 0.6 within a kin group (cnn~resnet, vit~transformer,
                           rnn~lstm~gru, unet~diffusion), else 0
regime             2       1 when equal, else 0
named model        2       1 when the two texts name a common model family ("ConvNeXt",
                           "EfficientNet", "PPO", "DLRM", "LoRA"…, see ``NAMED_MODELS``), 0
                           when both name some and none in common
model size         1.5     1 − |log10 ratio| / 3, floored at 0 (a thousandfold apart: 0)
batch size         1       likewise, on log10
dataset size       0.5     likewise, on log10
=================  ======  ===============================================================

A feature unknown on either side agrees by ``UNKNOWN`` (0.5): it neither pulls two tasks
together nor apart. A regime the advisor only defaulted (not given, not read) counts as unknown.
So a task given only as "vision" is at most moderately similar to any recipe, and a task that
matches a recipe's kind and scale is close to 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from advisor.corpus import Area, Recipe, all_recipes
from advisor.normalise import Reader, normalise
from advisor.task import Architecture, Domain, NormalisedTask, Regime
from advisor.text import read_description

A = Architecture
WEIGHTS: dict[str, float] = {
    "area": 3.0,
    "domain": 2.0,
    "architecture": 2.0,
    "regime": 2.0,
    "named_model": 2.0,
    "model_params": 1.5,
    "batch_size": 1.0,
    "dataset_size": 0.5,
}
UNKNOWN = 0.5
KIN = 0.6
#: Sizes this many decades apart agree not at all.
SIZE_DECADES = 3.0
#: Architectures that share their optimizer habits more than unrelated ones.
KIN_GROUPS: tuple[frozenset[Architecture], ...] = (
    frozenset({A.CNN, A.RESNET}),
    frozenset({A.VIT, A.TRANSFORMER}),
    frozenset({A.RNN, A.LSTM, A.GRU}),
    frozenset({A.UNET, A.DIFFUSION}),
)
#: Model families (and tuning methods) a description may name, which the task fields cannot
#: express, though their published optimizers differ (ConvNeXt vs ResNet: both "cnn").
NAMED_MODELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("resnet", r"\bres-?net|resnext"),
        ("vit", r"\bvit\b|vit-|vision transformer|\bdeit"),
        # ConvNeXt was trained with the Swin/DeiT recipe (its paper says so), hence one name.
        ("deit_recipe", r"\bswin|convnext|\bdeit"),
        # MobileNetV3 and EfficientNet share their search space and training recipe (MnasNet).
        ("mobile_convnet", r"efficientnet|mobilenet|mnasnet"),
        ("vgg", r"\bvgg"),
        ("lenet", r"\blenet"),
        ("unet", r"\bu-?net\b"),
        ("yolo", r"\byolo"),
        ("rcnn", r"r-cnn|retinanet"),
        ("detr", r"\bdetr\b"),
        ("bert", r"\bbert|roberta|electra"),
        ("gpt", r"\bgpt"),
        ("llama", r"llama|mistral|vicuna|alpaca"),
        ("t5", r"\bt5\b"),
        ("wav2vec", r"wav2vec|hubert"),
        ("conformer", r"conformer"),
        ("whisper", r"whisper"),
        ("dqn", r"\bdqn|rainbow"),
        ("ppo", r"\bppo\b"),
        ("actor_critic", r"actor-critic|\ba[23]c\b"),
        ("sac_td3", r"soft actor-critic|\bsac\b|\btd3\b|\bddpg\b"),
        ("dlrm", r"\bdlrm|criteo"),
        ("ctr", r"deepfm|wide ?& ?deep|deep ?& ?cross|\bdcn"),
        ("sequential_rec", r"sasrec|bert4rec"),
        ("retrieval", r"two-tower|retrieval"),
        ("gcn", r"\bgcn\b|graph convolutional"),
        ("gat", r"\bgat\b|graph attention"),
        ("sage", r"graphsage"),
        ("gin", r"\bgin\b|graph isomorphism"),
        ("tabnet", r"tabnet"),
        ("tab_transformer", r"ft-transformer|tabtransformer|\bsaint\b"),
        ("gan", r"\bgan\b|dcgan|stylegan|biggan|wgan"),
        ("diffusion", r"diffusion|ddpm|dreambooth"),
        ("lora", r"\bq?lora\b|adapter"),
        ("dpo", r"\bdpo\b|preference"),
        ("lstm_lm", r"lstm.*language model|language model.*lstm"),
    )
)
#: Words that mark detection/segmentation, LLM tuning and toy data sets, which the task fields
#: cannot express (English and Chinese, lower-cased).
_DETECTION = re.compile(r"detect|segment|coco|r-cnn|yolo|\bu-?net\b|检测|分割")
_LLM = re.compile(r"lora|llama|mistral|falcon|gpt-j|instruction|chat|alpaca|大模型|指令")
_TOY = re.compile(r"mnist|\blenet|digits|手写")
LLM_PARAMS = 1_000_000_000
SMALL_DATASET = 100_000


def area_of(task: NormalisedTask) -> Area | None:
    """The corpus area a task belongs to, from its fields (and a few words of its text)."""
    text = (task.description or "").lower()
    domain, arch = task.domain, task.architecture
    fine_tuning = task.regime is Regime.FINE_TUNING and not _defaulted(task, "regime")
    by_domain = {
        Domain.RL: Area.RL,
        Domain.SPEECH: Area.SPEECH,
        Domain.RECSYS: Area.RECSYS,
        Domain.GRAPH: Area.GRAPH,
        Domain.TABULAR: Area.TABULAR,
        Domain.GAN: Area.GAN_DIFFUSION,
    }
    if domain in by_domain:
        return by_domain[domain]
    if arch is A.DIFFUSION:
        return Area.GAN_DIFFUSION
    if arch in (A.RNN, A.LSTM, A.GRU):
        return Area.SMALL_CLASSIC
    # A data-set size read from text is not trusted here ("128 images per GPU" reads as 128).
    small = _TOY.search(text) is not None or (
        task.dataset_size is not None
        and task.dataset_size <= SMALL_DATASET
        and "dataset_size" not in task.inferred
    )
    if domain is Domain.NLP:
        large = task.model_params is not None and task.model_params >= LLM_PARAMS
        if fine_tuning:
            return Area.LLM_FINE_TUNING if large or _LLM.search(text) else Area.ENCODER_FINE_TUNING
        return Area.LM_TRANSLATION if domain is Domain.NLP and not small else Area.SMALL_CLASSIC
    if domain is Domain.VISION:
        if _DETECTION.search(text):
            return Area.DETECTION_SEGMENTATION
        if fine_tuning:
            return Area.ENCODER_FINE_TUNING
        if small or arch is A.MLP:
            return Area.SMALL_CLASSIC
        return Area.IMAGE_CLASSIFICATION
    return None


def named_models(text: str | None) -> frozenset[str]:
    """The model families a description names (see ``NAMED_MODELS``)."""
    lowered = (text or "").lower()
    return frozenset(name for name, pattern in NAMED_MODELS if pattern.search(lowered))


def _named(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return UNKNOWN
    return 1.0 if a & b else 0.0


def _defaulted(task: NormalisedTask, name: str) -> bool:
    inference = task.inferred.get(name)
    return inference is not None and inference.origin == "default"


def _same(a: object, b: object) -> float:
    if a is None or b is None:
        return UNKNOWN
    return 1.0 if a == b else 0.0


def _architecture(a: Architecture | None, b: Architecture | None) -> float:
    if a is None or b is None:
        return UNKNOWN
    if a == b:
        return 1.0
    return KIN if any(a in group and b in group for group in KIN_GROUPS) else 0.0


def _size(a: float | None, b: float | None) -> float:
    if a is None or b is None:
        return UNKNOWN
    return max(0.0, 1.0 - abs(a - b) / SIZE_DECADES)


def _log(value: int | None) -> float | None:
    return None if value is None else math.log10(value)


@dataclass(frozen=True)
class Profile:
    """What similarity compares, worked out once per task or recipe (advise stays fast)."""

    area: Area | None
    domain: Domain | None
    architecture: Architecture | None
    #: None when the advisor only defaulted it.
    regime: Regime | None
    named: frozenset[str]
    #: log10 of model_params, batch_size and dataset_size.
    sizes: tuple[float | None, float | None, float | None]

    @classmethod
    def of(cls, task: NormalisedTask, area: Area | None, named: frozenset[str]) -> Profile:
        return cls(
            area=area,
            domain=task.domain,
            architecture=task.architecture,
            regime=None if _defaulted(task, "regime") else task.regime,
            named=named,
            sizes=(_log(task.model_params), _log(task.batch_size), _log(task.dataset_size)),
        )


_TOTAL = sum(WEIGHTS.values())
_SIZE_WEIGHTS = (WEIGHTS["model_params"], WEIGHTS["batch_size"], WEIGHTS["dataset_size"])


def _agreement(a: Profile, b: Profile) -> float:
    total = (
        WEIGHTS["area"] * _same(a.area, b.area)
        + WEIGHTS["domain"] * _same(a.domain, b.domain)
        + WEIGHTS["architecture"] * _architecture(a.architecture, b.architecture)
        + WEIGHTS["regime"] * _same(a.regime, b.regime)
        + WEIGHTS["named_model"] * _named(a.named, b.named)
        + sum(w * _size(x, y) for w, x, y in zip(_SIZE_WEIGHTS, a.sizes, b.sizes, strict=True))
    )
    return round(total / _TOTAL, 4)


@dataclass(frozen=True)
class IndexedRecipe:
    """A recipe with its task as the advisor reads it (normalised once, when indexed)."""

    recipe: Recipe
    task: NormalisedTask
    named: frozenset[str] = frozenset()
    profile: Profile = field(init=False)

    def __post_init__(self) -> None:
        # The recipe's own area is known: it is the record's, not one read from its fields.
        object.__setattr__(self, "profile", Profile.of(self.task, self.recipe.area, self.named))


def similarity(
    task: NormalisedTask,
    area: Area | None,
    other: IndexedRecipe,
    named: frozenset[str] = frozenset(),
) -> float:
    """How alike ``task`` (of ``area``, naming ``named`` models) and a recipe are, 0..1 (see the
    module's table)."""
    return _agreement(Profile.of(task, area, named), other.profile)


@dataclass(frozen=True)
class RecipeIndex:
    """Recipes ready to be compared with tasks; ``without_source`` serves leave-one-out."""

    entries: tuple[IndexedRecipe, ...]

    @classmethod
    def build(cls, recipes: Iterable[Recipe], reader: Reader = read_description) -> RecipeIndex:
        return cls(
            tuple(
                IndexedRecipe(r, normalise(r.task, reader).task, named_models(r.task.description))
                for r in recipes
            )
        )

    def without_source(self, source_key: str) -> RecipeIndex:
        return RecipeIndex(tuple(e for e in self.entries if e.recipe.source_key != source_key))

    def nearest(self, task: NormalisedTask, k: int) -> list[tuple[float, IndexedRecipe]]:
        """The ``k`` most similar recipes, most similar first (ties: by id, so stable)."""
        query = Profile.of(task, area_of(task), named_models(task.description))
        scored = [(_agreement(query, entry.profile), entry) for entry in self.entries]
        scored.sort(key=lambda pair: (-pair[0], pair[1].recipe.id))
        return scored[:k]


@cache
def default_index() -> RecipeIndex:
    """The whole corpus, indexed once per process (read with the full text reader)."""
    return RecipeIndex.build(all_recipes())
