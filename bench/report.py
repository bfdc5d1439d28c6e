"""Shared by the benchmark scripts: each rewrites only its own section of docs/benchmarks.md,
so benchmarks can be run one at a time without clobbering each other's figures."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS_MD = ROOT / "docs" / "benchmarks.md"
RESULTS_DIR = ROOT / "bench" / "results"


def machine_line() -> str:
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"Python {platform.python_version()}, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def loaded_machine_line() -> str:
    """The machine line with its load average: other sessions share these cores, and a
    wall-clock figure means little without how busy they were."""
    one, five, fifteen = os.getloadavg()
    return (
        f"{machine_line()}, load average {one:.1f} / {five:.1f} / {fifteen:.1f}"
        " (the machine is shared)"
    )


def write_section(name: str, markdown: str, results: object) -> None:
    """Replace the section between ``<!-- name:start -->`` and ``<!-- name:end -->`` and
    write the raw figures to ``bench/results/<name>.json``."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else ""
    block = f"{start}\n{markdown.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    BENCHMARKS_MD.write_text(text, encoding="utf-8")
