"""Pins text.py: how figures, intervals, effects and MCID verdicts are spelt in every output.

Numbers appear exactly as stored (15 stays 15, 4.0 stays 4.0); an effect never appears without
its interval; every MCID verdict has one sentence and one badge.
"""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import SCALES, finding
from painsci_cli import derive, text
from painsci_cli.derive import McidCheck
from painsci_cli.models import Scale
from painsci_cli.text import describe_effect, effect_figure, interval, mcid_badge, mcid_text, number, scale_label

RDQ_23 = SCALES["rdq-23"]


@pytest.mark.parametrize(
    ("value", "spelt"),
    [
        (15, "15"),
        (0, "0"),
        (-3, "-3"),
        (4.0, "4.0"),
        (-2.9, "-2.9"),
        (0.5, "0.5"),
        (1.10, "1.1"),  # YAML read 1.10 as the float 1.1: the stored value, not the typed text
        (0.1 + 0.2, "0.30000000000000004"),  # nothing is rounded
        (1e-05, "1e-05"),
        (1e16, "1e+16"),
        (-0.0, "-0.0"),
        (None, "not reported"),
    ],
)
def test_number_is_spelt_exactly_as_stored(value: float | None, spelt: str) -> None:
    assert number(value) == spelt


@given(st.integers(-(10**15), 10**15))
def test_an_integer_never_gains_a_decimal_point(value: int) -> None:
    assert number(value) == str(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_reads_back_as_the_same_float(value: float) -> None:
    assert float(number(value)) == value
    assert "." in number(value) or "e" in number(value)


@pytest.mark.parametrize(
    ("ci", "spelt"),
    [
        ((-4.0, -1.8), "95% CI -4.0 to -1.8"),
        ((1, 3), "95% CI 1 to 3"),
        ((-1, 0.5), "95% CI -1 to 0.5"),
        (None, "95% CI not reported"),
    ],
)
def test_interval(ci: tuple[float, float] | None, spelt: str) -> None:
    assert interval(finding(-2.9, ci)) == spelt


def test_interval_of_a_direction_only_finding() -> None:
    assert interval(finding(None)) == "95% CI not reported"


@pytest.mark.parametrize(
    ("measure", "estimate", "ci", "scale", "spelt"),
    [
        (
            "md",
            -2.9,
            (-4.0, -1.8),
            RDQ_23,
            "MD -2.9 (95% CI -4.0 to -1.8) on Roland-Morris Disability Questionnaire 0-23",
        ),
        ("md", -1, (-2, 0), SCALES["pain-10"], "MD -1 (95% CI -2 to 0) on Pain intensity 0-10"),
        ("md", -12.5, None, SCALES["pain-100"], "MD -12.5 (95% CI not reported) on Pain intensity 0-100"),
        ("md", -1.0, (-2.0, -0.5), None, "MD -1.0 (95% CI -2.0 to -0.5)"),
        ("smd", -0.45, (-0.6, -0.3), None, "SMD -0.45 (95% CI -0.6 to -0.3)"),
        ("rr", 1.4, (1.1, 1.8), None, "RR 1.4 (95% CI 1.1 to 1.8)"),
        ("rd", 0.12, (0.05, 0.19), None, "RD 0.12 (95% CI 0.05 to 0.19)"),
    ],
)
def test_effect_figure(
    measure: str, estimate: float, ci: tuple[float, float] | None, scale: Scale | None, spelt: str
) -> None:
    assert effect_figure(finding(estimate, ci, measure=measure), scale) == spelt  # type: ignore[arg-type]


def test_effect_figure_marks_an_inferred_scale() -> None:
    figure = effect_figure(finding(-1.5, (-2.0, -1.0), scale_inferred=True), SCALES["pain-10"])
    assert figure == "MD -1.5 (95% CI -2.0 to -1.0) on Pain intensity 0-10 (scale inferred, not stated by the source)"


def test_an_inferred_scale_that_is_not_known_adds_nothing() -> None:
    assert effect_figure(finding(-1.5, None, scale_inferred=True), None) == "MD -1.5 (95% CI not reported)"


def test_effect_figure_of_a_direction_only_finding() -> None:
    assert effect_figure(finding(None), SCALES["pain-10"]) == "not reported"


@pytest.mark.parametrize(
    ("name", "low", "high", "label"),
    [
        (
            "Roland-Morris Disability Questionnaire, modified 23-item version",
            0,
            23,
            "Roland-Morris Disability Questionnaire 0-23",
        ),
        ("Pain intensity (VAS)", 0, 100, "Pain intensity 0-100"),
        ("Pain intensity, 0-10 (NRS)", 0, 10, "Pain intensity 0-10"),
        ("Oswestry Disability Index", 0, 100, "Oswestry Disability Index 0-100"),
        ("Hannover function questionnaire", 0, 100.0, "Hannover function questionnaire 0-100.0"),
        ("Sciatica bothersomeness", 0.5, 24, "Sciatica bothersomeness 0.5-24"),
    ],
)
def test_scale_label_is_the_short_name_and_the_stored_range(name: str, low: float, high: float, label: str) -> None:
    assert scale_label(Scale("s", name, "pain", low, high, "lower_is_better", "points")) == label


def test_describe_effect_names_outcome_figure_comparator_and_time() -> None:
    subject = finding(-2.9, (-4.0, -1.8), scale="rdq-23", construct="function", comparator="sham")
    assert describe_effect(subject, RDQ_23) == (
        "function: MD -2.9 (95% CI -4.0 to -1.8) on Roland-Morris Disability Questionnaire 0-23 vs sham; time: 8 weeks"
    )


def test_describe_effect_without_a_figure() -> None:
    assert (
        describe_effect(finding(None, comparator="waitlist"), None) == "Pain: not reported vs waitlist; time: 8 weeks"
    )


# --------------------------------------------------------------------------- MCID sentences and badges

TEXTS = {
    "whole_ci_above": ("whole CI at or above the trial's MCID (2)", "MCID met"),
    "estimate_above_ci_crosses": ("estimate reaches the trial's MCID (2), CI crosses it", "MCID maybe"),
    "estimate_below_ci_crosses": ("estimate below the trial's MCID (2), CI reaches it", "MCID unlikely"),
    "whole_ci_below": ("whole CI below the trial's MCID (2)", "below MCID"),
    "estimate_above_no_ci": ("estimate reaches the trial's MCID (2); no CI", "MCID met (no CI)"),
    "estimate_below_no_ci": ("estimate below the trial's MCID (2); no CI", "below MCID (no CI)"),
    "no_threshold": ("no MCID for this scale", "no MCID"),
    "not_applicable": ("n/a (not a mean difference)", "n/a"),
}


def test_every_verdict_has_a_sentence_and_a_badge() -> None:
    assert set(TEXTS) == set(get_args(derive.McidVerdict))


@pytest.mark.parametrize(("verdict", "sentence", "badge"), [(v, s, b) for v, (s, b) in TEXTS.items()])
def test_mcid_text_and_badge(verdict: str, sentence: str, badge: str) -> None:
    with_threshold = verdict not in ("no_threshold", "not_applicable")
    check = McidCheck(
        verdict,  # type: ignore[arg-type]
        2 if with_threshold else None,
        "trial_prespecified" if with_threshold else None,
        "trial-2011" if with_threshold else None,
    )
    assert mcid_text(check) == sentence
    assert mcid_badge(check) == badge


@pytest.mark.parametrize(
    ("basis", "threshold", "sentence"),
    [
        ("trial_prespecified", 1.5, "whole CI below the trial's MCID (1.5)"),
        ("review_threshold", 10, "whole CI below the review's threshold (10)"),
        ("individual_consensus", 15, "whole CI below the individual-level MCID (15)"),
        ("individual_consensus", 2.0, "whole CI below the individual-level MCID (2.0)"),
        (None, 2, "whole CI below the trial's MCID (2)"),
    ],
)
def test_mcid_text_names_the_basis_and_the_threshold_as_stored(
    basis: str | None, threshold: float, sentence: str
) -> None:
    assert mcid_text(McidCheck("whole_ci_below", threshold, basis, None)) == sentence  # type: ignore[arg-type]


def test_mcid_text_of_a_computed_check() -> None:
    check = derive.mcid_check(finding(-2.9, (-4.0, -1.8), scale="rdq-23", construct="function", mcid=2))
    assert mcid_text(check) == "estimate reaches the trial's MCID (2), CI crosses it"
    ostelo = derive.mcid_check(finding(-20, (-25, -16), scale="pain-100"))
    assert mcid_text(ostelo) == "whole CI at or above the individual-level MCID (15)"
    assert mcid_badge(ostelo) == "MCID met"


@pytest.mark.parametrize(
    ("table", "keys"),
    [
        (text.MAGNITUDE, get_args(derive.Magnitude)),
        (text.WINDOW, get_args(derive.Window)),
        (text.MCID_BASIS, get_args(derive.McidBasis)),
    ],
    ids=["magnitude", "window", "mcid-basis"],
)
def test_every_computed_value_has_words(table: dict[str, str], keys: tuple[str, ...]) -> None:
    assert set(table) == set(keys)
    assert all(table[key].strip() for key in keys)


def test_word_tables_cover_the_model_vocabularies() -> None:
    from painsci_cli import vocabulary

    assert set(text.CERTAINTY) == set(get_args(vocabulary.CertaintyLevel))
    assert set(text.STANCE) == set(get_args(vocabulary.Stance))
    assert set(text.BLINDING) == set(get_args(vocabulary.BlindingStatus))
    assert set(text.COMPARATOR) == set(get_args(vocabulary.ComparatorKind))
    assert text.MAGNITUDE["favours_comparator"] == "favours control"
    assert text.WINDOW["immediate"] == "end of treatment"
