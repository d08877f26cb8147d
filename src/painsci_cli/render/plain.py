"""Piped or `--plain` output: tab-separated, untruncated, no colour, no box drawing."""

from __future__ import annotations

from ..views import OutputDoc
from .layout import Section, sections


def _clean(cell: str) -> str:
    """Tabs and newlines inside a cell would break the row structure."""
    return " ".join(cell.split())


def section(part: Section) -> str:
    lines = [f"# {part.title}"]
    if any(part.columns) and not part.key_value:
        lines.append("\t".join(part.columns))
    lines.extend("\t".join(_clean(cell) for cell in row) for row in part.rows)
    if part.note:
        lines.append(f"note: {_clean(part.note)}")
    return "\n".join(lines)


def render(doc: OutputDoc) -> str:
    return "\n\n".join(section(part) for part in sections(doc)) + "\n"
