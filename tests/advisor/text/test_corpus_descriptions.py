"""The reader against the recipe corpus: every record's description is a realistic user text
and its structured fields say what that text means, so where both state a number or a domain
they must agree.

Where the text is silent, or names something the record leaves unset (a size implied by
"ImageNet", "ImageNet-pretrained" read as fine-tuning), nothing is asserted: those are not
misreads. Architecture is not asserted either: a detector's text names both the detector and
its backbone ("Faster R-CNN with a ResNet-50 FPN"), and records choose one or the other.

``python -m tests.advisor.text.test_corpus_descriptions`` prints every difference, silent
ones included, as a table.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum

import pytest

from advisor.corpus import ALL_RECIPES, Recipe
from advisor.text import read_description

#: Numbers a description states: "about 390k steps" for 390,625 is the same statement, and a
#: model's nominal size rounds more ("7B" for LLaMA's 6.7 billion).
NUMBERS = ("dataset_size", "batch_size", "epochs", "steps", "model_params")
ROUNDING = {"model_params": 0.1}
DEFAULT_ROUNDING = 0.02
FIELDS = (*NUMBERS, "domain", "architecture", "regime")
ASSERTED = (*NUMBERS, "domain")


@dataclass(frozen=True)
class Difference:
    recipe: str
    field: str
    record: object
    read: object
    evidence: str


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def _same(field: str, record: object, read: object) -> bool:
    if field in NUMBERS and isinstance(record, int) and isinstance(read, int):
        return abs(record - read) <= ROUNDING.get(field, DEFAULT_ROUNDING) * max(record, read)
    return record == read


def differences(recipe: Recipe, *, silent_too: bool = False) -> list[Difference]:
    """Where the reading of the record's description differs from its fields."""
    task = recipe.task
    reading = read_description(task.description or "")
    found = []
    for field in FIELDS:
        record, read = _plain(getattr(task, field)), _plain(getattr(reading, field))
        if read is None and (record is None or not silent_too):
            continue
        if record is not None and read is not None and _same(field, record, read):
            continue
        evidence = reading.evidence.get(field, "")
        found.append(Difference(recipe.id, field, record, read, evidence))
    return found


RECIPES_WITH_TEXT = [recipe for recipe in ALL_RECIPES if recipe.task.description]


def test_the_corpus_has_descriptions_to_read() -> None:
    assert len(RECIPES_WITH_TEXT) >= 100


@pytest.mark.parametrize("recipe", RECIPES_WITH_TEXT, ids=[r.id for r in RECIPES_WITH_TEXT])
def test_what_a_description_states_agrees_with_its_record(recipe: Recipe) -> None:
    contradicted = [
        difference
        for difference in differences(recipe)
        if difference.field in ASSERTED and difference.record is not None
    ]
    assert contradicted == []


def main() -> None:
    rows = [d for recipe in RECIPES_WITH_TEXT for d in differences(recipe, silent_too=True)]
    print(f"{len(RECIPES_WITH_TEXT)} descriptions, {len(rows)} differences")
    print("recipe | field | record | read | evidence")
    for row in rows:
        print(f"{row.recipe} | {row.field} | {row.record} | {row.read} | {row.evidence}")


if __name__ == "__main__":
    main()
    sys.exit(0)
