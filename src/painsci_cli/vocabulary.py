"""The knowledge base's closed vocabularies: every word a record may use for a kind, a phase, a
stance or a certainty, kept in one place so the loader, the choices on the command line and the
text that spells them for people can never disagree about the list.
"""

from __future__ import annotations

from typing import Literal

Number = int | float
"""Figures keep the form they were written in (15 stays 15, 4.0 stays 4.0), as the source printed."""

Category = Literal["active", "passive", "comparator"]
Direction = Literal["lower_is_better", "higher_is_better"]
Construct = Literal["pain", "function", "bothersomeness", "quality_of_life", "global", "work", "other"]
SourceKind = Literal["trial", "systematic_review", "meta_analysis", "guideline", "article"]
Design = Literal["rct", "crossover_rct", "systematic_review", "meta_analysis", "ipd_meta_analysis", "review_of_reviews"]
Duration = Literal["acute", "subacute", "chronic", "acute_subacute", "subacute_chronic", "mixed"]
ComparatorKind = Literal[
    "usual_care",
    "sham",
    "placebo",
    "waitlist",
    "no_treatment",
    "minimal_intervention",
    "inactive_mixed",
    "active",
    "mixed",
]
BlindingStatus = Literal["blinded", "not_blinded", "partial", "unclear", "not_reported"]
Measure = Literal["md", "smd", "rr", "rd"]
Sign = Literal["negative", "positive"]
ArmRole = Literal["treatment", "control"]
HARM_BASES = (100, 1_000, 10_000, 100_000, 1_000_000)
"""The denominators a harm rate may be counted on: per 100 (a percentage) up to per million."""
Anchor = Literal["randomisation", "end_of_treatment", "source_window"]
Reading = Literal["primary", "secondary"]
CertaintySystem = Literal["grade", "ahrq_soe", "author_statement", "pre_grade"]
CertaintyLevel = Literal["high", "moderate", "low", "very_low", "insufficient"]
Plausibility = Literal["plausible", "uncertain", "implausible", "not_applicable"]
ReportedDirection = Literal["favours_treatment", "no_difference", "favours_comparator", "conflicting", "unclear"]
"""What a source reports when it gives no figure: benefit, no (significant) difference, harm, or
results that disagree with each other, or no direction at all ("unclear")."""
StatedMagnitude = Literal["none", "small", "moderate", "large"]
Stance = Literal["for", "against", "not_addressed", "unverified"]
Strength = Literal["strong", "weak", "open", "conditional"]
GuidelinePhase = Literal["acute", "subacute", "chronic", "acute_subacute", "subacute_chronic", "all", "not_stated"]
CaveatKind = Literal[
    "unblinded_control",
    "frustrebo",
    "nonspecific_effects",
    "sham_equals_real",
    "no_better_than_simpler",
    "short_lived",
    "passive_adjunct_only",
    "population_mismatch",
    "sources_disagree",
    "small_trials",
    "other",
]
