"""Numbers people can use, laid out: SMDs in points, per 100 and NNT, harm rates, the arms' improvement.

The figures and their words come from usable.py through the documents (assessments, rows, the
treatment document), so the card, --full, the within-group section, compare and JSON print the
same text. This module only chooses and arranges: which of them the card has room for, and the
picture of each arm's improvement with the gap to the treated arm drawn in its own character
(█ improvement, ▌ half a cell, ░ the gap), so it survives NO_COLOR and SVG export.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from ..absolute import HarmRates, harm_words, rates_of
from ..arms import CONTROL_WORDS, ZOU_WORDS, ArmImprovement, ArmsImprovement, control_words
from ..models import Finding, Harm
from ..profile import QUESTIONS, phases, question
from ..text import number
from ..usable import AbsoluteEffect, Points, crosses_no_effect, points_brief, points_note, points_words
from ..views import TreatmentDoc
from .layout import Section

BAR_CELLS = 20
"""Cells of the longest bar: wide enough to tell 2.1 from 4.4, narrow enough for an 80-column card."""
FULL, HALF, GAP = "█", "▌", "░"
CARD_ABSOLUTE = 2
"""Binary findings the card shows (vs sham first); the rest are in --section effects."""
NNT_NOTE = (
    "per 100: treatment minus control; NNT = 1/|difference| rounded up, its CI from the difference's "
    "(Cochrane Handbook 5.1 §12.5.4); 'NNTB a to ∞ to NNTH b' when that CI includes no difference "
    "(Altman, BMJ 1998). Responder NNTs look rosier than mean differences in back pain: read both"
)
NO_CONTROL_RISK = "no per 100 or NNT: a ratio needs the control arm's risk, and the source prints none for this result"
SUPERIORITY_NOTE = (
    "pairings: probability of superiority, Φ(SMD/√2) (McGraw & Wong 1992), assuming normal outcomes with equal SDs"
)


# --------------------------------------------------------------------------- SMD in points


def with_points(figure: str, points: Points | None, brief: bool = False) -> str:
    """'SMD -0.75 [-0.9, -0.6] vs inactive, about 1.5 to 1.9 points better on pain 0-10 (…)';
    `brief`: the points without their CI and share (a sub-type's line on its parent's card)."""
    if points is None or (brief and crosses_no_effect(points)):  # brief has no CI to show it may be nothing
        return figure
    return f"{figure}, {points_brief(points) if brief else points_words(points)}"


def card_points(doc: TreatmentDoc) -> list[Points]:
    """Every SMD in points the card shows: its answers' (its own, or a sub-type's for a parent)
    and its sub-types' key figures."""
    found = next(p for p in doc.profiles if p.phase == doc.phase)
    own = {a.finding: a.points for a in doc.assessments}
    subtypes = {r.id: r for r in doc.subtypes}
    shown: list[Points | None] = []
    for q in QUESTIONS:
        answer = found.answer(q)
        if answer is not None and answer.finding in own:
            shown.append(own[answer.finding])
        elif answer is not None and answer.treatment in subtypes:
            shown.append(subtypes[answer.treatment].answer_points.get(q))
    shown += [sub.headline.points for sub in doc.subtypes if sub.headline is not None]
    return [p for p in shown if p is not None]


# --------------------------------------------------------------------------- per 100 and NNT


def absolute_text(effect: AbsoluteEffect, figures: dict[str, str]) -> str:
    """'at least 30% improvement …, 26 weeks, vs usual care: 60.5 vs 44.1 in 100; 16.4 more per 100
    (95% CI 2.6 to 34.0 more); NNT 7 (95% CI 3 to 38); model-adjusted percentages'."""
    text = f"{effect.event}, {effect.time_point}, vs {effect.versus}: {effect.per_100_text}; {effect.nnt_text}"
    if effect.adjusted:
        text += "; model-adjusted percentages"
    for other in effect.same_trial:
        text += f"; the same trial's mean difference: {figures.get(other, other)}"
    return text


def ordered_absolute(doc: TreatmentDoc) -> list[tuple[AbsoluteEffect, Finding]]:
    """The treatment's binary findings for the card's phase, vs sham first (SYNTHESIS §1)."""
    by_id = {f.id: f for f in doc.treatment.findings}
    found = [(a.absolute, by_id[a.finding]) for a in doc.assessments if a.absolute is not None]
    chosen = [(a, f) for a, f in found if doc.phase in phases(f)]
    chosen.sort(key=lambda pair: QUESTIONS.index(question(pair[1])))
    return chosen


def card_absolute_rows(doc: TreatmentDoc, figures: dict[str, str], hint: bool = True) -> list[tuple[str, str]]:
    """Up to CARD_ABSOLUTE binary findings with a CI, each worded whole; how many more there are
    (`hint`: the card points at them; the full record holds them)."""
    with_ci = [(a, f) for a, f in ordered_absolute(doc) if a.per_100_lower is not None]
    rows = [("per 100, NNT", absolute_text(a, figures)) for a, _ in with_ci[:CARD_ABSOLUTE]]
    more = len(with_ci) - CARD_ABSOLUTE
    if rows and more > 0 and hint:
        rows[-1] = (rows[-1][0], f"{rows[-1][1]}; {more} more (--section effects)")
    return rows


# --------------------------------------------------------------------------- harms


def harms_line(
    harms: Sequence[Harm], rates: Sequence[HarmRates], note: str | None, fallback: str, hint: bool = True
) -> str:
    """The first harm, with its rates as numbers where stored, and the first serious harm counted
    (its first rate), so benefit and harm sit side by side; --section harms has every one (`hint`:
    the card says how many more)."""
    if not harms:
        return note or fallback
    first = harms[0]
    text = harm_words(first, rates_of(first, rates))
    shown = 1
    serious = next((h for h in harms[1:] if h.serious and rates_of(h, rates)), None)
    if serious is not None:
        counted = rates_of(serious, rates)
        assert counted is not None
        text += f"; serious: {counted.rates[0].text()}"
        shown += 1
    more = len(harms) - shown
    return text + (f"; {more} more (--section harms)" if more and hint else "")


# --------------------------------------------------------------------------- the arms' improvement


def _cells(value: float, top: float) -> int:
    """Half cells of a bar: value/top of BAR_CELLS, rounded half up to the nearest half cell."""
    exact = Decimal(repr(float(value))) / Decimal(repr(float(top))) * 2 * BAR_CELLS
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def bar_lines(chart: ArmsImprovement) -> list[str]:
    """One line per arm: its bar, its improvement as printed, its name; a control arm's bar is
    continued in ░ up to the longest treated arm's: that gap is roughly the effect."""
    top = max(float(a.improvement) for a in chart.arms)
    if top <= 0:
        return []
    treated = max((_cells(a.improvement, top) for a in chart.arms if a.role == "treatment"), default=0)
    figures = [number(a.improvement) for a in chart.arms]
    width = max(len(f) for f in figures)
    lines = []
    for arm, figure in zip(chart.arms, figures, strict=True):
        halves = _cells(arm.improvement, top)
        bar = FULL * (halves // 2) + (HALF if halves % 2 else "")
        if arm.role == "control":
            bar += GAP * max(treated // 2 - len(bar), 0)
        label = arm.arm
        if arm.role == "control" and (kind := control_words(arm)) != "control":
            label += f" · {kind}"  # "simulated acupuncture · sham control"; "usual care" says it already
        lines.append(f"{bar.ljust(BAR_CELLS)} {figure.rjust(width)} {label}")
    return lines


def chart_words(chart: ArmsImprovement) -> str:
    """'RMDQ (0-23), 8 weeks: improvement from baseline in each arm [cherkin-2009], not effects'."""
    inferred = ", scale inferred" if chart.scale_inferred else ""
    also = f" (all with {chart.co_treatment})" if chart.co_treatment else ""
    return (
        f"{chart.scale_label}{inferred}, {chart.time_point}: improvement from baseline in each arm{also} "
        f"[{chart.source}], not effects"
    )


def chart_title(chart: ArmsImprovement) -> str:
    """The words above the picture, with the key to its one mark that is not a measurement."""
    return f"{chart_words(chart)}; {GAP} the gap to the treated arm"


def arm_kind(arm: ArmImprovement) -> str:
    """'treated arm', 'sham control', 'usual-care control': never "placebo" for usual care."""
    return "treated arm" if arm.role == "treatment" else f"{CONTROL_WORDS[arm.control or 'mixed']} control"


def shares_line(chart: ArmsImprovement) -> str:
    """'sham arm 100% and 98%, usual-care arm 48% and 47% of the improvement with A and B (Zou 2016)'."""
    names = {a.record: a for a in chart.arms}
    controls = [a for a in chart.arms if a.role == "control"]
    kinds = [CONTROL_WORDS[a.control or "mixed"] for a in controls]
    unique = len(set(kinds)) == len(kinds)
    parts = []
    treated: list[str] = []
    for control, kind in zip(controls, kinds, strict=True):
        shares = [s for s in chart.shares if s.control == control.record]
        treated = treated or [names[s.treated].arm for s in shares]
        percents = " and ".join(f"{s.percent}%" for s in shares)
        parts.append(f"{kind + ' arm' if unique else control.arm} {percents}")
    return f"{', '.join(parts)} of the improvement with {' and '.join(treated)} (Zou 2016)"


def card_arms_rows(doc: TreatmentDoc) -> list[tuple[str, str]]:
    rows = []
    for chart in doc.arms_improvement:
        rows.append(("arms improved", "\n".join([chart_title(chart), *bar_lines(chart)])))
        rows.append(("also in control", shares_line(chart)))
    return rows


def arms_sections(doc: TreatmentDoc) -> list[Section]:
    """The picture of each trial's arms, then each share in a sentence (--section within-group)."""
    out = []
    for chart in doc.arms_improvement:
        lines = [*bar_lines(chart), "", *(s.text for s in chart.shares)]
        out.append(Section(chart_title(chart), ("",), tuple((line,) for line in lines), ZOU_WORDS))
    return out


# --------------------------------------------------------------------------- --full


def numbers_section(doc: TreatmentDoc, figures: dict[str, str]) -> Section | None:
    """Every finding re-expressed: points, share of the individual threshold, pairings, per 100, NNT."""
    rows = []
    shown: list[Points] = []
    ratios = {f.id for f in doc.treatment.findings if f.effect is not None and f.effect.measure in ("rr", "or")}
    for a in doc.assessments:
        parts = []
        if a.points is not None:
            shown.append(a.points)
            parts.append(
                f"{a.points.text}: {a.points.mid_words} ({number(a.points.mid_threshold)} points, "
                f"{a.points.mid_source})"
            )
        elif a.superiority is not None:
            parts.append("no points: only pain and function have a documented SD")
        if a.superiority is not None:
            parts.append(a.superiority.text)
        if a.absolute is not None:
            parts.append(absolute_text(a.absolute, figures))
            parts.append(f"how: {a.absolute.method}")
        elif a.finding in ratios:
            parts.append(NO_CONTROL_RISK)
        if parts:
            rows.append((a.finding, "; ".join(parts)))
    if not rows:
        return None
    notes = [n for n in (points_note(shown), NNT_NOTE, SUPERIORITY_NOTE) if n]
    return Section(
        "Numbers people can use (computed from the stored figures)",
        ("finding", "re-expressed"),
        tuple(rows),
        ". ".join(n[0].upper() + n[1:] for n in notes) + ".",
        key_value=True,
    )
