"""A treatment as the compact views show it: its profile for one phase, reduced to a row.

derive.py computes facts about one finding; profile.py weighs the findings of a treatment into
answers and a bottom line; guidelines.py words each guideline's position. This module puts them
together for `list`, `compare` and `explain`, and computes what compare may mark as best.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import absolute, derive, profile, usable
from .bottom_line import bottom_line, sort_rank, with_durability
from .durability import durability
from .guidelines import GuidelineLine, lines
from .load.store import Store
from .models import Finding, Treatment
from .profile import Answer, EvidenceProfile, Phase
from .text import compact_figure, describe_effect
from .views import Assessment, DurabilitySummary, GuidelinePosition, GuidelineSummary, TreatmentRow

SIZE_ORDER = {"large": 4, "above_moderate": 3, "moderate": 3, "small": 2, "below_moderate": 1, "below_small": 1}


def assess(store: Store, finding: Finding, siblings: Sequence[Finding] = ()) -> Assessment:
    """What painsci computes from one finding; `siblings` (its treatment's findings) let a
    responder NNT name the same trial's mean difference."""
    scale = store.scale(finding.outcome.scale)
    return Assessment(
        finding=finding.id,
        scale=scale,
        benefit=derive.benefit(finding),
        significant=derive.significant(finding),
        favours_treatment=derive.favours_treatment(finding),
        magnitude=derive.magnitude(finding, scale),
        mcid=derive.mcid_check(finding),
        time_window=derive.time_window(finding),
        blinding_risk=derive.blinding_risk(finding),
        scale_inferred=finding.outcome.scale_inferred,
        points=usable.points(finding),
        superiority=usable.superiority(finding),
        absolute=usable.absolute_effect(finding, siblings),
    )


def family(store: Store, treatment: Treatment) -> list[Treatment]:
    """The sub-types of a treatment (massage: relaxation massage, structural massage …)."""
    return [store.treatments[c] for c in store.children.get(treatment.id, ())]


def evidence(store: Store, treatment: Treatment, phase: Phase) -> EvidenceProfile:
    """The profile of `treatment` for `phase`: its own findings, or, when it has none in this
    phase, those of its sub-types (a parent such as manual therapy). Weighed once per store."""
    found = store.profiles.get((treatment.id, phase))
    if found is None:
        found = store.profiles[treatment.id, phase] = _weigh(store, treatment, phase)
    return found


def _weigh(store: Store, treatment: Treatment, phase: Phase) -> EvidenceProfile:
    scales = store.scales_by_id
    own = [(treatment, f) for f in treatment.findings if phase in profile.phases(f)]
    entries = own or [(t, f) for t in family(store, treatment) for f in t.findings if phase in profile.phases(f)]
    answers = {q: profile.answer(entries, q, phase, scales) for q in profile.QUESTIONS}
    findings = [f for _, f in entries]
    line = bottom_line(treatment, answers, phase, findings)
    lasting = durability(findings, line.basis, phase)
    return EvidenceProfile(
        treatment=treatment.id,
        phase=phase,
        specific=answers["specific"],
        pragmatic=answers["pragmatic"],
        relative=answers["relative"],
        durability=lasting,
        bottom_line=with_durability(line, lasting),
        from_subtypes=bool(entries) and not own,
    )


def guideline_lines(store: Store, treatment: Treatment, phase: Phase) -> tuple[GuidelineLine, ...]:
    return lines(store.core.guidelines, treatment, phase, store.core.reviewed)


def guideline_positions(store: Store, treatment: Treatment) -> tuple[GuidelinePosition, ...]:
    by_id = {g.id: g for g in store.core.guidelines}
    return tuple(GuidelinePosition(by_id[r.guideline], r) for r in treatment.recommendations)


def finding_of(store: Store, treatment: Treatment, answer: Answer) -> Finding:
    """The stored finding an answer names (held by the treatment or one of its sub-types)."""
    owner = treatment if answer.treatment == treatment.id else store.treatments[answer.treatment]
    return next(f for f in owner.findings if f.id == answer.finding)


def key_answer(evidence_: EvidenceProfile) -> Answer | None:
    """The answer the bottom line rests on, else the first question that has one."""
    basis = evidence_.bottom_line.basis
    if basis is not None and evidence_.answer(basis) is not None:
        return evidence_.answer(basis)
    return next((a for q in profile.QUESTIONS if (a := evidence_.answer(q)) is not None), None)


def cached_row(store: Store, treatment_id: str, phase: Phase) -> TreatmentRow:
    """The row from the cache when it holds one (list reads no treatment at all), else computed."""
    return store.cached_row(treatment_id, phase) or row(store, store.treatments[treatment_id], phase)


def all_rows(store: Store, phase: Phase) -> list[TreatmentRow]:
    """Every treatment's row for `phase`, in KB order; if any had to be computed, the whole set is
    offered to the cache, so the next `list` of this phase reads them instead."""
    rows: list[TreatmentRow] = []
    computed = False
    for tid in store.directory.ids:
        found = store.cached_row(tid, phase)
        if found is None:
            found, computed = row(store, store.treatments[tid], phase), True
        rows.append(found)
    if computed:
        store.keep_rows(phase, dict(zip(store.directory.ids, rows, strict=True)))
    return rows


def row(store: Store, treatment: Treatment, phase: Phase = "chronic") -> TreatmentRow:
    """One treatment reduced to what `list` and `compare` show, for one phase."""
    other = evidence(store, treatment, _other(phase))
    return _row(store, treatment, evidence(store, treatment, phase), other)


def _other(phase: Phase) -> Phase:
    return "acute" if phase == "chronic" else "chronic"


def _row(store: Store, treatment: Treatment, found: EvidenceProfile, other: EvidenceProfile) -> TreatmentRow:
    phase = found.phase
    key = key_answer(found)
    finding = finding_of(store, treatment, key) if key else None
    scale = store.scale(finding.outcome.scale) if finding else None
    owner = store.treatments[key.treatment] if key and key.treatment != treatment.id else treatment
    assessment = assess(store, finding, owner.findings) if finding is not None and finding.effect is not None else None
    if finding is not None:
        text = describe_effect(finding, scale)
        figure = compact_figure(finding, scale)
    else:
        text = treatment.evidence_gap or "no between-group estimate in the knowledge base"
        figure = "no figure"
    rates = absolute.harm_rates(treatment.harms)
    harms = "; ".join(absolute.harm_words(h, absolute.rates_of(h, rates)) for h in treatment.harms[:2])
    ranked = sorted(
        (f.certainty.level for f in treatment.findings if f.certainty), key=derive.CERTAINTY_RANK.__getitem__
    )
    said = guideline_lines(store, treatment, phase)
    return TreatmentRow(
        id=treatment.id,
        name=treatment.name,
        category=treatment.category,
        parent=treatment.parent,
        headline=assessment,
        headline_text=text,
        best_certainty=ranked[-1] if ranked else None,
        durability=DurabilitySummary(found.durability.lasts, found.durability.gone_by, found.durability.text),
        guidelines=GuidelineSummary(
            {line.guideline: line.stance if line.stance != "out_of_scope" else "not_addressed" for line in said},
            " · ".join(line.text for line in said),
        ),
        plausibility=treatment.mechanism.plausibility if treatment.mechanism else None,
        harms=harms or (treatment.harms_note or "not reported"),
        finding_count=len(treatment.findings),
        evidence_gap=treatment.evidence_gap,
        phase=phase,
        bottom_line=found.bottom_line,
        answers=tuple(a for q in profile.QUESTIONS if (a := found.answer(q)) is not None),
        lasting=found.durability,
        guideline_lines=said,
        key_figure=figure,
        answer_figures={a.question: _figure(store, treatment, a) for q in profile.QUESTIONS if (a := found.answer(q))},
        other_phase=other.bottom_line,
        answer_points={
            q: p for q in profile.QUESTIONS if (a := found.answer(q)) and (p := _points(store, treatment, a))
        },
        absolute_effects=usable.absolute_effects(treatment.findings, phase),
        harm_rates=rates,
    )


def _points(store: Store, treatment: Treatment, answer: Answer) -> usable.Points | None:
    return usable.points(finding_of(store, treatment, answer))


def _figure(store: Store, treatment: Treatment, answer: Answer) -> str:
    finding = finding_of(store, treatment, answer)
    return compact_figure(finding, store.scale(finding.outcome.scale))


def effect_rank(r: TreatmentRow) -> tuple[float, int, float]:
    """Sort key: the verdict (a short-lived benefit at the foot of its certainty tier), then the
    size of the effect that answers the verdict's question.

    Sizes are compared only as classes (SMD bands, points bands), never as raw numbers on
    different scales; a larger class ranks first.
    """
    line = r.bottom_line
    answer = next((a for a in r.answers if a.question == line.basis), None)
    size = SIZE_ORDER.get(answer.magnitude or "", 0) if answer else 0
    return (sort_rank(line), size, 0.0)


def best_in_rows(rows: Sequence[TreatmentRow]) -> dict[str, tuple[str, ...]]:
    """Which treatments hold the best value, only where like is compared with like.

    An effect is "best" only among answers to the same question in the same unit (an SMD beside
    an SMD, RDQ points beside RDQ points), each showing a benefit; certainty only within the
    same question. Anything else is not ranked at all: a guideline's "open option" and
    "consider" have no order, and a verdict is a summary, not a score.
    """
    best: dict[str, tuple[str, ...]] = {}
    by_id = {r.id: r for r in rows}
    for question in profile.QUESTIONS:
        answers = {r.id: a for r in rows for a in r.answers if a.question == question}
        if len(answers) < 2 or len(answers) < len(rows):
            continue
        units = {a.unit for a in answers.values()}
        if len(units) == 1 and None not in units and all(a.shows == "benefit" for a in answers.values()):
            sizes = {t: SIZE_ORDER.get(a.magnitude or "", 0) for t, a in answers.items()}
            firm = {t for t, a in answers.items() if _firm(by_id[t], a)}
            _mark_top(best, f"effect:{question}", sizes, firm)
        certainties = {t: profile.CERTAINTY_WEIGHT[a.certainty] for t, a in answers.items()}
        _mark_top(best, f"certainty:{question}", certainties, set(answers))
    return best


def _firm(r: TreatmentRow, answer: Answer) -> bool:
    """An effect that may be called the largest (SYNTHESIS.md §3): rated low or better, more than
    one small trial, direct, a mechanism not implausible, and no sham that did as well. A larger
    effect from weaker evidence wins nothing: it only stops anyone else being marked."""
    return (
        profile.CERTAINTY_WEIGHT[answer.certainty] >= derive.CERTAINTY_RANK["low"]
        and not {"single_small_trial", "few_participants"} & set(answer.flags)
        and not answer.indirect
        and r.plausibility != "implausible"
        and r.bottom_line.verdict != "little or no better than sham"
    )


def _mark_top(best: dict[str, tuple[str, ...]], attribute: str, scores: dict[str, int], eligible: set[str]) -> None:
    """Mark the highest score among the eligible, unless everyone ties, nobody has a positive
    one, or an ineligible treatment holds a higher score (a mark must be a win)."""
    if not scores or len(set(scores.values())) == 1:
        return
    top = max(scores.values())
    winners = tuple(tid for tid, score in scores.items() if score == top and tid in eligible)
    if top > 0 and winners:
        best[attribute] = winners
