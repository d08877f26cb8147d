"""Computed facts: verdict against the MCID, magnitude class, time window, blinding risk.

Nothing here is typed into the YAML: each verdict is derived from the stored figures, and every
threshold below names its source (an id in the KB's source registry) once, here.
"""

from __future__ import annotations

from typing import Literal

from .models import Finding, Scale
from .records import Record, record

# --------------------------------------------------------------------------- thresholds

INDIVIDUAL_MCID: dict[str, float] = {"pain-100": 15, "pain-10": 2, "rdq-24": 5, "odi-100": 10}
"""Ostelo 2008 consensus minimal important change for an *individual* patient (source ostelo-2008).
Used only when the study itself set no threshold, and then labelled individual-level: a group
difference below it is "below the individual-level MCID", not "no effect"."""
INDIVIDUAL_MCID_SOURCE = "ostelo-2008"

PAIN_100_BANDS = ((5.0, "small"), (10.0, "moderate"), (20.0, "large"))
"""AHRQ/ACP (Chou et al.) on a 0-100 pain scale: small 5-10 points, moderate 10-20 points
(ahrq-cer169, Discussion); "large" here means above the moderate band (> 20)."""
SMD_BANDS = ((0.2, "small"), (0.5, "moderate"), (0.8, "large"))
"""SMD small 0.2-0.5 (ahrq-cer169), moderate 0.5-0.8 (chou-huffman-2007), large >= 0.8 (Cohen's
rule of thumb, cochrane-handbook-5-1 section 12.6.2)."""
RDQ_MODERATE = (2.0, 4.0)
"""Moderate benefit = 2-4 RDQ points (chou-huffman-2007). No small/large RDQ band was verified, so
RDQ differences outside it are reported as below or above the moderate band."""
MAGNITUDE_SOURCES: dict[str, tuple[str, ...]] = {
    "pain": ("ahrq-cer169",),
    "smd": ("ahrq-cer169", "chou-huffman-2007", "cochrane-handbook-5-1"),
    "rdq": ("chou-huffman-2007",),
}

WEEKS_PER_MONTH = 52 / 12
WINDOWS = ((1 * WEEKS_PER_MONTH, "short"), (26.0, "intermediate"), (52.0, "long"))
"""AHRQ 2020 (ahrq-cer227, Table 49 footnote), counted from the end of treatment: short term 1 to
< 6 months, intermediate 6 to < 12 months, long term >= 12 months. Under 1 month is "immediate"."""
WINDOW_SOURCE = "ahrq-cer227"
WINDOW_ORDER: tuple[str, ...] = ("immediate", "short", "intermediate", "long")
"""Windows in time order (the unknown window has no place in it)."""

INACTIVE = {"usual_care", "waitlist", "no_treatment", "minimal_intervention"}
SHAM = {"sham", "placebo"}

CERTAINTY_RANK = {"high": 4, "moderate": 3, "low": 2, "very_low": 1, "insufficient": 0}

# --------------------------------------------------------------------------- results

Magnitude = Literal[
    "large",
    "moderate",
    "small",
    "below_small",
    "below_moderate",
    "above_moderate",
    "favours_comparator",
    "no_difference",
    "not_classified",
]
McidVerdict = Literal[
    "whole_ci_above",
    "estimate_above_ci_crosses",
    "estimate_below_ci_crosses",
    "whole_ci_below",
    "estimate_above_no_ci",
    "estimate_below_no_ci",
    "no_threshold",
    "not_applicable",
]
Window = Literal["immediate", "short", "intermediate", "long", "unknown"]
McidBasis = Literal["trial_prespecified", "review_threshold", "individual_consensus"]
Risk = Literal["low", "high", "unclear"]


@record
class Benefit(Record):
    """The effect re-expressed so that positive always means "better than the comparator"."""

    estimate: float
    lower: float | None
    upper: float | None


@record
class MagnitudeClass(Record):
    label: Magnitude
    convention: str
    sources: tuple[str, ...]


@record
class McidCheck(Record):
    verdict: McidVerdict
    threshold: float | None
    basis: McidBasis | None
    source: str | None


@record
class TimeWindow(Record):
    window: Window
    weeks_after_treatment: float | None
    basis: Literal["computed", "source_window", "unknown"]


@record
class BlindingRisk(Record):
    risk: Risk
    reason: str


def benefit(finding: Finding) -> Benefit | None:
    effect = finding.effect
    if effect is None or effect.measure == "rr":
        return None
    flip = -1.0 if effect.favours_treatment == "negative" else 1.0
    if effect.ci95 is None:
        return Benefit(flip * effect.estimate, None, None)
    ends = sorted((flip * effect.ci95.lower, flip * effect.ci95.upper))
    return Benefit(flip * effect.estimate, ends[0], ends[1])


def significant(finding: Finding) -> bool | None:
    """Does the 95% CI exclude no effect (0, or 1 for a ratio)? None when there is no CI."""
    effect = finding.effect
    if effect is None or effect.ci95 is None:
        return None
    null = 1.0 if effect.measure == "rr" else 0.0
    return not effect.ci95.lower <= null <= effect.ci95.upper


def favours_treatment(finding: Finding) -> bool | None:
    """True when the CI lies wholly on the treatment's side of no effect."""
    effect = finding.effect
    if effect is None or effect.ci95 is None:
        return None
    if effect.measure == "rr":
        return effect.ci95.lower > 1.0 if effect.favours_treatment == "positive" else effect.ci95.upper < 1.0
    b = benefit(finding)
    return b is not None and b.lower is not None and b.lower > 0


def magnitude(finding: Finding, scale: Scale | None) -> MagnitudeClass:
    """AHRQ/ACP size class of the point estimate, on the conventions the sources define.

    A class computed on a scale the source did not name says so in its convention text.
    """
    found = _magnitude(finding, scale)
    if finding.outcome.scale_inferred and found.sources:
        return MagnitudeClass(found.label, found.convention + "; the scale was inferred, not stated", found.sources)
    return found


def _magnitude(finding: Finding, scale: Scale | None) -> MagnitudeClass:
    b = benefit(finding)
    effect = finding.effect
    if b is None or effect is None:
        return MagnitudeClass("not_classified", "no continuous between-group estimate", ())
    if b.estimate < 0:
        return MagnitudeClass("favours_comparator", "the estimate favours the comparator", ())
    if b.estimate == 0:
        return MagnitudeClass("no_difference", "the estimate is exactly zero", ())
    if effect.measure == "smd":
        return _banded(b.estimate, SMD_BANDS, "SMD: small 0.2-0.5, moderate 0.5-0.8, large >= 0.8", "smd")
    if scale is not None and scale.construct == "pain" and scale.min == 0 and scale.max in (10, 100):
        points = b.estimate * (100 / scale.max)
        rescaled = "" if scale.max == 100 else f" ({b.estimate:g}/10 = {points:g}/100)"
        convention = f"pain 0-100: small 5-10, moderate 10-20, large > 20 points{rescaled}"
        return _banded(points, PAIN_100_BANDS, convention, "pain", top_exclusive=True)
    if scale is not None and scale.id.startswith("rdq-"):
        low, high = RDQ_MODERATE
        label: Magnitude = (
            "moderate" if low <= b.estimate <= high else ("below_moderate" if b.estimate < low else "above_moderate")
        )
        return MagnitudeClass(label, "RDQ: moderate = 2-4 points", MAGNITUDE_SOURCES["rdq"])
    return MagnitudeClass("not_classified", "no verified size bands for this scale", ())


def _banded(
    value: float, bands: tuple[tuple[float, str], ...], convention: str, key: str, top_exclusive: bool = False
) -> MagnitudeClass:
    """The highest band whose floor the value reaches; with `top_exclusive` the top band starts
    above its floor (pain: moderate 10-20 includes 20, large is > 20, as the convention says)."""
    label: Magnitude = "below_small"
    for index, (floor, name) in enumerate(bands):
        above_top = top_exclusive and index == len(bands) - 1
        if value > floor or (value == floor and not above_top):
            label = name  # type: ignore[assignment]
    return MagnitudeClass(label, convention, MAGNITUDE_SOURCES[key])


def mcid_check(finding: Finding) -> McidCheck:
    """Compare the whole CI, not just the estimate, with the study's MCID (else Ostelo's)."""
    effect = finding.effect
    if effect is None or effect.measure != "md":
        return McidCheck("not_applicable", None, None, None)
    if finding.mcid is not None:
        threshold = finding.mcid.value
        basis: McidBasis = finding.mcid.basis
        source: str | None = finding.mcid.cite.source
    elif finding.outcome.scale in INDIVIDUAL_MCID:
        threshold = INDIVIDUAL_MCID[finding.outcome.scale]
        basis = "individual_consensus"
        source = INDIVIDUAL_MCID_SOURCE
    else:
        return McidCheck("no_threshold", None, None, None)
    b = benefit(finding)
    assert b is not None
    if b.lower is None or b.upper is None:
        verdict: McidVerdict = "estimate_above_no_ci" if b.estimate >= threshold else "estimate_below_no_ci"
    elif b.lower >= threshold:
        verdict = "whole_ci_above"
    elif b.estimate >= threshold:
        verdict = "estimate_above_ci_crosses"
    elif b.upper >= threshold:
        verdict = "estimate_below_ci_crosses"
    else:
        verdict = "whole_ci_below"
    return McidCheck(verdict, threshold, basis, source)


def time_window(finding: Finding) -> TimeWindow:
    """AHRQ 2020 window after the end of treatment, computed where the weeks are known."""
    tp = finding.time_point
    after: float | None = None
    if tp.anchor == "end_of_treatment" and tp.weeks is not None:
        after = tp.weeks
    elif tp.anchor == "randomisation" and tp.weeks is not None and tp.treatment_weeks is not None:
        after = max(tp.weeks - tp.treatment_weeks, 0.0)
    if after is not None:
        window: Window = "immediate"
        for floor, name in WINDOWS:
            if after >= floor:
                window = name  # type: ignore[assignment]
        return TimeWindow(window, after, "computed")
    if tp.source_window is not None:
        return TimeWindow(tp.source_window, None, "source_window")
    return TimeWindow("unknown", None, "unknown")


def blinding_risk(finding: Finding) -> BlindingRisk:
    """With patient-reported outcomes the participant is the assessor: participant blinding counts."""
    kind = finding.comparator.kind
    participants = finding.blinding.participants if finding.blinding else "not_reported"
    if kind in INACTIVE:
        return BlindingRisk(
            "high",
            "control group knew it got no treatment: disappointment (frustrebo) and the treated "
            "group's nonspecific effects can inflate the difference",
        )
    if kind == "inactive_mixed" and participants != "blinded":
        return BlindingRisk(
            "high",
            "controls include waiting list or no treatment, which participants cannot be blinded to",
        )
    if participants == "blinded":
        if kind in SHAM:
            return BlindingRisk("low", "sham/placebo control with blinded participants")
        return BlindingRisk("low", "participants blinded to their group")
    if participants in ("not_blinded", "partial"):
        return BlindingRisk("high", "participants knew which treatment they got")
    status = "unclear" if participants == "unclear" else "not reported"
    if kind in SHAM:
        return BlindingRisk("unclear", f"sham/placebo control, but participant blinding {status}")
    return BlindingRisk("unclear", f"participant blinding {status}")


def certainty_rank(finding: Finding) -> int:
    return CERTAINTY_RANK[finding.certainty.level] if finding.certainty else -1
