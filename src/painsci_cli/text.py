"""Words for people: how numbers, effects and computed verdicts are spelt in every output."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .derive import McidCheck
from .models import Finding, Scale
from .vocabulary import CertaintyLevel, Number

if TYPE_CHECKING:
    from .guidelines import GuidelineLine
    from .profile import Durability

MAGNITUDE = {
    "large": "large",
    "moderate": "moderate",
    "small": "small",
    "below_small": "below small",
    "below_moderate": "below moderate",
    "above_moderate": "above moderate",
    "favours_comparator": "favours control",
    "no_difference": "no difference",
    "not_classified": "unclassified",
}
WINDOW = {
    "immediate": "end of treatment",
    "short": "short term",
    "intermediate": "intermediate term",
    "long": "long term",
    "unknown": "time not stated",
}
CERTAINTY = {
    "high": "high",
    "moderate": "moderate",
    "low": "low",
    "very_low": "very low",
    "insufficient": "insufficient",
}
STANCE = {"for": "for", "against": "against", "not_addressed": "not addressed", "unverified": "unverified"}
BLINDING = {
    "blinded": "blinded",
    "not_blinded": "not blinded",
    "partial": "partly",
    "unclear": "unclear",
    "not_reported": "not reported",
}
COMPARATOR = {
    "usual_care": "usual care",
    "sham": "sham",
    "placebo": "placebo",
    "waitlist": "waitlist",
    "no_treatment": "no treatment",
    "minimal_intervention": "minimal intervention",
    "inactive_mixed": "inactive controls",
    "active": "active treatment",
    "mixed": "mixed controls",
}
MCID_BASIS = {
    "trial_prespecified": "trial's MCID",
    "review_threshold": "review's threshold",
    "individual_consensus": "individual-level MCID",
}
NOT_REPORTED = "not reported"


def number(value: Number | None) -> str:
    """Exactly as stored: 15 stays 15, 4.0 stays 4.0, nothing is rounded."""
    if value is None:
        return NOT_REPORTED
    return str(value) if isinstance(value, int) else repr(value)


def interval(finding: Finding) -> str:
    effect = finding.effect
    if effect is None or effect.ci95 is None:
        return "95% CI not reported"
    return f"95% CI {number(effect.ci95.lower)} to {number(effect.ci95.upper)}"


def effect_figure(finding: Finding, scale: Scale | None) -> str:
    """'MD -2.9 (95% CI -4.0 to -1.8) RDQ 0-23' — the figure with its unit, never without its CI."""
    effect = finding.effect
    if effect is None:
        return NOT_REPORTED
    unit = f" on {scale_label(scale)}" if scale else ""
    if scale and finding.outcome.scale_inferred:
        unit += " (scale inferred, not stated by the source)"
    if finding.outcome.scale_unnamed:
        unit = " on a scale the source does not name"
    return f"{effect.measure.upper()} {number(effect.estimate)} ({interval(finding)}){unit}"


def scale_label(scale: Scale) -> str:
    short = scale.name.split(",")[0].split(" (")[0]
    return f"{short} {number(scale.min)}-{number(scale.max)}"


def describe_effect(finding: Finding, scale: Scale | None) -> str:
    """The headline in words: outcome, figure, comparator and time point."""
    return (
        f"{finding.outcome.label}: {effect_figure(finding, scale)} "
        f"vs {finding.comparator.label}; time: {finding.time_point.label}"
    )


def mcid_text(check: McidCheck) -> str:
    if check.verdict == "not_applicable":
        return "n/a (not a mean difference)"
    if check.verdict == "no_threshold":
        return "no MCID for this scale"
    basis = MCID_BASIS[check.basis or "trial_prespecified"]
    t = number(check.threshold)
    return {
        "whole_ci_above": f"whole CI at or above the {basis} ({t})",
        "estimate_above_ci_crosses": f"estimate reaches the {basis} ({t}), CI crosses it",
        "estimate_below_ci_crosses": f"estimate below the {basis} ({t}), CI reaches it",
        "whole_ci_below": f"whole CI below the {basis} ({t})",
        "estimate_above_no_ci": f"estimate reaches the {basis} ({t}); no CI",
        "estimate_below_no_ci": f"estimate below the {basis} ({t}); no CI",
    }[check.verdict]


def mcid_badge(check: McidCheck) -> str:
    """The short form used in narrow table cells; `painsci glossary mcid` explains each."""
    return {
        "whole_ci_above": "MCID met",
        "estimate_above_ci_crosses": "MCID maybe",
        "estimate_below_ci_crosses": "MCID unlikely",
        "whole_ci_below": "below MCID",
        "estimate_above_no_ci": "MCID met (no CI)",
        "estimate_below_no_ci": "below MCID (no CI)",
        "no_threshold": "no MCID",
        "not_applicable": "n/a",
    }[check.verdict]


COMPARATOR_SHORT = {
    "usual_care": "usual care",
    "sham": "sham",
    "placebo": "placebo",
    "waitlist": "waiting list",
    "no_treatment": "no treatment",
    "minimal_intervention": "minimal care",
    "inactive_mixed": "inactive",
    "active": "other treatment",
    "mixed": "mixed",
}


def compact_figure(finding: Finding, scale: Scale | None) -> str:
    """'SMD -0.75 [-0.9, -0.6] vs inactive controls': the figure as a table cell holds it, with
    the range of its scale ("MD -2.9 [-4.0, -1.8] 0-23 vs usual care"). Without a figure, the
    reported direction in a few words (no brackets: there is no number to show)."""
    versus = f"vs {COMPARATOR_SHORT[finding.comparator.kind]}"
    effect = finding.effect
    if effect is None:
        said = {
            "favours_treatment": "better",
            "no_difference": "no clear difference",
            "favours_comparator": "worse",
            "conflicting": "conflicting results",
        }.get(finding.direction or "", "no clear direction")
        return f"{said} {versus}"
    ci = f" [{number(effect.ci95.lower)}, {number(effect.ci95.upper)}]" if effect.ci95 else " [no CI]"
    unit = ""
    if effect.measure == "md" and scale is not None:
        unit = f" {number(scale.min)}-{number(scale.max)}"
    elif effect.measure == "md" and finding.outcome.scale_unnamed:
        unit = " (unnamed scale)"
    return f"{effect.measure.upper()} {number(effect.estimate)}{ci}{unit} {versus}"


WINDOW_SHORT = {
    "immediate": "end",
    "short": "1-6 mo",
    "intermediate": "6-12 mo",
    "long": "12+ mo",
    "unknown": "time not stated",
}
"""AHRQ windows after the end of treatment, short enough for a table cell ("end": at the end)."""


def certainty_words(level: CertaintyLevel | None, up_to: CertaintyLevel | None = None) -> str:
    """'moderate', 'very low to low', or 'not rated' (never another finding's certainty)."""
    if level is None:
        return "not rated"
    low = CERTAINTY[level]
    return f"{low} to {CERTAINTY[up_to]}" if up_to else low


def lasts_short(lasting: Durability | None) -> str:
    """'1-6 mo, gone by 6-12 mo': the durability series in a few words for a table cell."""
    if lasting is None or not lasting.windows:
        return "time not stated" if lasting is not None and lasting.unknown_time else "no result"
    if lasting.lasts is None:
        return "no benefit shown"
    text = WINDOW_SHORT[lasting.lasts]
    if lasting.gone_by is not None:
        text += f", gone by {WINDOW_SHORT[lasting.gone_by]}"
    elif lasting.disagree:
        text += " (disputed)"
    return text


GUIDELINE_MARKS = {
    "strong for": "S+",
    "weak for": "W+",
    "open for": "O+",
    "conditional for": "C+",
    "strong against": "S-",
    "weak against": "W-",
    "conditional against": "C-",
    "open against": "O-",
    "not addressed": "na",
    "unverified": "?",
    "out of scope": "n/s",
}
GUIDELINE_LEGEND = (
    "Guidelines: S+ strong for, W+ weak for (NICE: consider), O+ open option (NVL: kann), C+ conditional for "
    "(WHO), S-/W-/C- against, na not addressed, ? not verified, n/s out of its scope; "
    "* only with active treatment; ! past its validity"
)


def guideline_mark(line: GuidelineLine) -> str:
    """'O+*!': a guideline's position as a mark with its qualifiers (see GUIDELINE_LEGEND)."""
    mark = GUIDELINE_MARKS.get(line.mark, "?")
    return f"{mark}{'*' if line.only_with_active_treatment else ''}{'!' if line.past_validity else ''}"


def guideline_marks(lines: Sequence[GuidelineLine]) -> str:
    """'O+*! W+*  na   C+': one mark per guideline, padded to the width of its name in the
    column header (guideline_header), so the marks line up under NVL, NICE, ACP and WHO."""
    return " ".join(guideline_mark(line).ljust(_width(line)) for line in lines).rstrip()


def guideline_header(lines: Sequence[GuidelineLine]) -> str:
    return " ".join(line.short_name.split()[0].ljust(_width(line)) for line in lines).rstrip()


def _width(line: GuidelineLine) -> int:
    return max(len(line.short_name.split()[0]), 4)
