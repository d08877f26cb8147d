"""How much of a treated arm's improvement also happened in the control arm: Δ_C/Δ_T (Zou 2016).

Within-group changes are never effects; comparing the two arms' improvements, from one trial at
one time point on one scale, shows how much of what patients experienced would have happened
anyway. The second half groups a treatment's pairable arms per trial as the views draw them
(`ArmsImprovement`, in the JSON as `arms_improvement`). Standard library, the model and text.py only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import product

from .models import Scale, WithinGroupChange
from .records import DOCUMENTED, Record, record
from .text import number
from .vocabulary import ArmRole, ComparatorKind, Number

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


# --------------------------------------------------------------------------- the arms' improvement

ZOU_WORDS = (
    "each arm's mean improvement from baseline, as the trial printed it (within-group: not an effect, every arm "
    "improves); a control arm's share of a treated arm's improvement = its improvement / the treated arm's "
    "(Zou et al., Ann Rheum Dis 2016); the gap between the bars is roughly the effect"
)


@record
class ArmImprovement(Record):
    """One arm's improvement from baseline: never an effect (every arm improves)."""

    __pydantic_config__ = DOCUMENTED
    record: str
    """The within-group record's id in `treatment.within_group`."""
    arm: str
    """The arm as the source names it."""
    role: ArmRole
    """treatment: the arm given the treatment under study; control: a control arm."""
    control: ComparatorKind | None
    """What kind of control arm (usual_care, sham …); null for a treated arm."""
    improvement: Number
    """Points better than at baseline (positive = better), as printed."""
    baseline: Number | None
    """Mean score at baseline, where printed."""
    n: int | None
    """Participants in the arm, as the source gives them."""


@record
class ControlShare(Record):
    """How much of one treated arm's improvement also happened in one control arm."""

    __pydantic_config__ = DOCUMENTED
    treated: str
    control: str
    """Ids of the two within-group records."""
    control_kind: ComparatorKind
    """What kind of control arm it is."""
    share: float
    """Control arm's improvement / treated arm's improvement (Δ_C/Δ_T)."""
    percent: int
    """The share in percent, rounded half up."""
    text: str
    """E.g. "48% of the improvement with individualised acupuncture also happened in the usual-care
    control arm, usual care" (a usual-care arm is never called placebo)."""


@record
class ArmsImprovement(Record):
    """One trial's arms at one time point on one scale: each arm's improvement from baseline and the
    share of each treated arm's improvement that also happened in a control arm."""

    __pydantic_config__ = DOCUMENTED
    source: str
    """Id of the trial's source."""
    scale: str
    """Id of the scale in the knowledge base."""
    scale_label: str
    """E.g. "RMDQ (0-23)": the outcome as the source names it, with its range."""
    scale_inferred: bool
    """The source did not name the scale; it was inferred."""
    time_point: str
    """When the arms were measured, in the source's words."""
    co_treatment: str | None
    """What every arm here also got (e.g. exercise in a factorial trial)."""
    arms: tuple[ArmImprovement, ...]
    """Treated arms first as stored, control arms too, each with its own improvement."""
    shares: tuple[ControlShare, ...]
    """For each treated arm and each control arm, the share of the improvement also seen in control."""
    method: str
    """The formula and its source (Zou et al. 2016)."""


def arms_improvement(changes: Sequence[WithinGroupChange], scales: Sequence[Scale]) -> tuple[ArmsImprovement, ...]:
    """The treatment's pairable arms, one group per trial, scale, time point and co-treatment."""
    by_id = {c.id: c for c in changes}
    groups: dict[tuple[str, ...], list[ImprovementShare]] = {}
    for share in improvement_shares(changes):
        treated = by_id[share.treated]
        key = (treated.cite.source, share.scale, treated.time_point.label, treated.co_treatment or "")
        groups.setdefault(key, []).append(share)
    ranges = {s.id: f"{number(s.min)}-{number(s.max)}" for s in scales}
    out = []
    for (source, scale, when, _), shares in groups.items():
        ids = {i for s in shares for i in (s.treated, s.control)}
        members = [c for c in changes if c.id in ids]
        first = by_id[shares[0].treated]
        out.append(
            ArmsImprovement(
                source=source,
                scale=scale,
                scale_label=f"{first.outcome.label} ({ranges.get(scale, scale)})",
                scale_inferred=any(m.outcome.scale_inferred for m in members),
                time_point=when,
                co_treatment=first.co_treatment,
                arms=tuple(_arm(m) for m in members),
                shares=tuple(
                    ControlShare(s.treated, s.control, s.control_kind, s.share, _percent_of(s.share), s.text)
                    for s in shares
                ),
                method=ZOU_METHOD,
            )
        )
    return tuple(out)


def _arm(change: WithinGroupChange) -> ArmImprovement:
    assert change.improvement is not None  # only arms with a number are paired
    return ArmImprovement(
        change.id, change.arm, change.role, change.control, change.improvement, change.baseline, change.n
    )


def _percent_of(share: float) -> int:
    return int(Decimal(repr(100 * share)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def control_words(arm: ArmImprovement) -> str:
    """How a control arm is labelled beside its bar: its kind, never "placebo" for usual care."""
    kind = arm.control or "mixed"
    if CONTROL_WORDS[kind].replace("-", " ") in arm.arm.casefold():
        return "control"
    return f"{CONTROL_WORDS[kind]} control"
