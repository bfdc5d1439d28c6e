"""``tunewise worker``: lease trials from an API over HTTP and train them on this machine."""

from __future__ import annotations

import logging
import sys
import threading
from typing import TYPE_CHECKING, Literal

import click
from pydantic import SecretStr, ValidationError

from workers.agent import WorkerSettings

if TYPE_CHECKING:  # torch loads only for a worker that is really going to train
    from workers.agent.harness import HarnessTrainer

DEVICES = ("auto", "cuda", "cpu")
#: ``--batch``'s largest K: what one lease call may ask for (tunewise.wire.models.MAX_LEASE_COUNT).
MAX_BATCH = 64


def _batch_size(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> int | Literal["auto"] | None:
    """``--batch``: None, ``auto`` or K in 1..64."""
    if value is None:
        return None
    if value == "auto":
        return "auto"
    if value.isdigit() and 1 <= int(value) <= MAX_BATCH:
        return int(value)
    raise click.BadParameter(f"give auto or a whole number from 1 to {MAX_BATCH}, not {value!r}")


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
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes to run here (default: one per visible GPU, else one). More "
    "processes than GPUs share them round-robin; on a CPU-only machine each process trains "
    "on its share of the cores.",
)
@click.option(
    "--batch",
    metavar="K|auto",
    default=None,
    callback=_batch_size,
    help="Lease up to K trials in one call and train them together as one stacked model "
    "(trials of one workload and update rule; the rest train alone). auto: as many as fit in "
    "half the free memory for the largest batchable workload leased, at most 32 on the CPU "
    "and 64 on a GPU. Reports go out once per epoch for the whole batch.",
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
    "--check",
    is_flag=True,
    help="Check that the API answers /readyz and accepts the token, then exit: 0 when it "
    "does, 1 when not (the worker container's healthcheck). Trains nothing.",
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
    processes: int | None,
    idle_poll: float,
    batch: int | Literal["auto"] | None,
    check: bool,
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
    if check:
        sys.exit(_check(settings))
    log = _configure_logging(settings.name, log_level)
    sys.exit(
        _serve(
            settings,
            single=single,
            processes=processes,
            batch=batch,
            log_level=log_level,
            log=log,
        )
    )


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error["loc"]) or "value"
    return f"{field}: {error['msg']}"


def _check(settings: WorkerSettings, timeout_s: float = 5.0) -> int:
    """One authenticated GET /readyz: what a worker needs from the API, without leasing.
    The answer goes to stdout, where `docker inspect` shows a healthcheck's output."""
    import httpx

    headers = {}
    if settings.token is not None:
        headers["Authorization"] = f"Bearer {settings.token.get_secret_value()}"
    url = f"{settings.api_url.rstrip('/')}/readyz"
    try:
        response = httpx.get(url, headers=headers, timeout=timeout_s)
    except httpx.HTTPError as exc:
        click.echo(f"unhealthy: {url} unreachable ({type(exc).__name__}: {exc})")
        return 1
    if response.status_code in (401, 403):
        click.echo(f"unhealthy: {url} refused the token ({response.status_code})")
        return 1
    if response.status_code != 200:
        click.echo(f"unhealthy: {url} answered {response.status_code}: {response.text[:200]}")
        return 1
    click.echo(f"healthy: {url} is ready and accepts the token")
    return 0


def _serve(
    settings: WorkerSettings,
    *,
    single: bool,
    processes: int | None,
    batch: int | Literal["auto"] | None = None,
    log_level: str,
    log: logging.Logger,
) -> int:
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
    count = processes or len(gpus) or 1
    if not single and count > 1:
        return _fan_out(
            settings, gpus, count=count, batch=batch, log_level=log_level, stop=stop, log=log
        )
    if batch is not None:
        return _serve_batched(settings, trainer, batch, stop, log)
    return run_worker(settings, trainer, stop, log)


def _serve_batched(
    settings: WorkerSettings,
    trainer: HarnessTrainer,
    batch: int | Literal["auto"],
    stop: threading.Event,
    log: logging.Logger,
) -> int:
    """``--batch``: the batched loop (workers.agent.batched), K sized here when ``auto``."""
    from workers.agent import run_batched_worker
    from workers.agent.batched_harness import HarnessBatchTrainer

    batched = HarnessBatchTrainer(trainer.registry, trainer.device, log)
    if batch == "auto":
        batch = batched.auto_batch(settings.workloads or trainer.workloads())
        log.info("--batch auto: up to %d trials at a time on %s", batch, trainer.device)
    return run_batched_worker(settings, batched, batch, stop, log)


def _fan_out(
    settings: WorkerSettings,
    gpus: tuple[str, ...],
    *,
    count: int,
    batch: int | Literal["auto"] | None,
    log_level: str,
    stop: threading.Event,
    log: logging.Logger,
) -> int:
    """Several processes: one child worker per GPU by default, each seeing only its own."""
    from tunewise.local_workers import LocalWorkers, WorkerSlot, plan_slots

    one_per_gpu = count == len(gpus)
    slots = tuple(
        WorkerSlot(f"{settings.name}/{f'gpu{slot.gpu}' if one_per_gpu else i}", slot.gpu)
        for i, slot in enumerate(plan_slots(count, gpus))
    )
    extra = ["--single", "--log-level", log_level, "--idle-poll", str(settings.idle_poll_s)]
    if settings.workloads:
        extra += ["--workloads", ",".join(settings.workloads)]
    if batch is not None:  # each child sizes auto itself, on its own GPU
        extra += ["--batch", str(batch)]
    log.info("%d GPUs visible: starting %d worker processes", len(gpus), len(slots))
    with LocalWorkers(
        api_url=settings.api_url,
        token=settings.token.get_secret_value() if settings.token else None,
        slots=slots,
        extra_args=tuple(extra),
        log=log,
    ) as children:
        # Until SIGTERM, or until no child is left: the supervisor parks a child that exited
        # cleanly, refused its configuration (a bad token) or kept dying at start.
        while not stop.wait(0.2):
            if children.all_exited.is_set():
                return _children_status(children.exit_codes(), log)
    return 0


def _children_status(codes: dict[str, int], log: logging.Logger) -> int:
    """The parent's exit status once every child has exited: the first failure's, else 0."""
    failures = {name: code for name, code in codes.items() if code != 0}
    listed = ", ".join(f"{name} with {code}" for name, code in sorted(codes.items()))
    if not failures:
        log.info("every worker process exited cleanly (%s)", listed)
        return 0
    log.error("every worker process exited (%s); their errors are above", listed)
    return next(iter(sorted(failures.items())))[1]
