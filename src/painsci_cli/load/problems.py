"""How the loader words a refusal: FILE:LINE: path: message, escaped, bounded, all at once.

Every refusal of a knowledge base passes through `refuse`, so no message can carry a control
sequence from the input, run to megabytes, or list ten thousand lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..charset import visible
from ..errors import KnowledgeBaseInvalid
from ..models import Loc

MAX_PROBLEMS = 20
"""Problems listed before the rest are summarised in one line: a broken file stays readable."""
MAX_SHOWN = 60
"""Quoted input in a message is cut to this many characters."""
MAX_LINE = 500
"""A whole message line is cut to this many characters."""


def cut(text: str, limit: int = MAX_SHOWN) -> str:
    """Text from the input in an error message: escaped and cut to `limit` characters."""
    return visible(text[:limit]) + ("…" if len(text) > limit else "")


def shown(value: Any, limit: int = MAX_SHOWN) -> str:
    """A value quoted in an error message: its repr, escaped and cut to `limit` characters."""
    return cut(repr(value), limit)


def refuse(name: str, lines: Sequence[str]) -> KnowledgeBaseInvalid:
    """At most MAX_PROBLEMS lines (then a count of the rest), each one escaped line of bounded length."""
    listed = [visible(line[:MAX_LINE]) + ("…" if len(line) > MAX_LINE else "") for line in lines]
    if len(listed) > MAX_PROBLEMS + 1:
        listed[MAX_PROBLEMS:] = [f"{name}: {len(listed) - MAX_PROBLEMS:,} more problems not listed"]
    return KnowledgeBaseInvalid(*listed)


def dotted(loc: Loc) -> str:
    """('treatments', 3, 'findings', 0) -> 'treatments[3].findings[0]'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{cut(part)}" if text else cut(part)
    return text or "(top level)"
