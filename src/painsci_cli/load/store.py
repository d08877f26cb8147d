"""A validated knowledge base that materialises treatments only when asked for.

`show` and `compare` touch two to six treatments; reading all of a 2,000-treatment KB to answer
them would make a lookup scale with the size of the KB. A Store holds what every lookup needs
(the registries, the names and the family tree) and fetches each treatment on first use, from
memory after a fresh validation or from its own blob in the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from ..models import Guideline, KnowledgeBase, Scale, Source, Treatment
from ..names import name_index
from ..records import Record, record

if TYPE_CHECKING:
    from ..profile import EvidenceProfile
    from ..views import TreatmentRow


class DamagedEntry(Exception):
    """A cached treatment failed its checksum or its type check when it was finally read."""


@record
class Core(Record):
    """The parts of a KB every lookup uses: registries and review date, no treatments."""

    schema_version: int
    reviewed: str
    scales: tuple[Scale, ...]
    sources: tuple[Source, ...]
    guidelines: tuple[Guideline, ...]


@record
class Directory(Record):
    """Treatment ids in KB order, normalised names -> id, parent -> children, and which treatments
    each one was compared with head to head (so `compare` opens only the members that were)."""

    ids: tuple[str, ...]
    names: dict[str, str]
    children: dict[str, tuple[str, ...]]
    compared_with: dict[str, tuple[str, ...]]


class Store:
    """Registries up front, treatments on demand (each loaded at most once).

    Cheap for any KB size: nothing here walks all treatments unless a command needs them all
    (`list`, `search`, `sources`), so `show` and `compare` cost the same on 40 or 2,000.
    `recover` re-reads the KB itself; it is used if a cached treatment turns out to be damaged
    after the store was opened, so a bad cache entry costs time, never an answer.
    """

    __slots__ = (
        "_fetch",
        "_keep",
        "_loaded",
        "_recover",
        "_rows",
        "_scales",
        "core",
        "directory",
        "profiles",
        "treatments",
    )

    def __init__(
        self,
        core: Core,
        directory: Directory,
        fetch: Callable[[str], Treatment],
        recover: Callable[[], KnowledgeBase] | None = None,
        rows: Callable[[str, str], TreatmentRow | None] | None = None,
        keep: Callable[[str, Mapping[str, TreatmentRow]], None] | None = None,
    ) -> None:
        self.core = core
        self._rows = rows
        self._keep = keep
        self.directory = directory
        self._fetch = fetch
        self._recover = recover
        self._loaded: dict[str, Treatment] = {}
        self._scales: dict[str, Scale] | None = None
        self.treatments: Mapping[str, Treatment] = Treatments(self)
        """id -> Treatment, each loaded on first access, in KB order when iterated."""
        self.profiles: dict[tuple[str, str], EvidenceProfile] = {}
        """(treatment id, phase) -> evidence profile, kept by judgements.evidence: a row carries
        the other phase's bottom line too, so without it every profile is weighed twice."""

    @property
    def names(self) -> dict[str, str]:
        """Normalised id, name or alias -> treatment id (unique by the KB cross-checks)."""
        return self.directory.names

    @property
    def children(self) -> dict[str, tuple[str, ...]]:
        return self.directory.children

    def cached_row(self, treatment_id: str, phase: str) -> TreatmentRow | None:
        """The row a previous `list` of this phase kept in the cache, or None (compute it)."""
        return self._rows(treatment_id, phase) if self._rows is not None else None

    def keep_rows(self, phase: str, rows: Mapping[str, TreatmentRow]) -> None:
        """Offer every treatment's row for `phase` (id -> row) to the cache, for the next run."""
        if self._keep is not None:
            self._keep(phase, rows)

    @property
    def scales_by_id(self) -> dict[str, Scale]:
        """Scale id -> scale, built once per store (a profile looks scales up for every finding)."""
        if self._scales is None:
            self._scales = {s.id: s for s in self.core.scales}
        return self._scales

    def scale(self, scale_id: str | None) -> Scale | None:
        return None if scale_id is None else self.scales_by_id.get(scale_id)

    @classmethod
    def from_kb(cls, kb: KnowledgeBase, keep: Callable[[str, Mapping[str, TreatmentRow]], None] | None = None) -> Store:
        """A store over a KB in memory; `keep` saves a phase's rows once computed (the cache)."""
        by_id = {t.id: t for t in kb.treatments}
        return cls(split_core(kb), directory_of(kb), by_id.__getitem__, keep=keep)

    def treatment(self, treatment_id: str) -> Treatment:
        found = self._loaded.get(treatment_id)
        if found is None:
            try:
                found = self._fetch(treatment_id)
            except DamagedEntry:
                if self._recover is None:
                    raise
                self._fetch = {t.id: t for t in self._recover().treatments}.__getitem__
                self._recover = None
                found = self._fetch(treatment_id)
            self._loaded[treatment_id] = found
        return found

    def all(self) -> tuple[Treatment, ...]:
        """Every treatment, in KB order (list, search and sources need them all)."""
        return tuple(self.treatment(i) for i in self.directory.ids)


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


def split_core(kb: KnowledgeBase) -> Core:
    return Core(kb.schema_version, kb.reviewed, kb.scales, kb.sources, kb.guidelines)


def directory_of(kb: KnowledgeBase) -> Directory:
    children: dict[str, list[str]] = {}
    for t in kb.treatments:
        if t.parent:
            children.setdefault(t.parent, []).append(t.id)
    return Directory(
        ids=tuple(t.id for t in kb.treatments),
        names=name_index((t.id, t.name, *t.aliases) for t in kb.treatments),
        children={parent: tuple(ids) for parent, ids in children.items()},
        compared_with={
            t.id: tuple(dict.fromkeys(f.comparator.treatment for f in t.findings if f.comparator.treatment))
            for t in kb.treatments
            if any(f.comparator.treatment for f in t.findings)
        },
    )
