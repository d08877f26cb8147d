"""`painsci explain` says what the bottom line's rules say (SYNTHESIS.md §1, §4, §7).

The sham caveat speaks only for the phase of its trial, an unblinded placebo and pooled controls
are called what they are, the rule that let other treatments decide is named, a trivial
difference is worded "little or no difference" (GRADE guideline 26), and disagreement about how
long a benefit lasted is said as such.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from typer.testing import Result

Invoke = Callable[..., Result]


def explained(invoke: Invoke, *args: str) -> str:
    return str(json.loads(invoke("explain", *args, "--json").stdout)["text"])


def test_explain_names_a_sham_that_did_as_well_only_for_the_phase_of_its_trial(invoke: Invoke) -> None:
    assert "A sham did about as well: Brief control stimulation" in explained(invoke, "pens")
    acute = explained(invoke, "pens", "--phase", "acute")
    assert "A sham did about as well" not in acute
    assert acute.startswith(
        "Bottom line for acute low back pain: very uncertain (the sham-controlled result is indirect"
    )


def test_explain_calls_an_unblinded_placebo_an_upper_bound_and_says_who_knew(invoke: Invoke) -> None:
    text = explained(invoke, "heat", "--phase", "acute")
    assert "Against oral placebo tablet (not a sham heat wrap) (an unblinded comparison)" in text
    assert "participants knew which group they were in, so this is an upper bound" in text
    assert text.index("Against unheated blanket") < text.index("Against oral placebo tablet")


def test_explain_does_not_call_mixed_controls_unblinded_and_says_when_phases_are_pooled(invoke: Invoke) -> None:
    text = explained(invoke, "osteopathic-manipulative-treatment", "--phase", "acute")
    assert "(controls of several kinds, not all blinded)" in text
    assert "acute and chronic pain pooled, or the phase not stated" in text
    massage = explained(invoke, "massage")
    assert "(sham therapy, waiting list or no treatment) (controls of several kinds, not all blinded)" in massage
    assert "the controls include waiting list or no treatment, so this is an upper bound" in massage


def test_explain_lists_the_rule_that_let_other_treatments_decide(invoke: Invoke) -> None:
    text = explained(invoke, "spinal-manipulation")
    opening = text.split(". Against")[0]
    assert opening.endswith("against other treatments it is firmer)")


def test_explain_says_when_sources_disagree_about_how_long_it_lasts(invoke: Invoke) -> None:
    text = explained(invoke, "massage", "--phase", "acute")
    assert "Over time: mixed results 1 to 6 months after" in text
    assert "the sources disagree about how long it lasts" in text
    assert "a later result disagrees" not in text


def test_explain_words_a_trivial_difference_as_little_or_no_difference(invoke: Invoke) -> None:
    """Spinal manipulation against other treatments: high certainty, 4.16 points on 0-100."""
    text = explained(invoke, "spinal-manipulation")
    assert "spinal manipulation makes little or no difference to pain (a difference of 4.16 points" in text
    assert "below the smallest size class: MD -4.16, 95% CI -6.97 to -1.36)" in text
    assert "spinal manipulation reduces pain" not in text


def test_a_time_label_reads_as_a_phrase_after_the_number(invoke: Invoke) -> None:
    """ "at 10 weeks", but "immediately after treatment", never "at immediately after" (the
    labels are the sources' own words, so the explanation fits "at" to them)."""
    from painsci_cli.explain import at_time

    assert (
        at_time("10 weeks (end of treatment; primary end point)") == "at 10 weeks (end of treatment; primary end point)"
    )
    assert at_time("immediately after treatment (< 7 days)") == "immediately after treatment (< 7 days)"
    assert at_time("after 5 days") == "after 5 days"
    assert at_time("at least 1 month after the end of treatment") == "at least 1 month after the end of treatment"
    assert at_time("Not stated in the abstract") == "at a time the source does not state"
    assert at_time("not tied to one time point") == "(time: not tied to one time point)"
    text = explained(invoke, "acupuncture")
    assert "(MD -10.26, 95% CI -17.11 to -3.4) immediately after treatment (< 7 days after the last session)" in text
    ids = [row["id"] for row in json.loads(invoke("list", "--json").stdout)["treatments"]]
    for phase in ("chronic", "acute"):
        for treatment in ids:
            said = explained(invoke, treatment, "--phase", phase)
            assert not any(bad in said for bad in ("at immediately", "at after", "at at ", "at not ")), treatment
