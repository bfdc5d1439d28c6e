"""``--dim NAME=SPEC``: the user's own search dimensions on the command line.

--dim dropout=float:0:0.5          a number from 0 to 0.5
--dim lr_head=float:1e-5:1e-2:log  log scale
--dim width=float:0.5:2:step=0.25  on a grid
--dim hidden=int:32:256:log        an integer, log scale (or :step=N)
--dim batch_size=cat:32,64,128     one of these (numbers, true/false, or words)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click
from pydantic import ValidationError

from tunewise.wire.models import JobCreate

HELP = (
    "Search a dimension of your own beside the optimizer's, as NAME=float:LOW:HIGH[:log|:step=S], "
    "NAME=int:LOW:HIGH[:log|:step=N] or NAME=cat:A,B,C; repeat for more. Leases carry each "
    "value in params, e.g. --dim dropout=float:0:0.5 --dim hidden=int:32:256:log "
    "--dim batch_size=cat:32,64,128."
)
_KINDS = {"float": "float", "int": "int", "cat": "categorical", "categorical": "categorical"}


def parse_dim(text: str) -> tuple[str, dict[str, Any]]:
    """``dropout=float:0:0.5`` → ``("dropout", {"type": "float", "low": 0.0, "high": 0.5})``;
    ranges and names are checked by the wire's models, not here."""
    name, equals, spec = text.partition("=")
    kind, _, rest = spec.partition(":")
    if not equals or not name or kind not in _KINDS:
        raise click.BadParameter(
            f"{text!r}: write NAME=float:LOW:HIGH, NAME=int:LOW:HIGH or NAME=cat:A,B,C",
            param_hint="--dim",
        )
    if _KINDS[kind] == "categorical":
        return name, {"type": "categorical", "choices": [_choice(c) for c in rest.split(",")]}
    parts = rest.split(":")
    if len(parts) not in (2, 3):
        raise click.BadParameter(
            f"{text!r}: a {kind} needs LOW:HIGH, then optionally :log or :step=S",
            param_hint="--dim",
        )
    number = float if kind == "float" else int
    try:
        dimension: dict[str, Any] = {
            "type": kind,
            "low": number(parts[0]),
            "high": number(parts[1]),
        }
        if len(parts) == 3:
            scale, _, step = parts[2].partition("=")
            if scale == "log" and not step:
                dimension["log"] = True
            elif scale == "step" and step:
                dimension["step"] = number(step)
            else:
                raise ValueError(f"{parts[2]!r} is neither log nor step=S")
    except ValueError as exc:
        raise click.BadParameter(f"{text!r}: {exc}", param_hint="--dim") from exc
    return name, dimension


def with_dims(spec: JobCreate, dims: Sequence[str]) -> JobCreate:
    """The job with the ``--dim`` dimensions added to (or replacing same-named ones of) the
    file's; the whole job is validated again, so a bad range is named as the API would."""
    if not dims:
        return spec
    given = dict(parse_dim(d) for d in dims)
    body = spec.model_dump(mode="json", exclude_unset=True)
    body["dimensions"] = {**body.get("dimensions", {}), **given}
    try:
        return JobCreate.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise click.BadParameter(problems, param_hint="--dim") from exc


def _choice(text: str) -> bool | int | float | str:
    if text in ("true", "false"):
        return text == "true"
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            continue
    return text
