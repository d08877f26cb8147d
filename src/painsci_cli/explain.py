"""`painsci explain`: one plain-language paragraph, worded the way GRADE says to word certainty.

GRADE guidance 26: high certainty "reduces", moderate "probably reduces", low "may reduce",
very low "we are very uncertain whether". The paragraph always names the comparator and the
time point, says when the interval includes no effect, and says why caution applies; every
clause is generated from the stored figures and the computed verdicts.
"""

from __future__ import annotations

from . import text as words
from .derive import benefit, blinding_risk, magnitude, mcid_check, significant, time_window
from .judgements import durability, guideline_summary, headline
from .load.store import Store
from .models import Finding, Scale, Treatment
from .text import interval, mcid_text, number

_ACTION = {
    "pain": ("reduce", "reduces", "pain"),
    "function": ("improve", "improves", "function (less disability)"),
    "bothersomeness": ("reduce", "reduces", "how bothersome symptoms are"),
}


def _subject(t: Treatment) -> str:
    """'Massage' mid-sentence reads 'massage'; 'TENS', 'Thai massage' or 'Pilates' keep their case.

    A capitalised first word that the description also capitalises mid-sentence is a proper
    name (Thai, Pilates); otherwise it was capitalised only for starting the name.
    """
    name = t.name
    first = name.split()[0]
    proper = not first[1:].islower() or f" {first}" in t.description
    return name if proper else name[0].lower() + name[1:]


def _claim(t: Treatment, f: Finding) -> str:
    base, third, target = _ACTION.get(f.outcome.construct, ("improve", "improves", f.outcome.label))
    if significant(f) is False:
        return f"{t.name} did not clearly {base} {target}"
    level = f.certainty.level if f.certainty else None
    if level == "high":
        return f"{t.name} {third} {target}"
    if level == "moderate":
        return f"{t.name} probably {third} {target}"
    if level == "low":
        return f"{t.name} may {base} {target}"
    if level in ("very_low", "insufficient"):
        return f"We are very uncertain whether {_subject(t)} {third} {target}"
    return f"In a source that did not rate its certainty, {_subject(t)} appeared to {base} {target}"


def _figure(f: Finding, scale: Scale | None) -> str:
    """'by 2.9 points on RDQ 0-23 (MD -2.9, 95% CI -4.0 to -1.8)': size in words, then as printed."""
    b = benefit(f)
    assert b is not None and f.effect is not None
    printed = f"{f.effect.measure.upper()} {number(f.effect.estimate)}, {interval(f)}"
    if significant(f) is False:
        return f"({printed}: the interval includes no effect)"
    if b.estimate <= 0:
        return f"(the estimate favoured the control: {printed})"
    size = number(abs(f.effect.estimate))
    unit = f"points on {words.scale_label(scale)}" if scale else "standard deviations"
    if f.outcome.scale_unnamed:
        unit = "points on a scale the source does not name"
    if scale and f.outcome.scale_inferred:
        unit += " (a scale inferred, not named by the source)"
    return f"by {size} {unit} ({printed})"


def explain(store: Store, t: Treatment) -> str:
    f = headline(t)
    summary = guideline_summary(store, t).text
    if f is None:
        return _without_figures(t, summary)
    scale = store.scale(f.outcome.scale)
    window = words.WINDOW[time_window(f).window]
    sentences = [
        f"{_claim(t, f)} compared with {f.comparator.label} {_figure(f, scale)}; "
        f"time point: {f.time_point.label} ({window}); {f.population.duration.replace('_', '/')} low back pain "
        f"[{f.cite.source}]."
    ]
    size_class = magnitude(f, scale).label
    check = mcid_check(f)
    if significant(f) is not False:
        size_text = (
            f"a {words.MAGNITUDE[size_class]} difference by AHRQ conventions"
            if size_class != "not_classified"
            else "a difference with no verified size bands for this scale"
        )
        verdict = f"; {mcid_text(check)}" if check.verdict not in ("not_applicable", "no_threshold") else ""
        sentences.append(f"That is {size_text}{verdict}.")
    sentences.extend(_cautions(store, t, f))
    sentences.append(f"Guidelines: {summary}.")
    return " ".join(sentences)


def _without_figures(t: Treatment, summary: str) -> str:
    """No number to state: say so, and what the sources say in words, if anything."""
    text = [f"The knowledge base holds no between-group figure for {_subject(t)}."]
    direction = [f for f in t.findings if f.effect is None and f.result]
    if direction:
        first = direction[0]
        text.append(
            f"In words, {first.cite.source} reports for {first.outcome.label} vs "
            f"{first.comparator.label} ({first.time_point.label}): {first.result}"
        )
        if len(direction) > 1:
            text.append(f"({len(direction) - 1} more such findings: painsci show {t.id}.)")
    elif t.evidence_gap:
        text.append(t.evidence_gap)
    text.append(f"Guidelines: {summary}.")
    return " ".join(part if part.endswith((".", ")", "?")) else part + "." for part in text)


def _cautions(store: Store, t: Treatment, f: Finding) -> list[str]:
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
    lasting = durability(store, t)
    if lasting.faded_by:
        reasons.append(f"the benefit faded ({lasting.text})")
    elif "short_lived" in kinds:
        reasons.append("the sources describe the benefit as short-lived")
    if not reasons:
        return []
    return ["Caution: " + "; ".join(reasons) + "."]
