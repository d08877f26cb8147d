"""The knowledge-base domain model: what a piece of low-back-pain evidence is allowed to say.

The classes are frozen standard-library dataclasses, not pydantic models, so that a lookup served
from the cache never imports pydantic (start-up time is the product's speed). pydantic validates
them all the same: `kb.py` runs `TypeAdapter(KnowledgeBase)` in strict JSON mode, which honours the
`__pydantic_config__` below (unknown keys refused, no type coercion, no NaN/inf). Rules that involve
more than one field or more than one record live in `cross_check`, also here, also without I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Literal

from . import KB_SCHEMA_VERSION
from .names import normalise_name
from .records import Record, record

_STRICT = {"extra": "forbid", "strict": True, "allow_inf_nan": False}

Number = int | float
"""Figures keep the form they were written in (15 stays 15, 4.0 stays 4.0), as the source printed."""

Category = Literal["active", "passive", "comparator"]
Direction = Literal["lower_is_better", "higher_is_better"]
Construct = Literal["pain", "function", "bothersomeness", "quality_of_life", "global", "work", "other"]
SourceKind = Literal["trial", "systematic_review", "meta_analysis", "guideline", "article"]
Design = Literal["rct", "crossover_rct", "systematic_review", "meta_analysis", "ipd_meta_analysis", "review_of_reviews"]
Duration = Literal["acute", "subacute", "chronic", "acute_subacute", "subacute_chronic", "mixed"]
ComparatorKind = Literal[
    "usual_care",
    "sham",
    "placebo",
    "waitlist",
    "no_treatment",
    "minimal_intervention",
    "inactive_mixed",
    "active",
    "mixed",
]
BlindingStatus = Literal["blinded", "not_blinded", "partial", "unclear", "not_reported"]
Measure = Literal["md", "smd", "rr", "rd"]
Sign = Literal["negative", "positive"]
Anchor = Literal["randomisation", "end_of_treatment", "source_window"]
Reading = Literal["primary", "secondary"]
CertaintySystem = Literal["grade", "ahrq_soe", "author_statement", "pre_grade"]
CertaintyLevel = Literal["high", "moderate", "low", "very_low", "insufficient"]
Plausibility = Literal["plausible", "uncertain", "implausible", "not_applicable"]
Stance = Literal["for", "against", "not_addressed", "unverified"]
Strength = Literal["strong", "weak", "open", "conditional"]
Phase = Literal["acute", "subacute", "chronic", "acute_subacute", "subacute_chronic", "all"]
CaveatKind = Literal[
    "unblinded_control",
    "frustrebo",
    "nonspecific_effects",
    "sham_equals_real",
    "no_better_than_simpler",
    "short_lived",
    "passive_adjunct_only",
    "population_mismatch",
    "sources_disagree",
    "small_trials",
    "other",
]


@record
class Citation(Record):
    """A pointer into the source registry plus where in the source the fact was read."""

    __pydantic_config__ = _STRICT
    source: str
    locator: str
    reading: Reading = "primary"


@record
class Scale(Record):
    __pydantic_config__ = _STRICT
    id: str
    name: str
    construct: Construct
    min: Number
    max: Number
    direction: Direction
    unit: str
    note: str | None = None


@record
class Source(Record):
    __pydantic_config__ = _STRICT
    id: str
    kind: SourceKind
    authors: str
    year: int | None
    title: str
    journal: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    note: str | None = None


@record
class Guideline(Record):
    """A guideline as a whole: who issued it, when, and whether it is still in force."""

    __pydantic_config__ = _STRICT
    id: str
    name: str
    short_name: str
    issuer: str
    year: int
    validity: str
    source: str
    wording_scale: str
    """How the guideline words its strengths, e.g. "soll / sollte / kann" for the NVL."""


@record
class Arm(Record):
    __pydantic_config__ = _STRICT
    label: str
    n: int


@record
class Population(Record):
    __pydantic_config__ = _STRICT
    duration: Duration
    note: str | None = None


@record
class Comparator(Record):
    __pydantic_config__ = _STRICT
    kind: ComparatorKind
    label: str
    treatment: str | None = None
    """The comparator's own treatment id when it is one (usual-care, a sham …)."""


@record
class Size(Record):
    """Arm sizes for a trial, or trial and participant counts for a review; null when not reported."""

    __pydantic_config__ = _STRICT
    arms: tuple[Arm, ...] = ()
    trials: int | None = None
    participants: int | None = None
    note: str | None = None


@record
class Blinding(Record):
    __pydantic_config__ = _STRICT
    participants: BlindingStatus
    providers: BlindingStatus
    assessors: BlindingStatus
    note: str | None = None


@record
class Outcome(Record):
    __pydantic_config__ = _STRICT
    construct: Construct
    label: str
    scale: str | None = None
    """Scale id; required for a mean difference, absent for an SMD or a ratio."""
    scale_inferred: bool = False
    """True when the source did not name the scale and it was inferred (from the size of the
    values, say): every verdict painsci computes on it is then marked as resting on an inference."""


@record
class TimePoint(Record):
    """When the outcome was measured, in the source's terms and, where it says, in weeks."""

    __pydantic_config__ = _STRICT
    label: str
    anchor: Anchor
    weeks: Number | None = None
    treatment_weeks: Number | None = None
    source_window: Literal["immediate", "short", "intermediate", "long"] | None = None


@record
class Interval(Record):
    __pydantic_config__ = _STRICT
    lower: Number
    upper: Number


@record
class Effect(Record):
    """A between-group difference (treatment minus comparator) exactly as the source prints it."""

    __pydantic_config__ = _STRICT
    measure: Measure
    estimate: Number
    ci95: Interval | None
    favours_treatment: Sign
    """Which sign of the estimate favours the treatment (negative on lower-is-better scales)."""
    note: str | None = None


@record
class Mcid(Record):
    __pydantic_config__ = _STRICT
    value: Number
    basis: Literal["trial_prespecified", "review_threshold"]
    cite: Citation


@record
class Certainty(Record):
    __pydantic_config__ = _STRICT
    system: CertaintySystem
    level: CertaintyLevel
    note: str | None = None


@record
class Finding(Record):
    """One between-group result: one outcome, at one time point, against one comparator."""

    __pydantic_config__ = _STRICT
    id: str
    cite: Citation
    design: Design
    population: Population
    comparator: Comparator
    size: Size
    blinding: Blinding | None
    outcome: Outcome
    time_point: TimePoint
    effect: Effect | None
    """Null when the source gives only a direction; `result` then says what it found."""
    result: str | None = None
    mcid: Mcid | None = None
    certainty: Certainty | None = None
    note: str | None = None


@record
class WithinGroupChange(Record):
    """Improvement from baseline inside one arm: never an effect, always labelled as such."""

    __pydantic_config__ = _STRICT
    id: str
    cite: Citation
    arm: str
    outcome: Outcome
    time_point: TimePoint
    change: str
    """As printed (e.g. "4.4 points improvement"): kept as text so no code can treat it as an effect."""
    note: str | None = None


@record
class Mechanism(Record):
    __pydantic_config__ = _STRICT
    claim: str
    plausibility: Plausibility
    assessment: str
    cites: tuple[Citation, ...] = ()


@record
class Harm(Record):
    __pydantic_config__ = _STRICT
    description: str
    rate: str | None
    """As printed by the source, or null when no rate is reported."""
    serious: bool
    cite: Citation


@record
class CostNote(Record):
    __pydantic_config__ = _STRICT
    text: str
    cite: Citation


@record
class Caveat(Record):
    __pydantic_config__ = _STRICT
    kind: CaveatKind
    text: str
    cite: Citation


@record
class Condition(Record):
    __pydantic_config__ = _STRICT
    phase: Phase
    only_with_active_treatment: bool
    note: str | None = None


@record
class Recommendation(Record):
    """One guideline's position on one treatment, or an explicit "not addressed"."""

    __pydantic_config__ = _STRICT
    guideline: str
    stance: Stance
    strength: Strength | None
    wording: str | None
    """The guideline's own short wording, verbatim where it could be read."""
    condition: Condition | None
    cite: Citation
    number: str | None = None
    certainty: CertaintyLevel | None = None
    note: str | None = None


@record
class Treatment(Record):
    __pydantic_config__ = _STRICT
    id: str
    name: str
    category: Category
    description: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    mechanism: Mechanism | None = None
    findings: tuple[Finding, ...] = ()
    within_group: tuple[WithinGroupChange, ...] = ()
    evidence_gap: str | None = None
    """Why there is no between-group figure, when there is none (never silence)."""
    harms: tuple[Harm, ...] = ()
    harms_note: str | None = None
    cost: tuple[CostNote, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()


@record
class KnowledgeBase(Record):
    __pydantic_config__ = _STRICT
    schema_version: int
    reviewed: str
    scales: tuple[Scale, ...]
    sources: tuple[Source, ...]
    guidelines: tuple[Guideline, ...]
    treatments: tuple[Treatment, ...]


# --------------------------------------------------------------------------- cross-checks

Loc = tuple[str | int, ...]


@record
class Problem(Record):
    """A rule broken at a location; `kb.py` turns `loc` into FILE:LINE."""

    loc: Loc
    message: str


def _citations(kb: KnowledgeBase) -> Iterator[tuple[Loc, Citation]]:
    for t_i, t in enumerate(kb.treatments):
        base: Loc = ("treatments", t_i)
        if t.mechanism:
            for c_i, c in enumerate(t.mechanism.cites):
                yield (*base, "mechanism", "cites", c_i), c
        for f_i, f in enumerate(t.findings):
            yield (*base, "findings", f_i, "cite"), f.cite
            if f.mcid:
                yield (*base, "findings", f_i, "mcid", "cite"), f.mcid.cite
        for w_i, w in enumerate(t.within_group):
            yield (*base, "within_group", w_i, "cite"), w.cite
        for name in ("harms", "cost", "caveats", "recommendations"):
            for i, item in enumerate(getattr(t, name)):
                yield (*base, name, i, "cite"), item.cite


def _is_slug(text: str) -> bool:
    """Ids are typed on command lines and used as keys: a-z, 0-9 and single inner hyphens."""
    parts = text.split("-")
    return all(part and part.isascii() and part.isalnum() and part == part.lower() for part in parts)


def _duplicates(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def cross_check(kb: KnowledgeBase) -> list[Problem]:
    """Rules pydantic's per-field validation cannot see: references, uniqueness, ranges, CIs."""
    problems: list[Problem] = []
    add = problems.append

    if kb.schema_version != KB_SCHEMA_VERSION:
        add(Problem(("schema_version",), f"this painsci reads schema_version {KB_SCHEMA_VERSION}"))

    for section in ("scales", "sources", "guidelines", "treatments"):
        items = getattr(kb, section)
        dupes = _duplicates([item.id for item in items])
        for i, item in enumerate(items):
            if not _is_slug(item.id):
                add(
                    Problem((section, i, "id"), f"id {item.id!r} must be a lowercase slug like 'tens' or 'ahrq-cer227'")
                )
            if item.id in dupes:
                add(Problem((section, i, "id"), f"duplicate id {item.id!r}"))

    scales = {s.id: s for s in kb.scales}
    sources = {s.id for s in kb.sources}
    guidelines = {g.id for g in kb.guidelines}
    treatments = {t.id: t for t in kb.treatments}

    for i, s in enumerate(kb.scales):
        if not s.min < s.max:
            add(Problem(("scales", i, "max"), f"max ({s.max:g}) must be greater than min ({s.min:g})"))
    for i, g in enumerate(kb.guidelines):
        if g.source not in sources:
            add(Problem(("guidelines", i, "source"), f"unknown source {g.source!r}"))
    for loc, cite in _citations(kb):
        if cite.source not in sources:
            add(Problem((*loc, "source"), f"unknown source {cite.source!r}"))

    owner: dict[str, str] = {}
    looping = _on_parent_cycles(treatments)
    for t_i, t in enumerate(kb.treatments):
        base: Loc = ("treatments", t_i)
        for a_i, name in enumerate((t.id, t.name, *t.aliases)):
            key = normalise_name(name)
            other = owner.setdefault(key, t.id)
            if other != t.id:
                where: Loc = (*base, "aliases", a_i - 2) if a_i >= 2 else (*base, "name" if a_i else "id")
                add(Problem(where, f"name {name!r} already belongs to treatment {other!r}"))
        if t.parent is not None:
            if t.parent not in treatments:
                add(Problem((*base, "parent"), f"unknown parent treatment {t.parent!r}"))
            elif t.id in looping:
                add(Problem((*base, "parent"), "parent chain loops back to this treatment"))
        if not t.findings and not t.evidence_gap:
            add(Problem((*base, "evidence_gap"), "no findings: say why in evidence_gap"))
        finding_ids = _duplicates([f.id for f in t.findings])
        for f_i, f in enumerate(t.findings):
            _check_finding(f, (*base, "findings", f_i), scales, treatments, finding_ids, add)
        for w_i, w in enumerate(t.within_group):
            if w.outcome.scale is not None and w.outcome.scale not in scales:
                loc = (*base, "within_group", w_i, "outcome", "scale")
                add(Problem(loc, f"unknown scale {w.outcome.scale!r}"))
        for r_i, r in enumerate(t.recommendations):
            loc = (*base, "recommendations", r_i)
            if r.guideline not in guidelines:
                add(Problem((*loc, "guideline"), f"unknown guideline {r.guideline!r}"))
            if r.stance in ("for", "against") and r.strength is None:
                add(Problem((*loc, "strength"), "a recommendation for or against needs a strength"))
            if r.stance in ("not_addressed", "unverified") and r.strength is not None:
                add(Problem((*loc, "strength"), f"stance {r.stance!r} cannot have a strength"))
    return problems


def _on_parent_cycles(treatments: dict[str, Treatment]) -> set[str]:
    """Ids whose parent chain leads back to themselves; each treatment is walked once (linear)."""
    finished: set[str] = set()
    looping: set[str] = set()
    for start in treatments:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in treatments and node not in finished and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = treatments[node].parent
        if node is not None and node in on_path:
            looping.update(path[path.index(node) :])
        finished.update(path)
    return looping


def _check_finding(
    f: Finding,
    loc: Loc,
    scales: dict[str, Scale],
    treatments: dict[str, Treatment],
    duplicate_ids: set[str],
    report: Callable[[Problem], None],
) -> None:
    if f.id in duplicate_ids:
        report(Problem((*loc, "id"), f"duplicate finding id {f.id!r}"))
    if f.comparator.treatment is not None and f.comparator.treatment not in treatments:
        report(Problem((*loc, "comparator", "treatment"), f"unknown treatment {f.comparator.treatment!r}"))
    for a_i, arm in enumerate(f.size.arms):
        if arm.n <= 0:
            report(Problem((*loc, "size", "arms", a_i, "n"), f"arm size must be positive, got {arm.n}"))
    for name in ("trials", "participants"):
        value = getattr(f.size, name)
        if value is not None and value <= 0:
            report(Problem((*loc, "size", name), f"{name} must be positive, got {value}"))
    scale = None
    if f.outcome.scale_inferred and f.outcome.scale is None:
        report(Problem((*loc, "outcome", "scale_inferred"), "scale_inferred needs a scale"))
    if f.outcome.scale is not None:
        scale = scales.get(f.outcome.scale)
        if scale is None:
            report(Problem((*loc, "outcome", "scale"), f"unknown scale {f.outcome.scale!r}"))
    tp = f.time_point
    if tp.weeks is not None and tp.weeks < 0:
        report(Problem((*loc, "time_point", "weeks"), "weeks cannot be negative"))
    if tp.anchor == "source_window" and tp.source_window is None:
        report(Problem((*loc, "time_point", "source_window"), "anchor source_window needs source_window"))
    if f.effect is None:
        if not f.result:
            report(Problem((*loc, "result"), "a finding without an effect must say its result"))
        return
    e = f.effect
    if e.measure == "md" and f.outcome.scale is None:
        report(Problem((*loc, "outcome", "scale"), "a mean difference needs a scale"))
    if e.ci95 is not None:
        lo, hi = e.ci95.lower, e.ci95.upper
        if lo > hi:
            report(Problem((*loc, "effect", "ci95"), f"lower bound {lo:g} is above upper bound {hi:g}"))
        elif not lo <= e.estimate <= hi:
            report(Problem((*loc, "effect", "estimate"), f"estimate {e.estimate:g} lies outside its CI"))
    if e.measure in ("rr",) and e.estimate <= 0:
        report(Problem((*loc, "effect", "estimate"), "a ratio must be positive"))
    if scale is not None and e.measure == "md":
        expected = "negative" if scale.direction == "lower_is_better" else "positive"
        if e.favours_treatment != expected:
            msg = f"on {scale.id} ({scale.direction}) a benefit is {expected}"
            report(Problem((*loc, "effect", "favours_treatment"), msg))
        span = scale.max - scale.min
        values = [e.estimate] + ([e.ci95.lower, e.ci95.upper] if e.ci95 else [])
        if any(abs(v) > span for v in values):
            report(Problem((*loc, "effect"), f"difference exceeds the range of scale {scale.id}"))
    if f.mcid is not None and scale is not None and not 0 < f.mcid.value <= scale.max - scale.min:
        report(Problem((*loc, "mcid", "value"), f"MCID must lie inside the range of {scale.id}"))
