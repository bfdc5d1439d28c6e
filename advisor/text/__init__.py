"""Free-text reader (English and Chinese): fills TaskDescription fields from a description."""

from advisor.text.reading import TextReading


def read_description(text: str) -> TextReading:
    """PLACEHOLDER until the reader lands: recognises nothing."""
    return TextReading()


__all__ = ["TextReading", "read_description"]
