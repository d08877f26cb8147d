"""How long a benefit lasted: the series of AHRQ windows with a benefit, with none, and without
a result, with the number of trials behind each (SYNTHESIS.md §4).

"Lasts 12 months" from one trial after a null 6-12-month window is wrong; so is "up to 6 months"
when the window only says "0-6 months". The series says what was measured, window by window,
and where a later result disagrees with an earlier null, it says so instead of choosing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from . import derive
from .derive import Window
from .models import Finding
from .profile import WINDOW_ORDER, Durability, Phase, Question, WindowResult, phases, question, shows, trials


def durability(findings: Iterable[Finding], question_: Question | None, phase: Phase) -> Durability:
    """The windows with a benefit, with none, and without a result, for one question (§4).

    Superseded findings never count; indirect ones (a broader population or intervention) count
    only when nothing direct answers the question, so a behavioural-therapy null cannot erase a
    CBT benefit or stand in for it.
    """
    benefit: dict[Window, int] = {}
    none: dict[Window, int] = {}
    unknown = 0
    series = [
        f
        for f in findings
        if question_ is not None and question(f) == question_ and phase in phases(f) and not f.superseded_by
    ]
    if any(f.indirect is None for f in series):
        series = [f for f in series if f.indirect is None]
    for f in series:
        window = derive.time_window(f).window
        said = shows(f)
        if said not in ("benefit", "no_difference"):
            continue
        if window == "unknown":
            unknown += 1
            continue
        target = benefit if said == "benefit" else none
        target[window] = max(target.get(window, 0), trials(f) or 0)  # outcomes of one review overlap
    measured = [w for w in WINDOW_ORDER if w in benefit or w in none]
    windows = tuple(WindowResult(w, benefit.get(w), none.get(w)) for w in measured)
    lasts: Window | None = None
    gone_by: Window | None = None
    disagree = False
    for result in windows:
        if result.benefit is not None and not gone_by:
            lasts = result.window
        elif result.none is not None and result.benefit is None and lasts and not gone_by:
            gone_by = result.window
        elif result.benefit is not None and gone_by:
            disagree = True
    if any(w.window == lasts and w.none is not None for w in windows):
        disagree = True  # the window the benefit lasts to also holds a result without one
    return Durability(
        question_, windows, lasts, gone_by, disagree, unknown, durability_text(windows, lasts, gone_by, unknown)
    )


WINDOW_WORDS: dict[Window, str] = {
    "immediate": "at the end of treatment",
    "short": "1 to 6 months after",
    "intermediate": "6 to 12 months after",
    "long": "12 months or more after",
    "unknown": "at a time not stated",
}
"""After the end of treatment (AHRQ 2020 windows; see derive.WINDOWS)."""


def durability_text(windows: Sequence[WindowResult], lasts: Window | None, gone_by: Window | None, unknown: int) -> str:
    """E.g. "benefit at the end of treatment (1 trial) and 1 to 6 months after (5 trials); none
    6 to 12 months after (5 trials); no result 12 months or more after"."""
    if not windows:
        return "time not stated" if unknown else "no result over time"
    with_benefit = [w for w in windows if w.benefit is not None and w.none is None]
    without = [w for w in windows if w.none is not None and w.benefit is None]
    mixed = [w for w in windows if w.none is not None and w.benefit is not None]
    parts = []
    if with_benefit:
        parts.append(
            "benefit " + _listed([f"{WINDOW_WORDS[w.window]} ({_trials(w.benefit or 0)})" for w in with_benefit])
        )
    if mixed:
        parts.append("mixed results " + _listed([WINDOW_WORDS[w.window] for w in mixed]))
    if without:
        parts.append("none " + _listed([f"{WINDOW_WORDS[w.window]} ({_trials(w.none)})" for w in without]))
    measured = {w.window for w in windows}
    missing = [WINDOW_WORDS[w] for w in WINDOW_ORDER if w not in measured and w != "immediate"]
    if missing:
        parts.append("no result " + _listed(missing))
    return "; ".join(parts)


def _trials(count: int | None) -> str:
    if not count:
        return "trials not stated"
    return f"{count} trial" + ("" if count == 1 else "s")


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
