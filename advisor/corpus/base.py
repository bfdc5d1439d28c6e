"""What a published training recipe is: the task as a person would describe it, the published
optimizer settings, and a citation precise enough to check.

Records are data with provenance. Every number in a record was read in the cited source; the
``quote`` holds the words (or table cells) it was read from, so a reader can find them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.config import ScheduleName
from advisor.families import OptimizerName
from advisor.task import TaskDescription


class Area(StrEnum):
    """The kinds of task the corpus covers; at least 6 records from 3 sources each."""

    IMAGE_CLASSIFICATION = "image_classification"
    DETECTION_SEGMENTATION = "detection_segmentation"
    LM_TRANSLATION = "lm_translation"  # transformer language models and translation, from scratch
    ENCODER_FINE_TUNING = "encoder_fine_tuning"  # BERT, RoBERTa, ViT fine-tuning
    LLM_FINE_TUNING = "llm_fine_tuning"  # LoRA/QLoRA and full fine-tuning of 1B-70B LMs
    RECSYS = "recsys"
    RL = "rl"
    SPEECH = "speech"
    GAN_DIFFUSION = "gan_diffusion"
    GRAPH = "graph"
    TABULAR = "tabular"
    SMALL_CLASSIC = "small_classic"  # MNIST-size nets, LSTM language models


class Citation(BaseModel):
    """Where the numbers were read: a paper with its table or section, or a repository file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Paper title or repository name, as a reader would search for it.
    title: str = Field(min_length=3)
    #: A page the reader can open: arXiv abstract, proceedings page, repository file on GitHub.
    url: str = Field(pattern=r"^https://\S+$")
    #: Where in it: "Table 9", "Section 4.2", "Appendix B.1", "configs/resnet50.yaml".
    where: str = Field(min_length=2)
    #: The words or table cells the numbers were read from, verbatim (trimmed with "...").
    quote: str = Field(min_length=10, max_length=800)


PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Unit = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]


class Recipe(BaseModel):
    """One published training recipe."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Unique slug, e.g. "resnet50-imagenet-goyal".
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,80}$")
    area: Area
    #: Groups records for leave-one-source-out: every record read from one paper or one
    #: repository shares its key ("arxiv:1512.03385", "github:huggingface/transformers").
    source_key: str = Field(pattern=r"^[a-z]+:\S+$")
    #: The task in TaskDescription fields, ``description`` written as a new user would say it,
    #: never naming the optimizer or its settings.
    task: TaskDescription
    #: The published optimizer as our family (SGD with momentum 0.9 is ``momentum``).
    optimizer: OptimizerName
    #: As the source names it, when our family is a close stand-in ("LAMB", "row-wise Adagrad").
    published_optimizer: str | None = None
    #: Peak learning rate, as used (after any batch scaling the source states).
    lr: PositiveFloat
    weight_decay: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    momentum: Unit | None = None
    beta1: Unit | None = None
    beta2: Unit | None = None
    eps: PositiveFloat | None = None
    schedule: ScheduleName | None = None
    #: Warm-up as a fraction of all steps when the source lets it be computed.
    warmup_fraction: Annotated[float, Field(ge=0, le=0.5)] | None = None
    #: Warm-up as the source states it ("5 epochs", "10k steps").
    warmup: str | None = Field(default=None, max_length=60)
    batch_size: Annotated[int, Field(ge=1)] | None = None
    citation: Citation

    @model_validator(mode="after")
    def _description_does_not_give_the_answer(self) -> Self:
        text = (self.task.description or "").lower()
        for name in ("adam", "sgd", "momentum", "adagrad", "rmsprop", "learning rate", " lr "):
            if name in f" {text} ":
                raise ValueError(
                    f"recipe {self.id}: the task description names {name.strip()!r}; describe "
                    "the task as a new user would, without the optimizer or its settings"
                )
        return self
