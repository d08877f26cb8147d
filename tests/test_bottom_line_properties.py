"""The invariants of the bottom line (SYNTHESIS.md §2-§3), over generated treatments.

A rule table can be right for the 48 treatments of the shipped knowledge base and still let a
49th through: these properties are checked on treatments hypothesis makes up, with findings of
every comparator, blinding, certainty, size, phase, time, flag and direction.
"""

from __future__ import annotations

import dataclasses
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SCALES, knowledge_base, treatment
from painsci_cli import judgements, profile
from painsci_cli.bottom_line import NULL_SHAM, VERY_UNCERTAIN
from painsci_cli.load.store import Store
from painsci_cli.models import (
    Blinding,
    Caveat,
    Certainty,
    Citation,
    Comparator,
    Effect,
    Finding,
    Indirectness,
    Interval,
    Mechanism,
    Outcome,
    Population,
    Size,
    TimePoint,
    Treatment,
)
from painsci_cli.profile import VERDICT_RANK, BottomLine, Phase

HELPS = frozenset(v for v in VERDICT_RANK if "help" in v)
"""Every verdict that says the treatment helps (GRADE 26: "reduces", "probably reduces" …)."""
CERTAINTIES = (None, "high", "moderate", "low", "very_low", "insufficient")
KINDS = ("sham", "placebo", "usual_care", "waitlist", "no_treatment", "minimal_intervention", "inactive_mixed", "mixed")
EXPLORE = os.environ.get("PAINSCI_EXAMPLES")
PROPERTY = settings(
    max_examples=int(EXPLORE or 150),
    derandomize=not EXPLORE,  # the suite is the same run every time; PAINSCI_EXAMPLES=5000 explores
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
"""150 fixed examples per property in the suite, so a red CI always means the code changed;
`PAINSCI_EXAMPLES=5000 pytest tests/test_bottom_line_properties.py` searches afresh."""


@st.composite
def findings(draw: st.DrawFn, kinds: tuple[str, ...] = (*KINDS, "active"), finding_id: str | None = None) -> Finding:
    """Any between-group finding: a figure on a 0-10 pain scale or only a direction."""
    if draw(st.booleans()):
        estimate = draw(st.sampled_from([-3.0, -1.5, -0.7, -0.2, 0.0, 0.4, 1.2]))
        half = draw(st.sampled_from([0.1, 0.5, 1.0, 2.5]))
        effect: Effect | None = Effect("md", estimate, Interval(estimate - half, estimate + half), "negative")
        direction = None
    else:
        effect = None
        direction = draw(st.sampled_from(["favours_treatment", "no_difference", "favours_comparator", "conflicting"]))
    review = draw(st.booleans())
    certainty = draw(st.sampled_from(CERTAINTIES))
    return Finding(
        id=finding_id or f"f{draw(st.integers(0, 10**9))}",
        cite=Citation(draw(st.sampled_from(["trial-2011", "review-2020"])), "abstract"),
        design="meta_analysis" if review else "rct",
        population=Population(draw(st.sampled_from(["chronic", "subacute_chronic", "mixed", "acute"]))),
        comparator=Comparator(draw(st.sampled_from(kinds)), "control"),  # type: ignore[arg-type]
        size=Size(participants=draw(st.sampled_from([None, 40, 90, 150, 800, 3000])), trials=5 if review else None),
        blinding=Blinding(
            draw(st.sampled_from(["blinded", "not_blinded", "partial", "unclear", "not_reported"])),
            "not_blinded",
            "blinded",
        ),
        outcome=Outcome(draw(st.sampled_from(["pain", "function"])), "Pain", "pain-10"),
        time_point=TimePoint("after", "end_of_treatment", draw(st.sampled_from([None, 0, 8, 30, 60])), None),
        effect=effect,
        result=None if effect else "as reported",
        certainty=None if certainty is None else Certainty("grade", certainty),  # type: ignore[arg-type]
        indirect=Indirectness(population="broader") if draw(st.integers(0, 4)) == 0 else None,
        superseded_by="newer-review" if draw(st.integers(0, 5)) == 0 else None,
        direction=direction,  # type: ignore[arg-type]
    )


@st.composite
def treatments(draw: st.DrawFn, minimum: int = 1) -> Treatment:
    """A treatment with 1-6 findings, any mechanism, sometimes a caveat that a sham did as well."""
    found = tuple(
        dataclasses.replace(f, id=f"f{i}")
        for i, f in enumerate(draw(st.lists(findings(), min_size=minimum, max_size=6)))
    )
    plausibility = draw(st.sampled_from([None, "plausible", "uncertain", "implausible"]))
    caveats = ()
    if draw(st.integers(0, 5)) == 0:
        caveats = (Caveat("sham_equals_real", "A sham did as well.", Citation("trial-2011", "abstract")),)
    return dataclasses.replace(
        treatment("therapy", findings=found),
        mechanism=None if plausibility is None else Mechanism("claim", plausibility, "assessment"),  # type: ignore[arg-type]
        caveats=caveats,
    )


def bottom(t: Treatment, phase: Phase = "chronic") -> BottomLine:
    store = Store.from_kb(knowledge_base((t,), scales=tuple(SCALES.values())))
    return judgements.evidence(store, t, phase).bottom_line


def direct_sham(f: Finding, phase: Phase = "chronic") -> bool:
    """A sham-controlled finding that may speak for the treatment itself in this phase."""
    return (
        profile.question(f) == "specific" and f.indirect is None and not f.superseded_by and phase in profile.phases(f)
    )


# --------------------------------------------------------------------------- the invariants


@PROPERTY
@given(treatments(), st.sampled_from(profile.PHASES))
def test_an_implausible_mechanism_never_raises_the_rank(t: Treatment, phase: Phase) -> None:
    implausible = dataclasses.replace(t, mechanism=Mechanism("claim", "implausible", "no basis"))
    assert bottom(implausible, phase).rank <= bottom(t, phase).rank
    assert bottom(implausible, phase).rank <= VERY_UNCERTAIN


@PROPERTY
@given(treatments())
def test_a_null_sham_result_never_says_it_helps(t: Treatment) -> None:
    found = judgements.evidence(Store.from_kb(knowledge_base((t,), scales=tuple(SCALES.values()))), t, "chronic")
    specific = found.specific
    if specific is not None and not specific.indirect and specific.shows in NULL_SHAM:
        assert found.bottom_line.verdict not in HELPS
        assert found.bottom_line.verdict == "little or no better than sham"
    shams = [f for f in t.findings if direct_sham(f)]
    if shams and all(profile.shows(f) in NULL_SHAM for f in shams):
        assert found.bottom_line.verdict not in HELPS


@PROPERTY
@given(
    treatments(),
    findings(kinds=("sham", "placebo"), finding_id="sham"),
    findings(kinds=("usual_care", "waitlist", "no_treatment"), finding_id="added-usual-care"),
)
def test_an_unblinded_usual_care_result_never_lifts_a_verdict_the_sham_result_speaks_for(
    t: Treatment, sham: Finding, usual: Finding
) -> None:
    """Adding a comparison with usual care, waiting list or no treatment (participants not blinded)
    never upgrades a treatment that has a direct sham-controlled result: usual care is an upper
    bound (SYNTHESIS.md §1), the sham result speaks first."""
    sham = dataclasses.replace(
        sham, indirect=None, superseded_by=None, blinding=Blinding("blinded", "not_blinded", "blinded")
    )
    t = dataclasses.replace(t, findings=(*t.findings, sham))
    # From a source the sham caveat does not cite: a finding of the caveat's own trial would tell
    # which phase that trial studied and so rightly re-scope the caveat (bottom_line.sham_caveat).
    usual = dataclasses.replace(
        usual,
        cite=Citation("review-2020", "abstract"),
        blinding=Blinding("not_blinded", "not_blinded", "not_reported"),
    )
    for phase in profile.PHASES:
        if any(direct_sham(f, phase) for f in t.findings):
            added = dataclasses.replace(t, findings=(*t.findings, usual))
            assert bottom(added, phase).rank <= bottom(t, phase).rank


@PROPERTY
@given(treatments())
def test_removing_a_certainty_never_buys_a_better_verdict(t: Treatment) -> None:
    """An unrated finding in the treatment's favour never counts for more than the same finding
    rated, or than no finding at all ("not rated" weighs like very low at best, §2). When each
    question has one finding, so nothing else can speak instead, the rank simply never rises.

    A result against the treatment (harm, or worse than another treatment) is left out: without
    its certainty it rightly convinces less, and "very uncertain" then ranks above "worse than
    other treatments"."""
    for index, rated in enumerate(t.findings):
        if profile.shows(rated) in ("harm", "unclear", "conflicting"):
            continue
        unrated = dataclasses.replace(rated, certainty=None)
        without_certainty = dataclasses.replace(t, findings=(*t.findings[:index], unrated, *t.findings[index + 1 :]))
        without_finding = dataclasses.replace(t, findings=t.findings[:index] + t.findings[index + 1 :])
        for phase in profile.PHASES:
            rank = bottom(without_certainty, phase).rank
            assert rank <= max(bottom(t, phase).rank, bottom(without_finding, phase).rank)
            questions = [profile.question(f) for f in t.findings if phase in profile.phases(f)]
            if len(questions) == len(set(questions)):
                assert rank <= bottom(t, phase).rank


@PROPERTY
@given(treatments())
def test_removing_every_certainty_leaves_at_most_very_uncertain(t: Treatment) -> None:
    """A treatment whose support is all unrated never outranks a moderate-certainty benefit (§3)."""
    unrated = dataclasses.replace(t, findings=tuple(dataclasses.replace(f, certainty=None) for f in t.findings))
    for phase in profile.PHASES:
        assert bottom(unrated, phase).rank <= VERY_UNCERTAIN


@PROPERTY
@given(treatments())
def test_one_small_trial_never_outranks_a_moderate_certainty_benefit(t: Treatment) -> None:
    small = dataclasses.replace(
        t,
        findings=tuple(dataclasses.replace(f, design="rct", size=Size(participants=60)) for f in t.findings),
    )
    for phase in profile.PHASES:
        assert bottom(small, phase).rank < VERDICT_RANK["probably helps a little"]
        assert bottom(small, phase).rank <= VERY_UNCERTAIN


@PROPERTY
@given(
    st.lists(findings(), min_size=1, max_size=8), st.sampled_from(profile.QUESTIONS), st.sampled_from(profile.PHASES)
)
def test_a_superseded_or_indirect_finding_never_speaks_over_a_direct_current_one(
    found: list[Finding], question: profile.Question, phase: Phase
) -> None:
    t = treatment("therapy")
    entries = [(t, dataclasses.replace(f, id=f"f{i}")) for i, f in enumerate(found)]
    answer = profile.answer(entries, question, phase, SCALES)
    candidates = [f for _, f in entries if profile.question(f) == question and phase in profile.phases(f)]
    if any(f.indirect is None and not f.superseded_by for f in candidates):
        assert answer is not None
        chosen = next(f for _, f in entries if f.id == answer.finding)
        assert chosen.indirect is None
        assert not chosen.superseded_by
