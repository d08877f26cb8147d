"""Property tests: whatever the bytes or the command line, only documented outcomes come out.

The loader may accept a document or raise KnowledgeBaseInvalid with escaped one-line messages
naming the file; anything else (a TypeError, a RecursionError, a ValueError from int()) is a bug.
The CLI may exit 0, 2, 65 or 66 and never leaks an exception or a raw control character.
Derandomized, so CI sees the same examples every run; PAINSCI_FUZZ_EXAMPLES=5000 explores more.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from helpers import MINI
from painsci_cli import load
from painsci_cli.charset import FORBIDDEN
from painsci_cli.cli import app
from painsci_cli.errors import KnowledgeBaseInvalid
from painsci_cli.load.problems import MAX_PROBLEMS
from painsci_cli.models import KnowledgeBase

EXPLORE = int(os.environ.get("PAINSCI_FUZZ_EXAMPLES", "0"))
"""Set to e.g. 5000 for a long, randomised hunt; CI runs 150 fixed examples per property."""
FUZZ = settings(
    max_examples=EXPLORE or 150,
    deadline=2000,
    derandomize=not EXPLORE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
MINI_TEXT = MINI.read_text(encoding="utf-8")
MINI_DATA: dict[str, Any] = yaml.safe_load(MINI_TEXT)


def load_or_refuse(raw: bytes) -> KnowledgeBase | None:
    """Load `raw`; a refusal must be well-formed. Any other exception fails the test."""
    try:
        return load.load_uncached(raw, "fuzz.yaml")
    except KnowledgeBaseInvalid as refused:
        assert refused.lines
        assert len(refused.lines) <= MAX_PROBLEMS + 1
        for line in refused.lines:
            assert line.startswith("fuzz.yaml"), line
            assert not FORBIDDEN.search(line), repr(line)
            assert not {"\n", "\r", "\t"} & set(line), repr(line)
            assert len(line) <= 600, line[:100]
        return None


# --------------------------------------------------------------------------- random YAML documents

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["NO", "yes", "on", "1.10", "12:30", "0x1F", "~", "null", ".inf", "2026-11-22", "[/]", ":warning:"]
    ),
)
keys = st.one_of(st.text(max_size=12), st.sampled_from(sorted(MINI_DATA)), st.integers(), st.booleans())
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)),
    max_leaves=40,
)


@FUZZ
@given(document=documents, flow=st.booleans(), unicode=st.booleans())
def test_random_yaml_documents(document: Any, flow: bool, unicode: bool) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=unicode)
    load_or_refuse(text.encode())


# --------------------------------------------------------------------------- the real KB, mutated as data

LEAF_VALUES = st.one_of(
    scalars,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
    st.lists(scalars, max_size=3),
    st.dictionaries(st.text(max_size=8), scalars, max_size=3),
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location in a plain-data tree, for picking one to mutate."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths(value, (*prefix, index))
    return found


MINI_PATHS = paths(MINI_DATA)[1:]


@st.composite
def mutated_kb(draw: st.DrawFn) -> Any:
    """mini.yaml's data with a few locations replaced, deleted or duplicated."""
    data = copy.deepcopy(MINI_DATA)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        where = draw(st.sampled_from(MINI_PATHS))
        parent: Any = data
        try:
            for part in where[:-1]:
                parent = parent[part]
            action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
            if action == "replace":
                parent[where[-1]] = draw(LEAF_VALUES)
            elif action == "delete":
                del parent[where[-1]]
            elif isinstance(parent, list):
                parent.append(copy.deepcopy(parent[where[-1]]))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this location
    return data


@FUZZ
@given(data=mutated_kb())
def test_mutated_kb_data(data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = load_or_refuse(text.encode())
    event("valid" if loaded else "refused")
    if loaded is not None:  # still valid: every command must still answer for every treatment
        assert_every_treatment_renders(text)


def assert_every_treatment_renders(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        loaded = load.load_uncached(path.read_bytes(), str(path))
        ids = [t.id for t in loaded.treatments]
        runner = CliRunner()
        for tid in ids:
            for fmt in ("plain", "json", "table"):
                result = runner.invoke(app, ["--data", str(path), "show", tid, "--format", fmt])
                assert result.exit_code in (0, 2), (result.stderr, result.exception)
                assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        for args in (["list"], ["list", "--format", "table"], ["compare", *ids[:2]]):
            result = runner.invoke(app, ["--data", str(path), *args])
            assert result.exit_code in (0, 2), (result.stderr, result.exception)
            assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


# --------------------------------------------------------------------------- the real KB, mutated as text

YAML_CHARS = st.sampled_from([*":-[]{}&*!|>'\"%@`#,? \n\t\\", "\r\n", "---\n", "...\n", "  ", "<<: ", "!!"])
TEXT_PIECES = st.one_of(YAML_CHARS, st.text(max_size=8), st.characters(codec="utf-8").map(str))


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    text = MINI_TEXT
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        match draw(st.sampled_from(["insert", "delete", "replace", "drop_line", "copy_line", "swap_lines"])):
            case "insert":
                text = text[:at] + draw(TEXT_PIECES) + text[at:]
            case "delete":
                text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=40)) :]
            case "replace":
                text = text[:at] + draw(TEXT_PIECES) + text[at + 1 :]
            case "drop_line" | "copy_line" | "swap_lines" as action:
                lines = text.split("\n")
                i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
                j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
                if action == "drop_line":
                    del lines[i]
                elif action == "copy_line":
                    lines.insert(j, lines[i])
                else:
                    lines[i], lines[j] = lines[j], lines[i]
                text = "\n".join(lines)
    return text


@FUZZ
@given(text=mutated_text())
def test_mutated_kb_text(text: str) -> None:
    load_or_refuse(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(MINI_TEXT)), st.binary(min_size=1, max_size=4)),
        min_size=1,
        max_size=5,
    )
)
def test_mutated_kb_bytes(edits: list[tuple[int, bytes]]) -> None:
    raw = bytearray(MINI_TEXT.encode())
    for at, new in edits:
        raw[at : at + len(new)] = new
    load_or_refuse(bytes(raw))


# --------------------------------------------------------------------------- command lines

COMMANDS = ["show", "list", "compare", "explain", "search", "glossary", "sources", "validate", "schema", "plot", "shw"]
OPTIONS = [
    "--format",
    "-f",
    "--json",
    "--plain",
    "--no-color",
    "--sort",
    "--category",
    "--min-certainty",
    "--guideline",
    "--output",
    "--help",
    "--version",
    "--data",
    "--",
    "-",
]
VALUES = [
    "table",
    "plain",
    "json",
    "markdown",
    "bibtex",
    "ris",
    "xml",
    "name",
    "effect",
    "certainty",
    "active",
    "passive",
    "comparator",
    "high",
    "very_low",
    "nvl=for",
    "nvl-2017=against",
    "who=for",
    "=",
    "massage",
    "relaxation-massage",
    "swedish massage",
    "usual-care",
    "m",
    "mcid",
    "",
    " ",
    "[bold]x[/]",
    ":warning:",
    "\x1b[31m",
    "\u202e",
    "x" * 300,
    str(MINI),
    "/nonexistent.yaml",
]
WORDS = st.one_of(st.sampled_from(COMMANDS + OPTIONS + VALUES), st.text(max_size=20))


@FUZZ
@given(
    command=st.sampled_from(COMMANDS),
    words=st.lists(WORDS, max_size=6),
    front=st.lists(st.sampled_from(["--data", str(MINI), "--version", "--help", "-h"]), max_size=2),
)
def test_random_command_lines(command: str, words: list[str], front: list[str]) -> None:
    assume("\x00" not in "".join(words))  # argv can never hold NUL
    result = invoke_fuzzed([*front, command, *words])
    assert result.exit_code in (0, 2, 65, 66), (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
    assert not FORBIDDEN.search(result.stderr), repr(result.stderr)
    assert not FORBIDDEN.search(result.stdout), repr(result.stdout[:300])
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1, result.stderr


_RUNNER = CliRunner()


def invoke_fuzzed(args: list[str]) -> Result:
    """With --data first, so the mini KB is used unless the example says otherwise."""
    return _RUNNER.invoke(app, ["--data", str(MINI), *args])


@FUZZ
@given(text=st.text())
def test_visible_never_lets_a_control_character_through(text: str) -> None:
    from painsci_cli.charset import visible

    shown = visible(text)
    assert not FORBIDDEN.search(shown)
    assert not {"\n", "\r", "\t"} & set(shown)
    shown.encode("utf-8")  # no lone surrogate survives
