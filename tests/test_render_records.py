"""Record tables (render/records.py): a `list` that scans, and clean data out for scripts.

`list` at 120 columns takes at most two lines per treatment; piped `list` and `findings` are
true tables (one header row, one row per record, the same number of tab-separated fields in
every row); `findings --format csv` parses with Python's csv module, one row per finding of the
knowledge base. Counts are checked against the YAML itself, read here without painsci.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from helpers import BUNDLED
from painsci_cli.cli import app

PAINSCI = Path(sys.executable).with_name("painsci")
FINDING_HEADER = [
    "treatment",
    "finding",
    "outcome",
    "construct",
    "scale",
    "scale_status",
    "population",
    "question",
    "comparator",
    "comparator_label",
    "time",
    "window",
    "measure",
    "estimate",
    "ci_lower",
    "ci_upper",
    "shows",
    "mcid",
    "magnitude",
    "certainty",
    "certainty_up_to",
    "flags",
    "source",
    "locator",
    "reading",
]
LIST_HEADER = ["id", "name", "category", "phase", "bottom_line", "key_figure", "certainty", "lasts"]
LIST_HEADER += ["nvl", "nice", "acp", "who"]


@cache
def stored() -> dict[str, Any]:
    """The bundled KB as plain YAML data: what the tables must account for."""
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def stored_findings() -> dict[str, dict[str, Any]]:
    return {f["id"]: f for t in stored()["treatments"] for f in t.get("findings") or ()}


def invoke(*args: str, columns: int = 100) -> tuple[str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


# --------------------------------------------------------------------------- list scans


def test_list_at_120_columns_takes_at_most_two_lines_per_treatment() -> None:
    text, _ = invoke("list", "--format", "table", columns=120)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:4] == ["NVL", "NICE", "ACP", "WHO"]) + 1
    assert lines[start].split() == ["key", "figure", "(certainty)", "·", "lasts"]  # the header's second line
    start += 1
    body = lines[start : lines.index("", start)]
    blocks: list[list[str]] = []
    for line in body:  # a treatment's first line starts with its guideline marks; the rest are indented
        if line[:1].isspace():
            blocks[-1].append(line)
        else:
            blocks.append([line])
    treatments = json.loads(invoke("list", "--json")[0])["treatments"]
    assert len(blocks) == len(treatments) == len(stored()["treatments"])
    assert max(len(block) for block in blocks) <= 2, [block for block in blocks if len(block) > 2]
    assert len(body) <= 2 * len(treatments)
    assert all(max(len(line) for line in block) <= 120 for block in blocks)


def test_piped_list_is_one_header_row_and_one_row_per_treatment() -> None:
    done = subprocess.run([str(PAINSCI), "list"], capture_output=True, text=True, timeout=60, check=True)
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert rows[0] == LIST_HEADER
    assert {len(row) for row in rows} == {len(LIST_HEADER)}
    assert sorted(row[0] for row in rows[1:]) == sorted(t["id"] for t in stored()["treatments"])
    assert done.stderr == ""


def test_a_list_that_matches_nothing_is_a_header_and_a_note_on_stderr() -> None:
    text, notes = invoke("list", "--guideline", "nice=against", "--min-certainty", "high")
    assert text.splitlines() == ["\t".join(LIST_HEADER)]
    assert "painsci: no treatment matches these filters" in notes.splitlines()


# --------------------------------------------------------------------------- findings: clean data out


def test_findings_csv_has_one_row_per_finding_of_the_kb() -> None:
    text, notes = invoke("findings", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert header == FINDING_HEADER
    assert {len(row) for row in body} == {len(header)}
    kb = stored_findings()
    assert len(body) == len(kb) >= 224
    assert sorted(row[1] for row in body) == sorted(kb)
    assert notes == ""


def test_findings_csv_figures_are_the_stored_ones() -> None:
    text, _ = invoke("findings", "--format", "csv")
    kb = stored_findings()
    checked = 0
    for row in csv.DictReader(io.StringIO(text, newline="")):
        effect = kb[row["finding"]].get("effect")
        if effect is None:
            assert row["estimate"] == row["ci_lower"] == row["ci_upper"] == ""
            continue
        assert (row["measure"], float(row["estimate"])) == (effect["measure"], effect["estimate"])
        ci = effect.get("ci95")
        if ci is not None:
            assert (float(row["ci_lower"]), float(row["ci_upper"])) == (ci["lower"], ci["upper"])
        checked += 1
    assert checked >= 90


@pytest.mark.parametrize("args", [("--numeric",), ("--comparator", "sham"), ("--phase", "acute")])
def test_piped_findings_is_a_true_table(args: tuple[str, ...]) -> None:
    text, _ = invoke("findings", *args)
    rows = [line.split("\t") for line in text.splitlines()]
    assert rows[0] == FINDING_HEADER
    assert len(rows) > 2
    assert {len(row) for row in rows} == {len(FINDING_HEADER)}
    csv_rows = list(csv.reader(io.StringIO(invoke("findings", *args, "--format", "csv")[0], newline="")))
    assert len(csv_rows) == len(rows)
