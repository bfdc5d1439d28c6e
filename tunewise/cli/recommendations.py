"""``tunewise recommendations``: the best-known configs for a kind of task (the best trials of
your ended jobs of that kind, then the advisor's defaults), over HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import click

from advisor.task import Architecture, Domain, Regime
from tunewise.cli.connection import api_options, connect
from tunewise.wire.models import Recommendations


@click.command(
    "recommendations",
    help="Best-known configs for a kind of task: your ended jobs first, then the advisor. "
    "Give a DESCRIPTION, --domain, or both.",
)
@click.argument("description", required=False)
@click.option("--domain", type=click.Choice([d.value for d in Domain]), default=None)
@click.option("--architecture", type=click.Choice([a.value for a in Architecture]), default=None)
@click.option("--regime", type=click.Choice([r.value for r in Regime]), default=None)
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the Recommendations JSON only.")
@api_options
def recommendations(
    *,
    description: str | None,
    domain: str | None,
    architecture: str | None,
    regime: str | None,
    limit: int,
    as_json: bool,
    api_url: str,
    token: str | None,
    data_dir: Path,
) -> None:
    if description is None and domain is None:
        raise click.UsageError(
            "say what the task is: a DESCRIPTION (e.g. 'fine-tune bert on reviews') or --domain "
            f"(one of {', '.join(d.value for d in Domain)})"
        )
    with connect(api_url, token, data_dir) as client:
        found = client.recommendations(
            description=description,
            domain=Domain(domain) if domain else None,
            architecture=Architecture(architecture) if architecture else None,
            regime=Regime(regime) if regime else None,
            limit=limit,
        )
    if as_json:
        click.echo(found.model_dump_json(indent=2))
        return
    click.echo(f"best-known configs for {_kind_text(found)}:")
    for rank, item in enumerate(found.items, start=1):
        click.echo(f"{rank}. {item.config.optimizer.value}: {item.detail}")
        click.echo(f"   {json.dumps(item.config.model_dump(mode='json', exclude_none=True))}")
    click.echo("train one with `tunewise train --workload NAME --config '<the JSON line>'`")


def _kind_text(found: Recommendations) -> str:
    kind = found.kind
    parts = (
        kind.domain.value if kind.domain else "any domain",
        kind.architecture.value if kind.architecture else "any architecture",
        kind.regime.value if kind.regime else "any regime",
    )
    return " / ".join(parts)
