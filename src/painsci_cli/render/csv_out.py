"""`--format csv`: the same table as --plain, as RFC 4180 CSV (Python's csv module) for spreadsheets."""

from __future__ import annotations

import csv
import io

from .records import DataTable


def render(table: DataTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue()
