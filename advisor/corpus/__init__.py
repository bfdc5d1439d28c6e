"""A corpus of published training recipes: data with provenance that the advisor is scored on
and calibrated against (leave one source out).

Records live in ``advisor.corpus.recipes.<area>``, one module per area, each exporting
``RECIPES``. ``ALL_RECIPES`` gathers every area module that exists; an area whose module is not
written yet is simply absent (its records count as zero), so the loader never blocks on one area.

The records load on first use of ``ALL_RECIPES`` (PEP 562), not on import: ``advisor.advice``
imports this package for the evidence model, and a record module may import from ``advisor``.
"""

from __future__ import annotations

import importlib
from functools import cache

from advisor.corpus.base import Area, Citation, Recipe

#: The area modules, in the order their records are gathered (one per ``Area``).
AREA_MODULES: tuple[str, ...] = tuple(area.value for area in Area)
PACKAGE = "advisor.corpus.recipes"


def load_recipes(modules: tuple[str, ...] = AREA_MODULES) -> tuple[Recipe, ...]:
    """Every record of the named area modules; a module not there yet contributes none.

    Only the area module itself may be missing: an import error inside a module that exists
    (a typo, a missing name) is raised, so a broken area never disappears silently."""
    gathered: list[Recipe] = []
    for name in modules:
        qualified = f"{PACKAGE}.{name}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as error:
            if error.name != qualified:
                raise
            continue
        records = getattr(module, "RECIPES")  # noqa: B009 -- the name is the module's contract
        if not isinstance(records, tuple) or not all(isinstance(r, Recipe) for r in records):
            raise TypeError(f"{qualified}.RECIPES must be a tuple of Recipe")
        gathered.extend(records)
    return tuple(gathered)


@cache
def all_recipes() -> tuple[Recipe, ...]:
    """Every published recipe the advisor knows, all areas together (loaded once)."""
    return load_recipes()


#: Every published recipe the advisor knows (declared for type checkers; see ``__getattr__``).
ALL_RECIPES: tuple[Recipe, ...]


def __getattr__(name: str) -> tuple[Recipe, ...]:
    if name == "ALL_RECIPES":
        return all_recipes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ALL_RECIPES",
    "AREA_MODULES",
    "Area",
    "Citation",
    "Recipe",
    "all_recipes",
    "load_recipes",
]
