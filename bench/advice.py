"""How long the advisor takes: reading a description, and a whole advice, for typical tasks.

The advisor runs on every POST /v1/advice and job creation, and the text reader on every
description; both should stay in the low milliseconds. Medians of many runs, in one process.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: `python bench/advice.py`

from advisor import TaskDescription, advise  # noqa: E402
from advisor.text import read_description  # noqa: E402
from bench.report import loaded_machine_line, write_section  # noqa: E402

PARAGRAPH = (
    "I'm fine-tuning a pretrained BERT-base on 20k product reviews for sentiment "
    "classification. Currently I use AdamW with lr 3e-5, weight decay 0.01, batch size 32, "
    "3 epochs, warmup and linear decay. The loss oscillates. 时间紧，希望尽快收敛。"
    "Budget: 30 trials."
)
TASKS: dict[str, TaskDescription] = {
    "fields: ResNet, vision": TaskDescription(domain="vision", architecture="resnet"),
    "fields: recsys, sparse": TaskDescription(domain="recsys", sparse_features=True),
    "text: 微调BERT做情感分类": TaskDescription(description="微调BERT做情感分类"),
    "text: the paragraph above": TaskDescription(description=PARAGRAPH),
}
REPEATS = 200


def median_ms(run: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    run()  # warm-up: first-call caches are not what a running service pays
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    rows: list[tuple[str, float, float]] = []
    rows.append(("read_description(paragraph)", *median_ms(lambda: read_description(PARAGRAPH))))
    rows.append(
        ("read_description(4,000 chars)", *median_ms(lambda: read_description(PARAGRAPH * 12)))
    )
    for name, task in TASKS.items():
        rows.append((f"advise({name})", *median_ms(partial(advise, task))))
    lines = [
        loaded_machine_line() + f"; medians and p95 of {REPEATS} calls in one process.",
        "",
        "| call | p50 ms | p95 ms |",
        "| --- | ---: | ---: |",
        *(f"| `{name}` | {p50:.2f} | {p95:.2f} |" for name, p50, p95 in rows),
    ]
    markdown = "\n".join(lines)
    print(markdown)
    write_section(
        "advisor",
        markdown,
        [{"call": name, "p50_ms": p50, "p95_ms": p95} for name, p50, p95 in rows],
    )


if __name__ == "__main__":
    main()
