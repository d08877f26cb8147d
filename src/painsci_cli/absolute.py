"""Absolute effects of binary outcomes and harms: risk differences, NNTs and rates on a stated basis.

Nothing here is typed into the YAML: every number is computed from stored figures (per-arm
proportions, a ratio with its CI, a printed risk difference, a harm rate), and every result
carries its basis and method, so a view can print the assumptions beside it. Standard library
and the model only.

Formulas and their sources:
- RD = ACR x (RR - 1), or from an OR, and NNT = 1/|RD| rounded up, its CI by inverting the RD
  limits (Cochrane Handbook 5.1 §12.5.4); "NNTB a to ∞ to NNTH b" when the RD CI includes zero
  (Altman, BMJ 1998;317:1309).
- Harm rates are kept on the basis the source counted on, or moved to another without hiding it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from .models import Effect, Harm, HarmRate, Proportion
from .records import DOCUMENTED, Record, record
from .vocabulary import HARM_BASES, Sign

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


# --------------------------------------------------------------------------- harms as rates


@record
class ExpressedRate(Record):
    """A harm rate on a chosen basis; `source_per` keeps the basis the source counted on."""

    __pydantic_config__ = DOCUMENTED
    per: int
    """The basis shown: events per this many units (100, 1,000 … 1,000,000)."""
    of: str
    """What is counted: patients, participants, treatments, manipulations …"""
    value: float | None
    """Events per `per` units; null when the source gives a range."""
    range_low: float | None
    """The low end of a range across trials or arms, per `per` units."""
    range_high: float | None
    """The high end of that range."""
    ci_lower: float | None
    """The 95% CI's lower end, where printed."""
    ci_upper: float | None
    """The 95% CI's upper end, where printed."""
    source_per: int
    """The basis the source counted on (a view may show another; this says which it was)."""
    from_counts: bool
    """True when the value was computed from events/total (the source printed no rate)."""
    arm: str | None
    """Which arm the rate belongs to, when the source gives one per arm."""

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


# --------------------------------------------------------------------------- harms as rates


@record
class HarmRates(Record):
    """A harm's rates as numbers, each on the basis the source counted on."""

    __pydantic_config__ = DOCUMENTED
    harm: str
    """The harm as the knowledge base describes it."""
    serious: bool
    """Whether the harm is serious."""
    source: str
    """Id of the source that counted it."""
    rates: tuple[ExpressedRate, ...]
    """Each stored rate on the basis the source counted on (per 100 … per million)."""
    text: str
    """E.g. "17 per 100 participants (traction) vs 15 per 100 participants (exercise)"."""


def harm_words(harm: Harm, rates: HarmRates | None) -> str:
    """The harm with its rates as numbers where stored, else with the rate as the source printed it."""
    if rates is not None:
        return f"{harm.description.rstrip('.')}: {rates.text}"
    return harm.description + (f" ({harm.rate})" if harm.rate else "")


def rates_of(harm: Harm, rates: Sequence[HarmRates]) -> HarmRates | None:
    """The rates computed for one stored harm (matched by its description and source)."""
    return next((r for r in rates if r.harm == harm.description and r.source == harm.cite.source), None)


def harm_rates(harms: Sequence[Harm]) -> tuple[HarmRates, ...]:
    """Every harm stored with numbers; per-arm rates are set side by side ("vs")."""
    out = []
    for harm in harms:
        if not harm.rates:
            continue
        rates = tuple(harm_per(rate) for rate in harm.rates)
        joiner = " vs " if all(r.arm for r in rates) else "; "
        out.append(
            HarmRates(harm.description, harm.serious, harm.cite.source, rates, joiner.join(r.text() for r in rates))
        )
    return tuple(out)
