"""``tunewise worker`` running several worker processes (one per GPU, or ``--processes N``):
when every child has exited for good, the parent leaves too, with the children's status and
their error on its output, instead of waiting forever; SIGTERM still stops them all cleanly."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

from tests.integration.conftest import ClusterFactory
from tunewise.testing.processes import ROOT, wait_for


def test_a_worker_whose_children_all_exit_on_a_refused_token_fails_with_their_error(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory()
    cluster.start_api()
    assert cluster.api_url is not None
    done = cluster.run(
        "worker",
        *("--api", cluster.api_url, "--device", "cpu", "--processes", "2"),
        *("--token", "not-a-token-this-api-knows", "--idle-poll", "0.1"),
        timeout_s=180,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    # Each child said why, and the parent said that none is left.
    assert output.count("the API refused this worker's token") == 2, output
    assert re.search(r"every worker process exited.*2", output), output


def test_sigterm_stops_every_child_and_the_parent_exits_cleanly(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory()
    cluster.start_api()
    assert cluster.api_url is not None
    log = cluster.folder / "parent.log"
    with log.open("wb") as out:
        parent = subprocess.Popen(
            [
                *(sys.executable, "-m", "tunewise", "worker", "--api", cluster.api_url),
                *("--device", "cpu", "--processes", "2", "--name", "pair", "--idle-poll", "0.1"),
            ],
            cwd=ROOT,
            env=cluster._env({}),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: log.read_text().count("leasing ") == 2, 180, "both children to lease")
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=60) == 0
    finally:
        parent.kill()
        parent.wait()
    text = log.read_text()
    assert "worker pair/0" in text and "worker pair/1" in text
    assert text.count("stopped: 0 trials leased") == 2


def test_worker_check_says_whether_the_api_is_ready_and_takes_the_token(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory()
    cluster.start_api()
    assert cluster.api_url is not None

    def check(api_url: str, *token: str) -> tuple[int, str]:
        done = cluster.run("worker", "--api", api_url, "--check", *token, timeout_s=60)
        return done.returncode, done.stdout + done.stderr

    code, output = check(cluster.api_url)
    assert (code, output.split(":")[0]) == (0, "healthy"), output
    code, output = check(cluster.api_url, "--token", "not-a-token-this-api-knows")
    assert code == 1 and "refused the token (401)" in output, output
    cluster.processes[0].kill()  # the API is gone
    code, output = check(cluster.api_url)
    assert code == 1 and "unreachable" in output, output
