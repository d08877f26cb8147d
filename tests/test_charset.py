"""Pins charset.py: which characters never reach a terminal, and how visible() spells them.

Every forbidden class (C0 but tab/LF/CR, DEL, C1, bidi controls, format characters, line and
paragraph separators, noncharacters, lone surrogates) is escaped as \\uXXXX or \\UXXXXXXXX; tab,
newline and carriage return as \\t, \\n, \\r; everything else passes untouched.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painsci_cli import charset
from painsci_cli.charset import FORBIDDEN, forbidden, visible


@pytest.mark.parametrize(
    ("char", "escape"),
    [
        # C0 controls but tab, LF and CR
        ("\x00", "\\u0000"),
        ("\x07", "\\u0007"),
        ("\x08", "\\u0008"),
        ("\x0b", "\\u000b"),
        ("\x0c", "\\u000c"),
        ("\x0e", "\\u000e"),
        ("\x1b", "\\u001b"),
        ("\x1f", "\\u001f"),
        # DEL and C1
        ("\x7f", "\\u007f"),
        ("\x80", "\\u0080"),
        ("\x85", "\\u0085"),
        ("\x9b", "\\u009b"),
        ("\x9f", "\\u009f"),
        # bidi
        ("\u061c", "\\u061c"),
        ("\u200e", "\\u200e"),
        ("\u200f", "\\u200f"),
        ("\u202a", "\\u202a"),
        ("\u202e", "\\u202e"),
        ("\u2066", "\\u2066"),
        ("\u2069", "\\u2069"),
        # other format characters
        ("\u00ad", "\\u00ad"),
        ("\u0600", "\\u0600"),
        ("\u180e", "\\u180e"),
        ("\u200b", "\\u200b"),
        ("\u200d", "\\u200d"),
        ("\u2060", "\\u2060"),
        ("\u2064", "\\u2064"),
        ("\ufeff", "\\ufeff"),
        ("\ufff9", "\\ufff9"),
        ("\U000110bd", "\\U000110bd"),
        ("\U0001d173", "\\U0001d173"),
        ("\U000e0001", "\\U000e0001"),
        ("\U000e007f", "\\U000e007f"),
        # line and paragraph separators
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
        # noncharacters
        ("\ufdd0", "\\ufdd0"),
        ("\ufdef", "\\ufdef"),
        ("\ufffe", "\\ufffe"),
        ("\uffff", "\\uffff"),
        # lone surrogates (an undecodable byte in argv or a file name)
        ("\ud800", "\\ud800"),
        ("\udcff", "\\udcff"),
        ("\udfff", "\\udfff"),
        # breaks a line: spelt the way Python would
        ("\t", "\\t"),
        ("\n", "\\n"),
        ("\r", "\\r"),
    ],
)
def test_visible_escapes_every_forbidden_class(char: str, escape: str) -> None:
    assert visible(f"a{char}b") == f"a{escape}b"


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII [bold] :warning: <script> \\e",
        "Bäk, KBV, AWMF — Kreuzschmerz ½ ≥ 0.8 ±",
        "\u00a0non-breaking\u2009thin space",
        "日本語 한국어 العربية עברית",  # right-to-left letters are not controls
        "😀 👍🏽",
        "\u0301combining",
        "\ue000 private use",
        "\U0001f600",
        "",
    ],
)
def test_visible_leaves_ordinary_text_alone(text: str) -> None:
    assert visible(text) == text


@pytest.mark.parametrize(
    ("char", "forbidden_char"),
    [("\t", False), ("\n", False), ("\r", False), ("\x1b", True), ("\u202e", True), ("a", False), ("\u00a0", False)],
)
def test_the_pattern_itself_allows_tab_newline_and_cr(char: str, forbidden_char: bool) -> None:
    assert bool(FORBIDDEN.search(char)) is forbidden_char


def test_every_c0_c1_and_del_is_forbidden_but_three() -> None:
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        assert bool(FORBIDDEN.match(chr(code))) is (chr(code) not in "\t\n\r"), hex(code)


def test_every_bidi_control_is_forbidden() -> None:
    bidi_controls = [
        code
        for code in range(0x110000)
        if unicodedata.bidirectional(chr(code)) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
    ]
    assert bidi_controls  # the table above is not empty
    assert [hex(c) for c in bidi_controls if not FORBIDDEN.match(chr(c))] == []


@given(st.text())
def test_visible_output_is_always_safe(text: str) -> None:
    shown = visible(text)
    assert not FORBIDDEN.search(shown)
    assert "\t" not in shown and "\n" not in shown and "\r" not in shown
    shown.encode("utf-8")  # lone surrogates are escaped too


@given(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Cn"))))
def test_visible_is_the_identity_on_printable_text(text: str) -> None:
    assert visible(text) == text


@given(st.text())
def test_escapes_are_the_only_change(text: str) -> None:
    undone = re.sub(
        r"\\u([0-9a-f]{4})|\\U([0-9a-f]{8})",
        lambda m: chr(int(m.group(1) or m.group(2), 16)),
        visible(text).replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r"),
    )
    if "\\" not in text:  # a literal backslash in the input can look like an escape
        assert undone == text


def test_the_pattern_is_compiled_once_and_on_first_use() -> None:
    assert forbidden() is forbidden()
    assert charset.FORBIDDEN is forbidden()
    with pytest.raises(AttributeError, match="NOSUCH"):
        _ = charset.NOSUCH  # type: ignore[attr-defined]
