"""Forest plots and effect over time as data: which findings may share an axis, and where it runs.

Pure functions from the validated KB to a `PlotDoc` (defined in views.py with the other view
models); the renderers (render/plot.py for the terminal, render/layout.py for plain text and
Markdown) only draw what is decided here. Findings in different units never share an axis: a mean
difference shares one only with findings on the same scale; SMDs, risk differences and risk ratios
get their own. The geometry is one function, `column`, so a test can check where every mark lands.
Beside the effects, each trial whose arms' improvement is stored as numbers gets the arms' picture
(arms.py): within-group changes, labelled as such, never drawn on an effect's axis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from math import floor

from . import derive
from .arms import arms_improvement
from .derive import WINDOW_ORDER, McidBasis
from .documents import header
from .errors import UsageError
from .load.store import Store
from .lookup import resolve
from .models import Finding, Treatment
from .text import NOT_REPORTED, interval, number
from .views import PlotArms, PlotAxis, PlotDoc, PlotPanel, PlotRow, TimeCourse
from .vocabulary import Measure, Number, Sign

MAX_PLOT = 6
TICK_INTERVALS = 5
"""Roughly how many intervals an axis is cut into; the 1-2-5 steps below decide exactly."""
MARGIN = Decimal("0.05")
"""Room beyond the outermost value, as a share of the span, so no CI end sits on the frame."""

AxisKey = tuple[str, Sign]
"""(unit, the sign that favours the treatment): the unit is a scale id, "SMD", "RD" or "RR"."""
Entry = tuple[Treatment, Finding]

# --------------------------------------------------------------------------- geometry


def column(value: Number, lo: Number, hi: Number, width: int) -> int:
    """The character column (0 .. width-1) where `value` falls on an axis running from lo to hi.

    Computed on the decimal figures as written (a float's shortest repr), not in binary floating
    point, so -2.9 lands where a reader with a ruler would put it, and a value exactly half-way
    between two columns goes to the right one on every machine.
    """
    if width < 1 or not lo < hi:
        raise ValueError(f"an axis needs width >= 1 and lo < hi, got width {width}, lo {lo}, hi {hi}")
    share = (_exact(value) - _exact(lo)) / (_exact(hi) - _exact(lo))
    return min(max(floor(share * (width - 1) + Fraction(1, 2)), 0), width - 1)


def _exact(value: Number) -> Fraction:
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _decimal(value: Number) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def nice_step(raw: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 x 10^n at least `raw`: ticks a reader can interpolate between."""
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (1, 2, 5):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def axis_range(values: Iterable[Number]) -> tuple[float, float, tuple[float, ...]]:
    """Ends and ticks of an axis that holds every value with a little room, on round numbers.

    Decimal arithmetic keeps tick labels exact (0.2 steps give -0.8, never -0.8000000000000002).
    """
    exact = [_decimal(v) for v in values]
    low, high = min(exact), max(exact)
    if low == high:
        low, high = low - 1, high + 1
    span = high - low
    step = nice_step(span / TICK_INTERVALS)
    lo = ((low - span * MARGIN) / step).to_integral_value(ROUND_FLOOR) * step
    hi = ((high + span * MARGIN) / step).to_integral_value(ROUND_CEILING) * step
    intervals = int((hi - lo) / step)
    return float(lo), float(hi), tuple(float(lo + i * step) for i in range(intervals + 1))


# --------------------------------------------------------------------------- the document


def plot_doc(store: Store, names: Sequence[str]) -> PlotDoc:
    """Forest panels, effect-over-time charts, the arms' improvement and what could not be drawn,
    for 1-6 treatments."""
    if not 1 <= len(names) <= MAX_PLOT:
        raise UsageError(f"painsci: plot takes 1 to {MAX_PLOT} treatments, got {len(names)}")
    treatments = family(store, [resolve(store, name) for name in names])
    entries = [(t, f) for t in treatments for f in t.findings]
    courses = over_time(store, entries)
    charted = {row.finding for course in courses for row in course.rows}
    notes = tuple(
        f"{t.name}: {t.evidence_gap or 'no between-group figure in the knowledge base'}"
        for t in treatments
        if not any(f.effect is not None for f in t.findings)
    )
    return PlotDoc(
        *header(store),
        kind="plot",
        treatments=tuple(t.id for t in treatments),
        panels=forest(store, entries),
        over_time=courses,
        not_drawn=tuple(plot_row(t, f) for t, f in entries if f.effect is None and f.id not in charted),
        notes=notes,
        arms_improvement=arms_charts(store, treatments),
    )


def arms_charts(store: Store, treatments: Sequence[Treatment]) -> tuple[PlotArms, ...]:
    """Each trial's arms (same scale, time point and co-treatment) under the first treatment that
    stores them; a trial shared by two treatments named (acupuncture and its sham) is drawn once."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for treatment in treatments:
        for chart in arms_improvement(treatment.within_group, store.core.scales):
            key = (chart.source, chart.scale, chart.time_point, *sorted(a.record for a in chart.arms))
            if key not in seen:
                seen.add(key)
                out.append(PlotArms(treatment.id, treatment.name, chart))
    return tuple(out)


def family(store: Store, chosen: Sequence[Treatment]) -> list[Treatment]:
    """Each named treatment followed by its sub-types, each once.

    The evidence for "massage" is spread over the review-level entry and its kinds (relaxation
    massage carries the 10/26/52-week trial), so a plot of massage must include them.
    """
    seen: dict[str, Treatment] = {}
    stack = list(reversed(chosen))
    while stack:
        treatment = stack.pop()
        if treatment.id in seen:
            continue
        seen[treatment.id] = treatment
        stack.extend(store.treatments[c] for c in reversed(store.children.get(treatment.id, ())))
    return list(seen.values())


def axis_key(finding: Finding) -> AxisKey | None:
    effect = finding.effect
    if effect is None:
        return None
    unit = finding.outcome.scale if effect.measure == "md" else effect.measure.upper()
    return None if unit is None else (unit, effect.favours_treatment)


def forest(store: Store, entries: Sequence[Entry]) -> tuple[PlotPanel, ...]:
    """One panel per axis, in order of first appearance; rows keep the KB's order."""
    groups: dict[AxisKey, list[Entry]] = {}
    for treatment, finding in entries:
        key = axis_key(finding)
        if key is not None:
            groups.setdefault(key, []).append((treatment, finding))
    return tuple(
        PlotPanel(plot_axis(store, key, [f for _, f in members]), tuple(plot_row(t, f) for t, f in members))
        for key, members in groups.items()
    )


def over_time(store: Store, entries: Sequence[Entry]) -> tuple[TimeCourse, ...]:
    """Charts of one difference measured at 2+ time points, so a fading effect shows.

    Findings belong together when they share treatment, outcome, scale, comparator and
    population. Time points with only a direction ("no persisting benefit") stay in as rows.
    """
    groups: dict[tuple[str | None, ...], list[Entry]] = {}
    for treatment, f in entries:
        same = (
            treatment.id,
            f.outcome.construct,
            f.outcome.label,
            f.outcome.scale,
            f.comparator.kind,
            f.comparator.label,
            f.population.duration,
        )
        groups.setdefault(same, []).append((treatment, f))
    courses: list[TimeCourse] = []
    for members in groups.values():
        ordered = sorted(members, key=lambda entry: time_order(entry[1]))
        axes = dict.fromkeys(k for _, f in ordered if (k := axis_key(f)) is not None)
        for axis_id in axes:
            on_axis = [(t, f) for t, f in ordered if f.effect is None or axis_key(f) == axis_id]
            if len({f.time_point.label for _, f in on_axis}) < 2:
                continue
            treatment, first = on_axis[0]
            axis = plot_axis(store, axis_id, [f for _, f in on_axis if f.effect is not None])
            rows = tuple(plot_row(t, f) for t, f in on_axis)
            courses.append(
                TimeCourse(treatment.id, treatment.name, first.outcome.label, first.comparator.label, axis, rows)
            )
    return tuple(courses)


def time_order(finding: Finding) -> tuple[int, float, float]:
    """AHRQ window first (it is counted from the end of treatment), then weeks where known."""
    window = derive.time_window(finding)
    rank = WINDOW_ORDER.index(window.window) if window.window in WINDOW_ORDER else len(WINDOW_ORDER)
    after = window.weeks_after_treatment
    weeks = finding.time_point.weeks
    return rank, -1.0 if after is None else after, -1.0 if weeks is None else float(weeks)


def plot_row(treatment: Treatment, finding: Finding) -> PlotRow:
    effect = finding.effect
    if effect is None:
        estimate: Number | None = None
        lower: Number | None = None
        upper: Number | None = None
        figure = f"{NOT_REPORTED}: {finding.result or 'no between-group figure'}"
    else:
        estimate = effect.estimate
        lower, upper = (effect.ci95.lower, effect.ci95.upper) if effect.ci95 else (None, None)
        figure = f"{effect.measure.upper()} {number(effect.estimate)} ({interval(finding)})"
    return PlotRow(
        treatment=treatment.id,
        treatment_name=treatment.name,
        finding=finding.id,
        outcome=finding.outcome.label,
        population=finding.population.duration.replace("_", "/"),
        comparator=finding.comparator.label,
        time_point=finding.time_point.label,
        window=derive.time_window(finding).window,
        estimate=estimate,
        lower=lower,
        upper=upper,
        figure=figure,
    )


def plot_axis(store: Store, key: AxisKey, findings: Sequence[Finding]) -> PlotAxis:
    """An axis holding no effect, the MCID line and every figure of `findings` (all with effects)."""
    unit, sign = key
    measure: Measure = findings[0].effect.measure if findings[0].effect else "md"
    null: Number = 1 if measure == "rr" else 0
    mcid, basis, sources, note = shared_mcid(findings, measure, sign)
    values: list[Number] = [null] if mcid is None else [null, mcid]
    for f in findings:
        if f.effect is not None:
            values.append(f.effect.estimate)
            if f.effect.ci95 is not None:
                values += [f.effect.ci95.lower, f.effect.ci95.upper]
    lo, hi, ticks = axis_range(values)
    return PlotAxis(
        id=unit,
        title=axis_title(store, unit, measure, sign),
        measure=measure,
        favours_treatment=sign,
        null=null,
        lo=lo,
        hi=hi,
        ticks=ticks,
        mcid=mcid,
        mcid_basis=basis,
        mcid_sources=sources,
        note=note,
    )


def shared_mcid(
    findings: Sequence[Finding], measure: Measure, sign: Sign
) -> tuple[Number | None, McidBasis | None, tuple[str, ...], str | None]:
    """The MCID line, when every finding on the axis is judged against the same threshold.

    derive.mcid_check states thresholds as a benefit (positive); on lower-is-better scales a
    benefit is negative, so the line for a 2-point RDQ threshold sits at -2.
    """
    if measure != "md":
        unit = {"smd": "in SD units", "rd": "for a risk difference", "rr": "for a risk ratio"}[measure]
        return None, None, (), f"no MCID line: no minimal important difference is defined {unit}"
    checks = [derive.mcid_check(f) for f in findings]
    thresholds = {(c.threshold, c.basis) for c in checks}
    if len(thresholds) > 1:
        return None, None, (), "no MCID line: these findings are judged against different thresholds"
    threshold, basis = thresholds.pop()
    if threshold is None:
        return None, None, (), "no MCID line: no threshold is recorded for this scale"
    sources = tuple(sorted({c.source for c in checks if c.source}))
    return (-threshold if sign == "negative" else threshold), basis, sources, None


def axis_title(store: Store, unit: str, measure: Measure, sign: Sign) -> str:
    scale = store.scale(unit) if measure == "md" else None
    if scale is not None:
        better = "lower" if scale.direction == "lower_is_better" else "higher"
        return (
            f"{scale.name} ({number(scale.min)}-{number(scale.max)} {scale.unit}, {better} is better): mean difference"
        )
    side = {"negative": "below", "positive": "above"}[sign] + (" 1" if measure == "rr" else " 0")
    name = {
        "md": f"Mean difference on {unit}",
        "smd": "Standardised mean difference (SMD, in standard deviations)",
        "rd": "Risk difference (RD)",
        "rr": "Risk ratio (RR)",
    }[measure]
    return f"{name}: {side} favours the treatment"
