"""Numbers people can use (SYNTHESIS.md §6), as every view prints them and the JSON carries them.

reexpress.py, absolute.py and arms.py hold the formulas; this module decides what each stored
finding is re-expressed as (an SMD in points, a binary result per 100 and as an NNT) and words
each result once, so the summary card, --full, compare and `--json` cannot disagree. A
treatment's arms (arms.arms_improvement) and harm rates (absolute.harm_rates) are worded beside
their formulas in the same way. Every figure is computed from stored figures, never typed into
the YAML, and every record carries the assumption it rests on (the SD and its basis, the control
risk, the formula).

Wording never overstates: an SMD in points is "about"; a size below the individual threshold is a
share of "the change an individual notices", never "not clinically important"; a usual-care arm's
share of the improvement is never called placebo.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from . import absolute, profile, reexpress
from .models import Finding, Proportion
from .records import DOCUMENTED, Record, record
from .text import COMPARATOR_SHORT, number
from .vocabulary import Sign

POINTS_WORDS = (
    "points = SMD x an assumed SD of {sds} (AHRQ/ACP magnitude bands; no authoritative SD exists); "
    "the change an individual notices: {mids} ({source}); painsci glossary points"
)


def one_decimal(value: float) -> str:
    """Rounded half up to one decimal ("1.875" -> "1.9"); never "-0.0"."""
    text = str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return "0.0" if text == "-0.0" else text


def _side(value: float, good: str, bad: str) -> str:
    shown = one_decimal(abs(value))
    return shown if shown == "0.0" else f"{shown} {good if value > 0 else bad}"


def _range(low: float, high: float, good: str, bad: str) -> str:
    """'1.2 to 2.3 better', '0.1 worse to 2.7 better', '0.4 to 2.5 worse': each end on its side of
    no effect, nearer to no effect first when both ends lie on the worse side."""
    if high <= 0 and low < 0:
        low, high = high, low
    low_side, high_side = _side(low, good, bad), _side(high, good, bad)
    low_figure, _, low_word = low_side.rpartition(" ")
    if low_word in (good, bad) and high_side.endswith(f" {low_word}"):
        return f"{low_figure} to {high_side}"
    return f"{low_side} to {high_side}"


# --------------------------------------------------------------------------- SMD in points


@record
class Points(Record):
    """An SMD as points on the familiar scale of its outcome, at both ends of an assumed SD range."""

    __pydantic_config__ = DOCUMENTED
    scale: str
    """The familiar scale, e.g. "pain 0-10" or "RDQ 0-24"."""
    sd_low: float
    """The low end of the assumed between-patient SD on that scale (pain 0-10: 2.0; RDQ: 4.5)."""
    sd_high: float
    """The high end of the assumed SD (pain 0-10: 2.5; RDQ: 5.0)."""
    sd_basis: str
    """Why that SD range; no authoritative SD exists for low back pain."""
    sd_sources: tuple[str, ...]
    """Ids of the sources of the magnitude bands the SD range rests on."""
    better_at_low_sd: float
    """The estimate in points at the low SD; positive = better with the treatment."""
    better_at_high_sd: float
    """The estimate in points at the high SD; positive = better with the treatment."""
    ci_lower: float | None
    """The 95% CI's lower end in points (positive = better with the treatment), at whichever end of
    the SD range makes it lowest."""
    ci_upper: float | None
    """The 95% CI's upper end in points, at whichever end of the SD range makes it highest."""
    mid_words: str
    """The estimate as a share of the individual-level minimal important change, e.g. "about a third
    of the change an individual notices" (never "not clinically important")."""
    mid_fraction_low: float
    """The estimate at the low SD as a fraction of that threshold."""
    mid_fraction_high: float
    """The estimate at the high SD as a fraction of that threshold."""
    mid_threshold: float
    """The individual-level threshold in points (Ostelo 2008: 2 on pain 0-10, 5 RDQ points)."""
    mid_source: str
    """Id of the threshold's source."""
    text: str
    """E.g. "about 1.5 to 1.9 points better on pain 0-10 (95% CI 1.2 to 2.3 better)"."""
    method: str
    """The formula and its source (Cochrane Handbook 5.1 §12.6.4)."""


def points(finding: Finding) -> Points | None:
    """An SMD on pain or function in points of pain 0-10 or RDQ 0-24; None for anything else."""
    effect = finding.effect
    if effect is None or effect.measure != "smd":
        return None
    ci = (float(effect.ci95.lower), float(effect.ci95.upper)) if effect.ci95 else None
    found = reexpress.points_from_smd(float(effect.estimate), ci, finding.outcome.construct)
    if found is None:
        return None
    turn = 1.0 if effect.favours_treatment == "positive" else -1.0
    sd = found.sd
    at_low, at_high = turn * found.estimate.at_low_sd, turn * found.estimate.at_high_sd
    ci_lower = ci_upper = None
    if found.lower is not None and found.upper is not None:
        ends = [turn * v for span in (found.lower, found.upper) for v in (span.at_low_sd, span.at_high_sd)]
        ci_lower, ci_upper = min(ends), max(ends)
    mid = reexpress.mid_units(found)
    if one_decimal(abs(at_low)) == one_decimal(abs(at_high)):
        size = f"about {one_decimal(abs(at_low))}"
    else:
        size = f"about {one_decimal(abs(at_low))} to {one_decimal(abs(at_high))}"
    text = f"{size} points {'better' if at_low > 0 else 'worse'} on {sd.scale_name}"
    if at_low == 0:
        text = f"no difference in points on {sd.scale_name}"
    if ci_lower is not None and ci_upper is not None:
        text += f" (95% CI {_range(ci_lower, ci_upper, 'better', 'worse')})"
    return Points(
        scale=sd.scale_name,
        sd_low=sd.low,
        sd_high=sd.high,
        sd_basis=sd.basis,
        sd_sources=sd.sources,
        better_at_low_sd=at_low,
        better_at_high_sd=at_high,
        ci_lower=ci_lower,
        ci_upper=ci_upper,
        mid_words=mid.words,
        mid_fraction_low=mid.fraction_low,
        mid_fraction_high=mid.fraction_high,
        mid_threshold=mid.threshold,
        mid_source=mid.source,
        text=text,
        method=found.method,
    )


def points_words(points: Points) -> str:
    """The points and their share of the change an individual notices, as the card and compare
    print them beside an SMD: "about 1.5 to 1.9 points better on pain 0-10 (95% CI 1.2 to 2.3
    better), between about three quarters and about the same as the change an individual notices".

    When the interval reaches from worse to better, the share is left out: "about the same as the
    change an individual notices" beside a result that may be no effect at all reads as a win
    (the JSON keeps `mid_words`)."""
    if crosses_no_effect(points):
        return points.text
    return f"{points.text}, {points.mid_words}"


def crosses_no_effect(points: Points) -> bool:
    """The interval reaches from worse to better: the estimate alone must not be read as a gain."""
    return points.ci_lower is not None and points.ci_upper is not None and points.ci_lower < 0 < points.ci_upper


def points_brief(points: Points) -> str:
    """The points alone, "about 1.5 to 1.9 points better on pain 0-10", for a line that must stay
    short (a sub-type on its parent's card); its own card and --full give the CI and the share."""
    return points.text.partition(" (95% CI ")[0]


def points_note(shown: Sequence[Points]) -> str | None:
    """The footnote that names each SD and individual threshold behind the points shown, or None
    when none is shown."""
    sds = dict.fromkeys(f"{one_decimal(p.sd_low)}-{one_decimal(p.sd_high)} on {p.scale}" for p in shown)
    mids = dict.fromkeys(f"{number(p.mid_threshold)} on {p.scale}" for p in shown)
    sources = ", ".join(dict.fromkeys(p.mid_source for p in shown))
    return POINTS_WORDS.format(sds=" and ".join(sds), mids=" and ".join(mids), source=sources) if sds else None


def superiority(finding: Finding) -> reexpress.Superiority | None:
    """How often a treated patient does better than a control patient, for an SMD (McGraw & Wong)."""
    effect = finding.effect
    if effect is None or effect.measure != "smd":
        return None
    return reexpress.probability_of_superiority(float(effect.estimate), effect.favours_treatment)


# --------------------------------------------------------------------------- absolute effects


@record
class NntEnd(Record):
    """One end of a number needed to treat."""

    __pydantic_config__ = DOCUMENTED
    kind: Literal["benefit", "harm", "none"]
    """Needed to treat for one more to benefit (NNTB) or be harmed (NNTH); none: no difference."""
    value: int | None
    """Rounded up; null stands for ∞ (a risk difference of 0)."""


@record
class AbsoluteEffect(Record):
    """A binary finding as a difference per 100 people and a number needed to treat."""

    __pydantic_config__ = DOCUMENTED
    finding: str
    """The finding's id in `treatment.findings`."""
    event: str
    """What was counted: the responder definition, else the outcome."""
    versus: str
    """The control, in a few words ("usual care", "sham", "other treatment")."""
    time_point: str
    """When, in the source's words."""
    treatment_per_100: float | None
    """The treated arm's proportion per 100, where the source prints it."""
    control_per_100: float | None
    """The control arm's proportion per 100, where the source prints it."""
    adjusted: bool
    """The arms' percentages are model-based estimates (adjusted, imputed), not counts."""
    per_100: float
    """Treatment minus control, per 100 people (positive: more people with the event when treated)."""
    per_100_lower: float | None
    """The lower end of its 95% CI, per 100."""
    per_100_upper: float | None
    """The upper end of its 95% CI, per 100."""
    basis: absolute.RdBasis
    """Where the CI comes from: counts, the ratio's CI with the control arm as control risk, a
    printed risk difference, or percentages only (no CI)."""
    control_risk: float | None
    """The control arm's risk the CI was computed with (0-1), where one was used."""
    capped: bool
    """A ratio's CI limit would have put the treated risk above 100%: capped there."""
    method: str
    """How the difference and its CI were computed, with the source of the formula."""
    nnt: NntEnd
    """Number needed to treat for one more to benefit (or be harmed): 1/|RD| rounded up."""
    nnt_from_lower: NntEnd | None
    """The NNT at the risk difference's lower CI limit."""
    nnt_from_upper: NntEnd | None
    """The NNT at the risk difference's upper CI limit."""
    through_infinity: bool
    """The risk difference's CI includes 0: the NNT's CI runs from an NNTB through ∞ to an NNTH."""
    per_100_text: str
    """E.g. "60.5 vs 44.1 in 100; 16.4 more per 100 (95% CI 2.6 to 34.0 more)"."""
    nnt_text: str
    """E.g. "NNT 7 (95% CI 3 to 38)" or "NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)" (Altman 1998)."""
    same_trial: tuple[str, ...] = ()
    """Mean-difference findings of the same trial, comparator and time point: responder NNTs look
    rosier than mean differences in back pain, so the two are shown together."""


def _good_sign(finding: Finding, rd: float) -> Sign | None:
    """Which sign of the risk difference is good for the patient: the effect's, else the one the
    source's reported direction gives the arms' difference; None when neither says."""
    if finding.effect is not None:
        return finding.effect.favours_treatment
    if rd == 0:
        return None
    more: Sign = "positive" if rd > 0 else "negative"
    if finding.direction == "favours_treatment":
        return more
    if finding.direction == "favours_comparator":
        return "negative" if more == "positive" else "positive"
    return None


def _end(end: absolute.Nnt | None) -> NntEnd | None:
    return None if end is None else NntEnd(end.kind, end.value)


def absolute_effect(finding: Finding, siblings: Sequence[Finding] = ()) -> AbsoluteEffect | None:
    """Per 100 and NNT for a binary finding: from per-arm proportions or a printed risk difference."""
    effect, split = finding.effect, finding.responders
    rd: absolute.RiskDifference | None = None
    if split is not None:
        rd = absolute.risk_difference(split.treatment, split.control, effect)
    elif effect is not None and effect.measure == "rd":
        rd = absolute.printed_risk_difference(effect)
    if rd is None:
        return None
    good = _good_sign(finding, rd.estimate)
    if good is None:
        return None
    result = absolute.number_needed(rd, good)
    estimate, lower, upper = rd.per(100)
    text = f"{one_decimal(abs(estimate))} {'more' if estimate > 0 else 'fewer'} per 100"
    if estimate == 0:
        text = "no difference per 100"
    if lower is not None and upper is not None:
        capped = "; capped where a risk would pass 100%" if rd.capped else ""
        text += f" (95% CI {_range(lower, upper, 'more', 'fewer')}{capped})"
    if split is not None:
        text = f"{_percent(split.treatment)} vs {_percent(split.control)} in 100; {text}"
    interval = result.interval
    return AbsoluteEffect(
        finding=finding.id,
        event=split.definition if split else finding.outcome.label,
        versus=COMPARATOR_SHORT[finding.comparator.kind],
        time_point=finding.time_point.label,
        treatment_per_100=_per_100(split.treatment) if split else None,
        control_per_100=_per_100(split.control) if split else None,
        adjusted=bool(split and split.adjusted),
        per_100=estimate,
        per_100_lower=lower,
        per_100_upper=upper,
        basis=rd.basis,
        control_risk=rd.control_risk,
        capped=rd.capped,
        method=rd.method,
        nnt=NntEnd(result.point.kind, result.point.value),
        nnt_from_lower=_end(interval.from_lower if interval else None),
        nnt_from_upper=_end(interval.from_upper if interval else None),
        through_infinity=bool(interval and interval.through_infinity),
        per_100_text=text,
        nnt_text=result.text(),
        same_trial=tuple(s.id for s in siblings if _same_trial(finding, s)),
    )


def _per_100(arm: Proportion) -> float | None:
    if arm.events is not None and arm.total:
        return 100 * arm.events / arm.total
    return None if arm.percent is None else float(arm.percent)


def _percent(arm: Proportion) -> str:
    if arm.percent is not None:
        return number(arm.percent)
    assert arm.events is not None and arm.total
    return one_decimal(100 * arm.events / arm.total)


def _same_trial(finding: Finding, other: Finding) -> bool:
    """A mean difference of the same source, comparator and time point as a binary finding."""
    effect = other.effect
    return (
        other.id != finding.id
        and effect is not None
        and effect.measure in ("md", "smd")
        and other.cite.source == finding.cite.source
        and other.comparator.kind == finding.comparator.kind
        and other.time_point.label == finding.time_point.label
    )


def absolute_effects(findings: Sequence[Finding], phase: profile.Phase | None = None) -> tuple[AbsoluteEffect, ...]:
    """Every binary finding's absolute effect (for `phase` only, if given): vs sham first, then
    vs usual care and the like, then vs other treatments, each in stored order (SYNTHESIS §1)."""
    chosen = [f for f in findings if phase is None or phase in profile.phases(f)]
    chosen.sort(key=lambda f: profile.QUESTIONS.index(profile.question(f)))
    found = (absolute_effect(f, findings) for f in chosen)
    return tuple(a for a in found if a is not None)
