"""`--plain` (and the default in a pipe): one tab-separated table, for `cut`, `awk` and `sort`.

One header row, one row per record, the same number of fields in every row; tabs and line breaks
inside a cell become spaces, so the structure cannot break (see records.py for what each
document's table holds).
"""

from __future__ import annotations

from .records import DataTable


def _clean(cell: str) -> str:
    return " ".join(cell.split())


def render(table: DataTable) -> str:
    lines = ["\t".join(table.columns)]
    lines.extend("\t".join(_clean(cell) for cell in row) for row in table.rows)
    return "\n".join(lines) + "\n"
