"""Made-up recipes for specifying the corpus machinery (never part of the corpus itself)."""

from __future__ import annotations

from typing import Any

from advisor.corpus import Area, Citation, Recipe
from advisor.families import OptimizerName
from advisor.task import TaskDescription


def recipe(
    rid: str,
    optimizer: str,
    lr: float,
    *,
    weight_decay: float | None = None,
    area: Area = Area.IMAGE_CLASSIFICATION,
    source: str = "test:a",
    **task: Any,
) -> Recipe:
    fields = {
        "description": f"made-up task {rid}",
        "domain": "vision",
        "architecture": "resnet",
        "regime": "from_scratch",
    } | task
    return Recipe(
        id=rid,
        area=area,
        source_key=source,
        task=TaskDescription(**fields),
        optimizer=OptimizerName(optimizer),
        lr=lr,
        weight_decay=weight_decay,
        citation=Citation(
            title=f"Made-up paper {rid}",
            url=f"https://example.org/{rid}",
            where="Table 1",
            quote="made-up words for a test",
        ),
    )
