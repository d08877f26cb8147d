"""Pure functions from a validated KB to view models: resolve names, assess, filter, compare."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Literal

from . import __version__, derive
from . import text as words
from .charset import visible
from .derive import Window
from .errors import UsageError
from .models import Citation, Finding, KnowledgeBase, Recommendation, Scale, Source, Treatment
from .names import normalise_name
from .records import Record, record
from .store import Store
from .suggest import close_matches
from .text import describe_effect, one_of, printable
from .views import (
    OUTPUT_SCHEMA_VERSION,
    Assessment,
    CompareDoc,
    CoverageDoc,
    CoverageRow,
    Durability,
    GuidelinePosition,
    GuidelineSummary,
    ListDoc,
    SearchDoc,
    SearchHit,
    SourcesDoc,
    TreatmentDoc,
    TreatmentRow,
)

SortKey = Literal["name", "effect", "certainty"]
WINDOW_ORDER: tuple[Window, ...] = ("immediate", "short", "intermediate", "long")
CHRONIC_FIRST = ("chronic", "subacute_chronic", "all", "acute_subacute", "subacute", "acute")
MAX_COMPARE = 6


class Treatments(Mapping[str, Treatment]):
    """id -> Treatment, loaded from the store on first access, in KB order when iterated."""

    __slots__ = ("_ids", "_store")

    def __init__(self, store: Store) -> None:
        self._store = store
        self._ids = frozenset(store.directory.ids)

    def __getitem__(self, treatment_id: str) -> Treatment:
        if treatment_id not in self._ids:
            raise KeyError(treatment_id)
        return self._store.treatment(treatment_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.directory.ids)

    def __len__(self) -> int:
        return len(self._store.directory.ids)


class Index:
    """What a lookup needs: registries, names and family tree up front, treatments on demand.

    Cheap for any KB size: nothing here walks all treatments unless a command needs them all
    (`list`, `search`, `sources`), so `show` and `compare` cost the same on 40 or 2,000.
    """

    __slots__ = ("children", "core", "names", "store", "treatments")

    def __init__(self, store: Store) -> None:
        self.store = store
        self.core = store.core
        self.names = store.directory.names
        """Normalised id, name or alias -> treatment id (unique by the KB cross-checks)."""
        self.children = store.directory.children
        self.treatments = Treatments(store)

    @classmethod
    def build(cls, kb: KnowledgeBase | Store) -> Index:
        return cls(kb if isinstance(kb, Store) else Store.from_kb(kb))

    def all(self) -> tuple[Treatment, ...]:
        return self.store.treatments()

    def header(self) -> tuple[int, str, str]:
        """schema_version, painsci_version and kb_reviewed: the fields every document starts with."""
        return OUTPUT_SCHEMA_VERSION, __version__, self.core.reviewed

    def scale(self, scale_id: str | None) -> Scale | None:
        if scale_id is None:
            return None
        return next((s for s in self.core.scales if s.id == scale_id), None)


# --------------------------------------------------------------------------- names


def resolve(index: Index, name: str) -> Treatment:
    """Id, alias or name in any case, with spaces or hyphens, or a unique prefix of one."""
    key = normalise_name(name)
    if not key:
        raise UsageError("painsci: empty treatment name; try 'painsci list'")
    if key in index.names:
        return index.treatments[index.names[key]]
    prefixed = {tid for n, tid in index.names.items() if n.startswith(key)}
    if len(prefixed) == 1:
        return index.treatments[prefixed.pop()]
    shown = printable(name)
    if prefixed:
        hyphenated = key.replace(" ", "-")
        ordered = sorted(prefixed, key=lambda tid: (not tid.startswith(hyphenated), tid))
        more = f" and {len(ordered) - 3} more" if len(ordered) > 3 else ""
        raise UsageError(
            f"painsci: {shown} matches {len(ordered)} treatments: {', '.join(repr(t) for t in ordered[:3])}{more}; "
            "type more of the name"
        )
    suggestions = suggest_names(index, key)
    hint = f"; did you mean {one_of(suggestions)}?" if suggestions else ""
    raise UsageError(f"painsci: unknown treatment {shown}{hint} (see 'painsci list')")


def suggest_names(index: Index, key: str, limit: int = 3) -> list[str]:
    """Up to `limit` treatment ids whose names look like `key`."""
    found: list[str] = []
    for match in close_matches(key[:100], index.names, limit=limit * 3):
        tid = index.names[match]
        if tid not in found:
            found.append(tid)
    return found[:limit]


# --------------------------------------------------------------------------- assessment


def assess(index: Index, finding: Finding) -> Assessment:
    scale = index.scale(finding.outcome.scale)
    return Assessment(
        finding=finding.id,
        scale=scale,
        benefit=derive.benefit(finding),
        significant=derive.significant(finding),
        favours_treatment=derive.favours_treatment(finding),
        magnitude=derive.magnitude(finding, scale),
        mcid=derive.mcid_check(finding),
        time_window=derive.time_window(finding),
        blinding_risk=derive.blinding_risk(finding),
        scale_inferred=finding.outcome.scale_inferred,
    )


def headline(treatment: Treatment) -> Finding | None:
    """The finding that stands for a treatment in `list` and `compare`.

    Preference, in order: a between-group estimate with a CI; against an inactive or sham
    control (the question painsci answers); higher certainty; a review over a single trial;
    pain over function over other outcomes; chronic populations; then KB order.
    """
    candidates = [f for f in treatment.findings if f.effect is not None and f.effect.measure != "rr"]
    if not candidates:
        return None
    construct_rank = {"pain": 2, "function": 1}

    def key(item: tuple[int, Finding]) -> tuple[int, ...]:
        order, f = item
        return (
            f.effect is not None and f.effect.ci95 is not None,
            f.comparator.kind in derive.INACTIVE | derive.SHAM | {"inactive_mixed"},
            derive.certainty_rank(f),
            f.design in ("systematic_review", "meta_analysis", "ipd_meta_analysis"),
            construct_rank.get(f.outcome.construct, 0),
            f.population.duration == "chronic",
            -order,
        )

    return max(enumerate(candidates), key=key)[1]


def durability(index: Index, treatment: Treatment) -> Durability:
    """How long a significant between-group benefit was shown, and whether it faded later."""
    shown: set[Window] = set()
    not_shown: set[Window] = set()
    for f in treatment.findings:
        window = derive.time_window(f).window
        if window == "unknown" or f.comparator.kind == "active":
            continue
        verdict = derive.favours_treatment(f)
        if verdict:
            shown.add(window)
        elif verdict is False or (f.effect is None and f.result and _says_no_benefit(f.result)):
            not_shown.add(window)
    last = max(shown, key=WINDOW_ORDER.index) if shown else None
    later = [w for w in not_shown if last is None or WINDOW_ORDER.index(w) > WINDOW_ORDER.index(last)]
    faded = min(later, key=WINDOW_ORDER.index) if later else None
    if last is None:
        return Durability(None, None, "no significant benefit shown" if not_shown else "not reported")
    text = LASTS[last]
    if faded:
        text += f"; none by {words.WINDOW[faded]}"
    elif last == max(shown | not_shown, key=WINDOW_ORDER.index):
        text += " (latest time measured)"
    return Durability(last, faded, text)


LASTS: dict[Window, str] = {
    "immediate": "end of treatment",
    "short": "up to 6 months after treatment",
    "intermediate": "up to 12 months after treatment",
    "long": "12 months or more after treatment",
    "unknown": "time not stated",
}


def _says_no_benefit(result: str) -> bool:
    lowered = result.casefold()
    return any(
        p in lowered
        for p in (
            "no significant",
            "no difference",
            "no benefit",
            "not significant",
            "no effect",
            "no persisting",
            "little or no",
        )
    )


def guideline_positions(index: Index, treatment: Treatment) -> tuple[GuidelinePosition, ...]:
    by_id = {g.id: g for g in index.core.guidelines}
    return tuple(GuidelinePosition(by_id[r.guideline], r) for r in treatment.recommendations)


def chronic_stance(recs: Sequence[Recommendation]) -> Recommendation | None:
    """The entry that applies to chronic pain when a guideline has several (e.g. acute + chronic)."""

    def rank(r: Recommendation) -> int:
        return CHRONIC_FIRST.index(r.condition.phase) if r.condition else len(CHRONIC_FIRST)

    return min(recs, key=rank) if recs else None


def guideline_summary(index: Index, treatment: Treatment) -> GuidelineSummary:
    stances = {}
    for g in index.core.guidelines:
        chosen = chronic_stance([r for r in treatment.recommendations if r.guideline == g.id])
        stances[g.id] = chosen.stance if chosen else "unverified"
    counts = {s: sum(1 for v in stances.values() if v == s) for s in ("for", "against", "not_addressed", "unverified")}
    words = {"for": "for", "against": "against", "not_addressed": "not addressed", "unverified": "unverified"}
    text = ", ".join(f"{n} {words[s]}" for s, n in counts.items() if n)
    return GuidelineSummary(stances, text)


def row(index: Index, treatment: Treatment) -> TreatmentRow:
    chosen = headline(treatment)
    assessment = assess(index, chosen) if chosen else None
    ranked = sorted(
        (f.certainty.level for f in treatment.findings if f.certainty), key=derive.CERTAINTY_RANK.__getitem__
    )
    best = ranked[-1] if ranked else None
    if chosen is not None:
        text = describe_effect(chosen, index.scale(chosen.outcome.scale))
    else:
        text = treatment.evidence_gap or "no between-group estimate in the knowledge base"
    harms = "; ".join(h.description + (f" ({h.rate})" if h.rate else "") for h in treatment.harms[:2])
    return TreatmentRow(
        id=treatment.id,
        name=treatment.name,
        category=treatment.category,
        parent=treatment.parent,
        headline=assessment,
        headline_text=text,
        best_certainty=best,
        durability=durability(index, treatment),
        guidelines=guideline_summary(index, treatment),
        plausibility=treatment.mechanism.plausibility if treatment.mechanism else None,
        harms=harms or (treatment.harms_note or "not reported"),
        findings=len(treatment.findings),
        evidence_gap=treatment.evidence_gap,
    )


# --------------------------------------------------------------------------- documents


def treatment_doc(index: Index, treatment: Treatment) -> TreatmentDoc:
    chosen = headline(treatment)
    cited = _cited_sources(index, treatment)
    return TreatmentDoc(
        *index.header(),
        kind="treatment",
        treatment=treatment,
        children=index.children.get(treatment.id, ()),
        assessments=tuple(assess(index, f) for f in treatment.findings),
        headline=chosen.id if chosen else None,
        guidelines=guideline_positions(index, treatment),
        sources=cited,
    )


def _cited_sources(index: Index, treatment: Treatment) -> tuple[Source, ...]:
    ids: list[str] = []
    cites: list[Citation] = [f.cite for f in treatment.findings]
    cites += [f.mcid.cite for f in treatment.findings if f.mcid]
    cites += [w.cite for w in treatment.within_group]
    cites += [h.cite for h in treatment.harms] + [c.cite for c in treatment.cost]
    cites += [c.cite for c in treatment.caveats] + [r.cite for r in treatment.recommendations]
    cites += list(treatment.mechanism.cites) if treatment.mechanism else []
    for cite in cites:
        if cite.source not in ids:
            ids.append(cite.source)
    by_id = {s.id: s for s in index.core.sources}
    return tuple(by_id[i] for i in ids)


@record
class ListFilter(Record):
    category: str | None = None
    guideline: tuple[tuple[str, str], ...] = ()
    """(guideline id, stance) pairs that must all hold."""
    min_certainty: str | None = None
    sort: SortKey = "name"


def guideline_id(index: Index, name: str) -> str:
    """'nvl', 'NICE', 'who-2023' … to a guideline id; a usage error names the choices."""
    key = normalise_name(name)
    if not key:
        raise UsageError("painsci: --guideline needs a guideline name before '=' (e.g. nice=against)")
    matches = [
        g.id
        for g in index.core.guidelines
        if normalise_name(g.id).startswith(key) or normalise_name(g.short_name).startswith(key)
    ]
    if len(matches) != 1:
        choices = ", ".join(g.id for g in index.core.guidelines)
        raise UsageError(f"painsci: unknown guideline {printable(name)}; choose one of {choices}")
    return matches[0]


def list_doc(index: Index, filters: ListFilter) -> ListDoc:
    rows = [row(index, t) for t in index.all()]
    if filters.category:
        rows = [r for r in rows if r.category == filters.category]
    for gid, stance in filters.guideline:
        rows = [r for r in rows if r.guidelines.stances.get(gid) == stance]
    if filters.min_certainty:
        floor = derive.CERTAINTY_RANK[filters.min_certainty]
        rows = [r for r in rows if r.best_certainty and derive.CERTAINTY_RANK[r.best_certainty] >= floor]
    rows.sort(key=_sort_key(filters.sort))
    return ListDoc(*index.header(), kind="list", treatments=tuple(rows))


def _sort_key(sort: SortKey) -> Callable[[TreatmentRow], tuple[float, str]]:
    if sort == "effect":
        return lambda r: (-_effect_size(r), r.name.casefold())
    if sort == "certainty":
        return lambda r: (-(derive.CERTAINTY_RANK.get(r.best_certainty or "", -1)), r.name.casefold())
    return lambda r: (0.0, r.name.casefold())


def _effect_size(r: TreatmentRow) -> float:
    """Rank by AHRQ magnitude class only.

    Headline estimates are on different scales (SMD, points on 0-10 or 0-100, RDQ), so their raw
    values are not comparable across treatments; the class is. A headline whose CI includes no
    effect ranks below every class that excludes it.
    """
    if r.headline is None or r.headline.benefit is None:
        return -2
    order = {"large": 4, "moderate": 3, "above_moderate": 3, "small": 2, "below_moderate": 1, "below_small": 1}
    rank = order.get(r.headline.magnitude.label, 0)
    return rank if r.headline.significant is not False else -1


def compare_doc(index: Index, names: Sequence[str]) -> CompareDoc:
    if not 2 <= len(names) <= MAX_COMPARE:
        raise UsageError(f"painsci: compare takes 2 to {MAX_COMPARE} treatments, got {len(names)}")
    chosen = [resolve(index, n) for n in names]
    ids = [t.id for t in chosen]
    if len(set(ids)) != len(ids):
        raise UsageError("painsci: the same treatment was named twice")
    rows = tuple(row(index, t) for t in chosen)
    return CompareDoc(*index.header(), kind="comparison", treatments=rows, best=best_in_rows(rows))


def best_in_rows(rows: Sequence[TreatmentRow]) -> dict[str, tuple[str, ...]]:
    """Which treatments hold the best value per attribute; ties share it, unknowns never win."""
    scores: dict[str, dict[str, float]] = {"effect": {}, "certainty": {}, "durability": {}, "guidelines": {}}
    for r in rows:
        if r.headline is not None and r.headline.benefit is not None and r.headline.favours_treatment:
            scores["effect"][r.id] = _effect_size(r)
        if r.best_certainty:
            scores["certainty"][r.id] = derive.CERTAINTY_RANK[r.best_certainty]
        if r.durability.last_significant_window:
            scores["durability"][r.id] = WINDOW_ORDER.index(r.durability.last_significant_window)
        stances = list(r.guidelines.stances.values())
        scores["guidelines"][r.id] = stances.count("for") - stances.count("against")
    best: dict[str, tuple[str, ...]] = {}
    for attribute, by_id in scores.items():
        everyone_ties = len(by_id) == len(rows) and len(set(by_id.values())) == 1
        if by_id and not everyone_ties:
            top = max(by_id.values())
            best[attribute] = tuple(i for i, v in by_id.items() if v == top)
    return best


def search_doc(index: Index, query: str) -> SearchDoc:
    """Every word must occur (case-insensitively) in one field of one treatment."""
    words = query.casefold().split()
    if not words:
        raise UsageError("painsci: search needs some text, e.g. painsci search sham")
    hits = []
    for t in index.all():
        for field_name, text in _searchable(t):
            folded = text.casefold()
            if all(w in folded for w in words):
                hits.append(SearchHit(t.id, t.name, field_name, _excerpt(text, words[0])))
                break
    return SearchDoc(*index.header(), kind="search", query=visible(query), hits=tuple(hits))


def _searchable(t: Treatment) -> Iterable[tuple[str, str]]:
    yield "name", t.name
    yield "aliases", ", ".join(t.aliases)
    yield "description", t.description
    for c in t.caveats:
        yield "caveat", c.text
    if t.mechanism:
        yield "mechanism", f"{t.mechanism.claim} {t.mechanism.assessment}"
    if t.evidence_gap:
        yield "evidence gap", t.evidence_gap


def _excerpt(text: str, word: str, width: int = 100) -> str:
    at = max(text.casefold().find(word) - 30, 0)
    snippet = text[at : at + width]
    return ("…" if at else "") + snippet + ("…" if at + width < len(text) else "")


def sources_doc(index: Index, treatment: Treatment | None) -> SourcesDoc:
    if treatment is None:
        return SourcesDoc(*index.header(), kind="sources", treatment=None, sources=index.core.sources)
    family = [treatment] + [index.treatments[c] for c in index.children.get(treatment.id, ())]
    seen: dict[str, Source] = {}
    for member in family:
        for source in _cited_sources(index, member):
            seen.setdefault(source.id, source)
    return SourcesDoc(*index.header(), kind="sources", treatment=treatment.id, sources=tuple(seen.values()))


def coverage_doc(index: Index, missing_only: bool = False) -> CoverageDoc:
    """Which treatments have numeric between-group figures, which only directions, and why."""
    rows = []
    for t in index.all():
        figures = sum(1 for f in t.findings if f.effect is not None)
        row_ = CoverageRow(
            id=t.id,
            name=t.name,
            category=t.category,
            figures=figures,
            direction_only=len(t.findings) - figures,
            within_group=len(t.within_group),
            gap=t.evidence_gap or _direction_only_reason(len(t.findings) - figures, figures),
        )
        if not missing_only or figures == 0:
            rows.append(row_)
    without = tuple(r.id for r in rows if r.figures == 0)
    return CoverageDoc(*index.header(), kind="coverage", treatments=tuple(rows), without_figures=without)


def _direction_only_reason(direction_only: int, figures: int) -> str | None:
    if figures or not direction_only:
        return None
    return (
        f"Only directions were read: {direction_only} finding(s) say what the sources concluded, "
        "but no between-group number was verified (see painsci show)."
    )
