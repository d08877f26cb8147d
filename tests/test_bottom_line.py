"""The rules of the bottom line (SYNTHESIS.md §1-§4), each on a small made-up treatment.

Every test names the clinical case it stands for; tests/test_bottom_lines_kb.py pins the verdict of
every treatment in the shipped knowledge base, and tests/test_bottom_line_properties.py checks the
invariants over generated ones.
"""

from __future__ import annotations

import dataclasses

import pytest

from helpers import SCALES, finding, knowledge_base, treatment
from painsci_cli import judgements, profile
from painsci_cli.bottom_line import REASONS, sham_caveat, sort_rank
from painsci_cli.durability import durability
from painsci_cli.load.store import Store
from painsci_cli.models import Blinding, Caveat, Citation, Finding, Indirectness, Mechanism, Population, Size, TimePoint
from painsci_cli.profile import VERDICT_RANK, BottomLine, EvidenceProfile, Phase
from painsci_cli.vocabulary import ComparatorKind

BENEFIT = (-1.5, (-2.0, -1.0))
"""1.5 points on a 0-10 pain scale: a moderate benefit whose interval excludes no effect."""
SMALL = (-0.7, (-1.0, -0.4))
NULL = (-0.5, (-1.2, 0.2))


def make(
    finding_id: str,
    kind: ComparatorKind = "usual_care",
    effect: tuple[float, tuple[float, float]] = BENEFIT,
    *,
    certainty: str | None = None,
    blinded: str = "not_reported",
    people: int | None = 400,
    review: bool = False,
    duration: str = "chronic",
    weeks: float | None = None,
    indirect: bool = False,
    source: str = "trial-2011",
) -> Finding:
    """One finding with only what the rule under test looks at."""
    estimate, ci = effect
    base = finding(estimate, ci, comparator=kind, certainty=certainty, finding_id=finding_id)  # type: ignore[arg-type]
    return dataclasses.replace(
        base,
        cite=Citation(source, "abstract"),
        design="meta_analysis" if review else "rct",
        population=Population(duration),  # type: ignore[arg-type]
        size=Size(participants=people, trials=5 if review else None),
        blinding=Blinding(blinded, "not_blinded", "blinded"),  # type: ignore[arg-type]
        time_point=TimePoint(
            "after treatment", "end_of_treatment" if weeks is not None else "randomisation", weeks, None
        ),
        indirect=Indirectness(population="chronic musculoskeletal pain") if indirect else None,
    )


def evidence(*findings: Finding, phase: Phase = "chronic", **options: object) -> EvidenceProfile:
    t = dataclasses.replace(treatment("therapy", findings=findings), **options)
    store = Store.from_kb(knowledge_base((t,), scales=tuple(SCALES.values())))
    return judgements.evidence(store, t, phase)


def line(*findings: Finding, phase: Phase = "chronic", **options: object) -> BottomLine:
    return evidence(*findings, phase=phase, **options).bottom_line


def codes(bottom: BottomLine) -> list[str]:
    return [r.code for r in bottom.reasons]


# --------------------------------------------------------------------------- §1 which question


@pytest.mark.parametrize(
    ("kind", "blinded", "question"),
    [
        ("placebo", "blinded", "specific"),
        ("placebo", "not_reported", "specific"),
        ("sham", "unclear", "specific"),
        ("placebo", "not_blinded", "pragmatic"),  # heat wraps against an oral placebo tablet
        ("sham", "partial", "pragmatic"),
        ("usual_care", "blinded", "pragmatic"),
        ("active", "not_blinded", "relative"),
    ],
)
def test_a_sham_tests_the_treatment_itself_only_when_participants_could_not_tell(
    kind: ComparatorKind, blinded: str, question: str
) -> None:
    assert profile.question(make("f", kind, blinded=blinded)) == question


def test_heat_wraps_against_an_oral_placebo_do_not_speak_as_a_sham_result() -> None:
    """French 2006: the wrap trials' participants knew they were heated; the blanket trial speaks."""
    wraps = make("wraps", "placebo", certainty="moderate", blinded="not_blinded", review=True, duration="acute")
    blanket = make("blanket", "sham", (-3.2, (-3.9, -2.6)), people=90, duration="acute")
    found = evidence(wraps, blanket, phase="acute")
    assert found.specific is not None and found.specific.finding == "blanket"
    assert found.pragmatic is not None and found.pragmatic.finding == "wraps"
    assert "unblinded_control" in found.pragmatic.flags
    assert found.bottom_line.verdict == "very uncertain"
    assert codes(found.bottom_line)[-2:] == ["sham_first", "single_small_trial"]


# --------------------------------------------------------------------------- §1/§3 sham speaks first


def test_usual_care_never_raises_what_the_sham_result_allows() -> None:
    """OMT: a sham-controlled benefit that nobody rated caps a moderate-certainty usual-care one."""
    sham = make("licciardone", "sham", certainty=None, blinded="blinded", people=455)
    usual = make("franke", "usual_care", certainty="moderate", review=True)
    assert line(usual).verdict == "probably helps"
    with_sham = line(sham, usual)
    assert with_sham.verdict == "very uncertain"
    assert with_sham.basis == "specific"
    assert codes(with_sham) == ["specific_benefit", "pragmatic_benefit", "sham_first", "certainty_not_rated"]
    assert REASONS["sham_first"].startswith("the sham-controlled result speaks first")


def test_a_rated_sham_benefit_speaks_with_its_own_certainty() -> None:
    sham = make("sham", "sham", certainty="moderate", blinded="blinded", review=True)
    usual = make("usual", certainty="high", review=True)
    bottom = line(sham, usual)
    assert (bottom.verdict, bottom.basis) == ("probably helps", "specific")
    assert "upper_bound" not in codes(bottom)


@pytest.mark.parametrize("effect", [NULL, (0.5, (0.2, 0.8))])
def test_a_null_or_reversed_sham_result_is_little_or_no_better_than_sham(
    effect: tuple[float, tuple[float, float]],
) -> None:
    sham = make("sham", "sham", effect, certainty="low", blinded="blinded")
    usual = make("usual", certainty="high", review=True)
    assert line(sham, usual).verdict == "little or no better than sham"


def test_a_trivial_sham_benefit_says_why() -> None:
    trivial = make("sham", "sham", (-0.2, (-0.35, -0.05)), certainty="high", review=True)
    bottom = line(trivial)
    assert bottom.verdict == "little or no better than sham"
    assert codes(bottom) == ["specific_benefit", "trivial_effect"]


def test_an_indirect_sham_null_decides_nothing() -> None:
    """Exercise: Miller 2021 pooled all chronic musculoskeletal pain; Hayden 2021 speaks."""
    miller = make("miller", "placebo", NULL, certainty="very_low", review=True, indirect=True)
    hayden = make("hayden", "inactive_mixed", certainty="moderate", review=True, people=2746)
    bottom = line(miller, hayden)
    assert bottom.verdict == "probably helps"
    assert codes(bottom)[:2] == ["specific_no_difference", "sham_indirect"]
    assert "indirect" in bottom.reasons[0].text
    direct_null = dataclasses.replace(miller, indirect=None)
    assert line(direct_null, hayden).verdict == "little or no better than sham"


def test_only_indirect_evidence_is_very_uncertain_and_rests_on_it() -> None:
    """PENS in acute pain: the one sham result pools other musculoskeletal pain."""
    bottom = line(make("plaza", "sham", certainty="low", review=True, duration="mixed", indirect=True), phase="acute")
    assert (bottom.verdict, bottom.basis) == ("very uncertain", "specific")
    assert codes(bottom) == ["specific_benefit", "sham_indirect"]


# --------------------------------------------------------------------------- §2 directness lowers certainty


def test_indirect_evidence_is_one_step_less_certain() -> None:
    """Walking: Pocovi 2022 pooled walking with running programmes (high certainty as rated)."""
    pooled = make("pocovi", "minimal_intervention", SMALL, certainty="high", review=True, indirect=True)
    assert line(pooled).verdict == "probably helps a little"
    assert "indirect" in codes(line(pooled))
    assert line(dataclasses.replace(pooled, indirect=None)).verdict == "helps a little"


def test_pooled_acute_and_chronic_pain_is_one_step_less_certain_for_either_phase() -> None:
    mixed = make("yamato", "minimal_intervention", certainty="moderate", review=True, duration="mixed")
    for phase in profile.PHASES:
        bottom = line(mixed, phase=phase)
        assert bottom.verdict == "may help"
        assert "mixed_phases" in codes(bottom)
    assert line(dataclasses.replace(mixed, population=Population("chronic"))).verdict == "probably helps"


def test_a_lowered_certainty_says_what_the_source_rated() -> None:
    lowered = line(make("li", certainty="low", review=True, duration="mixed"))
    assert lowered.verdict == "very uncertain"
    assert lowered.reasons[-1].text == "certainty of the benefit: very low once lowered (the source: low)"


# --------------------------------------------------------------------------- §3 consistency


@pytest.mark.parametrize(
    ("dissent", "counts"),
    [
        ({"people": 145}, False),  # Deyo 1990 beside Hayden 2021: smaller, not better blinded
        ({"people": None}, False),  # a size nobody printed cannot outweigh 2,746 people
        ({"people": 3000}, True),  # larger
        ({"people": 60, "blinded": "blinded"}, True),  # better blinded
    ],
)
def test_only_a_better_blinded_or_larger_dissent_lowers_the_certainty(dissent: dict[str, object], counts: bool) -> None:
    hayden = make("hayden", "inactive_mixed", certainty="moderate", review=True, people=2746)
    deyo = make("deyo", "mixed", NULL, **dissent)  # type: ignore[arg-type]
    bottom = line(hayden, deyo)
    assert bottom.verdict == ("may help" if counts else "probably helps")
    assert ("sources_disagree" in codes(bottom)) is counts


def test_a_dissent_of_unknown_size_counts_against_a_finding_of_unknown_size() -> None:
    """Vickers 2012 against Mu 2020: nothing tells them apart, so the disagreement is said."""
    one = make("one", "sham", certainty="moderate", review=True, people=None)
    other = make("other", "sham", NULL, review=True, people=None)
    assert line(one, other).verdict == "may help"


# --------------------------------------------------------------------------- plausibility, relative


def test_an_implausible_mechanism_caps_relative_verdicts_too() -> None:
    pooled = make("rel", "active", certainty="high", review=True)
    assert line(pooled).verdict == "better than other treatments"
    capped = line(pooled, mechanism=_implausible())
    assert capped.verdict == "very uncertain"
    assert codes(capped) == ["implausible_mechanism", "relative_benefit", "capped_by_plausibility"]


def test_one_small_trial_against_another_treatment_is_very_uncertain() -> None:
    assert line(make("small", "active", certainty="high", people=60)).verdict == "very uncertain"
    assert line(make("large", "active", certainty="high", people=600)).verdict == "better than other treatments"


# --------------------------------------------------------------------------- the sham caveat's phase


def test_a_sham_that_did_as_well_speaks_for_the_phase_of_its_trial() -> None:
    """PENS: Weiner 2008 was a chronic-pain trial; it says nothing about acute pain."""
    chronic_trial = make("weiner", "sham", NULL, source="weiner-2008", blinded="blinded")
    acute_review = make("plaza", "sham", certainty="low", review=True, duration="acute")
    caveat = Caveat("sham_equals_real", "Control stimulation did as well.", Citation("weiner-2008", "abstract"))
    t = dataclasses.replace(treatment("pens", findings=(chronic_trial, acute_review)), caveats=(caveat,))
    assert sham_caveat(t, "chronic") == caveat
    assert sham_caveat(t, "acute") is None
    # without the cited trial in the record, nothing places the caveat in a phase: it speaks for both
    assert line(acute_review, phase="acute", caveats=(caveat,)).verdict == "little or no better than sham"
    assert line(chronic_trial, acute_review, phase="acute", caveats=(caveat,)).verdict == "may help"
    assert line(chronic_trial, acute_review, caveats=(caveat,)).verdict == "little or no better than sham"
    article = Caveat("sham_equals_real", "It does not matter where the needles go.", Citation("iqwig", "x"))
    assert sham_caveat(dataclasses.replace(t, caveats=(article,)), "acute") == article


# --------------------------------------------------------------------------- §4 durability


def test_an_indirect_null_does_not_cut_short_a_direct_benefit() -> None:
    """CBT: Henschke 2010's behavioural-treatment null at 6-12 months is indirect."""
    direct = make("ahrq-it", certainty="moderate", review=True, weeks=30)
    behavioural = make("henschke-it", effect=NULL, certainty="moderate", review=True, weeks=30, indirect=True)
    lasting = durability([direct, behavioural], "pragmatic", "chronic")
    assert [(w.window, w.benefit, w.none) for w in lasting.windows] == [("intermediate", 5, None)]
    alone = durability([behavioural], "pragmatic", "chronic")
    assert [(w.window, w.none) for w in alone.windows] == [("intermediate", 5)]


def test_a_window_with_results_both_ways_is_disputed() -> None:
    """Relaxation massage at 52 weeks: function still better, bothersomeness not."""
    early = make("10w", weeks=0)
    function = make("52w-function", weeks=42)
    bothersome = make("52w-bothersome", effect=NULL, weeks=42)
    lasting = durability([early, function, bothersome], "pragmatic", "chronic")
    assert (lasting.lasts, lasting.gone_by, lasting.disagree) == ("intermediate", None, True)
    assert durability([early, function], "pragmatic", "chronic").disagree is False


# --------------------------------------------------------------------------- sorting


def _line(verdict: str, short_lived: bool = False) -> BottomLine:
    return BottomLine("chronic", verdict, VERDICT_RANK[verdict], "pragmatic", (), short_lived)  # type: ignore[arg-type]


def test_a_short_lived_benefit_sorts_at_the_foot_of_its_certainty_word() -> None:
    """Interferential current (probably helps, gone by 1-6 months) after CBT (a little, 12+ months)."""
    order = [
        _line("probably helps"),
        _line("probably helps a little"),
        _line("probably helps", short_lived=True),
        _line("probably helps a little", short_lived=True),
        _line("may help"),
        _line("similar to other treatments"),
        _line("similar to other treatments", short_lived=True),
        _line("very uncertain"),
    ]
    ranks = [sort_rank(x) for x in order]
    assert ranks == sorted(ranks, reverse=True)
    assert len(set(ranks)) == len(ranks)


def _implausible() -> Mechanism:
    return Mechanism("magnets heal", "implausible", "no plausible explanation")


def test_best_goes_only_to_a_firm_win() -> None:
    """Kinesiology taping's sham result (one small trial, unrated) may not be called the largest."""
    taping = make("kt", "sham", BENEFIT, people=60, blinded="unclear")
    other = make("other", "sham", SMALL, certainty="moderate", review=True)
    firm = make("firm", "sham", BENEFIT, certainty="moderate", review=True)

    def best(*pairs: tuple[str, Finding]) -> dict[str, tuple[str, ...]]:
        ts = tuple(treatment(name, findings=(f,)) for name, f in pairs)
        store = Store.from_kb(knowledge_base(ts, scales=tuple(SCALES.values())))
        return judgements.best_in_rows([judgements.row(store, t) for t in ts])

    assert "effect:specific" not in best(("taping", taping), ("other", other))
    assert best(("firm", firm), ("other", other))["effect:specific"] == ("firm",)
    assert best(("taping", taping), ("other", other))["certainty:specific"] == ("other",)
