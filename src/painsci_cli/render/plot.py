"""The terminal forest plot and effect-over-time charts, drawn with rich Text.

Where each mark goes is `plots.column`, tested without rich. Marks are distinct characters
(● estimate, ├─┤ 95% CI, │ no effect, ┊ MCID), so the picture survives NO_COLOR and SVG readers
without colour, and every bar carries its figure as text: the picture never hides a number. A
label sits beside its bar when the terminal is wide enough, otherwise on its own line above it
(at 80 columns, always); the figure goes under the bar only on very narrow terminals. Where a
trial prints each arm's improvement, the arms are drawn as render/numbers.py draws them on the card
(█ improvement from baseline, ░ the gap to the treated arm), under a heading that says they are
within-group changes, not effects.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.text import Text

from ..arms import ZOU_WORDS
from ..plots import column
from ..records import Record, record
from ..text import number
from ..views import PlotArms, PlotAxis, PlotDoc, PlotRow
from .layout import axis_lines, plot_label, when
from .numbers import BAR_CELLS, FULL, HALF, bar_lines, chart_title
from .numbers import GAP as GAP_MARK

ESTIMATE = "●"
CI_START, CI_RUN, CI_END = "├", "─", "┤"
NO_EFFECT = "│"
MCID_LINE = "┊"
RULE, TICK = "─", "┬"

INDENT = 4
GAP = 2
MIN_BAR = 21
MAX_BAR = 61
"""61 columns = 60 intervals: an axis of 6 or 12 units gets a whole number of columns per unit."""

STYLE = {ESTIMATE: "bold", CI_START: "cyan", CI_RUN: "cyan", CI_END: "cyan", NO_EFFECT: "", MCID_LINE: "yellow"}
ARM_STYLE = {FULL: "cyan", HALF: "cyan", GAP_MARK: "yellow"}
ARMS_HEADING = "Each arm's improvement from baseline: how much of it is the treatment?"


@record
class Geometry(Record):
    bar: int
    """Width of the bar in columns: the `width` passed to `plots.column`."""
    offset: int
    """Console column where the bar starts."""
    label_beside: bool
    figure_beside: bool


def geometry(console_width: int, label_width: int, figure_width: int) -> Geometry:
    """Labels beside the bars only when a full-width bar still fits; figures are never cut."""
    if label_width + GAP + MAX_BAR + GAP + figure_width <= console_width:
        return Geometry(MAX_BAR, label_width + GAP, True, True)
    bar = min(MAX_BAR, console_width - INDENT - GAP - figure_width)
    if bar >= MIN_BAR:
        return Geometry(bar, INDENT, False, True)
    return Geometry(max(1, min(MAX_BAR, console_width - INDENT)), INDENT, False, False)


def marks(row: PlotRow, axis: PlotAxis, width: int) -> list[str]:
    """One character per column: the estimate over the CI ends over the reference lines over the
    CI's run, so a CI crossing no effect or the MCID shows the line cutting through it."""
    cells = [" "] * width

    def at(value: float) -> int:
        return column(value, axis.lo, axis.hi, width)

    cells[at(axis.null)] = NO_EFFECT
    if axis.mcid is not None:
        cells[at(axis.mcid)] = MCID_LINE
    if row.lower is not None and row.upper is not None:
        start, end = at(row.lower), at(row.upper)
        for c in range(start + 1, end):
            if cells[c] == " ":
                cells[c] = CI_RUN
        cells[start], cells[end] = CI_START, CI_END
    if row.estimate is not None:
        cells[at(row.estimate)] = ESTIMATE
    return cells


def bar(row: PlotRow, axis: PlotAxis, width: int) -> Text:
    text = Text()
    for mark in marks(row, axis, width):
        text.append(mark, STYLE.get(mark, ""))
    return text


def tick_label(value: float) -> str:
    return format(value, "g")


def axis_rule(axis: PlotAxis, geo: Geometry) -> Text:
    cells = [RULE] * geo.bar
    for tick in axis.ticks:
        cells[column(tick, axis.lo, axis.hi, geo.bar)] = TICK
    return Text(" " * geo.offset + "".join(cells), style="dim")


def tick_labels(axis: PlotAxis, geo: Geometry) -> Text:
    """Labels centred under their ticks; one that would touch its left neighbour is left out."""
    cells = [" "] * geo.bar
    free_from = 0
    for tick in axis.ticks:
        label = tick_label(tick)
        start = column(tick, axis.lo, axis.hi, geo.bar) - len(label) // 2
        start = max(0, min(start, geo.bar - len(label)))
        if start < free_from or len(label) > geo.bar:
            continue
        cells[start : start + len(label)] = label
        free_from = start + len(label) + 1
    return Text(" " * geo.offset + "".join(cells).rstrip())


def direction(axis: PlotAxis, geo: Geometry, width: int) -> Text:
    """Which side favours what, its bar on the no-effect column when the line fits there."""
    treatment, control = "favours treatment", "favours control"
    left, right = (treatment, control) if axis.favours_treatment == "negative" else (control, treatment)
    left, right = f"← {left} ", f" {right} →"
    start = geo.offset + column(axis.null, axis.lo, axis.hi, geo.bar) - cell_len(left)
    start = max(0, min(start, width - cell_len(left + NO_EFFECT + right)))
    return Text(" " * start + left + NO_EFFECT + right, style="dim")


def indented(console: Console, text: Text) -> list[Text]:
    """Wrapped under its label with a hanging indent, and no trailing blanks (README blocks)."""
    lines = text.wrap(console, max(1, console.width - INDENT))
    out = []
    for line in lines:
        line.rstrip()
        out.append(Text(" " * INDENT) + line)
    return out


def legend(axis: PlotAxis) -> Text:
    text = Text.assemble(
        (ESTIMATE, STYLE[ESTIMATE]),
        " estimate   ",
        (CI_START + CI_RUN + CI_END, STYLE[CI_RUN]),
        " 95% CI   ",
        NO_EFFECT,
        f" no effect ({number(axis.null)})",
    )
    if axis.mcid is not None:
        text.append("   ")
        text.append(MCID_LINE, STYLE[MCID_LINE])
        text.append(f" MCID ({number(axis.mcid)})")
    return text


def chart(console: Console, title: Text, axis: PlotAxis, rows: Sequence[tuple[Text, PlotRow]]) -> list[RenderableType]:
    """One axis with its rows: title, key, a line (or two) per finding, the axis and its words."""
    drawn = [row for _, row in rows if row.estimate is not None]
    geo = geometry(
        console.width,
        max((label.cell_len for label, _ in rows), default=0),
        max((cell_len(row.figure) for row in drawn), default=0),
    )
    out: list[RenderableType] = [title, legend(axis), Text(axis_lines(axis), style="dim"), Text("")]
    for label, row in rows:
        if row.estimate is None:
            out += [label, *indented(console, Text(row.figure, style="italic"))]
            continue
        figure = Text(row.figure)
        line = Text(" " * geo.offset)
        if geo.label_beside:
            line = label.copy()
            line.pad_right(geo.offset - label.cell_len)
        else:
            out.append(label)
        line.append_text(bar(row, axis, geo.bar))
        if geo.figure_beside:
            out.append(line + Text(" " * GAP) + figure)
        else:
            line.rstrip()
            out += [line, Text(" " * INDENT) + figure]
    out += [axis_rule(axis, geo), tick_labels(axis, geo), direction(axis, geo, console.width), Text("")]
    return out


def forest_label(row: PlotRow) -> Text:
    text = Text(plot_label(row))
    text.stylize("bold", 0, len(row.treatment_name))
    return text


def arms_bar(line: str) -> Text:
    """One arm's line, its bar cells coloured (the characters alone carry the meaning); the words
    after the bar are KB text and stay as they are."""
    text = Text()
    for char in line[:BAR_CELLS]:
        text.append(char, ARM_STYLE.get(char, ""))
    return text + Text(line[BAR_CELLS:])


def arms_chart(console: Console, each: PlotArms) -> list[RenderableType]:
    """A trial's arms: what was measured, one bar per arm, each control arm's share in a sentence."""
    chart = each.chart
    out: list[RenderableType] = [Text.assemble((each.treatment_name, "bold"), f" · {chart_title(chart)}")]
    out += [arms_bar(line) for line in bar_lines(chart)]
    out.append(Text(""))
    for share in chart.shares:
        out += indented(console, Text(share.text))
    return [*out, Text("")]


def renderables(console: Console, doc: PlotDoc) -> list[RenderableType]:
    out: list[RenderableType] = []
    if doc.panels:
        out += [Text("Forest plot: between-group difference vs control, 95% CI", style="bold underline"), Text("")]
    for panel in doc.panels:
        title = Text(panel.axis.title, style="bold")
        out += chart(console, title, panel.axis, [(forest_label(r), r) for r in panel.rows])
    if doc.over_time:
        out += [Text("Effect over time: does the difference fade after treatment ends?", style="bold underline")]
        out.append(Text(""))
    for course in doc.over_time:
        title = Text.assemble(
            (course.treatment_name, "bold"), f" · {course.outcome} · vs {course.comparator}\n", course.axis.title
        )
        out += chart(console, title, course.axis, [(Text(when(r)), r) for r in course.rows])
    if doc.arms_improvement:
        out += [Text(ARMS_HEADING, style="bold underline"), Text("")]
    for each in doc.arms_improvement:
        out += arms_chart(console, each)
    if doc.arms_improvement:
        out += [Text(ZOU_WORDS[0].upper() + ZOU_WORDS[1:] + ".", style="dim"), Text("")]
    if doc.not_drawn:
        out.append(Text("Not drawn: no between-group figure", style="bold underline"))
        for row in doc.not_drawn:
            out += [forest_label(row), *indented(console, Text(row.figure, style="italic"))]
        out.append(Text(""))
    for note in doc.notes or (() if out else ("nothing to draw",)):
        out.append(Text(note))
    return out
