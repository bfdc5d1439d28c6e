"""``tunewise worker``: lease trials from an API over HTTP and train them on this machine."""

from __future__ import annotations

import logging
import sys
import threading

import click
from pydantic import SecretStr, ValidationError

from workers.agent import WorkerSettings

DEVICES = ("auto", "cuda", "cpu")


def _split_names(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--workloads a,b --workloads c`` → (a, b, c)."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


def _configure_logging(name: str, level: str) -> logging.Logger:
    logging.basicConfig(
        level=level.upper(),
        format=f"%(asctime)s worker {name.replace('%', '%%')} %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    # One line per HTTP request drowns what matters; the agent logs what it does itself.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return logging.getLogger("tunewise.worker")


@click.command(
    "worker",
    help=(
        "Lease trials from a tunewise API and train them here, one process per visible GPU "
        "(CUDA_VISIBLE_DEVICES is respected), or one CPU process. Needs the API's URL and a "
        "token; never database credentials. SIGTERM stops at the next step."
    ),
)
@click.option(
    "--api",
    "api_url",
    envvar="TUNEWISE_API_URL",
    required=True,
    help="Base URL of the API, e.g. http://tuning-head:8000 (or $TUNEWISE_API_URL).",
)
@click.option(
    "--token",
    envvar="TUNEWISE_API_TOKEN",
    default=None,
    show_envvar=True,
    help="API token (`tunewise token create --scope worker` on the API's machine makes one). "
    "Prefer the environment variable: a command line is visible to every user of the machine.",
)
@click.option(
    "--device",
    type=click.Choice(DEVICES),
    default="auto",
    show_default=True,
    help="auto: CUDA when available, else the CPU.",
)
@click.option(
    "--workloads",
    multiple=True,
    metavar="NAME[,NAME...]",
    help="Only lease trials of these workloads (default: every workload installed here).",
)
@click.option("--name", default=None, help="How this worker shows in the trial list.")
@click.option(
    "--single",
    is_flag=True,
    help="Run one process even when several GPUs are visible (it trains on the first).",
)
@click.option(
    "--idle-poll",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds to wait before asking again when no trial is due; the wait grows to 4x "
    "while nothing is.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
def worker(
    *,
    api_url: str,
    token: str | None,
    device: str,
    workloads: tuple[str, ...],
    name: str | None,
    single: bool,
    idle_poll: float,
    log_level: str,
) -> None:
    try:
        settings = WorkerSettings(
            api_url=api_url,
            token=SecretStr(token) if token else None,
            device=device,
            workloads=_split_names(workloads),
            idle_poll_s=idle_poll,
            **({"name": name} if name else {}),
        )
    except ValidationError as exc:
        raise click.UsageError(_first_error(exc)) from exc
    log = _configure_logging(settings.name, log_level)
    sys.exit(_serve(settings, single=single, log_level=log_level, log=log))


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error["loc"]) or "value"
    return f"{field}: {error['msg']}"


def _serve(settings: WorkerSettings, *, single: bool, log_level: str, log: logging.Logger) -> int:
    # Imported here: torch loads only for a worker that is really going to train.
    from tunewise.local_workers import visible_gpus
    from workers.agent import EXIT_MISCONFIGURED, WorkerSetupError, run_worker, stop_on_signals
    from workers.agent.harness import HarnessTrainer

    stop = threading.Event()
    stop_on_signals(stop, log)
    try:
        trainer = HarnessTrainer.for_device(settings.device, log=log)
    except WorkerSetupError as exc:
        log.error("%s", exc)
        return EXIT_MISCONFIGURED
    gpus = visible_gpus(probe=lambda: trainer.cuda_device_count)
    if not single and len(gpus) > 1:
        return _fan_out(settings, gpus, log_level, stop, log)
    return run_worker(settings, trainer, stop, log)


def _fan_out(
    settings: WorkerSettings,
    gpus: tuple[str, ...],
    log_level: str,
    stop: threading.Event,
    log: logging.Logger,
) -> int:
    """Several GPUs: one child worker per GPU, each seeing only its own."""
    from tunewise.local_workers import LocalWorkers, WorkerSlot

    slots = tuple(WorkerSlot(f"{settings.name}/gpu{gpu}", gpu) for gpu in gpus)
    extra = ["--single", "--log-level", log_level, "--idle-poll", str(settings.idle_poll_s)]
    if settings.workloads:
        extra += ["--workloads", ",".join(settings.workloads)]
    log.info("%d GPUs visible: starting one worker process per GPU", len(gpus))
    with LocalWorkers(
        api_url=settings.api_url,
        token=settings.token.get_secret_value() if settings.token else None,
        slots=slots,
        extra_args=tuple(extra),
        log=log,
    ):
        stop.wait()
    return 0
