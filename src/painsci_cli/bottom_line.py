"""The bottom line: a small vocabulary of verdicts, computed by ordered rules from a profile.

The rules (SYNTHESIS.md §3), in the order they are tried; each that fires adds a Reason:
1. no finding for the phase: "not studied" (a control such as usual care: "comparator");
2. the sham-controlled result speaks first (§1). A sham did about as well in a trial of this
   phase, or the direct sham-controlled result includes no effect, favours the sham or is
   trivial: "little or no better than sham", whatever usual care showed. An indirect sham result
   (a broader population or intervention) is listed but decides nothing;
3. a benefit: the direct sham-controlled one when there is one, and the usual-care one (an upper
   bound) never raises it; else the usual-care one. The word follows that finding's own GRADE
   certainty, one step lower for each way the evidence is indirect (a broader population or
   intervention; acute and chronic pain pooled), with "a little" when small; one small
   trial, under 100 people, unrated or very low certainty: "very uncertain"; a finding at the
   same time that disagrees lowers the certainty one step when it is better blinded or larger
   (or neither size is known); an implausible
   mechanism caps every verdict at "very uncertain";
4. otherwise, or when that is "very uncertain" and other treatments were compared with at least
   moderate certainty, the comparison with other treatments decides, or "no clear benefit".
Invariants (tested over generated knowledge bases): an implausible treatment, or one whose
support is unrated or one small trial, never outranks one with moderate-certainty benefit; a
treatment whose direct sham-controlled result includes no effect is never said to help; adding a
usual-care result never raises a verdict that a direct sham result speaks for.
"""

from __future__ import annotations

from collections.abc import Sequence

from .derive import CERTAINTY_RANK
from .durability import WINDOW_WORDS
from .models import Caveat, Finding, Treatment
from .profile import (
    CERTAINTY_WEIGHT,
    SMALL_SIZES,
    SMALL_TRIAL,
    TRIAL_MCID_MISSED,
    VERDICT_RANK,
    Answer,
    BottomLine,
    Durability,
    Phase,
    Question,
    Reason,
    Verdict,
    phases,
)

CERTAINTY_WORDS: dict[str | None, str] = {
    "high": "high",
    "moderate": "moderate",
    "low": "low",
    "very_low": "very low",
    "insufficient": "insufficient",
    None: "not rated",
}

REASONS: dict[str, str] = {
    "comparator": "a control that trials compare treatments with, not a treatment",
    "not_studied": "no between-group finding for this phase of pain in the sources used",
    "implausible_mechanism": "the claimed mechanism contradicts basic science",
    "sham_did_as_well": "a sham did about as well as the real treatment in a trial",
    "sham_indirect": "the sham-controlled result is indirect (a broader population or intervention), so it "
    "decides nothing here",
    "trivial_effect": "the difference from the sham is trivial: below the smallest size class or wholly "
    "below the trial's own MCID",
    "sham_first": "the sham-controlled result speaks first; the larger effect against usual care, an upper "
    "bound, does not raise it",
    "capped_by_plausibility": "an implausible mechanism caps the verdict at very uncertain",
    "single_small_trial": f"the benefit rests on one trial of fewer than {SMALL_TRIAL} people",
    "few_participants": f"the benefit rests on fewer than {SMALL_TRIAL} people in all",
    "indirect": "the evidence is indirect (a broader population or intervention): certainty one step lower",
    "mixed_phases": "the population pools acute and chronic pain, or does not say which: certainty one step lower",
    "sources_disagree": "a finding at the same time and on the same outcome that is better blinded or larger "
    "(or of unknown size, as the one that speaks) disagrees",
    "certainty_not_rated": "the source did not rate the certainty of the benefit (weighed like very low)",
    "certainty_very_low": "certainty of the benefit: very low",
    "small_effect": "the benefit is small",
    "upper_bound": "against an unblinded control: an upper bound (frustrebo, nonspecific effects)",
    "no_difference": "the best evidence found no clear difference",
    "unclear": "the sources used give no clear direction",
    "short_lived": "the benefit was gone at a later time point",
    "relative_decides": "against inactive controls the evidence is unclear or uncertain; against other "
    "treatments it is firmer",
}
"""Every rule of the bottom line by its code; the glossary explains each (painsci glossary CODE).
Answer reasons are coded QUESTION_SHOWS, e.g. specific_no_difference."""

VERY_UNCERTAIN = VERDICT_RANK["very uncertain"]
NULL_SHAM = frozenset({"no_difference", "conflicting", "harm"})
"""What a direct sham-controlled result may show for the verdict to be "little or no better than sham"."""


def _reason(code: str, detail: str | None = None) -> Reason:
    return Reason(code, detail or REASONS[code])


def sham_caveat(treatment: Treatment, phase: Phase, findings: Sequence[Finding] = ()) -> Caveat | None:
    """The caveat that a sham did about as well, when it speaks for this phase.

    A trial in chronic pain says nothing about acute pain (directness, §2): a caveat that cites
    a source with findings applies to the phases of those findings; one that cites no finding
    (an article, IQWiG) applies to every phase.
    """
    for caveat in treatment.caveats:
        if caveat.kind != "sham_equals_real":
            continue
        cited = [f for f in (*treatment.findings, *findings) if f.cite.source == caveat.cite.source]
        if not cited or any(phase in phases(f) for f in cited):
            return caveat
    return None


def bottom_line(
    treatment: Treatment, answers: dict[Question, Answer | None], phase: Phase, findings: Sequence[Finding]
) -> BottomLine:
    """The verdict for one phase by ordered rules; each rule that fires adds its reason."""
    reasons: list[Reason] = []
    specific, pragmatic, relative = answers["specific"], answers["pragmatic"], answers["relative"]
    implausible = treatment.mechanism is not None and treatment.mechanism.plausibility == "implausible"

    def done(verdict: Verdict, basis: Question | None) -> BottomLine:
        if implausible and VERDICT_RANK[verdict] > VERY_UNCERTAIN:
            reasons.append(_reason("capped_by_plausibility"))
            verdict = "very uncertain"
        return BottomLine(phase, verdict, VERDICT_RANK[verdict], basis, tuple(reasons))

    if treatment.category == "comparator" and not findings:
        reasons.append(_reason("comparator"))
        return done("comparator", None)
    if not findings:
        reasons.append(
            _reason("not_studied", f"no between-group finding for {phase} low back pain in the sources used")
        )
        return done("not studied", None)
    if implausible:
        reasons.append(_reason("implausible_mechanism"))

    # 1. The specific question decides first: a treatment no better than sham does not "help".
    direct = specific if specific is not None and not specific.indirect else None
    if specific is not None:
        reasons.append(_answer_reason(specific))
        if direct is None:
            reasons.append(_reason("sham_indirect"))
    if sham_caveat(treatment, phase, findings) is not None:
        reasons.append(_reason("sham_did_as_well"))
        return done("little or no better than sham", "specific")
    if direct is not None and direct.shows in NULL_SHAM:
        return done("little or no better than sham", "specific")
    if direct is not None and direct.shows == "benefit" and _trivial(direct):
        reasons.append(_reason("trivial_effect"))
        return done("little or no better than sham", "specific")

    # 2. What speaks for benefit: the direct sham-controlled answer when there is one (usual care,
    #    an upper bound, never raises it), else the answer against usual care.
    if pragmatic is not None:
        reasons.append(_answer_reason(pragmatic))
    speaking = direct if direct is not None else pragmatic
    if direct is not None and pragmatic is not None and pragmatic.shows == "benefit":
        sham_allows = _benefit_verdict(direct, []) if direct.shows == "benefit" else "very uncertain"
        if VERDICT_RANK[_benefit_verdict(pragmatic, [])] > VERDICT_RANK[sham_allows]:
            reasons.append(_reason("sham_first"))
    if speaking is not None and speaking.shows == "benefit":
        verdict = _benefit_verdict(speaking, reasons)
        compared = _relative_verdict(relative) if _certain(relative) else None
        if VERDICT_RANK[verdict] <= VERY_UNCERTAIN and relative is not None and compared is not None:
            reasons.extend((_reason("relative_decides"), _answer_reason(relative)))
            return done(compared, "relative")
        return done(verdict, speaking.question)
    if speaking is not None and speaking.shows == "harm":
        return done("may do harm", speaking.question)
    if speaking is not None and speaking.shows == "no_difference" and not _certain(relative):
        reasons.append(_reason("no_difference"))
        return done("no clear benefit", speaking.question)

    # 3. Only comparisons with other treatments (or nothing clear against inactive controls).
    if relative is not None and (compared := _relative_verdict(relative)) is not None:
        if pragmatic is not None or specific is not None:
            reasons.append(_reason("relative_decides"))
        reasons.append(_answer_reason(relative))
        return done(compared, "relative")
    if speaking is not None and speaking.shows == "no_difference":
        return done("no clear benefit", speaking.question)
    if speaking is not None or specific is None:
        reasons.append(_reason("unclear"))
    basis: Question | None = speaking.question if speaking else ("specific" if specific else None)
    return done("very uncertain", basis)


def _small(answer_: Answer) -> bool:
    """A small effect or less: the verdict says "a little"."""
    return answer_.magnitude in SMALL_SIZES or (answer_.mcid in TRIAL_MCID_MISSED and answer_.mcid_basis == "trial")


def _trivial(answer_: Answer) -> bool:
    """Below the smallest size class, or wholly below the trial's own MCID: "little or no".

    The Ostelo thresholds describe change within one patient; a group difference below them is
    not called trivial for that reason alone (DOMAIN.md).
    """
    return answer_.magnitude == "below_small" or (answer_.mcid == "whole_ci_below" and answer_.mcid_basis == "trial")


def _weight(answer_: Answer) -> int:
    """The answer's own certainty, one step lower for each way it is indirect (GRADE's
    indirectness, §2): a broader population or intervention, and a population that pools acute
    and chronic pain or does not say which it had, when the verdict is for one phase."""
    return (
        CERTAINTY_WEIGHT[answer_.certainty]
        - (1 if answer_.indirect else 0)
        - (1 if "mixed_phases" in answer_.flags else 0)
    )


def _certain(answer_: Answer | None) -> bool:
    return answer_ is not None and _weight(answer_) >= CERTAINTY_RANK["moderate"]


def _benefit_verdict(speaking: Answer, reasons: list[Reason]) -> Verdict:
    """GRADE guideline 26: certainty sets the word, size adds "a little" (§7)."""
    weight = _weight(speaking)
    if speaking.indirect:
        reasons.append(_reason("indirect"))
    if "mixed_phases" in speaking.flags:
        reasons.append(_reason("mixed_phases"))
    if "single_small_trial" in speaking.flags:
        reasons.append(_reason("single_small_trial"))
        return "very uncertain"
    if "few_participants" in speaking.flags:
        reasons.append(_reason("few_participants"))
        return "very uncertain"
    if speaking.disagreeing:
        count = len(speaking.disagreeing)
        reasons.append(
            Reason("sources_disagree", f"{count} better-blinded or larger finding(s) at the same time disagree")
        )
        weight -= 1
    if weight <= CERTAINTY_RANK["very_low"]:
        own = CERTAINTY_WEIGHT[speaking.certainty]
        if speaking.certainty is None and weight == own:
            reasons.append(_reason("certainty_not_rated"))
        elif weight < own:
            said = CERTAINTY_WORDS[speaking.certainty]
            reasons.append(
                _reason("certainty_very_low", f"certainty of the benefit: very low once lowered (the source: {said})")
            )
        else:
            reasons.append(_reason("certainty_very_low"))
        return "very uncertain"
    small = _small(speaking)
    if small:
        reasons.append(_reason("small_effect"))
    if speaking.question == "pragmatic":
        reasons.append(_reason("upper_bound"))
    if weight >= CERTAINTY_RANK["high"]:
        return "helps a little" if small else "helps"
    if weight >= CERTAINTY_RANK["moderate"]:
        return "probably helps a little" if small else "probably helps"
    return "may help a little" if small else "may help"


def _relative_verdict(relative: Answer | None) -> Verdict | None:
    """A small difference from another real treatment is "similar"; only a firmer, larger one is
    "better"; one small trial, as for any benefit, leaves it "very uncertain"."""
    if relative is None or relative.shows in ("conflicting", "unclear"):
        return None
    if {"single_small_trial", "few_participants"} & set(relative.flags):
        return "very uncertain"
    if relative.shows == "harm":
        return "worse than other treatments"
    if relative.shows == "no_difference" or (relative.shows == "benefit" and _small(relative)):
        return "similar to other treatments" if _weight(relative) >= CERTAINTY_RANK["low"] else "very uncertain"
    return "better than other treatments" if _certain(relative) else "very uncertain"  # a larger benefit


def _answer_reason(answer_: Answer) -> Reason:
    words = {
        "specific": "against sham or placebo",
        "pragmatic": "against usual care, waiting list or no treatment",
        "relative": "against other treatments",
    }[answer_.question]
    shown = {
        "benefit": "a benefit",
        "no_difference": "no clear difference",
        "harm": "a result favouring the control",
        "conflicting": "conflicting results",
        "unclear": "no clear direction",
    }[answer_.shows]
    code = f"{answer_.question}_{answer_.shows}"
    indirect = ("; indirect" if answer_.indirect else "") + (
        "; acute and chronic pooled" if "mixed_phases" in answer_.flags else ""
    )
    return Reason(
        code, f"{words}: {shown} (certainty {CERTAINTY_WORDS[answer_.certainty]}{indirect}; {answer_.finding})"
    )


TIER_FLOOR: dict[int, int] = {14: 13, 13: 13, 12: 11, 11: 11, 10: 9, 9: 9, 8: 8, 7: 7}
"""The lowest rank that shares a verdict's certainty word (helps / probably helps / may help)."""


def sort_rank(line: BottomLine) -> float:
    """The rank `--sort bottom-line` uses: certainty first, then durability, then size (§3, §4).

    A short-lived benefit goes to the foot of its certainty tier: "probably helps, short-lived"
    after a lasting "probably helps a little", before any "may help". Passive treatments that help
    briefly, if at all (IQWiG), never rank above active ones that help as surely and for longer.
    """
    if not line.short_lived or line.rank not in TIER_FLOOR:
        return float(line.rank)
    floor = TIER_FLOOR[line.rank]
    return floor - 0.5 + (0.25 if line.rank > floor else 0.0)


def with_durability(line: BottomLine, lasting: Durability) -> BottomLine:
    """The verdict marked short-lived when the benefit it rests on was gone by a later window."""
    if lasting.gone_by is None or line.rank < VERDICT_RANK["similar to other treatments"]:
        return line
    reason = _reason("short_lived", f"the benefit was gone {WINDOW_WORDS[lasting.gone_by]} the end of treatment")
    return BottomLine(line.phase, line.verdict, line.rank, line.basis, (*line.reasons, reason), short_lived=True)
