"""The validated-KB cache saves time and never changes an answer: cold, warm, corrupt, read-only."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import MINI
from painsci_cli import load
from painsci_cli.load import cache
from painsci_cli.records import to_plain

Invoke = Callable[..., object]


def show_json(invoke: Invoke, data: Path) -> object:
    result = invoke("--data", str(data), "show", "relaxation-massage", "--json")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def cache_files(kind: str) -> list[Path]:
    folder = cache.directory()
    assert folder is not None
    return sorted(folder.glob(f"{kind}-*"))


def test_cold_then_warm_give_the_same_answer(invoke: Invoke) -> None:
    assert cache_files("kb") == []
    cold = show_json(invoke, MINI)
    [entry] = cache_files("kb")
    assert cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered")) is not None
    assert show_json(invoke, MINI) == cold
    assert cache_files("kb") == [entry]


def test_an_edited_kb_is_never_served_stale(invoke: Invoke, write_kb: Callable[..., Path], mini_text: str) -> None:
    path = write_kb(mini_text, name="kb.yaml")
    assert '"estimate":-2.9' in str(show_json(invoke, path))
    path.write_text(mini_text.replace("estimate: -2.9", "estimate: -3.1"), encoding="utf-8")
    assert '"estimate":-3.1' in str(show_json(invoke, path))


@pytest.mark.parametrize("damage", ["truncate", "flip-header", "flip-treatment", "garbage"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(invoke: Invoke, damage: str) -> None:
    expected = show_json(invoke, MINI)
    [entry] = cache_files("kb")
    blob = bytearray(entry.read_bytes())
    if damage == "truncate":
        blob = blob[: len(blob) // 2]
    elif damage == "flip-header":
        blob[len(cache._MAGIC) + 10] ^= 0xFF
    elif damage == "flip-treatment":
        blob[-5] ^= 0xFF  # inside the last treatment's pickle: found only when that treatment is read
    else:
        blob = bytearray(os.urandom(len(blob)))
    entry.write_bytes(bytes(blob))
    assert show_json(invoke, MINI) == expected


def test_a_read_only_cache_directory_is_ignored(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("PAINSCI_CACHE_DIR", str(blocked / "cache"))  # mkdir fails: NotADirectoryError
    first = show_json(invoke, MINI)
    assert show_json(invoke, MINI) == first


def test_a_failing_write_leaves_no_temporary_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(os, "replace", refuse)
    load.load(str(MINI))
    folder = cache.directory()
    assert folder is not None
    assert [p.name for p in folder.iterdir()] == [".painsci-key"]


def test_another_version_uses_another_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = MINI.read_bytes()
    before = cache.key_for(raw)
    monkeypatch.setattr(cache, "__version__", "999.0")
    assert cache.key_for(raw) != before
    monkeypatch.setattr(cache, "KB_SCHEMA_VERSION", 999)
    assert cache.key_for(raw) not in (before,)


def test_a_planted_pickle_cannot_run_code_even_with_the_key(tmp_path: Path) -> None:
    """Forged with the user's own key (the HMAC passes): the restricted unpickler still refuses."""

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {tmp_path / 'pwned'}",))

    key = cache.key_for(MINI.read_bytes())
    folder = cache._open(create=True)
    assert folder is not None
    try:
        blob = cache._pack(folder, key, f"kb-{key}.cache", {"core": Exploit(), "directory": Exploit()})
        os.write(os.open(f"kb-{key}.cache", os.O_WRONLY | os.O_CREAT, 0o600, dir_fd=folder.fd), blob)
    finally:
        folder.close()
    assert cache.read(key, lambda: pytest.fail("no recovery expected")) is None
    assert not (tmp_path / "pwned").exists()
    store = load.load(str(MINI))
    assert [t.id for t in store.all()] == ["usual-care", "massage", "relaxation-massage"]


def test_no_cache_when_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINSCI_NO_CACHE", "1")
    load.load(str(MINI))
    assert cache.directory() is None


def test_cached_store_equals_a_fresh_validation() -> None:
    fresh = load.load_uncached(MINI.read_bytes(), "mini.yaml")
    load.load(str(MINI))  # fills the cache
    cached = cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered"))
    assert cached is not None
    assert to_plain(cached.all()) == to_plain(fresh.treatments)
    assert to_plain(cached.core.sources) == to_plain(fresh.sources)


def test_rows_with_numbers_people_can_use_are_served_from_the_cache() -> None:
    """Rows now hold records from usable.py, absolute.py and reexpress.py: the restricted
    unpickler must accept them, or every `list` would silently recompute every row."""
    from helpers import BUNDLED
    from painsci_cli.documents import ListFilter, list_doc
    from painsci_cli.judgements import row

    list_doc(load.load(str(BUNDLED)), ListFilter())  # fills the cache and keeps the chronic rows
    cached = cache.read(cache.key_for(BUNDLED.read_bytes()), lambda: pytest.fail("recovered"))
    assert cached is not None
    wanted_fields = (("mindfulness-based-stress-reduction", "absolute_effects"), ("traction", "harm_rates"))
    for treatment_id, wanted in wanted_fields:
        served = cached.cached_row(treatment_id, "chronic")
        assert served is not None, treatment_id
        assert getattr(served, wanted), treatment_id
        assert to_plain(served) == to_plain(row(cached, cached.treatments[treatment_id], "chronic"))
    massage = cached.cached_row("massage", "chronic")
    assert massage is not None and massage.headline is not None and massage.headline.points is not None


def test_rows_are_kept_per_phase_by_the_first_list_of_that_phase() -> None:
    """No row is computed when the KB is cached (a first run of a 25,000-treatment KB once spent
    a third of its time on both phases' rows); the first `list` of a phase keeps its rows, and
    they equal the rows a fresh validation computes."""
    from helpers import BUNDLED
    from painsci_cli.documents import ListFilter, list_doc
    from painsci_cli.judgements import row
    from painsci_cli.load.store import Store

    def reopened() -> Store:
        found = cache.read(cache.key_for(BUNDLED.read_bytes()), lambda: pytest.fail("recovered"))
        assert found is not None
        return found

    list_doc(load.load(str(BUNDLED)), ListFilter())  # fills the cache, then keeps the chronic rows
    assert reopened().cached_row("massage", "chronic") is not None
    assert reopened().cached_row("massage", "acute") is None
    list_doc(reopened(), ListFilter(phase="acute"))
    cached = reopened()
    fresh = Store.from_kb(load.load_uncached(BUNDLED.read_bytes(), "treatments.yaml"))
    for treatment_id in ("massage", "heat", "acupuncture"):
        for phase in ("chronic", "acute"):
            served = cached.cached_row(treatment_id, phase)
            assert served is not None, (treatment_id, phase)
            assert to_plain(served) == to_plain(row(fresh, fresh.treatments[treatment_id], phase))
    heat = cached.cached_row("heat", "acute")
    assert heat is not None and heat.bottom_line.verdict != "not studied"
