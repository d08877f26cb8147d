"""`--json`: the documented, versioned API. ASCII-only, so no byte of KB text can act on a terminal.

Indented for a person at a terminal; compact when piped, because only the compact form uses
the C encoder (indenting is ~10x slower on a large document) and `jq` re-indents anyway.
"""

from __future__ import annotations

import json
import sys

from ..records import to_plain
from ..views import OutputDoc


def render(doc: OutputDoc, indent: bool | None = None) -> str:
    pretty = sys.stdout.isatty() if indent is None else indent
    if pretty:
        return json.dumps(to_plain(doc), ensure_ascii=True, indent=2) + "\n"
    return json.dumps(to_plain(doc), ensure_ascii=True, separators=(",", ":")) + "\n"
