"""A corpus of published training recipes: data with provenance that the advisor is scored on
and calibrated against (leave one source out)."""

from advisor.corpus.base import Area, Citation, Recipe

__all__ = ["Area", "Citation", "Recipe"]
