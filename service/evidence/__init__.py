"""Evidence from ended jobs: recorded per job (store), matched to a new task (similarity), and
turned into learned advice and warm-start trials (learned). See each module's docstring."""

from service.evidence.learned import Learned, WarmStart, learn
from service.evidence.similarity import THRESHOLD, Match, similarity
from service.evidence.store import EvidenceStore, PastJob

__all__ = [
    "THRESHOLD",
    "EvidenceStore",
    "Learned",
    "Match",
    "PastJob",
    "WarmStart",
    "learn",
    "similarity",
]
