"""The knowledge-base domain model: what a piece of low-back-pain evidence is allowed to say.

The classes are frozen standard-library dataclasses, not pydantic models, so that a lookup served
from the cache never imports pydantic (start-up time is the product's speed). pydantic validates
them all the same: `load/validate.py` runs `TypeAdapter(KnowledgeBase)` in strict JSON mode, which honours the
`__pydantic_config__` below (unknown keys refused, no type coercion, no NaN/inf). Rules that involve
more than one field or more than one record live in `rules.py`, also without I/O.
"""

from __future__ import annotations

from typing import Literal

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
ReportedDirection = Literal["favours_treatment", "no_difference", "favours_comparator", "conflicting", "unclear"]
"""What a source reports when it gives no figure: benefit, no (significant) difference, harm, or
results that disagree with each other, or no direction at all ("unclear")."""
StatedMagnitude = Literal["none", "small", "moderate", "large"]
Stance = Literal["for", "against", "not_addressed", "unverified"]
Strength = Literal["strong", "weak", "open", "conditional"]
Phase = Literal["acute", "subacute", "chronic", "acute_subacute", "subacute_chronic", "all", "not_stated"]
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
    published: str | None = None
    """ISO date as precise as known: "2017", "2017-02" or "2017-02-14"."""
    last_updated: str | None = None
    valid_until: str | None = None
    """When the guideline stops being valid by its own or its issuer's rule; past it, every view
    that prints a stance says so (computed against the knowledge base's review date)."""


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
    scale_unnamed: bool = False
    """The source printed a mean difference on a scale it does not name: no size class and no
    MCID verdict can be computed, and the figure says so."""


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
    up_to: CertaintyLevel | None = None
    """The upper end when the source prints a range ("low to very low": level very_low, up_to low);
    painsci weighs the finding by `level`, the lower end."""


@record
class Indirectness(Record):
    """Why a finding answers a broader question than this treatment for low back pain."""

    __pydantic_config__ = _STRICT
    population: str | None = None
    """What the population is instead, e.g. "chronic primary musculoskeletal pain, not only LBP"."""
    intervention: str | None = None
    """What the intervention is instead, e.g. "behavioural treatment of any kind, not CBT"."""


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
    indirect: Indirectness | None = None
    superseded_by: str | None = None
    """The source id of a newer version of the review this finding comes from: it never speaks first."""
    direction: ReportedDirection | None = None
    """For a finding without an effect: which way the source says the result went."""
    stated_magnitude: StatedMagnitude | None = None
    """A size class the source itself states (AHRQ: "effect size: small"), for direction-only findings."""


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


Loc = tuple[str | int, ...]
"""A location in the KB: ('treatments', 3, 'findings', 0) is treatments[3].findings[0]."""
