"""Pins load/events.py: YAML text to plain data with lines, on YAML 1.2 rules, refusing the rest.

Every plain-scalar rule (NO and yes stay strings, 12:30 is no sexagesimal number, 010 is ten,
1.10 is a float), tags, anchors and aliases, duplicate and non-string keys, the depth limit, the
node budget, the problem cap, the "quote it" map of raw scalar text, and YamlDocument.line_of.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painsci_cli.charset import FORBIDDEN
from painsci_cli.errors import KnowledgeBaseInvalid
from painsci_cli.load import events
from painsci_cli.load.events import MAX_DEPTH, EventReader, YamlDocument, parse


def value_of(scalar: str) -> Any:
    """What `v: <scalar>` reads as."""
    return parse(f"v: {scalar}\n", "kb.yaml").data["v"]


def refused(text: str) -> tuple[str, ...]:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        parse(text, "kb.yaml")
    assert caught.value.exit_code == 65
    return caught.value.lines


# --------------------------------------------------------------------------- plain scalars


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        # YAML 1.1 booleans are strings in 1.2
        ("NO", "NO"),
        ("no", "no"),
        ("No", "No"),
        ("yes", "yes"),
        ("Yes", "Yes"),
        ("on", "on"),
        ("OFF", "OFF"),
        ("y", "y"),
        ("n", "n"),
        # 1.2 booleans, in the three spellings only
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("tRUE", "tRUE"),
        # null
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("", None),
        ("nULL", "nULL"),
        # integers, decimal only
        ("0", 0),
        ("12", 12),
        ("+1", 1),
        ("-1", -1),
        ("010", 10),  # not octal 8 as in YAML 1.1
        ("0000000000000000001", 1),  # leading zeros are not digits that count
        ("1_000", "1_000"),  # no underscores in 1.2
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("12:30", "12:30"),  # no sexagesimal numbers in 1.2
        ("1:20:30", "1:20:30"),
        # floats
        ("1.10", 1.1),
        ("1.0", 1.0),
        ("1.", 1.0),
        (".5", 0.5),
        ("-.5", -0.5),
        ("1e3", 1000.0),
        ("1E3", 1000.0),
        ("-2.5e-3", -0.0025),
        ("+1.5", 1.5),
        ("1e15", 1e15),
        (".inf", ".inf"),  # infinities and NaN stay text (a figure then fails as "not a number")
        ("-.inf", "-.inf"),
        (".nan", ".nan"),
        ("nan", "nan"),
        ("1.2.3", "1.2.3"),
        ("2026-11-22", "2026-11-22"),  # no timestamps
        ("--x", "--x"),
        ("text with spaces", "text with spaces"),
    ],
)
def test_plain_scalars_follow_yaml_1_2(scalar: str, value: Any) -> None:
    found = value_of(scalar)
    assert found == value
    assert type(found) is type(value)


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("'1'", "1"),
        ('"1"', "1"),
        ("'yes'", "yes"),
        ('"true"', "true"),
        ("'~'", "~"),
        ('"null"', "null"),
        ("''", ""),
        ("'1.10'", "1.10"),
        ("'12:30'", "12:30"),
        ('"0x1F"', "0x1F"),
        ("|\n  12\n", "12\n"),
        (">-\n  1.5\n", "1.5"),
    ],
)
def test_quoted_and_block_scalars_are_always_strings(scalar: str, value: str) -> None:
    assert value_of(scalar) == value


@pytest.mark.parametrize(
    ("scalar", "shown"),
    [
        ("1e16", "'1e16'"),
        ("-1e16", "'-1e16'"),
        ("1000000000000001", "'1000000000000001'"),
        ("-1000000000000001", "'-1000000000000001'"),
        ("1e400", "'1e400'"),  # float overflow to inf: refused, not stored as infinity
        ("9" * 5000, "'" + "9" * 59 + "…"),  # refused before int() could be asked for 5,000 digits
    ],
)
def test_numbers_beyond_the_magnitude_cap_are_refused(scalar: str, shown: str) -> None:
    assert refused(f"v: {scalar}\n") == (f"kb.yaml:1: number {shown} is out of range (over 1e+15)",)


@pytest.mark.parametrize("scalar", ["1000000000000000", "-1000000000000000", "-1e15"])
def test_the_magnitude_cap_itself_is_allowed(scalar: str) -> None:
    assert abs(value_of(scalar)) == 10**15


# --------------------------------------------------------------------------- tags


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("!!str 12", "12"),
        ("!!str yes", "yes"),
        ("! 12", "12"),  # the non-specific tag: a string
        ("!!int 12", 12),
        ("!!int '12'", 12),
        ("!!float 1", 1.0),
        ("!!float 2.5", 2.5),
        ("!!bool true", True),
        ("!!bool FALSE", False),
        ("!!null ~", None),
        ("!!null ''", None),
        ("!!seq [1, 2]", [1, 2]),
        ("!!map {a: 1}", {"a": 1}),
    ],
)
def test_standard_tags_that_fit(scalar: str, value: Any) -> None:
    found = value_of(scalar)
    assert found == value
    assert type(found) is type(value)


@pytest.mark.parametrize(
    ("scalar", "line"),
    [
        ("!!int abc", "kb.yaml:1: 'abc' does not fit tag tag:yaml.org,2002:int"),
        ("!!int 1.5", "kb.yaml:1: '1.5' does not fit tag tag:yaml.org,2002:int"),
        ("!!float x", "kb.yaml:1: 'x' does not fit tag tag:yaml.org,2002:float"),
        ("!!bool yes", "kb.yaml:1: 'yes' does not fit tag tag:yaml.org,2002:bool"),
        ("!!null 0", "kb.yaml:1: '0' does not fit tag tag:yaml.org,2002:null"),
        ("!custom x", "kb.yaml:1: tag !custom not allowed"),
        ("!!binary aGk=", "kb.yaml:1: tag tag:yaml.org,2002:binary not allowed"),
        ("!!timestamp 2001-12-14", "kb.yaml:1: tag tag:yaml.org,2002:timestamp not allowed"),
        ("!!python/object:os.system x", "kb.yaml:1: tag tag:yaml.org,2002:python/object:os.system not allowed"),
        ("!!python/name:os.system ''", "kb.yaml:1: tag tag:yaml.org,2002:python/name:os.system not allowed"),
        ("!!map [1]", "kb.yaml:1: tag tag:yaml.org,2002:map does not fit a list"),
        ("!!int [1]", "kb.yaml:1: tag tag:yaml.org,2002:int does not fit a list"),
        ("!!str {a: 1}", "kb.yaml:1: tag tag:yaml.org,2002:str does not fit a mapping"),
        ("!!seq {a: 1}", "kb.yaml:1: tag tag:yaml.org,2002:seq does not fit a mapping"),
    ],
)
def test_other_tags_are_refused(scalar: str, line: str) -> None:
    assert refused(f"v: {scalar}\n") == (line,)


def test_a_long_tag_is_cut() -> None:
    assert refused(f"v: !{'x' * 100} 1\n") == (f"kb.yaml:1: tag !{'x' * 59}… not allowed",)


# --------------------------------------------------------------------------- structure


def test_anchors_and_aliases_are_refused_each_on_its_line() -> None:
    assert refused("a: &x 1\nb: *x\n") == (
        "kb.yaml:1: anchor &x not allowed (anchors and aliases are refused)",
        "kb.yaml:2: alias *x not allowed (anchors and aliases are refused)",
    )


def test_an_anchor_on_a_mapping_is_refused() -> None:
    assert refused("base: &b {x: 1}\n") == ("kb.yaml:1: anchor &b not allowed (anchors and aliases are refused)",)


def test_a_merge_key_with_an_alias_is_refused() -> None:
    lines = refused("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert lines == (
        "kb.yaml:1: anchor &b not allowed (anchors and aliases are refused)",
        "kb.yaml:3: alias *b not allowed (anchors and aliases are refused)",
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "kb.yaml:3: duplicate key 'a' (first at line 1)"),
        ("x:\n  a: 1\n  a: [1, 2]\n", "kb.yaml:3: duplicate key 'a' (first at line 2)"),
        ("{a: 1, a: 2}\n", "kb.yaml:1: duplicate key 'a' (first at line 1)"),
        ("a: 1\n'a': 2\n", "kb.yaml:2: duplicate key 'a' (first at line 1)"),  # quoting does not make it new
    ],
)
def test_duplicate_keys_name_both_lines(text: str, line: str) -> None:
    assert refused(text) == (line,)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("1: a\n", "kb.yaml:1: mapping keys must be strings, got 1"),
        ("~: 1\n", "kb.yaml:1: mapping keys must be strings, got None"),
        ("true: 1\n", "kb.yaml:1: mapping keys must be strings, got True"),
        ("1.5: 1\n", "kb.yaml:1: mapping keys must be strings, got 1.5"),
        ("? [a]\n: 1\n", "kb.yaml:1: mapping keys must be strings, got ['a']"),
        ("? {a: 1}\n: 1\n", "kb.yaml:1: mapping keys must be strings, got {'a': 1}"),
    ],
)
def test_mapping_keys_must_be_strings(text: str, line: str) -> None:
    assert refused(text) == (line,)


@pytest.mark.parametrize("key", ["'1'", "NO", "yes", "'~'", "12:30"])
def test_keys_that_read_as_strings_are_fine(key: str) -> None:
    assert list(parse(f"{key}: 1\n", "kb.yaml").data) == [key.strip("'")]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", "kb.yaml:1: the file is empty; expected a YAML mapping"),
        ("# only a comment\n", "kb.yaml:1: the file is empty; expected a YAML mapping"),
        ("- 1\n", "kb.yaml:1: expected a mapping at the top level, got a list"),
        ("hello\n", "kb.yaml:1: expected a mapping at the top level, got the scalar 'hello'"),
        ("12\n", "kb.yaml:1: expected a mapping at the top level, got the scalar 12"),
        ("~\n", "kb.yaml:1: expected a mapping at the top level, got the scalar None"),
        ("---\n", "kb.yaml:1: expected a mapping at the top level, got the scalar None"),
        ("a: 1\n---\nb: 2\n", "kb.yaml:2: more than one YAML document; the KB is one document"),
    ],
)
def test_the_file_must_be_one_mapping(text: str, line: str) -> None:
    assert refused(text) == (line,)


def test_a_syntax_error_is_one_line_with_its_line_number() -> None:
    [line] = refused("a: 1\nb: [1, 2\nc: 3\n")
    assert line.startswith("kb.yaml:3: not valid YAML: ")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('v: "\\e[31m"\n', "kb.yaml:1: forbidden character U+001B (ESC), written as an escape"),
        ('v: "\\x1b"\n', "kb.yaml:1: forbidden character U+001B (ESC), written as an escape"),
        ('v: "\\r"\n', "kb.yaml:1: forbidden character U+000D (CARRIAGE RETURN), written as an escape"),
        ('v: "\\u202e"\n', "kb.yaml:1: forbidden character U+202E (RIGHT-TO-LEFT OVERRIDE), written as an escape"),
        ('v: "\\0"\n', "kb.yaml:1: forbidden character U+0000 (NUL), written as an escape"),
        ('v: "\\N"\n', "kb.yaml:1: forbidden character U+0085 (control character), written as an escape"),
        ('v: "\\L"\n', "kb.yaml:1: forbidden character U+2028 (invisible format character), written as an escape"),
        ('x: 1\n"\\e": 1\n', "kb.yaml:2: forbidden character U+001B (ESC), written as an escape"),
    ],
)
def test_forbidden_characters_written_as_escapes_are_refused(text: str, line: str) -> None:
    assert refused(text) == (line,)


@pytest.mark.parametrize(("escape", "value"), [("\\t", "\t"), ("\\n", "\n"), ("\\u00e4", "ä"), ("\\\\", "\\")])
def test_harmless_escapes_are_read(escape: str, value: str) -> None:
    assert value_of(f'"a{escape}b"') == f"a{value}b"


# --------------------------------------------------------------------------- depth, budget, problem cap


def nested(levels: int) -> str:
    return "a: " + "[" * levels + "]" * levels + "\n"


def test_lists_nested_to_the_limit_are_read() -> None:
    data = parse(nested(MAX_DEPTH), "kb.yaml").data["a"]
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


def test_one_level_more_is_refused() -> None:
    assert refused(nested(MAX_DEPTH + 1)) == ("kb.yaml:1: nested more than 24 levels deep",)


def test_deep_block_mappings_are_refused_at_their_line() -> None:
    text = "".join(f"{'  ' * level}k{level}:\n" for level in range(MAX_DEPTH + 2)) + "  " * (MAX_DEPTH + 2) + "x\n"
    # the key k24 is the first node 25 levels down
    assert refused(text) == ("kb.yaml:25: nested more than 24 levels deep",)


def test_very_deep_flow_nesting_is_worded_as_the_depth_rule() -> None:
    assert refused(nested(5000)) == ("kb.yaml:1: nested more than 24 levels deep",)


@pytest.mark.parametrize(("items", "ok"), [(2, True), (3, False)])
def test_the_node_budget(monkeypatch: pytest.MonkeyPatch, items: int, ok: bool) -> None:
    # mapping + key + list = 3 nodes, then one per item: a budget of 5 reads two items.
    monkeypatch.setattr(events, "MAX_NODES", 5)
    text = "a: [" + ", ".join(["1"] * items) + "]\n"
    if ok:
        assert parse(text, "kb.yaml").data == {"a": [1] * items}
    else:
        assert refused(text) == ("kb.yaml:1: more than 5 YAML nodes; not a knowledge base",)


def test_the_node_budget_message_groups_digits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "MAX_NODES", 1500)
    assert refused("a: [" + "1," * 2000 + "]\n") == ("kb.yaml:1: more than 1,500 YAML nodes; not a knowledge base",)


def test_problems_found_before_a_fatal_one_are_kept() -> None:
    assert refused("a: &x 1\nb: " + "[" * 30 + "]" * 30 + "\n") == (
        "kb.yaml:1: anchor &x not allowed (anchors and aliases are refused)",
        "kb.yaml:2: nested more than 24 levels deep",
    )


def test_reading_stops_after_twenty_problems() -> None:
    text = "".join(f"k{i}: &a{i} {i}\n" for i in range(50))
    lines = refused(text)
    assert len(lines) == 21
    assert lines[0] == "kb.yaml:1: anchor &a0 not allowed (anchors and aliases are refused)"
    assert lines[19] == "kb.yaml:20: anchor &a19 not allowed (anchors and aliases are refused)"
    assert lines[20] == "kb.yaml: stopped reading after 20 problems"


def test_problems_are_escaped_cut_and_use_the_given_name() -> None:
    key = "k\t" + "y" * 100
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        parse(f'"{key}": 1\n"{key}": 2\n', "my kb.yaml")
    assert caught.value.lines == (f"my kb.yaml:2: duplicate key 'k\\t{'y' * 56}… (first at line 1)",)


# --------------------------------------------------------------------------- YamlDocument: lines and raw text


def test_the_line_of_every_node() -> None:
    doc = parse("top: 1\nlist:\n  - a\n  -\n    k: v\n    n: 2\nlast: x\n", "kb.yaml")
    assert doc.data == {"top": 1, "list": ["a", {"k": "v", "n": 2}], "last": "x"}
    assert doc.lines[()] == 1
    assert doc.lines[("top",)] == 1
    assert doc.lines[("list",)] == 2  # a value is located at its key
    assert doc.lines[("list", 0)] == 3
    assert doc.lines[("list", 1)] == 5
    assert doc.lines[("list", 1, "k")] == 5
    assert doc.lines[("list", 1, "n")] == 6
    assert doc.lines[("last",)] == 7


def test_plain_records_the_raw_text_of_unquoted_non_strings() -> None:
    doc = parse("a: 1.10\nb: true\nc: ~\nd: NO\ne: '5'\nf: [010, x]\ng:\n", "kb.yaml")
    assert doc.plain == {("a",): "1.10", ("b",): "true", ("c",): "~", ("f", 0): "010", ("g",): ""}


def test_line_of_uses_the_longest_known_prefix() -> None:
    doc = YamlDocument(data=None, lines={(): 1, ("a",): 3, ("a", 0): 4})
    assert doc.line_of(("a", 0)) == 4
    assert doc.line_of(("a", 0, "b", 2)) == 4
    assert doc.line_of(("a", 1)) == 3
    assert doc.line_of(("z", 9)) == 1
    assert doc.line_of(()) == 1


def test_line_of_without_any_line_is_the_first_line() -> None:
    assert YamlDocument(data=None).line_of(("a", "b")) == 1


def test_line_of_a_parsed_document() -> None:
    doc = parse("a:\n  b:\n    - 1\n    - 2\n", "kb.yaml")
    assert doc.line_of(("a", "b", 1)) == 4
    assert doc.line_of(("a", "b", 7, "x")) == 2
    assert doc.line_of(("a", "missing")) == 1


def test_the_reader_is_one_pass() -> None:
    reader = EventReader("a: 1\n", "kb.yaml")
    assert reader.read().data == {"a": 1}
    assert reader.budget == events.MAX_NODES - 3


# --------------------------------------------------------------------------- properties

SAFE_TEXT = st.text(st.characters(blacklist_characters="\r", blacklist_categories=("Cs",))).filter(
    lambda s: not FORBIDDEN.search(s)
)


@given(SAFE_TEXT)
def test_any_safe_text_round_trips_double_quoted(text: str) -> None:
    assert parse(f"v: {json.dumps(text, ensure_ascii=False)}\n", "kb.yaml").data == {"v": text}


@given(st.integers(-(10**15), 10**15))
def test_integers_in_range_read_as_themselves(value: int) -> None:
    found = value_of(str(value))
    assert found == value
    assert type(found) is int


@given(st.floats(-1e15, 1e15))
def test_floats_in_range_read_as_themselves(value: float) -> None:
    found = value_of(repr(value))
    assert found == value
    assert type(found) is float
