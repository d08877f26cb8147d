"""Choosing and writing an output format: the one place that knows terminal from pipe."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import assert_never

from .errors import OutputClosed, UsageError
from .views import OutputDoc


class OutputFormat(StrEnum):
    table = "table"
    plain = "plain"
    json = "json"
    markdown = "markdown"


def choose(fmt: OutputFormat | None, as_json: bool, plain: bool) -> OutputFormat:
    """--json and --plain are shorthands for --format; two different choices are a usage error."""
    picked = {f for f, on in ((OutputFormat.json, as_json), (OutputFormat.plain, plain)) if on}
    if fmt is not None:
        picked.add(fmt)
    if len(picked) > 1:
        names = " and ".join(sorted(f"--format {f.value}" for f in picked))
        raise UsageError(f"painsci: conflicting output options: {names}")
    if picked:
        return picked.pop()
    return OutputFormat.table if sys.stdout.isatty() else OutputFormat.plain


def color_enabled(no_color: bool) -> bool:
    """Colour only on a terminal, and never with --no-color, NO_COLOR (any value) or TERM=dumb."""
    if no_color or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def render_text(doc: OutputDoc, fmt: OutputFormat) -> str | None:
    """The document as text for every format but the rich table (None), which draws itself."""
    match fmt:
        case OutputFormat.json:
            from .render import json_doc

            return json_doc.render(doc)
        case OutputFormat.plain:
            from .render import plain

            return plain.render(doc)
        case OutputFormat.markdown:
            from .render import markdown

            return markdown.render(doc)
        case OutputFormat.table:
            return None
        case _:
            assert_never(fmt)


def emit(doc: OutputDoc, fmt: OutputFormat, no_color: bool = False) -> None:
    emit_all([doc], fmt, no_color)


def emit_all(docs: Sequence[OutputDoc], fmt: OutputFormat, no_color: bool = False) -> None:
    """Documents one after another (compare, then its plot), separated by a blank line."""
    if fmt == OutputFormat.json and len(docs) > 1:
        raise UsageError("painsci: --json prints one document; ask for each separately (e.g. painsci plot … --json)")
    try:
        console = None
        for i, doc in enumerate(docs):
            text = render_text(doc, fmt)
            if i:
                sys.stdout.write("\n")
            if text is not None:
                sys.stdout.write(text)
                continue
            from .render import table

            console = console or table.make_console(color_enabled(no_color))
            table.render(doc, console)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise OutputClosed() from None


def write(text: str) -> None:
    """Plain text to stdout with the same closed-pipe handling as `emit`."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise OutputClosed() from None


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
