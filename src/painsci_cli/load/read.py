"""The byte and character screen: a readable regular file under the size cap, strict UTF-8, and
no control, bidi or format character anywhere, before any YAML is parsed.
"""

from __future__ import annotations

import os
import re
import stat
from functools import cache
from pathlib import Path

from ..charset import forbidden, visible
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


@cache
def line_breaks() -> re.Pattern[str]:
    """Line breaks as YAML counts them (a lone CR too), so FILE:LINE agrees with the parser."""
    return re.compile("\r\n|\r|\n")


def line_at(text: str, position: int) -> int:
    """The 1-based line of `position` in `text`."""
    return len(line_breaks().findall(text, 0, position)) + 1


def read_bytes(path: Path) -> bytes:
    """Refuse anything but a readable regular file under the size cap, without blocking on FIFOs.

    The file is opened non-blocking and checked with fstat on the open descriptor, so a FIFO
    swapped in after a check cannot hang the read. The path is the user's input, so it is
    escaped in every message (a file name can hold ESC or undecodable bytes).
    """
    name = visible(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise KnowledgeBaseUnreadable(f"{name}: knowledge base not found") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "invalid path"
        raise KnowledgeBaseUnreadable(f"{name}: cannot read knowledge base: {reason}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise KnowledgeBaseUnreadable(f"{name}: is a directory, not a knowledge base file")
        if not stat.S_ISREG(info.st_mode):
            raise KnowledgeBaseUnreadable(f"{name}: not a regular file (a FIFO, socket or device?)")
        if info.st_size > MAX_BYTES:
            raise KnowledgeBaseInvalid(f"{name}: {info.st_size:,} bytes is over the {MAX_BYTES:,}-byte limit")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES and (chunk := os.read(fd, MAX_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise KnowledgeBaseUnreadable(f"{name}: cannot read knowledge base: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise KnowledgeBaseInvalid(f"{name}: over the {MAX_BYTES:,}-byte limit")
    return raw


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
        line += len(line_breaks().findall(text, counted, match.start()))  # counted once, onwards
        counted = match.start()
        problems.append(f"{name}:{line}: forbidden character U+{ord(match.group()):04X} ({label(ord(match.group()))})")
        if len(problems) >= MAX_FORBIDDEN:
            problems.append(f"{name}: further forbidden characters not listed")
            break
    if problems:
        raise KnowledgeBaseInvalid(*problems)
    return text
