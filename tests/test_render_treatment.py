"""`painsci show` (render/treatment.py): one screen first, the whole record on demand.

The card fits a screen (60 lines at 80 columns, 40 at 120) for the treatments with the longest
records; `--full` holds everything the card says plus every stored note (finding, effect,
blinding, certainty, population, size, guideline and within-group notes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from helpers import markdown_unescaped
from painsci_cli.cli import app

Invoke = Callable[..., Any]
LONGEST = ("massage", "acupuncture", "kinesiology-taping")
"""The records issue 13 measured (411, 627 lines and more as a single view)."""
SCREEN = [(80, 60), (120, 40)]
"""(columns, most lines the card may take)."""
TOKEN = re.compile(r"[^\s;,()|]+")
HINTS = re.compile(r"; \d+ more \(--section \w+\)| \(--phase \w+\)")
"""The card's pointers to more (the full record holds what they point at, not the pointer)."""


@pytest.fixture(scope="module")
def module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def one_cache_for_the_module(monkeypatch: pytest.MonkeyPatch, module_cache: Path) -> None:
    """Every test here reads the same bundled KB: load it once, not once per test."""
    monkeypatch.setenv("PAINSCI_CACHE_DIR", str(module_cache))


@cache
def shown(*args: str, columns: int = 100) -> str:
    result = CliRunner().invoke(app, ["show", *args], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@cache
def treatment_ids() -> tuple[str, ...]:
    doc = json.loads(CliRunner().invoke(app, ["list", "--json"]).stdout)
    return tuple(row["id"] for row in doc["treatments"])


# --------------------------------------------------------------------------- the card fits a screen


@pytest.mark.parametrize(("columns", "limit"), SCREEN)
@pytest.mark.parametrize("name", LONGEST)
def test_the_card_fits_one_screen(name: str, columns: int, limit: int) -> None:
    card = shown(name, "--format", "table", columns=columns)
    lines = card.splitlines()
    assert len(lines) <= limit, f"{name} at {columns} columns: {len(lines)} lines"
    assert max(cell_len(line) for line in lines) <= columns
    assert lines[0].startswith(json.loads(shown(name, "--json"))["treatment"]["name"])
    assert any(line.startswith("bottom line") for line in lines)
    assert any(line.startswith("more ") for line in lines[-3:])  # the last row says how to see the rest


@pytest.mark.parametrize(("columns", "limit"), SCREEN)
def test_every_card_of_the_kb_fits_one_screen(columns: int, limit: int) -> None:
    """Not only the longest records: a parent with ten sub-types (exercise therapy) shows one
    caveat, and a result whose interval runs from worse to better no share of the individual
    change, so it fits too."""
    lengths = {name: len(shown(name, "--format", "table", columns=columns).splitlines()) for name in treatment_ids()}
    assert len(lengths) == 48
    assert {name: n for name, n in lengths.items() if n > limit} == {}


@pytest.mark.parametrize("name", LONGEST)
def test_the_full_record_is_what_does_not_fit(name: str) -> None:
    """The limits bite: the whole record of each of these is several screens long."""
    assert len(shown(name, "--full", "--format", "table", columns=80).splitlines()) > 3 * 60


# --------------------------------------------------------------------------- --full holds the card and the notes


def card_tokens(name: str) -> set[str]:
    """The words and figures of the card's values (Markdown: one line per row, nothing wrapped)."""
    tokens: set[str] = set()
    for line in shown(name, "--format", "markdown").splitlines():
        if not line.startswith("| ") or line.startswith("|   |"):
            continue
        label, value = line[2:-2].split(" | ", 1)
        if markdown_unescaped(label) != "more":
            tokens |= set(TOKEN.findall(HINTS.sub("", markdown_unescaped(value))))
    return tokens


def full_text(name: str) -> str:
    """The full record as a reader of the Markdown sees it (section notes are in _italics_)."""
    lines = shown(name, "--full", "--format", "markdown").splitlines()
    seen = [line[1:-1] if len(line) > 1 and line[0] == line[-1] == "_" else line for line in lines]
    return " ".join(markdown_unescaped("\n".join(seen)).split())


@pytest.mark.parametrize("name", treatment_ids())
def test_full_holds_every_word_and_figure_of_the_card(name: str) -> None:
    card = card_tokens(name)
    assert len(card) > 10
    assert card - set(TOKEN.findall(full_text(name))) == set()


def test_a_parents_full_record_holds_its_subtypes_lines() -> None:
    """massage's card sums up relaxation and structural massage; so does its full record."""
    text = full_text("massage")
    assert "Relaxation massage | very uncertain; MD -2.9 [-4.0, -1.8] 0-23 vs usual care" in text
    assert "Structural massage | very uncertain; MD -2.5 [-3.5, -1.4] 0-23 vs usual care" in text


def test_a_family_with_no_figure_of_its_own_shows_its_subtypes_figures_in_full() -> None:
    text = full_text("magnetic-field-therapy")
    assert "no finding of its own for chronic pain: the figures are its sub-types'" in text
    assert (
        "SMD -0.6 [-0.94, -0.25] vs mixed, about 1.2 to 1.5 points better on pain 0-10; "
        "from Pulsed electromagnetic field therapy"
    ) in text


def stored_notes(name: str) -> list[str]:
    doc = json.loads(shown(name, "--json"))["treatment"]
    notes = []
    for f in doc["findings"]:
        parts = (f, f["blinding"] or {}, f["effect"] or {}, f["certainty"] or {}, f["population"], f["size"])
        notes += [part["note"] for part in parts if part.get("note")]
    for r in doc["recommendations"]:
        notes += [text for text in (r["note"], r["wording"], (r["condition"] or {}).get("note")) if text]
    notes += [w["note"] for w in doc["within_group"] if w.get("note")]
    return [" ".join(note.split()) for note in notes]


@pytest.mark.parametrize("name", treatment_ids())
def test_full_prints_every_stored_note(name: str) -> None:
    text = full_text(name)
    assert [note for note in stored_notes(name) if note not in text] == []


def test_cherkins_blinding_note_is_in_the_full_table_not_the_card() -> None:
    note = "Participants were blinded to which type of massage they got, not to massage vs usual care"
    wide = shown("relaxation-massage", "--full", "--format", "table", columns=1000)
    assert note in wide
    assert note in shown("relaxation-massage", "--section", "blinding", "--format", "plain")
    assert "blinded to which" not in " ".join(shown("relaxation-massage", "--format", "table", columns=1000).split())
