"""Free-text reader (English and Chinese): fills TaskDescription fields from a description."""

from advisor.text.pipeline import read
from advisor.text.reading import TextReading


def read_description(text: str) -> TextReading:
    """Read what ``text`` says about a training task. Pure, deterministic and total: any
    string gives a TextReading (texts past 4000 characters are read up to there)."""
    return read(text)


__all__ = ["TextReading", "read_description"]
