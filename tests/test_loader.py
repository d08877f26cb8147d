"""The strict loader: each refusal names the file and the line, quickly, and never crashes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import MINI, YamlEvents, hang_guard, line_of
from painsci_cli import load
from painsci_cli.errors import KnowledgeBaseInvalid, KnowledgeBaseUnreadable
from painsci_cli.load import events, locate, read

WriteKb = Callable[..., Path]


def problems(path: Path) -> list[str]:
    """The reported lines for an invalid KB (fails the test if the KB loads)."""
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        load.load_uncached(load.read_bytes(path), path.name)
    return list(caught.value.lines)


def test_the_test_kb_is_valid() -> None:
    loaded = load.load_uncached(load.read_bytes(MINI), "mini.yaml")
    assert [t.id for t in loaded.treatments] == ["usual-care", "massage", "relaxation-massage"]
    assert loaded.treatments[2].findings[0].effect is not None
    assert loaded.treatments[2].findings[0].effect.estimate == -2.9


def test_duplicate_key_is_refused_with_both_lines(mini_text: str, write_kb: WriteKb) -> None:
    text = mini_text.replace("    unit: points\n", "    unit: points\n    unit: points\n", 1)
    [message] = problems(write_kb(text))
    first = line_of(text, "unit: points")
    assert message == f"broken.yaml:{first + 1}: duplicate key 'unit' (first at line {first})"


def test_duplicate_key_nested_deep_is_refused(mini_text: str, write_kb: WriteKb) -> None:
    text = mini_text.replace("          estimate: -2.9\n", "          estimate: -2.9\n          estimate: -3.9\n")
    [message] = problems(write_kb(text))
    assert message.startswith(f"broken.yaml:{line_of(text, 'estimate: -3.9')}: duplicate key 'estimate'")


def test_alias_bomb_is_refused_without_expanding(write_kb: WriteKb, yaml_events: YamlEvents) -> None:
    """Nine levels of nine aliases would be 9**9 nodes expanded; the loader reads each event once."""
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        levels.append(f"a{i}: &a{i} [{refs}]")
    path = write_kb("\n".join(levels) + "\n")
    lines = problems(path)
    assert yaml_events.count <= 2 * 10 * 11 + 8  # 10 keys, 10 lists of 9 items, 5 stream/document events
    assert lines[0] == "broken.yaml:1: anchor &a0 not allowed (anchors and aliases are refused)"
    assert any(line.startswith("broken.yaml:2: alias *a0 not allowed") for line in lines)


def test_escape_character_is_refused_with_its_line(mini_text: str, write_kb: WriteKb) -> None:
    text = mini_text.replace("Classic Swedish-style", "Classic \x1b[31mSwedish-style")
    [message] = problems(write_kb(text))
    assert message == f"broken.yaml:{line_of(text, 'Classic')}: forbidden character U+001B (ESC)"


@pytest.mark.parametrize(
    ("char", "label"),
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\x00", "NUL"),
        ("\x7f", "DEL"),
        ("\x85", "control character"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u2066", "invisible format character"),
    ],
)
def test_control_and_bidi_characters_are_refused(mini_text: str, write_kb: WriteKb, char: str, label: str) -> None:
    text = mini_text.replace("Hands-on treatment", f"Hands-on{char} treatment")
    [message] = problems(write_kb(text))
    assert message == f"broken.yaml:{line_of(text, 'Hands-on')}: forbidden character U+{ord(char):04X} ({label})"


def test_misspelt_field_gets_a_suggestion(mini_text: str, write_kb: WriteKb) -> None:
    text = mini_text.replace("    evidence_gap: No review-level", "    evidense_gap: No review-level")
    lines = problems(write_kb(text))
    line = line_of(text, "evidense_gap")
    assert (
        f"broken.yaml:{line}: treatments[1].evidense_gap: unknown field 'evidense_gap'; did you mean 'evidence_gap'?"
        in lines
    )


def test_misspelt_nested_field_is_located(mini_text: str, write_kb: WriteKb) -> None:
    text = mini_text.replace("          favours_treatment: negative", "          favors_treatment: negative")
    lines = problems(write_kb(text))
    line = line_of(text, "favors_treatment")
    assert (
        f"broken.yaml:{line}: treatments[2].findings[0].effect.favors_treatment: unknown field "
        "'favors_treatment'; did you mean 'favours_treatment'?"
    ) in lines


def test_all_problems_are_reported_at_once_in_line_order(mini_text: str, write_kb: WriteKb) -> None:
    text = mini_text.replace("n: 136", 'n: "136"').replace(
        "construct: function\n    min: 0", "construct: fun\n    min: 0"
    )
    lines = problems(write_kb(text))
    assert len(lines) == 2
    assert lines[0].startswith(
        f"broken.yaml:{line_of(text, 'construct: fun')}: scales[0].construct: 'fun' is not allowed"
    )
    arm_line = line_of(text, 'n: "136"')
    assert (
        lines[1] == f"broken.yaml:{arm_line}: treatments[2].findings[0].size.arms[0].n: Input should be a valid integer"
    )


def test_custom_tag_is_refused(write_kb: WriteKb) -> None:
    text = "schema_version: 1\nx: !!python/object/apply:os.system ['echo pwned']\n"
    lines = problems(write_kb(text))
    assert lines == ["broken.yaml:2: tag tag:yaml.org,2002:python/object/apply:os.system not allowed"]


def test_non_utf8_bytes_are_refused_with_their_line(mini_text: str, write_kb: WriteKb) -> None:
    raw = mini_text.encode().replace(b"Hands-on", b"Hands\xff-on")
    [message] = problems(write_kb(raw))
    assert (
        message == f"broken.yaml:{line_of(mini_text, 'Hands-on')}: not valid UTF-8 (byte 0xFF); save the file as UTF-8"
    )


def test_bom_and_crlf_are_accepted(mini_text: str, write_kb: WriteKb) -> None:
    raw = b"\xef\xbb\xbf" + mini_text.replace("\n", "\r\n").encode()
    path = write_kb(raw)
    assert len(load.load_uncached(load.read_bytes(path), "x").treatments) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "broken.yaml:1: the file is empty; expected a YAML mapping"),
        ("- a\n- b\n", "broken.yaml:1: expected a mapping at the top level, got a list"),
        ("just words\n", "broken.yaml:1: expected a mapping at the top level, got the scalar 'just words'"),
        ("a: [1, 2\nb: 3\n", "broken.yaml:2: not valid YAML: did not find expected ',' or ']'"),
        ("a: 1\n---\nb: 2\n", "broken.yaml:2: more than one YAML document; the KB is one document"),
    ],
)
def test_structural_problems(write_kb: WriteKb, text: str, expected: str) -> None:
    [message] = problems(write_kb(text))
    assert message.startswith(expected)


def test_deep_nesting_is_refused(write_kb: WriteKb) -> None:
    [message] = problems(write_kb("a: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert message == f"broken.yaml:1: nested more than {events.MAX_DEPTH} levels deep"


def test_oversized_file_is_refused_unread(write_kb: WriteKb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 1000)
    path = write_kb("a: b\n" * 300)
    with pytest.raises(KnowledgeBaseInvalid, match="1,500 bytes is over the 1,000-byte limit"):
        load.read_bytes(path)


def test_yaml_11_surprises_stay_strings_or_are_refused(mini_text: str, write_kb: WriteKb) -> None:
    # NO and 12:30 are plain strings under YAML 1.2 rules; 1.10 is a number where a string belongs.
    text = mini_text.replace("unit: points", "unit: NO", 1).replace("    unit: points", "    unit: 12:30", 1)
    loaded = load.load_uncached(write_kb(text).read_bytes(), "x")
    assert [s.unit for s in loaded.scales] == ["NO", "12:30"]
    text = mini_text.replace("    short_name: NVL 2017", "    short_name: 1.10")
    [message] = problems(write_kb(text))
    assert message == (
        f"broken.yaml:{line_of(text, 'short_name: 1.10')}: guidelines[0].short_name: Input should be a "
        "valid string (YAML read the unquoted '1.10' as a decimal number; quote it)"
    )


def test_missing_file_directory_and_fifo_are_unreadable(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseUnreadable, match="knowledge base not found"):
        load.read_bytes(tmp_path / "nope.yaml")
    with pytest.raises(KnowledgeBaseUnreadable, match="is a directory"):
        load.read_bytes(tmp_path)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # nobody writes to it: a blocking open or read would hang here
    with hang_guard(), pytest.raises(KnowledgeBaseUnreadable, match="not a regular file"):
        load.read_bytes(fifo)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(write_kb: WriteKb) -> None:
    path = write_kb("a: 1\n")
    path.chmod(0)
    with pytest.raises(KnowledgeBaseUnreadable, match="cannot read knowledge base"):
        load.read_bytes(path)


def test_locate_prefers_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINSCI_DATA", "/from/env.yaml")
    assert locate.locate("/from/option.yaml") == Path("/from/option.yaml")
    assert locate.locate(None) == Path("/from/env.yaml")
    monkeypatch.delenv("PAINSCI_DATA")
    assert locate.locate(None) == locate.bundled_path()
