"""How long painsci takes on the largest valid knowledge bases, every command in every format.

    python bench/worst_cases.py                       # every KB, every command and format, once
    python bench/worst_cases.py --kb findings-3100 --format table --format svg
    python bench/worst_cases.py --painsci /path/to/venv/bin/painsci --runs 3
    python bench/worst_cases.py --kb treatments-25000 --cold   # every run a first run

Each knowledge base below is valid and stays under the loader's caps (8 MiB, 300,000 YAML nodes),
but puts its size where a renderer may pay for it: one word of 100 KB of digits and punctuation
(what a figure pattern may backtrack on), 3,100 findings on one treatment, one 7.8 MB
description, 25,000 treatments; and bench/latency.py's 2,000-treatment KB. Every command runs in
every format (a pairing that is a usage error, such as `list --format bibtex`, exits 2 and is
counted as such), warm (the KB cached), after a cold validation and a cold `list` that fills the
cache. Wall time, CPU time (user + system: what a busy machine does not inflate) and the peak
resident memory of each run are reported against issue 17's budget: any command, any format,
in 5 s or less. The tests compare the layout's costs at two sizes; this script measures what the
whole command costs in seconds on this machine. It is a benchmark, not a test: it prints a table
and exits 0 unless a run crashes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MINI = REPO / "tests" / "data" / "mini.yaml"
BUDGET = 5.0
MIB = 1024 * 1024
FORMATS = ("table", "plain", "csv", "json", "markdown", "svg", "html", "bibtex", "ris")

sys.path.insert(0, str(HERE))
from synth_kb import emit  # noqa: E402  (the benchmark's own YAML writer: no dependency)


def head() -> str:
    return MINI.read_text(encoding="utf-8").split("treatments:\n")[0]


def kb(treatments: list[dict[str, Any]]) -> bytes:
    return (head() + "\n".join(emit({"treatments": treatments})) + "\n").encode()


def treatment(tid: str, name: str, description: str = "d", **more: Any) -> dict[str, Any]:
    base = {"id": tid, "name": name, "category": "passive", "description": description}
    if "findings" not in more:
        base["evidence_gap"] = "g"
    return {**base, **more}


USUAL_CARE = treatment("usual-care", "Usual care", "Care as usual.", category="comparator")


def finding(fid: str, label: str = "RDQ", estimate: float = -2.9) -> dict[str, Any]:
    """The mini KB's finding, renamed: every field a renderer shows, figures included."""
    return {
        "id": fid,
        "cite": {"source": "cherkin-2011", "locator": "abstract, results", "reading": "primary"},
        "design": "rct",
        "population": {"duration": "chronic"},
        "comparator": {"kind": "usual_care", "label": "usual care", "treatment": "usual-care"},
        "size": {"arms": [{"label": "treated", "n": 136}, {"label": "usual care", "n": 133}]},
        "blinding": {"participants": "partial", "providers": "not_blinded", "assessors": "blinded"},
        "outcome": {"construct": "function", "label": label, "scale": "rdq-23"},
        "time_point": {"label": "10 weeks", "anchor": "randomisation", "weeks": 10, "treatment_weeks": 10},
        "effect": {
            "measure": "md",
            "estimate": estimate,
            "ci95": {"lower": estimate - 1.1, "upper": estimate + 1.1},
            "favours_treatment": "negative",
        },
    }


def hostile_word(size: int) -> str:
    """Digits and punctuation a figure pattern can match in many ways, then a letter that makes
    it fail: the input on which an ambiguous pattern backtracks quadratically."""
    return "1" + ".,:" * ((size - 2) // 3) + "x"


def long_words() -> bytes:
    """A 48 KB name and 100 KB words in every text a table shows (description, labels, locator)."""
    word = hostile_word(100_000)
    first = treatment(
        "t0",
        hostile_word(48_000),
        word,
        aliases=["word " + hostile_word(40_000)],
        findings=[{**finding("f0", word), "note": word}],
        harms_note=word,
    )
    second = treatment("t1", "Other " + hostile_word(20_000), word, evidence_gap=word)
    return kb([USUAL_CARE, first, second])


def many_findings(count: int = 3100) -> bytes:
    findings = [finding(f"f{i}", f"RDQ {i}", -round(0.5 + (i % 40) / 10, 1)) for i in range(count)]
    return kb([USUAL_CARE, treatment("t0", "Many findings", findings=findings), treatment("t1", "Other")])


def long_description(size: int = 7_800_000) -> bytes:
    """One description of 7.8 MB in ordinary words (a paragraph a renderer wraps line by line)."""
    words = "Hands-on treatment of the soft tissues, 12.5% of 0-10 points (95% CI -1.2 to -0.3). "
    text = (words * (size // len(words) + 1))[:size].rstrip()
    return kb([USUAL_CARE, treatment("t0", "Long description", text), treatment("t1", "Other")])


def one_long_word(size: int = 7_800_000) -> bytes:
    """One description that is a single 7.8 MB word of digits and punctuation."""
    return kb([USUAL_CARE, treatment("t0", "Long word", hostile_word(size)), treatment("t1", "Other")])


def many_treatments(count: int = 25_000) -> bytes:
    return kb([USUAL_CARE, *(treatment(f"t{i}", f"Treatment {i}") for i in range(count))])


def synthetic(count: int = 2000) -> bytes:
    """bench/latency.py's knowledge base: copies of the bundled treatments (list must take < 1 s)."""
    from synth_kb import synthesise

    from painsci_cli.load.events import parse
    from painsci_cli.load.read import decode

    source = REPO / "data" / "treatments.yaml"
    real = parse(decode(source.read_bytes(), str(source)), str(source)).data
    return ("\n".join(emit(synthesise(real, count))) + "\n").encode()


KBS: dict[str, Callable[[], bytes]] = {
    "synthetic-2000": synthetic,
    "long-words": long_words,
    "findings-3100": many_findings,
    "description-7.8MB": long_description,
    "word-7.8MB": one_long_word,
    "treatments-25000": many_treatments,
}


SUBJECTS = {"synthetic-2000": ("acupuncture", "massage", "sham")}
"""The treatments shown and compared, and the search, per KB (t0, t1 and "1" for the others)."""


def commands(first: str = "t0", second: str = "t1", query: str = "1") -> dict[str, list[str]]:
    return {
        "show": ["show", first],
        "show --full": ["show", first, "--full"],
        "list": ["list"],
        "compare": ["compare", first, second],
        "plot": ["plot", first],
        "explain": ["explain", first],
        "search": ["search", query],
        "sources": ["sources"],
        "coverage": ["coverage"],
        "findings": ["findings"],
    }


TIMED_OUT = -1


@dataclass
class Run:
    seconds: float
    """Wall time."""
    cpu: float
    """User and system time of the process: what a busy machine does not inflate."""
    code: int
    kib: int
    """Peak resident memory."""


def run(argv: list[str], env: dict[str, str], timeout: float) -> Run:
    """One run, its output discarded.

    A run still going after `timeout` seconds is killed and reported as TIMED_OUT.
    """
    started = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        child = subprocess.Popen(argv, env=env, stdout=sink, stderr=sink)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                child.returncode = TIMED_OUT
                break
            time.sleep(0.005)
    elapsed = time.perf_counter() - started
    if child.returncode != TIMED_OUT:
        child.returncode = os.waitstatus_to_exitcode(status)
    return Run(elapsed, usage.ru_utime + usage.ru_stime, child.returncode, usage.ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--painsci", default=shutil.which("painsci"), help="the painsci executable to time")
    parser.add_argument("--runs", type=int, default=1, help="warm runs of each command (the median is shown)")
    parser.add_argument("--kb", action="append", choices=list(KBS), help="only this knowledge base; repeatable")
    parser.add_argument("--format", action="append", choices=FORMATS, help="only this format; repeatable")
    parser.add_argument("--command", action="append", choices=list(commands()), help="only this command")
    parser.add_argument("--columns", default="100", help="COLUMNS for the table format (default 100)")
    parser.add_argument("--timeout", type=float, default=60.0, help="kill a run after this many seconds")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    parser.add_argument("--cold", action="store_true", help="empty the cache before every run: each is a first run")
    args = parser.parse_args()
    if not args.painsci:
        raise SystemExit("painsci is not installed here; pass --painsci PATH")
    work = Path(tempfile.mkdtemp(prefix="painsci-worst-"))
    env = {**os.environ, "PAINSCI_CACHE_DIR": str(work / "cache"), "COLUMNS": args.columns}
    env.pop("NO_COLOR", None)
    print(f"painsci worst cases: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.painsci}")
    state = "cold: the cache emptied before each run" if args.cold else "warm: the KB cached"
    print(f"COLUMNS={args.columns}; {state}, median of {args.runs}; budget {BUDGET:g} s (wall)\n")
    print(f"{'knowledge base':18} {'command':12} {'format':9} {'exit':>4} {'wall':>7} {'cpu':>7} {'MiB':>6}  verdict")
    results: list[dict[str, Any]] = []
    try:
        for name in args.kb or list(KBS):
            path = work / f"{name}.yaml"
            path.write_bytes(KBS[name]())
            kb_env = {**env, "PAINSCI_DATA": str(path)}
            checked = run([args.painsci, "validate", str(path)], {**kb_env, "PAINSCI_NO_CACHE": "1"}, args.timeout)
            if checked.code != 0:
                raise SystemExit(f"{name}: not a valid knowledge base (exit {checked.code})")
            show(name, "validate", "-", checked, f"{path.stat().st_size / MIB:.1f} MiB, no cache")
            filled = run([args.painsci, "list", "--json"], kb_env, args.timeout)
            show(name, "list (cold)", "json", filled, "fills the cache")
            for command, argv in commands(*SUBJECTS.get(name, ("t0", "t1", "1"))).items():
                if args.command and command not in args.command:
                    continue
                for fmt in args.format or FORMATS:
                    runs = []
                    for _ in range(args.runs):
                        if args.cold:
                            shutil.rmtree(work / "cache", ignore_errors=True)
                        runs.append(run([args.painsci, *argv, "--format", fmt], kb_env, args.timeout))
                    median = sorted(runs, key=lambda r: r.seconds)[len(runs) // 2]
                    if median.code not in (0, 2, TIMED_OUT):
                        raise SystemExit(f"{name} {command} --format {fmt}: exit {median.code}")
                    worst = Run(median.seconds, median.cpu, median.code, max(r.kib for r in runs))
                    show(name, command, fmt, worst)
                    results.append({"kb": name, "command": command, "format": fmt, **vars(worst)})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if results:
        slowest = max(results, key=lambda r: r["seconds"])
        largest = max(results, key=lambda r: r["kib"])
        print(f"\nslowest: {slowest['seconds']:.2f} s ({slowest['kb']}, {slowest['command']}, {slowest['format']})")
        where = f"{largest['kb']}, {largest['command']}, {largest['format']}"
        print(f"most memory: {largest['kib'] / 1024:.0f} MiB ({where})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def show(kb: str, command: str, fmt: str, done: Run, verdict: str | None = None) -> None:
    if verdict is None:
        verdict = "usage" if done.code == 2 else ("ok" if done.seconds <= BUDGET else f"OVER {BUDGET:g} s")
        if done.code == TIMED_OUT:
            verdict = "killed (timeout)"
    wall, cpu = f"{done.seconds:6.2f}s", f"{done.cpu:6.2f}s"
    print(f"{kb:18} {command:12} {fmt:9} {done.code:4} {wall} {cpu} {done.kib / 1024:6.0f}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
