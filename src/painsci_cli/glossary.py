"""Every term and badge the outputs use, explained once (a badge nobody explains confuses)."""

from __future__ import annotations

from .bottom_line import REASONS
from .derive import INDIVIDUAL_MCID
from .errors import UsageError, one_of, printable
from .names import normalise_name
from .profile import SMALL_TRIAL
from .suggest import close_matches
from .text import number
from .views import GlossaryEntry

VERDICTS: dict[str, str] = {
    "helps": "High-certainty evidence of a benefit of at least a small size (GRADE: 'reduces').",
    "helps a little": "High-certainty evidence of a small benefit.",
    "probably helps": "Moderate-certainty evidence of a benefit of at least a small size (GRADE: 'probably reduces').",
    "probably helps a little": "Moderate-certainty evidence of a small benefit.",
    "may help": "Low-certainty evidence of a benefit (GRADE: 'may reduce').",
    "may help a little": "Low-certainty evidence of a small benefit.",
    "better than other treatments": "Against other active treatments, a benefit of at least a small size, with "
    "moderate or high certainty; nothing clearer is known against inactive controls.",
    "similar to other treatments": "Against other active treatments, no clear or only a trivial difference "
    "(low certainty or better); 'no better than X' is not 'useless' if X works.",
    "very uncertain": "The benefit rests on very-low-certainty or unrated evidence, on one small trial or fewer "
    f"than {SMALL_TRIAL} people, or the mechanism is implausible (GRADE: 'we are very uncertain').",
    "no clear benefit": "The best evidence against inactive controls found no clear difference.",
    "little or no better than sham": "A sham or placebo did about as well: the sham-controlled result includes "
    "no effect or is trivial, or a trial found sham as good as the real treatment. Benefit over usual care "
    "is then no evidence for the treatment itself.",
    "worse than other treatments": "Against an active alternative, the result favoured the alternative.",
    "may do harm": "Against inactive controls, the result favoured the controls.",
    "not studied": "No between-group finding for this phase of pain in the sources used (see --phase).",
    "comparator": "A control that trials compare treatments with (usual care, a sham), not a treatment.",
}
"""Every word of the bottom-line vocabulary (profile.Verdict), most supported first."""

FLAGS: dict[str, str] = {
    "indirect population": "The population is broader than low back pain (e.g. all chronic musculoskeletal pain).",
    "indirect intervention": "The intervention is broader than this treatment (e.g. behavioural treatment for CBT).",
    "superseded review": "A newer version of the review exists; a superseded review never speaks first.",
    "certainty not rated": "The source did not rate its certainty: weighed like very low, never like low.",
    "one small trial": f"The figure comes from a single trial of fewer than {SMALL_TRIAL} participants.",
    "under 100 people": f"Fewer than {SMALL_TRIAL} participants in all behind the figure.",
    "acute and chronic pooled": "The source pooled acute and chronic pain; it speaks for both, less directly.",
    "unblinded control": "The control group knew it got no treatment: the difference is an upper bound.",
    "scale not named": "A mean difference on a scale the source does not name: no size class or MCID verdict.",
    "scale inferred": "The source did not name the scale; it was inferred, so verdicts on it rest on an inference.",
    "secondary source": "The figure was read only in a secondary summary, not the primary paper.",
    "no CI": "The source printed no confidence interval, so significance cannot be judged.",
}
"""How profile.Flag values are printed beside a number (render/layout.FLAG_WORDS), explained."""

QUESTIONS: dict[str, str] = {
    "specific effect": "Against a sham or placebo with participants blinded: what the treatment itself does.",
    "pragmatic effect": "Against usual care, a waiting list or no treatment: better than what people get "
    "anyway, an upper bound that includes frustrebo and nonspecific effects.",
    "relative effect": "Against another real treatment: 'no better than X' is not 'useless'.",
}

BOTTOM_LINE_ENTRIES: tuple[GlossaryEntry, ...] = (
    GlossaryEntry(
        "bottom line",
        "painsci's one-glance verdict for a phase of pain, computed by ordered rules from the evidence profile: "
        "the sham-controlled result decides first, then the pragmatic one (an upper bound), each by its own "
        "certainty and size; then comparisons with other treatments. Every rule that fired is listed as a "
        "reason (painsci show --json: profiles[].bottom_line.reasons).",
        ("ahrq-cer227",),
    ),
    GlossaryEntry("short-lived", "The benefit the verdict rests on was gone at a later time point."),
    GlossaryEntry("key figure", "The figure of the finding the bottom line rests on, with its own certainty."),
    *(GlossaryEntry(word, text) for word, text in VERDICTS.items()),
    *(GlossaryEntry(word, text) for word, text in QUESTIONS.items()),
    *(GlossaryEntry(word, text) for word, text in FLAGS.items()),
    *(GlossaryEntry(code, text) for code, text in REASONS.items()),
    GlossaryEntry(
        "specific_benefit / pragmatic_no_difference …",
        "Reasons coded QUESTION_SHOWS: which question (specific: vs sham, pragmatic: vs usual care, relative: "
        "vs other treatments) and what its speaking finding showed (benefit, no_difference, harm, conflicting, "
        "unclear).",
    ),
    GlossaryEntry(
        "S+ W+ O+ C+",
        "Guideline marks in list: S strong, W weak (NICE 'consider'), O open option (NVL 'kann'), C conditional "
        "(WHO); + for, - against; na not addressed; ? not verified; n/s outside the guideline's scope (WHO 2023 "
        "covers chronic pain only); * only with active treatment; ! past its validity.",
    ),
    GlossaryEntry(
        "past its validity",
        "The guideline's own validity ended before the knowledge base was reviewed (NVL 2017: March 2022; ACP "
        "guidelines are withdrawn automatically five years after publication).",
    ),
)


def _numbers_entries() -> tuple[GlossaryEntry, ...]:
    """The words of issue 14's numbers, their assumptions spelt from the constants the code uses."""
    from .reexpress import TYPICAL_SD, probability_of_superiority

    pain, function = TYPICAL_SD["pain"], TYPICAL_SD["function"]
    sds = f"{pain.low}-{pain.high} on {pain.scale_name} and {function.low}-{function.high} on {function.scale_name}"
    pain_mid, rdq_mid = INDIVIDUAL_MCID[pain.scale], INDIVIDUAL_MCID[function.scale]
    half = probability_of_superiority(0.5).in_100
    return (
        GlossaryEntry(
            "points from an SMD",
            "An SMD re-expressed on a familiar scale: points = SMD x a typical between-patient SD (Cochrane "
            f"Handbook 5.1 §12.6.4). No authoritative SD exists for low back pain; painsci assumes {sds}, in line "
            "with the AHRQ/ACP magnitude bands (a moderate effect is SMD 0.5-0.8, 1-2 points on 0-10 pain, 2-4 "
            "RDQ points), and shows both ends ('about 1.5 to 1.9 points'); the CI likewise, each limit at the SD "
            "that makes it widest. Never a trial's baseline SD (a pain entry threshold compresses it). Only pain "
            "and function are re-expressed; other outcomes keep their SMD.",
            ("cochrane-handbook-5-1", "ahrq-cer169", "chou-huffman-2007"),
        ),
        GlossaryEntry(
            "change an individual notices",
            "A group difference in points as a share of Ostelo 2008's threshold for change within one patient "
            f"({number(pain_mid)} points on 0-10 pain, {number(rdq_mid)} RDQ points): 'about a third of the "
            "change an individual notices'. A group difference below an individual threshold is not 'not "
            "clinically important': patients vary around the average.",
            ("ostelo-2008",),
        ),
        GlossaryEntry(
            "per 100",
            "The absolute difference for a yes/no outcome: how many more (or fewer) people in 100 had it (a 30% "
            "improvement, say) with the treatment than with the control, with its 95% CI. From each arm's counts, "
            "from each arm's percentage with the CI of the risk ratio and the control arm as the control risk "
            "(Cochrane Handbook 5.1 §12.5.4: RD = ACR x (RR - 1)), or as the source printed it.",
            ("cochrane-handbook-5-1",),
        ),
        GlossaryEntry(
            "NNT",
            "Number needed to treat for one more person to have the outcome than with the control: 1/|risk "
            "difference|, rounded up, its CI from the risk difference's limits (Cochrane Handbook 5.1 §12.5.4). "
            "Responder NNTs look rosier than mean differences in back pain (a cut-off turns a small average shift "
            "into 'responders'): read them beside the mean difference where the same trial has one.",
            ("cochrane-handbook-5-1",),
        ),
        GlossaryEntry(
            "NNTB / NNTH",
            "Number needed to treat for one more to benefit (NNTB) or to be harmed (NNTH). When the risk "
            "difference's CI includes no difference, the NNT's CI runs through infinity, 'NNTB 5 to ∞ to NNTH 10' "
            "(Altman, BMJ 1998;317:1309): from one more benefit in 5 treated, through no difference, to one more "
            "harm in 10.",
        ),
        GlossaryEntry(
            "share of the improvement",
            "How much of a treated arm's improvement from baseline also happened in a control arm of the same "
            "trial ('also in control'): the control arm's improvement / the treated arm's (Zou et al., Ann Rheum "
            "Dis 2016; about 54% on average across 186 trials, Hafliðadóttir et al., Trials 2021). Shown only for "
            "arms of one trial at one time point on one scale. A sham arm's share is what the ritual without its "
            "supposed active part achieved; a usual-care arm's share is natural recovery, regression to the mean "
            "and the care people had anyway, never 'placebo'. In the picture █ is each arm's improvement and ░ "
            "the gap to the treated arm, which is roughly the effect.",
        ),
        GlossaryEntry(
            "arms improved",
            "In the summary card: each arm's mean improvement from baseline in one trial, as a bar (█, ▌ half a "
            "cell), with ░ marking how far the treated arm got beyond a control arm. Within-group changes, not "
            "effects: every arm improves (see 'share of the improvement').",
        ),
        GlossaryEntry(
            "also in control",
            "In the summary card: the share of the treated arm's improvement that also happened in the control arm "
            "(see 'share of the improvement'); a usual-care arm's share is never called placebo.",
        ),
        GlossaryEntry(
            "probability of superiority",
            "Φ(SMD/√2) (McGraw & Wong 1992): the chance that a treated patient does better than a control "
            f"patient picked at random ('in {half} of 100 pairings' for an SMD of 0.5; 50 is no difference). It "
            "assumes normal outcomes with equal SDs.",
        ),
    )


ENTRIES: tuple[GlossaryEntry, ...] = (
    GlossaryEntry(
        "between-group difference",
        "The effect: how much better the treated group did than the control group at the same "
        "time point (treatment minus control). Improvement from baseline is not the effect: every "
        "arm improves through natural recovery, regression to the mean, attention and expectation.",
    ),
    GlossaryEntry(
        "within-group change",
        "Improvement from baseline inside one arm. Shown only under its own heading and never as an "
        "effect, because the control group improves too.",
    ),
    GlossaryEntry("MD", "Mean difference between groups, in the points of the outcome scale."),
    GlossaryEntry(
        "SMD",
        "Standardised mean difference: a between-group difference in standard-deviation units, "
        "used to pool trials that measured the same thing on different scales.",
    ),
    GlossaryEntry(
        "RR",
        "Risk ratio: the chance of an outcome in the treated group divided by the chance in the "
        "control group; 1 means no difference.",
    ),
    GlossaryEntry(
        "95% CI",
        "95% confidence interval: the range of true effects compatible with the data. A CI that "
        "includes 0 (or 1 for a ratio) does not exclude no effect.",
    ),
    GlossaryEntry(
        "MCID",
        "Minimal clinically important difference: the smallest difference patients would care "
        "about. painsci compares the whole CI with the study's own MCID, or, when the study set "
        "none, with the Ostelo 2008 consensus for individual change (pain 15/100 or 2/10, RDQ 5, "
        "ODI 10), which is labelled individual-level.",
        ("ostelo-2008",),
    ),
    GlossaryEntry(
        "individual-level MCID",
        "Ostelo 2008's thresholds describe change within one patient, not a difference between "
        "groups: a group difference below them is 'below the individual-level MCID', not 'no "
        "effect'.",
        ("ostelo-2008",),
    ),
    GlossaryEntry("MCID met", "The whole 95% CI lies at or above the MCID: a clinically important difference."),
    GlossaryEntry("MCID maybe", "The estimate reaches the MCID but the CI crosses it: it may or may not matter."),
    GlossaryEntry("MCID unlikely", "The estimate is below the MCID but the CI reaches it: probably too small."),
    GlossaryEntry("below MCID", "The whole 95% CI lies below the MCID: smaller than patients would notice."),
    GlossaryEntry("no MCID", "No MCID is known for this scale; the magnitude class is the guide."),
    GlossaryEntry(
        "magnitude",
        "Size class of the point estimate on AHRQ/ACP conventions: small = 5-10 points on a "
        "0-100 pain scale or SMD 0.2-0.5; moderate = 10-20 points, SMD 0.5-0.8, or 2-4 RDQ "
        "points; large = more than 20 points or SMD 0.8 or more. 0-10 pain scales are read "
        "times 10.",
        ("ahrq-cer169", "chou-huffman-2007", "cochrane-handbook-5-1"),
    ),
    GlossaryEntry("below small", "Benefit smaller than the smallest AHRQ size class (under 5/100 or SMD 0.2)."),
    GlossaryEntry(
        "below moderate",
        "RDQ benefit under 2 points: below the moderate band (no small RDQ band was verified).",
        ("chou-huffman-2007",),
    ),
    GlossaryEntry("above moderate", "RDQ benefit over 4 points: above the moderate band.", ("chou-huffman-2007",)),
    GlossaryEntry("favours control", "The point estimate is better for the control than for the treatment."),
    GlossaryEntry("unclassified", "No verified size bands exist for this scale or measure (e.g. a risk ratio)."),
    GlossaryEntry(
        "end of treatment", "Measured less than 1 month after the course of treatment ended.", ("ahrq-cer227",)
    ),
    GlossaryEntry(
        "short term",
        "1 to under 6 months after the end of treatment (AHRQ 2020); for a review "
        "that defines its own window, the review's window.",
        ("ahrq-cer227",),
    ),
    GlossaryEntry(
        "intermediate term", "6 to under 12 months after the end of treatment (AHRQ 2020).", ("ahrq-cer227",)
    ),
    GlossaryEntry("long term", "12 months or more after the end of treatment (AHRQ 2020).", ("ahrq-cer227",)),
    GlossaryEntry(
        "blinding",
        "Whether participants, providers (therapists) and outcome assessors knew the group. With "
        "patient-reported outcomes the participant is the assessor, so participant blinding counts.",
    ),
    GlossaryEntry(
        "bias risk",
        "high: the control group knew it got nothing (usual care, waitlist, no treatment) or "
        "participants knew their treatment; low: participants blinded, e.g. against a sham; "
        "unclear: not reported.",
    ),
    GlossaryEntry(
        "sham",
        "A control that mimics the ritual without the supposedly active part (simulated acupuncture, "
        "sham TENS). When sham does as well as the real thing, benefit over usual care is not "
        "evidence for the claimed mechanism.",
    ),
    GlossaryEntry(
        "usual care",
        "Whatever care participants would have had anyway. Effects 'vs usual care' are add-on "
        "effects, measured against people who know they got nothing extra.",
    ),
    GlossaryEntry(
        "nonspecific effects",
        "Benefits of being cared for at all: attention, touch, expectation, a relaxing setting; "
        "not specific to the technique. Massage is 'nonspecific effect nirvana' (Ingraham, PainScience.com).",
        ("ingraham-massage",),
    ),
    GlossaryEntry(
        "frustrebo",
        "Disappointment in an unblinded control group that knows it missed out: it reports worse, "
        "which makes the treatment look better than it is (Ingraham's word, PainScience.com; also called resentful "
        "demoralisation or nocebo).",
        ("ingraham-massage",),
    ),
    GlossaryEntry(
        "certainty",
        "GRADE: high (the true effect is probably close to the estimate), moderate (probably close, "
        "could be substantially different), low (may be substantially different), very low (likely "
        "substantially different). AHRQ's strength of evidence (high, moderate, low, insufficient) "
        "is read the same way.",
    ),
    GlossaryEntry("not reported", "The knowledge base has no figure for this; painsci never fills a gap."),
    GlossaryEntry(
        "active",
        "Treatments patients do and keep doing themselves: exercise, yoga, relaxation, psychological treatments.",
        ("iqwig-passive",),
    ),
    GlossaryEntry(
        "passive",
        "Treatments done to patients: massage, manipulation, acupuncture, "
        "electrotherapy, heat, taping and others. Guidelines see them at best as "
        "adjuncts to active treatment.",
        ("iqwig-passive",),
    ),
    GlossaryEntry(
        "IGeL",
        "Individuelle Gesundheitsleistungen: self-pay services not covered by German "
        "statutory health insurance; most passive treatments are IGeL.",
        ("iqwig-passive",),
    ),
    GlossaryEntry("for / against", "The guideline's direction. Strength: strong, weak, open or conditional."),
    GlossaryEntry(
        "strong",
        "NVL 'soll' / 'soll nicht', NICE 'offer' / 'do not offer', ACP 'strong "
        "recommendation': most patients should get (or not get) it.",
    ),
    GlossaryEntry("weak", "NVL 'sollte' / 'sollte nicht', NICE 'consider', ACP 'weak recommendation'."),
    GlossaryEntry("open", "NVL 'kann': may be used, only after more strongly recommended options."),
    GlossaryEntry(
        "conditional",
        "WHO 2023's wording: 'may be offered' (for) or 'should not be used as part of "
        "routine care' (against); the majority would choose it, many would not.",
    ),
    GlossaryEntry("not addressed", "The guideline does not cover this treatment (checked, not assumed)."),
    GlossaryEntry(
        "unverified",
        "The guideline's position could not be read in a primary or faithful source; "
        "the note says what secondary sources claim.",
    ),
    GlossaryEntry(
        "plausibility",
        "Whether the claimed mechanism fits basic science: plausible, uncertain or "
        "implausible (e.g. meridians, magnetic field therapy).",
        ("iqwig-passive",),
    ),
    GlossaryEntry(
        "(best)",
        "In compare: the largest effect among answers to the same question (vs sham, vs usual care, vs other "
        "treatments) in the same unit, or the highest certainty within one question; marked in text so it "
        "survives NO_COLOR. Nothing is marked across questions or units.",
    ),
    GlossaryEntry(
        "lasts",
        "For the question the bottom line rests on: the latest window after the end of treatment with a "
        "benefit, and 'gone by' the first later window in which none was found ('1-6 mo, gone by 12+ mo').",
        ("ahrq-cer227",),
    ),
    *_numbers_entries(),
    *BOTTOM_LINE_ENTRIES,
)


def lookup(term: str | None) -> tuple[GlossaryEntry, ...]:
    """One entry (by name, case-insensitively, or a unique prefix), or all of them."""
    if term is None:
        return ENTRIES
    key = normalise_name(term)
    exact = [e for e in ENTRIES if normalise_name(e.term) == key]
    found = exact or [e for e in ENTRIES if normalise_name(e.term).startswith(key)]
    if found:
        return tuple(found)
    hint = close_matches(key, [normalise_name(e.term) for e in ENTRIES])
    suffix = f"; did you mean {one_of(hint)}?" if hint else ""
    raise UsageError(f"painsci: no glossary entry for {printable(term)}{suffix}")
