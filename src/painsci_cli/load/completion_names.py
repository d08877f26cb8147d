"""The names file beside each cache entry: what TAB completion reads, without the model.

A completion runs on every keystroke, so it must not unpickle the 18 MB entry of a large KB nor
check 660 KB of names it may not need. The file holds the treatment ids, then the names
(name<TAB>id lines), each part with its own HMAC under the folder's key (cache.py): a TAB reads
and checks the head and the ids; the names only when no id matches what was typed.
"""

from __future__ import annotations

import hmac
import os
import weakref
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from .cache import _DIGEST, _STAMPED, _Folder, _open, _pread, open_stamped
from .read import MAX_BYTES

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_NAMES_BYTES = 4 * MAX_BYTES
"""A names file larger than this is neither written nor read."""


def read_names(key: str) -> tuple[list[str], Mapping[str, str]] | None:
    """(treatment ids, normalised name -> id) for completion, or None when not cached.

    The file holds the ids, then the names (name<TAB>id lines), each part with its own HMAC. A
    TAB reads and checks only the head and the ids (44 KB for 2,000 treatments, not 660 KB); the
    names are read, checked and screened only if completion asks for them (when no id matches).
    """
    folder = _open(create=False)
    if folder is None:
        return None
    name = f"names-{key}.txt"
    fd = -1
    try:
        opened = open_stamped(folder, name, MAX_NAMES_BYTES, 2)
        if opened is None:
            return None
        fd, size, head, length = opened
        start = len(head)
        ids_tag, names_tag = head[_STAMPED + 8 : start - _DIGEST], head[start - _DIGEST :]
        ids = _checked_text(_pread(fd, length, start), ids_tag, folder.tag, b"ids", key)
        if ids is None:
            return None
        names = _LazyNames(fd, start + length, size - start - length, names_tag, folder.tag, key)
        fd = -1  # the names own it now
    except Exception:
        return None
    finally:
        folder.close()
        if fd >= 0:
            os.close(fd)
    return ids.split("\n"), names


def _checked_text(payload: bytes, expected: bytes, tag: Callable[..., bytes], kind: bytes, key: str) -> str | None:
    """`payload` as text if its HMAC matches and it passes the screen, else None."""
    if not hmac.compare_digest(expected, tag(kind, key.encode(), payload)):
        return None
    try:
        text = payload.decode()
    except UnicodeDecodeError:
        return None
    if not text.replace("\n", "").replace("\t", "").isprintable():  # the screen, without compiling it:
        return None  # control, format, bidi, separator, surrogate and unassigned characters are not printable
    return text


class _LazyNames(Mapping[str, str]):
    """The names part of a names file, read from the open file on first use; empty if it fails
    its HMAC or the screen (completion then offers no name, never a doubtful one)."""

    __slots__ = ("__weakref__", "_expected", "_fd", "_key", "_length", "_offset", "_parsed", "_tag")

    def __init__(self, fd: int, offset: int, length: int, expected: bytes, tag: Callable[..., bytes], key: str) -> None:
        self._fd, self._offset, self._length = fd, offset, length
        self._expected, self._tag, self._key = expected, tag, key
        self._parsed: dict[str, str] | None = None
        weakref.finalize(self, os.close, fd)

    def _names(self) -> dict[str, str]:
        if self._parsed is None:
            try:
                data = _pread(self._fd, self._length, self._offset)
            except OSError:
                data = b""
            text = (
                _checked_text(data, self._expected, self._tag, b"names", self._key)
                if len(data) == self._length
                else None
            )
            self._parsed = dict(line.split("\t", 1) for line in (text or "").split("\n") if "\t" in line)
        return self._parsed

    def __getitem__(self, name: str) -> str:
        return self._names()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def names_file_bytes(folder: _Folder, key: str, name: str, ids: Iterable[str], names: Mapping[str, str]) -> bytes:
    """A names file: stamp, length of the ids part, HMAC of each part, ids (one a line), names."""
    id_part = "\n".join(ids).encode()
    name_part = "\n".join(f"{n}\t{i}" for n, i in names.items()).encode()
    head = (
        folder.stamp(name),
        len(id_part).to_bytes(8, "big"),
        folder.tag(b"ids", key.encode(), id_part),
        folder.tag(b"names", key.encode(), name_part),
    )
    return b"".join((*head, id_part, name_part))
