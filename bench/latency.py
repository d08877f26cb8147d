"""Start-up latency of painsci lookups, as ratios to `python -c pass` (standard library only).

    python bench/latency.py                 # 21 interleaved rounds, the installed `painsci`
    python bench/latency.py --rounds 41 --painsci /path/to/venv/bin/painsci

Every round runs each case once, in a shuffled order, so slow moments of the machine hit all
cases alike; the table reports medians and the ratio of each median to the baseline's median,
against the budget of issue 7. The terminal cases run under a pseudo-terminal, so painsci takes
its real terminal path (rich table, colour). A synthetic 2,000-treatment KB is generated with
bench/synth_kb.py. Caches are warmed first, in a private cache directory: the budget is for
lookups, not for the first run after a KB changes (reported separately as "cold").
This is a benchmark, not a test: it prints numbers and exits 0 unless a run fails.
"""

from __future__ import annotations

import argparse
import os
import pty
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Case:
    name: str
    argv: list[str]
    env: dict[str, str]
    budget: float | None
    terminal: bool = False
    seconds: float | None = None
    """An absolute budget (issue 13: `list` of the 2,000-treatment KB under 1 s)."""


def run_once(case: Case) -> float:
    """Wall time of one run; a pseudo-terminal for terminal cases, a pipe otherwise."""
    env = {**os.environ, **case.env}
    started = time.perf_counter()
    if case.terminal:
        pid, fd = pty.fork()
        if pid == 0:  # child: stdout/stderr are the pty
            os.execvpe(case.argv[0], case.argv, env)
        while True:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        code = os.waitstatus_to_exitcode(status)
    else:
        code = subprocess.run(
            case.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        ).returncode
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"{case.name}: exit {code}")
    return elapsed


def cases(python: str, painsci: str, synthetic: Path) -> list[Case]:
    tab = {"_PAINSCI_COMPLETE": "complete_bash", "COMP_WORDS": "painsci show acu", "COMP_CWORD": "2"}
    big = {"PAINSCI_DATA": str(synthetic)}
    return [
        Case("python -c pass", [python, "-c", "pass"], {}, None),
        Case("compare massage tens (terminal)", [painsci, "compare", "massage", "tens"], {}, 10, True),
        Case("show acupuncture --json", [painsci, "show", "acupuncture", "--json"], {}, 10),
        Case("show massage: the card (terminal)", [painsci, "show", "massage"], {}, 10, True),
        Case("findings --format csv (whole KB)", [painsci, "findings", "--format", "csv"], {}, 10),
        Case("completion (TAB)", [painsci], tab, 7),
        Case("2,000: compare massage tens (terminal)", [painsci, "compare", "massage", "tens"], big, None, True),
        Case("2,000: show acupuncture --json", [painsci, "show", "acupuncture", "--json"], big, None),
        Case("2,000: completion (TAB)", [painsci], {**tab, **big}, None),
        Case("2,000: list (terminal)", [painsci, "list"], big, None, True, seconds=1.0),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--painsci", default=shutil.which("painsci"), help="the painsci executable to time")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.painsci:
        raise SystemExit("painsci is not installed here; pass --painsci PATH")
    painsci = str(Path(args.painsci).resolve())
    python = str(Path(painsci).with_name("python"))
    work = Path(tempfile.mkdtemp(prefix="painsci-bench-"))
    os.environ["PAINSCI_CACHE_DIR"] = str(work / "cache")
    os.environ.pop("NO_COLOR", None)
    os.environ.setdefault("COLUMNS", "100")
    os.environ["PAINSCI_PAGER"] = "cat"  # output taller than the pty would wait in `less` for a key
    synthetic = work / "synthetic-2000.yaml"
    subprocess.run(
        [sys.executable, str(HERE / "synth_kb.py"), "--treatments", "2000", "--out", str(synthetic)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    all_cases = cases(python, painsci, synthetic)

    cold = {}
    for case in all_cases[1:]:  # first run of each KB fills the cache
        cold[case.name] = run_once(case)
    times: dict[str, list[float]] = {case.name: [] for case in all_cases}
    rng = random.Random(args.seed)
    for _ in range(args.rounds):
        order = all_cases[:]
        rng.shuffle(order)
        for case in order:
            times[case.name].append(run_once(case))
    shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(times["python -c pass"])
    shipped = {c.name: statistics.median(times[c.name]) for c in all_cases}
    print(
        f"painsci latency: {args.rounds} interleaved rounds, {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}, executable {painsci}\n"
    )
    print(f"{'case':42} {'median':>9} {'ratio':>7} {'budget':>14}  verdict")
    for case in all_cases:
        median = shipped[case.name]
        ratio = median / base
        if case.seconds is not None:
            budget, verdict = f"< {case.seconds:g} s", "ok" if median < case.seconds else "OVER"
        elif case.budget is not None:
            budget, verdict = f"<= {case.budget:g}x", "ok" if ratio <= case.budget else "OVER"
        elif case.name.startswith("2,000: "):
            own = shipped[case.name.removeprefix("2,000: ")]
            budget = "<= 1.3x shipped"
            verdict = f"{median / own:.2f}x shipped, " + ("ok" if median / own <= 1.3 else "OVER")
        else:
            budget, verdict = "baseline", ""
        print(f"{case.name:42} {median * 1000:7.1f}ms {ratio:6.1f}x {budget:>14}  {verdict}")
    print("\nfirst run after a KB change (cache cold), one sample each:")
    for name, seconds in cold.items():
        print(f"  {name:40} {seconds * 1000:7.1f}ms")


if __name__ == "__main__":
    main()
