"""What the reader says about a text, as plain data a table of cases can state exactly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from advisor.text import TextReading, read_description

#: Every field a reading may set (all but evidence and language).
READ_FIELDS: tuple[str, ...] = tuple(
    name for name in TextReading.model_fields if name not in ("evidence", "language")
)


def fields_set(reading: TextReading) -> dict[str, Any]:
    """The fields the reading set, as JSON values (enums as strings, tuples as lists, the
    current config without its unset values)."""
    dumped = reading.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    return {name: value for name, value in dumped.items() if name in READ_FIELDS}


def said(text: str, fields: Iterable[str] = READ_FIELDS) -> dict[str, tuple[Any, str]]:
    """{field: (value, evidence)} for the given fields the reader set from ``text``."""
    reading = read_description(text)
    values = fields_set(reading)
    return {name: (values[name], reading.evidence[name]) for name in fields if name in values}
