"""Pins output.py: which format a command prints in, whether in colour, and where it goes.

choose() for every combination of --format/--json/--plain/--export on a terminal and in a pipe;
export_format() for every suffix and its refusals; color_enabled() for NO_COLOR, TERM=dumb,
--no-color and pipes; deliver() to a pipe and to a file; write() to a reader that went away.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path

import pytest

from painsci_cli import output
from painsci_cli.errors import CannotWrite, OutputClosed, UsageError
from painsci_cli.output import Output, choose, color_enabled, deliver, export_format, note, write
from painsci_cli.provenance import of_documents
from painsci_cli.render import Format, Surface, render
from painsci_cli.views import SearchDoc, SearchHit

DOC = SearchDoc(
    1, 1, "0.1.0", "2026-11-22", kind="search", query="sham", hits=(SearchHit("tens", "TENS", "caveat", "sham TENS"),)
)
KNOWN = ".txt, .tsv, .csv, .json, .md, .svg, .html, .htm, .bib, .ris"

# --------------------------------------------------------------------------- choose


@pytest.mark.parametrize(("terminal", "fmt"), [(True, Format.table), (False, Format.plain)])
def test_the_default_follows_the_destination(terminal: bool, fmt: Format) -> None:
    assert choose(Output(), terminal) is fmt


@pytest.mark.parametrize("terminal", [True, False])
@pytest.mark.parametrize("fmt", list(Format))
def test_format_is_taken_as_given(fmt: Format, terminal: bool) -> None:
    assert choose(Output(fmt=fmt), terminal) is fmt


@pytest.mark.parametrize("terminal", [True, False])
def test_shorthands(terminal: bool) -> None:
    assert choose(Output(as_json=True), terminal) is Format.json
    assert choose(Output(plain=True), terminal) is Format.plain
    assert choose(Output(as_json=True, fmt=Format.json), terminal) is Format.json  # the same choice twice
    assert choose(Output(plain=True, fmt=Format.plain), terminal) is Format.plain


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        (Output(as_json=True, plain=True), "--format json and --format plain"),
        (Output(as_json=True, fmt=Format.markdown), "--format json and --format markdown"),
        (Output(plain=True, fmt=Format.table), "--format plain and --format table"),
        (Output(as_json=True, plain=True, fmt=Format.svg), "--format json and --format plain and --format svg"),
        (Output(as_json=True, plain=True, export=Path("x.md")), "--format json and --format plain"),
    ],
)
def test_two_different_choices_conflict(chosen: Output, message: str) -> None:
    for terminal in (True, False):
        with pytest.raises(UsageError) as caught:
            choose(chosen, terminal)
        assert caught.value.lines == (f"painsci: conflicting output options: {message}",)


@pytest.mark.parametrize(
    "chosen",
    [
        Output(export=Path("x.md"), fmt=Format.markdown),
        Output(export=Path("x.json"), as_json=True),
        Output(export=Path("x.txt"), plain=True),
        Output(export=Path("x.pdf"), fmt=Format.json),
    ],
)
def test_export_takes_no_format_option(chosen: Output) -> None:
    with pytest.raises(UsageError) as caught:
        choose(chosen, True)
    assert caught.value.lines == (
        "painsci: --export takes its format from the file suffix; drop --format/--json/--plain",
    )


@pytest.mark.parametrize("terminal", [True, False])
def test_export_format_wins_over_the_destination(terminal: bool) -> None:
    assert choose(Output(export=Path("notes.md")), terminal) is Format.markdown


def test_every_combination_is_decided() -> None:
    """No combination of the options raises anything but UsageError, or returns a non-format."""
    formats: list[Format | None] = [None, *Format]
    exports = [None, Path("a.md"), Path("a.pdf")]
    for fmt, as_json, plain, export, terminal in itertools.product(
        formats, (False, True), (False, True), exports, (False, True)
    ):
        try:
            found = choose(Output(fmt=fmt, as_json=as_json, plain=plain, export=export), terminal)
        except UsageError:
            continue
        assert isinstance(found, Format)
        if export is not None:
            assert (fmt, as_json, plain) == (None, False, False)


# --------------------------------------------------------------------------- export_format


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", Format.plain),
        ("a.tsv", Format.plain),
        ("a.json", Format.json),
        ("a.md", Format.markdown),
        ("a.svg", Format.svg),
        ("a.html", Format.html),
        ("a.htm", Format.html),
        ("a.bib", Format.bibtex),
        ("a.ris", Format.ris),
        ("A.TXT", Format.plain),
        ("Notes.Md", Format.markdown),
        ("x.JSON", Format.json),
        ("plot.SVG", Format.svg),
        ("refs.BiB", Format.bibtex),
        ("dir.d/refs.RIS", Format.ris),
        ("archive.tar.md", Format.markdown),
    ],
)
def test_export_format_by_suffix(name: str, fmt: Format) -> None:
    assert export_format(Path(name)) is fmt


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("notes.pdf", "notes.pdf"),
        ("notes", "notes"),
        (".md", ".md"),  # a dot file has no suffix
        ("notes.markdown", "notes.markdown"),
        ("notes.md.bak", "notes.md.bak"),
        ("dir/a\x1b[31m.pdf", "a\\u001b[31m.pdf"),
        ("table.table", "table.table"),
    ],
)
def test_export_format_refusals(name: str, shown: str) -> None:
    with pytest.raises(UsageError) as caught:
        export_format(Path(name))
    assert caught.value.lines == (f"painsci: --export needs a file ending in {KNOWN}; got '{shown}'",)


# --------------------------------------------------------------------------- colour


@pytest.mark.parametrize(
    ("no_color", "no_color_env", "term", "terminal", "colour"),
    [
        (False, None, None, True, True),
        (False, None, "xterm-256color", True, True),
        (False, None, None, False, False),
        (True, None, None, True, False),
        (False, "1", None, True, False),
        (False, "", None, True, False),  # NO_COLOR set to anything, even empty
        (False, "0", None, True, False),
        (False, None, "dumb", True, False),
        (False, None, "Dumb", True, True),  # only TERM=dumb exactly
        (True, "1", "dumb", False, False),
    ],
)
def test_color_enabled(
    monkeypatch: pytest.MonkeyPatch,
    no_color: bool,
    no_color_env: str | None,
    term: str | None,
    terminal: bool,
    colour: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    if no_color_env is not None:
        monkeypatch.setenv("NO_COLOR", no_color_env)
    if term is not None:
        monkeypatch.setenv("TERM", term)
    assert color_enabled(no_color, terminal) is colour


# --------------------------------------------------------------------------- deliver


def test_deliver_to_a_pipe_prints_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    deliver([DOC], Output())
    captured = capsys.readouterr()
    assert captured.out == render([DOC], Format.plain, Surface()).text
    assert captured.out == "treatment\tname\tfield\texcerpt\ntens\tTENS\tcaveat\tsham TENS\n"
    assert captured.err == ""


def test_deliver_json_to_a_pipe_is_compact(capsys: pytest.CaptureFixture[str]) -> None:
    deliver([DOC], Output(as_json=True))
    out = capsys.readouterr().out
    assert out.startswith('{"schema_version":1,')
    assert json.loads(out)["hits"][0]["treatment"] == "tens"


def test_deliver_to_a_terminal_prints_a_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output, "_stdout_is_terminal", lambda: True)
    deliver([DOC], Output(as_json=True))
    assert capsys.readouterr().out.startswith('{\n  "schema_version": 1,')  # indented for a person
    deliver([DOC], Output())
    table = capsys.readouterr().out
    assert table == render([DOC], Format.table, Surface(color=False, terminal=True)).text
    assert "\x1b[" not in table  # NO_COLOR=1 from conftest


def test_deliver_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "search.json"
    deliver([DOC], Output(export=target))
    assert target.read_text(encoding="utf-8") == render([DOC], Format.json, Surface()).text
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"painsci: wrote {target}\n"


def test_an_existing_file_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "search.md"
    target.write_text("old")
    with pytest.raises(CannotWrite) as caught:
        deliver([DOC], Output(export=target))
    assert caught.value.lines == (f"painsci: {target} already exists; add --force to replace it",)
    assert caught.value.exit_code == 73
    assert target.read_text() == "old"
    deliver([DOC], Output(export=target, force=True))
    page = of_documents([DOC])  # an exported page carries its provenance
    assert target.read_text(encoding="utf-8") == render([DOC], Format.markdown, Surface(page=page)).text


def test_a_dangling_symlink_counts_as_existing(tmp_path: Path) -> None:
    target = tmp_path / "link.txt"
    target.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(CannotWrite) as caught:
        deliver([DOC], Output(export=target))
    assert caught.value.lines == (f"painsci: {target} already exists; add --force to replace it",)


def test_a_directory_is_refused_even_with_force(tmp_path: Path) -> None:
    target = tmp_path / "dir.md"
    target.mkdir()
    with pytest.raises(CannotWrite) as caught:
        deliver([DOC], Output(export=target, force=True))
    assert caught.value.lines == (f"painsci: cannot write {target}: it is a directory",)


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "x.md"
    with pytest.raises(CannotWrite) as caught:
        deliver([DOC], Output(export=target))
    assert caught.value.lines == (f"painsci: cannot write {target}: No such file or directory",)


def test_an_export_path_is_escaped(tmp_path: Path) -> None:
    target = tmp_path / "a\x1bb.md"
    target.write_text("")
    with pytest.raises(CannotWrite) as caught:
        deliver([DOC], Output(export=target))
    assert caught.value.lines == (f"painsci: {tmp_path}/a\\u001bb.md already exists; add --force to replace it",)


def test_a_bad_suffix_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(UsageError):
        deliver([DOC], Output(export=target))
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- write and note


class ClosedPipe:
    """A stdout whose reader went away."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation("fileno")


def test_write_to_a_closed_pipe_is_the_quiet_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    with pytest.raises(OutputClosed) as caught:
        write("text\n")
    assert caught.value.exit_code == 141
    assert caught.value.lines == ()


def test_write_to_a_real_pipe_whose_reader_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = open(write_end, "w", encoding="utf-8")  # noqa: SIM115
    try:
        monkeypatch.setattr(sys, "stdout", stream)
        with pytest.raises(OutputClosed):
            write("x" * 100_000)
        # stdout now points at /dev/null, so the interpreter's final flush is quiet
        assert os.readlink(f"/proc/self/fd/{write_end}") == os.devnull
    finally:
        monkeypatch.undo()
        stream.close()


def test_write_passes_text_through(capsys: pytest.CaptureFixture[str]) -> None:
    write("a\tb\n")
    assert capsys.readouterr().out == "a\tb\n"


def test_note_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    note("painsci: wrote x")
    assert capsys.readouterr() == ("", "painsci: wrote x\n")


def test_note_to_a_closed_stderr_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", ClosedPipe())
    assert note("lost") is None  # no exception
