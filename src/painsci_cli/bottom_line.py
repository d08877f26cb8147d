"""The bottom line: a small vocabulary of verdicts, computed by ordered rules from a profile.

The rules (SYNTHESIS.md §3), in the order they are tried; each that fires adds a Reason:
1. no finding for the phase: "not studied" (a control such as usual care: "comparator");
2. a sham did about as well in a trial, or the direct sham-controlled result includes no effect
   or is trivial: "little or no better than sham", whatever usual care showed;
3. a benefit, sham-controlled or against usual care (an upper bound), whichever supports the
   stronger claim: the word follows that finding's own GRADE certainty, "a little" when small;
   one small trial, under 100 people, unrated or very low certainty: "very uncertain"; findings
   that disagree at the same time lower the certainty one step; an implausible mechanism caps
   the verdict at "very uncertain";
4. otherwise the comparison with other treatments decides, or "no clear benefit".
Invariants (tested over generated knowledge bases): an implausible treatment, or one whose
support is unrated or one small trial, never outranks one with moderate-certainty benefit; a
treatment whose direct sham-controlled result includes no effect is never said to help.
"""

from __future__ import annotations

from collections.abc import Sequence

from .derive import CERTAINTY_RANK
from .durability import WINDOW_WORDS
from .models import Finding, Treatment
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
    "capped_by_plausibility": "an implausible mechanism caps the verdict at very uncertain",
    "single_small_trial": f"the benefit rests on one trial of fewer than {SMALL_TRIAL} people",
    "few_participants": f"the benefit rests on fewer than {SMALL_TRIAL} people in all",
    "sources_disagree": "other findings at the same time and on the same outcome disagree",
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


def _reason(code: str, detail: str | None = None) -> Reason:
    return Reason(code, detail or REASONS[code])


def bottom_line(
    treatment: Treatment, answers: dict[Question, Answer | None], phase: Phase, findings: Sequence[Finding]
) -> BottomLine:
    """The verdict for one phase by ordered rules; each rule that fires adds its reason."""
    reasons: list[Reason] = []
    specific, pragmatic, relative = answers["specific"], answers["pragmatic"], answers["relative"]
    implausible = treatment.mechanism is not None and treatment.mechanism.plausibility == "implausible"
    sham_did_as_well = any(c.kind == "sham_equals_real" for c in treatment.caveats)

    def done(verdict: Verdict, basis: Question | None) -> BottomLine:
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
    direct_specific = specific if specific is not None and specific.indirect is False else None
    if specific is not None:
        reasons.append(_answer_reason(specific))
    if sham_did_as_well:
        reasons.append(_reason("sham_did_as_well"))
        return done("little or no better than sham", "specific")
    if direct_specific is not None and (
        direct_specific.shows in ("no_difference", "conflicting")
        or (direct_specific.shows == "benefit" and _trivial(direct_specific))
    ):
        return done("little or no better than sham", "specific")

    # 2. What speaks for benefit: a sham-controlled benefit, or the pragmatic answer (an upper
    #    bound), whichever supports the stronger claim; both are listed.
    speaking = pragmatic
    if pragmatic is not None:
        reasons.append(_answer_reason(pragmatic))
    if direct_specific is not None and direct_specific.shows == "benefit":
        trial: list[Reason] = []
        if (
            pragmatic is None
            or pragmatic.shows != "benefit"
            or VERDICT_RANK[_benefit_verdict(direct_specific, trial)] >= VERDICT_RANK[_benefit_verdict(pragmatic, [])]
        ):
            speaking = direct_specific
    if speaking is not None and speaking.shows == "benefit":
        verdict = _benefit_verdict(speaking, reasons)
        if implausible and VERDICT_RANK[verdict] > VERDICT_RANK["very uncertain"]:
            reasons.append(_reason("capped_by_plausibility"))
            verdict = "very uncertain"
        relative_verdict = _relative_verdict(relative, reasons) if relative is not None else None
        if (
            relative is not None
            and relative_verdict is not None
            and VERDICT_RANK[verdict] <= VERDICT_RANK["very uncertain"]
            and _certain(relative)
        ):
            reasons.append(_reason("relative_decides"))
            reasons.append(_answer_reason(relative))
            return done(relative_verdict, "relative")
        return done(verdict, speaking.question)
    if speaking is not None and speaking.shows == "harm":
        return done("may do harm", speaking.question)
    if speaking is not None and speaking.shows == "no_difference" and not _certain(relative):
        reasons.append(_reason("no_difference"))
        return done("no clear benefit", speaking.question)

    # 3. Only comparisons with other treatments (or nothing clear against inactive controls).
    if relative is not None:
        if pragmatic is not None or specific is not None:
            reasons.append(_reason("relative_decides"))
        reasons.append(_answer_reason(relative))
        compared = _relative_verdict(relative, reasons)
        if compared is not None:
            if implausible and VERDICT_RANK[compared] > VERDICT_RANK["very uncertain"]:
                compared = "very uncertain"
            return done(compared, "relative")
    if speaking is not None and speaking.shows == "no_difference":
        return done("no clear benefit", speaking.question)
    reasons.append(_reason("unclear"))
    return done("very uncertain", speaking.question if speaking else None)


def _small(answer_: Answer) -> bool:
    """A small effect or less: the verdict says "a little"."""
    return answer_.magnitude in SMALL_SIZES or (answer_.mcid in TRIAL_MCID_MISSED and answer_.mcid_basis == "trial")


def _trivial(answer_: Answer) -> bool:
    """Below the smallest size class, or wholly below the trial's own MCID: "little or no".

    The Ostelo thresholds describe change within one patient; a group difference below them is
    not called trivial for that reason alone (DOMAIN.md).
    """
    return answer_.magnitude == "below_small" or (answer_.mcid == "whole_ci_below" and answer_.mcid_basis == "trial")


def _certain(answer_: Answer | None) -> bool:
    return answer_ is not None and CERTAINTY_WEIGHT[answer_.certainty] >= CERTAINTY_RANK["moderate"]


def _benefit_verdict(speaking: Answer, reasons: list[Reason]) -> Verdict:
    """GRADE guideline 26: certainty sets the word, size adds "a little" (§7)."""
    weight = CERTAINTY_WEIGHT[speaking.certainty]
    if "single_small_trial" in speaking.flags:
        reasons.append(_reason("single_small_trial"))
        return "very uncertain"
    if "few_participants" in speaking.flags:
        reasons.append(_reason("few_participants"))
        return "very uncertain"
    if speaking.disagreeing:
        reasons.append(
            Reason("sources_disagree", f"{len(speaking.disagreeing)} other finding(s) at the same time disagree")
        )
        weight -= 1
    if weight <= CERTAINTY_RANK["very_low"]:
        reasons.append(_reason("certainty_not_rated" if speaking.certainty is None else "certainty_very_low"))
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


def _relative_verdict(relative: Answer | None, reasons: list[Reason]) -> Verdict | None:
    if relative is None:
        return None
    if relative.shows == "harm":
        return "worse than other treatments"
    if relative.shows == "no_difference" or (relative.shows == "benefit" and _small(relative)):
        return "similar to other treatments" if _certain(relative) or relative.certainty == "low" else "very uncertain"
    if relative.shows == "benefit":
        return "better than other treatments" if _certain(relative) else "very uncertain"
    return None


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
    return Reason(code, f"{words}: {shown} (certainty {CERTAINTY_WORDS[answer_.certainty]}; {answer_.finding})")


def with_durability(line: BottomLine, lasting: Durability) -> BottomLine:
    """The verdict marked short-lived when the benefit it rests on was gone by a later window."""
    if lasting.gone_by is None or line.rank < VERDICT_RANK["similar to other treatments"]:
        return line
    reason = _reason("short_lived", f"the benefit was gone {WINDOW_WORDS[lasting.gone_by]} the end of treatment")
    return BottomLine(line.phase, line.verdict, line.rank, line.basis, (*line.reasons, reason), short_lived=True)
