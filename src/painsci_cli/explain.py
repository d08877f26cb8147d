"""`painsci explain`: one plain-language paragraph, worded the way GRADE says to word certainty.

GRADE guidance 26: high certainty "reduces", moderate "probably reduces", low "may reduce",
very low "we are very uncertain whether". The paragraph always names the comparator and the time
point, and says why caution applies; every clause is generated from the stored figures.
"""

from __future__ import annotations

from . import text as words
from .derive import benefit, blinding_risk, magnitude, mcid_check, time_window
from .models import Finding, Scale, Treatment
from .query import Index, durability, guideline_summary, headline
from .text import interval, mcid_text, number

_ACTION = {
    "pain": ("reduce", "pain"),
    "function": ("improve", "function (less disability)"),
    "bothersomeness": ("reduce", "how bothersome symptoms are"),
}


def _claim(t: Treatment, f: Finding) -> str:
    verb, target = _ACTION.get(f.outcome.construct, ("improve", f.outcome.label))
    name = t.name.lower() if t.name[:1].isupper() and not t.name[1:2].isupper() else t.name
    level = f.certainty.level if f.certainty else None
    if level == "high":
        return f"{t.name} {verb}s {target}"
    if level == "moderate":
        return f"{t.name} probably {verb}s {target}"
    if level == "low":
        return f"{t.name} may {verb} {target}"
    if level in ("very_low", "insufficient"):
        return f"We are very uncertain whether {name} {verb}s {target}"
    return f"In this evidence (certainty not rated), {name} appeared to {verb} {target}"


def _size(f: Finding, scale: Scale | None) -> str:
    b = benefit(f)
    assert b is not None and f.effect is not None
    unit = f" {words.scale_label(scale)} points" if scale else f" ({f.effect.measure.upper()})"
    if b.estimate <= 0:
        return f"the estimate favoured the control ({number(f.effect.estimate)}{unit}, {interval(f)})"
    return f"by {number(abs(f.effect.estimate))}{unit} ({interval(f)}, sign as printed: {number(f.effect.estimate)})"


def explain(index: Index, t: Treatment) -> str:
    f = headline(t)
    if f is None:
        gap = t.evidence_gap or "no between-group estimate is in the knowledge base"
        summary = guideline_summary(index, t).text
        return f"{t.name}: there is no between-group figure to explain. {gap} Guidelines: {summary}."
    scale = index.scale(f.outcome.scale)
    window = time_window(f)
    sentences = [
        f"{_claim(t, f)} compared with {f.comparator.label}, {_size(f, scale)}, "
        f"measured at {f.time_point.label} ({words.WINDOW[window.window]}), "
        f"in {f.population.duration.replace('_', '/')} low back pain ({f.cite.source})."
    ]
    check = mcid_check(f)
    size_class = words.MAGNITUDE[magnitude(f, scale).label]
    if check.verdict not in ("not_applicable", "no_threshold"):
        sentences.append(f"That is a {size_class} difference; {mcid_text(check)}.")
    else:
        sentences.append(f"That is a {size_class} difference by AHRQ conventions.")
    sentences.extend(_cautions(index, t, f))
    sentences.append(f"Guidelines: {guideline_summary(index, t).text}.")
    return " ".join(sentences)


def _cautions(index: Index, t: Treatment, f: Finding) -> list[str]:
    reasons = []
    risk = blinding_risk(f)
    if risk.risk != "low":
        reasons.append(f"bias risk is {risk.risk} ({risk.reason})")
    kinds = {c.kind for c in t.caveats}
    if "sham_equals_real" in kinds:
        reasons.append(
            "a sham did about as well as the real treatment, so the benefit is not evidence for the claimed mechanism"
        )
    if "no_better_than_simpler" in kinds:
        reasons.append("it did no better than a simpler treatment")
    if "nonspecific_effects" in kinds:
        reasons.append("much of the benefit may be nonspecific (attention, touch, expectation)")
    lasting = durability(index, t)
    if lasting.faded_by or "short_lived" in kinds:
        reasons.append(f"benefits were short-lived ({lasting.text})")
    if not reasons:
        return []
    return ["Caution: " + "; ".join(reasons) + "."]
