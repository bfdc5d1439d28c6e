"""``tunewise cancel JOB_ID``: stop a job from handing out trials, over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from tunewise.cli.connection import api_options, connect


@click.command("cancel", help="Cancel a job: no new trials; running ones may still finish.")
@click.argument("job_id")
@click.option("--json", "as_json", is_flag=True, help="Print the Job JSON only.")
@api_options
def cancel(*, job_id: str, as_json: bool, api_url: str, token: str | None, data_dir: Path) -> None:
    with connect(api_url, token, data_dir) as client:
        job = client.cancel_job(job_id)
    if as_json:
        click.echo(job.model_dump_json(indent=2))
        return
    p = job.progress
    click.echo(
        f"job {job.id} {job.state.value}" + (f": {job.ended_reason}" if job.ended_reason else "")
    )
    click.echo(
        f"  trials: {p.finished}/{p.n_trials} finished, {p.running} still running"
        + (f"; best so far {job.best.value:.6g}" if job.best else "")
    )
    click.echo(f"see the best config with `tunewise jobs {job.id}`")
