"""Plot builders: plotly figures made on the server from compact summaries of a job."""

from service.dashboard.plots.families import (
    FamilyResult,
    family_best,
    family_results,
    learning_curves,
)
from service.dashboard.plots.params import importance, lr_vs_value, parallel_coordinates
from service.dashboard.plots.progress import best_so_far, improvements
from service.dashboard.plots.style import FAMILY_COLOURS, colour_of, to_json

__all__ = [
    "FAMILY_COLOURS",
    "FamilyResult",
    "best_so_far",
    "colour_of",
    "family_best",
    "family_results",
    "importance",
    "improvements",
    "learning_curves",
    "lr_vs_value",
    "parallel_coordinates",
    "to_json",
]
