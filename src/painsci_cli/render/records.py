"""Clean data out: every document as one true table for `--plain` (tab-separated) and `--format csv`.

One header row, one row per record, the same number of fields in every row, no title lines; what
is a remark rather than a record (no treatment matched, what a filter read) goes to stderr as a
note. Tables are for scripts and spreadsheets here; the human layouts are in layout.py.
"""

from __future__ import annotations

from typing import assert_never

from .. import text as words
from ..errors import UsageError
from ..records import Record, record, to_plain
from ..text import number
from ..views import (
    CompareDoc,
    CoverageDoc,
    CoverageRow,
    ExplainDoc,
    FindingRow,
    FindingsDoc,
    GlossaryDoc,
    HarmRow,
    ListDoc,
    OutputDoc,
    PlotDoc,
    PlotRow,
    SearchDoc,
    SourcesDoc,
    TreatmentDoc,
    TreatmentRow,
)
from .layout import axis_lines, key_certainty, verdict_of


@record
class DataTable(Record):
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


def table_of(doc: OutputDoc, detail: str = "card", wanted: tuple[str, ...] = ()) -> DataTable:
    match doc:
        case ListDoc():
            notes: tuple[str, ...] = (doc.note,) if doc.note else ()
            if not doc.treatments:
                notes += ("no treatment matches these filters",)
            return DataTable(ROW_COLUMNS, tuple(row_cells(r) for r in doc.treatments), notes)
        case CompareDoc():
            heads = tuple(f"head to head: {h.treatment} vs {h.comparator}: {h.result}" for h in doc.head_to_head)
            return DataTable(COMPARE_COLUMNS, tuple(compare_cells(r) for r in doc.treatments), heads)
        case TreatmentDoc():
            return treatment_table(doc, detail, wanted)
        case ExplainDoc():
            verdict = verdict_of(doc.bottom_line) if doc.bottom_line else ""
            return DataTable(
                ("treatment", "phase", "bottom_line", "text"), ((doc.treatment, doc.phase, verdict, doc.text),)
            )
        case SearchDoc():
            hits = tuple((h.treatment, h.name, h.field, h.excerpt) for h in doc.hits)
            return DataTable(
                ("treatment", "name", "field", "excerpt"),
                hits,
                () if hits else (f"no treatment mentions {doc.query!r}",),
            )
        case GlossaryDoc():
            entries = tuple((e.term, e.definition, ", ".join(e.sources)) for e in doc.entries)
            return DataTable(("term", "meaning", "sources"), entries)
        case SourcesDoc():
            return DataTable(SOURCE_COLUMNS, tuple(source_cells(s) for s in to_plain(doc.sources)))
        case PlotDoc():
            return plot_table(doc)
        case CoverageDoc():
            return DataTable(COVERAGE_COLUMNS, tuple(coverage_cells(r) for r in doc.treatments))
        case FindingsDoc():
            if doc.rows_of == "harms":
                harms = tuple(_flat_cells(r) for r in doc.harms)
                return DataTable(HARM_COLUMNS, harms, () if harms else ("no harm matches these filters",))
            found = tuple(_flat_cells(r) for r in doc.findings)
            return DataTable(FINDING_COLUMNS, found, () if found else ("no finding matches these filters",))
        case _:
            assert_never(doc)


COMPARE_COLUMNS: tuple[str, ...] = (
    *("id", "name", "phase", "bottom_line", "vs_sham", "vs_usual_care", "vs_other", "lasts"),
    *("nvl", "nice", "acp", "who", "mechanism", "harms"),
)
SOURCE_COLUMNS = ("id", "kind", "authors", "year", "title", "journal", "pmid", "doi", "url")
COVERAGE_COLUMNS = ("id", "name", "category", "figures", "direction_only", "within_group", "why_no_figure")
PLOT_COLUMNS: tuple[str, ...] = (
    *("chart", "treatment", "outcome", "population", "comparator", "time", "window"),
    *("estimate", "lower", "upper", "figure", "reference_lines"),
)


def coverage_cells(r: CoverageRow) -> tuple[str, ...]:
    return (r.id, r.name, r.category, str(r.figures), str(r.direction_only), str(r.within_group), r.gap or "")


FINDING_COLUMNS: tuple[str, ...] = FindingRow.__record_fields__
"""A finding's row, column for column (`_flat_cells` reads the cells in this order)."""
HARM_COLUMNS: tuple[str, ...] = HarmRow.__record_fields__
ROW_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "category",
    "phase",
    "bottom_line",
    "key_figure",
    "certainty",
    "lasts",
    "nvl",
    "nice",
    "acp",
    "who",
)


def _flat_cells(row: Record) -> tuple[str, ...]:
    """A flat record (a finding's or a harm's row: scalars and tuples of strings) as its cells, read
    straight from its fields: `to_plain` first cost a third of `findings --format csv`."""
    return tuple(_cell(getattr(row, name)) for name in row.__record_fields__)


def _cell(value: object) -> str:
    """A JSON-ish value as one cell: numbers exactly as stored, lists joined, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def row_cells(r: TreatmentRow) -> tuple[str, ...]:
    marks = tuple(words.guideline_mark(g) for g in r.guideline_lines)
    marks = (marks + ("",) * 4)[:4]
    cells = (r.id, r.name, r.category, r.phase, verdict_of(r.bottom_line), r.key_figure, key_certainty(r))
    return (*cells, words.lasts_short(r.lasting), *marks)


def compare_cells(r: TreatmentRow) -> tuple[str, ...]:
    marks = tuple(g.text.split(": ", 1)[1] for g in r.guideline_lines)
    marks = (marks + ("",) * 4)[:4]
    answers = tuple(r.answer_figures.get(q, "") for q in ("specific", "pragmatic", "relative"))
    head = (r.id, r.name, r.phase, verdict_of(r.bottom_line), *answers, words.lasts_short(r.lasting))
    return (*head, *marks, r.plausibility or "", r.harms)


def source_cells(source: dict[str, object]) -> tuple[str, ...]:
    authors = source["authors"]
    if isinstance(authors, dict):  # {names, et_al, organisation}
        names = authors.get("names") or []
        authors = "; ".join(str(n) for n in names) + ("; et al." if authors.get("et_al") else "")
    values = {k: _cell(source.get(k)) for k in SOURCE_COLUMNS}
    values["authors"] = _cell(authors)
    return tuple(values[k] for k in SOURCE_COLUMNS)


def plot_table(doc: PlotDoc) -> DataTable:
    rows: list[tuple[str, ...]] = []

    def add(chart: str, r: PlotRow, lines: str) -> None:
        where = (chart, r.treatment, r.outcome, r.population, r.comparator, r.time_point, r.window)
        rows.append((*where, _cell(r.estimate), _cell(r.lower), _cell(r.upper), r.figure, lines))

    for panel in doc.panels:
        for r in panel.rows:
            add(f"forest: {panel.axis.title}", r, axis_lines(panel.axis))
    for course in doc.over_time:
        for r in course.rows:
            add(f"over time: {course.outcome} vs {course.comparator}", r, axis_lines(course.axis))
    for r in doc.not_drawn:
        add("not drawn", r, "")
    rows += arms_rows(doc)
    return DataTable(PLOT_COLUMNS, tuple(rows), doc.notes)


def arms_rows(doc: PlotDoc) -> list[tuple[str, ...]]:
    """The arms' picture as rows: each arm's improvement in words (no estimate column: a
    within-group change is never an effect), each control arm's shares as its reference line."""
    from .numbers import arm_kind

    rows: list[tuple[str, ...]] = []
    for each in doc.arms_improvement:
        chart = each.chart
        where = f"arms improved (within-group, not effects) [{chart.source}]"
        for a in chart.arms:
            figure = f"{a.arm} ({arm_kind(a)}): improved {number(a.improvement)} points from baseline"
            shares = "; ".join(s.text for s in chart.shares if a.record in (s.control, s.treated))
            where_when = (where, each.treatment, chart.scale_label, "", "", chart.time_point, "")
            rows.append((*where_when, "", "", "", figure, shares))
    return rows


def treatment_table(doc: TreatmentDoc, detail: str, wanted: tuple[str, ...]) -> DataTable:
    """The card as field/value rows, or the one part asked for with --section."""
    from .treatment import card, sections

    if detail == "full" or len(wanted) > 1:
        raise UsageError(
            "painsci: --plain and --format csv print one table: use --section NAME (one), or --json for everything"
        )
    if not wanted:
        part = card(doc)
        return DataTable(("field", "value"), part.rows)
    parts = sections(doc, detail, wanted)
    if wanted == ("effects",) and len(parts) >= 2:  # the SoF rows with their details joined on
        details: dict[str, str] = {row[0]: row[1] for row in parts[1].rows}
        for finding, usable in parts[2].rows if len(parts) > 2 else ():
            details[finding] = f"{details[finding]}; {usable}" if details.get(finding) else usable
        rows = tuple((*row, details.get(row[-1], "")) for row in parts[0].rows)
        return DataTable((*parts[0].columns, "details"), rows)
    part = parts[0]
    columns = ("field", "value") if part.key_value else part.columns
    notes = (part.note,) if part.note and not part.rows else ()
    return DataTable(columns, part.rows, notes)
