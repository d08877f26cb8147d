"""Issue 14's numbers where people read them: the summary card, --full and its sections, compare,
the glossary and the SVG export, checked against the "Done when" list and the card's size limits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from painsci_cli.arms import ArmImprovement, ArmsImprovement, ControlShare
from painsci_cli.render import numbers

Invoke = Callable[..., Any]


def run(invoke: Invoke, *args: str, columns: int = 100) -> str:
    result = invoke(*args, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def card_rows(invoke: Invoke, treatment: str) -> dict[str, list[str]]:
    """The card as --plain prints it: field -> values (a field may repeat)."""
    rows: dict[str, list[str]] = {}
    for line in run(invoke, "show", treatment, "--plain").splitlines()[1:]:
        field, value = line.split("\t")
        rows.setdefault(field, []).append(value)
    return rows


# --------------------------------------------------------------------------- the card


@pytest.mark.parametrize("treatment", ["massage", "acupuncture", "kinesiology-taping"])
def test_the_card_stays_one_screen(invoke: Invoke, treatment: str) -> None:
    assert len(run(invoke, "show", treatment, "--format", "table", columns=80).splitlines()) <= 60
    assert len(run(invoke, "show", treatment, "--format", "table", columns=120).splitlines()) <= 40


def test_massage_card_prints_the_smd_in_points_with_its_assumption(invoke: Invoke) -> None:
    """Issue 14: Furlan 2015's SMD -0.75 also as about 1.5 to 1.9 points on 0-10, with the SD assumed,
    and as a share of the change an individual notices (never "not clinically important")."""
    rows = card_rows(invoke, "massage")
    [pragmatic] = rows["vs usual care etc."]
    assert pragmatic.startswith(
        "SMD -0.75 [-0.9, -0.6] vs inactive, about 1.5 to 1.9 points better on pain 0-10 (95% CI 1.2 to 2.3 better), "
        "between about three quarters and about the same as the change an individual notices; short-term follow-up"
    )
    [acupressure] = rows["Acupressure"]  # a sub-type's key figure gets its points too, briefly
    assert acupressure == (
        "very uncertain; SMD -0.32 [-0.61, -0.02] vs usual care, about 0.6 to 0.8 points better on pain 0-10"
    )
    acupressure_card = card_rows(invoke, "acupressure")["vs usual care etc."][0]  # its own card: CI and share
    assert "(95% CI 0.0 to 1.5 better), about a third of the change an individual notices" in acupressure_card
    assert rows["points"] == [
        "SMD x an assumed SD of 2.0-2.5 on pain 0-10 (AHRQ/ACP magnitude bands; no authoritative SD exists); "
        "the change an individual notices: 2 on pain 0-10 (ostelo-2008); painsci glossary points"
    ]
    assert rows["harms"][0].startswith("Increased pain intensity")
    assert ": 1.5 to 25 per 100 participants; 2 more (--section harms)" in rows["harms"][0]
    assert "not clinically important" not in " ".join(v for values in rows.values() for v in values)


def test_mbsr_card_prints_both_responder_nnts_with_cis_and_per_100(invoke: Invoke) -> None:
    first, second = card_rows(invoke, "mindfulness-based-stress-reduction")["per 100, NNT"]
    assert first == (
        "at least 30% improvement from baseline in the modified RDQ (0-23), 26 weeks, vs usual care: "
        "60.5 vs 44.1 in 100; 16.4 more per 100 (95% CI 2.6 to 34.0 more); NNT 7 (95% CI 3 to 38); "
        "model-adjusted percentages"
    )
    assert "43.6 vs 26.6 in 100; 17.0 more per 100 (95% CI 4.0 to 35.6 more); NNT 6 (95% CI 3 to 26)" in second


def test_traction_card_prints_its_risk_difference_through_infinity(invoke: Invoke) -> None:
    [line] = card_rows(invoke, "traction")["per 100, NNT"]
    assert line == (
        "global improvement (risk difference), 12-16 weeks, vs other treatment: 5.0 more per 100 "
        "(95% CI 10.0 fewer to 20.0 more); NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)"
    )
    [harms] = card_rows(invoke, "traction")["harms"]
    assert "17 per 100 participants (traction) vs 15 per 100 participants (exercise)" in harms


def test_the_card_shows_two_binary_findings_and_counts_the_rest(invoke: Invoke) -> None:
    lines = card_rows(invoke, "stretching")["per 100, NNT"]
    assert len(lines) == 2 and lines[-1].endswith("; 6 more (--section effects)")
    assert "NNT 4 (95% CI 2 to 23)" in lines[0] and "capped where a risk would pass 100%" in lines[0]


def test_a_finding_without_a_ci_stays_out_of_the_card(invoke: Invoke) -> None:
    """Cherkin 2009's pooled needle arms (sham included) vs usual care has no CI: --full shows it, with
    its note, the card does not."""
    assert "per 100, NNT" not in card_rows(invoke, "acupuncture")
    effects = run(invoke, "show", "acupuncture", "--section", "effects", "--plain")
    assert "60 vs 39 in 100; 21.0 more per 100; NNTB 5" in effects
    assert "The pooled needle group includes the simulated (non-penetrating) arm" in effects


def test_acupuncture_card_draws_the_arms_and_their_shares(invoke: Invoke) -> None:
    text = run(invoke, "show", "acupuncture", "--format", "table", columns=120)
    bars = [line.split(maxsplit=2)[:2] for line in text.splitlines() if "█" in line]
    assert [b[1] for b in bars] == ["4.4", "4.5", "4.4", "2.1"]
    usual = next(line for line in text.splitlines() if "█" in line and " 2.1 " in line)
    assert re.search(r"█+▌?░+ 2\.1 usual care", usual)
    rows = card_rows(invoke, "acupuncture")
    assert rows["also in control"] == [
        "sham arm 100% and 98%, usual-care arm 48% and 47% of the improvement with individualised acupuncture "
        "and standardised acupuncture (Zou 2016)"
    ]
    assert (
        "RMDQ (0-23), 8 weeks: improvement from baseline in each arm [cherkin-2009], not effects"
        in rows["arms improved"][0]
    )
    assert "placebo" not in " ".join(rows["also in control"] + rows["arms improved"])
    assert "serious: 1.01 per 10,000 patients (95% CI 0.23 to 2.33)" in rows["harms"][0]


def test_a_long_sub_type_name_does_not_widen_the_cards_label_column(invoke: Invoke) -> None:
    """One long label (McKenzie's gloss) widened the label column of every row of exercise therapy's
    card, so each value wrapped in a narrow column; on the card the gloss goes (--full keeps it)."""
    from painsci_cli.render.treatment import CARD_LABEL, card_label

    assert card_label("McKenzie method (Mechanical Diagnosis and Therapy)") == "McKenzie method"
    assert card_label("Transcutaneous electrical nerve stimulation (TENS)") == "TENS"
    assert card_label("Pulsed electromagnetic field therapy") == "Pulsed electromagnetic field therapy"
    text = run(invoke, "show", "exercise-therapy", "--format", "table", columns=80)
    start = next(line for line in text.splitlines() if line.startswith("bottom line")).index("probably")
    assert start <= CARD_LABEL + 2
    assert any(line.startswith("McKenzie method  ") for line in text.splitlines())
    full = run(invoke, "show", "exercise-therapy", "--full", "--format", "markdown")
    assert "| McKenzie method (Mechanical Diagnosis and Therapy) |" in full


def test_no_picture_where_the_arms_are_only_words(invoke: Invoke) -> None:
    """Ingraham's "about 2 points vs about half a point" is approximate: stored as text, never drawn."""
    assert "arms improved" not in card_rows(invoke, "relaxation-massage")
    assert "arms improved" not in card_rows(invoke, "kinesiology-taping")


# --------------------------------------------------------------------------- --full and sections


def test_effects_section_reexpresses_every_finding(invoke: Invoke) -> None:
    text = run(invoke, "show", "massage", "--section", "effects", "--plain")
    furlan = next(line for line in text.splitlines() if line.split("\t")[5] == "furlan-2015-vs-inactive-pain-short")
    assert (
        "about 1.5 to 1.9 points better on pain 0-10 (95% CI 1.2 to 2.3 better): between about three quarters" in furlan
    )
    assert "(2 points, ostelo-2008)" in furlan
    assert "a treated patient does better than a control patient in 70 of 100 pairings" in furlan
    table = " ".join(run(invoke, "show", "massage", "--section", "effects", "--format", "table", columns=120).split())
    assert "Numbers people can use (computed from the stored figures)" in table
    assert "Pairings: probability of superiority, Φ(SMD/√2)" in table
    tens = run(invoke, "show", "tens", "--section", "effects", "--plain")
    assert "no points: only pain and function have a documented SD" in tens
    ultrasound = run(invoke, "show", "therapeutic-ultrasound", "--section", "effects", "--plain")
    per_protocol = next(line for line in ultrasound.splitlines() if "\tlicciardone-2013-us-responder-30\t" in line)
    assert per_protocol.endswith(numbers.NO_CONTROL_RISK)  # RR 1.03 (AHRQ), no arm's percentage: no NNT invented


def test_within_group_section_spells_out_each_share(invoke: Invoke) -> None:
    text = " ".join(run(invoke, "show", "acupuncture", "--section", "within-group", "--format", "table").split())
    assert (
        "48% of the improvement with individualised acupuncture also happened in the usual-care control arm, usual care"
    ) in text
    assert "100% of the improvement with individualised acupuncture also happened in the sham control arm" in text
    assert "Zou et al., Ann Rheum Dis 2016" in text


def test_the_picture_exports_to_svg(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "arms.svg"
    run(invoke, "show", "acupuncture", "--section", "within-group", "--export", str(target))
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "░" in svg and "█████████▌░░░░░░░░░░" in svg
    assert "48%&#160;of&#160;the&#160;improvement" in svg


def test_harms_section_has_the_rates_as_numbers(invoke: Invoke) -> None:
    text = run(invoke, "show", "acupuncture", "--section", "harms", "--plain")
    header, *rows = text.splitlines()
    assert header.split("\t") == ["harm", "rate as printed", "as numbers", "severity", "source"]
    assert rows[1].split("\t")[2] == (
        "1.01 per 10,000 patients (95% CI 0.23 to 2.33); 7.98 per 1,000,000 treatments (95% CI 1.39 to 20)"
    )
    assert rows[2].split("\t")[2] == "-"  # 95 cases, no denominator: not a rate


HARM_HEADER = [
    *("treatment", "harm", "serious", "arm", "per", "of", "value", "range_low", "range_high"),
    *("ci_lower", "ci_upper", "events", "total", "from_counts", "rate", "as_printed", "source", "locator", "reading"),
]


def test_findings_exports_harm_rates_one_row_per_rate(invoke: Invoke) -> None:
    """Issue 14, item 3: harms as rates export in `findings` (--harms), each on its source's basis."""
    import csv
    import io

    from helpers import BUNDLED
    from painsci_cli import load

    text = run(invoke, "findings", "--harms", "--format", "csv")
    header, *body = list(csv.reader(io.StringIO(text, newline="")))
    assert header == HARM_HEADER
    kb = load.load_uncached(BUNDLED.read_bytes(), "treatments.yaml")
    assert len(body) == sum(len(h.rates) or 1 for t in kb.treatments for h in t.harms)
    rows = [dict(zip(header, row, strict=True)) for row in body]
    traction = [(r["arm"], r["per"], r["value"]) for r in rows if r["treatment"] == "traction" and r["value"]]
    assert traction == [("traction", "100", "17.0"), ("exercise", "100", "15.0")]
    serious = next(r for r in rows if r["treatment"] == "acupuncture" and r["per"] == "10000")
    assert (serious["serious"], serious["value"], serious["ci_lower"], serious["ci_upper"]) == (
        "yes",
        "1.01",
        "0.23",
        "2.33",
    )
    assert serious["rate"] == "1.01 per 10,000 patients (95% CI 0.23 to 2.33)"
    assert serious["as_printed"] == "1.01 per 10,000 patients (95% CI 0.23-2.33)"
    laser = next(r for r in rows if r["treatment"] == "low-level-laser-therapy")
    assert (laser["events"], laser["total"], laser["from_counts"], laser["value"]) == ("0", "74", "yes", "0.0")
    words_only = next(r for r in rows if r["source"] == "ernst-2011")  # 95 cases, no denominator
    assert (words_only["per"], words_only["rate"]) == ("", "")
    numeric = list(csv.DictReader(io.StringIO(run(invoke, "findings", "--harms", "--numeric", "--format", "csv"))))
    assert numeric and all(r["per"] for r in numeric) and len(numeric) < len(rows)


def test_findings_harms_as_a_table_json_and_refused_filters(invoke: Invoke) -> None:
    import jsonschema

    table = run(invoke, "findings", "--harms", "-t", "traction", "--format", "table")
    assert "Harms as rates" in table and "4 harm rates." in " ".join(table.split())
    markdown = run(invoke, "findings", "--harms", "-t", "traction", "--format", "markdown")
    assert "| 17 per 100 participants (traction) | 17% with traction vs 15% with exercise |" in markdown
    doc = json.loads(run(invoke, "findings", "--harms", "-t", "acupuncture", "--json"))
    assert (doc["rows_of"], doc["findings"]) == ("harms", [])
    assert {h["treatment"] for h in doc["harms"]} == {"acupuncture"}
    jsonschema.validate(doc, json.loads(run(invoke, "schema", "--output")))
    assert json.loads(run(invoke, "findings", "-t", "traction", "--json"))["rows_of"] == "findings"
    for extra in (("--phase", "acute"), ("--comparator", "sham")):
        refused = invoke("findings", "--harms", *extra)
        assert refused.exit_code == 2
        assert "--harms lists harm rates, which have no comparator or phase" in refused.stderr


@pytest.mark.parametrize("treatment", ["massage", "acupuncture", "mindfulness-based-stress-reduction", "bed-rest"])
def test_full_never_calls_a_small_size_unimportant(invoke: Invoke, treatment: str) -> None:
    text = run(invoke, "show", treatment, "--full", "--format", "table", columns=120)
    assert "not clinically important" not in text and "change an individual notices" in text


# --------------------------------------------------------------------------- glossary


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("points", "painsci assumes 2.0-2.5 on pain 0-10 and 4.5-5.0 on RDQ 0-24"),
        ("change an individual notices", "(2 points on 0-10 pain, 5 RDQ points)"),
        ("per 100", "RD = ACR x (RR - 1)"),
        ("NNT", "1/|risk difference|, rounded up"),
        ("NNTB", "'NNTB 5 to ∞ to NNTH 10' (Altman, BMJ 1998;317:1309)"),
        ("share of the improvement", "never 'placebo'"),
        ("arms improved", "not effects"),
        ("also in control", "never called placebo"),
        ("probability of superiority", "'in 64 of 100 pairings' for an SMD of 0.5"),
    ],
)
def test_glossary_explains_every_number(invoke: Invoke, term: str, says: str) -> None:
    """Every word the card prints for the numbers has an entry; its figures come from the code's constants."""
    [entry] = json.loads(run(invoke, "glossary", term, "--json"))["entries"]
    assert says in entry["definition"], entry


# --------------------------------------------------------------------------- compare


def test_compare_shows_points_nnts_and_harm_rates(invoke: Invoke) -> None:
    text = " ".join(run(invoke, "compare", "massage", "traction", "--format", "markdown").split())
    assert "SMD -0.75 \\[-0.9, -0.6\\] vs inactive, about 1.5 to 1.9 points better on pain 0-10" in text
    assert "| per 100, NNT | no binary finding |" in text
    assert "NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)" in text
    assert "Temporary worsening of LBP (1 trial, traction vs exercise): 17 per 100 participants (traction)" in text
    assert "Points = SMD x an assumed SD of 2.0-2.5 on pain 0-10" in text
    plain = run(invoke, "compare", "acupuncture", "tens", "--format", "markdown")
    assert "per 100, NNT" not in plain  # neither has a binary finding with a CI


# --------------------------------------------------------------------------- the picture itself


def chart(*arms: tuple[str, str, float]) -> ArmsImprovement:
    made = tuple(
        ArmImprovement(f"r{i}", name, role, None if role == "treatment" else "usual_care", value, None, None)  # type: ignore[arg-type]
        for i, (name, role, value) in enumerate(arms)
    )
    treated = [a for a in made if a.role == "treatment"]
    shares = tuple(
        ControlShare(t.record, c.record, "usual_care", share, round(100 * share), "")
        for t in treated
        for c in made
        if c.role == "control"
        for share in [c.improvement / t.improvement if t.improvement else 0.0]
    )
    return ArmsImprovement("s", "pain-10", "pain (0-10)", False, "8 weeks", None, made, shares, "m")


def test_bars_scale_to_the_largest_arm_and_draw_the_gap_only_for_controls() -> None:
    lines = numbers.bar_lines(chart(("real", "treatment", 2.0), ("usual care", "control", 0.5)))
    assert lines == [
        "████████████████████ 2.0 real",
        "█████░░░░░░░░░░░░░░░ 0.5 usual care",
    ]
    wider = numbers.bar_lines(chart(("real", "treatment", 2.6), ("sham arm", "control", 3.0)))
    assert wider[0].startswith("█████████████████▌   2.6") and wider[1].startswith("████████████████████ 3.0")
    assert "░" not in "".join(wider)  # the control improved more: no gap to draw
    assert numbers.bar_lines(chart(("real", "treatment", 0), ("usual care", "control", 0))) == []


def test_a_responder_nnt_is_printed_beside_the_same_trials_mean_difference() -> None:
    """Responder NNTs look rosier than mean differences: the card and --full name both."""
    from painsci_cli.usable import AbsoluteEffect, NntEnd

    effect = AbsoluteEffect(
        *("f", "at least 30% better", "usual care", "26 weeks", 60.5, 44.1, False, 16.4, 2.6, 34.0),
        *("percentages_and_ratio_ci", 0.441, False, "m", NntEnd("benefit", 7), None, None, False),
        *("16.4 more per 100", "NNT 7 (95% CI 3 to 38)", ("md-26wk",)),
    )
    text = numbers.absolute_text(effect, {"md-26wk": "MD -1.4 [-2.3, -0.5] 0-23 vs usual care"})
    assert text == (
        "at least 30% better, 26 weeks, vs usual care: 16.4 more per 100; NNT 7 (95% CI 3 to 38); "
        "the same trial's mean difference: MD -1.4 [-2.3, -0.5] 0-23 vs usual care"
    )


def test_shares_line_names_control_kinds_never_placebo_for_usual_care() -> None:
    line = numbers.shares_line(chart(("A", "treatment", 4.0), ("B", "treatment", 2.0), ("usual care", "control", 1.0)))
    assert line == "usual-care arm 25% and 50% of the improvement with A and B (Zou 2016)"


def test_show_json_and_the_card_agree(invoke: Invoke) -> None:
    """The card's words are the JSON's: nothing is computed twice."""
    doc = json.loads(run(invoke, "show", "mindfulness-based-stress-reduction", "--json"))
    texts = [a["absolute"]["nnt_text"] for a in doc["assessments"] if a["absolute"]]
    card = " ".join(card_rows(invoke, "mindfulness-based-stress-reduction")["per 100, NNT"])
    assert texts and all(t in card for t in texts)
