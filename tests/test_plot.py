"""`painsci plot` and `compare --plot`: the plot's data, its geometry on screen, and its other formats.

Geometry is checked against figures worked out by hand: relaxation massage, RDQ, MD -2.9
(95% CI -4.0 to -1.8), trial MCID 2 points. Its axis runs from -5 to 1 (round numbers with a
little room around -4.0 and 0), so on a 61-column bar each point is 10 columns: -4.0 -> 10,
-2.9 -> 21, -2 (the MCID line) -> 30, -1.8 -> 32, 0 (no effect) -> 50.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from helpers import BUNDLED, DATA
from painsci_cli import load, plots
from painsci_cli.errors import UsageError
from painsci_cli.load.store import Store
from painsci_cli.render import plot as drawing
from painsci_cli.render.table import make_console
from painsci_cli.views import PlotDoc, PlotPanel

PLOT_KB = DATA / "plot.yaml"
RDQ_FIGURE = "MD -2.9 (95% CI -4.0 to -1.8)"
Invoke = Callable[..., object]


def index_of(path: Path = PLOT_KB) -> Store:
    return load.load(str(path))


def doc_for(*names: str, path: Path = PLOT_KB) -> PlotDoc:
    return plots.plot_doc(index_of(path), names)


def panel(doc: PlotDoc, axis_id: str) -> PlotPanel:
    [found] = [p for p in doc.panels if p.axis.id == axis_id]
    return found


def line_with(text: str, needle: str) -> str:
    """The first line holding `needle` (a figure shows in the forest first, then over time)."""
    return next(line for line in text.splitlines() if needle in line)


def drawn(doc: PlotDoc, width: int, color: bool = False) -> str:
    out = io.StringIO()
    console = make_console(color, width=width, file=out)
    for item in drawing.renderables(console, doc):
        console.print(item)
    return out.getvalue()


# --------------------------------------------------------------------------- geometry


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-5, 0), (-4.0, 10), (-2.9, 21), (-2, 30), (-1.8, 32), (0, 50), (1, 60)],
)
def test_column_of_known_figures(value: float, expected: int) -> None:
    assert plots.column(value, -5.0, 1.0, 61) == expected


def test_column_on_an_80_column_bar() -> None:
    """45 columns (44 intervals) for 6 points: 7.33 columns a point, rounded to the nearest."""
    assert [plots.column(v, -5.0, 1.0, 45) for v in (-4.0, -2.9, -2, -1.8, 0)] == [7, 15, 22, 23, 37]


def test_column_rounds_half_up_on_the_decimal_figure() -> None:
    # 0.35 on 0-0.9 over 9 intervals is exactly 3.5 columns as written; binary floats make it
    # 3.4999999999999996 and would round it down.
    assert plots.column(0.35, 0.0, 0.9, 10) == 4
    assert plots.column(0.5, 0, 1, 2) == 1


def test_column_stays_on_the_bar_and_refuses_an_empty_axis() -> None:
    assert plots.column(-99, -5, 1, 61) == 0
    assert plots.column(99, -5, 1, 61) == 60
    with pytest.raises(ValueError):
        plots.column(0, 1, 1, 61)
    with pytest.raises(ValueError):
        plots.column(0, -1, 1, 0)


def test_axis_range_is_round_and_holds_every_value() -> None:
    assert plots.axis_range([0, -2, -2.9, -4.0, -1.8]) == (-5.0, 1.0, (-5.0, -4.0, -3.0, -2.0, -1.0, 0.0, 1.0))
    lo, hi, ticks = plots.axis_range([0, -0.75, -0.90, -0.60])
    assert (lo, hi) == (-1.0, 0.2)
    assert ticks == (-1.0, -0.8, -0.6, -0.4, -0.2, 0.0, 0.2)  # exact, no 0.6000000000000001
    assert plots.axis_range([1, 0.4, 0.09, 1.80])[:2] == (0.0, 2.0)
    assert plots.axis_range([0, 0])[:2] == (-1.5, 1.5)


def test_nice_steps() -> None:
    assert [str(plots.nice_step(Decimal(x))) for x in ("0.8", "0.18", "3", "0.04", "7")] == [
        "1.0",
        "0.2",
        "5",
        "0.05",
        "10",
    ]


def test_rdq_axis_has_no_effect_and_the_mcid_line_re_signed() -> None:
    axis = panel(doc_for("relaxation-massage"), "rdq-23").axis
    assert (axis.lo, axis.hi, axis.null, axis.mcid) == (-5.0, 1.0, 0, -2)
    assert axis.favours_treatment == "negative"
    assert (axis.mcid_basis, axis.mcid_sources) == ("trial_prespecified", ("cherkin-2011",))


def test_drawn_columns_at_100_columns() -> None:
    text = drawn(doc_for("relaxation-massage"), 100)
    line = line_with(text, RDQ_FIGURE)
    start = drawing.INDENT
    assert line.index(drawing.CI_START) == start + 10
    assert line.index(drawing.ESTIMATE) == start + 21
    assert line.index(drawing.MCID_LINE) == start + 30
    assert line.index(drawing.CI_END) == start + 32
    assert line.index(drawing.NO_EFFECT) == start + 50
    assert line.endswith(RDQ_FIGURE)
    rule = next(line for line in text.splitlines() if drawing.TICK in line)
    assert [i - start for i, c in enumerate(rule) if c == drawing.TICK] == [0, 10, 20, 30, 40, 50, 60]
    assert line_with(text, "favours control").index(drawing.NO_EFFECT) == start + 50


def test_drawn_columns_at_80_columns_labels_above_and_nothing_cut() -> None:
    text = drawn(doc_for("relaxation-massage"), 80)
    lines = text.splitlines()
    line = line_with(text, RDQ_FIGURE)
    start = drawing.INDENT
    marks = [drawing.CI_START, drawing.ESTIMATE, drawing.MCID_LINE, drawing.CI_END, drawing.NO_EFFECT]
    assert [line.index(m) - start for m in marks] == [7, 15, 22, 23, 37]
    label = lines[lines.index(line) - 1]
    assert label.startswith("Relaxation massage · RDQ (chronic) · vs usual care · 10 weeks")
    assert max(cell_len(line) for line in lines) <= 80


def test_narrow_terminal_puts_the_figure_under_the_bar() -> None:
    text = drawn(doc_for("relaxation-massage"), 40)
    assert f"    {RDQ_FIGURE}" in text.splitlines()
    assert max(cell_len(line) for line in text.splitlines()) <= 40


def test_wide_terminal_puts_the_label_beside_the_bar() -> None:
    text = drawn(doc_for("relaxation-massage"), 160)
    line = line_with(text, RDQ_FIGURE)
    assert line.startswith("Relaxation massage · RDQ (chronic) · vs usual care · 10 weeks")
    label_width = len("Relaxation massage · RDQ (chronic) · vs usual care · 10 weeks")
    assert label_width + drawing.GAP + drawing.MAX_BAR + drawing.GAP + len(RDQ_FIGURE) <= 160
    assert line.index(drawing.ESTIMATE) == label_width + drawing.GAP + 21


def test_a_ci_crossing_no_effect_shows_the_line_through_it() -> None:
    text = drawn(doc_for("tens"), 100)
    bar = line_with(text, "MD -0.5 (95% CI -1.2 to 0.2)")
    assert re.search(f"{drawing.CI_START}─+{drawing.ESTIMATE}─+{drawing.NO_EFFECT}─+{drawing.CI_END}", bar)


def test_an_estimate_without_ci_is_drawn_alone_and_says_so() -> None:
    bar = line_with(drawn(doc_for("tens"), 100), "MD 0.1 (95% CI not reported)")
    assert drawing.ESTIMATE in bar
    assert drawing.CI_START not in bar
    assert drawing.CI_END not in bar


def test_no_color_keeps_every_mark_and_colour_adds_nothing_but_colour() -> None:
    doc = doc_for("massage", "tens")
    plain = drawn(doc, 100, color=False)
    assert "\x1b" not in plain
    for mark in (drawing.ESTIMATE, drawing.CI_START, drawing.CI_END, drawing.NO_EFFECT, drawing.MCID_LINE):
        assert mark in plain
    out = io.StringIO()
    console = Console(
        file=out,
        width=100,
        color_system="truecolor",
        force_terminal=True,
        no_color=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    for item in drawing.renderables(console, doc):
        console.print(item)
    coloured = out.getvalue()
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


# --------------------------------------------------------------------------- what goes on which axis


def test_panels_never_mix_scales() -> None:
    index = index_of()
    doc = plots.plot_doc(index, ["massage", "tens"])
    findings = {f.id: f for tid in doc.treatments for f in index.treatments[tid].findings}
    seen = set()
    for p in doc.panels:
        units = set()
        for row in p.rows:
            effect = findings[row.finding].effect
            assert effect is not None
            units.add(findings[row.finding].outcome.scale if effect.measure == "md" else effect.measure.upper())
        assert units == {p.axis.id}
        assert (p.axis.id, p.axis.favours_treatment) not in seen
        seen.add((p.axis.id, p.axis.favours_treatment))
    assert [p.axis.id for p in doc.panels] == ["SMD", "RR", "rdq-23", "bothersomeness-10", "pain-10"]


def test_a_ratio_gets_its_own_axis_with_no_effect_at_1() -> None:
    axis = panel(doc_for("massage"), "RR").axis
    assert (axis.null, axis.mcid, axis.lo, axis.hi) == (1, None, 0.0, 2.0)
    assert axis.title == "Risk ratio (RR): below 1 favours the treatment"


def test_a_plot_includes_sub_types_and_names_each_once() -> None:
    doc = doc_for("massage", "relaxation-massage")
    assert doc.treatments == ("massage", "relaxation-massage", "structural-massage")
    assert [r.treatment for r in panel(doc, "rdq-23").rows] == ["relaxation-massage", "structural-massage"]


def test_shared_mcid_only_when_every_finding_uses_the_same_threshold(write_kb: Callable[..., Path]) -> None:
    text = PLOT_KB.read_text(encoding="utf-8")
    structural = text.index("id: cherkin-2011-structural-rdq-10w")
    changed = text[:structural] + text[structural:].replace("value: 2\n", "value: 3\n", 1)
    axis = panel(doc_for("massage", path=write_kb(changed)), "rdq-23").axis
    assert axis.mcid is None
    assert axis.note == "no MCID line: these findings are judged against different thresholds"
    assert panel(doc_for("relaxation-massage", path=write_kb(changed)), "rdq-23").axis.mcid == -2


def test_mcid_line_is_positive_on_a_higher_is_better_scale(write_kb: Callable[..., Path]) -> None:
    text = PLOT_KB.read_text(encoding="utf-8")
    text = text.replace(
        "    name: Symptom bothersomeness rating\n    construct: bothersomeness\n    min: 0\n    max: 10\n"
        "    direction: lower_is_better",
        "    name: Symptom bothersomeness rating\n    construct: bothersomeness\n    min: 0\n    max: 10\n"
        "    direction: higher_is_better",
    )
    text = text.replace(
        "          estimate: -1.7\n          ci95: {lower: -2.2, upper: -1.2}\n          favours_treatment: negative",
        "          estimate: 1.7\n          ci95: {lower: 1.2, upper: 2.2}\n          favours_treatment: positive",
    )
    axis = panel(doc_for("relaxation-massage", path=write_kb(text)), "bothersomeness-10").axis
    assert (axis.mcid, axis.favours_treatment) == (1.5, "positive")
    text_drawn = drawn(doc_for("relaxation-massage", path=write_kb(text)), 100)
    assert "← favours control │ favours treatment →" in text_drawn


def test_smd_axis_has_no_mcid_line_and_says_why() -> None:
    axis = panel(doc_for("massage"), "SMD").axis
    assert axis.mcid is None
    assert axis.note == "no MCID line: no minimal important difference is defined in SD units"


# --------------------------------------------------------------------------- effect over time


def test_relaxation_massage_over_time_in_time_order_with_unreported_points() -> None:
    doc = doc_for("relaxation-massage")
    [course] = [c for c in doc.over_time if c.axis.id == "rdq-23"]
    assert [r.time_point for r in course.rows] == ["10 weeks", "26 weeks", "52 weeks"]
    assert [r.window for r in course.rows] == ["immediate", "short", "intermediate"]
    assert [r.estimate for r in course.rows] == [-2.9, None, None]
    assert course.rows[2].figure == "not reported: The function benefit persisted at 52 weeks but was small."
    assert (course.axis.mcid, course.axis.lo, course.axis.hi) == (-2, -5.0, 1.0)
    # a single time point (bothersomeness, 10 weeks) makes no chart
    assert [c.axis.id for c in doc.over_time] == ["rdq-23"]


def test_over_time_sorts_by_time_not_by_kb_order() -> None:
    index = index_of()
    treatment = index.treatments["relaxation-massage"]
    entries = [(treatment, f) for f in reversed(treatment.findings)]
    [course] = plots.over_time(index, entries)
    assert [r.time_point for r in course.rows] == ["10 weeks", "26 weeks", "52 weeks"]


def test_over_time_chart_is_drawn_with_its_words() -> None:
    text = drawn(doc_for("relaxation-massage"), 80)
    chart = text[text.index("Effect over time") :]
    assert chart.index("10 weeks [end of treatment]") < chart.index("26 weeks [short term]")
    assert chart.index("26 weeks [short term]") < chart.index("52 weeks [intermediate term]")
    assert "    not reported: The benefits of massage lasted at least 6 months." in chart.splitlines()
    assert RDQ_FIGURE in chart


def test_smd_over_time_and_findings_shown_nowhere_else_are_listed() -> None:
    doc = doc_for("massage")
    assert [(c.treatment, c.axis.id) for c in doc.over_time] == [("massage", "SMD"), ("relaxation-massage", "rdq-23")]
    assert [r.finding for r in doc.not_drawn] == ["invented-2020-other-comparator"]
    assert doc.notes == ()


def test_a_treatment_without_findings_says_why() -> None:
    doc = doc_for("usual-care")
    assert (doc.panels, doc.over_time, doc.not_drawn) == ((), (), ())
    assert doc.notes == ("Usual care: A comparator, not a treatment.",)
    assert "Usual care: A comparator, not a treatment." in drawn(doc, 80)


def test_plot_takes_one_to_six_treatments() -> None:
    with pytest.raises(UsageError, match="plot takes 1 to 6 treatments, got 7"):
        plots.plot_doc(index_of(), ["massage"] * 7)


# --------------------------------------------------------------------------- the command


def test_plot_command_table(invoke: Invoke) -> None:
    result = invoke("--data", str(PLOT_KB), "plot", "swedish massage", "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "Forest plot: between-group difference vs control, 95% CI" in result.stdout
    assert line_with(result.stdout, RDQ_FIGURE).index(drawing.ESTIMATE) == drawing.INDENT + 21  # COLUMNS=100


def test_plot_json_parses_and_matches_the_output_schema(invoke: Invoke) -> None:
    result = invoke("--data", str(PLOT_KB), "plot", "massage", "tens", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "plot"
    rdq = next(p for p in data["panels"] if p["axis"]["id"] == "rdq-23")
    assert rdq["axis"]["mcid"] == -2
    assert rdq["rows"][0]["estimate"] == -2.9
    assert (rdq["rows"][0]["lower"], rdq["rows"][0]["upper"]) == (-4.0, -1.8)
    schema = json.loads(invoke("schema", "--output").stdout)
    jsonschema.validate(data, schema)


def test_plot_plain_and_markdown_carry_the_figures(invoke: Invoke) -> None:
    plain = invoke("--data", str(PLOT_KB), "plot", "relaxation-massage", "--plain")
    assert plain.exit_code == 0
    header, *rows = (line.split("\t") for line in plain.stdout.splitlines())
    assert header[:3] == ["chart", "treatment", "outcome"]
    assert {len(row) for row in rows} == {len(header)}
    row = dict(zip(header, next(r for r in rows if r[header.index("figure")] == RDQ_FIGURE), strict=True))
    assert row["chart"].startswith("forest: Roland-Morris")
    assert (row["treatment"], row["comparator"], row["time"], row["window"]) == (
        "relaxation-massage",
        "usual care",
        "10 weeks",
        "immediate",
    )
    assert (row["estimate"], row["lower"], row["upper"]) == ("-2.9", "-4.0", "-1.8")
    assert "MCID line at -2 (trial's MCID, cherkin-2011)" in row["reference_lines"]
    later = next(r for r in rows if r[header.index("time")] == "26 weeks")
    assert later[header.index("figure")].startswith("not reported: The benefits of massage lasted at least 6 months.")
    markdown = invoke("--data", str(PLOT_KB), "plot", "relaxation-massage", "--format", "markdown")
    assert f"| {RDQ_FIGURE} |" in markdown.stdout


def test_plot_usage_errors(invoke: Invoke) -> None:
    assert invoke("--data", str(PLOT_KB), "plot").exit_code == 2
    many = invoke("--data", str(PLOT_KB), "plot", *["massage"] * 7)
    assert (many.exit_code, many.stderr) == (2, "painsci: plot takes 1 to 6 treatments, got 7\n")
    unknown = invoke("--data", str(PLOT_KB), "plot", "masage")
    assert unknown.exit_code == 2
    assert "did you mean 'massage'" in unknown.stderr


def test_compare_with_plot(invoke: Invoke) -> None:
    result = invoke("--data", str(PLOT_KB), "compare", "relaxation-massage", "tens", "--plot", "--plain")
    assert result.exit_code == 2  # plain is one table: the plot's rows come from painsci plot
    assert result.stderr.startswith("painsci: --format plain prints one table")
    table = invoke("--data", str(PLOT_KB), "compare", "relaxation-massage", "tens", "--plot", "--format", "table")
    assert table.exit_code == 0
    assert line_with(table.stdout, RDQ_FIGURE)
    refused = invoke("--data", str(PLOT_KB), "compare", "relaxation-massage", "tens", "--plot", "--json")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("painsci: --json prints one document")


def test_kb_text_is_printed_literally(invoke: Invoke, write_kb: Callable[..., Path]) -> None:
    text = PLOT_KB.read_text(encoding="utf-8").replace(
        "name: Relaxation massage", "name: 'Relaxation [bold]massage[/] :warning: <b>'"
    )
    result = invoke("--data", str(write_kb(text)), "plot", "relaxation-massage", "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "Relaxation [bold]massage[/] :warning: <b> · RDQ" in result.stdout


def test_plot_help_leads_with_an_example(invoke: Invoke) -> None:
    result = invoke("plot", "--help")
    assert result.exit_code == 0
    assert "Example: painsci plot massage --export massage.svg" in result.stdout


# --------------------------------------------------------------------------- the arms' improvement


def test_plot_draws_each_arms_improvement_with_the_gap(invoke: Invoke) -> None:
    """Issue 14, item 5: the arms' picture in the terminal plot, labelled as within-group changes,
    with each control arm's share (Zou 2016); usual care is never called placebo."""
    result = invoke("plot", "acupuncture", "--format", "table", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    part = text[text.index(drawing.ARMS_HEADING) : text.index("Not drawn:")]
    assert [line.split(maxsplit=2)[1] for line in part.splitlines() if "█" in line] == ["4.4", "4.5", "4.4", "2.1"]
    assert "█████████▌░░░░░░░░░░ 2.1 usual care" in part
    assert "4.4 simulated acupuncture (non-penetrating) · sham control" in part
    flat = " ".join(part.split())
    assert "RMDQ (0-23), 8 weeks: improvement from baseline in each arm [cherkin-2009], not effects" in flat
    assert "48% of the improvement with individualised acupuncture also happened in the usual-care control arm" in flat
    assert "100% of the improvement with individualised acupuncture also happened in the sham control arm" in flat
    assert "placebo" not in flat
    assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_plot_exports_the_arms_picture_to_svg(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "acupuncture.svg"
    result = invoke("plot", "acupuncture", "--export", str(target))
    assert result.exit_code == 0, result.stderr
    svg = target.read_text(encoding="utf-8")
    # rich writes each coloured block apart: the four bars, and the gap once in the key, ten times drawn
    assert svg.startswith("<svg") and (svg.count("█"), svg.count("░")) == (19 + 20 + 19 + 9, 1 + 10)
    assert "&#160;2.1&#160;usual&#160;care" in svg and "48%&#160;of&#160;the&#160;improvement" in svg


def test_plot_arms_as_data_never_in_the_estimate_column(invoke: Invoke) -> None:
    data = json.loads(invoke("plot", "acupuncture", "simulated-acupuncture", "--json").stdout)
    [arms] = data["arms_improvement"]  # the trial both treatments store is drawn once
    assert arms["treatment"] == "acupuncture"
    assert sorted(s["percent"] for s in arms["chart"]["shares"]) == [47, 48, 98, 100]
    jsonschema.validate(data, json.loads(invoke("schema", "--output").stdout))
    plain = invoke("plot", "acupuncture", "--plain")
    header, *rows = (line.split("\t") for line in plain.stdout.splitlines())
    arm_rows = [dict(zip(header, r, strict=True)) for r in rows if r[0].startswith("arms improved")]
    assert [r["estimate"] for r in arm_rows] == ["", "", "", ""]
    usual = next(r for r in arm_rows if r["figure"].startswith("usual care"))
    assert usual["figure"] == "usual care (usual-care control): improved 2.1 points from baseline"
    assert usual["chart"] == "arms improved (within-group, not effects) [cherkin-2009]"
    assert "48% of the improvement" in usual["reference_lines"]
    markdown = invoke("plot", "acupuncture", "--format", "markdown").stdout
    assert "| usual care | usual-care control | 2.1 points |" in markdown
    assert "## Arms improved: Acupuncture · RMDQ (0-23), 8 weeks" in markdown


def test_plot_without_numeric_arms_draws_no_arms() -> None:
    """Approximate arms (Ingraham's "about 2 points") and a range across arms are never drawn."""
    index = load.load(str(BUNDLED))
    assert plots.plot_doc(index, ["massage"]).arms_improvement == ()
    pens = plots.plot_doc(index, ["pens"]).arms_improvement
    assert [len(p.chart.arms) for p in pens] == [2, 2]  # PENS with and without exercise never mix
    assert drawing.ARMS_HEADING not in drawn(plots.plot_doc(index, ["massage"]), 100)


# --------------------------------------------------------------------------- properties


@given(
    st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=200),
)
def test_columns_keep_order_and_stay_on_the_bar(values: list[float], width: int) -> None:
    lo, hi, ticks = plots.axis_range([0, *values])
    assert lo <= min(0, *values) and max(0, *values) <= hi
    assert ticks[0] == lo and ticks[-1] == hi
    columns = [plots.column(v, lo, hi, width) for v in sorted(values)]
    assert columns == sorted(columns)
    assert all(0 <= c < width for c in columns)


@pytest.mark.parametrize("width", [80, 100])
def test_every_treatment_in_the_bundled_kb_fits_and_keeps_its_figures_whole(width: int) -> None:
    index = load.load(str(BUNDLED))
    for treatment in index.treatments:
        doc = plots.plot_doc(index, [treatment])
        lines = drawn(doc, width).splitlines()
        assert max(cell_len(line) for line in lines) <= width, treatment
        for row in [r for p in doc.panels for r in p.rows] + [r for c in doc.over_time for r in c.rows]:
            if row.estimate is not None:
                assert any(row.figure in line for line in lines), (treatment, row.figure)
