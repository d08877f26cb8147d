"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import contextlib
import functools
import gc
import math
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal, TypeVar

from painsci_cli.models import (
    Authors,
    Blinding,
    Certainty,
    Citation,
    Comparator,
    Effect,
    Finding,
    Guideline,
    Interval,
    KnowledgeBase,
    Mcid,
    Outcome,
    Population,
    Scale,
    Size,
    Source,
    TimePoint,
    Treatment,
)
from painsci_cli.vocabulary import (
    Anchor,
    BlindingStatus,
    CertaintyLevel,
    ComparatorKind,
    Construct,
    Measure,
    Number,
    Sign,
)

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")
BUNDLED = REPO / "data" / "treatments.yaml"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`, so tests say what they point at."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in text {nth} times")


def markdown_unescaped(text: str) -> str:
    """What a Markdown reader shows for escaped text: backslash escapes and entities resolved."""
    import html
    import re

    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))


class YamlEvents:
    """Counts the YAML events the loader pulls: the loader's work, measured without a clock.

    Installed over `yaml.CSafeLoader` (and `yaml.SafeLoader`) by the `yaml_events` fixture; a
    refusal that stays within its budget pulls at most about two events per node it may read.
    """

    def __init__(self) -> None:
        self.count = 0

    def loader(self, base: type) -> type:
        counter = self

        class Counting(base):  # type: ignore[misc, valid-type]
            def get_event(self) -> object:
                counter.count += 1
                return super().get_event()

        return Counting


@contextlib.contextmanager
def hang_guard(seconds: float = 20.0) -> Iterator[None]:
    """Fails a test that blocks (a FIFO read, an endless loop) instead of letting it hang CI.

    Generous on purpose: it catches hangs, not slowness, so a busy machine never turns it red.
    """

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


LINEAR = 8.0
"""The most a cost may grow when its input grows 4 times: linear is 4, quadratic 16."""


def cost(call: Callable[[], object], repeat: int) -> float:
    """The least CPU time of five rounds of `repeat` calls: noise only ever adds time. The cyclic
    collector is paused, as its passes grow with what is alive, not with the work measured."""
    best = math.inf
    gc.disable()
    try:
        for _ in range(5):
            start = time.process_time()
            for _ in range(repeat):
                call()
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def growth(apply: Callable[[T], object], make: Callable[[int], T], size: int) -> float:
    """How much the cost of `apply` grows from the input `make(size)` to one 4 times as large.

    A ratio of CPU costs, not a time: a busy machine slows both sides alike. Each side is repeated
    until it costs a few milliseconds, so the clock's resolution does not matter.
    """
    small, large = make(size), make(4 * size)
    repeat = 1
    while cost(lambda: apply(small), repeat) < 0.004 and repeat < 1 << 16:
        repeat *= 2
    return cost(lambda: apply(large), repeat) / cost(lambda: apply(small), repeat)


# --------------------------------------------------------------------------- model factories
# Small records built straight from painsci_cli.models, so a unit test states only the fields it
# is about and every other field has a plain, valid default.

SCALES = {
    "pain-10": Scale("pain-10", "Pain intensity, 0-10", "pain", 0, 10, "lower_is_better", "points"),
    "pain-100": Scale("pain-100", "Pain intensity (VAS)", "pain", 0, 100, "lower_is_better", "mm"),
    "rdq-23": Scale(
        "rdq-23",
        "Roland-Morris Disability Questionnaire, modified 23-item version",
        "function",
        0,
        23,
        "lower_is_better",
        "points",
    ),
    "rdq-24": Scale("rdq-24", "Roland-Morris Disability Questionnaire", "function", 0, 24, "lower_is_better", "points"),
    "odi-100": Scale("odi-100", "Oswestry Disability Index", "function", 0, 100, "lower_is_better", "%"),
}
"""Scales as the bundled KB defines them, by id."""

CITE = Citation("trial-2011", "abstract")


def finding(
    estimate: Number | None = -1.0,
    ci: tuple[Number, Number] | None = (-2.0, -0.5),
    *,
    measure: Measure = "md",
    favours: Sign = "negative",
    scale: str | None = "pain-10",
    construct: Construct = "pain",
    scale_inferred: bool = False,
    comparator: ComparatorKind = "usual_care",
    participants: BlindingStatus | None = "not_blinded",
    mcid: Number | None = None,
    mcid_basis: Literal["trial_prespecified", "review_threshold"] = "trial_prespecified",
    anchor: Anchor = "end_of_treatment",
    weeks: Number | None = None,
    treatment_weeks: Number | None = None,
    source_window: Literal["immediate", "short", "intermediate", "long"] | None = None,
    certainty: CertaintyLevel | None = None,
    finding_id: str = "trial-2011-pain",
) -> Finding:
    """One between-group finding; `estimate=None` gives a direction-only finding (no effect)."""
    effect = None if estimate is None else Effect(measure, estimate, None if ci is None else Interval(*ci), favours)
    return Finding(
        id=finding_id,
        cite=CITE,
        design="rct",
        population=Population("chronic"),
        comparator=Comparator(comparator, comparator.replace("_", " ")),
        size=Size(),
        blinding=None if participants is None else Blinding(participants, "not_blinded", "blinded"),
        outcome=Outcome(construct, "Pain" if construct == "pain" else construct, scale, scale_inferred),
        time_point=TimePoint("8 weeks", anchor, weeks, treatment_weeks, source_window),
        effect=effect,
        result=None if effect else "improved",
        mcid=None if mcid is None else Mcid(mcid, mcid_basis, CITE),
        certainty=None if certainty is None else Certainty("grade", certainty),
    )


def treatment(
    treatment_id: str,
    name: str | None = None,
    *aliases: str,
    parent: str | None = None,
    findings: tuple[Finding, ...] = (),
) -> Treatment:
    return Treatment(
        id=treatment_id,
        name=name or treatment_id.replace("-", " ").capitalize(),
        category="passive",
        description=f"About {treatment_id}.",
        aliases=aliases,
        parent=parent,
        findings=findings,
    )


def guideline(guideline_id: str, short_name: str) -> Guideline:
    return Guideline(
        guideline_id, short_name, short_name, "issuer", 2017, "valid", "trial-2011", "for / against", published="2017"
    )


def knowledge_base(
    treatments: tuple[Treatment, ...], guidelines: tuple[Guideline, ...] = (), scales: tuple[Scale, ...] = ()
) -> KnowledgeBase:
    source = Source("trial-2011", "trial", Authors(("Doe J", "Roe R")), 2011, "A trial")
    return KnowledgeBase(1, "2026-11-22", scales, (source,), guidelines, treatments)


@functools.cache
def bundled_kb() -> KnowledgeBase:
    """The shipped knowledge base, validated once per test process."""
    from painsci_cli import load

    return load.load_uncached(BUNDLED.read_bytes(), "treatments.yaml")


def kb_treatment(treatment_id: str) -> Treatment:
    return next(t for t in bundled_kb().treatments if t.id == treatment_id)


def kb_finding(treatment_id: str, finding_id: str) -> Finding:
    return next(f for f in kb_treatment(treatment_id).findings if f.id == finding_id)
