"""`--format markdown`: tables to paste into notes; pipes, backslashes and tags in KB text are escaped."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..views import OutputDoc
from .layout import Section, sections

if TYPE_CHECKING:
    from . import Surface

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
"""A `<` that could open HTML in a Markdown viewer; "6 to < 12 months" keeps its plain `<`."""


def _cell(text: str) -> str:
    text = " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")
    return _TAG_START.sub("&lt;", text) or " "


def section(part: Section) -> str:
    lines = [f"## {_cell(part.title)}", ""]
    if part.rows:
        columns = part.columns if any(part.columns) else ("", "")
        lines.append("| " + " | ".join(_cell(c) for c in columns) + " |")
        lines.append("|" + "---|" * len(columns))
        lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in part.rows)
    if part.note:
        lines += ["", f"_{_cell(part.note)}_"]
    return "\n".join(lines)


def render(doc: OutputDoc, surface: Surface | None = None) -> str:
    detail, wanted = (surface.detail, surface.sections) if surface else ("card", ())
    return "\n\n".join(section(part) for part in sections(doc, detail, wanted)) + "\n"
