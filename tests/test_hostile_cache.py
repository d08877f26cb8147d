"""Side doors around the guards: TAB completion and the cache read what the loader would refuse.

Completion reads the knowledge base on every keystroke and the cache reads files from a folder
anyone may point painsci at; both go through the loader's guarded reader (non-blocking open,
regular file, size cap), and the cache trusts only a private folder and entries that carry an
HMAC under this user's key. A planted, edited, foreign or special file is a miss: the answer is
the one a fresh validation gives, never a hang, a traceback, an escape sequence or a changed figure.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers import MINI, hang_guard
from painsci_cli import complete, load
from painsci_cli.load import cache, completion_names, read, unpickle

PAINSCI = Path(sys.executable).with_name("painsci")
Invoke = Callable[..., object]
RDQ = '"estimate":-2.9'
KEY_BYTES = len(cache._KEY_MAGIC) + 32


def folder() -> Path:
    found = cache.directory()
    assert found is not None
    return found


def show_json(invoke: Invoke) -> str:
    result = invoke("--data", str(MINI), "show", "relaxation-massage", "--json")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return str(result.stdout)  # type: ignore[attr-defined]


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every os.read the guarded reader makes, by size: the work a special file costs, no clock."""
    sizes: list[int] = []

    class Counting:
        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        @staticmethod
        def read(fd: int, size: int) -> bytes:
            chunk = os.read(fd, size)
            sizes.append(len(chunk))
            return chunk

    monkeypatch.setattr(read, "os", Counting())
    yield sizes


# --------------------------------------------------------------------------- TAB completion


def special_kb(kind: str, tmp_path: Path) -> Path:
    match kind:
        case "fifo":
            path = tmp_path / "kb.fifo"
            os.mkfifo(path)  # nobody writes: a blocking open or read hangs
            return path
        case "dev-zero":
            return Path("/dev/zero")
        case "dev-stdin":
            return Path("/dev/stdin")
        case "sparse-2gb":
            path = tmp_path / "sparse.yaml"
            with path.open("wb") as out:
                out.truncate(2 * 1024**3)
            return path
        case "directory":
            return tmp_path
    raise AssertionError(kind)


SPECIAL = ["fifo", "dev-zero", "dev-stdin", "sparse-2gb", "directory"]


def bash_request(monkeypatch: pytest.MonkeyPatch, line: str, cword: int) -> None:
    monkeypatch.setenv("_PAINSCI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(cword))


@pytest.mark.parametrize("kind", SPECIAL)
def test_completion_applies_the_loaders_guards(
    kind: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bytes_read: list[int],
) -> None:
    path = special_kb(kind, tmp_path)
    bash_request(monkeypatch, f"painsci --data {path} show ma", 4)
    with hang_guard():
        assert complete.answer() is True
    assert capsys.readouterr().out == "\n"  # no candidates, in bash's format
    assert sum(bytes_read) == 0  # refused on fstat: nothing read


@pytest.mark.parametrize("kind", SPECIAL)
def test_completion_of_a_special_kb_through_the_installed_command(kind: str, tmp_path: Path) -> None:
    path = special_kb(kind, tmp_path)
    for variables in (
        {"COMP_WORDS": f"painsci --data {path} show ma", "COMP_CWORD": "4"},
        {"COMP_WORDS": "painsci show ma", "COMP_CWORD": "2", "PAINSCI_DATA": str(path)},
    ):
        done = subprocess.run(
            [str(PAINSCI)],
            capture_output=True,
            text=True,
            timeout=20,  # catches a hang only
            check=False,
            stdin=subprocess.PIPE,  # /dev/stdin: a pipe nobody writes to
            env={**os.environ, "_PAINSCI_COMPLETE": "complete_bash", **variables},
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, "\n", "")


# --------------------------------------------------------------------------- special and foreign cache files


def entry_path() -> Path:
    return folder() / f"kb-{cache.key_for(MINI.read_bytes())}.cache"


def names_path() -> Path:
    return folder() / f"names-{cache.key_for(MINI.read_bytes())}.txt"


@pytest.mark.parametrize("which", ["kb", "names"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "symlink-to-real", "sparse-2gb", "world-writable"])
def test_special_cache_files_are_misses(
    invoke: Invoke, which: str, kind: str, bytes_read: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = show_json(invoke)
    target = entry_path() if which == "kb" else names_path()
    real = target.with_name("real")
    target.rename(real)
    match kind:
        case "fifo":
            os.mkfifo(target)
        case "dev-zero-link":
            target.symlink_to("/dev/zero")
        case "symlink-to-real":
            target.symlink_to(real)
        case "sparse-2gb":
            with target.open("wb") as out:
                out.truncate(2 * 1024**3)
        case "world-writable":
            real.rename(target)
            target.chmod(0o666)
    bytes_read.clear()
    with hang_guard():
        if which == "kb":
            assert cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered")) is None
        else:
            assert completion_names.read_names(cache.key_for(MINI.read_bytes())) is None
    assert sum(bytes_read) == KEY_BYTES  # the key file; not one byte of the special file
    with hang_guard():
        assert show_json(invoke) == expected  # and the command answers, uncached


# --------------------------------------------------------------------------- tampering


def test_an_edited_figure_is_detected(invoke: Invoke) -> None:
    """MD -2.9 edited to -29.0 in the pickle, checksums recomputed as SHA-256: the HMAC fails."""
    expected = show_json(invoke)
    assert RDQ in expected
    path = entry_path()
    blob = path.read_bytes()
    old, new = b"G" + struct.pack(">d", -2.9), b"G" + struct.pack(">d", -29.0)  # pickle's BINFLOAT
    assert old in blob
    path.write_bytes(blob.replace(old, new))
    store = cache.read(cache.key_for(MINI.read_bytes()), lambda: load.load_uncached(MINI.read_bytes(), "mini"))
    assert store is not None  # the registries are intact; the edited treatment is found damaged and re-read
    finding = store.treatment("relaxation-massage").findings[0]
    assert finding.effect is not None
    assert finding.effect.estimate == -2.9
    assert show_json(invoke) == expected


def forge(parts: dict[str, object]) -> None:
    """Replace the entry of mini.yaml with `parts`, tagged with the user's real key (a leaked key)."""
    key = cache.key_for(MINI.read_bytes())
    opened = cache._open(create=True)
    assert opened is not None
    try:
        blob = cache._pack(opened, key, entry_path().name, parts)
    finally:
        opened.close()
    entry_path().write_bytes(blob)


def test_escape_sequences_in_an_entry_forged_with_the_key_are_screened(invoke: Invoke) -> None:
    expected = show_json(invoke)
    fresh = load.load_uncached(MINI.read_bytes(), "mini")
    store = load.load(str(MINI))
    treatment = store.treatment("relaxation-massage")
    evil = pickle.loads(pickle.dumps(treatment))
    object.__setattr__(evil, "name", "\x1b]0;pwned\x07\x1b[2J")
    from painsci_cli.load.store import directory_of, split_core

    forge({"core": split_core(fresh), "directory": directory_of(fresh), "treatment:relaxation-massage": evil})
    result = invoke("--data", str(MINI), "show", "relaxation-massage", "--format", "markdown")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "\x1b" not in result.stdout  # type: ignore[attr-defined]
    assert result.stdout.startswith("## Relaxation massage · ")  # type: ignore[attr-defined]
    assert show_json(invoke) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "\x1b[31m",
        "\u202e",
        "\x9b2J",
        ("a", b"bytes"),
        {"k": 1j},
    ],
    ids=repr,
)
def test_the_screen_refuses_what_the_loader_refuses(bad: object) -> None:
    with pytest.raises(ValueError):
        unpickle.screened({"outer": [bad]})


def test_entries_are_bound_to_their_label(invoke: Invoke) -> None:
    """Two valid entries swapped inside one file (no key needed for that) are both refused."""
    show_json(invoke)
    key = cache.key_for(MINI.read_bytes())
    path = entry_path()
    blob = path.read_bytes()
    opened = cache._open(create=False)
    assert opened is not None
    try:
        head = cache._STAMPED
        size = int.from_bytes(blob[head : head + 8], "big")
        start = head + 8 + cache._DIGEST
        where = pickle.loads(blob[start : start + size])
        where["treatment:massage"], where["treatment:usual-care"] = (
            where["treatment:usual-care"],
            where["treatment:massage"],
        )
        header = pickle.dumps(where)
        tag = opened.tag(b"header", key.encode(), header)  # even with a valid header
    finally:
        opened.close()
    path.write_bytes(blob[:head] + len(header).to_bytes(8, "big") + tag + header + blob[start + size :])
    store = cache.read(key, lambda: load.load_uncached(MINI.read_bytes(), "mini"))
    assert store is not None
    assert store.treatment("massage").id == "massage"


def names_file_parts() -> tuple[bytes, bytes, bytes]:
    """(head, ids part, names part) of mini.yaml's names file."""
    blob = names_path().read_bytes()
    start = cache._STAMPED + 8 + 2 * cache._DIGEST
    length = int.from_bytes(blob[cache._STAMPED : cache._STAMPED + 8], "big")
    return blob[:start], blob[start : start + length], blob[start + length :]


def forge_names(ids: bytes, names: bytes) -> None:
    """Rewrite mini.yaml's names file with these parts, tagged with the user's real key."""
    key = cache.key_for(MINI.read_bytes())
    opened = cache._open(create=False)
    assert opened is not None
    try:
        head = opened.stamp(names_path().name) + len(ids).to_bytes(8, "big")
        head += opened.tag(b"ids", key.encode(), ids) + opened.tag(b"names", key.encode(), names)
    finally:
        opened.close()
    names_path().write_bytes(head + ids + names)


def test_the_names_file_reads_ids_first_and_names_only_when_asked(invoke: Invoke) -> None:
    show_json(invoke)
    _, ids, names = names_file_parts()
    assert b"massage" in ids.split(b"\n") and b"\t" not in ids
    assert b"swedish massage\trelaxation-massage" in names.split(b"\n")
    found = completion_names.read_names(cache.key_for(MINI.read_bytes()))
    assert found is not None
    assert found[0] == ids.decode().split("\n")
    assert found[1]["swedish massage"] == "relaxation-massage"


def test_an_edited_names_file_is_detected_part_by_part(invoke: Invoke) -> None:
    """Each part has its own HMAC: edited ids are a miss; edited names offer no name at all."""
    show_json(invoke)
    key = cache.key_for(MINI.read_bytes())
    head, ids, names = names_file_parts()
    names_path().write_bytes(head + ids.replace(b"massage", b"massagE") + names)
    assert completion_names.read_names(key) is None
    names_path().write_bytes(head + ids + names.replace(b"swedish", b"swedisH"))
    found = completion_names.read_names(key)
    assert found is not None
    assert found[0] == ids.decode().split("\n")
    assert dict(found[1]) == {}
    names_path().write_bytes(head + ids)  # the names part cut off
    found = completion_names.read_names(key)
    assert found is not None
    assert len(found[1]) == 0


@pytest.mark.parametrize("part", ["ids", "names"])
def test_escape_sequences_in_a_names_file_forged_with_the_key_are_screened(invoke: Invoke, part: str) -> None:
    show_json(invoke)
    key = cache.key_for(MINI.read_bytes())
    _, ids, names = names_file_parts()
    evil = b"\x1b]0;pwned\x07"
    if part == "ids":
        forge_names(ids + b"\n" + evil, names)
        assert completion_names.read_names(key) is None
    else:
        forge_names(ids, names + b"\n" + evil + b"\tmassage")
        found = completion_names.read_names(key)
        assert found is not None
        assert len(found[1]) == 0


def list_json(invoke: Invoke, phase: str = "chronic") -> str:
    result = invoke("--data", str(MINI), "list", "--json", "--phase", phase)
    assert result.exit_code == 0  # type: ignore[attr-defined]
    return str(result.stdout)  # type: ignore[attr-defined]


def rows_path(phase: str) -> Path:
    return folder() / f"rows-{cache.key_for(MINI.read_bytes())}-{phase}.cache"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "sparse-2gb", "other-phase", "edited", "cut"])
def test_a_rows_file_that_is_not_what_painsci_wrote_is_a_miss(invoke: Invoke, kind: str) -> None:
    """Rows are read through the same guard and HMACs as an entry: a special file, the other
    phase's file renamed, an edited or truncated one are misses; the rows are computed (the
    same answer) and the file written again."""
    expected = list_json(invoke)
    list_json(invoke, "acute")
    target = rows_path("chronic")
    assert target.is_file() and rows_path("acute").is_file()
    match kind:
        case "fifo":
            target.unlink()
            os.mkfifo(target)
        case "dev-zero-link":
            target.unlink()
            target.symlink_to("/dev/zero")
        case "sparse-2gb":
            with target.open("r+b") as out:
                out.truncate(2 * 1024**3)
        case "other-phase":
            rows_path("acute").replace(target)
        case "edited":
            blob = target.read_bytes()
            target.write_bytes(blob.replace(b"massage", b"massagE"))
        case "cut":
            target.write_bytes(target.read_bytes()[:-100])
    store = cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered"))
    assert store is not None
    with hang_guard():
        missing = [tid for tid in store.directory.ids if store.cached_row(tid, "chronic") is None]
    assert missing if kind != "edited" else "massage" in missing
    with hang_guard():
        assert list_json(invoke) == expected
    assert target.is_file() and not target.is_symlink()  # renamed over, never written through
    fresh = cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered"))
    assert fresh is not None
    assert all(fresh.cached_row(tid, "chronic") is not None for tid in fresh.directory.ids)


# --------------------------------------------------------------------------- the folder


def assert_unused(invoke: Invoke, expected: str) -> None:
    before = sorted(p.name for p in folder().iterdir())
    assert show_json(invoke) == expected
    assert sorted(p.name for p in folder().iterdir()) == before


def test_a_folder_writable_by_others_is_not_used(invoke: Invoke) -> None:
    expected = show_json(invoke)
    for mode in (0o777, 0o770, 0o1777):
        folder().chmod(mode)
        assert cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered")) is None
        assert completion_names.read_names(cache.key_for(MINI.read_bytes())) is None
        assert_unused(invoke, expected)
    folder().chmod(0o700)
    assert cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered")) is not None


def test_a_folder_of_another_user_is_not_used(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = show_json(invoke)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 4242)  # as seen by another user
    assert cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered")) is None
    assert_unused(invoke, expected)


@pytest.mark.parametrize("damage", ["world-writable", "symlink", "wrong-size", "fifo", "directory"])
def test_a_key_file_not_ours_refuses_the_folder(invoke: Invoke, damage: str) -> None:
    expected = show_json(invoke)
    key_file = folder() / ".painsci-key"
    match damage:
        case "world-writable":
            key_file.chmod(0o666)
        case "symlink":
            key_file.rename(folder() / "elsewhere")
            key_file.symlink_to(folder() / "elsewhere")
        case "wrong-size":
            key_file.write_bytes(key_file.read_bytes() + b"x")
        case "fifo":
            key_file.unlink()
            os.mkfifo(key_file)
        case "directory":
            key_file.unlink()
            key_file.mkdir()
    with hang_guard():
        assert cache.read(cache.key_for(MINI.read_bytes()), lambda: pytest.fail("recovered")) is None
        assert_unused(invoke, expected)


def test_a_new_folder_is_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PAINSCI_CACHE_DIR", str(tmp_path / "new" / "painsci"))
    load.load(str(MINI))
    assert (tmp_path / "new" / "painsci").stat().st_mode & 0o777 == 0o700
    for path in (tmp_path / "new" / "painsci").iterdir():
        assert path.stat().st_mode & 0o777 == 0o600, path


# --------------------------------------------------------------------------- pruning


def test_pruning_deletes_only_what_painsci_wrote(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini_text: str
) -> None:
    """A folder of the user's: their names-*.txt and kb-*.cache files survive any number of writes."""
    users = tmp_path / "users-folder"
    users.mkdir(mode=0o700)
    theirs = {
        "names-shopping.txt": b"milk\n",
        "kb-backup.cache": b"painsci-kb-cache 3\n" + b"\0" * 64,  # our magic, but not our stamp
        "names-0.txt": b"",
        "kb-x.cache": cache._MAGIC,
    }
    for name, content in theirs.items():
        (users / name).write_bytes(content)
        os.utime(users / name, (0, 0))  # older than anything painsci writes
    (users / "names-link.txt").symlink_to(users / "names-shopping.txt")
    monkeypatch.setenv("PAINSCI_CACHE_DIR", str(users))
    monkeypatch.setattr(cache, "_KEEP", 2)
    for i in range(4):
        kb = tmp_path / f"kb{i}.yaml"
        kb.write_text(mini_text.replace("reviewed: ", f"# variant {i}\nreviewed: "), encoding="utf-8")
        load.load(str(kb))
    for name, content in theirs.items():
        assert (users / name).read_bytes() == content, name
    assert (users / "names-link.txt").is_symlink()
    ours = [p.name for p in users.iterdir() if p.name not in theirs and p.name != "names-link.txt"]
    assert sorted(n.split("-")[0] for n in ours) == [".painsci", "kb", "kb", "names", "names"]


# --------------------------------------------------------------------------- where the cache is


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"XDG_CACHE_HOME": "/abs/cache", "HOME": "/home/u"}, "/abs/cache/painsci"),
        ({"XDG_CACHE_HOME": "relative/cache", "HOME": "/home/u"}, "/home/u/.cache/painsci"),
        ({"XDG_CACHE_HOME": "", "HOME": "/home/u"}, "/home/u/.cache/painsci"),
        ({"HOME": "/home/u"}, "/home/u/.cache/painsci"),
        ({"HOME": "relative-home"}, None),
        ({"HOME": "~"}, None),
        ({"XDG_CACHE_HOME": "./cache", "HOME": ""}, None),
    ],
)
def test_where_the_cache_is(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str | None) -> None:
    for name in ("PAINSCI_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "PAINSCI_NO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    found = cache.directory()
    assert (str(found) if found else None) == expected


def test_without_home_nothing_lands_in_the_working_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "XDG_CACHE_HOME", "PAINSCI_CACHE_DIR")}
    env["XDG_CACHE_HOME"] = "relative"
    done = subprocess.run(
        ["env", "-u", "HOME", str(PAINSCI), "--data", str(MINI), "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []  # neither ./~/.cache nor ./relative


@pytest.mark.parametrize(
    ("value", "on"),
    [
        ("1", False),
        ("true", False),
        ("YES", False),
        ("on", False),
        ("anything", False),
        ("0", True),
        ("false", True),
        ("No", True),
        ("off", True),
        ("", True),
        (" 0 ", True),
    ],
)
def test_no_cache_values(monkeypatch: pytest.MonkeyPatch, value: str, on: bool) -> None:
    monkeypatch.setenv("PAINSCI_NO_CACHE", value)
    assert (cache.directory() is not None) == on


def test_the_names_screen_refuses_everything_the_loader_refuses() -> None:
    """read_names screens with str.isprintable (no regex to compile on a TAB): it must refuse at
    least every character charset.forbidden() matches."""
    from painsci_cli.charset import forbidden

    search = forbidden().search
    assert [hex(c) for c in range(0x110000) if search(chr(c)) and chr(c).isprintable()] == []
