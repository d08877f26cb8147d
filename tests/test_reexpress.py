"""reexpress.py: every formula pinned against a published worked example, then against the KB.

Worked examples: Cochrane Handbook 5.1 §12.5.4 (RR 0.92 and OR 0.73 with a control risk of 0.3),
Altman BMJ 1998;317:1309 (an RD CI from -5% to +25%), McGraw & Wong 1992 (SMD 0.5 -> 64 of 100).
Hypothesis checks that CIs inverted and inverted back cover the same range.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import BUNDLED
from helpers import bundled_kb as kb
from helpers import kb_finding as finding
from helpers import kb_treatment as treatment
from painsci_cli import reexpress
from painsci_cli.derive import INDIVIDUAL_MCID
from painsci_cli.models import (
    Citation,
    Effect,
    HarmRate,
    Interval,
    Outcome,
    Proportion,
    TimePoint,
    WithinGroupChange,
)
from painsci_cli.reexpress import (
    RiskDifference,
    harm_per,
    improvement_shares,
    mid_units,
    nnt,
    nnt_interval,
    number_needed,
    paired,
    points_from_smd,
    probability_of_superiority,
    rd_limits,
    risk_difference,
    risk_difference_from_ratio,
    share_of_improvement,
)

# --------------------------------------------------------------------------- worked examples


def test_handbook_rr_with_control_risk() -> None:
    """Handbook 5.1 §12.5.4: RR 0.92, ACR 0.3 -> 24 fewer per 1,000, NNT 42 (a bad event prevented)."""
    rd = risk_difference_from_ratio(0.92, None, "rr", 0.3)
    assert rd.per(1000)[0] == pytest.approx(-24)
    assert rd.basis == "ratio_and_control_risk"
    assert nnt(rd.estimate, "negative") == reexpress.Nnt("benefit", 42, pytest.approx(41.667, abs=1e-3))


def test_handbook_or_with_control_risk() -> None:
    """Handbook 5.1 §12.5.4: OR 0.73, ACR 0.3 -> NNT 17."""
    rd = risk_difference_from_ratio(0.73, None, "or", 0.3)
    assert rd.estimate == pytest.approx(0.73 * 0.3 / (1 - 0.3 + 0.73 * 0.3) - 0.3)
    assert nnt(rd.estimate, "negative").value == 17


def test_altman_nnt_through_infinity() -> None:
    """Altman 1998: an RD from -5% to +25% in favour of treatment is "NNTB 4 to ∞ to NNTH 20"."""
    interval = nnt_interval(-0.05, 0.25)
    assert interval.through_infinity
    assert interval.text() == "NNTB 4 to ∞ to NNTH 20"
    assert nnt_interval(0.25, -0.05).text() == "NNTB 4 to ∞ to NNTH 20"  # either order of limits


def test_altman_example_through_the_rendered_nnt() -> None:
    """Altman 1998's CI (-5% to 25%) around an illustrative RD of 10%, as the views print it."""
    rd = RiskDifference(0.10, -0.05, 0.25, None, "printed", "")
    assert number_needed(rd).text() == "NNTB 10 (95% CI NNTB 4 to ∞ to NNTH 20)"
    assert rd_limits(number_needed(rd).interval, "positive") == pytest.approx((-0.05, 0.25))  # type: ignore[arg-type]


def test_handbook_examples_per_100_and_per_1000() -> None:
    """The Handbook's RR 0.92 at ACR 0.3 is 24 fewer per 1,000 (2.4 per 100: only the unit moves);
    the CI 0.85 to 0.99 is illustrative, to pin the inversion of both limits."""
    rd = risk_difference_from_ratio(0.92, (0.85, 0.99), "rr", 0.3)
    per_1000, per_100 = rd.per(1000), rd.per(100)
    assert per_1000[0] == pytest.approx(-24) and per_100[0] == pytest.approx(-2.4)
    assert (per_1000[1], per_1000[2]) == (pytest.approx(-45), pytest.approx(-3))
    result = number_needed(rd, "negative")
    assert result.text() == "NNT 42 (95% CI 23 to 334)"


def test_nnt_with_ci_renders_exactly() -> None:
    rd = RiskDifference(0.164, 0.0265, 0.26, 0.441, "percentages_and_ratio_ci", "")
    assert number_needed(rd).text() == "NNT 7 (95% CI 4 to 38)"
    harm = RiskDifference(-0.164, -0.26, -0.0265, 0.441, "percentages_and_ratio_ci", "")
    assert number_needed(harm).text() == "NNTH 7 (95% CI 4 to 38)"
    assert number_needed(RiskDifference(0.0, -0.1, 0.2, None, "printed", "")).text().startswith("NNT ∞ (95% CI")
    assert number_needed(RiskDifference(0.21, None, None, 0.39, "percentages", "")).text() == "NNTB 5"


def test_nnt_is_rounded_up_but_not_past_an_exact_whole_number() -> None:
    assert nnt(0.25).value == 4  # 1/0.25 is 4, not 5
    assert nnt(0.24).value == 5
    assert nnt(0.0).kind == "none" and nnt(0.0).text() == "∞"
    assert nnt(-0.1).kind == "harm"
    assert nnt(-0.1, "negative").kind == "benefit"


def test_an_rd_limit_of_zero_gives_an_open_end() -> None:
    interval = nnt_interval(0.0, 0.2)
    assert not interval.through_infinity
    assert interval.text() == "5 to ∞"


def test_probability_of_superiority_mcgraw_wong() -> None:
    half = probability_of_superiority(0.5)
    assert half.in_100 == 64
    assert half.text == "a treated patient does better than a control patient in 64 of 100 pairings"
    assert probability_of_superiority(0.0).in_100 == 50
    # an SMD on a lower-is-better scale: negative favours the treatment, as the KB stores it
    assert probability_of_superiority(-0.5, "negative").in_100 == 64
    assert probability_of_superiority(-0.5, "positive").in_100 == 36


def test_points_from_smd_uses_both_ends_of_the_sd_range() -> None:
    points = points_from_smd(-0.5, (-0.8, -0.2), "pain")
    assert points is not None
    assert (points.estimate.at_low_sd, points.estimate.at_high_sd) == pytest.approx((-1.0, -1.25))
    assert points.lower is not None and points.upper is not None
    assert (points.lower.at_low_sd, points.lower.at_high_sd) == pytest.approx((-1.6, -2.0))
    assert (points.upper.at_low_sd, points.upper.at_high_sd) == pytest.approx((-0.4, -0.5))
    assert (points.sd.low, points.sd.high, points.sd.scale_name) == (2.0, 2.5, "pain 0-10")
    assert "AHRQ/ACP" in points.sd.basis and "§12.6.4" in points.method
    rdq = points_from_smd(0.4, None, "function")
    assert rdq is not None and rdq.sd.scale_name == "RDQ 0-24"
    assert (rdq.estimate.at_low_sd, rdq.estimate.at_high_sd) == pytest.approx((1.8, 2.0))
    assert rdq.lower is None


@pytest.mark.parametrize("construct", ["bothersomeness", "quality_of_life", "global", "work", "other"])
def test_no_points_for_outcomes_other_than_pain_or_function(construct: str) -> None:
    assert points_from_smd(0.5, (0.2, 0.8), construct) is None


def test_mid_units_word_the_size_against_the_individual_threshold() -> None:
    third = points_from_smd(0.3, None, "pain")  # 0.6 to 0.75 points of the 2-point threshold
    assert third is not None
    units = mid_units(third)
    assert units.words == "about a third of the change an individual notices"
    assert (units.threshold, units.source) == (INDIVIDUAL_MCID["pain-10"], "ostelo-2008")
    assert (units.fraction_low, units.fraction_high) == pytest.approx((0.3, 0.375))
    half_to_two_thirds = points_from_smd(-0.5, None, "pain")  # 1.0 to 1.25 of 2
    assert half_to_two_thirds is not None
    assert (
        mid_units(half_to_two_thirds).words
        == "between about half and about two thirds of the change an individual notices"
    )
    same = points_from_smd(1.0, None, "function")  # 4.5 to 5.0 RDQ points of 5
    assert same is not None and mid_units(same).words == "about the same as the change an individual notices"
    more = points_from_smd(1.5, None, "function")
    assert more is not None and mid_units(more).words == "more than the change an individual notices"


@pytest.mark.parametrize(
    ("fraction", "words"),
    [
        (0.0, "less than a tenth"),
        (0.1, "about a tenth"),
        (0.2, "about a quarter"),
        (1 / 3, "about a third"),
        (0.5, "about half"),
        (2 / 3, "about two thirds"),
        (0.75, "about three quarters"),
        (1.0, "about the same"),
        (2.0, "more"),
    ],
)
def test_fraction_words_name_the_nearest_fraction(fraction: float, words: str) -> None:
    assert reexpress.fraction_words(fraction)[0] == words


def test_mid_wording_never_says_unimportant() -> None:
    for _, words, joiner in reexpress.MID_BANDS:
        assert "important" not in f"{words} {joiner}"


# --------------------------------------------------------------------------- absolute effects from the KB


def test_mbsr_responders_nnt_7_and_6() -> None:
    """Cherkin 2016: 60.5% vs 44.1% (RDQ) and 43.6% vs 26.6% (bothersomeness), adjusted estimates.

    No counts exist, so the RD's CI comes from the stored RR's CI with the usual-care arm as the
    control risk (Handbook §12.5.4).
    """
    rdq = finding("mindfulness-based-stress-reduction", "cherkin-2016-mbsr-rdq-responders-26wk")
    pain = finding("mindfulness-based-stress-reduction", "cherkin-2016-mbsr-bothersomeness-responders-26wk")
    results = []
    for f in (rdq, pain):
        assert f.responders is not None and f.responders.adjusted
        rd = risk_difference(f.responders.treatment, f.responders.control, f.effect)
        assert rd is not None and rd.basis == "percentages_and_ratio_ci"
        results.append((rd, number_needed(rd)))
    (rdq_rd, rdq_nnt), (pain_rd, pain_nnt) = results
    assert rdq_rd.per(100) == pytest.approx((16.4, 0.441 * 6, 0.441 * 77))
    assert pain_rd.per(100) == pytest.approx((17.0, 0.266 * 15, 0.266 * 134))
    assert rdq_nnt.point.value == 7 and rdq_nnt.text() == "NNT 7 (95% CI 3 to 38)"
    assert pain_nnt.point.value == 6 and pain_nnt.text() == "NNT 6 (95% CI 3 to 26)"


def test_counts_give_a_wald_ci() -> None:
    """Licciardone 2013, OMT vs sham: 145/230 vs 103/225."""
    f = finding("osteopathic-manipulative-treatment", "licciardone-2013-omt-responder-30")
    assert f.responders is not None
    rd = risk_difference(f.responders.treatment, f.responders.control, f.effect)
    assert rd is not None and rd.basis == "counts"
    p1, p2 = 145 / 230, 103 / 225
    se = math.sqrt(p1 * (1 - p1) / 230 + p2 * (1 - p2) / 225)
    assert (rd.estimate, rd.lower, rd.upper) == pytest.approx(
        (p1 - p2, p1 - p2 - 1.959964 * se, p1 - p2 + 1.959964 * se)
    )
    assert number_needed(rd).text() == "NNT 6 (95% CI 4 to 13)"


def test_traction_rd_gives_an_nnt_interval_through_infinity() -> None:
    """Wegner 2013: RD 0.05 (-0.1 to 0.2) for global improvement (positive favours traction)."""
    f = finding("traction", "wegner-2013-traction-vs-other-global")
    assert f.effect is not None and f.effect.measure == "rd"
    result = number_needed(reexpress.printed_risk_difference(f.effect), f.effect.favours_treatment)
    assert result.interval is not None and result.interval.through_infinity
    assert result.text() == "NNTB 20 (95% CI NNTB 5 to ∞ to NNTH 10)"


def test_percentages_without_a_ratio_ci_give_no_ci() -> None:
    """Cherkin 2009: 60% (three needle arms pooled) vs 39% (usual care); no counts, no CI, no RR."""
    f = finding("acupuncture", "cherkin-2009-needling-vs-uc-rmdq-responders-8w")
    assert f.responders is not None
    rd = risk_difference(f.responders.treatment, f.responders.control, f.effect)
    assert rd is not None and rd.basis == "percentages" and rd.lower is None
    assert rd.per(100)[0] == pytest.approx(21)
    assert number_needed(rd).text() == "NNTB 5"


def test_a_bad_event_prevented_is_a_benefit() -> None:
    """Gibson 1985: unable to work 7% vs 19%, RR 0.40 (0.09 to 1.80); fewer is better."""
    f = finding("short-wave-diathermy", "gibson-1985-swd-work-2m")
    assert f.responders is not None and f.effect is not None
    rd = risk_difference(f.responders.treatment, f.responders.control, f.effect)
    assert rd is not None
    result = number_needed(rd, f.effect.favours_treatment)
    assert result.point.kind == "benefit" and result.point.value == 9
    assert result.text() == "NNTB 9 (95% CI NNTB 6 to ∞ to NNTH 7)"


def test_an_rr_that_would_mean_a_risk_above_100_percent_is_capped() -> None:
    """Sherman 2011: RR 1.58 (1.10, 2.27) with 45% in the book arm; 0.45 x 2.27 is above 1."""
    f = finding("stretching", "sherman-2011-stretching-vs-book-rdq30-12w")
    assert f.responders is not None
    rd = risk_difference(f.responders.treatment, f.responders.control, f.effect)
    assert rd is not None and rd.capped
    assert rd.per(100) == pytest.approx((26, 0.45 * 10, 55))
    assert not risk_difference_from_ratio(2.0, (1.5, 2.5), "rr", 0.3).capped


def test_every_stored_binary_finding_re_expresses() -> None:
    """Every finding with per-arm proportions yields an RD, and its NNT text never crashes."""
    seen = 0
    for t in kb().treatments:
        for f in t.findings:
            if f.responders is None:
                continue
            rd = risk_difference(f.responders.treatment, f.responders.control, f.effect)
            assert rd is not None, f.id
            sign = f.effect.favours_treatment if f.effect else "positive"
            assert number_needed(rd, sign).text().startswith("NNT"), f.id
            seen += 1
    assert seen >= 14


# --------------------------------------------------------------------------- share of the improvement


def test_cherkin_2009_share_of_improvement() -> None:
    """4.4 points with individualised acupuncture; 2.1 with usual care (48%), 4.4 with sham (100%)."""
    shares = {(s.treated, s.control): s for s in improvement_shares(treatment("acupuncture").within_group)}
    vs_usual = shares["cherkin-2009-individualised-rmdq-8w", "cherkin-2009-usual-care-rmdq-8w"]
    vs_sham = shares["cherkin-2009-individualised-rmdq-8w", "cherkin-2009-simulated-rmdq-8w"]
    assert vs_usual.share == pytest.approx(2.1 / 4.4) and round(100 * vs_usual.share) == 48
    assert vs_sham.share == pytest.approx(1.0)
    assert vs_usual.control_kind == "usual_care" and "placebo" not in vs_usual.text
    assert vs_usual.text.startswith(
        "48% of the improvement with individualised acupuncture also happened in the usual-care"
    )
    assert vs_sham.text.startswith("100% of the improvement with individualised acupuncture also happened in the sham")
    assert "Zou" in vs_usual.method
    assert len(shares) == 4  # two needle arms x two control arms; the symptom ranges are not numbers


def test_factorial_arms_pair_only_with_the_same_co_treatment() -> None:
    """Weiner 2008: PENS pairs with control-PENS, PENS + exercise with control-PENS + exercise."""
    pairs = {(s.treated, s.control) for s in improvement_shares(treatment("pens").within_group)}
    assert pairs == {
        ("weiner-2008-pens-roland-post", "weiner-2008-control-pens-roland-post"),
        ("weiner-2008-pens-gcae-roland-post", "weiner-2008-control-pens-gcae-roland-post"),
    }


def test_crossover_weeks_pair_by_their_weeks() -> None:
    [share] = improvement_shares(treatment("static-magnets").within_group)
    assert share.share == pytest.approx(0.44 / 0.49)


def change(**fields: object) -> WithinGroupChange:
    base: dict[str, object] = {
        "id": "x",
        "cite": Citation("trial", "table 2"),
        "arm": "arm",
        "outcome": Outcome("function", "RDQ", "rdq-24"),
        "time_point": TimePoint("8 weeks", "randomisation", 8),
        "change": "as printed",
        "improvement": 4,
    }
    base.update(fields)
    return WithinGroupChange(**base)  # type: ignore[arg-type]


def test_unpaired_records_are_refused() -> None:
    treated = change(id="t")
    control = change(id="c", role="control", control="usual_care", improvement=2)
    assert paired(treated, control)
    assert share_of_improvement(control, treated) is not None
    for other in (
        change(id="c", role="control", control="usual_care", cite=Citation("another-trial", "t2")),
        change(id="c", role="control", control="usual_care", time_point=TimePoint("12 weeks", "randomisation", 12)),
        change(id="c", role="control", control="usual_care", outcome=Outcome("pain", "pain", "pain-10")),
        change(id="c", role="control", control="usual_care", co_treatment="exercise"),
        change(id="c"),  # two treated arms
    ):
        assert not paired(treated, other)
        with pytest.raises(ValueError):
            share_of_improvement(other, treated)
    assert share_of_improvement(change(id="c", role="control", control="sham", improvement=None), treated) is None
    assert share_of_improvement(control, change(id="t", improvement=0)) is None


# --------------------------------------------------------------------------- harms as rates


def test_harm_rate_keeps_its_basis_unless_asked() -> None:
    [patients, treatments] = treatment("acupuncture").harms[1].rates
    kept = harm_per(patients)
    assert (kept.value, kept.per, kept.of, kept.source_per) == (1.01, 10_000, "patients", 10_000)
    assert kept.text() == "1.01 per 10,000 patients (95% CI 0.23 to 2.33)"
    moved = harm_per(treatments, 10_000)
    assert moved.value == pytest.approx(0.0798) and moved.of == "treatments"
    assert moved.text().endswith("(counted per 1,000,000 treatments in the source)")
    with pytest.raises(ValueError):
        harm_per(patients, 500)


def test_harm_rate_from_counts_and_ranges() -> None:
    counted = harm_per(HarmRate(per=100, of="patients", events=0, total=74, arm="placebo"))
    assert (counted.value, counted.from_counts) == (0, True)
    ranged = harm_per(HarmRate(per=100, of="participants", range=Interval(3, 22), arm="exercise"))
    assert ranged.text() == "3 to 22 per 100 participants (exercise)"
    assert harm_per(HarmRate(per=100, of="participants", range=Interval(3, 22)), 1000).range_high == pytest.approx(220)


# --------------------------------------------------------------------------- properties

rd_values = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False).filter(lambda x: abs(x) > 1e-6)


@given(rd_values, rd_values, st.sampled_from(["positive", "negative"]))
def test_nnt_interval_round_trips_to_the_same_rd_range(a: float, b: float, sign: str) -> None:
    interval = nnt_interval(a, b, sign)  # type: ignore[arg-type]
    lower, upper = sorted((a, b))
    assert rd_limits(interval, sign) == pytest.approx((lower, upper))  # type: ignore[arg-type]
    assert interval.through_infinity == (lower < 0 < upper)
    for end, rd in ((interval.from_lower, lower), (interval.from_upper, upper)):
        assert end.value is not None
        # rounded up: the rounded NNT stands for an RD no larger than the limit, and the next
        # whole number down would stand for a larger one
        assert 1 / end.value <= abs(rd) * (1 + 1e-9)
        assert end.value == 1 or 1 / (end.value - 1) > abs(rd) * (1 - 1e-9)


@given(
    st.floats(min_value=0.05, max_value=20.0),
    st.floats(min_value=0.05, max_value=20.0),
    st.floats(min_value=0.01, max_value=0.99),
    st.sampled_from(["rr", "or"]),
)
def test_rd_from_a_ratio_keeps_the_order_of_its_limits(x: float, y: float, acr: float, measure: str) -> None:
    low, high = sorted((x, y))
    rd = risk_difference_from_ratio(low, (low, high), measure, acr)  # type: ignore[arg-type]
    assert rd.lower is not None and rd.upper is not None
    assert rd.lower <= rd.upper
    assert rd.estimate == pytest.approx(rd.lower)
    assert -acr <= rd.lower and rd.upper <= 1 - acr + 1e-12  # a risk stays between 0 and 1
    assert rd.capped == (measure == "rr" and acr * (high - 1) > 1 - acr)
    assert risk_difference_from_ratio(1.0, None, measure, acr).estimate == pytest.approx(0.0)  # type: ignore[arg-type]


def _ratio_back(rd: float, measure: str, acr: float) -> float:
    """The inverse of the Handbook's conversion: the ratio an RD stands for at a control risk."""
    treated = acr + rd
    return treated / acr if measure == "rr" else (treated / (1 - treated)) / (acr / (1 - acr))


@given(
    st.floats(min_value=0.05, max_value=20.0),
    st.floats(min_value=0.05, max_value=20.0),
    st.floats(min_value=0.05, max_value=20.0),
    st.floats(min_value=0.01, max_value=0.99),
    st.sampled_from(["rr", "or"]),
)
def test_a_ratio_and_its_ci_round_trip_through_the_risk_difference(
    x: float, y: float, z: float, acr: float, measure: str
) -> None:
    """Ratio -> RD at a control risk -> ratio again gives the estimate and both CI limits back,
    unless an RR limit had to be capped at a risk of 100%."""
    low, estimate, high = sorted((x, y, z))
    rd = risk_difference_from_ratio(estimate, (low, high), measure, acr)  # type: ignore[arg-type]
    assert rd.lower is not None and rd.upper is not None
    if not rd.capped:
        back = [_ratio_back(v, measure, acr) for v in (rd.lower, rd.estimate, rd.upper)]
        assert back == pytest.approx([low, estimate, high], rel=1e-9)


@given(
    st.floats(min_value=-0.99, max_value=0.99).filter(lambda v: abs(v) > 1e-4),
    st.floats(min_value=-0.99, max_value=0.99).filter(lambda v: abs(v) > 1e-4),
    st.sampled_from(["positive", "negative"]),
)
def test_an_nnt_ci_reads_through_infinity_exactly_when_the_rd_ci_includes_zero(a: float, b: float, sign: str) -> None:
    lower, upper = sorted((a, b))
    result = number_needed(RiskDifference((lower + upper) / 2, lower, upper, None, "printed", ""), sign)  # type: ignore[arg-type]
    assert ("∞" in result.text()) == (lower < 0 < upper)
    assert result.interval is not None
    assert rd_limits(result.interval, sign) == pytest.approx((lower, upper))  # type: ignore[arg-type]


@given(st.floats(min_value=-3.0, max_value=3.0, allow_nan=False), st.sampled_from(["pain", "function"]))
def test_points_round_trip_to_the_smd(smd: float, construct: str) -> None:
    """Points at either end of the SD range, divided by that SD, give the SMD back."""
    points = points_from_smd(smd, None, construct)
    assert points is not None
    assert points.estimate.at_low_sd / points.sd.low == pytest.approx(smd)
    assert points.estimate.at_high_sd / points.sd.high == pytest.approx(smd)


@given(st.floats(min_value=-3.0, max_value=3.0, allow_nan=False), st.sampled_from(["pain", "function"]))
def test_points_grow_with_the_sd(smd: float, construct: str) -> None:
    points = points_from_smd(smd, (smd - 0.2, smd + 0.2), construct)
    assert points is not None
    assert abs(points.estimate.at_high_sd) >= abs(points.estimate.at_low_sd)
    assert points.estimate.at_low_sd == pytest.approx(smd * points.sd.low)
    assert points.lower is not None and points.upper is not None
    assert points.lower.at_low_sd <= points.estimate.at_low_sd <= points.upper.at_low_sd
    assert points.lower.at_high_sd <= points.estimate.at_high_sd <= points.upper.at_high_sd


@given(st.floats(min_value=-5.0, max_value=5.0, allow_nan=False))
def test_probability_of_superiority_is_symmetric(smd: float) -> None:
    ahead = probability_of_superiority(smd).probability
    assert ahead + probability_of_superiority(-smd).probability == pytest.approx(1.0)
    assert probability_of_superiority(-smd, "negative").probability == pytest.approx(ahead)
    # Φ(|SMD|/√2) whenever the SMD favours the treatment
    normal = 0.5 * (1 + math.erf(abs(smd) / math.sqrt(2) / math.sqrt(2)))
    assert probability_of_superiority(abs(smd)).probability == pytest.approx(normal)


@given(st.floats(min_value=0.0, max_value=3.0, allow_nan=False), st.floats(min_value=0.0, max_value=3.0))
def test_mid_words_follow_the_size(x: float, y: float) -> None:
    """A larger fraction of the threshold never gets a smaller word."""
    order = [words for _, words, _ in reexpress.MID_BANDS]
    small, large = sorted((x, y))
    assert order.index(reexpress.fraction_words(small)[0]) <= order.index(reexpress.fraction_words(large)[0])


@pytest.mark.parametrize("module", ["reexpress.py", "absolute.py", "arms.py"])
def test_module_imports_only_the_standard_library_and_the_model(module: str) -> None:
    import ast

    tree = ast.parse((BUNDLED.parents[1] / "src" / "painsci_cli" / module).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0}
    assert imported <= {"__future__", "math", "collections", "collections.abc", "decimal", "itertools", "typing"}
    relative = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
    assert relative <= {"absolute", "arms", "derive", "models", "records", "text", "vocabulary"}


def test_reexpress_re_exports_what_it_moved() -> None:
    """absolute.py and arms.py were split out of reexpress.py: the old names still work."""
    from painsci_cli import absolute, arms

    for name in reexpress.__all__:
        assert hasattr(reexpress, name), name
    assert reexpress.nnt is absolute.nnt and reexpress.improvement_shares is arms.improvement_shares


def test_effect_record_is_what_risk_difference_reads() -> None:
    """risk_difference reads the finding's own Effect: only an RR with a CI lends its CI."""
    treated, control = Proportion(percent=60.5), Proportion(percent=44.1)
    rr = Effect("rr", 1.37, Interval(1.06, 1.77), "positive")
    md = Effect("md", -2.0, Interval(-3.0, -1.0), "negative")
    assert risk_difference(treated, control, rr).basis == "percentages_and_ratio_ci"  # type: ignore[union-attr]
    assert risk_difference(treated, control, md).basis == "percentages"  # type: ignore[union-attr]
    assert risk_difference(Proportion(percent=60.5), Proportion(), rr) is None
