"""The documents each command prints: pure functions from the store (and the command's
arguments) to one of the records in views.py, which are also the JSON API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from . import __version__, absolute, arms, derive
from .charset import visible
from .errors import UsageError
from .guidelines import GuidelineLine
from .judgements import (
    all_rows,
    assess,
    cached_row,
    effect_rank,
    evidence,
    guideline_lines,
    guideline_positions,
    key_answer,
)
from .load.store import Store
from .lookup import resolve
from .models import Citation, Source, Treatment
from .profile import PHASES, Phase
from .records import Record, record
from .text import compact_figure
from .views import (
    OUTPUT_SCHEMA_MINOR,
    OUTPUT_SCHEMA_VERSION,
    CompareDoc,
    CoverageDoc,
    CoverageRow,
    ExplainDoc,
    FindingRow,
    FindingsDoc,
    GlossaryDoc,
    HarmRow,
    HeadToHead,
    ListDoc,
    SearchDoc,
    SearchHit,
    SourcesDoc,
    TreatmentDoc,
    TreatmentRow,
)

SortKey = Literal["name", "bottom-line", "effect", "certainty"]
"""bottom-line: the verdict, then the size of the effect that answers the verdict's question (the
same question for every treatment with that verdict); effect: the same order, kept under its old
name; certainty: the key finding's own certainty; name: alphabetical."""
MAX_COMPARE = 6


def header(store: Store | None) -> tuple[int, int, str, str]:
    """schema_version, schema_minor, painsci_version and kb_reviewed: how every document starts.

    The glossary reads no knowledge base, so its kb_reviewed is "n/a".
    """
    return OUTPUT_SCHEMA_VERSION, OUTPUT_SCHEMA_MINOR, __version__, store.core.reviewed if store else "n/a"


def treatment_doc(store: Store, treatment: Treatment, phase: Phase = "chronic") -> TreatmentDoc:
    profiles = tuple(evidence(store, treatment, phase) for phase in PHASES)
    chronic = key_answer(profiles[0]) or key_answer(profiles[1])
    return TreatmentDoc(
        *header(store),
        kind="treatment",
        treatment=treatment,
        children=store.children.get(treatment.id, ()),
        assessments=tuple(assess(store, f, treatment.findings) for f in treatment.findings),
        headline=chronic.finding if chronic and chronic.treatment == treatment.id else None,
        guidelines=guideline_positions(store, treatment),
        sources=cited_sources(store, treatment),
        profiles=profiles,
        guideline_lines=tuple(line for each in PHASES for line in guideline_lines(store, treatment, each)),
        subtypes=tuple(cached_row(store, child, phase) for child in store.children.get(treatment.id, ())),
        phase=phase,
        arms_improvement=arms.arms_improvement(treatment.within_group, store.core.scales),
        harm_rates=absolute.harm_rates(treatment.harms),
    )


def cited_sources(store: Store, treatment: Treatment) -> tuple[Source, ...]:
    """Every source the treatment's record cites, each once, in order of first citation."""
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
    by_id = {s.id: s for s in store.core.sources}
    return tuple(by_id[i] for i in ids)


@record
class ListFilter(Record):
    category: str | None = None
    guideline: tuple[tuple[str, str], ...] = ()
    """(guideline id, wanted position) pairs that must all hold for the phase: a stance (for,
    against, not_addressed, unverified) or a strength and direction ("open-for", "strong-against")."""
    min_certainty: str | None = None
    """The key finding's own certainty must be at least this (never another finding's)."""
    sort: SortKey = "name"
    phase: Phase = "chronic"


def list_doc(store: Store, filters: ListFilter) -> ListDoc:
    rows = all_rows(store, filters.phase)
    if filters.category:
        rows = [r for r in rows if r.category == filters.category]
    for gid, wanted in filters.guideline:
        rows = [r for r in rows if any(line.guideline == gid and _matches(line, wanted) for line in r.guideline_lines)]
    if filters.min_certainty:
        floor = derive.CERTAINTY_RANK[filters.min_certainty]
        rows = [r for r in rows if (c := _key_certainty(r)) is not None and derive.CERTAINTY_RANK[c] >= floor]
    rows.sort(key=_sort_key(filters.sort))
    note = None
    if filters.guideline:
        note = f"guideline filters read the recommendations for {filters.phase} pain (--phase to change)"
    return ListDoc(*header(store), kind="list", treatments=tuple(rows), phase=filters.phase, note=note)


def _matches(line: GuidelineLine, wanted: str) -> bool:
    if wanted in ("for", "against", "not_addressed", "unverified"):
        return line.stance == wanted
    return line.mark == wanted.replace("-", " ")


def _key_certainty(r: TreatmentRow) -> str | None:
    answer = next((a for a in r.answers if a.question == r.bottom_line.basis), None)
    return answer.certainty if answer else None


def _sort_key(sort: SortKey) -> Callable[[TreatmentRow], tuple[float, float, str]]:
    def name(r: TreatmentRow) -> str:
        return r.name.casefold()

    if sort in ("bottom-line", "effect"):

        def by_verdict(r: TreatmentRow) -> tuple[float, float, str]:
            rank, size, _ = effect_rank(r)
            return (-rank, -size, name(r))

        return by_verdict
    if sort == "certainty":
        return lambda r: (-derive.CERTAINTY_RANK.get(_key_certainty(r) or "", -1), 0.0, name(r))
    return lambda r: (0.0, 0.0, name(r))


def compare_doc(store: Store, names: Sequence[str], phase: Phase = "chronic") -> CompareDoc:
    from .judgements import best_in_rows

    if not 2 <= len(names) <= MAX_COMPARE:
        raise UsageError(f"painsci: compare takes 2 to {MAX_COMPARE} treatments, got {len(names)}")
    chosen = [resolve(store, n) for n in names]
    ids = [t.id for t in chosen]
    if len(set(ids)) != len(ids):
        raise UsageError("painsci: the same treatment was named twice")
    rows = tuple(cached_row(store, t.id, phase) for t in chosen)
    return CompareDoc(
        *header(store),
        kind="comparison",
        treatments=rows,
        best=best_in_rows(rows),
        phase=phase,
        head_to_head=head_to_head(store, chosen),
    )


def head_to_head(store: Store, chosen: Sequence[Treatment]) -> tuple[HeadToHead, ...]:
    """Findings in which one compared treatment (or one of its sub-types) was the comparator of
    another: the direct answer to "which is better?", shown before anything compared indirectly."""
    found: list[HeadToHead] = []
    for t in chosen:
        for other in chosen:
            if other is t:
                continue
            targets = {other.id, *store.children.get(other.id, ())}
            compared = store.directory.compared_with
            members = [m for m in (t.id, *store.children.get(t.id, ())) if targets & set(compared.get(m, ()))]
            for member in (store.treatments[m] for m in members):
                for f in member.findings:
                    if f.comparator.treatment in targets:
                        scale = store.scale(f.outcome.scale)
                        result = compact_figure(f, scale) if f.effect else (f.result or "no result stated")
                        found.append(
                            HeadToHead(
                                treatment=member.id,
                                comparator=f.comparator.treatment or other.id,
                                finding=f.id,
                                outcome=f.outcome.label,
                                time_point=f.time_point.label,
                                result=result,
                                certainty=f.certainty.level if f.certainty else None,
                            )
                        )
    unique = {h.finding: h for h in found}
    return tuple(unique.values())


def explain_doc(store: Store, treatment: Treatment, phase: Phase = "chronic") -> ExplainDoc:
    from .explain import paragraphs

    parts = paragraphs(store, treatment, phase)
    return ExplainDoc(
        *header(store),
        kind="explanation",
        treatment=treatment.id,
        text=" ".join(parts),
        phase=phase,
        bottom_line=evidence(store, treatment, phase).bottom_line,
        paragraphs=parts,
    )


def glossary_doc(term: str | None) -> GlossaryDoc:
    from .glossary import lookup

    return GlossaryDoc(*header(None), kind="glossary", entries=lookup(term))


def search_doc(store: Store, query: str) -> SearchDoc:
    """Every word must occur (case-insensitively) in one field of one treatment."""
    words = query.casefold().split()
    if not words:
        raise UsageError("painsci: search needs some text, e.g. painsci search sham")
    hits = []
    for t in store.all():
        for field_name, text in _searchable(t):
            folded = text.casefold()
            if all(w in folded for w in words):
                hits.append(SearchHit(t.id, t.name, field_name, _excerpt(text, words[0])))
                break
    return SearchDoc(*header(store), kind="search", query=visible(query), hits=tuple(hits))


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


def sources_doc(store: Store, treatment: Treatment | None) -> SourcesDoc:
    if treatment is None:
        return SourcesDoc(*header(store), kind="sources", treatment=None, sources=store.core.sources)
    family = [treatment] + [store.treatments[c] for c in store.children.get(treatment.id, ())]
    seen: dict[str, Source] = {}
    for member in family:
        for source in cited_sources(store, member):
            seen.setdefault(source.id, source)
    return SourcesDoc(*header(store), kind="sources", treatment=treatment.id, sources=tuple(seen.values()))


def coverage_doc(store: Store, missing_only: bool = False) -> CoverageDoc:
    """Which treatments have numeric between-group figures, which only directions, and why."""
    rows = []
    for t in store.all():
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
    return CoverageDoc(*header(store), kind="coverage", treatments=tuple(rows), without_figures=without)


def _direction_only_reason(direction_only: int, figures: int) -> str | None:
    if figures or not direction_only:
        return None
    return (
        f"Only directions: {direction_only} finding(s) say what the sources concluded, but the sources "
        "used give no between-group number (see painsci show)."
    )


def findings_doc(
    store: Store,
    treatments: Sequence[str] = (),
    comparators: Sequence[str] = (),
    phase: Phase | None = None,
    numeric: bool = False,
    harms: bool = False,
) -> FindingsDoc:
    """Every finding of the KB (or of the treatments named, with their sub-types) in one table;
    with `harms`, every harm rate instead (harms have no comparator or phase to filter by)."""
    from .profile import flags, phases, question, shows

    chosen = [resolve(store, name) for name in treatments]
    ids = list(dict.fromkeys(i for t in chosen for i in (t.id, *store.children.get(t.id, ())))) or list(
        store.directory.ids
    )
    if harms:
        if comparators or phase is not None:
            raise UsageError("painsci: --harms lists harm rates, which have no comparator or phase: drop those filters")
        return FindingsDoc(
            *header(store),
            kind="findings",
            findings=(),
            treatments=tuple(t.id for t in chosen),
            comparators=(),
            phase=None,
            numeric=numeric,
            harms=tuple(row for tid in ids for row in harm_rows(store.treatments[tid], numeric)),
            rows_of="harms",
        )
    rows = []
    for tid in ids:
        treatment = store.treatments[tid]
        for f in treatment.findings:
            if comparators and f.comparator.kind not in comparators:
                continue
            if phase is not None and phase not in phases(f):
                continue
            if numeric and f.effect is None:
                continue
            a = assess(store, f, treatment.findings)
            status = "none" if f.outcome.scale is None and not f.outcome.scale_unnamed else "named"
            if f.outcome.scale_inferred:
                status = "inferred"
            elif f.outcome.scale_unnamed:
                status = "unnamed"
            effect = f.effect
            rows.append(
                FindingRow(
                    treatment=tid,
                    finding=f.id,
                    outcome=f.outcome.label,
                    construct=f.outcome.construct,
                    scale=f.outcome.scale,
                    scale_status=status,  # type: ignore[arg-type]
                    population=f.population.duration,
                    question=question(f),
                    comparator=f.comparator.kind,
                    comparator_label=f.comparator.label,
                    time=f.time_point.label,
                    window=a.time_window.window,
                    measure=effect.measure if effect else None,
                    estimate=effect.estimate if effect else None,
                    ci_lower=effect.ci95.lower if effect and effect.ci95 else None,
                    ci_upper=effect.ci95.upper if effect and effect.ci95 else None,
                    shows=shows(f),
                    mcid=a.mcid.verdict,
                    magnitude=None if a.magnitude.label == "not_classified" else a.magnitude.label,
                    certainty=f.certainty.level if f.certainty else None,
                    certainty_up_to=f.certainty.up_to if f.certainty else None,
                    flags=tuple(flags(f, phase or (phases(f)[0]))),
                    source=f.cite.source,
                    locator=f.cite.locator,
                    reading=f.cite.reading,
                )
            )
    return FindingsDoc(
        *header(store),
        kind="findings",
        findings=tuple(rows),
        treatments=tuple(t.id for t in chosen),
        comparators=tuple(comparators),
        phase=phase,
        numeric=numeric,
    )


def harm_rows(treatment: Treatment, numeric: bool = False) -> list[HarmRow]:
    """One row per stored rate, on the source's basis; a harm without numbers is one row of words
    (left out with `numeric`)."""
    rows = []
    for harm in treatment.harms:
        for rate in harm.rates or ((None,) if not numeric else ()):
            expressed = None if rate is None else absolute.harm_per(rate)
            rows.append(
                HarmRow(
                    treatment=treatment.id,
                    harm=harm.description,
                    serious=harm.serious,
                    arm=rate.arm if rate else None,
                    per=rate.per if rate else None,
                    of=rate.of if rate else None,
                    value=expressed.value if expressed else None,
                    range_low=expressed.range_low if expressed else None,
                    range_high=expressed.range_high if expressed else None,
                    ci_lower=expressed.ci_lower if expressed else None,
                    ci_upper=expressed.ci_upper if expressed else None,
                    events=rate.events if rate else None,
                    total=rate.total if rate else None,
                    from_counts=bool(expressed and expressed.from_counts),
                    rate=expressed.text() if expressed else "",
                    as_printed=harm.rate,
                    source=harm.cite.source,
                    locator=harm.cite.locator,
                    reading=harm.cite.reading,
                )
            )
    return rows
