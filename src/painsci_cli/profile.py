"""The evidence profile of a treatment for one phase of low back pain, and its bottom line.

Compression is where an evidence tool starts to lie, so every compact view (list, compare,
explain, the summary card, the handout) is built from this one module, which follows the rules
of SYNTHESIS.md with their sources:

- Three questions are never merged (§1): does the treatment itself do anything (vs sham or
  placebo, the *specific* effect), is it better than what people get anyway (vs usual care,
  waiting list or no treatment, the *pragmatic* effect: an upper bound, unblinded), and is it
  better than another real treatment (the *relative* effect).
- For each question one finding speaks (§2), chosen by GRADE's logic in this order: currency (a
  superseded review never speaks first), directness (the phase asked about, not a broader
  population or intervention), the certainty of that very finding ("not rated" weighs like very
  low), a review over a single trial, a figure over a direction, pain over function, then the
  larger. Every flag that applies travels with it. A sham or placebo answers the first question
  only when its participants could not tell their group.
- The bottom line (§3) is a small vocabulary of words, computed by the ordered rules in
  `bottom_line`, each rule that fired listed as a reason. Its invariants: an implausible
  treatment, or one whose support is unrated or one small trial, never outranks one with
  moderate-certainty benefit; a treatment whose sham-controlled result includes no effect is
  never said to help.
- Durability (§4) is the series of AHRQ windows with a benefit, with none, and without a
  result, with the number of trials behind each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from . import derive
from .derive import CERTAINTY_RANK, Window
from .models import Finding, Scale, Treatment
from .records import Record, record
from .vocabulary import CertaintyLevel, ComparatorKind, Duration

Phase = Literal["acute", "chronic"]
"""acute covers acute and subacute pain (under 12 weeks); chronic is 12 weeks or more."""
PHASES: tuple[Phase, ...] = ("chronic", "acute")
Question = Literal["specific", "pragmatic", "relative"]
QUESTIONS: tuple[Question, ...] = ("specific", "pragmatic", "relative")
Shows = Literal["benefit", "no_difference", "harm", "conflicting", "unclear"]
Flag = Literal[
    "indirect_population",
    "indirect_intervention",
    "superseded",
    "not_rated",
    "single_small_trial",
    "few_participants",
    "mixed_phases",
    "unblinded_control",
    "scale_inferred",
    "scale_unnamed",
    "secondary_reading",
    "no_ci",
]
Verdict = Literal[
    "helps",
    "probably helps",
    "may help",
    "helps a little",
    "probably helps a little",
    "may help a little",
    "similar to other treatments",
    "better than other treatments",
    "very uncertain",
    "no clear benefit",
    "little or no better than sham",
    "worse than other treatments",
    "may do harm",
    "not studied",
    "comparator",
]
VERDICT_RANK: dict[Verdict, int] = {
    "helps": 14,
    "helps a little": 13,
    "probably helps": 12,
    "probably helps a little": 11,
    "may help": 10,
    "may help a little": 9,
    "better than other treatments": 8,
    "similar to other treatments": 7,
    "very uncertain": 6,
    "no clear benefit": 5,
    "little or no better than sham": 4,
    "worse than other treatments": 3,
    "may do harm": 2,
    "not studied": 1,
    "comparator": 0,
}
"""Order for --sort: the strength of the claim first (certainty), then its size. A verdict that
rests on unrated or very-low-certainty evidence ranks below every moderate-certainty benefit."""

QUESTION_OF: dict[ComparatorKind, Question] = {
    "sham": "specific",
    "placebo": "specific",
    "usual_care": "pragmatic",
    "waitlist": "pragmatic",
    "no_treatment": "pragmatic",
    "minimal_intervention": "pragmatic",
    "inactive_mixed": "pragmatic",
    "mixed": "pragmatic",
    "active": "relative",
}
"""Mixed controls (some sham, some usual care or medication) are read as pragmatic: what they
show is at most an upper bound on the specific effect."""

PHASES_OF: dict[Duration, tuple[Phase, ...]] = {
    "acute": ("acute",),
    "subacute": ("acute",),
    "acute_subacute": ("acute",),
    "chronic": ("chronic",),
    "subacute_chronic": ("chronic",),
    "mixed": ("acute", "chronic"),
}
"""Subacute-and-chronic populations (the usual "non-acute" reviews) speak for chronic pain;
reviews that pool every phase speak for both, flagged as mixed."""

MCID_BASIS: dict[str, Literal["trial", "review", "individual"]] = {
    "trial_prespecified": "trial",
    "review_threshold": "review",
    "individual_consensus": "individual",
}
SMALL_TRIAL = 100
"""A single trial with fewer participants than this is flagged small (SYNTHESIS.md §2)."""
CERTAINTY_WEIGHT: dict[str | None, int] = {**dict(CERTAINTY_RANK.items()), "insufficient": 1, None: 1}
"""How much a finding's own certainty weighs. One the source did not rate weighs like very low,
never like low or better (§2), and no rated finding weighs less, so removing a rating can never
make a finding count for more: AHRQ's "insufficient" weighs like GRADE's "very low", its
counterpart (DOMAIN.md)."""
REVIEWS = frozenset({"systematic_review", "meta_analysis", "ipd_meta_analysis", "review_of_reviews"})
OUTCOME_RANK = {"pain": 3, "function": 2, "bothersomeness": 1}
WINDOW_ORDER: tuple[Window, ...] = ("immediate", "short", "intermediate", "long")
SMALL_SIZES = frozenset({"small", "below_small", "below_moderate"})
UNBLINDED = frozenset({"not_blinded", "partial"})
"""Participant blinding that makes a sham or placebo comparison no test of the treatment itself."""
TRIAL_MCID_MISSED = frozenset({"estimate_below_ci_crosses", "whole_ci_below", "estimate_below_no_ci"})


# --------------------------------------------------------------------------- records


@record
class Reason(Record):
    """One rule of the bottom line that fired, as a code (glossary entry) and a sentence."""

    code: str
    text: str


@record
class Answer(Record):
    """The finding that speaks for one question in one phase, and what it shows."""

    question: Question
    finding: str
    treatment: str
    """The treatment that holds the finding (a sub-type, when a parent has none of its own)."""
    shows: Shows
    certainty: CertaintyLevel | None
    """The finding's own certainty (the lower end of a printed range); null: not rated."""
    certainty_up_to: CertaintyLevel | None
    """The upper end when the source printed a range ("very low to low")."""
    magnitude: derive.Magnitude | None
    """Size class computed from the figure, or the source's own (AHRQ) class; null if neither."""
    unit: str | None
    """What the figure is measured in ("smd", "md:rdq-23", "rr"); null without a figure. Only
    answers in the same unit may be ranked against each other."""
    mcid: derive.McidVerdict
    mcid_basis: Literal["trial", "review", "individual"] | None
    """Whose threshold the MCID verdict uses: the trial's own, a review's, or Ostelo's individual-level one."""
    bias_risk: derive.Risk
    indirect: bool
    """The population or intervention is broader than this treatment for low back pain."""
    flags: tuple[Flag, ...]
    trials: int | None
    participants: int | None
    disagreeing: tuple[str, ...]
    """Other direct, current findings for the same question, outcome and time that show something
    else and are better blinded or larger, or of unknown size like it (see `_disagrees`)."""
    others: int
    """How many other findings answer the same question in this phase."""


@record
class WindowResult(Record):
    """What was found in one AHRQ window (counted from the end of treatment) for one question."""

    window: Window
    benefit: int | None
    """Trials behind the largest finding whose 95% CI excluded no effect in the treatment's favour
    (outcomes of one review share trials, so they are not added up); 0: the number is not stated;
    null: no such finding."""
    none: int | None
    """Trials behind the largest finding that showed no significant difference (0: not stated)."""


@record
class Durability(Record):
    """How long a benefit was shown, from the series of findings that answer one question."""

    question: Question | None
    windows: tuple[WindowResult, ...]
    """Only the windows with a result; a window absent here has no result in the sources used."""
    lasts: Window | None
    """The latest window with a benefit before any window with none."""
    gone_by: Window | None
    """The first window after `lasts` in which no benefit was found."""
    disagree: bool
    """Sources disagree: a later window shows a benefit again after one without, or the window
    the benefit lasts to also holds a result without one."""
    unknown_time: int
    """Findings for the question whose time point cannot be placed in a window."""
    text: str


@record
class BottomLine(Record):
    """The one-glance verdict, always words, with the rules that produced it."""

    phase: Phase
    verdict: Verdict
    rank: int
    basis: Question | None
    """Which question's answer the verdict rests on."""
    reasons: tuple[Reason, ...]
    short_lived: bool = False
    """The benefit the verdict rests on was gone by a later window (see the durability)."""


@record
class EvidenceProfile(Record):
    """Everything the compact views say about one treatment in one phase."""

    treatment: str
    phase: Phase
    specific: Answer | None
    pragmatic: Answer | None
    relative: Answer | None
    durability: Durability
    bottom_line: BottomLine
    from_subtypes: bool
    """No finding of its own in this phase: the answers come from its sub-types."""

    def answer(self, question: Question) -> Answer | None:
        return {"specific": self.specific, "pragmatic": self.pragmatic, "relative": self.relative}[question]


# --------------------------------------------------------------------------- one finding


def phases(finding: Finding) -> tuple[Phase, ...]:
    return PHASES_OF[finding.population.duration]


def question(finding: Finding) -> Question:
    """Which of the three questions a finding answers (SYNTHESIS.md §1).

    A sham or placebo tests the treatment itself only when participants could not tell which
    group they were in: against an oral placebo tablet, people wearing a heat wrap know they are
    heated, so that comparison is read like usual care, an upper bound.
    """
    asked = QUESTION_OF[finding.comparator.kind]
    if asked == "specific" and finding.blinding is not None and finding.blinding.participants in UNBLINDED:
        return "pragmatic"
    return asked


def shows(finding: Finding) -> Shows:
    """What a finding shows: from its CI when it has a figure, else from the reported direction."""
    if finding.effect is None:
        return {
            "favours_treatment": "benefit",
            "no_difference": "no_difference",
            "favours_comparator": "harm",
            "conflicting": "conflicting",
        }.get(finding.direction or "unclear", "unclear")  # type: ignore[return-value]
    if derive.significant(finding) is None:
        return "unclear"
    if not derive.significant(finding):
        return "no_difference"
    return "benefit" if derive.favours_treatment(finding) else "harm"


def trials(finding: Finding) -> int | None:
    """Trials behind a finding: 1 for a trial, the review's count (None when not stated)."""
    if finding.design in REVIEWS:
        return finding.size.trials
    return 1


def participants(finding: Finding) -> int | None:
    if finding.size.participants is not None:
        return finding.size.participants
    if finding.size.arms:
        return sum(arm.n for arm in finding.size.arms)
    return None


def single_small_trial(finding: Finding) -> bool:
    """One trial (or a review holding one) with fewer than SMALL_TRIAL participants."""
    count = participants(finding)
    return trials(finding) == 1 and count is not None and count < SMALL_TRIAL


def certainty_of(finding: Finding) -> CertaintyLevel | None:
    return finding.certainty.level if finding.certainty else None


def magnitude_of(finding: Finding, scale: Scale | None) -> derive.Magnitude | None:
    if finding.effect is None:
        stated = finding.stated_magnitude
        return None if stated is None else ("no_difference" if stated == "none" else stated)
    if finding.outcome.scale_unnamed:
        return None
    label = derive.magnitude(finding, scale).label
    return None if label == "not_classified" else label


def flags(finding: Finding, phase: Phase) -> tuple[Flag, ...]:
    """Every caution that applies to this finding for this phase, in a fixed order."""
    found: list[Flag] = []
    if finding.indirect is not None and finding.indirect.population:
        found.append("indirect_population")
    if finding.indirect is not None and finding.indirect.intervention:
        found.append("indirect_intervention")
    if finding.superseded_by:
        found.append("superseded")
    if finding.certainty is None:
        found.append("not_rated")
    if single_small_trial(finding):
        found.append("single_small_trial")
    elif (count := participants(finding)) is not None and count < SMALL_TRIAL:
        found.append("few_participants")
    if len(phases(finding)) > 1:
        found.append("mixed_phases")
    if derive.blinding_risk(finding).risk == "high" and question(finding) == "pragmatic":
        found.append("unblinded_control")
    if finding.outcome.scale_inferred:
        found.append("scale_inferred")
    if finding.outcome.scale_unnamed:
        found.append("scale_unnamed")
    if finding.cite.reading == "secondary":
        found.append("secondary_reading")
    if finding.effect is not None and finding.effect.ci95 is None:
        found.append("no_ci")
    return tuple(found)


def speaking_order(finding: Finding, phase: Phase, position: int) -> tuple[int, ...]:
    """Larger speaks first: SYNTHESIS.md §2 in order, then KB order (earlier first).

    Currency is tried before directness because a superseded review "never speaks first" (§2.2):
    not even over a current one that pools acute and chronic pain.
    """
    directness = 0 if finding.indirect is not None else (1 if len(phases(finding)) > 1 else 2)
    count = participants(finding)
    window = derive.time_window(finding).window
    return (
        0 if finding.superseded_by else 1,
        directness,
        CERTAINTY_WEIGHT[certainty_of(finding)],
        1 if finding.design in REVIEWS else 0,
        1 if finding.effect is not None and finding.effect.ci95 is not None else 0,
        OUTCOME_RANK.get(finding.outcome.construct, 0),
        count if count is not None else -1,
        1 if window in ("immediate", "short") else 0,
        -position,
    )


# --------------------------------------------------------------------------- one question


def answer(
    entries: Sequence[tuple[Treatment, Finding]], question_: Question, phase: Phase, scales: dict[str, Scale]
) -> Answer | None:
    """The finding that speaks for `question_` in `phase`, with what the others say."""
    candidates = [(i, t, f) for i, (t, f) in enumerate(entries) if question(f) == question_ and phase in phases(f)]
    if not candidates:
        return None
    _, owner, chosen = max(candidates, key=lambda c: speaking_order(c[2], phase, c[0]))
    said = shows(chosen)
    disagreeing = tuple(f.id for _, _, f in candidates if f is not chosen and _disagrees(f, chosen))
    scale = scales.get(chosen.outcome.scale) if chosen.outcome.scale else None
    check = derive.mcid_check(chosen)
    return Answer(
        question=question_,
        finding=chosen.id,
        treatment=owner.id,
        shows=said,
        certainty=certainty_of(chosen),
        certainty_up_to=chosen.certainty.up_to if chosen.certainty else None,
        magnitude=magnitude_of(chosen, scale),
        unit=_unit(chosen),
        mcid=check.verdict,
        mcid_basis=MCID_BASIS.get(check.basis or ""),
        bias_risk=derive.blinding_risk(chosen).risk,
        indirect=chosen.indirect is not None,
        flags=flags(chosen, phase),
        trials=trials(chosen),
        participants=participants(chosen),
        disagreeing=disagreeing,
        others=len(candidates) - 1,
    )


def _unit(finding: Finding) -> str | None:
    effect = finding.effect
    if effect is None:
        return None
    return f"{effect.measure}:{finding.outcome.scale}" if effect.measure == "md" else effect.measure


def _disagrees(other: Finding, chosen: Finding) -> bool:
    """A direct, current finding on the same outcome at the same time that shows otherwise, and
    is better blinded or larger than the one that speaks (or neither size is known).

    SYNTHESIS.md §3 asks whether the best-blinded or the largest trial agrees with the pooled
    estimate; a smaller or less blinded result that differs is ordinary scatter, not
    inconsistency (one 1990 trial does not outweigh 35 trials of exercise).
    Results at different times are durability, not disagreement; results on different outcomes
    answer different things. Certainty plays no part, so an unrated dissent counts as much as a
    rated one.
    """
    clear = ("benefit", "no_difference", "harm")
    if other.indirect is not None or other.superseded_by or shows(other) not in clear or shows(chosen) not in clear:
        return False
    if other.outcome.construct != chosen.outcome.construct or shows(other) == shows(chosen):
        return False
    here, there = derive.time_window(chosen).window, derive.time_window(other).window
    return (here == there or "unknown" in (here, there)) and _weighs_against(other, chosen)


def _weighs_against(other: Finding, chosen: Finding) -> bool:
    """Participants blinded where the chosen finding's were not, more participants, or no size
    known for either (nothing tells them apart)."""
    if _blinded(other) and not _blinded(chosen):
        return True
    mine, theirs = participants(chosen), participants(other)
    if mine is None and theirs is None:
        return True
    return mine is not None and theirs is not None and theirs > mine


def _blinded(finding: Finding) -> bool:
    return finding.blinding is not None and finding.blinding.participants == "blinded"
