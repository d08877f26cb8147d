"""How much of a treated arm's improvement also happened in the control arm: Δ_C/Δ_T (Zou 2016).

Within-group changes are never effects; comparing the two arms' improvements, from one trial at
one time point on one scale, shows how much of what patients experienced would have happened
anyway. Standard library and the model only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import product

from .models import ComparatorKind, WithinGroupChange
from .records import Record, record

# --------------------------------------------------------------------------- share of the improvement

ZOU_METHOD = "control arm's improvement / treated arm's improvement, same trial and time point (Zou et al. 2016)"
CONTROL_WORDS: dict[ComparatorKind, str] = {
    "usual_care": "usual-care",
    "sham": "sham",
    "placebo": "placebo",
    "waitlist": "waiting-list",
    "no_treatment": "no-treatment",
    "minimal_intervention": "minimal-intervention",
    "inactive_mixed": "inactive",
    "active": "active",
    "mixed": "mixed",
}
"""How a control arm is named; only a placebo is ever called a placebo (never usual care)."""


@record
class ImprovementShare(Record):
    """How much of the treated arm's improvement also happened in the control arm: Δ_C/Δ_T."""

    treated: str
    control: str
    """Ids of the two within-group records."""
    control_kind: ComparatorKind
    treated_improvement: float
    control_improvement: float
    share: float
    scale: str
    text: str
    method: str


def paired(a: WithinGroupChange, b: WithinGroupChange) -> bool:
    """Two arms whose improvements may be compared: same source, scale, time point and co-treatment,
    one the treatment and one the control."""
    if {a.role, b.role} != {"treatment", "control"}:
        return False
    if a.cite.source != b.cite.source or a.outcome.scale is None or a.outcome.scale != b.outcome.scale:
        return False
    return a.co_treatment == b.co_treatment and _same_time(a, b)


def _same_time(a: WithinGroupChange, b: WithinGroupChange) -> bool:
    """Weeks decide where stated (the labels of a crossover trial's two weeks differ); else labels."""
    x, y = a.time_point, b.time_point
    if x.weeks is not None or y.weeks is not None:
        return (x.anchor, x.weeks, x.treatment_weeks) == (y.anchor, y.weeks, y.treatment_weeks)
    return (x.anchor, x.label, x.source_window, x.treatment_weeks) == (
        y.anchor,
        y.label,
        y.source_window,
        y.treatment_weeks,
    )


def share_of_improvement(control: WithinGroupChange, treated: WithinGroupChange) -> ImprovementShare | None:
    """Δ_C/Δ_T: the share of the treated arm's improvement that also happened in the control arm.

    Why: patients in every arm improve, so the treated arm's improvement is not the effect. Zou
    et al. (Ann Rheum Dis 2016) express the control arm's improvement as a share of the treated
    arm's; across trials it is typically over half. Only arms of one trial at one time point on
    one scale are compared (ValueError otherwise). None when either improvement is not stored as
    a number or the treated arm did not improve. A usual-care arm's share is named as such,
    never "placebo".
    """
    if not (paired(control, treated) and control.role == "control" and treated.role == "treatment"):
        raise ValueError(f"{control.id!r} and {treated.id!r} are not a control and a treated arm of one comparison")
    if control.improvement is None or treated.improvement is None or treated.improvement <= 0:
        return None
    assert control.control is not None and treated.outcome.scale is not None  # by the KB rules and paired()
    share = control.improvement / treated.improvement
    text = (
        f"{math.floor(100 * share + 0.5)}% of the improvement with {treated.arm} also happened in the "
        f"{CONTROL_WORDS[control.control]} control arm, {control.arm}"
    )
    return ImprovementShare(
        treated.id,
        control.id,
        control.control,
        float(treated.improvement),
        float(control.improvement),
        share,
        treated.outcome.scale,
        text,
        ZOU_METHOD,
    )


def improvement_shares(changes: Sequence[WithinGroupChange]) -> tuple[ImprovementShare, ...]:
    """Every treated/control pair among one treatment's within-group records, in stored order."""
    treated = [c for c in changes if c.role == "treatment"]
    controls = [c for c in changes if c.role == "control"]
    found = (share_of_improvement(c, t) for t, c in product(treated, controls) if paired(t, c))
    return tuple(share for share in found if share is not None)
