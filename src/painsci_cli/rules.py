"""Rules pydantic's per-field validation cannot see: references, uniqueness, ranges, CIs.

Each rule that spans fields or records reports a Problem at a location; load/validate.py turns
the location into FILE:LINE. No I/O here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator

from . import KB_SCHEMA_VERSION
from .models import (
    HARM_BASES,
    Citation,
    Finding,
    HarmRate,
    Interval,
    KnowledgeBase,
    Loc,
    Outcome,
    Proportion,
    Responders,
    Scale,
    Source,
    Treatment,
    WithinGroupChange,
)
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


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CERTAINTY_ORDER = ("insufficient", "very_low", "low", "moderate", "high")
_ET_AL = re.compile(r"et\.?\s*al\.?", re.IGNORECASE)


def _date_parts(text: str) -> tuple[int, ...] | None:
    """(year,), (year, month) or (year, month, day) for "YYYY", "YYYY-MM" or "YYYY-MM-DD"; None if malformed."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    parts = tuple(int(p) for p in match.groups() if p is not None)
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts


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
        _check_guideline_dates(g.published, g.last_updated, g.valid_until, ("guidelines", i), add)
    for i, source in enumerate(kb.sources):
        _check_authors(source, ("sources", i, "authors"), add)
    for loc, cite in _citations(kb):
        if cite.source not in sources:
            add(Problem((*loc, "source"), f"unknown source {cite.source!r}"))

    owner: dict[str, str] = {}
    changes: dict[str, WithinGroupChange] = {}
    """Within-group records by id: one trial arm may be shown under two treatments, as one record."""
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
        for f_i, f in enumerate(t.findings):
            if f.superseded_by is not None and f.superseded_by not in sources:
                add(Problem((*base, "findings", f_i, "superseded_by"), f"unknown source {f.superseded_by!r}"))
            elif f.superseded_by is not None and f.superseded_by == f.cite.source:
                add(Problem((*base, "findings", f_i, "superseded_by"), "a source cannot supersede itself"))
        change_ids = _duplicates([w.id for w in t.within_group])
        for w_i, w in enumerate(t.within_group):
            loc = (*base, "within_group", w_i)
            if w.id in change_ids:
                add(Problem((*loc, "id"), f"duplicate within-group id {w.id!r}"))
            elif w.id in changes and changes[w.id] != w:
                add(Problem((*loc, "id"), f"{w.id!r} is stored differently elsewhere: keep the copies identical"))
            changes.setdefault(w.id, w)
            _check_change(w, loc, scales, add)
            _check_scale_unnamed(w.outcome, (*loc, "outcome"), add)
        for h_i, h in enumerate(t.harms):
            for r_i, rate in enumerate(h.rates):
                _check_harm_rate(rate, (*base, "harms", h_i, "rates", r_i), add)
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


def _check_authors(source: Source, loc: Loc, report: Callable[[Problem], None]) -> None:
    names = source.authors.names
    if not names:
        report(Problem((*loc, "names"), "list at least one author (a person or one organisation)"))
    for n_i, name in enumerate(names):
        if not name.strip():
            report(Problem((*loc, "names", n_i), "an author name cannot be blank"))
        elif _ET_AL.fullmatch(name.strip()):
            report(Problem((*loc, "names", n_i), "'et al.' is not an author: set et_al: true instead"))
    if source.authors.organisation and len(names) != 1:
        report(Problem((*loc, "organisation"), f"an organisation is exactly one name, got {len(names)}"))


def _check_guideline_dates(
    published: str, last_updated: str | None, valid_until: str | None, loc: Loc, report: Callable[[Problem], None]
) -> None:
    dates: dict[str, tuple[int, ...]] = {}
    for name, value in (("published", published), ("last_updated", last_updated), ("valid_until", valid_until)):
        if value is None:
            continue
        parts = _date_parts(value)
        if parts is None:
            report(Problem((*loc, name), f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"))
        else:
            dates[name] = parts
    if "published" in dates and "valid_until" in dates:
        start, end = dates["published"], dates["valid_until"]
        common = min(len(start), len(end))
        if end[:common] < start[:common]:
            report(Problem((*loc, "valid_until"), f"valid_until {valid_until} is before published {published}"))


def _check_scale_unnamed(outcome: Outcome, loc: Loc, report: Callable[[Problem], None]) -> None:
    if outcome.scale_unnamed and outcome.scale is not None:
        report(Problem((*loc, "scale_unnamed"), "scale_unnamed means the source names no scale: set scale to null"))
    if outcome.scale_unnamed and outcome.scale_inferred:
        report(Problem((*loc, "scale_unnamed"), "a scale is either unnamed or inferred, not both"))


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
    _check_scale_unnamed(f.outcome, (*loc, "outcome"), report)
    if f.indirect is not None and not (f.indirect.population or f.indirect.intervention):
        report(Problem((*loc, "indirect"), "say what is indirect: the population, the intervention or both"))
    if f.certainty is not None and f.certainty.up_to is not None:
        low, high = _CERTAINTY_ORDER.index(f.certainty.level), _CERTAINTY_ORDER.index(f.certainty.up_to)
        if high <= low:
            msg = f"up_to ({f.certainty.up_to}) must rank above level ({f.certainty.level})"
            report(Problem((*loc, "certainty", "up_to"), msg))
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
    if e.measure == "md" and f.outcome.scale is None and not f.outcome.scale_unnamed:
        msg = "a mean difference needs a scale (or scale_unnamed: true when the source names none)"
        report(Problem((*loc, "outcome", "scale"), msg))
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
    if f.responders is not None:
        _check_responders(f, f.responders, (*loc, "responders"), report)


def _check_responders(f: Finding, r: Responders, loc: Loc, report: Callable[[Problem], None]) -> None:
    """Per-arm proportions belong to binary results and must point the way the result does."""
    e = f.effect
    if e is not None and e.measure not in ("rr", "rd"):
        report(Problem(loc, f"per-arm proportions belong to a binary result, not to an {e.measure.upper()}"))
    _check_proportion(r.treatment, (*loc, "treatment"), report)
    _check_proportion(r.control, (*loc, "control"), report)
    treated, control = _percent(r.treatment), _percent(r.control)
    if e is None or treated is None or control is None or treated == control:
        return
    null = 1.0 if e.measure == "rr" else 0.0
    if e.estimate == null:
        return
    favoured = (e.estimate > null) == (e.favours_treatment == "positive")
    if favoured != ((treated > control) == (e.favours_treatment == "positive")):
        report(Problem(loc, "the two arms' proportions point the other way from the effect: are they swapped?"))


def _percent(p: Proportion) -> float | None:
    if p.percent is not None:
        return float(p.percent)
    if p.events is not None and p.total:
        return 100 * p.events / p.total
    return None


def _check_proportion(p: Proportion, loc: Loc, report: Callable[[Problem], None]) -> None:
    if p.percent is None and (p.events is None or p.total is None):
        report(Problem(loc, "give a percent, or events and total"))
    if (p.events is None) != (p.total is None):
        report(Problem(loc, "events and total go together"))
    if p.percent is not None and not 0 <= p.percent <= 100:
        report(Problem((*loc, "percent"), f"a percentage must lie between 0 and 100, got {p.percent:g}"))
    if p.total is not None and p.total <= 0:
        report(Problem((*loc, "total"), f"total must be positive, got {p.total}"))
    if p.events is not None and p.total is not None and p.total > 0:
        if not 0 <= p.events <= p.total:
            report(Problem((*loc, "events"), f"events must lie between 0 and the total ({p.total}), got {p.events}"))
        elif p.percent is not None and abs(p.percent - 100 * p.events / p.total) > 0.5:
            share = 100 * p.events / p.total
            report(Problem((*loc, "percent"), f"{p.percent:g}% does not match {p.events}/{p.total} ({share:.1f}%)"))
    if p.ci95 is not None:
        if p.percent is None:
            report(Problem((*loc, "ci95"), "a CI needs the percent it belongs to"))
        _check_interval(p.ci95, p.percent, 0, 100, (*loc, "ci95"), report)


def _check_interval(
    ci: Interval, value: float | None, low: float, high: float, loc: Loc, report: Callable[[Problem], None]
) -> None:
    """lower <= value <= upper, and both ends inside [low, high]."""
    if ci.lower > ci.upper:
        report(Problem(loc, f"lower bound {ci.lower:g} is above upper bound {ci.upper:g}"))
    elif value is not None and not ci.lower <= value <= ci.upper:
        report(Problem(loc, f"the CI {ci.lower:g} to {ci.upper:g} does not contain {value:g}"))
    if high == float("inf") and ci.lower < low:
        report(Problem(loc, "a rate cannot be negative"))
    elif not (low <= ci.lower and ci.upper <= high):
        report(Problem(loc, f"the interval must lie between {low:g} and {high:g}"))


def _check_change(w: WithinGroupChange, loc: Loc, scales: dict[str, Scale], report: Callable[[Problem], None]) -> None:
    """A within-group change is checked against its scale like an effect, and knows its arm's role."""
    scale = None
    if w.outcome.scale is not None:
        scale = scales.get(w.outcome.scale)
        if scale is None:
            report(Problem((*loc, "outcome", "scale"), f"unknown scale {w.outcome.scale!r}"))
    elif w.outcome.scale_inferred:
        report(Problem((*loc, "outcome", "scale_inferred"), "scale_inferred needs a scale"))
    if w.role == "control" and w.control is None:
        report(Problem((*loc, "control"), "a control arm needs its kind of control (usual_care, sham …)"))
    if w.role == "treatment" and w.control is not None:
        report(Problem((*loc, "control"), "only a control arm has a kind of control"))
    if w.n is not None and w.n <= 0:
        report(Problem((*loc, "n"), f"arm size must be positive, got {w.n}"))
    for name in ("improvement", "baseline"):
        if getattr(w, name) is not None and w.outcome.scale is None:
            report(Problem((*loc, name), f"{name} in points needs the outcome's scale"))
    if w.sd is not None and w.improvement is None:
        report(Problem((*loc, "sd"), "an SD needs the improvement it belongs to"))
    if w.sd is not None and w.sd <= 0:
        report(Problem((*loc, "sd"), f"an SD must be positive, got {w.sd:g}"))
    if w.ci95 is not None and w.improvement is None:
        report(Problem((*loc, "ci95"), "a CI needs the improvement it belongs to"))
    if w.percent is not None and not 0 <= w.percent <= 100:
        report(Problem((*loc, "percent"), f"an improvement in percent must lie between 0 and 100, got {w.percent:g}"))
    if scale is None:
        return
    span = scale.max - scale.min
    if w.improvement is not None and not 0 <= w.improvement <= span:
        msg = f"an improvement must lie between 0 and {span:g} points on {scale.id}, got {w.improvement:g}"
        report(Problem((*loc, "improvement"), msg))
    if w.baseline is not None and not scale.min <= w.baseline <= scale.max:
        report(Problem((*loc, "baseline"), f"baseline {w.baseline:g} lies outside {scale.id}"))
    if w.ci95 is not None and w.improvement is not None:
        _check_interval(w.ci95, w.improvement, -span, span, (*loc, "ci95"), report)


def _check_harm_rate(r: HarmRate, loc: Loc, report: Callable[[Problem], None]) -> None:
    """One basis per entry: a range whose ends are counted differently is two entries, never one."""
    if r.value is not None and r.range is not None:
        report(Problem(loc, "give a value or a range, not both"))
    if r.value is None and r.range is None and (r.events is None or r.total is None):
        report(Problem(loc, "give a value, a range, or events and total"))
    if r.per not in HARM_BASES:
        bases = ", ".join(f"{b:,}" for b in HARM_BASES)
        report(Problem((*loc, "per"), f"count per one of {bases}; got {r.per:,}"))
    for name in ("value", "events"):
        value = getattr(r, name)
        if value is not None and value < 0:
            report(Problem((*loc, name), f"{name} cannot be negative"))
    if r.range is not None:
        _check_interval(r.range, None, 0, float("inf"), (*loc, "range"), report)
    if r.ci95 is not None:
        _check_interval(r.ci95, r.value, 0, float("inf"), (*loc, "ci95"), report)
    if (r.events is None) != (r.total is None):
        report(Problem(loc, "events and total go together (a count without its denominator is not a rate)"))
    if r.total is not None and r.total <= 0:
        report(Problem((*loc, "total"), f"total must be positive, got {r.total}"))
    elif r.events is not None and r.total is not None and r.events > r.total:
        report(Problem((*loc, "events"), f"events ({r.events}) cannot exceed the total ({r.total})"))
