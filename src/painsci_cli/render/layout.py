"""Documents laid out as titled sections of rows of text: the shared shape of table, plain and markdown.

Building the cells once here means the three human formats cannot disagree on a figure; each
renderer only decides how a section looks (rich table, tab-separated lines, Markdown table).
"""

from __future__ import annotations

from typing import assert_never

from .. import text as words
from ..models import Source
from ..profile import Answer, BottomLine
from ..records import Record, record
from ..text import NOT_REPORTED, number
from ..usable import points_note, points_words
from ..views import (
    CompareDoc,
    CoverageDoc,
    ExplainDoc,
    FindingRow,
    FindingsDoc,
    GlossaryDoc,
    ListDoc,
    OutputDoc,
    PlotArms,
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
    nowrap: tuple[int, ...] = ()
    """Indices of columns whose cells are never wrapped at all (aligned marks)."""
    brief: tuple[tuple[int, ...], ...] = ()
    """Where a table would wrap a row onto more than two lines (a narrow terminal), the columns to
    print on each line of a two-line block instead, e.g. ((5, 0, 1), (2, 3, 4)): the first
    column of the first line is aligned down the page under its header, the rest follow."""


def sections(doc: OutputDoc, detail: str = "card", wanted: tuple[str, ...] = ()) -> list[Section]:
    """The document as titled sections; for `show`, the card, the full record or the parts asked for."""
    match doc:
        case TreatmentDoc():
            from .treatment import sections as treatment_sections

            return treatment_sections(doc, detail, wanted)
        case ListDoc():
            return [list_section(doc)]
        case CompareDoc():
            return compare_sections(doc)
        case ExplainDoc():
            return [Section(f"{doc.treatment} ({doc.phase} pain)", ("",), ((doc.text,),))]
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
        case FindingsDoc():
            return [harms_section(doc) if doc.rows_of == "harms" else findings_section(doc)]
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


# --------------------------------------------------------------------------- list / compare

FLAG_WORDS = {
    "indirect_population": "indirect population",
    "indirect_intervention": "indirect intervention",
    "superseded": "superseded review",
    "not_rated": "certainty not rated",
    "single_small_trial": "one small trial",
    "few_participants": "under 100 people",
    "mixed_phases": "acute and chronic pooled",
    "unblinded_control": "unblinded control",
    "scale_inferred": "scale inferred",
    "scale_unnamed": "scale not named",
    "secondary_reading": "secondary source",
    "no_ci": "no CI",
}
"""How each flag of a finding is printed beside its number (profile.Flag)."""


def verdict_of(line: BottomLine) -> str:
    return line.verdict + (", short-lived" if line.short_lived else "")


def verdict_text(r: TreatmentRow) -> str:
    """The verdict, and for a treatment studied only in the other phase, what that phase says."""
    line = r.bottom_line
    text = verdict_of(line)
    other = r.other_phase
    if line.verdict == "not studied" and other.verdict not in ("not studied", "comparator"):
        text += f" ({other.phase}: {other.verdict})"
    return text


def answer_cell(r: TreatmentRow, question: str) -> str:
    """The figure that answers one question, its own certainty and every flag on it."""
    answer = next((a for a in r.answers if a.question == question), None)
    if answer is None:
        return "no finding"
    figure = r.answer_figures.get(question) or _answer_figure(answer)
    points = r.answer_points.get(question)
    if points is not None:
        figure += f", {points_words(points)}"
    flags = [FLAG_WORDS[f] for f in answer.flags if f not in ("not_rated",)]
    certainty = words.certainty_words(answer.certainty, answer.certainty_up_to)
    tail = "; ".join([f"certainty {certainty}", *flags])
    return f"{figure} ({tail})"


def _answer_figure(answer: Answer) -> str:
    shown = {
        "benefit": "benefit",
        "no_difference": "no clear difference",
        "harm": "favours the control",
        "conflicting": "conflicting results",
        "unclear": "no clear direction",
    }[answer.shows]
    return f"{shown} [{answer.finding}]"


def key_certainty(r: TreatmentRow) -> str:
    line = r.bottom_line
    answer = next((a for a in r.answers if a.question == line.basis), None)
    return words.certainty_words(answer.certainty, answer.certainty_up_to) if answer else NOT_REPORTED


def short_name(name: str) -> str:
    """'TENS' for 'Transcutaneous electrical nerve stimulation (TENS)': a name that ends with its
    own abbreviation is listed by it (list cells are narrow; show and compare use the name)."""
    if name.endswith(")") and "(" in name:
        inner = name[name.rindex("(") + 1 : -1]
        if inner.isupper() and inner.isalpha() and len(inner) >= 3:
            return inner
    return name


def list_section(doc: ListDoc) -> Section:
    rows = []
    for r in doc.treatments:
        rows.append(
            (
                short_name(r.name),
                verdict_text(r),
                r.key_figure or NOT_REPORTED,
                key_certainty(r),
                words.lasts_short(r.lasting),
                words.guideline_marks(r.guideline_lines),
            )
        )
    marks = doc.treatments[0].guideline_lines if doc.treatments else ()
    header = words.guideline_header(marks) or "guidelines"
    columns = ("treatment", f"bottom line ({doc.phase})", "key figure", "certainty", "lasts", header)
    notes = [
        "Certainty is the key figure's own; lasts: after the end of treatment (end = at its end).",
        words.GUIDELINE_LEGEND,
    ]
    if doc.note:
        notes.insert(0, doc.note)
    if not rows:
        notes = ["no treatment matches these filters"]
    return Section(
        "Treatments", columns, tuple(rows), " ".join(notes), numeric=(2,), nowrap=(5,), brief=((5, 0, 1), (2, 3, 4))
    )


QUESTION_LABELS = {
    "specific": "vs sham/placebo",
    "pragmatic": "vs usual care, waiting list, no treatment",
    "relative": "vs other treatments",
}


def compare_sections(doc: CompareDoc) -> list[Section]:
    out = []
    if doc.head_to_head:
        names = {r.id: r.name for r in doc.treatments}
        rows = tuple(
            (
                names.get(h.treatment, h.treatment),
                names.get(h.comparator, h.comparator),
                f"{h.outcome}, {h.time_point}",
                h.result,
                words.certainty_words(h.certainty),  # type: ignore[arg-type]
            )
            for h in doc.head_to_head
        )
        columns = ("treatment", "compared with", "outcome, when", "result", "certainty")
        out.append(Section("Head to head", columns, rows, "Direct comparisons between the treatments named."))
    out.append(compare_section(doc))
    return out


def compare_section(doc: CompareDoc) -> Section:
    def mark(attribute: str, r: TreatmentRow, value: str) -> str:
        return f"{value} {BEST}" if r.id in doc.best.get(attribute, ()) else value

    per_row: list[tuple[str, ...]] = [
        (f"bottom line ({doc.phase})", *(verdict_text(r) for r in doc.treatments)),
    ]
    for question, label in QUESTION_LABELS.items():
        cells = [mark(f"effect:{question}", r, answer_cell(r, question)) for r in doc.treatments]
        if any(c != "no finding" for c in cells):
            per_row.append((label, *cells))
    absolute = [absolute_cell(r) for r in doc.treatments]
    if any(absolute):
        per_row.append(("per 100, NNT", *(cell or "no binary finding" for cell in absolute)))
    per_row += [
        ("lasts", *(words.lasts_short(r.lasting) for r in doc.treatments)),
        ("guidelines", *("\n".join(g.text for g in r.guideline_lines) for r in doc.treatments)),
        ("mechanism", *(r.plausibility or NOT_REPORTED for r in doc.treatments)),
        ("harms", *(r.harms for r in doc.treatments)),
        ("category", *(r.category for r in doc.treatments)),
    ]
    columns = ("", *(r.name for r in doc.treatments))
    note = (
        f"Each row answers one question for {doc.phase} pain; {BEST} marks the largest effect only among answers "
        "to the same question in the same unit. Certainty is each figure's own."
    )
    points = points_note([p for r in doc.treatments for p in r.answer_points.values()])
    if points:
        note += f" {points[0].upper()}{points[1:]}."
    if any(absolute):
        note += " Per 100: treatment minus control; NNT = 1/|difference| rounded up (painsci glossary NNT)."
    return Section("Comparison", columns, tuple(per_row), note, numeric=tuple(range(1, len(columns))))


def absolute_cell(r: TreatmentRow) -> str:
    """The row's binary findings with a CI (vs sham first), two at most: per 100, then the NNT."""
    shown = [a for a in r.absolute_effects if a.per_100_lower is not None][:2]
    return "\n".join(f"{a.event}, {a.time_point}, vs {a.versus}: {a.per_100_text}; {a.nnt_text}" for a in shown)


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
    out += [arms_section(each) for each in doc.arms_improvement]
    if doc.not_drawn:
        columns = ("treatment", "outcome", "vs", "when", "result")
        rows = tuple(_plot_cells(r) for r in doc.not_drawn)
        out.append(Section("Not drawn: no between-group figure", columns, rows))
    if doc.notes or not out:
        notes = doc.notes or ("nothing to draw",)
        out.append(Section("Notes", ("",), tuple((n,) for n in notes)))
    return out


def arms_section(each: PlotArms) -> Section:
    """A trial's arms as rows (the picture's figures), each control arm's share in the note."""
    from ..arms import ZOU_WORDS
    from .numbers import arm_kind, chart_words

    chart = each.chart
    rows = tuple((a.arm, arm_kind(a), f"{number(a.improvement)} points") for a in chart.arms)
    shares = "; ".join(s.text for s in chart.shares)
    return Section(
        f"Arms improved: {each.treatment_name} · {chart_words(chart)}",
        ("arm", "kind", "improvement from baseline"),
        rows,
        f"{shares}. {ZOU_WORDS[0].upper()}{ZOU_WORDS[1:]}.",
        numeric=(2,),
    )


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


def findings_section(doc: FindingsDoc) -> Section:
    rows = tuple(
        (
            r.treatment,
            f"{r.outcome} ({r.population.replace('_', '/')})",
            words.COMPARATOR_SHORT.get(r.comparator, r.comparator),
            words.WINDOW_SHORT[r.window],
            _figure(r),
            words.certainty_words(r.certainty, r.certainty_up_to),  # type: ignore[arg-type]
            r.source,
        )
        for r in doc.findings
    )
    columns = ("treatment", "outcome", "vs", "when", "effect (95% CI)", "certainty", "source")
    note = f"{len(rows)} findings. --format csv or --json for every field (locator, flags, MCID verdict)."
    return Section("Findings", columns, rows, note if rows else "no finding matches these filters", numeric=(4,))


def harms_section(doc: FindingsDoc) -> Section:
    """Harm rates as numbers, each on the basis its source counted on (findings --harms)."""
    rows = tuple(
        (
            r.treatment,
            r.harm,
            "serious" if r.serious else "not serious",
            r.rate or "no numbers stored",
            r.as_printed or NOT_REPORTED,
            r.source,
        )
        for r in doc.harms
    )
    columns = ("treatment", "harm", "severity", "rate", "as printed", "source")
    note = f"{len(rows)} harm rates. --format csv or --json for every field (per, value, CI, events/total, locator)."
    return Section("Harms as rates", columns, rows, note if rows else "no harm matches these filters", numeric=(3,))


def _figure(r: FindingRow) -> str:
    if r.measure is None:
        return r.shows.replace("_", " ")
    ci = f" [{number(r.ci_lower)}, {number(r.ci_upper)}]" if r.ci_lower is not None else " [no CI]"
    return f"{r.measure.upper()} {number(r.estimate)}{ci}"
