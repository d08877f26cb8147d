"""How long painsci takes to refuse hostile knowledge-base files (standard library only).

    python bench/refusals.py                  # 5 runs of each case with the installed `painsci`
    python bench/refusals.py --runs 9 --painsci /path/to/venv/bin/painsci

The tests assert that the loader's work is bounded (YAML events read, bytes read, problems
listed); this script measures what that bound costs in seconds on this machine, interpreter
start-up included, against the README's promise (any file up to 8 MiB refused within 2 s).
It is a benchmark, not a test: it prints a table and exits 0 unless a case is not refused.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "data" / "mini.yaml"
BUDGET = 2.0
MIB = 1024 * 1024


def head() -> str:
    return MINI.read_text(encoding="utf-8").split("treatments:\n")[0]


CASES: dict[str, Callable[[], bytes]] = {
    "7 MB of one-character nodes (node cap)": lambda: ("a: [" + "1," * 3_500_000 + "1]\n").encode(),
    "290,000 wrong-typed items": lambda: (head() + "treatments: [" + "1, " * 290_000 + "1]\n").encode(),
    "8 MiB of forbidden characters": lambda: ("a: " + "\x1b" * (8 * MIB - 8) + "\n").encode(),
    "8 MiB, one forbidden character per line": lambda: ("x\x07\n" * (8 * MIB // 3)).encode(),
    "8 MiB of line breaks, then 30 forbidden characters": lambda: b"\n" * (8 * MIB - 64) + b"\x07" * 30,
    "5,000-deep flow nesting": lambda: ("a: " + "[" * 5000 + "]" * 5000 + "\n").encode(),
    "alias bomb (9 x 9)": lambda: (
        'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    ).encode(),
    "over 8 MiB": lambda: b"a: 1\n" * (2 * MIB),
    "8 MiB not UTF-8 at the end": lambda: b"a: " + b"x" * (8 * MIB - 8) + b"\xff\n",
    "8 MiB of lone CRs, then 30 forbidden characters": lambda: b"\r" * (8 * MIB - 64) + b"\x07" * 30,
    "12,000 treatments, every name taken": lambda: rows(12_000, "name: Same name"),
    "12,000 treatments, Cyrillic look-alike aliases": lambda: rows(12_000, "name: T {i}, aliases: [m\u0430ssage {i}]"),
    "12,000 treatments, blank names": lambda: rows(12_000, "name: '   '"),
    "12,000 treatments, unknown parents": lambda: rows(12_000, "name: T {i}, parent: nobody-{i}"),
    "16,000 treatments, blank text (80,000 problems)": lambda: rows(
        16_000, "name: ' ', aliases: [' ', ' ']", description="' '", gap="' '"
    ),
}
"""Each case is refused (exit 65 or 66); the ones over many treatments exercise the cross-record
rules, whose every problem needs a line number: the work must stay linear in the file."""


def rows(count: int, fields: str, description: str = "d", gap: str = "g") -> bytes:
    """A KB of `count` small treatments with `fields` (formatted with the index) besides the id."""
    body = "".join(
        f"  - {{id: t{i}, category: passive, description: {description}, evidence_gap: {gap}, "
        + fields.format(i=i)
        + "}\n"
        for i in range(count)
    )
    return (head() + "treatments:\n" + body).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--painsci", default=shutil.which("painsci"), help="the painsci executable to time")
    args = parser.parse_args()
    if not args.painsci:
        raise SystemExit("painsci is not installed here; pass --painsci PATH")
    work = Path(tempfile.mkdtemp(prefix="painsci-refusals-"))
    print(f"painsci refusals: {args.runs} runs each, Python {sys.version.split()[0]}, {args.painsci}\n")
    print(f"{'case':50} {'size':>9} {'median':>8} {'worst':>8}  verdict")
    try:
        for name, make in CASES.items():
            path = work / "hostile.yaml"
            path.write_bytes(make())
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                done = subprocess.run(
                    [args.painsci, "validate", str(path)], capture_output=True, check=False, timeout=120
                )
                times.append(time.perf_counter() - started)
                if done.returncode not in (65, 66):
                    raise SystemExit(f"{name}: exit {done.returncode}, not a refusal")
            worst = max(times)
            verdict = "ok" if worst <= BUDGET else f"OVER {BUDGET:g} s"
            size = f"{path.stat().st_size / MIB:.1f} MiB"
            print(f"{name:50} {size:>9} {statistics.median(times):7.2f}s {worst:7.2f}s  {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
