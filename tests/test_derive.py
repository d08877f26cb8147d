"""Pins derive.py: every computed fact about one finding, at every threshold it names.

benefit's sign flip and CI order, significance against 0 and 1, which side a ratio favours, the
AHRQ/ACP magnitude bands on each convention (pain 0-100 and 0-10, RDQ, SMD) at their edges, all
eight MCID verdicts with the trial's threshold and the Ostelo fallback, the AHRQ time windows at
4.33/26/52 weeks for each anchor, the blinding-risk matrix, and the certainty ranks.
"""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import SCALES, finding
from painsci_cli import derive
from painsci_cli.derive import (
    Benefit,
    BlindingRisk,
    MagnitudeClass,
    McidCheck,
    TimeWindow,
    benefit,
    blinding_risk,
    certainty_rank,
    favours_treatment,
    magnitude,
    mcid_check,
    significant,
    time_window,
)
from painsci_cli.models import Scale
from painsci_cli.vocabulary import BlindingStatus, CertaintyLevel, ComparatorKind

PAIN_CONVENTION = "pain 0-100: small 5-10, moderate 10-20, large > 20 points"
SMD_CONVENTION = "SMD: small 0.2-0.5, moderate 0.5-0.8, large >= 0.8"
SMD_SOURCES = ("ahrq-cer169", "chou-huffman-2007", "cochrane-handbook-5-1")

# --------------------------------------------------------------------------- benefit


@pytest.mark.parametrize(
    ("estimate", "ci", "favours", "expected"),
    [
        (-2.9, (-4.0, -1.8), "negative", Benefit(2.9, 1.8, 4.0)),
        (2.9, (1.8, 4.0), "positive", Benefit(2.9, 1.8, 4.0)),
        (1.5, (-0.5, 3.5), "negative", Benefit(-1.5, -3.5, 0.5)),
        (-1.5, (-3.5, 0.5), "positive", Benefit(-1.5, -3.5, 0.5)),
        (-2, None, "negative", Benefit(2.0, None, None)),
        (3, None, "positive", Benefit(3.0, None, None)),
        (0, (-1, 1), "negative", Benefit(0.0, -1.0, 1.0)),
    ],
)
def test_benefit_is_positive_when_the_treatment_is_better(
    estimate: float, ci: tuple[float, float] | None, favours: str, expected: Benefit
) -> None:
    assert benefit(finding(estimate, ci, favours=favours)) == expected  # type: ignore[arg-type]


def test_benefit_orders_the_interval_after_flipping() -> None:
    # -4.0 is the stored lower bound; flipped it becomes the upper one.
    found = benefit(finding(-2.9, (-4.0, -1.8)))
    assert found is not None
    assert (found.lower, found.upper) == (1.8, 4.0)


def test_benefit_sorts_a_reversed_stored_interval() -> None:
    assert benefit(finding(2, (3, 1), favours="positive")) == Benefit(2.0, 1.0, 3.0)


@pytest.mark.parametrize("measure", ["md", "smd", "rd"])
def test_benefit_exists_for_every_difference_measure(measure: str) -> None:
    assert benefit(finding(-0.4, (-0.6, -0.2), measure=measure)) == Benefit(0.4, 0.2, 0.6)  # type: ignore[arg-type]


def test_no_benefit_for_a_ratio_or_a_direction_only_finding() -> None:
    assert benefit(finding(1.4, (1.1, 1.8), measure="rr", favours="positive")) is None
    assert benefit(finding(None)) is None


@given(
    estimate=st.floats(-100, 100),
    spread=st.tuples(st.floats(0, 50), st.floats(0, 50)),
    favours=st.sampled_from(["negative", "positive"]),
)
def test_benefit_keeps_the_estimate_inside_its_interval(
    estimate: float, spread: tuple[float, float], favours: str
) -> None:
    found = benefit(finding(estimate, (estimate - spread[0], estimate + spread[1]), favours=favours))  # type: ignore[arg-type]
    assert found is not None
    assert found.lower is not None and found.upper is not None
    assert found.lower <= found.estimate <= found.upper
    assert found.estimate == (-estimate if favours == "negative" else estimate)


# --------------------------------------------------------------------------- significant


@pytest.mark.parametrize(
    ("measure", "ci", "expected"),
    [
        ("md", (-2.0, -0.5), True),
        ("md", (0.5, 2.0), True),
        ("md", (-1.0, 1.0), False),
        ("md", (0, 1.0), False),  # touching the null is not excluding it
        ("md", (-1.0, 0), False),
        ("md", (0.01, 1.0), True),
        ("smd", (-0.5, -0.1), True),
        ("smd", (-0.5, 0.1), False),
        ("rd", (0.0, 0.2), False),
        ("rr", (1.1, 1.8), True),
        ("rr", (0.5, 0.9), True),
        ("rr", (0.8, 1.2), False),
        ("rr", (1.0, 1.8), False),
        ("rr", (0.5, 1.0), False),
        ("rr", (0.0, 0.5), True),  # 0 is no null for a ratio
    ],
)
def test_significant_means_the_ci_excludes_no_effect(measure: str, ci: tuple[float, float], expected: bool) -> None:
    estimate = (ci[0] + ci[1]) / 2
    assert significant(finding(estimate, ci, measure=measure)) is expected  # type: ignore[arg-type]


def test_significance_is_unknown_without_an_interval() -> None:
    assert significant(finding(-1.0, None)) is None
    assert significant(finding(None)) is None


# --------------------------------------------------------------------------- favours_treatment


@pytest.mark.parametrize(
    ("measure", "estimate", "ci", "favours", "expected"),
    [
        ("rr", 1.4, (1.1, 1.8), "positive", True),
        ("rr", 1.4, (1.0, 1.8), "positive", False),
        ("rr", 0.7, (0.5, 0.9), "positive", False),  # wholly below 1: favours the comparator
        ("rr", 0.7, (0.5, 0.9), "negative", True),
        ("rr", 0.7, (0.5, 1.0), "negative", False),
        ("rr", 1.4, (1.1, 1.8), "negative", False),
        ("md", -2.9, (-4.0, -1.8), "negative", True),
        ("md", -2.9, (-4.0, 0), "negative", False),
        ("md", -1.0, (-2.0, 0.5), "negative", False),
        ("md", 2.0, (0.5, 3.0), "positive", True),
        ("md", -1.0, (-2.0, -0.5), "positive", False),  # wholly negative where positive is better
        ("md", 1.0, (0.5, 2.0), "negative", False),
        ("smd", -0.4, (-0.6, -0.2), "negative", True),
    ],
)
def test_favours_treatment_needs_the_whole_ci_on_the_treatments_side(
    measure: str, estimate: float, ci: tuple[float, float], favours: str, expected: bool
) -> None:
    assert favours_treatment(finding(estimate, ci, measure=measure, favours=favours)) is expected  # type: ignore[arg-type]


def test_favours_treatment_is_unknown_without_an_interval() -> None:
    assert favours_treatment(finding(-2.0, None)) is None
    assert favours_treatment(finding(1.4, None, measure="rr", favours="positive")) is None
    assert favours_treatment(finding(None)) is None


# --------------------------------------------------------------------------- magnitude


def pain(maximum: int) -> Scale:
    return SCALES[f"pain-{maximum}"]


@pytest.mark.parametrize(
    ("points", "label"),
    [
        (0.1, "below_small"),
        (4.9, "below_small"),
        (5, "small"),
        (9.9, "small"),
        (10, "moderate"),
        (19.9, "moderate"),
        (20.1, "large"),
        (60, "large"),
    ],
)
def test_pain_100_bands(points: float, label: str) -> None:
    found = magnitude(finding(-points, None, scale="pain-100"), pain(100))
    assert found == MagnitudeClass(label, PAIN_CONVENTION, ("ahrq-cer169",))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("estimate", "label", "rescaled"),
    [
        (0.4, "below_small", "0.4/10 = 4/100"),
        (0.5, "small", "0.5/10 = 5/100"),
        (0.9, "small", "0.9/10 = 9/100"),
        (1, "moderate", "1/10 = 10/100"),
        (1.5, "moderate", "1.5/10 = 15/100"),
        (2.5, "large", "2.5/10 = 25/100"),
    ],
)
def test_pain_10_is_rescaled_to_100_and_says_so(estimate: float, label: str, rescaled: str) -> None:
    found = magnitude(finding(-estimate, None), pain(10))
    assert found == MagnitudeClass(label, f"{PAIN_CONVENTION} ({rescaled})", ("ahrq-cer169",))  # type: ignore[arg-type]


def test_the_rescale_text_at_the_top_pain_10_edge() -> None:
    found = magnitude(finding(-2, None), pain(10))
    assert found.convention == f"{PAIN_CONVENTION} (2/10 = 20/100)"
    assert found.sources == ("ahrq-cer169",)


@pytest.mark.parametrize(("estimate", "label"), [(1.99, "moderate"), (2.01, "large")])
def test_either_side_of_the_top_pain_10_edge(estimate: float, label: str) -> None:
    assert magnitude(finding(-estimate, None), pain(10)).label == label


@pytest.mark.parametrize(("estimate", "scale"), [(20, "pain-100"), (2, "pain-10")])
def test_the_pain_20_point_edge_agrees_with_its_own_convention(estimate: float, scale: str) -> None:
    found = magnitude(finding(-estimate, None, scale=scale), SCALES[scale])
    assert "large > 20" in found.convention
    assert found.label == "moderate"


@pytest.mark.parametrize(
    ("estimate", "label"),
    [
        (1.99, "below_moderate"),
        (2, "moderate"),
        (3, "moderate"),
        (4, "moderate"),
        (4.01, "above_moderate"),
    ],
)
@pytest.mark.parametrize("scale", ["rdq-23", "rdq-24"])
def test_rdq_moderate_band_is_2_to_4_inclusive(estimate: float, label: str, scale: str) -> None:
    found = magnitude(finding(-estimate, None, scale=scale, construct="function"), SCALES[scale])
    assert found == MagnitudeClass(label, "RDQ: moderate = 2-4 points", ("chou-huffman-2007",))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("smd", "label"),
    [
        (0.1, "below_small"),
        (0.19, "below_small"),
        (0.2, "small"),
        (0.49, "small"),
        (0.5, "moderate"),
        (0.79, "moderate"),
        (0.8, "large"),
        (1.5, "large"),
    ],
)
def test_smd_bands(smd: float, label: str) -> None:
    found = magnitude(finding(-smd, None, measure="smd", scale=None), None)
    assert found == MagnitudeClass(label, SMD_CONVENTION, SMD_SOURCES)  # type: ignore[arg-type]


def test_smd_ignores_any_scale_it_is_given() -> None:
    found = magnitude(finding(-0.5, None, measure="smd"), pain(100))
    assert found.label == "moderate"
    assert found.convention == SMD_CONVENTION


@pytest.mark.parametrize("scale", ["pain-10", "pain-100", "rdq-24"])
def test_an_exact_zero_is_no_difference(scale: str) -> None:
    assert magnitude(finding(0, (-1, 1), scale=scale), SCALES[scale]) == MagnitudeClass(
        "no_difference", "the estimate is exactly zero", ()
    )


def test_a_negative_zero_is_no_difference_too() -> None:
    assert magnitude(finding(-0.0, None), pain(10)).label == "no_difference"


@pytest.mark.parametrize(
    ("estimate", "favours", "measure", "scale"),
    [
        (1.0, "negative", "md", "pain-10"),
        (-30, "positive", "md", "pain-100"),
        (0.3, "negative", "smd", None),
        (5, "negative", "md", "rdq-24"),
    ],
)
def test_an_estimate_on_the_comparators_side_is_not_sized(
    estimate: float, favours: str, measure: str, scale: str | None
) -> None:
    found = magnitude(
        finding(estimate, None, favours=favours, measure=measure, scale=scale),  # type: ignore[arg-type]
        SCALES[scale] if scale else None,
    )
    assert found == MagnitudeClass("favours_comparator", "the estimate favours the comparator", ())


@pytest.mark.parametrize(
    ("scale", "reason"),
    [
        (None, "no verified size bands for this scale"),
        (SCALES["odi-100"], "no verified size bands for this scale"),
        (
            Scale("pain-1-10", "Pain 1-10", "pain", 1, 10, "lower_is_better", "points"),
            "no verified size bands for this scale",
        ),
        (
            Scale("pain-0-20", "Pain 0-20", "pain", 0, 20, "lower_is_better", "points"),
            "no verified size bands for this scale",
        ),
        (
            Scale("bother-10", "Bothersomeness 0-10", "bothersomeness", 0, 10, "lower_is_better", "points"),
            "no verified size bands for this scale",
        ),
    ],
)
def test_scales_without_verified_bands_are_not_classified(scale: Scale | None, reason: str) -> None:
    assert magnitude(finding(-30.0, None, scale=None), scale) == MagnitudeClass("not_classified", reason, ())


@pytest.mark.parametrize(
    "subject",
    [finding(None), finding(1.4, (1.1, 1.8), measure="rr", favours="positive")],
    ids=["direction-only", "ratio"],
)
def test_no_continuous_estimate_is_not_classified(subject: object) -> None:
    assert magnitude(subject, pain(10)) == MagnitudeClass(  # type: ignore[arg-type]
        "not_classified", "no continuous between-group estimate", ()
    )


@pytest.mark.parametrize(
    ("estimate", "measure", "scale", "convention"),
    [
        (-1.5, "md", "pain-10", f"{PAIN_CONVENTION} (1.5/10 = 15/100)"),
        (-12, "md", "pain-100", PAIN_CONVENTION),
        (-3, "md", "rdq-24", "RDQ: moderate = 2-4 points"),
        (-0.6, "smd", None, SMD_CONVENTION),
    ],
)
def test_an_inferred_scale_is_named_in_the_convention(
    estimate: float, measure: str, scale: str | None, convention: str
) -> None:
    found = magnitude(
        finding(estimate, None, measure=measure, scale=scale, scale_inferred=True),  # type: ignore[arg-type]
        SCALES[scale] if scale else None,
    )
    assert found.convention == convention + "; the scale was inferred, not stated"
    assert found.label == "moderate"


@pytest.mark.parametrize(
    ("estimate", "expected"),
    [
        (0, MagnitudeClass("no_difference", "the estimate is exactly zero", ())),
        (1, MagnitudeClass("favours_comparator", "the estimate favours the comparator", ())),
    ],
)
def test_an_inferred_scale_adds_nothing_where_no_convention_applied(estimate: float, expected: MagnitudeClass) -> None:
    assert magnitude(finding(estimate, None, scale_inferred=True), pain(10)) == expected


ORDER = ["favours_comparator", "no_difference", "below_small", "small", "moderate", "large"]


@given(st.floats(-30, 30), st.floats(-30, 30))
def test_pain_magnitude_never_shrinks_as_the_benefit_grows(a: float, b: float) -> None:
    low, high = sorted((a, b))
    small = magnitude(finding(-low, None, scale="pain-100"), pain(100)).label
    large = magnitude(finding(-high, None, scale="pain-100"), pain(100)).label
    assert ORDER.index(small) <= ORDER.index(large)


@given(st.floats(-3, 3, allow_subnormal=False), st.sampled_from(["md", "smd"]))
def test_magnitude_does_not_depend_on_which_sign_is_stored(value: float, measure: str) -> None:
    scale = pain(10) if measure == "md" else None
    name = "pain-10" if measure == "md" else None
    negative = magnitude(finding(-value, None, measure=measure, scale=name), scale)  # type: ignore[arg-type]
    positive = magnitude(finding(value, None, measure=measure, scale=name, favours="positive"), scale)  # type: ignore[arg-type]
    assert negative == positive


# --------------------------------------------------------------------------- mcid_check


@pytest.mark.parametrize(
    ("estimate", "ci", "verdict"),
    [
        (-3.0, (-4.0, -2.5), "whole_ci_above"),
        (-3.0, (-4.0, -2.0), "whole_ci_above"),  # lower bound exactly at the threshold
        (-2.5, (-3.5, -1.5), "estimate_above_ci_crosses"),
        (-2.0, (-3.0, -1.0), "estimate_above_ci_crosses"),  # estimate exactly at the threshold
        (-1.5, (-2.5, -0.5), "estimate_below_ci_crosses"),
        (-1.5, (-2.0, -0.5), "estimate_below_ci_crosses"),  # upper end exactly at the threshold
        (-1.0, (-1.9, -0.1), "whole_ci_below"),
        (1.0, (0.5, 1.5), "whole_ci_below"),  # favours the comparator
        (-2.0, None, "estimate_above_no_ci"),
        (-3.5, None, "estimate_above_no_ci"),
        (-1.9, None, "estimate_below_no_ci"),
    ],
)
def test_every_verdict_compares_the_whole_ci_with_the_trials_mcid(
    estimate: float, ci: tuple[float, float] | None, verdict: str
) -> None:
    check = mcid_check(finding(estimate, ci, mcid=2, scale="rdq-23", construct="function"))
    assert check == McidCheck(verdict, 2, "trial_prespecified", "trial-2011")  # type: ignore[arg-type]


def test_the_verdicts_tested_here_are_all_the_verdicts() -> None:
    assert set(get_args(derive.McidVerdict)) == {
        "whole_ci_above",
        "estimate_above_ci_crosses",
        "estimate_below_ci_crosses",
        "whole_ci_below",
        "estimate_above_no_ci",
        "estimate_below_no_ci",
        "no_threshold",
        "not_applicable",
    }


def test_a_positive_is_better_outcome_is_checked_the_same_way() -> None:
    check = mcid_check(finding(2.5, (2.1, 2.9), favours="positive", mcid=2))
    assert check.verdict == "whole_ci_above"


def test_a_review_threshold_keeps_its_basis() -> None:
    check = mcid_check(finding(-1.2, (-1.6, -0.8), mcid=1.5, mcid_basis="review_threshold"))
    assert check == McidCheck("estimate_below_ci_crosses", 1.5, "review_threshold", "trial-2011")


@pytest.mark.parametrize(
    ("scale", "threshold"),
    [("pain-100", 15), ("pain-10", 2), ("rdq-24", 5), ("odi-100", 10)],
)
def test_ostelo_is_the_fallback_for_its_four_scales(scale: str, threshold: float) -> None:
    above = mcid_check(finding(-threshold * 1.5, (-threshold * 2, -threshold), scale=scale))
    below = mcid_check(finding(-threshold / 2, (-threshold * 0.9, -threshold * 0.1), scale=scale))
    assert above == McidCheck("whole_ci_above", threshold, "individual_consensus", "ostelo-2008")
    assert below == McidCheck("whole_ci_below", threshold, "individual_consensus", "ostelo-2008")


@pytest.mark.parametrize("scale", ["pain-100", "pain-10", "rdq-24", "odi-100"])
def test_a_trial_mcid_beats_the_ostelo_fallback(scale: str) -> None:
    check = mcid_check(finding(-1.0, (-1.5, -0.5), scale=scale, mcid=0.4))
    assert check == McidCheck("whole_ci_above", 0.4, "trial_prespecified", "trial-2011")


@pytest.mark.parametrize("scale", ["rdq-23", "bothersomeness-10", None])
def test_no_threshold_without_a_trial_mcid_or_an_ostelo_scale(scale: str | None) -> None:
    assert mcid_check(finding(-3.0, (-4.0, -2.0), scale=scale)) == McidCheck("no_threshold", None, None, None)


@pytest.mark.parametrize(
    "subject",
    [
        finding(-0.5, (-0.7, -0.3), measure="smd", mcid=0.2),
        finding(1.4, (1.1, 1.8), measure="rr", favours="positive", mcid=1),
        finding(-0.1, (-0.2, 0.0), measure="rd", mcid=0.05),
        finding(None, mcid=2),
    ],
    ids=["smd", "rr", "rd", "direction-only"],
)
def test_the_mcid_applies_only_to_a_mean_difference(subject: object) -> None:
    assert mcid_check(subject) == McidCheck("not_applicable", None, None, None)  # type: ignore[arg-type]


@given(
    estimate=st.floats(-20, 20),
    below=st.floats(0, 10),
    above=st.floats(0, 10),
    threshold=st.floats(0.1, 15),
)
def test_the_verdict_follows_from_the_interval_and_the_threshold(
    estimate: float, below: float, above: float, threshold: float
) -> None:
    verdict = mcid_check(
        finding(estimate, (estimate - below, estimate + above), favours="positive", mcid=threshold)
    ).verdict
    lower, upper = estimate - below, estimate + above
    if lower >= threshold:
        assert verdict == "whole_ci_above"
    elif upper < threshold:
        assert verdict == "whole_ci_below"
    else:
        assert verdict == ("estimate_above_ci_crosses" if estimate >= threshold else "estimate_below_ci_crosses")


# --------------------------------------------------------------------------- time_window

MONTH = 52 / 12


@pytest.mark.parametrize(
    ("weeks", "window"),
    [
        (0, "immediate"),
        (2, "immediate"),
        (4.33, "immediate"),
        (MONTH, "short"),
        (4.34, "short"),
        (12, "short"),
        (25.99, "short"),
        (26, "intermediate"),
        (40, "intermediate"),
        (51.99, "intermediate"),
        (52, "long"),
        (104, "long"),
    ],
)
def test_windows_after_the_end_of_treatment(weeks: float, window: str) -> None:
    found = time_window(finding(anchor="end_of_treatment", weeks=weeks))
    assert found == TimeWindow(window, weeks, "computed")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weeks", "treatment_weeks", "after", "window"),
    [
        (10, 10, 0, "immediate"),
        (6, 10, 0, "immediate"),  # measured before treatment ended: counted as 0, not negative
        (14.33, 10, 4.33, "immediate"),
        (15, 10, 5, "short"),
        (35.99, 10, 25.99, "short"),
        (36, 10, 26, "intermediate"),
        (60, 8, 52, "long"),
        (52, 0, 52, "long"),
    ],
)
def test_windows_from_randomisation_subtract_the_treatment_weeks(
    weeks: float, treatment_weeks: float, after: float, window: str
) -> None:
    found = time_window(finding(anchor="randomisation", weeks=weeks, treatment_weeks=treatment_weeks))
    assert found.window == window
    assert found.weeks_after_treatment == pytest.approx(after)
    assert found.basis == "computed"


@pytest.mark.parametrize("source_window", ["immediate", "short", "intermediate", "long"])
@pytest.mark.parametrize(
    ("anchor", "weeks", "treatment_weeks"),
    [
        ("source_window", None, None),
        ("randomisation", 52, None),  # treatment length unknown: weeks alone cannot be placed
        ("randomisation", None, 8),
        ("end_of_treatment", None, None),
    ],
)
def test_the_sources_own_window_is_used_when_weeks_cannot_be(
    source_window: str, anchor: str, weeks: float | None, treatment_weeks: float | None
) -> None:
    found = time_window(
        finding(anchor=anchor, weeks=weeks, treatment_weeks=treatment_weeks, source_window=source_window)  # type: ignore[arg-type]
    )
    assert found == TimeWindow(source_window, None, "source_window")  # type: ignore[arg-type]


def test_computed_weeks_win_over_the_sources_window() -> None:
    found = time_window(finding(anchor="end_of_treatment", weeks=30, source_window="short"))
    assert found == TimeWindow("intermediate", 30, "computed")


@pytest.mark.parametrize(
    ("anchor", "weeks", "treatment_weeks"),
    [("source_window", None, None), ("randomisation", 26, None), ("end_of_treatment", None, 8)],
)
def test_unknown_window(anchor: str, weeks: float | None, treatment_weeks: float | None) -> None:
    found = time_window(finding(anchor=anchor, weeks=weeks, treatment_weeks=treatment_weeks))  # type: ignore[arg-type]
    assert found == TimeWindow("unknown", None, "unknown")


# --------------------------------------------------------------------------- blinding_risk

INACTIVE = BlindingRisk(
    "high",
    "control group knew it got no treatment: disappointment (frustrebo) and the treated "
    "group's nonspecific effects can inflate the difference",
)
MIXED = BlindingRisk("high", "controls include waiting list or no treatment, which participants cannot be blinded to")
KNEW = BlindingRisk("high", "participants knew which treatment they got")
BLINDED = BlindingRisk("low", "participants blinded to their group")
SHAM_BLINDED = BlindingRisk("low", "sham/placebo control with blinded participants")
SHAM_UNKNOWN = BlindingRisk("unclear", "sham/placebo control, but participant blinding not reported")
UNKNOWN = BlindingRisk("unclear", "participant blinding not reported")
SHAM_UNCLEAR = BlindingRisk("unclear", "sham/placebo control, but participant blinding unclear")
UNCLEAR = BlindingRisk("unclear", "participant blinding unclear")

STATUSES = ("blinded", "not_blinded", "partial", "unclear", "not_reported", None)
"""Participant blinding; None is a finding with no blinding record at all."""
MATRIX = {
    # kind: (blinded, not_blinded, partial, unclear, not_reported, no blinding record)
    "usual_care": (INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE),
    "waitlist": (INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE),
    "no_treatment": (INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE),
    "minimal_intervention": (INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE, INACTIVE),
    "inactive_mixed": (BLINDED, MIXED, MIXED, MIXED, MIXED, MIXED),
    "sham": (SHAM_BLINDED, KNEW, KNEW, SHAM_UNCLEAR, SHAM_UNKNOWN, SHAM_UNKNOWN),
    "placebo": (SHAM_BLINDED, KNEW, KNEW, SHAM_UNCLEAR, SHAM_UNKNOWN, SHAM_UNKNOWN),
    "active": (BLINDED, KNEW, KNEW, UNCLEAR, UNKNOWN, UNKNOWN),
    "mixed": (BLINDED, KNEW, KNEW, UNCLEAR, UNKNOWN, UNKNOWN),
}


def test_the_matrix_covers_every_kind_and_status() -> None:
    assert set(MATRIX) == set(get_args(ComparatorKind))
    assert list(STATUSES[:-1]) == list(get_args(BlindingStatus))


@pytest.mark.parametrize(
    ("kind", "participants", "risk"),
    [(kind, status, row[i]) for kind, row in MATRIX.items() for i, status in enumerate(STATUSES)],
)
def test_blinding_risk_matrix(kind: str, participants: str | None, risk: BlindingRisk) -> None:
    assert blinding_risk(finding(comparator=kind, participants=participants)) == risk  # type: ignore[arg-type]


def test_only_participant_blinding_counts() -> None:
    # Blinded assessors and providers do not lower the risk when participants knew.
    subject = finding(comparator="sham", participants="not_blinded")
    assert subject.blinding is not None and subject.blinding.assessors == "blinded"
    assert blinding_risk(subject) == KNEW


@pytest.mark.parametrize("kind", ["sham", "active"])
def test_unclear_blinding_is_not_called_unreported(kind: str) -> None:
    assert "not reported" not in blinding_risk(finding(comparator=kind, participants="unclear")).reason  # type: ignore[arg-type]


# --------------------------------------------------------------------------- certainty_rank


@pytest.mark.parametrize(
    ("level", "rank"),
    [("high", 4), ("moderate", 3), ("low", 2), ("very_low", 1), ("insufficient", 0), (None, -1)],
)
def test_certainty_rank(level: str | None, rank: int) -> None:
    assert certainty_rank(finding(certainty=level)) == rank  # type: ignore[arg-type]


def test_every_certainty_level_has_a_distinct_rank() -> None:
    ranks = [certainty_rank(finding(certainty=level)) for level in get_args(CertaintyLevel)]
    assert ranks == sorted(ranks, reverse=True)
    assert len(set(ranks)) == len(ranks)


# --------------------------------------------------------------------------- thresholds


def test_thresholds_are_the_documented_values() -> None:
    assert derive.INDIVIDUAL_MCID == {"pain-100": 15, "pain-10": 2, "rdq-24": 5, "odi-100": 10}
    assert derive.PAIN_100_BANDS == ((5.0, "small"), (10.0, "moderate"), (20.0, "large"))
    assert derive.SMD_BANDS == ((0.2, "small"), (0.5, "moderate"), (0.8, "large"))
    assert derive.RDQ_MODERATE == (2.0, 4.0)
    assert [floor for floor, _ in derive.WINDOWS] == [52 / 12, 26.0, 52.0]
