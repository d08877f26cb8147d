"""The byte and character screen: a readable regular file under the size cap, strict UTF-8, and
no control, bidi or format character anywhere, before any YAML is parsed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..charset import forbidden, visible_path
from ..errors import KnowledgeBaseInvalid, KnowledgeBaseUnreadable

MAX_BYTES = 8 * 1024 * 1024
"""Larger files are refused unread (the real KB is ~0.5 MB); for YAML this dense MAX_NODES binds first."""
MAX_FORBIDDEN = 20
"""Forbidden characters listed before the rest are summarised."""

CHARACTER_NAMES = {
    0x1B: "ESC",
    0x00: "NUL",
    0x0D: "CARRIAGE RETURN",
    0x7F: "DEL",
    0x202E: "RIGHT-TO-LEFT OVERRIDE",
    0x200B: "ZERO WIDTH SPACE",
}


def breaks_between(text: str, start: int, end: int) -> int:
    """Line breaks in text[start:end] as YAML counts them (CRLF, a lone CR or LF), so FILE:LINE
    agrees with the parser; three counts in C, no list of matches (8 MiB of CRs is ~10 ms)."""
    crlf = text.count("\r\n", start, end)  # a CRLF cut at `end` counts its CR, as the regex did
    return text.count("\n", start, end) + text.count("\r", start, end) - crlf


def line_at(text: str, position: int) -> int:
    """The 1-based line of `position` in `text`."""
    return breaks_between(text, 0, position) + 1


class Refused(Exception):
    """A path the guarded reader will not read: not a regular file, too large, or not private."""

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.reason, self.kind = reason, kind


def open_guarded(path: str | Path, limit: int, *, private: bool = False, dir_fd: int | None = None) -> tuple[int, int]:
    """The checks of `read_guarded` on an open descriptor: (fd, size) for the caller to read and
    close (the cache reads only the entries it needs from its file with os.pread)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if private:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags) if dir_fd is None else os.open(path, flags, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise Refused("is a directory", "directory")
        if not stat.S_ISREG(info.st_mode):
            raise Refused("not a regular file (a FIFO, socket or device?)", "special")
        if private and (info.st_uid != os.geteuid() or info.st_mode & 0o022):
            raise Refused("not owned by this user, or writable by others", "owner")
        if info.st_size > limit:
            raise Refused(f"{info.st_size:,} bytes is over the {limit:,}-byte limit", "size")
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_guarded(
    path: str | Path, limit: int, *, private: bool = False, dir_fd: int | None = None, head: int | None = None
) -> bytes:
    """The one guarded read: the loader, TAB completion and the cache all read files through it.

    The file is opened non-blocking (a FIFO cannot hang the open or the read) and checked with
    fstat on the open descriptor, so nothing swapped in after a check is read: it must be a
    regular file of at most `limit` bytes (a 2 GB sparse file or /dev/zero is refused unread).
    private: a file of painsci's own (the cache) must also be owned by this user, not writable
    by group or others, and not a symbolic link. head: read only the first `head` bytes.
    Raises Refused (with kind "directory", "special", "size" or "owner") or OSError.
    """
    fd, expected = open_guarded(path, limit, private=private, dir_fd=dir_fd)
    try:
        wanted = limit + 1 if head is None else min(head, limit + 1)
        chunks: list[bytes] = []
        size = 0
        # Ask for what fstat promised (+1 to see growth), not for `limit`: os.read allocates the
        # whole request first (128 MiB for a cache file), which cost more than reading 18 MB.
        while size < wanted and (chunk := os.read(fd, min(wanted - size, max(expected + 1 - size, 1 << 16)))):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:  # the file grew after fstat
        raise Refused(f"over the {limit:,}-byte limit", "size")
    return b"".join(chunks)


def read_bytes(path: Path) -> bytes:
    """The knowledge base's bytes: a readable regular file under the size cap, else a refusal.

    The path is the user's input, so it is escaped in every message (a file name can hold ESC
    or undecodable bytes).
    """
    name = visible_path(path)
    try:
        return read_guarded(path, MAX_BYTES)
    except FileNotFoundError:
        raise KnowledgeBaseUnreadable(f"{name}: knowledge base not found") from None
    except Refused as exc:
        if exc.kind == "directory":
            raise KnowledgeBaseUnreadable(f"{name}: is a directory, not a knowledge base file") from None
        if exc.kind == "size":
            raise KnowledgeBaseInvalid(f"{name}: {exc.reason}") from None
        raise KnowledgeBaseUnreadable(f"{name}: {exc.reason}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "invalid path"
        raise KnowledgeBaseUnreadable(f"{name}: cannot read knowledge base: {reason}") from None


def label(code: int) -> str:
    """What kind of forbidden character a code point is, for the message."""
    if code in CHARACTER_NAMES:
        return CHARACTER_NAMES[code]
    if code < 0xA0:
        return "control character"
    if 0xD800 <= code <= 0xDFFF or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF:
        return "noncharacter"
    return "invisible format character"


def decode(raw: bytes, name: str) -> str:
    """Strict UTF-8 (a leading BOM is allowed and dropped), then the character screen."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = line_at(raw.decode("latin-1"), exc.start)
        raise KnowledgeBaseInvalid(
            f"{name}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02X}); save the file as UTF-8"
        ) from None
    problems = []
    line, counted = 1, 0
    for match in forbidden().finditer(text):
        line += breaks_between(text, counted, match.start())  # counted once, onwards
        counted = match.start()
        problems.append(f"{name}:{line}: forbidden character U+{ord(match.group()):04X} ({label(ord(match.group()))})")
        if len(problems) >= MAX_FORBIDDEN:
            problems.append(f"{name}: further forbidden characters not listed")
            break
    if problems:
        raise KnowledgeBaseInvalid(*problems)
    return text
