"""Words for people: how numbers, effects and computed verdicts are spelt in every output."""

from __future__ import annotations

from .derive import McidCheck
from .models import Finding, Number, Scale

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
