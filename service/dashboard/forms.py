"""Reading what a browser sends: urlencoded form bodies (parsed here, so the dashboard needs
no multipart library) and optional query values where an empty string means "any"."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar
from urllib.parse import parse_qs

from starlette.requests import Request

from service.errors import InvalidInputError, PayloadTooLargeError

EnumT = TypeVar("EnumT", bound=StrEnum)
#: A dashboard form is a task description and a few fields; the API's limit is larger.
MAX_FORM_BYTES = 64 * 1024


async def read_form(request: Request) -> dict[str, list[str]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind != "application/x-www-form-urlencoded":
        raise InvalidInputError(
            f"expected a form (application/x-www-form-urlencoded), got {kind!r}"
        )
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise PayloadTooLargeError(f"the form is larger than {MAX_FORM_BYTES} bytes")
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as exc:
        raise InvalidInputError("the form is not valid UTF-8") from exc


def first(form: dict[str, list[str]], name: str) -> str | None:
    """The field's first value, stripped; None when missing or blank."""
    values = form.get(name)
    value = values[0].strip() if values else ""
    return value or None


def optional_enum(kind: type[EnumT], value: str | None, field: str) -> EnumT | None:
    if value is None or not value.strip():
        return None
    try:
        return kind(value.strip())
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InvalidInputError(
            f"{field} must be one of {allowed}, not {value!r}", field=field
        ) from None


def optional_int(value: str | None, field: str, low: int = 1, high: int = 10**13) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        number = int(value)
    except ValueError:
        raise InvalidInputError(
            f"{field} must be a whole number, not {value!r}", field=field
        ) from None
    if not low <= number <= high:
        raise InvalidInputError(f"{field} must be between {low} and {high}", field=field)
    return number
