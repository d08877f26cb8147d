"""What each guideline says about a treatment, in one line that keeps its meaning.

"Massage: NVL for, NICE for" is wrong; "NVL open option, only with active treatment (past its
validity) · NICE consider, only with active treatment" is right (SYNTHESIS.md §5). A line keeps
the direction, the strength in the guideline's own vocabulary, the condition, the phase it covers
(and what the guideline says for the other phase), its own certainty and its currency.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from .models import Guideline, Recommendation, Treatment
from .profile import Phase
from .records import Record, record
from .vocabulary import CertaintyLevel, GuidelinePhase, Stance, Strength

COVERS: dict[GuidelinePhase, tuple[Phase, ...]] = {
    "acute": ("acute",),
    "subacute": ("acute",),
    "acute_subacute": ("acute",),
    "chronic": ("chronic",),
    "subacute_chronic": ("acute", "chronic"),
    "all": ("acute", "chronic"),
    "not_stated": ("acute", "chronic"),
}
"""Which phase of pain a recommendation covers (subacute belongs to both sides of the split)."""
PHASE_WORDS: dict[GuidelinePhase, str] = {
    "acute": "acute",
    "subacute": "subacute",
    "acute_subacute": "acute/subacute",
    "chronic": "chronic",
    "subacute_chronic": "subacute/chronic",
    "all": "all phases",
    "not_stated": "phase not stated",
}
CHRONIC_ONLY = frozenset({"who-2023"})
"""Guidelines that cover chronic pain only: for acute pain they are silent by scope."""

Mark = Literal[
    "strong for",
    "weak for",
    "open for",
    "conditional for",
    "strong against",
    "weak against",
    "conditional against",
    "not addressed",
    "unverified",
    "out of scope",
]


@record
class GuidelineLine(Record):
    """One guideline's position for one phase of pain, with everything that qualifies it."""

    guideline: str
    short_name: str
    phase: Phase
    stance: Stance | Literal["out_of_scope"]
    strength: Strength | None
    mark: Mark
    """Direction and strength in shared words, for a table cell and for filtering."""
    words: str
    """The strength in the guideline's own vocabulary, e.g. "open option (kann)", "consider"."""
    only_with_active_treatment: bool
    covers: str
    """The phase the recommendation itself names, e.g. "subacute/chronic"."""
    other_phase: str | None
    """What the guideline says for the other phase, when it says something different."""
    certainty: CertaintyLevel | None
    past_validity: bool
    text: str
    """The whole line, e.g. "NVL 2017: open option (kann), only with active treatment;
    subacute/chronic; past its validity"."""


OWN_WORDS: dict[str, dict[tuple[Stance, Strength | None], str]] = {
    "nvl-2017": {
        ("for", "strong"): "strong for (soll)",
        ("for", "weak"): "weak for (sollte)",
        ("for", "open"): "open option (kann)",
        ("against", "strong"): "strongly against (soll nicht)",
        ("against", "weak"): "weakly against (sollte nicht)",
    },
    "nice-ng59": {
        ("for", "strong"): "offer",
        ("for", "weak"): "consider",
        ("against", "strong"): "do not offer",
        ("against", "weak"): "do not offer",
    },
    "acp-2017": {
        ("for", "strong"): "strong for",
        ("for", "weak"): "weak for",
        ("against", "strong"): "strong against",
        ("against", "weak"): "weak against",
    },
    "who-2023": {
        ("for", "conditional"): "conditional for (may be offered)",
        ("against", "conditional"): "conditional against (not for routine care)",
    },
}


def past_validity(guideline: Guideline, reviewed: str) -> bool:
    """True when the guideline's own validity ended before the knowledge base was reviewed.

    Dates are ISO strings of any precision ("2022-03"); the comparison is on their common prefix,
    so a guideline valid "until 2022-03" is past it from April 2022.
    """
    if guideline.valid_until is None:
        return False
    until = guideline.valid_until
    return reviewed[: len(until)] > until


def line(guideline: Guideline, treatment: Treatment, phase: Phase, reviewed: str) -> GuidelineLine:
    """The position of `guideline` on `treatment` for `phase`, worded in one line."""
    recs = [r for r in treatment.recommendations if r.guideline == guideline.id]
    covering = [r for r in recs if phase in _covers(r)]
    other = [r for r in recs if phase not in _covers(r) and r.stance in ("for", "against")]
    expired = past_validity(guideline, reviewed)
    if not covering and guideline.id in CHRONIC_ONLY and phase == "acute":
        text = f"{guideline.short_name}: covers chronic pain only"
        return GuidelineLine(
            guideline.id,
            guideline.short_name,
            phase,
            "out_of_scope",
            None,
            "out of scope",
            "out of scope",
            False,
            "chronic",
            None,
            None,
            expired,
            text,
        )
    chosen = _strongest(covering, phase)
    other_text = ", ".join(f"{PHASE_WORDS[_phase(r)]} pain: {_own_words(guideline, r)}" for r in other) or None
    if chosen is None or chosen.stance in ("not_addressed", "unverified"):
        stance: Stance = chosen.stance if chosen else ("not_addressed" if recs else "unverified")
        words = "not addressed" if stance == "not_addressed" else "position not verified"
        parts = [f"{words} for {phase} pain" if other_text else words]
        if other_text:
            parts.append(other_text)
        return GuidelineLine(
            guideline.id,
            guideline.short_name,
            phase,
            stance,
            None,
            _mark(stance, None),
            words,
            False,
            "",
            other_text,
            None,
            expired,
            _text(guideline, parts, expired),
        )
    words = _own_words(guideline, chosen)
    condition = chosen.condition
    only_active = bool(condition and condition.only_with_active_treatment)
    covers = PHASE_WORDS[_phase(chosen)]
    parts = [words + (", only with active treatment" if only_active else "")]
    if _phase(chosen) not in ("all", "not_stated"):
        parts.append(covers)
    if chosen.certainty:
        parts.append(f"{chosen.certainty.replace('_', ' ')} certainty")
    if other_text:
        parts.append(other_text)
    return GuidelineLine(
        guideline=guideline.id,
        short_name=guideline.short_name,
        phase=phase,
        stance=chosen.stance,
        strength=chosen.strength,
        mark=_mark(chosen.stance, chosen.strength),
        words=words,
        only_with_active_treatment=only_active,
        covers=covers,
        other_phase=other_text,
        certainty=chosen.certainty,
        past_validity=expired,
        text=_text(guideline, parts, expired),
    )


def lines(
    guidelines: Sequence[Guideline], treatment: Treatment, phase: Phase, reviewed: str
) -> tuple[GuidelineLine, ...]:
    return tuple(line(g, treatment, phase, reviewed) for g in guidelines)


def _phase(rec: Recommendation) -> GuidelinePhase:
    return rec.condition.phase if rec.condition else "not_stated"


def _covers(rec: Recommendation) -> tuple[Phase, ...]:
    return COVERS[_phase(rec)]


STRENGTH_ORDER = {"strong": 3, "weak": 2, "conditional": 2, "open": 1, None: 0}
STANCE_ORDER = {"for": 3, "against": 3, "not_addressed": 1, "unverified": 0}


SPECIFICITY: dict[GuidelinePhase, int] = {
    "acute": 3,
    "subacute": 3,
    "acute_subacute": 3,
    "chronic": 3,
    "subacute_chronic": 2,
    "all": 1,
    "not_stated": 0,
}


def _strongest(recs: Sequence[Recommendation], phase: Phase) -> Recommendation | None:
    """Where a guideline has several entries covering the phase, the one that speaks to it most
    directly (an acute-stage entry over a subacute/chronic one for acute pain), then the one that
    says the most: a stance over none, then the stronger (NVL's strong and weak exercise entries)."""
    if not recs:
        return None

    def specificity(rec: Recommendation) -> int:
        if _phase(rec) == "subacute_chronic" and phase == "acute":
            return 1  # subacute only: the edge of the acute side
        return SPECIFICITY[_phase(rec)]

    return max(recs, key=lambda r: (specificity(r), STANCE_ORDER[r.stance], STRENGTH_ORDER[r.strength]))


def _own_words(guideline: Guideline, rec: Recommendation) -> str:
    if rec.stance == "not_addressed":
        return "not addressed"
    if rec.stance == "unverified":
        return "position not verified"
    table = OWN_WORDS.get(guideline.id, {})
    return table.get((rec.stance, rec.strength), f"{rec.strength or ''} {rec.stance}".strip())


def _mark(stance: Stance, strength: Strength | None) -> Mark:
    if stance in ("not_addressed", "unverified"):
        return "not addressed" if stance == "not_addressed" else "unverified"
    return f"{strength} {stance}"  # type: ignore[return-value]


def _text(guideline: Guideline, parts: list[str], expired: bool) -> str:
    tail = "; past its validity" if expired else ""
    return f"{guideline.short_name}: " + "; ".join(p for p in parts if p) + tail
