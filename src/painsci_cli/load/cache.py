"""The validated-KB cache: a restricted pickle per KB content hash, in a private cache folder.

The key covers the KB bytes, the KB schema version, the package version and the Python version,
so an edited KB or an upgraded painsci is never served a stale entry. The cache only ever saves
time, it never changes an answer, so anything doubtful is a miss, never an error:

- the folder must be a directory owned by this user and writable by nobody else (painsci
  creates it 0700); any other folder is not used at all;
- every file is read through the guarded reader (load/read.py): a regular file of bounded size,
  owned by this user, not writable by others, never a link, a FIFO or a device;
- every part of an entry carries an HMAC-SHA256 keyed by a random per-user key kept 0600 in the
  folder (`.painsci-key`), so an edited or planted entry (a figure changed, an escape sequence
  added) is detected without trusting the folder; a key file that is not ours refuses the folder;
- what is unpickled is restricted to painsci's own record classes (a planted file cannot run
  code) and re-screened: a string holding a character the loader refuses is a miss;
- pruning deletes only files that carry painsci's header stamped with the key: files painsci
  can prove it wrote, in a folder that holds its key.

Beside each entry, a small text file holds just the treatment names, so shell completion can
answer without importing the model (completion_names.py), and once a `list` of a phase has run,
a file holds every treatment's row for that phase (`rows-KEY-PHASE.cache`, same format as an
entry). This module imports no model at load time for the same reason as the names file.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import stat
import sys
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import KB_SCHEMA_VERSION, __version__
from .read import MAX_BYTES, open_guarded, read_guarded
from .unpickle import ModelsOnly, places, restricted

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..models import KnowledgeBase, Treatment
    from ..views import TreatmentRow
    from .store import Store

ENV_DIR = "PAINSCI_CACHE_DIR"
ENV_OFF = "PAINSCI_NO_CACHE"
ON_VALUES = frozenset({"", "0", "false", "no", "off"})
"""PAINSCI_NO_CACHE values that leave the cache on; 1, true, yes, on (or anything else) turn it off."""
_MAGIC = b"painsci-kb-cache 3\n"
_KEY_MAGIC = b"painsci-cache-key 1\n"
_KEY_FILE = ".painsci-key"
_DIGEST = 32
_STAMPED = len(_MAGIC) + _DIGEST
"""Bytes of a cache file's head: the magic, then the HMAC of its own name (see _stamp)."""
MAX_ENTRY_BYTES = 16 * MAX_BYTES
"""A cache file larger than this is neither written nor read (a 4 MB KB caches as ~15 MB)."""
RULES = 7
"""Bump when the loader's rules or this file's format change, so nothing cached under older rules
is served (the package version alone does not move between development builds)."""
_KEEP = 8
"""Entries kept; older ones are pruned on write so the directory cannot grow without bound."""


def directory() -> Path | None:
    """PAINSCI_CACHE_DIR, else $XDG_CACHE_HOME/painsci, else ~/.cache/painsci; None when disabled.

    A relative XDG_CACHE_HOME is ignored (the XDG base directory spec says so), and without an
    absolute home directory there is no default cache (never `./~/.cache`).
    """
    if os.environ.get(ENV_OFF, "").strip().lower() not in ON_VALUES:
        return None
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(os.path.abspath(explicit))
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.environ.get("HOME")
        if home is None:
            home = os.path.expanduser("~")  # from the password database, or "~" if it has none
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "painsci"


class _Folder:
    """The open cache folder (checked on its descriptor) and this user's key for it."""

    __slots__ = ("fd", "secret")

    def __init__(self, fd: int, secret: bytes) -> None:
        self.fd, self.secret = fd, secret

    def tag(self, *parts: bytes) -> bytes:
        return hmac.digest(self.secret, b"\0".join(parts), "sha256")

    def stamp(self, name: str) -> bytes:
        """The head of a file painsci wrote under `name`: proof of authorship for pruning."""
        return _MAGIC + self.tag(b"stamp", name.encode())

    def close(self) -> None:
        os.close(self.fd)


def _private_folder(fd: int) -> bool:
    """A directory owned by this user that nobody else can write to."""
    info = os.fstat(fd)
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _open(create: bool) -> _Folder | None:
    """The cache folder, or None: disabled, missing (unless `create`), not ours, or keyless."""
    path = directory()
    if path is None:
        return None
    try:
        if create:
            os.makedirs(path, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        if _private_folder(fd):
            secret = _secret(fd, create)
            if secret is not None:
                return _Folder(fd, secret)
    except Exception:
        pass
    os.close(fd)
    return None


def _secret(fd: int, create: bool) -> bytes | None:
    """The per-user key in the folder; created (race-free, by link) when `create` and absent."""
    size = len(_KEY_MAGIC) + _DIGEST
    try:
        found = read_guarded(_KEY_FILE, size, private=True, dir_fd=fd)
    except FileNotFoundError:
        if not create:
            return None
        temporary = _temporary(fd, _KEY_FILE, _KEY_MAGIC + os.urandom(_DIGEST))
        try:
            os.link(temporary, _KEY_FILE, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
        except FileExistsError:
            pass  # another painsci made it first: use theirs
        finally:
            os.unlink(temporary, dir_fd=fd)
        found = read_guarded(_KEY_FILE, size, private=True, dir_fd=fd)
    if len(found) != size or not found.startswith(_KEY_MAGIC):
        return None
    return found[len(_KEY_MAGIC) :]


def _temporary(fd: int, name: str, data: bytes) -> str:
    """`data` in a new 0600 file beside `name` in the folder; returns its name."""
    temporary = f".{name.lstrip('.')}.{os.urandom(6).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    out = os.open(temporary, flags, 0o600, dir_fd=fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
    except BaseException:
        os.close(out)
        os.unlink(temporary, dir_fd=fd)
        raise
    os.close(out)
    return temporary


def _replace(folder: _Folder, name: str, data: bytes) -> None:
    """Write `data` as `name` in the folder, whole or not at all."""
    temporary = _temporary(folder.fd, name, data)
    try:
        os.replace(temporary, name, src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
    except BaseException:
        os.unlink(temporary, dir_fd=folder.fd)
        raise


def key_for(raw: bytes) -> str:
    digest = hashlib.sha256(raw)
    digest.update(f"|kb{KB_SCHEMA_VERSION}|rules{RULES}|{__version__}|{sys.version_info[:2]}".encode())
    digest.update(_code_fingerprint())
    return digest.hexdigest()[:32]


def _code_fingerprint() -> bytes:
    """Size and modification time of every module of the package: the cache holds computed rows,
    so an edited module (a development checkout) must not be served rows computed by the old one.
    A few dozen stat calls, no reads."""
    package = Path(__file__).resolve().parents[1]
    parts = []
    for folder in (package, package / "load", package / "render"):
        try:
            with os.scandir(folder) as found:
                parts += sorted(
                    f"{e.name}:{e.stat().st_size}:{e.stat().st_mtime_ns}" for e in found if e.name.endswith(".py")
                )
        except OSError:
            continue
    return "|".join(parts).encode()


def _pread(fd: int, length: int, offset: int) -> bytes:
    """Exactly `length` bytes at `offset`, or fewer only at the end of the file."""
    chunks, done = [], 0
    while done < length and (chunk := os.pread(fd, length - done, offset + done)):
        chunks.append(chunk)
        done += len(chunk)
    return b"".join(chunks)


class _Entries:
    """The verified parts of one open cache file: each entry is read (os.pread) and checked against
    its HMAC when asked for, so a lookup reads a few KB of a file that may hold 18 MB."""

    __slots__ = ("__weakref__", "base", "fd", "folder_tag", "key", "length", "where")

    def __init__(self, fd: int, base: int, length: int, where: dict[str, Any], key: str, folder: _Folder) -> None:
        self.fd, self.base, self.length, self.where, self.key = fd, base, length, where, key
        self.folder_tag = folder.tag
        weakref.finalize(self, os.close, fd)  # closed with the store that reads through it

    def get(self, label: str) -> Any:
        """The unpickled entry `label`; raises on any mismatch (callers treat it as a miss)."""
        offset, length = self.where[label]
        end = offset + length
        if not (offset >= 0 and length >= _DIGEST and end <= self.length):
            raise ValueError("cache entry out of bounds")
        data = _pread(self.fd, length, self.base + offset)
        digest, payload = data[:_DIGEST], data[_DIGEST:]
        if len(data) != length or not hmac.compare_digest(
            digest, self.folder_tag(b"entry", self.key.encode(), label.encode(), payload)
        ):
            raise ValueError("cache entry fails its HMAC")
        return restricted(payload)


def read(key: str, recover: Callable[[], KnowledgeBase]) -> Store | None:
    """The cached store for this KB, or None; only the registries are unpickled up front.

    The file stays open for the entries read later: an atomic replace by another run makes a new
    file, so this run keeps reading the one it checked.
    """
    folder = _open(create=False)
    if folder is None:
        return None
    try:
        entries = _entries(folder, f"kb-{key}.cache", key)
        if entries is None:
            return None
        from .store import Core, Directory

        core, listing = entries.get("core"), entries.get("directory")
        if not isinstance(core, Core) or not isinstance(listing, Directory):
            return None
    except Exception:  # truncated, corrupt, foreign, tampered or unreadable: a miss, never an error
        return None
    finally:
        folder.close()
    from .store import Store

    return Store(core, listing, _fetcher(entries), recover, _row_fetcher(key), _row_keeper(key))


def open_stamped(folder: _Folder, name: str, limit: int, digests: int) -> tuple[int, int, bytes, int] | None:
    """(fd, file size, head, length) of cache file `name`, or None: a file painsci wrote, opened
    through the guard, whose head (its stamp, a length, then `digests` HMACs) checks out and
    whose first part (`length` bytes after the head) fits in the file. The caller owns fd."""
    fd, file_size = open_guarded(name, limit, private=True, dir_fd=folder.fd)
    start = _STAMPED + 8 + digests * _DIGEST
    try:
        head = _pread(fd, start, 0)
        if len(head) == start and hmac.compare_digest(head[:_STAMPED], folder.stamp(name)):
            length = int.from_bytes(head[_STAMPED : _STAMPED + 8], "big")
            if start + length <= file_size:
                return fd, file_size, head, length
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def _entries(folder: _Folder, name: str, key: str) -> _Entries | None:
    """The checked head and header of cache file `name`, its entries to be read on demand."""
    fd = -1
    try:
        opened = open_stamped(folder, name, MAX_ENTRY_BYTES, 1)
        if opened is None:
            return None
        fd, file_size, head, size = opened
        start = len(head)
        header = _pread(fd, size, start)
        if not hmac.compare_digest(head[start - _DIGEST :], folder.tag(b"header", key.encode(), header)):
            return None
        where = places(ModelsOnly(io.BytesIO(header)).load())
        entries = _Entries(fd, start + size, file_size - start - size, where, key, folder)
        fd = -1  # the entries own it now
        return entries
    except Exception:
        return None
    finally:
        if fd >= 0:
            os.close(fd)


def _row_fetcher(key: str) -> Callable[[str, str], TreatmentRow | None]:
    """The cached row of a treatment for a phase, or None (computed afresh): missing, damaged.

    A phase's rows live in a file of their own, written by the first `list` of that phase (see
    write_rows); it is opened and checked once, on the first row asked for.
    """
    opened: dict[str, _Entries | None] = {}

    def fetch(treatment_id: str, phase: str) -> TreatmentRow | None:
        from ..views import TreatmentRow

        if phase not in opened:
            folder = _open(create=False)
            opened[phase] = None if folder is None else _entries(folder, _rows_name(key, phase), key)
            if folder is not None:
                folder.close()
        entries = opened[phase]
        if entries is None:
            return None
        try:
            found = entries.get(f"row:{phase}:{treatment_id}")
        except Exception:
            return None
        return found if isinstance(found, TreatmentRow) else None

    return fetch


def _row_keeper(key: str) -> Callable[[str, Mapping[str, TreatmentRow]], None]:
    return lambda phase, rows: write_rows(key, phase, rows)


def _rows_name(key: str, phase: str) -> str:
    return f"rows-{key}-{phase}.cache"


def _fetcher(entries: _Entries) -> Callable[[str], Treatment]:
    def fetch(treatment_id: str) -> Treatment:
        from ..models import Treatment
        from .store import DamagedEntry

        try:
            found = entries.get(f"treatment:{treatment_id}")
        except Exception as exc:
            raise DamagedEntry(treatment_id) from exc
        if not isinstance(found, Treatment) or found.id != treatment_id:
            raise DamagedEntry(treatment_id)
        return found

    return fetch


def write(key: str, kb: KnowledgeBase, store: Store) -> None:
    """Store the validated KB (`store` is over it): registries, directory and one HMAC-tagged
    pickle per treatment, and the names file completion reads. Rows are not computed here: the
    first `list` of each phase keeps its rows (write_rows), so a first run computes only the
    rows it shows (the 25,000-treatment first `list` once computed both phases' rows: 6 s)."""
    from .completion_names import MAX_NAMES_BYTES, names_file_bytes

    if directory() is None:
        return
    listing = store.directory
    parts: dict[str, object] = {"core": store.core, "directory": listing}
    parts.update((f"treatment:{t.id}", t) for t in kb.treatments)
    folder = _open(create=True)
    if folder is None:
        return
    try:
        name, names_file = f"kb-{key}.cache", f"names-{key}.txt"
        blob = _pack(folder, key, name, parts)
        names = names_file_bytes(folder, key, names_file, listing.ids, listing.names)
        if len(blob) > MAX_ENTRY_BYTES or len(names) > MAX_NAMES_BYTES:
            return  # it would never be read back
        _replace(folder, name, blob)
        _replace(folder, names_file, names)
        _prune(folder)
    except Exception:  # a full or read-only cache folder (or anything else): run uncached
        return
    finally:
        folder.close()


def write_rows(key: str, phase: str, rows: Mapping[str, TreatmentRow]) -> None:
    """Keep every treatment's row for `phase` (id -> row) beside the KB's entry, for the next
    `list`: computing a row weighs all findings of a treatment and its sub-types."""
    if directory() is None:
        return
    folder = _open(create=True)
    if folder is None:
        return
    try:
        name = _rows_name(key, phase)
        blob = _pack(folder, key, name, {f"row:{phase}:{tid}": found for tid, found in rows.items()})
        if len(blob) <= MAX_ENTRY_BYTES:
            _replace(folder, name, blob)
            _prune(folder)
    except Exception:  # as for write: the cache only saves time
        return
    finally:
        folder.close()


def _pack(folder: _Folder, key: str, name: str, parts: Mapping[str, object]) -> bytes:
    """A cache file: stamp, header length, header HMAC, header (label -> where), tagged entries."""
    body = bytearray()
    where: dict[str, list[int]] = {}
    for label, value in parts.items():
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        where[label] = [len(body), _DIGEST + len(payload)]
        body += folder.tag(b"entry", key.encode(), label.encode(), payload) + payload
    header = pickle.dumps(where, protocol=pickle.HIGHEST_PROTOCOL)
    head = (
        folder.stamp(name),
        len(header).to_bytes(8, "big"),
        folder.tag(b"header", key.encode(), header),
    )
    return b"".join((*head, header, bytes(body)))


def _prune(folder: _Folder) -> None:
    """Keep the _KEEP newest entries of each kind; delete only files painsci can prove it wrote."""
    for prefix, suffix in (("kb-", ".cache"), ("rows-", ".cache"), ("names-", ".txt")):
        ours: list[tuple[int, str]] = []
        with os.scandir(folder.fd) as found:
            names = [e.name for e in found if e.name.startswith(prefix) and e.name.endswith(suffix)]
        for name in names:
            try:
                info = os.stat(name, dir_fd=folder.fd, follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode):
                    continue
                head = read_guarded(name, MAX_ENTRY_BYTES, private=True, dir_fd=folder.fd, head=_STAMPED)
            except Exception:
                continue
            if hmac.compare_digest(head, folder.stamp(name)):
                ours.append((info.st_mtime_ns, name))
        for _, stale in sorted(ours, reverse=True)[_KEEP:]:
            try:
                os.unlink(stale, dir_fd=folder.fd)
            except FileNotFoundError:
                continue
