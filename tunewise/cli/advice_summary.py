"""The short view of ``tunewise advise`` (the default; ``--full`` shows everything): the
ranked families with their scores, the top candidate's ready config and search ranges, its
three most telling reasons, and how to see more. About 25 lines.

Each section is one function of (advice, console) in :data:`SECTIONS`, printed in order; a
new section (for example limits of memory or time) is one more function in that tuple.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from rich.console import Console
from rich.text import Text

from advisor import Advice, Candidate, Domain, RationaleItem, TaskDescription
from advisor import advise as run_advisor
from advisor.advice import Range

#: How many of the top candidate's reasons the short view gives.
REASONS_SHOWN = 3
#: A reason's text is cut to about this many characters (its first sentence, usually).
REASON_CHARS = 160
_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z])")


def _say(console: Console, text: str, style: str | None = None) -> None:
    # Plain lines, never folded at the console's width: the config line is copied whole.
    console.print(text, style=style, soft_wrap=True, markup=False, highlight=False)


def _number(value: float) -> str:
    return f"{value:.4g}"


def default_answer(advice: Advice, console: Console) -> None:
    if advice.default_answer:
        _say(console, f"Default answer: {advice.notes[0].text}", "yellow")


def task(advice: Advice, console: Console) -> None:
    shown = advice.task.model_dump(
        exclude={"inferred", "description"}, exclude_none=True, mode="json"
    )
    parts = []
    for name, value in shown.items():
        if value in ((), []):
            continue
        origin = advice.task.inferred.get(name)
        parts.append(f"{name}={value}" + (f" ({origin.origin})" if origin else ""))
    _say(console, "Task: " + "  ".join(parts))


def limits_text(result: Advice) -> Text | None:
    """The limits per run the task states, and what the job should do about them."""
    task, search = result.task, result.search
    said = {
        "memory": f"{_number(task.memory_limit_gb)} GB" if task.memory_limit_gb else None,
        "time per run": f"{_number(task.time_limit_s)} s" if task.time_limit_s else None,
        "trade-off": "training time against quality" if task.time_tradeoff else None,
    }
    stated = [f"{name} {value}" for name, value in said.items() if value]
    if not stated:
        return None
    bounds = [
        f"{c.metric} <= {_number(c.max)}" if c.max is not None else f"{c.metric} >= {c.min}"
        for c in search.constraints
    ]
    extra = [f"{o.direction} {o.metric}" for o in search.secondary_objectives]
    line = Text.assemble(("Limits: ", "bold"), "; ".join(stated))
    if bounds:
        line.append(f"\n  suggested constraints: {', '.join(bounds)}")
    if extra:
        line.append(f"\n  suggested second objective: {', '.join(extra)}")
    return line


def limits(advice: Advice, console: Console) -> None:
    shown = limits_text(advice)
    if shown is not None:
        console.print(shown, soft_wrap=True, highlight=False)


def families(advice: Advice, console: Console) -> None:
    ranked = ", ".join(f"{c.optimizer.value} {c.score:.2f}" for c in advice.candidates)
    _say(console, f"Families, best first (score 0..1): {ranked}")
    plan = advice.search
    _say(
        console,
        f"Search: {', '.join(f.value for f in plan.families)} over {plan.n_trials} trials "
        f"({plan.sampler} sampler, {plan.pruner} pruner), tuning "
        f"{', '.join(plan.tuned_params) or 'nothing'}",
    )


def top_candidate(advice: Advice, console: Console) -> None:
    best = advice.candidates[0]
    config = best.defaults.model_dump(mode="json", exclude_none=True)
    _say(console, "")
    _say(console, f"{best.optimizer.value} (score {best.score:.2f}): ready config", "bold")
    _say(console, json.dumps(config))
    _say(console, "search ranges:")
    width = max((len(name) for name in best.search_space), default=0)
    for name, dimension in best.search_space.items():
        if isinstance(dimension, Range):
            searched = f"{_number(dimension.low)} … {_number(dimension.high)}"
            searched += " (log)" if dimension.log else ""
        else:
            searched = ", ".join(map(str, dimension.choices))
        _say(console, f"  {name.ljust(width)}  {searched}")
    for group in best.param_groups:
        settings = ", ".join(f"{k}={v}" for k, v in group.settings.items())
        _say(console, f"group {group.name}: {settings} ({group.applies_to})")


def reasons(advice: Advice, console: Console) -> None:
    best = advice.candidates[0]
    chosen = most_telling(best)
    _say(console, f"why ({len(chosen)} of {len(best.rationale)} reasons):", "bold")
    for item in chosen:
        _say(console, f"  {item.rule}: {_first_sentence(item.text)}")


def more(advice: Advice, console: Console) -> None:
    _say(console, "")
    _say(
        console,
        "More: add --full for every family's ranges, all reasons with their sources, the "
        "nearest published recipes and the notes; --json for the Advice JSON.",
        "dim",
    )


def most_telling(candidate: Candidate) -> list[RationaleItem]:
    """The reasons this task adds first: rules that do not fire for the same family on a task
    the advisor knows nothing about (domain "other"), then those general rules; each in the
    advisor's order."""
    baseline = run_advisor(TaskDescription(domain=Domain.OTHER)).candidates
    general = {
        item.rule for c in baseline if c.optimizer is candidate.optimizer for item in c.rationale
    }
    return sorted(candidate.rationale, key=lambda item: item.rule in general)[:REASONS_SHOWN]


def _first_sentence(text: str) -> str:
    # A sentence ends at a full stop followed by a capital ("e.g. the" goes on).
    end = _SENTENCE_END.search(text)
    sentence = text if end is None else text[: end.start() + 1]
    if len(sentence) > REASON_CHARS:
        sentence = sentence[: REASON_CHARS - 1].rstrip() + "…"
    return sentence


Section = Callable[[Advice, Console], None]
SECTIONS: tuple[Section, ...] = (
    default_answer,
    task,
    limits,
    families,
    top_candidate,
    reasons,
    more,
)


def render_short(advice: Advice, console: Console) -> None:
    for section in SECTIONS:
        section(advice, console)
