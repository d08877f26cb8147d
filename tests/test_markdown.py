"""Markdown output keeps KB text as text: no link, image, emphasis, code, HTML or autolink can
come out of it (issue 17, item 15). Checked with a CommonMark parser (markdown-it, which rich
already brings) on hostile cases and on generated text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from helpers import MINI
from painsci_cli.render.markdown import cell

Invoke = Callable[..., object]
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
HOSTILE = [
    "![x](https://evil.example/pixel.png)",
    "[click](javascript:alert(1))",
    "[ref][1]\n\n[1]: https://evil.example",
    "<https://evil.example>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "**bold** __bold__ *em* _em_",
    "`code` ``code``",
    "~~struck~~ ~struck~",
    "https://evil.example and www.evil.example and mail@evil.example",
    "&lt;script&gt; &#60; &#x3C; &amp; &copy;",
    "a | b || c",
    "back\\slash \\* \\[",
    "# not a heading",
    "> not a quote",
    "- not a list",
    "1. not a list",
    "| --- |",
    "6 to < 12 months, p < 0.05, a > b",
    "MD -2.9 (95% CI -4.0 to -1.8)",
]


def cell_tokens(text: str) -> tuple[list[Token], str]:
    """The inline tokens of `text` rendered as a table cell, and the text a reader sees."""
    tokens = PARSER.parse(f"| h |\n|---|\n| {cell(text)} |\n")
    assert [t.type for t in tokens if t.type.startswith("table")] == ["table_open", "table_close"]
    children = [t for t in tokens if t.type == "inline"][-1].children or []
    return children, "".join(t.content for t in children)


def assert_only_text(text: str) -> None:
    children, shown = cell_tokens(text)
    assert [t.type for t in children if t.type != "text"] == [], (text, cell(text))
    assert shown == " ".join(text.split()), (text, cell(text))
    escaped = cell(text)
    assert not re.search(r"(?<!\\)[A-Za-z]://", escaped)  # no bare URL for an autolinker
    assert not re.search(r"(?i)www(?<!\\)\.", escaped)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_stays_text(text: str) -> None:
    assert_only_text(text)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60))
def test_any_text_stays_text(text: str) -> None:
    assert_only_text(text)


@given(st.text(alphabet="![]()<>*_`~|\\&#;:/.@wxh -", max_size=40))
def test_syntax_soup_stays_text(text: str) -> None:
    assert_only_text(text)


def test_kb_links_and_images_are_not_live(invoke: Invoke, write_kb: Callable[..., Path], mini_text: str) -> None:
    old = "    description: Hands-on treatment of the soft tissues.\n"
    evil = "![x](https://evil.example/p.png) [x](javascript:alert(1)) <https://evil.example> **b**"
    path = write_kb(mini_text.replace(old, f"    description: '{evil}'\n"), "kb.yaml")
    result = invoke("--data", str(path), "show", "massage", "--format", "markdown")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    tokens = PARSER.parse(result.stdout)  # type: ignore[attr-defined]
    kinds = {child.type for token in tokens for child in token.children or []}
    assert kinds <= {"text", "softbreak", "em_open", "em_close"}, kinds  # the note line is in italics
    assert "![x](" not in result.stdout  # type: ignore[attr-defined]


def test_figures_are_unchanged(invoke: Invoke) -> None:
    out = str(invoke("--data", str(MINI), "show", "relaxation-massage", "--format", "markdown", "--full").stdout)  # type: ignore[attr-defined]
    assert "| RDQ (chronic) | usual care | end | MD -2.9 \\[-4.0, -1.8\\] 0-23 | not rated |" in out
