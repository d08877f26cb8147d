"""Stored effects re-expressed as numbers a clinician can use: points, NNTs, rates, shares.

Nothing here is typed into the YAML: every number is computed from stored figures, and every
result carries its basis (which SD, which threshold, which formula and source), so a view can
print the assumptions next to the number. Pure functions over the model's records; standard
library only (no rich, yaml or pydantic), so importing this costs next to nothing.

Formulas and their sources:
- SMD in points: points = SMD x a typical SD (Cochrane Handbook 5.1 §12.6.4).
- Absolute effects: RD = ACR x (RR - 1), or from an OR, and NNT = 1/|RD| rounded up, its CI by
  inverting the RD limits (Cochrane Handbook 5.1 §12.5.4); "NNTB a to ∞ to NNTH b" when the RD
  CI includes zero (Altman, BMJ 1998;317:1309).
- Probability of superiority: Φ(SMD/√2) (McGraw & Wong 1992).
- Share of the treated arm's improvement also seen in the control arm: Δ_C/Δ_T (Zou et al.,
  Ann Rheum Dis 2016).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import product
from typing import Literal

from .derive import INDIVIDUAL_MCID, INDIVIDUAL_MCID_SOURCE, MAGNITUDE_SOURCES
from .models import Effect, HarmRate, Proportion, WithinGroupChange
from .records import Record, record
from .vocabulary import HARM_BASES, ComparatorKind, Sign

# --------------------------------------------------------------------------- SMD in points


@record
class TypicalSd(Record):
    """A plausible between-patient SD on one familiar scale, as a range, with its basis."""

    scale: str
    """The scale's id in the knowledge base (its Ostelo threshold is looked up by it)."""
    scale_name: str
    low: float
    high: float
    basis: str
    sources: tuple[str, ...]


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(source for group in groups for source in group))


TYPICAL_SD: dict[str, TypicalSd] = {
    "pain": TypicalSd(
        scale="pain-10",
        scale_name="pain 0-10",
        low=2.0,
        high=2.5,
        basis="implied by the AHRQ/ACP magnitude bands, in which a moderate effect is SMD 0.5-0.8 and 1-2 "
        "points on a 0-10 pain scale (1/0.5 = 2.0, 2/0.8 = 2.5); no authoritative SD exists for low back pain",
        sources=_unique(MAGNITUDE_SOURCES["pain"], MAGNITUDE_SOURCES["smd"]),
    ),
    "function": TypicalSd(
        scale="rdq-24",
        scale_name="RDQ 0-24",
        low=4.5,
        high=5.0,
        basis="in line with the AHRQ/ACP magnitude bands, in which a moderate effect is SMD 0.5-0.8 and 2-4 "
        "RDQ points; no authoritative SD exists for low back pain",
        sources=_unique(MAGNITUDE_SOURCES["rdq"], MAGNITUDE_SOURCES["smd"]),
    ),
}
"""SD ranges for back-translating SMDs, by outcome construct; other constructs get no points.

Never a trial's own baseline SD: trials with a pain-intensity entry threshold compress it."""

POINTS_METHOD = "points = SMD x SD, at both ends of the SD range (Cochrane Handbook 5.1 §12.6.4)"


@record
class PointsSpan(Record):
    """One SMD value in points, at the low and at the high end of the SD range."""

    at_low_sd: float
    at_high_sd: float


@record
class PointsRange(Record):
    """An SMD and its CI as points on the familiar scale of its outcome, keeping the SMD's sign."""

    smd: float
    estimate: PointsSpan
    lower: PointsSpan | None
    upper: PointsSpan | None
    sd: TypicalSd
    method: str


def points_from_smd(smd: float, ci: tuple[float, float] | None, construct: str) -> PointsRange | None:
    """An SMD in points on pain 0-10 or RDQ 0-24, from both ends of a documented SD range.

    Why: "SMD -0.5" means nothing at the bedside; "about 1 to 1.25 points on a 0-10 scale"
    does. No single SD is authoritative, so both ends are shown (Cochrane Handbook 5.1
    §12.6.4: multiply the SMD by a typical SD). None for outcomes other than pain or function.
    """
    sd = TYPICAL_SD.get(construct)
    if sd is None:
        return None

    def span(value: float) -> PointsSpan:
        return PointsSpan(value * sd.low, value * sd.high)

    lower, upper = (span(ci[0]), span(ci[1])) if ci is not None else (None, None)
    return PointsRange(smd, span(smd), lower, upper, sd, POINTS_METHOD)


# --------------------------------------------------------------------------- MID units

MID_BANDS: tuple[tuple[float, str, str], ...] = (
    (0.05, "less than a tenth", "of"),
    (0.175, "about a tenth", "of"),
    (0.29, "about a quarter", "of"),
    (0.415, "about a third", "of"),
    (0.585, "about half", "of"),
    (0.71, "about two thirds", "of"),
    (0.875, "about three quarters", "of"),
    (1.125, "about the same", "as"),
    (math.inf, "more", "than"),
)
"""(upper cut-off, words, joining word) for a fraction of the individual threshold. Each named
fraction (1/10, 1/4, 1/3, 1/2, 2/3, 3/4, 1) owns the values nearer to it than to its neighbours:
the cut-offs lie halfway between them, rounded to two or three decimals (0.29 for 7/24); below
0.05 is "less than a tenth", and from 1.125 (as far above 1 as 0.875 is below) "more"."""

INDIVIDUAL_CHANGE = "the change an individual notices"


@record
class MidUnits(Record):
    """A size in units of the Ostelo individual-level threshold, with words for it.

    Worded as a share of "the change an individual notices", never as "not clinically
    important": a group difference below an individual threshold is not "no effect".
    """

    fraction_low: float
    fraction_high: float
    threshold: float
    scale: str
    source: str
    words: str


def fraction_words(fraction: float) -> tuple[str, str]:
    """(words, joining word) for a non-negative fraction, by the cut-offs in MID_BANDS."""
    for cutoff, words, joiner in MID_BANDS:
        if fraction < cutoff:
            return words, joiner
    raise ValueError(f"not a fraction: {fraction!r}")  # only NaN gets here


def mid_units(points: PointsRange) -> MidUnits:
    """The estimate in points as a fraction of the individual threshold (Ostelo 2008).

    Why: a clinician knows what a change of 2 points on 0-10 pain or 5 RDQ points means for one
    patient; "about a third of the change an individual notices" says how a group difference
    compares with that without calling it unimportant.
    """
    threshold = INDIVIDUAL_MCID[points.sd.scale]
    low, high = sorted((abs(points.estimate.at_low_sd) / threshold, abs(points.estimate.at_high_sd) / threshold))
    (low_words, low_join), (high_words, high_join) = fraction_words(low), fraction_words(high)
    if low_words == high_words:
        words = f"{low_words} {low_join} {INDIVIDUAL_CHANGE}"
    else:
        words = f"between {low_words} and {high_words} {high_join} {INDIVIDUAL_CHANGE}"
    return MidUnits(low, high, threshold, points.sd.scale, INDIVIDUAL_MCID_SOURCE, words)


# --------------------------------------------------------------------------- absolute effects

RdBasis = Literal["counts", "percentages_and_ratio_ci", "percentages", "ratio_and_control_risk", "printed"]
RatioMeasure = Literal["rr", "or"]

WALD_METHOD = (
    "difference of the two arms' events/total; 95% CI from its standard error (normal approximation, "
    "as RevMan computes it; Cochrane Handbook 5.1 chapter 9)"
)
RATIO_CI_METHOD = (
    "difference of the two arms' percentages; 95% CI from the {measure}'s CI with the control arm's "
    "percentage as the control risk (Cochrane Handbook 5.1 §12.5.4: RD = ACR x (RR - 1))"
)
PERCENT_METHOD = "difference of the two arms' percentages; no CI can be computed from them"
RATIO_METHOD = "from the {measure} with a stated control risk (Cochrane Handbook 5.1 §12.5.4)"
PRINTED_METHOD = "the risk difference as the source prints it"
Z95 = 1.959964
"""The standard normal quantile for a two-sided 95% interval."""


@record
class RiskDifference(Record):
    """Treatment minus control, as a proportion: 0.164 is 16.4 more per 100."""

    estimate: float
    lower: float | None
    upper: float | None
    control_risk: float | None
    basis: RdBasis
    method: str
    capped: bool = False
    """True when an RR limit times the control risk would have meant a risk above 100% (capped there)."""

    def per(self, units: int = 100) -> tuple[float, float | None, float | None]:
        """(estimate, lower, upper) per `units` people: per 100 is what a view shows first."""
        scale = float(units)
        return (
            self.estimate * scale,
            None if self.lower is None else self.lower * scale,
            None if self.upper is None else self.upper * scale,
        )


def _share(p: Proportion) -> float | None:
    if p.events is not None and p.total:
        return p.events / p.total
    return None if p.percent is None else p.percent / 100


def _rd_from_ratio(ratio: float, measure: RatioMeasure, control_risk: float) -> tuple[float, bool]:
    """(RD, capped): an RR above 1/ACR would mean a treated risk above 100%, so it is capped there."""
    if measure == "rr":
        rd = control_risk * (ratio - 1)
        return min(rd, 1 - control_risk), rd > 1 - control_risk
    treated = ratio * control_risk / (1 - control_risk + ratio * control_risk)
    return treated - control_risk, False


def risk_difference_from_ratio(
    ratio: float, ci: tuple[float, float] | None, measure: RatioMeasure, control_risk: float
) -> RiskDifference:
    """An RR or OR turned into a difference in risk for a stated control risk (ACR).

    Why: a ratio hides how common the outcome is; "24 fewer per 1,000" does not. Cochrane
    Handbook 5.1 §12.5.4: RD = ACR x (RR - 1); from an OR, the treated risk is
    OR x ACR / (1 - ACR + OR x ACR). Both are increasing in the ratio, so each CI limit maps
    to the same end. An RR limit that would put the treated risk above 100% is capped there
    (`capped`), as no risk can exceed it.
    """
    if not 0 < control_risk < 1:
        raise ValueError(f"a control risk lies strictly between 0 and 1, got {control_risk!r}")
    if ratio <= 0 or (ci is not None and min(ci) <= 0):
        raise ValueError("a ratio and its CI limits must be positive")
    estimate, capped = _rd_from_ratio(ratio, measure, control_risk)
    lower = upper = None
    if ci is not None:
        (lower, low_capped), (upper, high_capped) = (_rd_from_ratio(x, measure, control_risk) for x in sorted(ci))
        capped = capped or low_capped or high_capped
    method = RATIO_METHOD.format(measure=measure.upper())
    return RiskDifference(estimate, lower, upper, control_risk, "ratio_and_control_risk", method, capped)


def risk_difference(treatment: Proportion, control: Proportion, effect: Effect | None = None) -> RiskDifference | None:
    """The difference between two arms' proportions, with the best CI the stored figures allow.

    Why: the per-arm proportions are what a patient can picture ("63 vs 46 in 100"). With counts
    in both arms the CI comes from them (the standard error RevMan uses); with percentages only
    (model-adjusted estimates, say) it comes from the stored RR's CI with the control arm as the
    control risk (Cochrane Handbook 5.1 §12.5.4); without either there is no CI. `basis` says which.
    """
    treated, controls = _share(treatment), _share(control)
    if treated is None or controls is None:
        return None
    estimate = treated - controls
    if treatment.events is not None and treatment.total and control.events is not None and control.total:
        se = math.sqrt(treated * (1 - treated) / treatment.total + controls * (1 - controls) / control.total)
        return RiskDifference(estimate, estimate - Z95 * se, estimate + Z95 * se, controls, "counts", WALD_METHOD)
    if effect is not None and effect.measure == "rr" and effect.ci95 is not None and 0 < controls < 1:
        from_ratio = risk_difference_from_ratio(effect.estimate, (effect.ci95.lower, effect.ci95.upper), "rr", controls)
        method = RATIO_CI_METHOD.format(measure="RR")
        return RiskDifference(
            estimate,
            from_ratio.lower,
            from_ratio.upper,
            controls,
            "percentages_and_ratio_ci",
            method,
            from_ratio.capped,
        )
    return RiskDifference(estimate, None, None, controls, "percentages", PERCENT_METHOD)


def printed_risk_difference(effect: Effect) -> RiskDifference:
    """A risk difference the source printed itself (measure rd), in the same record."""
    if effect.measure != "rd":
        raise ValueError(f"not a risk difference: {effect.measure!r}")
    lower = upper = None
    if effect.ci95 is not None:
        lower, upper = float(effect.ci95.lower), float(effect.ci95.upper)
    return RiskDifference(float(effect.estimate), lower, upper, None, "printed", PRINTED_METHOD)


# --------------------------------------------------------------------------- NNT

NntKind = Literal["benefit", "harm", "none"]
_SLACK = 1e-9
"""1/0.25 is 4 exactly, but float arithmetic may give 4.000000000000001: do not round that up to 5."""


@record
class Nnt(Record):
    """Patients to treat for one more to benefit (NNTB) or be harmed (NNTH); ∞ when RD is 0."""

    kind: NntKind
    value: int | None
    """Rounded up, as is usual; None stands for ∞."""
    exact: float
    """1/|RD| unrounded (math.inf for RD 0): kept so the interval can be turned back into an RD."""

    def text(self) -> str:
        return "∞" if self.value is None else str(self.value)


def nnt(rd: float, favours_treatment: Sign = "positive") -> Nnt:
    """NNT = 1/|RD| rounded up (Cochrane Handbook 5.1 §12.5.4); benefit or harm by the RD's side.

    `favours_treatment` says which sign of the RD is good for the patient: positive for a good
    event (responders), negative for a bad one (unable to work).
    """
    if rd == 0:
        return Nnt("none", None, math.inf)
    exact = 1 / abs(rd)
    good = (rd > 0) == (favours_treatment == "positive")
    return Nnt("benefit" if good else "harm", math.ceil(exact - _SLACK), exact)


@record
class NntInterval(Record):
    """The NNT's 95% CI from the RD's CI limits; through ∞ when the RD CI includes zero (Altman)."""

    from_lower: Nnt
    from_upper: Nnt
    through_infinity: bool

    def text(self) -> str:
        """ "4 to 38", or Altman's "NNTB 4 to ∞ to NNTH 20"."""
        if self.through_infinity:
            ends = (self.from_lower, self.from_upper)
            benefit = next(e for e in ends if e.kind == "benefit")
            harm = next(e for e in ends if e.kind == "harm")
            return f"NNTB {benefit.text()} to ∞ to NNTH {harm.text()}"
        low, high = sorted((self.from_lower, self.from_upper), key=lambda e: e.exact)
        return f"{low.text()} to {high.text()}"


def nnt_interval(rd_lower: float, rd_upper: float, favours_treatment: Sign = "positive") -> NntInterval:
    """Each RD limit inverted (Cochrane Handbook 5.1 §12.5.4), as Altman (BMJ 1998;317:1309) shows it.

    Why: when the RD's CI includes zero the NNT's CI is not "a to b" but runs from a number
    needed to benefit through ∞ (no difference) to a number needed to harm.
    """
    lower, upper = sorted((rd_lower, rd_upper))
    return NntInterval(nnt(lower, favours_treatment), nnt(upper, favours_treatment), lower < 0 < upper)


def rd_limits(interval: NntInterval, favours_treatment: Sign = "positive") -> tuple[float, float]:
    """The RD limits an NNT interval came from (1/exact, signed): the inverse of nnt_interval."""

    def back(end: Nnt) -> float:
        if end.kind == "none":
            return 0.0
        good = 1.0 if favours_treatment == "positive" else -1.0
        return (good if end.kind == "benefit" else -good) / end.exact

    return back(interval.from_lower), back(interval.from_upper)


@record
class NntResult(Record):
    """An NNT with its CI, and the RD it comes from (which a view shows first, per 100)."""

    rd: RiskDifference
    point: Nnt
    interval: NntInterval | None

    def text(self) -> str:
        """ "NNT 7 (95% CI 4 to 38)", "NNTH 9 (95% CI 5 to 40)" or "NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)"."""
        if self.point.kind == "none":
            head = "NNT ∞"
        elif self.interval is None or self.interval.through_infinity:
            head = f"NNT{'B' if self.point.kind == 'benefit' else 'H'} {self.point.text()}"
        else:
            head = f"NNT{'' if self.point.kind == 'benefit' else 'H'} {self.point.text()}"
        return head if self.interval is None else f"{head} (95% CI {self.interval.text()})"


def number_needed(rd: RiskDifference, favours_treatment: Sign = "positive") -> NntResult:
    """The NNT and its CI for one risk difference."""
    interval = None
    if rd.lower is not None and rd.upper is not None:
        interval = nnt_interval(rd.lower, rd.upper, favours_treatment)
    return NntResult(rd, nnt(rd.estimate, favours_treatment), interval)


# --------------------------------------------------------------------------- probability of superiority


@record
class Superiority(Record):
    """How often a treated patient does better than a control patient, from an SMD."""

    probability: float
    in_100: int
    text: str


def probability_of_superiority(smd: float, favours_treatment: Sign = "positive") -> Superiority:
    """Φ(SMD/√2), the common-language effect size (McGraw & Wong 1992), via math.erf.

    Why: "a treated patient does better than a control patient in 64 of 100 pairings" (SMD 0.5)
    is easier to picture than an SMD. The SMD is first turned so that positive favours the
    treatment; for an SMD that favours it this is Φ(|SMD|/√2), and it falls below 50 of 100 when
    the SMD favours the comparator. It assumes normal outcomes with equal SDs.
    """
    benefit = smd if favours_treatment == "positive" else -smd
    probability = 0.5 * (1 + math.erf(benefit / 2))  # Φ(x) = (1 + erf(x/√2))/2 with x = benefit/√2
    in_100 = math.floor(100 * probability + 0.5)
    text = f"a treated patient does better than a control patient in {in_100} of 100 pairings"
    return Superiority(probability, in_100, text)


# --------------------------------------------------------------------------- share of the improvement

ZOU_METHOD = "control arm's improvement / treated arm's improvement, same trial and time point (Zou et al. 2016)"
CONTROL_WORDS: dict[ComparatorKind, str] = {
    "usual_care": "usual-care",
    "sham": "sham",
    "placebo": "placebo",
    "waitlist": "waiting-list",
    "no_treatment": "no-treatment",
    "minimal_intervention": "minimal-intervention",
    "inactive_mixed": "inactive",
    "active": "active",
    "mixed": "mixed",
}
"""How a control arm is named; only a placebo is ever called a placebo (never usual care)."""


@record
class ImprovementShare(Record):
    """How much of the treated arm's improvement also happened in the control arm: Δ_C/Δ_T."""

    treated: str
    control: str
    """Ids of the two within-group records."""
    control_kind: ComparatorKind
    treated_improvement: float
    control_improvement: float
    share: float
    scale: str
    text: str
    method: str


def paired(a: WithinGroupChange, b: WithinGroupChange) -> bool:
    """Two arms whose improvements may be compared: same source, scale, time point and co-treatment,
    one the treatment and one the control."""
    if {a.role, b.role} != {"treatment", "control"}:
        return False
    if a.cite.source != b.cite.source or a.outcome.scale is None or a.outcome.scale != b.outcome.scale:
        return False
    return a.co_treatment == b.co_treatment and _same_time(a, b)


def _same_time(a: WithinGroupChange, b: WithinGroupChange) -> bool:
    """Weeks decide where stated (the labels of a crossover trial's two weeks differ); else labels."""
    x, y = a.time_point, b.time_point
    if x.weeks is not None or y.weeks is not None:
        return (x.anchor, x.weeks, x.treatment_weeks) == (y.anchor, y.weeks, y.treatment_weeks)
    return (x.anchor, x.label, x.source_window, x.treatment_weeks) == (
        y.anchor,
        y.label,
        y.source_window,
        y.treatment_weeks,
    )


def share_of_improvement(control: WithinGroupChange, treated: WithinGroupChange) -> ImprovementShare | None:
    """Δ_C/Δ_T: the share of the treated arm's improvement that also happened in the control arm.

    Why: patients in every arm improve, so the treated arm's improvement is not the effect. Zou
    et al. (Ann Rheum Dis 2016) express the control arm's improvement as a share of the treated
    arm's; across trials it is typically over half. Only arms of one trial at one time point on
    one scale are compared (ValueError otherwise). None when either improvement is not stored as
    a number or the treated arm did not improve. A usual-care arm's share is named as such,
    never "placebo".
    """
    if not (paired(control, treated) and control.role == "control" and treated.role == "treatment"):
        raise ValueError(f"{control.id!r} and {treated.id!r} are not a control and a treated arm of one comparison")
    if control.improvement is None or treated.improvement is None or treated.improvement <= 0:
        return None
    assert control.control is not None and treated.outcome.scale is not None  # by the KB rules and paired()
    share = control.improvement / treated.improvement
    text = (
        f"{math.floor(100 * share + 0.5)}% of the improvement with {treated.arm} also happened in the "
        f"{CONTROL_WORDS[control.control]} control arm, {control.arm}"
    )
    return ImprovementShare(
        treated.id,
        control.id,
        control.control,
        float(treated.improvement),
        float(control.improvement),
        share,
        treated.outcome.scale,
        text,
        ZOU_METHOD,
    )


def improvement_shares(changes: Sequence[WithinGroupChange]) -> tuple[ImprovementShare, ...]:
    """Every treated/control pair among one treatment's within-group records, in stored order."""
    treated = [c for c in changes if c.role == "treatment"]
    controls = [c for c in changes if c.role == "control"]
    found = (share_of_improvement(c, t) for t, c in product(treated, controls) if paired(t, c))
    return tuple(share for share in found if share is not None)


# --------------------------------------------------------------------------- harms as rates


@record
class ExpressedRate(Record):
    """A harm rate on a chosen basis; `source_per` keeps the basis the source counted on."""

    per: int
    of: str
    value: float | None
    range_low: float | None
    range_high: float | None
    ci_lower: float | None
    ci_upper: float | None
    source_per: int
    from_counts: bool
    """True when the value was computed from events/total (the source printed no rate)."""
    arm: str | None

    def text(self) -> str:
        """ "9.31 per 100 patients (95% CI 5.1 to 14.62)", "3 to 22 per 100 participants (exercise)"."""
        if self.value is not None:
            head = f"{_num(self.value)} per {self.per:,} {self.of}"
        else:
            head = f"{_num(self.range_low)} to {_num(self.range_high)} per {self.per:,} {self.of}"
        if self.ci_lower is not None:
            head += f" (95% CI {_num(self.ci_lower)} to {_num(self.ci_upper)})"
        if self.source_per != self.per:
            head += f" (counted per {self.source_per:,} {self.of} in the source)"
        return head + (f" ({self.arm})" if self.arm else "")


def _num(value: float | None) -> str:
    return "?" if value is None else f"{value:.4g}"


def harm_per(rate: HarmRate, per: int | None = None) -> ExpressedRate:
    """A harm rate on the source's basis, or moved to another one without hiding the move.

    Why: 1.01 per 10,000 patients and 9.31 per 100 patients are both right and not comparable at
    a glance; a view may put them on one basis, but `source_per` says what the source counted and
    `of` never changes (patients stay patients, treatments stay treatments). A rate given only as
    events/total is computed from them (`from_counts`).
    """
    target = rate.per if per is None else per
    if target not in HARM_BASES:
        raise ValueError(f"count per one of {HARM_BASES}, not {target!r}")
    factor = target / rate.per

    def scaled(value: float | None) -> float | None:
        return None if value is None else value * factor

    value, from_counts = (None if rate.value is None else float(rate.value)), False
    if value is None and rate.range is None and rate.events is not None and rate.total:
        value, from_counts = rate.per * rate.events / rate.total, True
    return ExpressedRate(
        per=target,
        of=rate.of,
        value=scaled(value),
        range_low=scaled(None if rate.range is None else rate.range.lower),
        range_high=scaled(None if rate.range is None else rate.range.upper),
        ci_lower=scaled(None if rate.ci95 is None else rate.ci95.lower),
        ci_upper=scaled(None if rate.ci95 is None else rate.ci95.upper),
        source_per=rate.per,
        from_counts=from_counts,
        arm=rate.arm,
    )
