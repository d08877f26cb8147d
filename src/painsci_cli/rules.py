"""Rules pydantic's per-field validation cannot see: references, uniqueness, ranges, CIs.

Each rule that spans fields or records reports a Problem at a location; load/validate.py turns
the location into FILE:LINE. No I/O here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import KB_SCHEMA_VERSION
from .models import Citation, Finding, KnowledgeBase, Loc, Scale, Treatment
from .names import name_problem, normalise_name, quoted, skeleton
from .records import Record, record


@record
class Problem(Record):
    """A rule broken at a location; load/validate.py turns `loc` into FILE:LINE."""

    loc: Loc
    message: str


def _citations(kb: KnowledgeBase) -> Iterator[tuple[Loc, Citation]]:
    for t_i, t in enumerate(kb.treatments):
        base: Loc = ("treatments", t_i)
        if t.mechanism:
            for c_i, c in enumerate(t.mechanism.cites):
                yield (*base, "mechanism", "cites", c_i), c
        for f_i, f in enumerate(t.findings):
            yield (*base, "findings", f_i, "cite"), f.cite
            if f.mcid:
                yield (*base, "findings", f_i, "mcid", "cite"), f.mcid.cite
        for w_i, w in enumerate(t.within_group):
            yield (*base, "within_group", w_i, "cite"), w.cite
        for name in ("harms", "cost", "caveats", "recommendations"):
            for i, item in enumerate(getattr(t, name)):
                yield (*base, name, i, "cite"), item.cite


def _is_slug(text: str) -> bool:
    """Ids are typed on command lines and used as keys: a-z, 0-9 and single inner hyphens."""
    parts = text.split("-")
    return all(part and part.isascii() and part.isalnum() and part == part.lower() for part in parts)


def _duplicates(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def cross_check(kb: KnowledgeBase) -> list[Problem]:
    """Rules pydantic's per-field validation cannot see: references, uniqueness, ranges, CIs."""
    problems: list[Problem] = []
    add = problems.append

    if kb.schema_version != KB_SCHEMA_VERSION:
        add(Problem(("schema_version",), f"this painsci reads schema_version {KB_SCHEMA_VERSION}"))

    for section in ("scales", "sources", "guidelines", "treatments"):
        items = getattr(kb, section)
        dupes = _duplicates([item.id for item in items])
        for i, item in enumerate(items):
            if not _is_slug(item.id):
                add(
                    Problem((section, i, "id"), f"id {item.id!r} must be a lowercase slug like 'tens' or 'ahrq-cer227'")
                )
            if item.id in dupes:
                add(Problem((section, i, "id"), f"duplicate id {item.id!r}"))

    scales = {s.id: s for s in kb.scales}
    sources = {s.id for s in kb.sources}
    guidelines = {g.id for g in kb.guidelines}
    treatments = {t.id: t for t in kb.treatments}

    for i, s in enumerate(kb.scales):
        if not s.min < s.max:
            add(Problem(("scales", i, "max"), f"max ({s.max:g}) must be greater than min ({s.min:g})"))
    for i, g in enumerate(kb.guidelines):
        if g.source not in sources:
            add(Problem(("guidelines", i, "source"), f"unknown source {g.source!r}"))
    for loc, cite in _citations(kb):
        if cite.source not in sources:
            add(Problem((*loc, "source"), f"unknown source {cite.source!r}"))

    owner: dict[str, str] = {}
    looping = _on_parent_cycles(treatments)
    for t_i, t in enumerate(kb.treatments):
        base: Loc = ("treatments", t_i)
        for a_i, name in enumerate((t.id, t.name, *t.aliases)):
            key = normalise_name(name)
            if not key:
                continue  # reported by check_names
            other = owner.setdefault(key, t.id)
            if other != t.id:
                where: Loc = (*base, "aliases", a_i - 2) if a_i >= 2 else (*base, "name" if a_i else "id")
                add(Problem(where, f"name {name!r} already belongs to treatment {other!r}"))
        if t.parent is not None:
            if t.parent not in treatments:
                add(Problem((*base, "parent"), f"unknown parent treatment {t.parent!r}"))
            elif t.id in looping:
                add(Problem((*base, "parent"), "parent chain loops back to this treatment"))
        if not t.findings and not t.evidence_gap:
            add(Problem((*base, "evidence_gap"), "no findings: say why in evidence_gap"))
        finding_ids = _duplicates([f.id for f in t.findings])
        for f_i, f in enumerate(t.findings):
            _check_finding(f, (*base, "findings", f_i), scales, treatments, finding_ids, add)
        for w_i, w in enumerate(t.within_group):
            if w.outcome.scale is not None and w.outcome.scale not in scales:
                loc = (*base, "within_group", w_i, "outcome", "scale")
                add(Problem(loc, f"unknown scale {w.outcome.scale!r}"))
        for r_i, r in enumerate(t.recommendations):
            loc = (*base, "recommendations", r_i)
            if r.guideline not in guidelines:
                add(Problem((*loc, "guideline"), f"unknown guideline {r.guideline!r}"))
            if r.stance in ("for", "against") and r.strength is None:
                add(Problem((*loc, "strength"), "a recommendation for or against needs a strength"))
            if r.stance in ("not_addressed", "unverified") and r.strength is not None:
                add(Problem((*loc, "strength"), f"stance {r.stance!r} cannot have a strength"))
    return problems + check_names(kb)


def check_names(kb: KnowledgeBase) -> list[Problem]:
    """Names a person could not tell apart: invisible, empty once normalised (NFKC, case, spaces),
    mixing Latin with Cyrillic or Greek letters in a word, or looking like another treatment's
    name (names.skeleton: Cyrillic "mаssage" for "massage"). Equal normalised names are
    reported by cross_check as belonging to another treatment."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, str]] = {}
    for t_i, t in enumerate(kb.treatments):
        base: Loc = ("treatments", t_i)
        for a_i, name in enumerate((t.id, t.name, *t.aliases)):
            if not name.strip():
                continue  # reported as blank text
            where: Loc = (*base, "aliases", a_i - 2) if a_i >= 2 else (*base, "name" if a_i else "id")
            problem = name_problem(name)
            if problem is not None:
                problems.append(Problem(where, f"name {quoted(name)} {problem}"))
                continue
            other_id, other_name = seen.setdefault(skeleton(name), (t.id, name))
            if other_id != t.id and normalise_name(name) != normalise_name(other_name):
                message = f"name {quoted(name)} looks like {quoted(other_name)} of treatment {other_id!r}"
                problems.append(Problem(where, message))
    return problems


def _on_parent_cycles(treatments: dict[str, Treatment]) -> set[str]:
    """Ids whose parent chain leads back to themselves; each treatment is walked once (linear)."""
    finished: set[str] = set()
    looping: set[str] = set()
    for start in treatments:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in treatments and node not in finished and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = treatments[node].parent
        if node is not None and node in on_path:
            looping.update(path[path.index(node) :])
        finished.update(path)
    return looping


def _check_finding(
    f: Finding,
    loc: Loc,
    scales: dict[str, Scale],
    treatments: dict[str, Treatment],
    duplicate_ids: set[str],
    report: Callable[[Problem], None],
) -> None:
    if f.id in duplicate_ids:
        report(Problem((*loc, "id"), f"duplicate finding id {f.id!r}"))
    if f.comparator.treatment is not None and f.comparator.treatment not in treatments:
        report(Problem((*loc, "comparator", "treatment"), f"unknown treatment {f.comparator.treatment!r}"))
    for a_i, arm in enumerate(f.size.arms):
        if arm.n <= 0:
            report(Problem((*loc, "size", "arms", a_i, "n"), f"arm size must be positive, got {arm.n}"))
    for name in ("trials", "participants"):
        value = getattr(f.size, name)
        if value is not None and value <= 0:
            report(Problem((*loc, "size", name), f"{name} must be positive, got {value}"))
    scale = None
    if f.outcome.scale_inferred and f.outcome.scale is None:
        report(Problem((*loc, "outcome", "scale_inferred"), "scale_inferred needs a scale"))
    if f.outcome.scale is not None:
        scale = scales.get(f.outcome.scale)
        if scale is None:
            report(Problem((*loc, "outcome", "scale"), f"unknown scale {f.outcome.scale!r}"))
    tp = f.time_point
    if tp.weeks is not None and tp.weeks < 0:
        report(Problem((*loc, "time_point", "weeks"), "weeks cannot be negative"))
    if tp.anchor == "source_window" and tp.source_window is None:
        report(Problem((*loc, "time_point", "source_window"), "anchor source_window needs source_window"))
    if f.effect is None:
        if not f.result:
            report(Problem((*loc, "result"), "a finding without an effect must say its result"))
        return
    for name in ("direction", "stated_magnitude"):
        if getattr(f, name) is not None:
            report(Problem((*loc, name), f"{name} is for findings without an effect; with one, painsci computes it"))
    e = f.effect
    if e.measure == "md" and f.outcome.scale is None:
        report(Problem((*loc, "outcome", "scale"), "a mean difference needs a scale"))
    if e.ci95 is not None:
        lo, hi = e.ci95.lower, e.ci95.upper
        if lo > hi:
            report(Problem((*loc, "effect", "ci95"), f"lower bound {lo:g} is above upper bound {hi:g}"))
        elif not lo <= e.estimate <= hi:
            report(Problem((*loc, "effect", "estimate"), f"estimate {e.estimate:g} lies outside its CI"))
    if e.measure in ("rr",) and e.estimate <= 0:
        report(Problem((*loc, "effect", "estimate"), "a ratio must be positive"))
    if scale is not None and e.measure == "md":
        expected = "negative" if scale.direction == "lower_is_better" else "positive"
        if e.favours_treatment != expected:
            msg = f"on {scale.id} ({scale.direction}) a benefit is {expected}"
            report(Problem((*loc, "effect", "favours_treatment"), msg))
        span = scale.max - scale.min
        values = [e.estimate] + ([e.ci95.lower, e.ci95.upper] if e.ci95 else [])
        if any(abs(v) > span for v in values):
            report(Problem((*loc, "effect"), f"difference exceeds the range of scale {scale.id}"))
    if f.mcid is not None and scale is not None and not 0 < f.mcid.value <= scale.max - scale.min:
        report(Problem((*loc, "mcid", "value"), f"MCID must lie inside the range of {scale.id}"))
