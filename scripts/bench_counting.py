"""Benchmark the election counting engine (governance.counting) against a published package.

Generates deterministic synthetic ballots (Plackett-Luce with factions and short, random-length
rankings; see governance/counting/synthetic.py), times Meek STV, Scottish STV, approval and
plurality at large (best of --repeat runs), and - in the same run - times the reference
package `stvpoll` (PyPI, Scottish STV) on the same ballots if it is installed, checking that
both elect the same candidates. Prints a Markdown table; --output also writes it to a file.

    .venv/bin/python scripts/bench_counting.py
    .venv/bin/python scripts/bench_counting.py --ballots 20000 --output bench.md --check

The reference is not a project dependency: install it with `.venv/bin/pip install stvpoll`.
It is given the ballots already grouped by ranking (its fastest input); our timings include
validating and grouping the raw ballots.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from governance.counting import (
    Ballot,
    CountResult,
    Election,
    count_approval,
    count_meek,
    count_plurality_at_large,
    count_scottish,
)
from governance.counting.synthetic import generate_ballots

REFERENCE_PACKAGE = "stvpoll"
# The targets on the 2-core CI machine, for --check.
TARGET_SECONDS = {"Meek STV": 1.0, "Scottish STV": 0.5}


def best_of(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    best = float("inf")
    outcome = None
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = run()
        best = min(best, time.perf_counter() - started)
    return best, outcome


def reference_scottish() -> tuple[str, Callable[..., Any]] | None:
    """The reference package's Scottish STV, or None if it is not installed."""
    try:
        from stvpoll.scottish_stv import calculate_scottish_stv
    except ImportError:
        return None
    version = importlib.metadata.version(REFERENCE_PACKAGE)
    return f"{REFERENCE_PACKAGE} {version}", calculate_scottish_stv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=15)
    parser.add_argument("--seats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2024, help="ballot generator seed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method (best is kept)")
    parser.add_argument("--output", type=Path, help="also write the Markdown table here")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if Meek >= 1 s or Scottish >= 0.5 s"
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    ranked = generate_ballots(args.ballots, args.candidates, seed=args.seed)
    generated_in = time.perf_counter() - started
    names = tuple(f"Candidate {i + 1}" for i in range(args.candidates))
    ranked_election = Election(candidates=names, seats=args.seats, ballots=ranked)
    # Approval: voters approve everyone they ranked; plurality at large: their top `seats`.
    approval_election = ranked_election
    plurality_election = Election(
        candidates=names,
        seats=args.seats,
        ballots=[Ballot(w, r[: args.seats]) for w, r in ranked],
    )

    reference = reference_scottish()
    rows: list[dict[str, str]] = []
    failures: list[str] = []
    methods: list[tuple[str, Election, Callable[..., CountResult]]] = [
        ("Meek STV", ranked_election, count_meek),
        ("Scottish STV", ranked_election, count_scottish),
        ("Approval", approval_election, count_approval),
        ("Plurality at large", plurality_election, count_plurality_at_large),
    ]
    for label, election, counter in methods:
        seconds, result = best_of(args.repeat, lambda e=election, c=counter: c(e, seed=1))
        row = {
            "method": label,
            "ours": f"{seconds:.3f}",
            "reference": "n/a",
            "package": "-",
            "agree": "-",
            "ballots": str(result.total_ballots),
            "unique": str(result.unique_rankings),
            "elected": " ".join(str(c + 1) for c in sorted(result.elected)),
        }
        if label == "Scottish STV":
            if reference is None:
                row["reference"] = "not installed"
                row["package"] = f"{REFERENCE_PACKAGE} (not installed)"
            else:
                package, calculate = reference
                grouped = dict(Counter(ballot.ranking for ballot in ranked))
                ref_seconds, ref_result = best_of(
                    args.repeat,
                    lambda g=grouped, f=calculate: f(
                        tuple(range(args.candidates)), g, args.seats, random_shuffle=False
                    ),
                )
                agree = set(ref_result) == set(result.elected)
                row.update(
                    reference=f"{ref_seconds:.3f}",
                    package=package,
                    agree="yes" if agree else "NO",
                )
                if not agree:
                    failures.append(f"{label}: elected sets differ from {package}")
        elif label == "Meek STV":
            row["package"] = f"{REFERENCE_PACKAGE} has no Meek STV"
        target = TARGET_SECONDS.get(label)
        if target is not None and seconds >= target:
            failures.append(f"{label}: {seconds:.3f} s is over the {target} s target")
        rows.append(row)

    table = render(rows, args, generated_in)
    print(table)
    if args.output:
        args.output.write_text(table + "\n", encoding="utf-8")
    for failure in failures:
        print(f"! {failure}", file=sys.stderr)
    return 1 if args.check and failures else 0


def render(rows: list[dict[str, str]], args: argparse.Namespace, generated_in: float) -> str:
    header = (
        "| method | ours (s) | reference (s) | reference package | elected sets agree "
        "| ballots | unique rankings | elected (sorted) |"
    )
    lines = [
        f"Counting benchmark: {args.ballots} ballots, {args.candidates} candidates, "
        f"{args.seats} seats, generator seed {args.seed}, best of {args.repeat}; "
        f"Python {platform.python_version()} on {os.cpu_count()} CPU(s) "
        f"(ballots generated in {generated_in:.1f} s).",
        "",
        header,
        "|---|---:|---:|---|---|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['method']} | {row['ours']} | {row['reference']} | {row['package']} "
            f"| {row['agree']} | {row['ballots']} | {row['unique']} | {row['elected']} |"
        )
    lines += [
        "",
        "Ours: raw weight-1 ballots in, validated and grouped inside the timed call. "
        "Reference: given ballots pre-grouped by ranking.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
