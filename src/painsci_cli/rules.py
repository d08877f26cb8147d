"""Rules pydantic's per-field validation cannot see: references, uniqueness, ranges, CIs.

Each rule that spans fields or records reports a Problem at a location; load/validate.py turns
the location into FILE:LINE. The rules for one figure against its scale live in figure_rules.py.
No I/O here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator

from . import KB_SCHEMA_VERSION
from .figure_rules import Problem, check_change, check_finding, check_harm_rate, check_scale_unnamed
from .models import (
    Citation,
    KnowledgeBase,
    Loc,
    Source,
    Treatment,
    WithinGroupChange,
)
from .names import name_problem, normalise_name, quoted, skeleton

__all__ = ["Problem", "check_names", "cross_check"]


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
            check_finding(f, (*base, "findings", f_i), scales, treatments, finding_ids, add)
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
            check_change(w, loc, scales, add)
            check_scale_unnamed(w.outcome, (*loc, "outcome"), add)
        for h_i, h in enumerate(t.harms):
            for r_i, rate in enumerate(h.rates):
                check_harm_rate(rate, (*base, "harms", h_i, "rates", r_i), add)
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
