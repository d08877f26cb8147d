"""Stored effects re-expressed as numbers a clinician can use: points, NNTs, rates, shares.

Nothing here is typed into the YAML: every number is computed from stored figures, and every
result carries its basis (which SD, which threshold, which formula and source), so a view can
print the assumptions next to the number. Pure functions over the model's records; standard
library only (no rich, yaml or pydantic), so importing this costs next to nothing.

This module holds what is computed from an SMD; it also re-exports the absolute effects
(absolute.py: risk differences, NNTs, harm rates) and the arms' shares of the improvement
(arms.py), so `reexpress` is the one name to import.

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

from .absolute import (
    PERCENT_METHOD,
    PRINTED_METHOD,
    RATIO_CI_METHOD,
    RATIO_METHOD,
    WALD_METHOD,
    Z95,
    ExpressedRate,
    Nnt,
    NntInterval,
    NntKind,
    NntResult,
    RatioMeasure,
    RdBasis,
    RiskDifference,
    harm_per,
    nnt,
    nnt_interval,
    number_needed,
    printed_risk_difference,
    rd_limits,
    risk_difference,
    risk_difference_from_ratio,
)
from .arms import (
    CONTROL_WORDS,
    ZOU_METHOD,
    ImprovementShare,
    improvement_shares,
    paired,
    share_of_improvement,
)
from .derive import INDIVIDUAL_MCID, INDIVIDUAL_MCID_SOURCE, MAGNITUDE_SOURCES
from .records import DOCUMENTED, Record, record
from .vocabulary import Sign

__all__ = [
    "CONTROL_WORDS",
    "INDIVIDUAL_CHANGE",
    "MID_BANDS",
    "PERCENT_METHOD",
    "POINTS_METHOD",
    "PRINTED_METHOD",
    "RATIO_CI_METHOD",
    "RATIO_METHOD",
    "TYPICAL_SD",
    "WALD_METHOD",
    "Z95",
    "ZOU_METHOD",
    "ExpressedRate",
    "ImprovementShare",
    "MidUnits",
    "Nnt",
    "NntInterval",
    "NntKind",
    "NntResult",
    "PointsRange",
    "PointsSpan",
    "RatioMeasure",
    "RdBasis",
    "RiskDifference",
    "Superiority",
    "TypicalSd",
    "fraction_words",
    "harm_per",
    "improvement_shares",
    "mid_units",
    "nnt",
    "nnt_interval",
    "number_needed",
    "paired",
    "points_from_smd",
    "printed_risk_difference",
    "probability_of_superiority",
    "rd_limits",
    "risk_difference",
    "risk_difference_from_ratio",
    "share_of_improvement",
]

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


# --------------------------------------------------------------------------- probability of superiority


@record
class Superiority(Record):
    """How often a treated patient does better than a control patient, from an SMD."""

    __pydantic_config__ = DOCUMENTED
    probability: float
    """Φ(SMD/√2), oriented so that above 0.5 favours the treatment (McGraw & Wong 1992)."""
    in_100: int
    """The probability in 100 pairings, rounded half up."""
    text: str
    """E.g. "a treated patient does better than a control patient in 64 of 100 pairings"."""


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
