"""Pins files.py: a file is written whole or not at all.

write_atomically() replaces the target in one step; a user file gets the umask's mode, a private
one 0600; a failure or Ctrl-C at any step leaves the old file and no temporary behind.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from painsci_cli import files
from painsci_cli.files import write_atomically


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process umask after a test that sets its own."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_content_is_written_exactly(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    data = b'{"a": 1}\n\x00\xff' + "ä".encode()
    write_atomically(target, data)
    assert target.read_bytes() == data
    assert os.listdir(tmp_path) == ["out.json"]


def test_empty_content(tmp_path: Path) -> None:
    target = tmp_path / "empty.txt"
    write_atomically(target, b"")
    assert target.read_bytes() == b""


def test_an_existing_file_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old content that is longer")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"keep")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert real.read_bytes() == b"keep"
    assert not link.is_symlink()
    assert link.read_bytes() == b"new"


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664), (0o000, 0o666)])
@pytest.mark.usefixtures("umask")
def test_a_user_file_gets_the_umask_mode(tmp_path: Path, mask: int, expected: int) -> None:
    os.umask(mask)
    target = tmp_path / "export.md"
    write_atomically(target, b"x")
    assert mode(target) == expected
    assert os.umask(mask) == mask  # the umask is left as it was


@pytest.mark.parametrize("mask", [0o022, 0o000])
@pytest.mark.usefixtures("umask")
def test_a_private_file_is_0600(tmp_path: Path, mask: int) -> None:
    os.umask(mask)
    target = tmp_path / "cache"
    write_atomically(target, b"x", mode=0o600)
    assert mode(target) == 0o600


@pytest.mark.usefixtures("umask")
def test_replacing_takes_the_new_mode(tmp_path: Path) -> None:
    os.umask(0o022)
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomically(target, b"new")
    assert mode(target) == 0o644


@pytest.mark.parametrize(("sync", "calls"), [(True, 1), (False, 0)])
def test_sync_is_optional(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sync: bool, calls: int) -> None:
    synced: list[int] = []
    monkeypatch.setattr(files.os, "fsync", synced.append)
    write_atomically(tmp_path / "x", b"x", sync=sync)
    assert len(synced) == calls


def fail_with(error: BaseException) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    return fail


@pytest.mark.parametrize("step", ["fsync", "replace", "fchmod"])
@pytest.mark.parametrize(
    "error", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["oserror", "ctrl-c"]
)
def test_a_failure_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, error: BaseException
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    monkeypatch.setattr(files.os, step, fail_with(error))
    with pytest.raises(type(error)):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_failed_write_of_a_new_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.os, "replace", fail_with(OSError(5, "Input/output error")))
    with pytest.raises(OSError, match="Input/output error"):
        write_atomically(tmp_path / "new.txt", b"x")
    assert os.listdir(tmp_path) == []


def test_a_missing_directory_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomically(tmp_path / "gone" / "x.txt", b"x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_directory_is_an_oserror(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            write_atomically(tmp_path / "x.txt", b"x")
    finally:
        tmp_path.chmod(0o700)


def test_the_temporary_file_sits_beside_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(source: str, destination: Path) -> None:
        seen.append((os.path.dirname(source), os.path.basename(source)))
        real_replace(source, destination)

    monkeypatch.setattr(files.os, "replace", spy)
    write_atomically(tmp_path / ("n" * 100 + ".md"), b"x")
    [(folder, name)] = seen
    assert folder == str(tmp_path)
    assert name.startswith("." + "n" * 64 + ".")  # hidden, and the name cut so it stays short
    assert name.endswith(".tmp")
