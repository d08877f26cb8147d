"""`--json`: the documented, versioned API. ASCII-only, so no byte of KB text can act on a terminal."""

from __future__ import annotations

import dataclasses
import json

from ..views import OutputDoc


def render(doc: OutputDoc) -> str:
    return json.dumps(dataclasses.asdict(doc), ensure_ascii=True, indent=2) + "\n"
