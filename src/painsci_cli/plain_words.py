"""Patient words: the evidence profile said the way a patient leaflet says it.

The model is IQWiG's patient page (gesundheitsinformation.de): short sentences, "may help a
little, for a short time, if at all", no statistics. Certainty is worded after GRADE guideline
26 (Santesso et al., J Clin Epidemiol 2020): high certainty "studies show", moderate
"probably", low "studies suggest ... may", very low "we do not know" / "it is unclear whether".

A claim of benefit is never worded more strongly than the bottom line allows: `claim_cap` gives
the strongest level a sentence about a treatment may use, and every benefit sentence takes the
lower of its own finding's level and that cap. Everything here is pure wording; which finding
speaks is decided in profile.py and bottom_line.py, never here.
"""

from __future__ import annotations

import math
import re
from typing import Literal

from .models import Guideline, Harm, HarmRate, Treatment
from .profile import SMALL_SIZES, Answer, Phase, Question, Verdict
from .reexpress import harm_per
from .vocabulary import CertaintyLevel, ComparatorKind, GuidelinePhase

Level = Literal[0, 1, 2, 3]
"""0: we do not know; 1: studies suggest ... may; 2: probably; 3: studies show."""

LEVEL_OF: dict[CertaintyLevel | None, Level] = {
    "high": 3,
    "moderate": 2,
    "low": 1,
    "very_low": 0,
    "insufficient": 0,
    None: 0,
}
"""A finding's own certainty as a wording level; not rated weighs like very low (SYNTHESIS.md §2)."""

VERDICT_LEVEL: dict[Verdict, Level] = {
    "helps": 3,
    "helps a little": 3,
    "probably helps": 2,
    "probably helps a little": 2,
    "may help": 1,
    "may help a little": 1,
}
"""How strongly a benefit may be claimed under each verdict; every other verdict allows none (0)."""

RELATIVE_LEVEL: dict[Verdict, Level] = {"better than other treatments": 2, "similar to other treatments": 1}
"""Verdicts decided by comparisons with other treatments: how strongly those comparisons may be
worded (the bottom line asks at least moderate certainty for "better", low for "similar")."""

VERDICT_WORDS: dict[Verdict, str] = {
    "helps": "Studies show that {it} helps.",
    "helps a little": "Studies show that {it} helps a little.",
    "probably helps": "{It} probably helps.",
    "probably helps a little": "{It} probably helps a little.",
    "may help": "Studies suggest that {it} may help.",
    "may help a little": "Studies suggest that {it} may help a little.",
    "better than other treatments": "{It} probably works better than some other treatments. "
    "We do not know whether it helps more than doing nothing.",
    "similar to other treatments": "Studies suggest that {it} works about as well as some other treatments. "
    "We do not know whether it helps more than doing nothing.",
    "very uncertain": "We do not know whether {it} helps.",
    "no clear benefit": "In studies, {it} did not clearly help.",
    "little or no better than sham": "In studies, {it} worked little or no better than a fake (sham) version.",
    "worse than other treatments": "In studies, {it} worked less well than other treatments.",
    "may do harm": "In studies, people who had {it} did worse than people who did not.",
    "not studied": "We found no studies that compare {it} with other care for this kind of back pain. "
    "So we do not know whether it helps.",
    "comparator": "Studies use {it} as a comparison for other treatments. We do not rate it as a treatment here.",
}
"""The bottom line in a patient's words: one entry per verdict (a test keeps them in step)."""
SHORT_LIVED = "Any benefit lasts only a short time."

PHASE_WORDS: dict[Phase, str] = {
    "chronic": "back pain that has lasted 12 weeks or more (chronic pain)",
    "acute": "back pain that started less than 12 weeks ago (acute pain)",
}
COVERS_WORDS: dict[GuidelinePhase, str] = {
    "acute": "pain of less than 4 weeks",
    "subacute": "pain of 4 to 12 weeks",
    "acute_subacute": "pain of less than 12 weeks",
    "chronic": "pain of 12 weeks or more",
    "subacute_chronic": "pain of 4 weeks or more",
    "all": "",
    "not_stated": "",
}
"""What a guideline's phase covers, in weeks (DOMAIN.md: acute < 4, subacute 4-12, chronic >= 12)."""

CONTROL_WORDS: dict[ComparatorKind, str] = {
    "sham": "a fake (sham) version",
    "placebo": "a fake (sham) version",
    "usual_care": "usual care",
    "waitlist": "waiting for treatment",
    "no_treatment": "no treatment",
    "minimal_intervention": "minimal care",
    "inactive_mixed": "no treatment or a fake treatment",
    "mixed": "a mix of other care",
    "active": "other treatments",
}
WINDOW_WORDS = {
    "immediate": "at the end of treatment",
    "short": "up to 6 months after treatment ended",
    "intermediate": "6 to 12 months after treatment ended",
    "long": "a year or more after treatment ended",
}
SIZE_WORDS = {
    "below_small": "a very small",
    "below_moderate": "a small",
    "small": "a small",
    "moderate": "a moderate",
    "above_moderate": "a moderate to large",
    "large": "a large",
}
CERTAINTY_WORDS: dict[CertaintyLevel, str] = {
    "high": "strong",
    "moderate": "moderate",
    "low": "weak",
    "very_low": "very weak",
    "insufficient": "too weak to judge",
}
OUTCOME_WORDS = {
    "pain": "pain",
    "bothersomeness": "how much the symptoms bothered people",
}
"""Outcomes a patient knows on a 0 to 10 scale; other outcomes get words for their size only."""


def claim_cap(verdict: Verdict, question: Question) -> Level:
    """The strongest level a benefit sentence for `question` may use under `verdict`."""
    if question == "relative" and verdict in RELATIVE_LEVEL:
        return RELATIVE_LEVEL[verdict]
    return VERDICT_LEVEL.get(verdict, 0)


def answer_level(answer: Answer) -> Level:
    """The finding's own level, lowered for one small trial, few people or disagreeing findings."""
    if "single_small_trial" in answer.flags or "few_participants" in answer.flags:
        return 0
    level = LEVEL_OF[answer.certainty]
    if answer.disagreeing and level > 0:
        return level - 1  # type: ignore[return-value]
    return level


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def headline(verdict: Verdict, it: str, short_lived: bool) -> str:
    """The bottom line as the handout's first sentence (GRADE guideline 26 in patients' words)."""
    said = VERDICT_WORDS[verdict].format(it=it, It=capitalised(it))
    return f"{said} {SHORT_LIVED}" if short_lived else said


def benefit_sentence(it: str, control: str, level: Level, small: bool) -> str:
    """A benefit over `control`, worded at `level` (never above the bottom line's cap)."""
    better = "a little better" if small else "better"
    match level:
        case 3:
            return f"Studies show that {it} works {better} than {control}."
        case 2:
            return f"{capitalised(it)} probably works {better} than {control}."
        case 1:
            return f"Studies suggest that {it} may work {better} than {control}."
        case _:
            return (
                f"It is unclear whether {it} works better than {control}. "
                "The studies found a benefit, but they are too weak to be sure."
            )


def answer_sentence(it: str, control: str, answer: Answer, cap: Level) -> str:
    """What one answer shows, in a patient's words, never stronger than `cap` for a benefit."""
    own = answer_level(answer)
    match answer.shows:
        case "benefit":
            return benefit_sentence(it, control, min(own, cap), answer.magnitude in SMALL_SIZES)
        case "no_difference":
            if own >= 2:
                return f"{capitalised(it)} probably works no better than {control}."
            if own == 1:
                return f"Studies suggest that {it} may work no better than {control}."
            return f"It is unclear whether {it} works better than {control}. The studies found no clear difference."
        case "harm":
            said = f"In studies, people who had {it} did worse than people who had {control}."
            return said if own >= 1 else said[:-1] + ", but the studies are too weak to be sure."
        case "conflicting":
            return f"Studies disagree about whether {it} works better than {control}."
        case _:
            return f"The studies do not say clearly whether {it} works better than {control}."


def patient_name(t: Treatment) -> str:
    """The name as a sentence uses it: 'TENS' for 'Transcutaneous … (TENS)', 'massage' mid-sentence.

    A capitalised first word stays capitalised when the description also capitalises it mid-
    sentence (Thai, Pilates) or when it is an acronym (TENS); otherwise it was capitalised only
    for starting the name.
    """
    name = t.name.strip()
    opening = name.rfind("(")
    if name.endswith(")") and opening >= 0 and ")" not in name[opening:-1]:  # "Name (ABBR)", told in one pass
        inner = name[opening + 1 : -1]
        name = inner if re.fullmatch(r"[A-Z0-9-]{2,8}", inner) else name[:opening].rstrip()
    first = name.split()[0] if name.split() else name
    keep = not first[1:].islower() or f" {first}" in t.description
    return name if keep else name[0].lower() + name[1:]


def guideline_name(g: Guideline) -> str:
    """'NVL 2017 (Germany)': the short name and the country the issuer names, else the issuer."""
    country = re.search(r"\(([^()]+)\)\s*$", g.issuer)
    return f"{g.short_name} ({country.group(1) if country else g.issuer})"


def currency(g: Guideline, past_validity: bool) -> str:
    """How current a guideline is, in one sentence (SYNTHESIS.md §5)."""
    if past_validity and g.valid_until:
        return f"This guideline is out of date: it was due for review in {g.valid_until[:4]}."
    updated = f", updated {g.last_updated[:4]}" if g.last_updated else ""
    return f"Published {g.published[:4]}{updated}."


STANCE_WORDS: dict[tuple[str, str | None], str] = {
    ("for", "strong"): "recommends it",
    ("for", "weak"): "says it can be considered",
    ("for", "open"): "says it can be used",
    ("for", "conditional"): "says it may be offered",
    ("against", "strong"): "recommends against it",
    ("against", "weak"): "advises against it",
    ("against", "conditional"): "says it should not be used as routine care",
}
"""Direction and strength in plain words (DOMAIN.md: soll/offer/strong, sollte/consider/weak,
kann = open, WHO conditional), whatever the guideline's own vocabulary."""


# --------------------------------------------------------------------------- KB text for patients

PLAIN_SWAPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, 0 if re.search(r"[A-Z]{2}", pattern) else re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"\bincreased pain intensity\b", "more pain"),
        (r"\bpain intensity\b", "pain"),
        (r"\badverse[- ]event rates\b", "rates of side effects"),
        (r"\badverse (?:events|effects)\b", "side effects"),
        (r"\badverse (?:event|effect)\b", "side effect"),
        (r"\(any indication\)", "(for any health problem)"),
        (r"\blumbopelvic SMT\b", "spinal manipulation of the lower back"),
        (r"\bSMT\b", "spinal manipulation"),
        (r"\bLBP\b", "low back pain"),
        (r"\bRCTs\b", "studies"),
        (r"\bRCT\b", "study"),
        (r"\bincluded (?=trials?\b|studies\b)", ""),
        (r"\btrials\b", "studies"),
        (r"\btrial\b", "study"),
        (r"\bparticipants\b", "people"),
        (r"\bplacebo-controlled\b", "fake-controlled"),
        (r"\bsham-controlled\b", "fake-controlled"),
        (r"\bfatalities\b", "deaths"),
        (r"\bpneumothorax\b", "a collapsed lung"),
        (r"\bcervical arterial strokes\b", "strokes after neck treatment"),
        (r"\btransient\b", "short-lived"),
        (r"\bmusculoskeletal pain\b(?! conditions)", "pain in muscles and joints"),
        (r"\bmusculoskeletal\b", "muscle and joint"),
        (r"\bno statistical differences\b", "no clear differences"),
        (r"\bfrom baseline\b", "from the start"),
        (r"\bheterogeneous\b", "various"),
        (r"\(pooled\)", "(taken together)"),
        (r"\bsignificant side effects\b", "important side effects"),
        (r"\b(\d+) randomised\b", r"\1 people"),
        (r"\binterventions\b", "treatments"),
        (r"\bintervention\b", "treatment"),
        (r"\bcomparators\b", "comparison groups"),
    )
)
"""Clinicians' words in knowledge-base text and the patients' words that replace them; the
patient page applies them to every piece of KB text it shows (descriptions, harms)."""
STATISTICS = re.compile(
    r"\((?=[^()]*(?:\bCI\b|\bSMD\b|\bRR\b|\bMD\b|\bp\s*[=<]))[^()]*\)"  # (95% CI 5.10-14.62%)
    r"|\([\d.,%\s\u2013-]+\)"  # a bare interval, (1.39-20.00)
)
r"""A parenthesis holding statistics: left out of patient text. Each pattern starts at a "(",
never at optional space: `\s*\(` retried at every space of a long run costs its square;
`plain` closes the gap the parenthesis leaves."""
CITATION = re.compile(r"\((?=[^()]*\b(?:19|20)\d\d\b)(?=[^()]*[A-Z])[^()]*\)")
"""A parenthesis citing a source by name and year, e.g. "(Parreira 2017)" or "(AHRQ 2020)"."""


def plain(text: str) -> str:
    """KB text with statistics and citations in brackets left out and clinicians' words replaced.

    The first letter is left as it is: the caller knows whether the text starts a sentence.
    """
    cleaned = CITATION.sub("", STATISTICS.sub("", text))
    for pattern, replacement in PLAIN_SWAPS:
        cleaned = pattern.sub(replacement, cleaned)
    return re.sub(r"\s+([,;.])", r"\1", " ".join(cleaned.split()))


SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]'\"])[.!?](?=\s+[A-Z]|\s*$)")


def first_sentence(text: str) -> str:
    """The first sentence of KB text, with its full stop."""
    found = SENTENCE_END.search(text)
    sentence = text[: found.end()] if found else text.strip()
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def lead(text: str) -> str:
    """The first clause of the first sentence, for a one-line list item."""
    sentence = first_sentence(text).rstrip(".")
    clause = sentence.split(", ", 1)[0].split("; ", 1)[0]
    return clause if len(clause.split()) >= 6 else sentence


# --------------------------------------------------------------------------- how often

OF_WORDS = {"patients": "people", "participants": "people", "treatments": "treatment sessions"}


def how_often(harm: Harm) -> str | None:
    """'about 2 to 25 in 100 people', from the stored rates (reexpress.harm_per), else the rate
    as the source printed it; None when neither is known."""
    if harm.rates:
        return "; ".join(rate_words(rate) for rate in harm.rates)
    return plain(harm.rate) if harm.rate else None


def rate_words(rate: HarmRate) -> str:
    """One rate as a natural frequency: '6 of 74 people', 'about 9 in 100 people', 'about 1 in
    10,000 people', with the arm it belongs to."""
    of = OF_WORDS.get(rate.of, rate.of)
    arm = f"with {plain(rate.arm)}: " if rate.arm else ""
    if rate.events is not None and rate.total:
        return f"{arm}{rate.events:,} of {rate.total:,} {of}"
    expressed = harm_per(rate)
    if expressed.value is not None:
        return f"{arm}{_in(expressed.value, rate.per)} {of}"
    if expressed.range_low is not None and expressed.range_high is not None:
        low, high = _in(expressed.range_low, rate.per), _in(expressed.range_high, rate.per)
        low_count = low.removeprefix("about ").split(" in ")[0]
        rounded = "about " if low.startswith("about ") or high.startswith("about ") else ""
        return f"{arm}{rounded}{low_count} to {high.removeprefix('about ')} {of}"
    return f"{arm}not reported"


def _in(value: float, per: int) -> str:
    """'about 9 in 100' (rounded half up), or 'about 1 in 2,000,000' for less than one."""
    if 0 < value < 1:
        denominator = per / value
        digits = max(len(str(int(denominator))) - 2, 0)
        shown = int(math.floor(denominator / 10**digits + 0.5) * 10**digits)
        return f"about 1 in {shown:,}"
    count = math.floor(value + 0.5)
    return f"{'about ' if count != value else ''}{count:,} in {per:,}"
