"""Judgements about one treatment as a whole: which finding speaks for it, how long a benefit
lasted, what the guidelines say in one line, and the row `list` and `compare` show.

derive.py computes facts about one finding; this module weighs the findings of a treatment.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import derive
from . import text as words
from .derive import Window
from .load.store import Store
from .models import Finding, Recommendation, Treatment
from .text import describe_effect
from .views import Assessment, Durability, GuidelinePosition, GuidelineSummary, TreatmentRow

WINDOW_ORDER: tuple[Window, ...] = ("immediate", "short", "intermediate", "long")
CHRONIC_FIRST = ("chronic", "subacute_chronic", "all", "not_stated", "acute_subacute", "subacute", "acute")


def assess(store: Store, finding: Finding) -> Assessment:
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
    )


def headline(treatment: Treatment) -> Finding | None:
    """The finding that stands for a treatment in `list` and `compare`.

    Preference, in order: a between-group estimate with a CI; against an inactive or sham
    control (the question painsci answers); higher certainty; a review over a single trial;
    pain over function over other outcomes; chronic populations; then KB order.
    """
    candidates = [f for f in treatment.findings if f.effect is not None and f.effect.measure != "rr"]
    if not candidates:
        return None
    construct_rank = {"pain": 2, "function": 1}

    def key(item: tuple[int, Finding]) -> tuple[int, ...]:
        order, f = item
        return (
            f.effect is not None and f.effect.ci95 is not None,
            f.comparator.kind in derive.INACTIVE | derive.SHAM | {"inactive_mixed"},
            derive.certainty_rank(f),
            f.design in ("systematic_review", "meta_analysis", "ipd_meta_analysis"),
            construct_rank.get(f.outcome.construct, 0),
            f.population.duration == "chronic",
            -order,
        )

    return max(enumerate(candidates), key=key)[1]


def durability(store: Store, treatment: Treatment) -> Durability:
    """How long a significant between-group benefit was shown, and whether it faded later."""
    shown: set[Window] = set()
    not_shown: set[Window] = set()
    for f in treatment.findings:
        window = derive.time_window(f).window
        if window == "unknown" or f.comparator.kind == "active":
            continue
        verdict = derive.favours_treatment(f)
        if verdict:
            shown.add(window)
        elif verdict is False or (f.effect is None and f.result and _says_no_benefit(f.result)):
            not_shown.add(window)
    last = max(shown, key=WINDOW_ORDER.index) if shown else None
    later = [w for w in not_shown if last is None or WINDOW_ORDER.index(w) > WINDOW_ORDER.index(last)]
    faded = min(later, key=WINDOW_ORDER.index) if later else None
    if last is None:
        return Durability(None, None, "no significant benefit shown" if not_shown else "not reported")
    text = LASTS[last]
    if faded:
        text += f"; none by {words.WINDOW[faded]}"
    elif last == max(shown | not_shown, key=WINDOW_ORDER.index):
        text += " (latest time measured)"
    return Durability(last, faded, text)


LASTS: dict[Window, str] = {
    "immediate": "end of treatment",
    "short": "up to 6 months after treatment",
    "intermediate": "up to 12 months after treatment",
    "long": "12 months or more after treatment",
    "unknown": "time not stated",
}


def _says_no_benefit(result: str) -> bool:
    lowered = result.casefold()
    return any(
        p in lowered
        for p in (
            "no significant",
            "no difference",
            "no benefit",
            "not significant",
            "no effect",
            "no persisting",
            "little or no",
        )
    )


def guideline_positions(store: Store, treatment: Treatment) -> tuple[GuidelinePosition, ...]:
    by_id = {g.id: g for g in store.core.guidelines}
    return tuple(GuidelinePosition(by_id[r.guideline], r) for r in treatment.recommendations)


def chronic_stance(recs: Sequence[Recommendation]) -> Recommendation | None:
    """The entry that applies to chronic pain when a guideline has several (e.g. acute + chronic)."""

    def rank(r: Recommendation) -> int:
        return CHRONIC_FIRST.index(r.condition.phase) if r.condition else len(CHRONIC_FIRST)

    return min(recs, key=rank) if recs else None


def guideline_summary(store: Store, treatment: Treatment) -> GuidelineSummary:
    stances = {}
    for g in store.core.guidelines:
        chosen = chronic_stance([r for r in treatment.recommendations if r.guideline == g.id])
        stances[g.id] = chosen.stance if chosen else "unverified"
    counts = {s: sum(1 for v in stances.values() if v == s) for s in ("for", "against", "not_addressed", "unverified")}
    words = {"for": "for", "against": "against", "not_addressed": "not addressed", "unverified": "unverified"}
    text = ", ".join(f"{n} {words[s]}" for s, n in counts.items() if n)
    return GuidelineSummary(stances, text)


def row(store: Store, treatment: Treatment) -> TreatmentRow:
    chosen = headline(treatment)
    assessment = assess(store, chosen) if chosen else None
    ranked = sorted(
        (f.certainty.level for f in treatment.findings if f.certainty), key=derive.CERTAINTY_RANK.__getitem__
    )
    best = ranked[-1] if ranked else None
    if chosen is not None:
        text = describe_effect(chosen, store.scale(chosen.outcome.scale))
    else:
        text = treatment.evidence_gap or "no between-group estimate in the knowledge base"
    harms = "; ".join(h.description + (f" ({h.rate})" if h.rate else "") for h in treatment.harms[:2])
    return TreatmentRow(
        id=treatment.id,
        name=treatment.name,
        category=treatment.category,
        parent=treatment.parent,
        headline=assessment,
        headline_text=text,
        best_certainty=best,
        durability=durability(store, treatment),
        guidelines=guideline_summary(store, treatment),
        plausibility=treatment.mechanism.plausibility if treatment.mechanism else None,
        harms=harms or (treatment.harms_note or "not reported"),
        findings=len(treatment.findings),
        evidence_gap=treatment.evidence_gap,
    )


def effect_size(r: TreatmentRow) -> float:
    """Rank by AHRQ magnitude class only.

    Headline estimates are on different scales (SMD, points on 0-10 or 0-100, RDQ), so their raw
    values are not comparable across treatments; the class is. A headline whose CI includes no
    effect ranks below every class that excludes it.
    """
    if r.headline is None or r.headline.benefit is None:
        return -2
    order = {"large": 4, "moderate": 3, "above_moderate": 3, "small": 2, "below_moderate": 1, "below_small": 1}
    rank = order.get(r.headline.magnitude.label, 0)
    return rank if r.headline.significant is not False else -1


def best_in_rows(rows: Sequence[TreatmentRow]) -> dict[str, tuple[str, ...]]:
    """Which treatments hold the best value per attribute; ties share it, unknowns never win."""
    scores: dict[str, dict[str, float]] = {"effect": {}, "certainty": {}, "durability": {}, "guidelines": {}}
    for r in rows:
        if r.headline is not None and r.headline.benefit is not None and r.headline.favours_treatment:
            scores["effect"][r.id] = effect_size(r)
        if r.best_certainty:
            scores["certainty"][r.id] = derive.CERTAINTY_RANK[r.best_certainty]
        if r.durability.last_significant_window:
            scores["durability"][r.id] = WINDOW_ORDER.index(r.durability.last_significant_window)
        stances = list(r.guidelines.stances.values())
        scores["guidelines"][r.id] = stances.count("for") - stances.count("against")
    best: dict[str, tuple[str, ...]] = {}
    for attribute, by_id in scores.items():
        everyone_ties = len(by_id) == len(rows) and len(set(by_id.values())) == 1
        if by_id and not everyone_ties:
            top = max(by_id.values())
            best[attribute] = tuple(i for i, v in by_id.items() if v == top)
    return best
