"""`painsci explain`: the evidence profile told in a paragraph, the way GRADE says to word it.

GRADE guideline 26 (SYNTHESIS.md §7): high certainty "reduces", moderate "probably reduces",
low "may reduce", very low "we are very uncertain whether it reduces"; a CI that includes no
effect "did not clearly reduce". The paragraph opens with the bottom line, then the sham result
when there is one, then the comparison with usual care (named as an upper bound), then other
treatments; the comparator and the time are in the same sentence as the number. Every clause
comes from the profile and the stored figures, so no caution can contradict the sentence before
it, and nothing is said that the treatment's own record does not support.
"""

from __future__ import annotations

from typing import get_args

from . import text as words
from .bottom_line import sham_caveat
from .derive import INACTIVE, benefit, significant
from .durability import WINDOW_WORDS
from .judgements import evidence, family, finding_of, guideline_lines
from .load.store import Store
from .models import Finding, Scale, Treatment
from .profile import QUESTIONS, Answer, EvidenceProfile, Phase, Shows
from .text import interval, number

_ACTION = {
    "pain": ("reduce", "reduces", "reduced", "pain"),
    "function": ("improve", "improves", "improved", "function (less disability)"),
    "bothersomeness": ("reduce", "reduces", "reduced", "how bothersome symptoms are"),
}
MIXED = frozenset({"mixed", "inactive_mixed"})
"""Controls pooled across kinds (sham, waiting list, usual care …): not simply unblinded."""
QUESTION_WORDS = {
    "specific": "Against {label} (a sham or placebo)",
    "pragmatic": "Against {label} (an unblinded comparison)",
    "relative": "Against {label} (another treatment)",
}


def subject(t: Treatment) -> str:
    """'Massage' mid-sentence reads 'massage'; 'TENS', 'Thai massage' or 'Pilates' keep their case.

    A capitalised first word that the description also capitalises mid-sentence is a proper
    name (Thai, Pilates); otherwise it was capitalised only for starting the name.
    """
    name = t.name.strip()
    first = name.split()[0] if name.split() else name
    proper = not first[1:].islower() or f" {first}" in t.description
    return name if proper else name[0].lower() + name[1:]


def explain(store: Store, t: Treatment, phase: Phase = "chronic") -> str:
    """One paragraph: bottom line, the answers that speak (sham first), duration, guidelines."""
    return " ".join(paragraphs(store, t, phase))


def paragraphs(store: Store, t: Treatment, phase: Phase = "chronic") -> tuple[str, ...]:
    """The same sentences in parts: the bottom line, what each comparison showed, how long it
    lasted, the mechanism, the guidelines (Markdown prints each as a paragraph)."""
    found = evidence(store, t, phase)
    line = found.bottom_line
    answers = {f"{q}_{s}" for q in QUESTIONS for s in get_args(Shows)}  # what each answer showed
    why = [r.text for r in line.reasons if r.code not in answers]
    verdict = line.verdict + (", short-lived" if line.short_lived else "")
    opening = [f"Bottom line for {phase} low back pain: {verdict}" + (f" ({'; '.join(why)})" if why else "") + "."]
    if found.from_subtypes:
        opening.append(f"{t.name} has no finding of its own for {phase} pain; this rests on its sub-types.")
    results: list[str] = []
    for question in ("specific", "pragmatic", "relative"):
        answer = found.answer(question)
        if answer is not None:
            results.append(_answer_sentence(store, t, answer))
    answered = bool(results)
    if (caveat := sham_caveat(t, phase, [f for s in (t, *family(store, t)) for f in s.findings])) is not None:
        results.append(f"A sham did about as well: {caveat.text.rstrip('.')} [{caveat.cite.source}].")
    if not answered:
        results.append(_without_findings(t, phase))
        other = evidence(store, t, "acute" if phase == "chronic" else "chronic").bottom_line
        if other.verdict not in ("not studied", "comparator"):
            results.append(f"For {other.phase} pain: {other.verdict} (painsci explain {t.id} --phase {other.phase}).")
    lasting = _lasting(found)
    mechanism = None
    if t.mechanism and t.mechanism.plausibility in ("implausible", "uncertain"):
        mechanism = f"The claimed mechanism is {t.mechanism.plausibility}: {t.mechanism.assessment.rstrip('.')}."
    said = guideline_lines(store, t, phase)
    guidance = "Guidelines: " + "; ".join(g.text for g in said) + "."
    parts = [" ".join(opening), " ".join(results), lasting, mechanism, guidance]
    return tuple(part for part in parts if part)


def _answer_sentence(store: Store, t: Treatment, answer: Answer) -> str:
    """E.g. "Against usual care, relaxation massage may improve function (less disability) by
    2.9 points on RDQ 0-23 (MD -2.9, 95% CI -4.0 to -1.8) at 10 weeks [cherkin-2011]; …"."""
    f = finding_of(store, t, answer)
    opening = QUESTION_WORDS[answer.question].format(label=f.comparator.label)
    if answer.question == "pragmatic" and (answer.bias_risk != "high" or f.comparator.kind in MIXED):
        opening = opening.replace("an unblinded comparison", "controls of several kinds, not all blinded")
    who = subject(t) if answer.treatment == t.id else subject(store.treatments[answer.treatment])
    when = at_time(f.time_point.label)
    cautions = _cautions(answer, f)
    if f.effect is None:
        said = (f.result or "no result stated").rstrip(".")
        return f"{opening} {when}, the source reports: {said} [{f.cite.source}]{cautions}."
    scale = store.scale(f.outcome.scale)
    trivial = answer.magnitude == "below_small" and significant(f) is True
    claim = _claim(who, f, trivial)
    return f"{opening}, {claim} {_figure(f, scale, trivial)} {when} [{f.cite.source}]{cautions}."


TIME_PHRASES = ("immediately ", "after ", "at ", "within ", "during ", "before ", "up to ", "until ")
"""Time labels that already read as a phrase of time: "at" is not put before them."""


def at_time(label: str) -> str:
    """A time point's label as a phrase after a number: "at 10 weeks", "immediately after
    treatment" (never "at immediately after"), "at a time the source does not state", or, for
    another label that says what the time is not, "(time: not tied to a single time point …)"."""
    folded = label.casefold()
    if folded.startswith("not stated"):
        return "at a time the source does not state"
    if folded.startswith("not "):
        return f"(time: {label})"
    return label if folded.startswith(TIME_PHRASES) else f"at {label}"


TRIVIAL_WORDS = {
    "high": "{who} makes little or no difference to {target}",
    "moderate": "{who} probably makes little or no difference to {target}",
    "low": "{who} may make little or no difference to {target}",
    "very_low": "we are very uncertain whether {who} makes any difference to {target}",
    "insufficient": "we are very uncertain whether {who} makes any difference to {target}",
    None: "in a source that did not rate its certainty, {who} made little or no difference to {target}",
}
"""GRADE guideline 26 for an effect below the smallest size class: "results in little to no difference"."""


def _claim(who: str, f: Finding, trivial: bool = False) -> str:
    base, third, past, target = _ACTION.get(f.outcome.construct, ("improve", "improves", "improved", f.outcome.label))
    if significant(f) is False:
        return f"{who} did not clearly {base} {target}"
    b = benefit(f)
    if b is not None and b.estimate <= 0:
        return f"the result favoured the control for {target}"
    level = f.certainty.level if f.certainty else None
    if trivial:
        return TRIVIAL_WORDS[level].format(who=who, target=target)
    if level == "high":
        return f"{who} {third} {target}"
    if level == "moderate":
        return f"{who} probably {third} {target}"
    if level == "low":
        return f"{who} may {base} {target}"
    if level in ("very_low", "insufficient"):
        return f"we are very uncertain whether {who} {third} {target}"
    return f"in a source that did not rate its certainty, {who} {past} {target}"


def _figure(f: Finding, scale: Scale | None, trivial: bool = False) -> str:
    """'by 2.9 points on RDQ 0-23 (MD -2.9, 95% CI -4.0 to -1.8)': size in words, then as printed."""
    assert f.effect is not None
    printed = f"{f.effect.measure.upper()} {number(f.effect.estimate)}, {interval(f)}"
    if f.effect.measure == "rr":
        return f"(risk ratio {number(f.effect.estimate)}, {interval(f)})"
    if significant(f) is False:
        return f"({printed}: the interval includes no effect)"
    size = number(abs(f.effect.estimate))
    if f.outcome.scale_unnamed:
        unit = "points on a scale the source does not name"
    elif scale:
        unit = f"points on {words.scale_label(scale)}"
    else:
        unit = "standard deviations"
    if scale and f.outcome.scale_inferred:
        unit += " (a scale inferred, not named by the source)"
    if trivial:
        return f"(a difference of {size} {unit}, below the smallest size class: {printed})"
    return f"by {size} {unit} ({printed})"


def _cautions(answer: Answer, f: Finding) -> str:
    """The flags that qualify this very number, in the same sentence."""
    notes = []
    if f.indirect is not None:
        what = f.indirect.population or f.indirect.intervention
        notes.append(f"indirect evidence: {what}")
    if "single_small_trial" in answer.flags:
        notes.append("one small trial")
    elif "few_participants" in answer.flags:
        notes.append("fewer than 100 people in all")
    if f.superseded_by:
        notes.append(f"superseded by {f.superseded_by}")
    if "mixed_phases" in answer.flags:
        notes.append("acute and chronic pain pooled, or the phase not stated")
    if answer.question == "pragmatic" and answer.bias_risk == "high":
        who = {"inactive_mixed": "the controls include waiting list or no treatment"}.get(
            f.comparator.kind,
            "the control group knew it got no treatment"
            if f.comparator.kind in INACTIVE
            else "participants knew which group they were in",
        )
        notes.append(f"{who}, so this is an upper bound")
    if answer.disagreeing:
        count = len(answer.disagreeing)
        notes.append("another finding at that time disagrees" if count == 1 else f"{count} other findings disagree")
    return "; " + "; ".join(notes) if notes else ""


def _lasting(found: EvidenceProfile) -> str | None:
    lasting = found.durability
    if not lasting.windows:
        return None
    sentence = f"Over time: {lasting.text}"
    if lasting.gone_by is not None:
        sentence += f"; the benefit was gone {WINDOW_WORDS[lasting.gone_by]} the end of treatment"
    if lasting.disagree:
        sentence += "; the sources disagree about how long it lasts"
    return sentence + "."


def _without_findings(t: Treatment, phase: Phase) -> str:
    if t.evidence_gap:
        return t.evidence_gap if t.evidence_gap.endswith(".") else t.evidence_gap + "."
    return f"The knowledge base holds no between-group finding for {subject(t)} in {phase} low back pain."
