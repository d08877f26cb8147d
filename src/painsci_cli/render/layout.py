"""Documents laid out as titled sections of rows of text: the shared shape of table, plain and markdown.

Building the cells once here means the three human formats cannot disagree on a figure; each
renderer only decides how a section looks (rich table, tab-separated lines, Markdown table).
"""

from __future__ import annotations

from typing import assert_never

from .. import text as words
from ..models import Finding, Source, Treatment
from ..records import Record, record
from ..text import NOT_REPORTED, effect_figure, mcid_badge, mcid_text, number
from ..views import (
    Assessment,
    CompareDoc,
    CoverageDoc,
    ExplainDoc,
    GlossaryDoc,
    ListDoc,
    OutputDoc,
    PlotAxis,
    PlotDoc,
    PlotRow,
    SearchDoc,
    SourcesDoc,
    TreatmentDoc,
    TreatmentRow,
)

BEST = "(best)"
"""Text marker for the best value in a compare row: never colour alone."""


@record
class Section(Record):
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None
    key_value: bool = False
    """Two columns read as label: value (stacked naturally on narrow screens)."""
    numeric: tuple[int, ...] = ()
    """Indices of columns holding figures, which must never wrap mid-number."""


def sections(doc: OutputDoc) -> list[Section]:
    match doc:
        case TreatmentDoc():
            return treatment_sections(doc)
        case ListDoc():
            return [list_section(doc)]
        case CompareDoc():
            return [compare_section(doc)]
        case ExplainDoc():
            return [Section(doc.treatment, ("",), ((doc.text,),))]
        case SearchDoc():
            rows: tuple[tuple[str, ...], ...] = tuple((h.treatment, h.field, h.excerpt) for h in doc.hits)
            note = None if rows else f"no treatment mentions {doc.query!r}"
            return [Section(f"Search: {doc.query}", ("treatment", "matched in", "text"), rows, note)]
        case GlossaryDoc():
            terms = tuple((e.term, e.definition + _sources_suffix(e.sources)) for e in doc.entries)
            return [Section("Glossary", ("term", "meaning"), terms, key_value=True)]
        case SourcesDoc():
            title = f"Sources for {doc.treatment}" if doc.treatment else "Sources"
            return [Section(title, ("id", "citation", "identifiers"), tuple(_source_row(s) for s in doc.sources))]
        case PlotDoc():
            return plot_sections(doc)
        case CoverageDoc():
            return [coverage_section(doc)]
        case _:
            assert_never(doc)


def _sources_suffix(ids: tuple[str, ...]) -> str:
    return f" [source: {', '.join(ids)}]" if ids else ""


def citation(source: Source) -> str:
    year = f" ({source.year})" if source.year else ""
    journal = f" {source.journal}." if source.journal else ""
    return f"{source.authors.display()}{year}. {source.title}.{journal}"


def identifiers(source: Source) -> str:
    parts = [f"PMID {source.pmid}" if source.pmid else "", f"DOI {source.doi}" if source.doi else ""]
    parts.append(source.url or "" if not (source.pmid or source.doi) else "")
    return "; ".join(p for p in parts if p) or NOT_REPORTED


def _source_row(source: Source) -> tuple[str, str, str]:
    return (source.id, citation(source), identifiers(source))


# --------------------------------------------------------------------------- show


def treatment_sections(doc: TreatmentDoc) -> list[Section]:
    t = doc.treatment
    out = [_overview(doc)]
    out.append(_effects(doc))
    if t.within_group:
        rows = tuple((w.arm, w.outcome.label, w.time_point.label, w.change, w.cite.source) for w in t.within_group)
        out.append(
            Section(
                "Within-group changes (NOT effects: every arm improves, including the control)",
                ("arm", "outcome", "when", "change from baseline", "source"),
                rows,
            )
        )
    out.append(_blinding(doc))
    out.append(_harms(t))
    out.append(_guidelines(doc))
    out.append(_context(t))
    out.append(
        Section(
            "Sources",
            ("id", "citation", "identifiers"),
            tuple(_source_row(s) for s in doc.sources),
        )
    )
    return out


def _overview(doc: TreatmentDoc) -> Section:
    t = doc.treatment
    rows: list[tuple[str, str]] = [("category", t.category)]
    if t.parent:
        rows.append(("part of", t.parent))
    if doc.children:
        rows.append(("includes", ", ".join(doc.children)))
    if t.aliases:
        rows.append(("also called", ", ".join(t.aliases)))
    rows.append(("what it is", t.description))
    if t.evidence_gap:
        rows.append(("evidence gap", t.evidence_gap))
    return Section(t.name, ("", ""), tuple(rows), key_value=True)


def finding_cells(finding: Finding, a: Assessment) -> tuple[str, ...]:
    """Outcome, comparator, time, effect, MCID, magnitude, size, certainty."""
    effect = effect_figure(finding, a.scale) if finding.effect else f"{NOT_REPORTED}: {finding.result}"
    if finding.effect is not None and finding.effect.measure == "rr":
        effect += " (risk ratio)"
    secondary = " [secondary source]" if finding.cite.reading == "secondary" else ""
    return (
        f"{finding.outcome.label} ({finding.population.duration.replace('_', '/')})",
        finding.comparator.label,
        f"{finding.time_point.label} [{words.WINDOW[a.time_window.window]}]",
        effect + secondary,
        (mcid_text(a.mcid) + (" (scale inferred)" if a.scale_inferred else "")) if finding.effect else "n/a",
        words.MAGNITUDE[a.magnitude.label] if finding.effect else "n/a",
        size_text(finding),
        words.CERTAINTY[finding.certainty.level] if finding.certainty else NOT_REPORTED,
        f"{finding.cite.source}, {finding.cite.locator}",
    )


def size_text(finding: Finding) -> str:
    size = finding.size
    if size.arms:
        text = " vs ".join(f"{arm.n}" for arm in size.arms) + " per arm"
    elif size.trials or size.participants:
        text = f"{number(size.trials)} trials, {number(size.participants)} participants"
    else:
        text = NOT_REPORTED
    return text + (f" ({size.note})" if size.note else "")


def _effects(doc: TreatmentDoc) -> Section:
    t = doc.treatment
    pairs = zip(t.findings, doc.assessments, strict=True)
    rows = tuple(finding_cells(f, a) for f, a in pairs)
    note = (
        "Effect = between-group difference (treatment minus control) as the source prints it; "
        "MCID verdicts use the whole 95% CI."
    )
    if not rows:
        note = t.evidence_gap or "no between-group figure in the knowledge base"
    columns = ("outcome", "vs", "when", "effect (95% CI)", "vs MCID", "magnitude", "size", "certainty", "source")
    return Section("Effects vs control", columns, rows, note, numeric=(3,))


def _blinding(doc: TreatmentDoc) -> Section:
    rows = []
    for f, a in zip(doc.treatment.findings, doc.assessments, strict=True):
        b = f.blinding
        cells = (
            (words.BLINDING[b.participants], words.BLINDING[b.providers], words.BLINDING[b.assessors])
            if b
            else (NOT_REPORTED,) * 3
        )
        rows.append(
            (f.id, words.COMPARATOR[f.comparator.kind], *cells, f"{a.blinding_risk.risk}: {a.blinding_risk.reason}")
        )
    return Section(
        "Blinding",
        ("finding", "control", "participants", "providers", "assessors", "bias risk"),
        tuple(rows),
        "With patient-reported outcomes the participant is the assessor.",
    )


def _harms(t: Treatment) -> Section:
    rows = tuple(
        (h.description, h.rate or NOT_REPORTED, "serious" if h.serious else "not serious", h.cite.source)
        for h in t.harms
    )
    return Section(
        "Harms", ("harm", "rate", "severity", "source"), rows, None if rows else (t.harms_note or NOT_REPORTED)
    )


def _guidelines(doc: TreatmentDoc) -> Section:
    rows = []
    for position in doc.guidelines:
        g, r = position.guideline, position.recommendation
        stance = words.STANCE[r.stance] + (f" ({r.strength})" if r.strength else "")
        condition = NOT_REPORTED
        if r.condition:
            condition = r.condition.phase.replace("_", "/") + (
                " + active treatment only" if r.condition.only_with_active_treatment else ""
            )
        wording = r.wording or (r.note or NOT_REPORTED)
        if r.wording and r.note:
            wording += f" ({r.note})"
        number_text = f" {r.number}" if r.number else ""
        rows.append((f"{g.short_name}{number_text}", stance, condition, wording, g.validity))
    return Section("Guidelines", ("guideline", "stance", "applies to", "wording", "status"), tuple(rows))


def _context(t: Treatment) -> Section:
    rows: list[tuple[str, str]] = []
    if t.mechanism:
        rows.append(("claimed mechanism", t.mechanism.claim))
        rows.append(("plausibility", f"{t.mechanism.plausibility}: {t.mechanism.assessment}"))
    for c in t.caveats:
        rows.append((f"caveat: {c.kind.replace('_', ' ')}", f"{c.text} [{c.cite.source}]"))
    for cost in t.cost:
        rows.append(("cost", f"{cost.text} [{cost.cite.source}]"))
    return Section("Mechanism, caveats and cost", ("", ""), tuple(rows), key_value=True)


# --------------------------------------------------------------------------- list / compare


def _headline_cells(r: TreatmentRow) -> tuple[str, str, str]:
    a = r.headline
    if a is None:
        return (r.headline_text, "n/a", "n/a")
    size = words.MAGNITUDE[a.magnitude.label]
    if a.significant is False:  # a size class for an interval that includes no effect needs saying so
        size += " (CI includes no effect)"
    badge = mcid_badge(a.mcid)
    if a.scale_inferred and a.mcid.verdict not in ("not_applicable", "no_threshold"):
        badge += " (scale inferred)"
    return (r.headline_text, size, badge)


def list_section(doc: ListDoc) -> Section:
    rows = []
    for r in doc.treatments:
        effect, magnitude, mcid = _headline_cells(r)
        rows.append(
            (
                r.name,
                r.category,
                effect,
                magnitude,
                mcid,
                r.durability.text,
                words.CERTAINTY.get(r.best_certainty or "", NOT_REPORTED),
                r.guidelines.text,
            )
        )
    columns = (
        "treatment",
        "category",
        "headline effect vs control",
        "magnitude",
        "MCID",
        "lasts",
        "certainty",
        "guidelines",
    )
    note = None if rows else "no treatment matches these filters"
    return Section("Treatments", columns, tuple(rows), note, numeric=(2,))


COMPARE_ROWS = (
    "category",
    "effect",
    "magnitude",
    "mcid",
    "durability",
    "certainty",
    "blinding",
    "guidelines",
    "plausibility",
    "harms",
)


def compare_section(doc: CompareDoc) -> Section:
    def mark(attribute: str, r: TreatmentRow, value: str) -> str:
        return f"{value} {BEST}" if r.id in doc.best.get(attribute, ()) else value

    labels = {
        "category": "category",
        "effect": "effect vs control",
        "magnitude": "magnitude",
        "mcid": "vs MCID",
        "durability": "lasts",
        "certainty": "best certainty",
        "blinding": "bias risk (blinding)",
        "guidelines": "guidelines",
        "plausibility": "mechanism",
        "harms": "harms",
    }
    per_row: dict[str, list[str]] = {key: [] for key in COMPARE_ROWS}
    for r in doc.treatments:
        effect, magnitude, mcid = _headline_cells(r)
        per_row["category"].append(r.category)
        per_row["effect"].append(mark("effect", r, effect))
        per_row["magnitude"].append(magnitude)
        per_row["mcid"].append(mcid)
        per_row["durability"].append(mark("durability", r, r.durability.text))
        per_row["certainty"].append(mark("certainty", r, words.CERTAINTY.get(r.best_certainty or "", NOT_REPORTED)))
        per_row["blinding"].append(r.headline.blinding_risk.risk if r.headline else "n/a")
        stances = ", ".join(f"{g.split('-')[0].upper()} {words.STANCE[s]}" for g, s in r.guidelines.stances.items())
        per_row["guidelines"].append(mark("guidelines", r, stances))
        per_row["plausibility"].append(r.plausibility or NOT_REPORTED)
        per_row["harms"].append(r.harms)
    rows = tuple((labels[key], *per_row[key]) for key in COMPARE_ROWS)
    columns = ("", *(r.name for r in doc.treatments))
    note = f"{BEST} marks the best value in a row. Effects are the headline finding of each treatment."
    return Section("Comparison", columns, rows, note, numeric=tuple(range(1, len(columns))))


# --------------------------------------------------------------------------- plot


def plot_label(row: PlotRow) -> str:
    """Who, what, against what and when: the words every drawn line carries."""
    return f"{row.treatment_name} · {row.outcome} ({row.population}) · vs {row.comparator} · {row.time_point}"


def when(row: PlotRow) -> str:
    return f"{row.time_point} [{words.WINDOW[row.window]}]"


def axis_lines(axis: PlotAxis) -> str:
    """The reference lines in words, for readers (and formats) that do not see the picture."""
    side = "left" if axis.favours_treatment == "negative" else "right"
    text = f"no-effect line at {number(axis.null)}; {side} of it favours the treatment"
    if axis.mcid is not None:
        basis = words.MCID_BASIS[axis.mcid_basis or "trial_prespecified"]
        sources = f", {', '.join(axis.mcid_sources)}" if axis.mcid_sources else ""
        text += f"; MCID line at {number(axis.mcid)} ({basis}{sources})"
    elif axis.note:
        text += f"; {axis.note}"
    return text


def _plot_cells(row: PlotRow) -> tuple[str, ...]:
    return (row.treatment_name, f"{row.outcome} ({row.population})", row.comparator, when(row), row.figure)


def plot_sections(doc: PlotDoc) -> list[Section]:
    """The plot as tables of the very rows drawn, so plain and Markdown lose nothing but the picture."""
    out = [
        Section(
            f"Forest plot: {panel.axis.title}",
            ("treatment", "outcome", "vs", "when", "effect (95% CI)"),
            tuple(_plot_cells(r) for r in panel.rows),
            axis_lines(panel.axis),
            numeric=(4,),
        )
        for panel in doc.panels
    ]
    out += [
        Section(
            f"Over time: {course.treatment_name} · {course.outcome} · vs {course.comparator} · {course.axis.title}",
            ("when", "effect (95% CI)"),
            tuple((when(r), r.figure) for r in course.rows),
            axis_lines(course.axis),
            numeric=(1,),
        )
        for course in doc.over_time
    ]
    if doc.not_drawn:
        columns = ("treatment", "outcome", "vs", "when", "result")
        rows = tuple(_plot_cells(r) for r in doc.not_drawn)
        out.append(Section("Not drawn: no between-group figure", columns, rows))
    if doc.notes or not out:
        notes = doc.notes or ("nothing to draw",)
        out.append(Section("Notes", ("",), tuple((n,) for n in notes)))
    return out


def coverage_section(doc: CoverageDoc) -> Section:
    rows = tuple(
        (r.id, r.category, str(r.figures), str(r.direction_only), str(r.within_group), r.gap or "")
        for r in doc.treatments
    )
    note = (
        f"{len(doc.without_figures)} of {len(doc.treatments)} treatments shown have no numeric "
        "between-group figure; 'why' gives the knowledge base's reason."
    )
    columns = ("treatment", "category", "figures", "direction only", "within-group", "why no figure")
    return Section("Coverage: between-group evidence per treatment", columns, rows, note)
