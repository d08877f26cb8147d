"""Odd but legal text inside a KB is printed literally and aligned in every format.

Rich markup (`[bold]`, `[/]`, `[link=…]`), emoji codes (`:warning:`), very long words, CJK,
combining marks and right-to-left letters are allowed in the knowledge base; they must reach the
reader as the same characters, never as styles, links, emoji or a crash. (Control and bidi
override characters are refused at load instead: see test_hostile.py.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import Result

from helpers import MINI, markdown_unescaped

Invoke = Callable[..., Result]

LONG_WORD = "Supercalifragilisticexpialidocious" * 2
"""68 characters: folds in an 80-column table cell, fits whole at 120."""
NAME = "Relaxation [bold]massage[/] :warning: 腰痛"
ALIASES = ["[/]", "[link=https://evil.example]x[/link]", "e\u0301tude n\u0303 a\u0308"]
DESCRIPTION = (
    f"Literal [bold]x[/] and [/] and [link=https://evil.example]click[/link] :warning: {LONG_WORD} "
    "腰痛の運動療法 e\u0301 علاج a|b C:\\path 1.5"
)
OUTCOME = "RDQ [red]disability[/red]"
COMPARATOR = ":thumbs_up: usual care"
LITERALS = [
    "[bold]massage[/]",
    ":warning:",
    "腰痛",
    "[/]",
    "[link=https://evil.example]x[/link]",
    "e\u0301tude n\u0303 a\u0308",
    "Literal [bold]x[/] and [/] and",
    "[link=https://evil.example]click[/link]",
    "腰痛の運動療法",
    "علاج",
    "C:\\path",
    OUTCOME,
    COMPARATOR,
]
NUMBERS = ["-2.9", "-4.0", "-1.8", "136", "133", "1.5"]


def yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


@pytest.fixture
def strings_kb(tmp_path: Path) -> Path:
    """mini.yaml with hostile-looking but legal text in names, aliases, description and labels."""
    text = MINI.read_text(encoding="utf-8")
    for old, new in [
        ("    name: Relaxation massage\n", f"    name: {yaml_string(NAME)}\n"),
        ("    aliases: [swedish massage]\n", f"    aliases: [{', '.join(yaml_string(a) for a in ALIASES)}]\n"),
        (
            "    description: Classic Swedish-style massage aimed at general relaxation.\n",
            f"    description: {yaml_string(DESCRIPTION)}\n",
        ),
        ("label: RDQ, scale: rdq-23}", f"label: {yaml_string(OUTCOME)}, scale: rdq-23}}"),
        ("label: usual care, treatment: usual-care}", f"label: {yaml_string(COMPARATOR)}, treatment: usual-care}}"),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "strings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def show(invoke: Invoke, kb: Path, *options: str, columns: int = 100) -> Result:
    result = invoke("--data", str(kb), "show", "relaxation-massage", *options, env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    return result


@pytest.mark.parametrize("columns", [80, 120])
def test_table_prints_kb_text_literally_and_aligned(invoke: Invoke, strings_kb: Path, columns: int) -> None:
    out = show(invoke, strings_kb, "--full", "--format", "table", columns=columns).stdout
    flat = " ".join(out.split())  # a label may wrap at a space inside its cell
    for literal in LITERALS:
        assert literal in out or literal in flat, literal
    assert "⚠" not in out and "👍" not in out  # emoji codes stay codes
    assert "MD -2.9 [-4.0, -1.8]" in out  # the figure is never split or ellipsised
    for number in NUMBERS:
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", out), number
    assert "…" not in out
    widest = max(cell_len(line) for line in out.splitlines())
    assert widest <= columns, f"a line is {widest} cells wide"
    if columns >= 120:
        assert LONG_WORD in out
    else:  # folded inside its cell: every character is still there, in order
        assert LONG_WORD in "".join(out.split())


def test_plain_prints_kb_text_literally(invoke: Invoke, strings_kb: Path) -> None:
    card = show(invoke, strings_kb, "--plain").stdout
    assert card.startswith("field\tvalue\n")
    effects = show(invoke, strings_kb, "--section", "effects", "--plain").stdout
    for literal in (OUTCOME, COMPARATOR, *NUMBERS[:5]):
        assert literal in effects, literal
    names = invoke("--data", str(strings_kb), "list", "--plain").stdout
    assert f"\t{NAME}\t" in names


def test_markdown_prints_kb_text_literally_with_pipes_escaped(invoke: Invoke, strings_kb: Path) -> None:
    out = show(invoke, strings_kb, "--full", "--format", "markdown").stdout
    shown = markdown_unescaped(out)
    for literal in [*LITERALS, LONG_WORD, *NUMBERS]:
        assert literal in shown, literal
    assert "a\\|b" in out
    assert "\\[link=https\\://evil.example\\]x\\[/link\\]" in out
    for row in (line for line in out.splitlines() if line.startswith("|")):
        assert row.endswith("|"), row


def test_json_carries_kb_text_exactly(invoke: Invoke, strings_kb: Path) -> None:
    result = show(invoke, strings_kb, "--json")
    assert result.stdout.isascii()  # ensure_ascii: no byte of KB text can act on a terminal
    treatment = json.loads(result.stdout)["treatment"]
    assert treatment["name"] == NAME
    assert treatment["aliases"] == ALIASES
    assert treatment["description"] == DESCRIPTION
    finding = treatment["findings"][0]
    assert (finding["outcome"]["label"], finding["comparator"]["label"]) == (OUTCOME, COMPARATOR)
    assert finding["effect"]["estimate"] == -2.9


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--format", "table"],
        ["list", "--plain"],
        ["list", "--format", "markdown"],
        ["compare", "massage", "relaxation-massage", "--format", "table"],
        ["compare", "massage", "relaxation-massage", "--plain"],
        ["explain", "relaxation-massage"],
        ["search", "link=https"],
        ["search", "腰痛", "--format", "table"],
        ["sources", "relaxation-massage", "--format", "table"],
    ],
    ids=" ".join,
)
def test_other_commands_print_kb_text_literally(invoke: Invoke, strings_kb: Path, args: list[str]) -> None:
    result = invoke("--data", str(strings_kb), *args)
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    assert "⚠" not in result.stdout
    if "table" in args:  # conftest pins COLUMNS=100
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= 100


def test_hostile_names_resolve_as_plain_text(invoke: Invoke, strings_kb: Path) -> None:
    """An alias made of markup is looked up like any other name, and shown literally."""
    result = invoke("--data", str(strings_kb), "show", "[/]", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "## Relaxation \\[bold\\]massage\\[/\\] :warning: 腰痛 · passive" in result.stdout  # escaped, not markup
