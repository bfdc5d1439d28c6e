"""The local worker supervisor of ``tunewise serve``: one worker per visible GPU (else one CPU
worker), the token passed in the environment, crashed workers restarted, clean exits and bad
configurations left alone, and every worker stopped on the way out.

The workers here are real child processes: a stand-in executable takes the place of the
Python interpreter, records how it was started and behaves as each test asks."""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tunewise.local_workers import (
    LocalWorkers,
    RestartPolicy,
    WorkerSlot,
    count_cuda_devices,
    plan_slots,
    visible_gpus,
)

FAKE_WORKER = """#!/bin/bash
# Signal handling is set up before the start is recorded: a test that saw the start may stop it.
case "$FAKE_BEHAVIOUR" in
  stubborn) trap '' TERM ;;
  *) trap 'echo "$$" >> "$RECORD_DIR/terminated"; exit 0' TERM ;;
esac
env > "$RECORD_DIR/env.$$"
echo "$$ $*" >> "$RECORD_DIR/starts"
case "$FAKE_BEHAVIOUR" in
  crash) exit 1 ;;
  done) exit 0 ;;
  misconfigured) exit 2 ;;
esac
while true; do sleep 0.05; done
"""


def executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def record_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RECORD_DIR", str(tmp_path))
    return tmp_path


def starts(record_dir: Path) -> list[str]:
    path = record_dir / "starts"
    return path.read_text().splitlines() if path.exists() else []


def environment_of(record_dir: Path, pid: str) -> dict[str, str]:
    lines = (record_dir / f"env.{pid}").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def supervisor(record_dir: Path, slots: tuple[WorkerSlot, ...]) -> LocalWorkers:
    return LocalWorkers(
        api_url="http://127.0.0.1:8123",
        token="s3cret-token",
        slots=slots,
        extra_args=("--idle-poll", "0.5"),
        policy=RestartPolicy(first_delay_s=0.05, max_delay_s=0.2, max_quick_deaths=3),
        python=str(executable(record_dir / "python", FAKE_WORKER)),
        poll_s=0.02,
    )


# -- planning -----------------------------------------------------------------------------


def test_one_worker_per_gpu_by_default_else_one_cpu_worker() -> None:
    assert plan_slots(None, ("0", "1")) == (WorkerSlot("local-0", "0"), WorkerSlot("local-1", "1"))
    assert plan_slots(None, ()) == (WorkerSlot("local-0", None),)


def test_a_requested_count_overrides_and_shares_gpus_round_robin() -> None:
    assert [s.gpu for s in plan_slots(3, ("0", "1"))] == ["0", "1", "0"]
    assert [s.device for s in plan_slots(2, ())] == ["cpu", "cpu"]
    assert plan_slots(0, ("0",)) == ()
    with pytest.raises(ValueError, match="0 or more"):
        plan_slots(-1, ())


def test_cuda_visible_devices_is_respected() -> None:
    env = {"CUDA_VISIBLE_DEVICES": "GPU-aaaa, 3"}
    assert visible_gpus(env, probe=lambda: 2) == ("GPU-aaaa", "3")
    assert visible_gpus({"CUDA_VISIBLE_DEVICES": "2,3,5"}, probe=lambda: 1) == ("2",)
    assert visible_gpus({}, probe=lambda: 2) == ("0", "1")
    assert visible_gpus({"CUDA_VISIBLE_DEVICES": "0"}, probe=lambda: 0) == ()


def test_gpus_are_counted_in_a_child_process_only_where_a_driver_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_python = executable(tmp_path / "python", "#!/bin/bash\necho 2\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert count_cuda_devices(python=str(fake_python)) == 0  # no nvidia-smi: not even asked
    executable(tmp_path / "nvidia-smi", "#!/bin/bash\nexit 0\n")
    assert count_cuda_devices(python=str(fake_python)) == 2
    broken = executable(tmp_path / "broken", "#!/bin/bash\necho 'ImportError'; exit 1\n")
    assert count_cuda_devices(python=str(broken)) == 0


# -- running ------------------------------------------------------------------------------


def test_workers_get_the_api_and_device_on_the_command_line_and_the_token_in_the_environment(
    record_dir: Path,
) -> None:
    slots = (WorkerSlot("local-0", "GPU-aaaa"), WorkerSlot("local-1", None))
    with supervisor(record_dir, slots) as workers:
        wait_until(lambda: len(starts(record_dir)) == 2)
        pids = workers.pids()
    lines = sorted(starts(record_dir), key=lambda line: "local-1" in line)
    command = "-m tunewise worker --api http://127.0.0.1:8123 --device cuda --name local-0"
    assert lines[0].endswith(f"{command} --idle-poll 0.5")
    assert "--device cpu --name local-1" in lines[1]
    assert all("s3cret-token" not in line for line in lines)
    gpu_env, cpu_env = (environment_of(record_dir, line.split()[0]) for line in lines)
    assert gpu_env["TUNEWISE_API_TOKEN"] == cpu_env["TUNEWISE_API_TOKEN"] == "s3cret-token"
    assert gpu_env["CUDA_VISIBLE_DEVICES"] == "GPU-aaaa"
    assert "OMP_NUM_THREADS" in cpu_env
    # Stopping asked each worker to finish (SIGTERM) rather than killing it.
    terminated = (record_dir / "terminated").read_text().split()
    assert sorted(map(int, terminated)) == sorted(pids)


def test_a_crashed_worker_is_restarted(record_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_BEHAVIOUR", "crash")
    workers = supervisor(record_dir, (WorkerSlot("local-0", None),))
    with workers:
        wait_until(lambda: len(starts(record_dir)) >= 2)


def test_a_worker_that_keeps_dying_at_start_is_given_up_on(
    record_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("FAKE_BEHAVIOUR", "crash")
    with caplog.at_level(logging.ERROR), supervisor(record_dir, (WorkerSlot("local-0", None),)):
        wait_until(lambda: "giving up" in caplog.text)
        time.sleep(0.3)
    assert len(starts(record_dir)) == 3
    assert "run `tunewise worker` by hand" in caplog.text


@pytest.mark.parametrize("behaviour", ["done", "misconfigured"])
def test_a_clean_exit_or_a_refused_configuration_is_not_restarted(
    record_dir: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str
) -> None:
    monkeypatch.setenv("FAKE_BEHAVIOUR", behaviour)
    with supervisor(record_dir, (WorkerSlot("local-0", None),)) as workers:
        wait_until(lambda: not workers.pids())
        time.sleep(0.3)
    assert len(starts(record_dir)) == 1


def test_a_worker_that_ignores_sigterm_is_killed_after_the_grace_period(
    record_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("FAKE_BEHAVIOUR", "stubborn")
    workers = supervisor(record_dir, (WorkerSlot("local-0", None),)).start()
    wait_until(lambda: len(starts(record_dir)) == 1)
    (pid,) = workers.pids()
    with caplog.at_level(logging.WARNING):
        workers.stop(grace_s=0.3)
    # Asked to stop first, and killed only once the grace period ran out (said so, not timed).
    assert f"local worker pid {pid} ignored SIGTERM; killing it" in caplog.text
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
