"""The knowledge-base domain model: what a piece of low-back-pain evidence is allowed to say.

The classes are frozen standard-library dataclasses, not pydantic models, so that a lookup served
from the cache never imports pydantic (start-up time is the product's speed). pydantic validates
them all the same: `load/validate.py` runs `TypeAdapter(KnowledgeBase)` in strict JSON mode, which honours the
`__pydantic_config__` below (unknown keys refused, no type coercion, no NaN/inf). Rules that involve
more than one field or more than one record live in `rules.py`, also without I/O; the closed
vocabularies the fields use (kinds, phases, stances, certainty words) in `vocabulary.py`.
"""

from __future__ import annotations

from typing import Literal

from .records import Record, record
from .vocabulary import (
    Anchor,
    ArmRole,
    BlindingStatus,
    Category,
    CaveatKind,
    CertaintyLevel,
    CertaintySystem,
    ComparatorKind,
    Construct,
    Design,
    Direction,
    Duration,
    GuidelinePhase,
    Measure,
    Number,
    Plausibility,
    Reading,
    ReportedDirection,
    Sign,
    SourceKind,
    Stance,
    StatedMagnitude,
    Strength,
)

_STRICT = {"extra": "forbid", "strict": True, "allow_inf_nan": False}


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
class Authors(Record):
    """Who wrote a source: persons ("Cherkin DC") or one organisation ("NICE"), as printed.

    "et al." is never a name: a list the source itself cut short says so with `et_al`, which
    BibTeX writes as "and others" and RIS leaves out.
    """

    __pydantic_config__ = _STRICT
    names: tuple[str, ...]
    et_al: bool = False
    organisation: bool = False
    """True when `names` holds exactly one organisation (e.g. "World Health Organization")."""

    def display(self) -> str:
        """'Cherkin DC, Sherman KJ, et al.': the names as a reader sees them in a citation."""
        return ", ".join(self.names) + (", et al." if self.et_al else "")


@record
class Source(Record):
    __pydantic_config__ = _STRICT
    id: str
    kind: SourceKind
    authors: Authors
    year: int | None
    title: str
    journal: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    """Prefer the DOI or PubMed address wherever one exists."""
    note: str | None = None
    """For readers, and exported to BibTeX and RIS: never how or where the text was obtained."""
    read_via: str | None = None
    """Where the text was actually read when that was a mirror or copy (a scribd upload, chiro.org,
    a translation proxy). Provenance for reviewers; never exported to BibTeX or RIS."""


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
    """In words, citing what says so (e.g. "valid until March 2022, under revision")."""
    source: str
    wording_scale: str
    """How the guideline words its strengths, e.g. "soll / sollte / kann" for the NVL."""
    published: str
    """Publication date as printed: "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""
    last_updated: str | None = None
    """Date of the latest update, same formats; null when never updated (or not known)."""
    valid_until: str | None = None
    """End of validity, same formats; null when the guideline sets none (painsci computes
    "past its validity" from it, never from the text of `validity`)."""


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
    """True when the source printed a mean difference on a scale it does not name and none can be
    inferred: the figure is stored as printed, with no scale, so no MCID or magnitude verdict."""


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
class Proportion(Record):
    """One arm's share with a binary outcome: a percentage, events of a total, or both, as printed."""

    __pydantic_config__ = _STRICT
    percent: Number | None = None
    events: int | None = None
    total: int | None = None
    ci95: Interval | None = None
    """95% CI of the percentage, where printed."""


@record
class Responders(Record):
    """The per-arm proportions behind a binary finding (responders, events), each as printed."""

    __pydantic_config__ = _STRICT
    definition: str
    """What counts as an event, e.g. "at least 30% improvement in the RDQ"."""
    treatment: Proportion
    control: Proportion
    adjusted: bool = False
    """True when the source's percentages are model-based estimates (adjusted, imputed), not counts."""
    note: str | None = None


@record
class Certainty(Record):
    __pydantic_config__ = _STRICT
    system: CertaintySystem
    level: CertaintyLevel
    up_to: CertaintyLevel | None = None
    """The upper end of a range as printed: "low to very low" is level very_low, up_to low."""
    note: str | None = None


@record
class Indirectness(Record):
    """Why a finding speaks for this treatment only indirectly, in words a reader understands."""

    __pydantic_config__ = _STRICT
    population: str | None = None
    """What the population was instead, e.g. "chronic primary musculoskeletal pain, not only low back pain"."""
    intervention: str | None = None
    """What the intervention was instead, e.g. "behavioural treatment, not CBT"."""


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
    """Set when the population or intervention is broader than (or other than) this treatment
    for low back pain: the finding then speaks for it only indirectly, wherever it is shown."""
    superseded_by: str | None = None
    """Id of the source that replaced this finding's source (an updated review): a superseded
    finding never speaks first for a treatment."""
    direction: ReportedDirection | None = None
    """For a finding without an effect: which way the source says the result went."""
    stated_magnitude: StatedMagnitude | None = None
    """A size class the source itself states (AHRQ: "effect size: small"), for direction-only findings."""
    responders: Responders | None = None
    """Per-arm proportions behind a binary result (an RR, an RD, or a result given only in words)."""


@record
class WithinGroupChange(Record):
    """Improvement from baseline inside one arm: never an effect, always labelled as such.

    `change` is the source's wording. The numbers beside it (`improvement`, `baseline`, `sd`,
    `ci95`, `percent`) are what the source prints for this one arm, so code can compare the two
    arms of one trial (how much of the treated arm's improvement also happened in the control
    arm), never subtract them into an effect.
    """

    __pydantic_config__ = _STRICT
    id: str
    cite: Citation
    arm: str
    outcome: Outcome
    time_point: TimePoint
    change: str
    """As printed (e.g. "4.4 points improvement"): kept as text so no code can treat it as an effect."""
    note: str | None = None
    role: ArmRole = "treatment"
    """Whether this arm got the treatment under study or was the trial's control arm."""
    control: ComparatorKind | None = None
    """What kind of control the arm was (usual_care, sham …): required for, and only for, a control arm."""
    co_treatment: str | None = None
    """What everyone in this arm also got (e.g. exercise in a factorial trial); arms are compared
    with each other only when they share it."""
    n: int | None = None
    """Participants in the arm, as the source gives them."""
    baseline: Number | None = None
    """Mean score at baseline, on the outcome's scale."""
    improvement: Number | None = None
    """Mean improvement from baseline in the scale's points, positive = better: the printed magnitude.
    Null when the source prints only a range across arms, a P value or an approximate figure."""
    sd: Number | None = None
    """Standard deviation of the improvement, where printed."""
    ci95: Interval | None = None
    """95% CI of the improvement (positive = better), where printed."""
    percent: Number | None = None
    """The improvement as a percentage of baseline, where that is what the source prints."""


@record
class Mechanism(Record):
    __pydantic_config__ = _STRICT
    claim: str
    plausibility: Plausibility
    assessment: str
    cites: tuple[Citation, ...] = ()


@record
class HarmRate(Record):
    """A harm counted as a number: `value` (or a `range` across trials or arms) per `per` `of`.

    Stored on the source's own basis (per 100 patients, per 10,000 patients, per million
    manipulations …); a range whose two ends are counted on different bases is two entries.
    """

    __pydantic_config__ = _STRICT
    per: int
    """The denominator the source counts on: 100 for a percentage, 1000, 10000, 100000 or 1000000."""
    of: str
    """What is counted: patients, participants, treatments, manipulations …"""
    value: Number | None = None
    """Events per `per` units, as printed."""
    range: Interval | None = None
    """A range across trials or arms (e.g. "3% to 22%"), when that is what the source prints."""
    ci95: Interval | None = None
    events: int | None = None
    total: int | None = None
    arm: str | None = None
    """Which arm the rate belongs to, when the source gives one per arm (e.g. exercise vs comparators)."""


@record
class Harm(Record):
    __pydantic_config__ = _STRICT
    description: str
    rate: str | None
    """As printed by the source, or null when no rate is reported."""
    serious: bool
    cite: Citation
    rates: tuple[HarmRate, ...] = ()
    """The printed rate as numbers, where the source gives numbers."""


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
    phase: GuidelinePhase
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
