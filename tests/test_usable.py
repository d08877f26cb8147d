"""usable.py: the numbers people can use, computed from the shipped KB's stored figures and worded.

Each figure is pinned as printed (issue 14's "Done when": Furlan 2015's SMD -0.75 as about 1.5 to
1.9 points on 0-10; MBSR NNT 7 and 6 with CIs; traction's NNT through ∞; acupuncture's arms at
~48% vs usual care and ~100% vs simulated acupuncture), then through `--json`, as a script reads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from helpers import bundled_kb as kb
from helpers import kb_finding as finding
from helpers import kb_treatment as treatment
from painsci_cli import absolute, arms, usable
from painsci_cli.models import (
    Citation,
    Comparator,
    Effect,
    Finding,
    Interval,
    Outcome,
    Population,
    Proportion,
    Responders,
    Size,
    TimePoint,
)

Invoke = Callable[..., Any]


def show(invoke: Invoke, *args: str) -> dict[str, Any]:
    result = invoke("show", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- SMD in points


def test_furlan_smd_in_points_with_its_sd_and_basis() -> None:
    """Issue 14: Furlan 2015's SMD -0.75 [-0.9, -0.6] is about 1.5 to 1.9 points on 0-10 pain."""
    p = usable.points(finding("massage", "furlan-2015-vs-inactive-pain-short"))
    assert p is not None
    assert p.text == "about 1.5 to 1.9 points better on pain 0-10 (95% CI 1.2 to 2.3 better)"
    assert (p.better_at_low_sd, p.better_at_high_sd, p.ci_lower, p.ci_upper) == (1.5, 1.875, 1.2, 2.25)
    assert (p.scale, p.sd_low, p.sd_high) == ("pain 0-10", 2.0, 2.5)
    assert "no authoritative SD" in p.sd_basis and "ahrq-cer169" in p.sd_sources
    assert p.mid_words == "between about three quarters and about the same as the change an individual notices"
    assert (p.mid_threshold, p.mid_source) == (2, "ostelo-2008")
    assert "Cochrane Handbook 5.1 §12.6.4" in p.method


def test_function_smd_in_rdq_points() -> None:
    """SMD -0.72 [-1.05, -0.39] x SD 4.5-5.0: 3.24-3.6 points, CI 1.755 (4.5 x 0.39) to 5.25 (5 x 1.05)."""
    p = usable.points(finding("massage", "furlan-2015-vs-inactive-function-short"))
    assert p is not None
    assert p.text == "about 3.2 to 3.6 points better on RDQ 0-24 (95% CI 1.8 to 5.3 better)"
    assert p.ci_lower == pytest.approx(1.755) and p.ci_upper == pytest.approx(5.25)


def test_a_higher_is_better_function_smd_is_turned_before_it_becomes_points() -> None:
    """Anheyer 2017: physical functioning SMD +0.25 (higher is better) is RDQ points *better*."""
    p = usable.points(finding("mindfulness-based-stress-reduction", "anheyer-2017-physical-functioning-st"))
    assert p is not None and p.text == "about 1.1 to 1.3 points better on RDQ 0-24 (95% CI 0.4 to 2.1 better)"


def test_points_against_the_treatment_and_across_no_effect() -> None:
    worse = usable.points(finding("walking", "pocovi-2022-walking-vs-alternate-pain-short"))
    assert worse is not None and worse.text == "about 1.6 to 2.0 points worse on pain 0-10 (95% CI 0.6 to 3.4 worse)"
    crossing = usable.points(finding("trigger-point-therapy", "denneny-2019-tpmt-pain-short"))
    assert crossing is not None
    assert crossing.text == "about 1.1 to 1.3 points better on pain 0-10 (95% CI 0.1 worse to 2.7 better)"


def test_the_share_of_the_individual_change_is_printed_only_for_an_interval_on_one_side() -> None:
    """An estimate compared with the change one person notices reads as a win; beside an interval
    that reaches from worse to better it is left out of the printed words (the JSON keeps it)."""
    furlan = usable.points(finding("massage", "furlan-2015-vs-inactive-pain-short"))
    crossing = usable.points(finding("trigger-point-therapy", "denneny-2019-tpmt-pain-short"))
    assert furlan is not None and crossing is not None
    assert usable.points_words(furlan) == f"{furlan.text}, {furlan.mid_words}"
    assert usable.points_words(crossing) == crossing.text
    assert crossing.mid_words.endswith("the change an individual notices")
    # A sub-type's brief line has no CI to show that the gain may be nothing: no points there.
    from painsci_cli.render.numbers import with_points

    assert with_points("SMD -0.53 [-1.08, 0.02]", crossing, brief=True) == "SMD -0.53 [-1.08, 0.02]"
    assert with_points("SMD -0.75", furlan, brief=True) == "SMD -0.75, about 1.5 to 1.9 points better on pain 0-10"


def test_no_points_for_other_outcomes_or_mean_differences() -> None:
    """Only pain and function have a documented SD: an SMD on anything else is not back-translated."""
    other = finding("tens", "keller-2007-tens-vs-no-treatment")
    assert other.outcome.construct == "other" and other.effect is not None and other.effect.measure == "smd"
    assert usable.points(other) is None
    assert usable.superiority(other) is not None  # a probability of superiority needs no SD
    md = finding("mindfulness-based-stress-reduction", "anheyer-2017-pain-st")
    assert usable.points(md) is None and usable.superiority(md) is None


def test_mid_words_never_call_a_size_unimportant() -> None:
    for t in kb().treatments:
        for f in t.findings:
            p = usable.points(f)
            if p is not None:
                assert p.mid_words.endswith("the change an individual notices"), f.id
                assert "important" not in p.text + p.mid_words, f.id


def test_points_note_names_each_sd_shown_once() -> None:
    shown = [usable.points(finding("massage", i)) for i in ("furlan-2015-vs-inactive-pain-short",) * 2]
    shown.append(usable.points(finding("massage", "furlan-2015-vs-inactive-function-short")))
    note = usable.points_note([p for p in shown if p is not None])
    assert note is not None and note.count("2.0-2.5 on pain 0-10") == 1 and "4.5-5.0 on RDQ 0-24" in note
    assert "no authoritative SD" in note
    assert usable.points_note([]) is None


# --------------------------------------------------------------------------- absolute effects


def test_mbsr_responders_per_100_and_nnt() -> None:
    """Cherkin 2016 (per-arm percentages via AHRQ, RR via HKIIM): NNT 7 (3 to 38) and 6 (3 to 26)."""
    mbsr = treatment("mindfulness-based-stress-reduction")
    rdq = usable.absolute_effect(finding(mbsr.id, "cherkin-2016-mbsr-rdq-responders-26wk"), mbsr.findings)
    pain = usable.absolute_effect(finding(mbsr.id, "cherkin-2016-mbsr-bothersomeness-responders-26wk"))
    assert rdq is not None and pain is not None
    assert rdq.nnt_text == "NNT 7 (95% CI 3 to 38)"
    assert rdq.per_100_text == "60.5 vs 44.1 in 100; 16.4 more per 100 (95% CI 2.6 to 34.0 more)"
    assert pain.nnt_text == "NNT 6 (95% CI 3 to 26)"
    assert pain.per_100_text == "43.6 vs 26.6 in 100; 17.0 more per 100 (95% CI 4.0 to 35.6 more)"
    assert (rdq.treatment_per_100, rdq.control_per_100, rdq.adjusted) == (60.5, 44.1, True)
    assert rdq.basis == "percentages_and_ratio_ci" and rdq.control_risk == pytest.approx(0.441)
    assert (rdq.nnt.kind, rdq.nnt.value) == ("benefit", 7)
    assert rdq.same_trial == ()  # no mean difference of Cherkin 2016 is stored


def test_traction_risk_difference_is_an_nnt_through_infinity() -> None:
    """Wegner 2013: RD 0.05 (-0.1 to 0.2) -> "NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)" (Altman 1998)."""
    a = usable.absolute_effect(finding("traction", "wegner-2013-traction-vs-other-global"))
    assert a is not None
    assert a.nnt_text == "NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)"
    assert a.per_100_text == "5.0 more per 100 (95% CI 10.0 fewer to 20.0 more)"
    assert a.through_infinity and a.basis == "printed"
    assert a.nnt_from_lower is not None and (a.nnt_from_lower.kind, a.nnt_from_lower.value) == ("harm", 10)
    assert a.nnt_from_upper is not None and (a.nnt_from_upper.kind, a.nnt_from_upper.value) == ("benefit", 5)
    assert a.treatment_per_100 is None and a.control_per_100 is None


def test_counts_a_bad_event_and_a_capped_limit() -> None:
    omt = usable.absolute_effect(finding("osteopathic-manipulative-treatment", "licciardone-2013-omt-responder-30"))
    assert omt is not None and omt.nnt_text == "NNT 6 (95% CI 4 to 13)" and omt.basis == "counts"
    assert omt.per_100_text == "63 vs 46 in 100; 17.3 more per 100 (95% CI 8.2 to 26.3 more)"
    work = usable.absolute_effect(finding("short-wave-diathermy", "gibson-1985-swd-work-2m"))
    assert work is not None  # fewer people unable to work is the good side
    assert work.per_100_text == "7 vs 19 in 100; 12.0 fewer per 100 (95% CI 17.3 fewer to 15.2 more)"
    assert work.nnt_text == "NNTB 9 (95% CI NNTB 6 to ∞ to NNTH 7)"
    capped = usable.absolute_effect(finding("stretching", "sherman-2011-stretching-vs-book-rdq30-12w"))
    assert capped is not None and capped.capped
    assert capped.per_100_text.endswith("(95% CI 4.5 to 55.0 more; capped where a risk would pass 100%)")


def test_a_direction_only_finding_takes_its_good_side_from_the_reported_direction() -> None:
    """Cherkin 2009 prints 60% vs 39% and P < .001, no ratio: NNTB 5 without a CI."""
    a = usable.absolute_effect(finding("acupuncture", "cherkin-2009-needling-vs-uc-rmdq-responders-8w"))
    assert a is not None and a.nnt_text == "NNTB 5" and a.basis == "percentages"
    assert a.per_100_lower is None and a.nnt_from_lower is None
    f = finding("acupuncture", "cherkin-2009-needling-vs-uc-rmdq-responders-8w")
    harmful = usable.absolute_effect(_replace(f, direction="favours_comparator"))
    assert harmful is not None and harmful.nnt.kind == "harm" and harmful.nnt_text == "NNTH 5"
    assert usable.absolute_effect(_replace(f, direction="unclear")) is None  # no side is known


def test_a_responder_nnt_names_the_same_trials_mean_difference() -> None:
    """Responder NNTs look rosier than mean differences: the same trial's MD travels with them."""
    binary = _replace(finding("mindfulness-based-stress-reduction", "cherkin-2016-mbsr-rdq-responders-26wk"))
    md = Finding(
        id="cherkin-2016-mbsr-rdq-md-26wk",
        cite=binary.cite,
        design="rct",
        population=Population("chronic"),
        comparator=Comparator("usual_care", "usual care"),
        size=Size(),
        blinding=None,
        outcome=Outcome("function", "RDQ", "rdq-23"),
        time_point=binary.time_point,
        effect=Effect("md", -1.4, Interval(-2.3, -0.5), "negative"),
    )
    later = _replace(md, id="later", time_point=TimePoint("52 weeks", "randomisation", 52))
    other = _replace(md, id="other-trial", cite=Citation("anheyer-2017", "abstract"))
    a = usable.absolute_effect(binary, (binary, md, later, other))
    assert a is not None and a.same_trial == ("cherkin-2016-mbsr-rdq-md-26wk",)


def test_absolute_effects_put_sham_first_and_keep_the_phase() -> None:
    omt = treatment("osteopathic-manipulative-treatment")
    found = usable.absolute_effects(omt.findings, "chronic")
    assert [a.finding for a in found] == ["licciardone-2013-omt-responder-30", "licciardone-2013-omt-responder-50"]
    assert usable.absolute_effects(omt.findings, "acute") == ()
    shuffled = (*treatment("traction").findings, *omt.findings)
    assert usable.absolute_effects(shuffled)[0].finding == "licciardone-2013-omt-responder-30"  # vs sham first


def _replace(f: Finding, **changes: Any) -> Finding:
    from painsci_cli.records import to_plain

    fields = {name: getattr(f, name) for name in to_plain(f)}
    fields.update(changes)
    return Finding(**fields)


def test_no_absolute_effect_without_arms_or_a_printed_difference() -> None:
    ratio_only = finding("therapeutic-ultrasound", "licciardone-2013-us-responder-30")
    assert ratio_only.responders is None and usable.absolute_effect(ratio_only) is None
    smd = finding("massage", "furlan-2015-vs-inactive-pain-short")
    assert usable.absolute_effect(smd) is None
    arms_only = _replace(smd, effect=None, responders=Responders("x", Proportion(percent=50), Proportion()))
    assert usable.absolute_effect(arms_only) is None


# --------------------------------------------------------------------------- the arms' improvement


def test_acupuncture_arms_and_shares() -> None:
    """Cherkin 2009, RMDQ at 8 weeks: 4.4, 4.5, 4.4 vs 2.1 -> about 48% vs usual care, 100% vs sham."""
    [chart] = arms.arms_improvement(treatment("acupuncture").within_group, kb().scales)
    assert (chart.source, chart.scale, chart.scale_label, chart.time_point) == (
        "cherkin-2009", "rdq-23", "RMDQ (0-23)", "8 weeks"
    )  # fmt: skip
    assert [(a.arm, a.role, a.improvement) for a in chart.arms] == [
        ("individualised acupuncture", "treatment", 4.4),
        ("standardised acupuncture", "treatment", 4.5),
        ("simulated acupuncture (non-penetrating)", "control", 4.4),
        ("usual care", "control", 2.1),
    ]
    shares = {(s.treated.split("-")[2], s.control_kind): s.percent for s in chart.shares}
    assert shares == {
        ("individualised", "sham"): 100,
        ("individualised", "usual_care"): 48,
        ("standardised", "sham"): 98,
        ("standardised", "usual_care"): 47,
    }
    usual = next(s for s in chart.shares if s.control_kind == "usual_care")
    assert "usual-care control arm" in usual.text and "placebo" not in usual.text
    assert "Zou" in chart.method


def test_arms_are_grouped_by_co_treatment_and_approximate_figures_draw_nothing() -> None:
    pens = arms.arms_improvement(treatment("pens").within_group, kb().scales)
    assert [(c.co_treatment, [s.percent for s in c.shares]) for c in pens] == [
        (None, [104]),
        ("general conditioning and aerobic exercise (GCAE)", [115]),
    ]
    assert all(c.scale_inferred for c in pens)
    assert arms.arms_improvement(treatment("relaxation-massage").within_group, kb().scales) == ()


def test_control_words_never_say_placebo_for_usual_care() -> None:
    [chart] = arms.arms_improvement(treatment("acupuncture").within_group, kb().scales)
    words = [arms.control_words(a) for a in chart.arms if a.role == "control"]
    assert words == ["sham control", "control"]  # "usual care" already says what it is


# --------------------------------------------------------------------------- harms and JSON


def test_harm_rates_on_the_source_basis() -> None:
    [traction] = absolute.harm_rates(treatment("traction").harms)
    assert traction.text == "17 per 100 participants (traction) vs 15 per 100 participants (exercise)"
    acupuncture = absolute.harm_rates(treatment("acupuncture").harms)
    assert [h.text for h in acupuncture] == [
        "9.31 per 100 patients (95% CI 5.1 to 14.62); 7.57 per 100 treatments (95% CI 1.43 to 17.95)",
        "1.01 per 10,000 patients (95% CI 0.23 to 2.33); 7.98 per 1,000,000 treatments (95% CI 1.39 to 20)",
    ]
    assert [h.serious for h in acupuncture] == [False, True]
    assert absolute.harm_rates(treatment("kinesiology-taping").harms) == ()


def test_show_json_carries_the_numbers(invoke: Invoke) -> None:
    doc = show(invoke, "mindfulness-based-stress-reduction")
    assert (doc["schema_version"], doc["schema_minor"]) == (1, 3)
    by_id = {a["finding"]: a for a in doc["assessments"]}
    rdq = by_id["cherkin-2016-mbsr-rdq-responders-26wk"]["absolute"]
    assert (rdq["nnt"], rdq["nnt_text"]) == ({"kind": "benefit", "value": 7}, "NNT 7 (95% CI 3 to 38)")
    assert rdq["per_100"] == pytest.approx(16.4) and rdq["per_100_lower"] == pytest.approx(2.646)
    smd = by_id["anheyer-2017-pain-st-smd"]
    assert smd["points"]["better_at_low_sd"] == pytest.approx(0.96) and smd["points"]["sd_high"] == 2.5
    assert smd["superiority"]["in_100"] == 63
    assert by_id["anheyer-2017-pain-st"]["points"] is None
    acupuncture = show(invoke, "acupuncture")
    [chart] = acupuncture["arms_improvement"]
    assert sorted(s["percent"] for s in chart["shares"]) == [47, 48, 98, 100]
    assert [h["serious"] for h in acupuncture["harm_rates"]] == [False, True]


def test_rows_carry_the_numbers_for_list_and_compare(invoke: Invoke) -> None:
    result = invoke("compare", "massage", "traction", "--json")
    assert result.exit_code == 0, result.stderr
    massage, traction = json.loads(result.stdout)["treatments"]
    assert massage["answer_points"]["pragmatic"]["text"].startswith("about 1.5 to 1.9 points better on pain 0-10")
    assert massage["headline"]["points"]["ci_upper"] == 2.25
    assert [a["nnt_text"] for a in traction["absolute_effects"]] == ["NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)"]
    assert traction["harm_rates"][0]["rates"][0] == {
        "per": 100,
        "of": "participants",
        "value": 17.0,
        "range_low": None,
        "range_high": None,
        "ci_lower": None,
        "ci_upper": None,
        "source_per": 100,
        "from_counts": False,
        "arm": "traction",
    }


def test_the_schema_documents_the_new_fields() -> None:
    from painsci_cli.schemas import output_schema

    definitions = output_schema()["$defs"]
    for record, fields in {
        "Points": ("text", "sd_low", "sd_high", "sd_basis", "mid_words", "ci_lower"),
        "AbsoluteEffect": ("per_100", "nnt", "nnt_text", "basis", "same_trial"),
        "ArmsImprovement": ("arms", "shares", "scale_label"),
        "ControlShare": ("share", "percent", "text"),
        "HarmRates": ("rates", "text"),
        "ExpressedRate": ("per", "source_per", "from_counts"),
        "Superiority": ("probability", "in_100", "text"),
        "Assessment": ("points", "superiority", "absolute"),
        "TreatmentRow": ("answer_points", "absolute_effects", "harm_rates"),
        "TreatmentDoc": ("arms_improvement", "harm_rates"),
        "PlotDoc": ("arms_improvement",),
        "PlotArms": ("treatment", "treatment_name", "chart"),
        "FindingsDoc": ("harms", "rows_of"),
        "HarmRow": ("harm", "per", "of", "value", "from_counts", "rate", "as_printed"),
    }.items():
        properties = definitions[record]["properties"]
        for field in fields:
            assert properties[field].get("description"), f"{record}.{field}"
