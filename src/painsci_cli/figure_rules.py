"""Rules for one figure against its scale and its own parts: a finding's effect, CI, certainty
range and responders; a within-group change; a harm rate. Split from rules.py, which checks
what spans records (references, uniqueness, names, dates) and calls these per record.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import (
    Finding,
    HarmRate,
    Interval,
    Loc,
    Outcome,
    Proportion,
    Responders,
    Scale,
    Treatment,
    WithinGroupChange,
)
from .records import Record, record
from .vocabulary import HARM_BASES

CERTAINTY_ORDER = ("insufficient", "very_low", "low", "moderate", "high")


@record
class Problem(Record):
    """A rule broken at a location; load/validate.py turns `loc` into FILE:LINE."""

    loc: Loc
    message: str


def check_scale_unnamed(outcome: Outcome, loc: Loc, report: Callable[[Problem], None]) -> None:
    if outcome.scale_unnamed and outcome.scale is not None:
        report(Problem((*loc, "scale_unnamed"), "scale_unnamed means the source names no scale: set scale to null"))
    if outcome.scale_unnamed and outcome.scale_inferred:
        report(Problem((*loc, "scale_unnamed"), "a scale is either unnamed or inferred, not both"))


def check_finding(
    f: Finding,
    loc: Loc,
    scales: dict[str, Scale],
    treatments: dict[str, Treatment],
    duplicate_ids: set[str],
    report: Callable[[Problem], None],
) -> None:
    if f.id in duplicate_ids:
        report(Problem((*loc, "id"), f"duplicate finding id {f.id!r}"))
    if f.comparator.treatment is not None and f.comparator.treatment not in treatments:
        report(Problem((*loc, "comparator", "treatment"), f"unknown treatment {f.comparator.treatment!r}"))
    for a_i, arm in enumerate(f.size.arms):
        if arm.n <= 0:
            report(Problem((*loc, "size", "arms", a_i, "n"), f"arm size must be positive, got {arm.n}"))
    for name in ("trials", "participants"):
        value = getattr(f.size, name)
        if value is not None and value <= 0:
            report(Problem((*loc, "size", name), f"{name} must be positive, got {value}"))
    scale = None
    if f.outcome.scale_inferred and f.outcome.scale is None:
        report(Problem((*loc, "outcome", "scale_inferred"), "scale_inferred needs a scale"))
    check_scale_unnamed(f.outcome, (*loc, "outcome"), report)
    if f.indirect is not None and not (f.indirect.population or f.indirect.intervention):
        report(Problem((*loc, "indirect"), "say what is indirect: the population, the intervention or both"))
    if f.certainty is not None and f.certainty.up_to is not None:
        low, high = CERTAINTY_ORDER.index(f.certainty.level), CERTAINTY_ORDER.index(f.certainty.up_to)
        if high <= low:
            msg = f"up_to ({f.certainty.up_to}) must rank above level ({f.certainty.level})"
            report(Problem((*loc, "certainty", "up_to"), msg))
    if f.outcome.scale is not None:
        scale = scales.get(f.outcome.scale)
        if scale is None:
            report(Problem((*loc, "outcome", "scale"), f"unknown scale {f.outcome.scale!r}"))
    tp = f.time_point
    if tp.weeks is not None and tp.weeks < 0:
        report(Problem((*loc, "time_point", "weeks"), "weeks cannot be negative"))
    if tp.anchor == "source_window" and tp.source_window is None:
        report(Problem((*loc, "time_point", "source_window"), "anchor source_window needs source_window"))
    if f.effect is None:
        if not f.result:
            report(Problem((*loc, "result"), "a finding without an effect must say its result"))
        return
    for name in ("direction", "stated_magnitude"):
        if getattr(f, name) is not None:
            report(Problem((*loc, name), f"{name} is for findings without an effect; with one, painsci computes it"))
    e = f.effect
    if e.measure == "md" and f.outcome.scale is None and not f.outcome.scale_unnamed:
        msg = "a mean difference needs a scale (or scale_unnamed: true when the source names none)"
        report(Problem((*loc, "outcome", "scale"), msg))
    if e.ci95 is not None:
        lo, hi = e.ci95.lower, e.ci95.upper
        if lo > hi:
            report(Problem((*loc, "effect", "ci95"), f"lower bound {lo:g} is above upper bound {hi:g}"))
        elif not lo <= e.estimate <= hi:
            report(Problem((*loc, "effect", "estimate"), f"estimate {e.estimate:g} lies outside its CI"))
    if e.measure in ("rr",) and e.estimate <= 0:
        report(Problem((*loc, "effect", "estimate"), "a ratio must be positive"))
    if scale is not None and e.measure == "md":
        expected = "negative" if scale.direction == "lower_is_better" else "positive"
        if e.favours_treatment != expected:
            msg = f"on {scale.id} ({scale.direction}) a benefit is {expected}"
            report(Problem((*loc, "effect", "favours_treatment"), msg))
        span = scale.max - scale.min
        values = [e.estimate] + ([e.ci95.lower, e.ci95.upper] if e.ci95 else [])
        if any(abs(v) > span for v in values):
            report(Problem((*loc, "effect"), f"difference exceeds the range of scale {scale.id}"))
    if f.mcid is not None and scale is not None and not 0 < f.mcid.value <= scale.max - scale.min:
        report(Problem((*loc, "mcid", "value"), f"MCID must lie inside the range of {scale.id}"))
    if f.responders is not None:
        _check_responders(f, f.responders, (*loc, "responders"), report)


def _check_responders(f: Finding, r: Responders, loc: Loc, report: Callable[[Problem], None]) -> None:
    """Per-arm proportions belong to binary results and must point the way the result does."""
    e = f.effect
    if e is not None and e.measure not in ("rr", "rd"):
        report(Problem(loc, f"per-arm proportions belong to a binary result, not to an {e.measure.upper()}"))
    _check_proportion(r.treatment, (*loc, "treatment"), report)
    _check_proportion(r.control, (*loc, "control"), report)
    treated, control = _percent(r.treatment), _percent(r.control)
    if e is None or treated is None or control is None or treated == control:
        return
    null = 1.0 if e.measure == "rr" else 0.0
    if e.estimate == null:
        return
    favoured = (e.estimate > null) == (e.favours_treatment == "positive")
    if favoured != ((treated > control) == (e.favours_treatment == "positive")):
        report(Problem(loc, "the two arms' proportions point the other way from the effect: are they swapped?"))


def _percent(p: Proportion) -> float | None:
    if p.percent is not None:
        return float(p.percent)
    if p.events is not None and p.total:
        return 100 * p.events / p.total
    return None


def _check_proportion(p: Proportion, loc: Loc, report: Callable[[Problem], None]) -> None:
    if p.percent is None and (p.events is None or p.total is None):
        report(Problem(loc, "give a percent, or events and total"))
    if (p.events is None) != (p.total is None):
        report(Problem(loc, "events and total go together"))
    if p.percent is not None and not 0 <= p.percent <= 100:
        report(Problem((*loc, "percent"), f"a percentage must lie between 0 and 100, got {p.percent:g}"))
    if p.total is not None and p.total <= 0:
        report(Problem((*loc, "total"), f"total must be positive, got {p.total}"))
    if p.events is not None and p.total is not None and p.total > 0:
        if not 0 <= p.events <= p.total:
            report(Problem((*loc, "events"), f"events must lie between 0 and the total ({p.total}), got {p.events}"))
        elif p.percent is not None and abs(p.percent - 100 * p.events / p.total) > 0.5:
            share = 100 * p.events / p.total
            report(Problem((*loc, "percent"), f"{p.percent:g}% does not match {p.events}/{p.total} ({share:.1f}%)"))
    if p.ci95 is not None:
        if p.percent is None:
            report(Problem((*loc, "ci95"), "a CI needs the percent it belongs to"))
        _check_interval(p.ci95, p.percent, 0, 100, (*loc, "ci95"), report)


def _check_interval(
    ci: Interval, value: float | None, low: float, high: float, loc: Loc, report: Callable[[Problem], None]
) -> None:
    """lower <= value <= upper, and both ends inside [low, high]."""
    if ci.lower > ci.upper:
        report(Problem(loc, f"lower bound {ci.lower:g} is above upper bound {ci.upper:g}"))
    elif value is not None and not ci.lower <= value <= ci.upper:
        report(Problem(loc, f"the CI {ci.lower:g} to {ci.upper:g} does not contain {value:g}"))
    if high == float("inf") and ci.lower < low:
        report(Problem(loc, "a rate cannot be negative"))
    elif not (low <= ci.lower and ci.upper <= high):
        report(Problem(loc, f"the interval must lie between {low:g} and {high:g}"))


def check_change(w: WithinGroupChange, loc: Loc, scales: dict[str, Scale], report: Callable[[Problem], None]) -> None:
    """A within-group change is checked against its scale like an effect, and knows its arm's role."""
    scale = None
    if w.outcome.scale is not None:
        scale = scales.get(w.outcome.scale)
        if scale is None:
            report(Problem((*loc, "outcome", "scale"), f"unknown scale {w.outcome.scale!r}"))
    elif w.outcome.scale_inferred:
        report(Problem((*loc, "outcome", "scale_inferred"), "scale_inferred needs a scale"))
    if w.role == "control" and w.control is None:
        report(Problem((*loc, "control"), "a control arm needs its kind of control (usual_care, sham …)"))
    if w.role == "treatment" and w.control is not None:
        report(Problem((*loc, "control"), "only a control arm has a kind of control"))
    if w.n is not None and w.n <= 0:
        report(Problem((*loc, "n"), f"arm size must be positive, got {w.n}"))
    for name in ("improvement", "baseline"):
        if getattr(w, name) is not None and w.outcome.scale is None:
            report(Problem((*loc, name), f"{name} in points needs the outcome's scale"))
    if w.sd is not None and w.improvement is None:
        report(Problem((*loc, "sd"), "an SD needs the improvement it belongs to"))
    if w.sd is not None and w.sd <= 0:
        report(Problem((*loc, "sd"), f"an SD must be positive, got {w.sd:g}"))
    if w.ci95 is not None and w.improvement is None:
        report(Problem((*loc, "ci95"), "a CI needs the improvement it belongs to"))
    if w.percent is not None and not 0 <= w.percent <= 100:
        report(Problem((*loc, "percent"), f"an improvement in percent must lie between 0 and 100, got {w.percent:g}"))
    if scale is None:
        return
    span = scale.max - scale.min
    if w.improvement is not None and not 0 <= w.improvement <= span:
        msg = f"an improvement must lie between 0 and {span:g} points on {scale.id}, got {w.improvement:g}"
        report(Problem((*loc, "improvement"), msg))
    if w.baseline is not None and not scale.min <= w.baseline <= scale.max:
        report(Problem((*loc, "baseline"), f"baseline {w.baseline:g} lies outside {scale.id}"))
    if w.ci95 is not None and w.improvement is not None:
        _check_interval(w.ci95, w.improvement, -span, span, (*loc, "ci95"), report)


def check_harm_rate(r: HarmRate, loc: Loc, report: Callable[[Problem], None]) -> None:
    """One basis per entry: a range whose ends are counted differently is two entries, never one."""
    if r.value is not None and r.range is not None:
        report(Problem(loc, "give a value or a range, not both"))
    if r.value is None and r.range is None and (r.events is None or r.total is None):
        report(Problem(loc, "give a value, a range, or events and total"))
    if r.per not in HARM_BASES:
        bases = ", ".join(f"{b:,}" for b in HARM_BASES)
        report(Problem((*loc, "per"), f"count per one of {bases}; got {r.per:,}"))
    for name in ("value", "events"):
        value = getattr(r, name)
        if value is not None and value < 0:
            report(Problem((*loc, name), f"{name} cannot be negative"))
    if r.range is not None:
        _check_interval(r.range, None, 0, float("inf"), (*loc, "range"), report)
    if r.ci95 is not None:
        _check_interval(r.ci95, r.value, 0, float("inf"), (*loc, "ci95"), report)
    if (r.events is None) != (r.total is None):
        report(Problem(loc, "events and total go together (a count without its denominator is not a rate)"))
    if r.total is not None and r.total <= 0:
        report(Problem((*loc, "total"), f"total must be positive, got {r.total}"))
    elif r.events is not None and r.total is not None and r.events > r.total:
        report(Problem((*loc, "events"), f"events ({r.events}) cannot exceed the total ({r.total})"))
