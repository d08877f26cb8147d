"""View models: the documents every renderer consumes, and the public `--json` API.

Each `--json` document is `dataclasses.asdict` of one of the `*Doc` classes below, so the JSON
Schema exported by `painsci schema --output` is generated from the very classes that produce the
JSON and cannot drift from it. Stored facts are embedded as the KB's own model classes (with their
provenance); computed facts sit beside them in `Assessment`, never mixed in.

Stability: `OUTPUT_SCHEMA_VERSION` changes only on an incompatible change; fields are only added.
"""

from __future__ import annotations

from typing import Literal

from .absolute import HarmRates
from .arms import ArmsImprovement
from .derive import Benefit, BlindingRisk, MagnitudeClass, McidBasis, McidCheck, TimeWindow, Window
from .guidelines import GuidelineLine
from .models import Guideline, Recommendation, Scale, Source, Treatment
from .profile import Answer, BottomLine, EvidenceProfile, Phase
from .profile import Durability as Lasting
from .records import DOCUMENTED, Record, record
from .reexpress import Superiority
from .usable import AbsoluteEffect, Points
from .vocabulary import Measure, Number, Sign, Stance

OUTPUT_SCHEMA_VERSION = 1
OUTPUT_SCHEMA_MINOR = 3
"""1.1: `findings` (a count in list/compare rows) is `finding_count`; the bottom line, answers,
durability series and guideline lines added; the `findings` document added. 1.2: `paragraphs`
in the explanation document.
1.3: numbers people can use (issue 14): `assessments[].points`, `.superiority` and `.absolute`;
the treatment document's `arms_improvement` and `harm_rates`; a row's `answer_points`,
`absolute_effects` and `harm_rates`; the plot document's `arms_improvement`; the findings
document's `harms` and `rows_of` (findings --harms)."""


@record
class Assessment(Record):
    """What painsci computes from one stored finding (see derive.py for every threshold)."""

    __pydantic_config__ = DOCUMENTED

    finding: str
    """The finding's id in `treatment.findings`."""
    scale: Scale | None
    benefit: Benefit | None
    """The effect re-signed so that positive = better than the comparator; null for ratios."""
    significant: bool | None
    favours_treatment: bool | None
    magnitude: MagnitudeClass
    mcid: McidCheck
    time_window: TimeWindow
    blinding_risk: BlindingRisk
    scale_inferred: bool = False
    """The source did not name the scale: magnitude and MCID verdicts rest on an inferred one."""
    points: Points | None = None
    """An SMD on pain or function as points on pain 0-10 or RDQ 0-24, from an assumed SD range
    (named in it), and as a share of the change an individual notices (since schema 1.3)."""
    superiority: Superiority | None = None
    """For an SMD: how often a treated patient does better than a control patient, Φ(SMD/√2)
    (McGraw & Wong 1992), assuming normal outcomes with equal SDs (since schema 1.3)."""
    absolute: AbsoluteEffect | None = None
    """For a binary finding with per-arm proportions or a printed risk difference: the difference
    per 100 people and the number needed to treat, with their CIs (since schema 1.3)."""


@record
class GuidelinePosition(Record):
    """One guideline's entry for a treatment, with the guideline's own date and validity."""

    guideline: Guideline
    recommendation: Recommendation


@record
class GuidelineSummary(Record):
    """Per guideline, the stance for the row's phase (see `guideline_lines` for what qualifies it)."""

    stances: dict[str, Stance]
    text: str
    """Every guideline's line joined, e.g. "NVL 2017: open option (kann), only with active
    treatment; subacute/chronic; past its validity · NICE NG59: consider, …"."""


@record
class DurabilitySummary(Record):
    """Kept for compatibility; `lasting` holds the whole series."""

    last_significant_window: Window | None
    """The latest AHRQ window with a benefit before any window with none (`lasting.lasts`)."""
    faded_by: Window | None
    """The first later window in which no benefit was found (`lasting.gone_by`)."""
    text: str


@record
class TreatmentRow(Record):
    """One treatment reduced to the attributes `list` and `compare` show."""

    __pydantic_config__ = DOCUMENTED

    id: str
    name: str
    category: str
    parent: str | None
    headline: Assessment | None
    """The assessment of the key finding (the one the bottom line rests on) when it has a figure."""
    headline_text: str
    """The key finding in words: outcome, effect and CI, comparator, time point."""
    best_certainty: str | None
    """Deprecated: the best certainty of any finding of the treatment, which is not the key
    finding's own; read `answers[].certainty`."""
    durability: DurabilitySummary
    guidelines: GuidelineSummary
    plausibility: str | None
    harms: str
    finding_count: int
    """How many findings the treatment holds (was `findings` before schema 1.1)."""
    evidence_gap: str | None
    phase: Phase
    """The phase of pain this row speaks for (--phase)."""
    bottom_line: BottomLine
    answers: tuple[Answer, ...]
    """The finding that speaks for each question (vs sham, vs usual care, vs other treatments)."""
    lasting: Lasting
    guideline_lines: tuple[GuidelineLine, ...]
    key_figure: str
    """The key finding as a compact figure, e.g. "SMD -0.75 [-0.9, -0.6] vs inactive controls"."""
    answer_figures: dict[str, str]
    """Question -> the compact figure of the finding that answers it (its words when it has none)."""
    other_phase: BottomLine
    """The bottom line for the other phase of pain, so "not studied" can say what is known."""
    answer_points: dict[str, Points]
    """Question -> the answering SMD in points, where it is an SMD on pain or function (1.3)."""
    absolute_effects: tuple[AbsoluteEffect, ...]
    """The phase's binary findings per 100 and as NNTs, vs sham first (1.3)."""
    harm_rates: tuple[HarmRates, ...]
    """Harms stored as numbers, each rate on the source's basis (1.3)."""


@record
class Document(Record):
    """Fields every `--json` document starts with."""

    __pydantic_config__ = DOCUMENTED

    schema_version: int
    schema_minor: int
    """Additive changes within schema_version: 1.1 is schema_version 1, schema_minor 1."""
    painsci_version: str
    kb_reviewed: str


@record
class TreatmentDoc(Document):
    kind: Literal["treatment"]
    treatment: Treatment
    children: tuple[str, ...]
    assessments: tuple[Assessment, ...]
    headline: str | None
    """Id of the finding `list` and `compare` use for this treatment."""
    guidelines: tuple[GuidelinePosition, ...]
    sources: tuple[Source, ...]
    profiles: tuple[EvidenceProfile, ...]
    """The evidence profile and bottom line for each phase of pain (chronic, acute)."""
    guideline_lines: tuple[GuidelineLine, ...]
    """Each guideline's position, worded for each phase."""
    subtypes: tuple[TreatmentRow, ...]
    """The rows of its sub-types for `phase` (massage: relaxation massage, structural massage …)."""
    phase: Phase
    """The phase of pain the summary card speaks for (--phase)."""
    arms_improvement: tuple[ArmsImprovement, ...] = ()
    """Each trial's arms (same scale and time point) with their improvement from baseline and the
    share of a treated arm's improvement also seen in a control arm (Zou 2016) (1.3)."""
    harm_rates: tuple[HarmRates, ...] = ()
    """Harms stored as numbers, each rate on the source's basis (1.3)."""


@record
class ListDoc(Document):
    kind: Literal["list"]
    treatments: tuple[TreatmentRow, ...]
    phase: Phase = "chronic"
    note: str | None = None
    """What a filter matched or left out, e.g. the phase a --guideline filter read."""


@record
class HeadToHead(Record):
    """A finding that compares two of the treatments compared (or one with its own sham)."""

    treatment: str
    comparator: str
    finding: str
    outcome: str
    time_point: str
    result: str
    """The figure with its CI, or the source's words when it gave no figure."""
    certainty: str | None


@record
class CompareDoc(Document):
    kind: Literal["comparison"]
    treatments: tuple[TreatmentRow, ...]
    best: dict[str, tuple[str, ...]]
    """"effect:QUESTION" or "certainty:QUESTION" -> ids of the treatments with the best value,
    only where the answers to one question share a unit (see judgements.best_in_rows)."""
    phase: Phase = "chronic"
    head_to_head: tuple[HeadToHead, ...] = ()


@record
class ExplainDoc(Document):
    kind: Literal["explanation"]
    treatment: str
    text: str
    phase: Phase = "chronic"
    bottom_line: BottomLine | None = None
    paragraphs: tuple[str, ...] = ()
    """`text` in parts (bottom line, comparisons, duration, mechanism, guidelines), added in 1.2."""


@record
class SearchHit(Record):
    treatment: str
    name: str
    field: str
    excerpt: str


@record
class SearchDoc(Document):
    kind: Literal["search"]
    query: str
    hits: tuple[SearchHit, ...]


@record
class GlossaryEntry(Record):
    term: str
    definition: str
    sources: tuple[str, ...] = ()


@record
class GlossaryDoc(Document):
    kind: Literal["glossary"]
    entries: tuple[GlossaryEntry, ...]


@record
class SourcesDoc(Document):
    kind: Literal["sources"]
    treatment: str | None
    sources: tuple[Source, ...]


@record
class PlotAxis(Record):
    """One horizontal axis: only findings in the same unit (one scale, or SMD, RD, RR) share it."""

    id: str
    """The scale id for mean differences; "SMD", "RD" or "RR" otherwise."""
    title: str
    measure: Measure
    favours_treatment: Sign
    """Which side of `null` favours the treatment (negative on lower-is-better scales)."""
    null: Number
    """Where the no-effect line sits: 0 for differences, 1 for ratios."""
    lo: float
    hi: float
    ticks: tuple[float, ...]
    mcid: Number | None
    """Where the MCID line sits, re-signed to the effect's sign (-2 for a 2-point RDQ threshold);
    null unless every finding on the axis shares one threshold (see derive.mcid_check)."""
    mcid_basis: McidBasis | None
    mcid_sources: tuple[str, ...]
    note: str | None
    """Why there is no MCID line, when there is none."""


@record
class PlotRow(Record):
    """One finding on an axis: the stored figures (never rounded) and the words to label them."""

    treatment: str
    treatment_name: str
    finding: str
    outcome: str
    population: str
    comparator: str
    time_point: str
    window: Window
    estimate: Number | None
    lower: Number | None
    upper: Number | None
    figure: str
    """E.g. "MD -2.9 (95% CI -4.0 to -1.8)", or "not reported: <the source's words>"."""


@record
class PlotPanel(Record):
    axis: PlotAxis
    rows: tuple[PlotRow, ...]


@record
class TimeCourse(Record):
    """One treatment's difference vs one comparator on one outcome, at 2+ time points in time order."""

    treatment: str
    treatment_name: str
    outcome: str
    comparator: str
    axis: PlotAxis
    rows: tuple[PlotRow, ...]
    """Rows without a figure (`estimate` null) say what the source reported instead."""


@record
class PlotArms(Record):
    """One trial's arms as `plot` draws them, with the treatment they are stored under: each arm's
    improvement from baseline (within-group, never an effect) and the share also seen in control."""

    __pydantic_config__ = DOCUMENTED
    treatment: str
    """Id of the treatment whose within-group records these are."""
    treatment_name: str
    """Its name, as the picture's title gives it."""
    chart: ArmsImprovement
    """The arms, their improvement and the shares (Zou 2016), as in the treatment document."""


@record
class PlotDoc(Document):
    kind: Literal["plot"]
    treatments: tuple[str, ...]
    """The treatments named and their sub-types (massage includes relaxation massage …)."""
    panels: tuple[PlotPanel, ...]
    over_time: tuple[TimeCourse, ...]
    not_drawn: tuple[PlotRow, ...]
    """Findings with no between-group figure that no over-time chart shows, with the source's words."""
    notes: tuple[str, ...]
    arms_improvement: tuple[PlotArms, ...] = ()
    """Where a trial prints each arm's improvement at one time point on one scale: the arms'
    picture, each trial once (1.3)."""


@record
class CoverageRow(Record):
    """How much between-group evidence one treatment has, and why none when there is none."""

    id: str
    name: str
    category: str
    figures: int
    """Findings with a numeric between-group difference."""
    direction_only: int
    """Findings where the source gave only a direction (no number was read)."""
    within_group: int
    gap: str | None


@record
class CoverageDoc(Document):
    kind: Literal["coverage"]
    treatments: tuple[CoverageRow, ...]
    without_figures: tuple[str, ...]
    """Ids of treatments with no numeric between-group figure."""


@record
class FindingRow(Record):
    """One stored finding with what painsci computes from it, flat, for a spreadsheet."""

    treatment: str
    finding: str
    outcome: str
    construct: str
    scale: str | None
    scale_status: Literal["named", "inferred", "unnamed", "none"]
    population: str
    question: str
    """specific (vs sham/placebo), pragmatic (vs usual care, waiting list, no treatment) or relative."""
    comparator: str
    comparator_label: str
    time: str
    window: Window
    measure: str | None
    estimate: Number | None
    ci_lower: Number | None
    ci_upper: Number | None
    shows: str
    """benefit, no_difference, harm, conflicting or unclear: from the CI, or the source's words."""
    mcid: str
    magnitude: str | None
    certainty: str | None
    certainty_up_to: str | None
    flags: tuple[str, ...]
    source: str
    locator: str
    reading: str


@record
class HarmRow(Record):
    """One stored harm rate, flat, for a spreadsheet: the numbers on the basis the source counted
    on; a harm stored without numbers is one row with its printed words only (1.3)."""

    __pydantic_config__ = DOCUMENTED
    treatment: str
    harm: str
    """The harm as the knowledge base describes it."""
    serious: bool
    arm: str | None
    """Which arm the rate belongs to, when the source gives one per arm."""
    per: int | None
    """The basis the source counted on: events per this many (100, 1,000 … 1,000,000)."""
    of: str | None
    """What is counted: patients, participants, treatments, manipulations …"""
    value: float | None
    """Events per `per`; computed from events/total when the source printed only counts."""
    range_low: float | None
    range_high: float | None
    """A range across trials or arms, per `per`, when that is what the source prints."""
    ci_lower: float | None
    ci_upper: float | None
    events: int | None
    total: int | None
    from_counts: bool
    """`value` was computed from events/total (the source printed no rate)."""
    rate: str
    """The rate in words, e.g. "9.31 per 100 patients (95% CI 5.1 to 14.62)"; empty without numbers."""
    as_printed: str | None
    """The rate as the source printed it, or null when it printed none."""
    source: str
    locator: str
    reading: str


@record
class FindingsDoc(Document):
    kind: Literal["findings"]
    findings: tuple[FindingRow, ...]
    treatments: tuple[str, ...]
    """The treatments asked for (empty: all)."""
    comparators: tuple[str, ...]
    phase: Phase | None
    numeric: bool
    harms: tuple[HarmRow, ...] = ()
    """With --harms: every stored harm's rates, one row per rate, instead of the findings (1.3)."""
    rows_of: Literal["findings", "harms"] = "findings"
    """What the table's rows are: findings, or harm rates (--harms) (1.3)."""


OutputDoc = (
    TreatmentDoc
    | ListDoc
    | CompareDoc
    | ExplainDoc
    | SearchDoc
    | GlossaryDoc
    | SourcesDoc
    | PlotDoc
    | CoverageDoc
    | FindingsDoc
)
