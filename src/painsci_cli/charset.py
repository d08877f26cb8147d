"""Characters that must never reach a terminal: C0 (but tab, LF, CR), DEL, C1, bidi and format.

The KB loader refuses them outright; text typed by the user (a search, a treatment name) is
echoed with `visible()`, which spells them as escapes instead.
"""

from __future__ import annotations

import re
from functools import cache

FORBIDDEN_CLASS = (
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 except tab, LF, CR; DEL; C1
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"  # format (Cf) characters …
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u2028\u2029"  # line and paragraph separators
    "\ufdd0-\ufdef\ufffe\uffff"  # noncharacters (YAML itself refuses U+FFFE and U+FFFF) …
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff\U0005fffe\U0005ffff"
    "\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff"
    "\U000bfffe\U000bffff\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff"
    "\U0010fffe\U0010ffff"  # … and the last two of every other plane
    "\ud800-\udfff"  # lone surrogates: undecodable bytes in argv or a file name (never in a decoded KB)
    "]"
)
"""A regex character class; compiled on first use (compiling costs ~1 ms of every start-up)."""


@cache
def forbidden() -> re.Pattern[str]:
    return re.compile(FORBIDDEN_CLASS)


def __getattr__(name: str) -> re.Pattern[str]:
    """`charset.FORBIDDEN`, compiled when first read."""
    if name == "FORBIDDEN":
        return forbidden()
    raise AttributeError(name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


MAX_PATH_SHOWN = 200
"""Characters of a path echoed in a message: its start and its end (the file name) are kept."""


def visible_path(path: object) -> str:
    """A path the user typed, escaped like `visible` and shortened in the middle when long, so a
    100 KB --data value does not become a 100 KB message."""
    text = str(path)
    if len(text) > MAX_PATH_SHOWN:
        half = MAX_PATH_SHOWN // 2
        text = text[:half] + "…" + text[-half:]
    return visible(text)


def visible(text: str) -> str:
    """Forbidden characters (and tabs/newlines, which would break a line) shown as escapes.

    The result is safe on any terminal and encodable as UTF-8 (lone surrogates are escaped too).
    """
    return forbidden().sub(_escape, text).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
