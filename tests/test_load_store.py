"""Pins load/store.py: registries up front, each treatment fetched only when asked for, once.

A counting fetch shows that a show-like lookup loads one treatment, that `all()` loads each
exactly once in KB order, and that a damaged cache entry is recovered from the KB. Also the
Treatments mapping (len, iter, KeyError), Store.scale, and the Core/Directory split.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from helpers import SCALES, guideline, knowledge_base, treatment
from painsci_cli.load.store import Core, DamagedEntry, Directory, Store, directory_of, split_core
from painsci_cli.lookup import resolve
from painsci_cli.models import KnowledgeBase, Treatment

KB = knowledge_base(
    (
        treatment("massage", "Massage", "massage therapy"),
        treatment("relaxation-massage", "Relaxation massage", "swedish massage", parent="massage"),
        treatment("structural-massage", "Structural massage", parent="massage"),
        treatment("tens", "TENS"),
        treatment("usual-care", "Usual care"),
    ),
    guidelines=(guideline("nvl-2017", "NVL 2017"),),
    scales=(SCALES["pain-10"], SCALES["rdq-23"]),
)
IDS = ("massage", "relaxation-massage", "structural-massage", "tens", "usual-care")


class CountingFetch:
    """The store's fetch, counting how often each treatment is materialised."""

    def __init__(self, kb: KnowledgeBase, damaged: frozenset[str] = frozenset()) -> None:
        self.by_id = {t.id: t for t in kb.treatments}
        self.calls: Counter[str] = Counter()
        self.damaged = damaged

    def __call__(self, treatment_id: str) -> Treatment:
        self.calls[treatment_id] += 1
        if treatment_id in self.damaged:
            raise DamagedEntry(treatment_id)
        return self.by_id[treatment_id]


def counted_store(
    damaged: frozenset[str] = frozenset(), recover: Callable[[], KnowledgeBase] | None = None
) -> tuple[Store, CountingFetch]:
    fetch = CountingFetch(KB, damaged)
    return Store(split_core(KB), directory_of(KB), fetch, recover), fetch


def test_opening_a_store_loads_no_treatment() -> None:
    store, fetch = counted_store()
    assert store.core.reviewed == "2026-11-22"
    assert store.names["swedish massage"] == "relaxation-massage"
    assert store.children == {"massage": ("relaxation-massage", "structural-massage")}
    assert len(store.treatments) == 5
    assert list(store.treatments) == list(IDS)
    assert fetch.calls == Counter()


def test_a_show_like_lookup_loads_exactly_one_treatment() -> None:
    store, fetch = counted_store()
    found = resolve(store, "swedish massage")
    assert found.id == "relaxation-massage"
    assert fetch.calls == Counter({"relaxation-massage": 1})


def test_a_prefix_lookup_loads_only_the_match() -> None:
    store, fetch = counted_store()
    assert resolve(store, "ten").id == "tens"
    assert fetch.calls == Counter({"tens": 1})


def test_a_treatment_is_fetched_once_however_often_it_is_read() -> None:
    store, fetch = counted_store()
    first = store.treatments["tens"]
    assert store.treatments["tens"] is first
    assert store.treatment("tens") is first
    assert fetch.calls == Counter({"tens": 1})


def test_all_loads_each_treatment_once_in_kb_order() -> None:
    store, fetch = counted_store()
    store.treatments["tens"]
    everything = store.all()
    assert tuple(t.id for t in everything) == IDS
    assert store.all() == everything
    assert fetch.calls == Counter(dict.fromkeys(IDS, 1))


def test_an_unknown_id_is_a_key_error_without_a_fetch() -> None:
    store, fetch = counted_store()
    with pytest.raises(KeyError, match="nosuch"):
        store.treatments["nosuch"]
    assert fetch.calls == Counter()


def test_the_mapping_protocol() -> None:
    store, _ = counted_store()
    treatments = store.treatments
    assert len(treatments) == 5
    assert list(treatments.keys()) == list(IDS)
    assert treatments.get("nosuch") is None
    assert dict(treatments.items())["usual-care"].name == "Usual care"


def test_a_damaged_entry_is_recovered_from_the_kb_once() -> None:
    recoveries: list[int] = []

    def recover() -> KnowledgeBase:
        recoveries.append(1)
        return KB

    store, fetch = counted_store(damaged=frozenset({"tens"}), recover=recover)
    assert store.treatments["tens"].name == "TENS"
    assert store.treatments["massage"].id == "massage"  # served by the recovered KB now
    assert recoveries == [1]
    assert fetch.calls == Counter({"tens": 1})


def test_a_damaged_entry_without_a_way_to_recover_is_raised() -> None:
    store, _ = counted_store(damaged=frozenset({"tens"}))
    with pytest.raises(DamagedEntry):
        store.treatments["tens"]


# --------------------------------------------------------------------------- scales, core, directory


@pytest.mark.parametrize(
    ("scale_id", "found"),
    [("pain-10", SCALES["pain-10"]), ("rdq-23", SCALES["rdq-23"]), ("odi-100", None), (None, None), ("", None)],
)
def test_scale(scale_id: str | None, found: object) -> None:
    store, _ = counted_store()
    assert store.scale(scale_id) == found


def test_from_kb_serves_every_treatment() -> None:
    store = Store.from_kb(KB)
    assert store.all() == KB.treatments


def test_split_core_keeps_everything_but_the_treatments() -> None:
    assert split_core(KB) == Core(1, "2026-11-22", KB.scales, KB.sources, KB.guidelines)


def test_directory_of() -> None:
    assert directory_of(KB) == Directory(
        ids=IDS,
        names={
            "massage": "massage",
            "massage therapy": "massage",
            "relaxation massage": "relaxation-massage",
            "swedish massage": "relaxation-massage",
            "structural massage": "structural-massage",
            "tens": "tens",
            "usual care": "usual-care",
        },
        children={"massage": ("relaxation-massage", "structural-massage")},
        compared_with={},
    )


def test_a_kb_without_families_has_no_children() -> None:
    assert directory_of(knowledge_base((treatment("tens"),))).children == {}


def test_the_directory_says_who_was_compared_with_whom() -> None:
    """compare opens only the members with a head-to-head finding against the other treatment."""
    from painsci_cli.load import load

    compared = load(None).directory.compared_with
    assert "simulated-acupuncture" in compared["acupuncture"]
    assert "tens" not in compared
    assert all(ids and len(set(ids)) == len(ids) for ids in compared.values())
