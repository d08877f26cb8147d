"""`--format markdown`: tables to paste into notes; pipes and backslashes in KB text are escaped."""

from __future__ import annotations

from ..views import OutputDoc
from .layout import Section, sections


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


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


def render(doc: OutputDoc) -> str:
    return "\n\n".join(section(part) for part in sections(doc)) + "\n"
