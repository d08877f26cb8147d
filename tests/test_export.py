"""`--export FILE` on show, compare and plot: formats by suffix, escaping, and all-or-nothing writes."""

from __future__ import annotations

import errno
import html
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import DATA, markdown_unescaped
from painsci_cli import files, load, output, plots
from painsci_cli.charset import visible_path
from painsci_cli.errors import CannotWrite, UsageError
from painsci_cli.render import Format

PLOT_KB = DATA / "plot.yaml"
FIGURES = ("-2.9", "-4.0", "-1.8")
RDQ_FIGURE = "MD -2.9 (95% CI -4.0 to -1.8)"
HOSTILE = "<script>alert(1)</script> [bold]x[/bold] & :warning:"
Invoke = Callable[..., object]


def run_export(invoke: Invoke, target: Path, *args: str, data: Path = PLOT_KB) -> object:
    return invoke("--data", str(data), *(args or ("plot", "relaxation-massage")), "--export", str(target))


def svg_text(path: Path) -> str:
    """All text the SVG shows, as a reader sees it (rich writes spaces as no-break spaces)."""
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"  # bars stay on their axis
    return "".join(root.itertext()).replace("\xa0", " ")


def hostile_kb(write_kb: Callable[..., Path]) -> Path:
    text = PLOT_KB.read_text(encoding="utf-8")
    text = text.replace(
        "outcome: {construct: function, label: RDQ, scale: rdq-23}\n        time_point: {label: 10",
        f"outcome: {{construct: function, label: '{HOSTILE}', scale: rdq-23}}\n        time_point: {{label: 10",
        1,
    )
    text = text.replace("result: The benefits of massage lasted at least 6 months.", f"result: '{HOSTILE}'")
    return write_kb(text, "hostile.yaml")


# --------------------------------------------------------------------------- formats


def test_svg_parses_as_xml_and_holds_the_figures(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "massage.svg"
    result = run_export(invoke, target)
    assert result.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", f"painsci: wrote {target}\n")
    shown = svg_text(target)
    for figure in FIGURES:
        assert figure in shown
    assert RDQ_FIGURE in shown
    assert "Effect over time" in shown
    raw = target.read_text(encoding="utf-8")
    assert "cdnjs" not in raw
    assert 'url("http' not in raw  # self-contained: no web fonts fetched


def test_html_holds_the_figures(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "massage.html"
    assert run_export(invoke, target).exit_code == 0
    raw = target.read_text(encoding="utf-8")
    assert raw.startswith("<!DOCTYPE html>")
    assert RDQ_FIGURE in html.unescape(raw)
    assert "http" not in raw


def test_markdown_is_the_markdown_format(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "massage.md"
    assert run_export(invoke, target).exit_code == 0
    written = target.read_text(encoding="utf-8")
    assert f"| {RDQ_FIGURE} |" in written
    shown = invoke("--data", str(PLOT_KB), "plot", "relaxation-massage", "--format", "markdown")
    header, body = written.split("\n\n", 3)[:3], written.split("\n\n", 3)[3]
    assert header[0] == "# painsci: forest plot of Relaxation massage"  # the page's provenance, then the same text
    assert body == shown.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("show", "relaxation-massage"), ("bottom line", "MD -2.9 [-4.0, -1.8] 0-23 vs usual care")),
        (("compare", "relaxation-massage", "tens"), ("Comparison", "Relaxation massage", "TENS")),
        (("compare", "relaxation-massage", "tens", "--plot"), ("Comparison", "Forest plot", RDQ_FIGURE)),
    ],
)
@pytest.mark.parametrize("suffix", [".svg", ".html", ".md"])
def test_show_and_compare_export_too(
    invoke: Invoke, tmp_path: Path, args: tuple[str, ...], expected: tuple[str, ...], suffix: str
) -> None:
    target = tmp_path / f"out{suffix}"
    result = run_export(invoke, target, *args)
    assert result.exit_code == 0, result.stderr
    shown = svg_text(target) if suffix == ".svg" else html.unescape(target.read_text(encoding="utf-8"))
    if suffix == ".md":
        shown = shown.replace("\\[", "[").replace("\\]", "]")  # markdown escapes brackets
    for text in expected:
        assert text in shown


def test_colour_is_kept_in_exports_unless_no_color(invoke: Invoke, tmp_path: Path) -> None:
    assert run_export(invoke, tmp_path / "colour.html").exit_code == 0
    assert run_export(invoke, tmp_path / "plain.html", "plot", "relaxation-massage", "--no-color").exit_code == 0
    cyan = "color: #008080"  # the CI's colour in rich's default HTML theme
    assert cyan in (tmp_path / "colour.html").read_text(encoding="utf-8")
    assert cyan not in (tmp_path / "plain.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- escaping


def test_kb_text_cannot_become_markup(invoke: Invoke, tmp_path: Path, write_kb: Callable[..., Path]) -> None:
    data = hostile_kb(write_kb)
    for suffix in (".svg", ".html", ".md"):
        target = tmp_path / f"hostile{suffix}"
        result = run_export(invoke, target, data=data)
        assert result.exit_code == 0, result.stderr
        raw = target.read_text(encoding="utf-8")
        assert "<script" not in raw.lower()
        assert "&lt;script&gt;" in raw or "&lt;script>" in raw
        assert "[bold]x[/bold]" in (markdown_unescaped(raw) if suffix == ".md" else raw)
    assert HOSTILE in svg_text(tmp_path / "hostile.svg")
    assert HOSTILE in html.unescape((tmp_path / "hostile.html").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- writing


def test_existing_file_is_refused_without_force_and_replaced_with_it(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "massage.svg"
    target.write_text("keep me", encoding="utf-8")
    refused = run_export(invoke, target)
    assert (refused.exit_code, refused.stdout) == (73, "")
    assert refused.stderr == f"painsci: {target} already exists; add --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    replaced = invoke("--data", str(PLOT_KB), "plot", "relaxation-massage", "--export", str(target), "--force")
    assert replaced.exit_code == 0, replaced.stderr
    assert RDQ_FIGURE in svg_text(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["massage.svg"]  # no temporary file left


def test_written_file_is_readable_like_any_other(tmp_path: Path) -> None:
    target = tmp_path / "plot.md"
    store = load.load(str(PLOT_KB))
    output.export([plots.plot_doc(store, ["tens"])], Format.svg, target, force=False, color=True)
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("name", ["massage.png", "massage", "massage.txt.pdf"])
def test_unknown_suffix_is_a_usage_error(invoke: Invoke, tmp_path: Path, name: str) -> None:
    result = run_export(invoke, tmp_path / name)
    assert result.exit_code == 2
    assert result.stderr == (
        "painsci: --export needs a file ending in .txt, .tsv, .csv, .json, .md, .svg, .html, .htm, .bib, .ris; "
        f"got '{name}'\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_export_takes_its_format_from_the_suffix(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("--data", str(PLOT_KB), "plot", "tens", "--json", "--export", str(tmp_path / "a.svg"))
    assert result.exit_code == 2
    assert "--export takes its format from the file suffix" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_directory_cannot_be_written(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "a.svg"
    result = run_export(invoke, target)
    assert result.exit_code == 73
    assert result.stderr == f"painsci: cannot write {target}: No such file or directory\n"


def test_a_directory_is_not_a_file(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "folder.svg"
    target.mkdir()
    result = invoke("--data", str(PLOT_KB), "plot", "tens", "--export", str(target), "--force")
    assert (result.exit_code, result.stderr) == (73, f"painsci: cannot write {target}: it is a directory\n")


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_old_file_and_no_partial_one(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A full disk or a failing rename: the target keeps its old content, no temporary file stays."""

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = tmp_path / "massage.svg"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(files.os, failing, disk_full)
    result = invoke("--data", str(PLOT_KB), "plot", "tens", "--export", str(target), "--force")
    assert result.exit_code == 73
    assert result.stderr == f"painsci: cannot write {target}: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["massage.svg"]


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomically(tmp_path / "a.md", b"data")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory(invoke: Invoke, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = run_export(invoke, locked / "a.svg")
        assert result.exit_code == 73
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_errors_are_the_documented_kinds(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        output.export_format(tmp_path / "a.pdf")
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    with pytest.raises(CannotWrite):
        output.export([], Format.markdown, tmp_path / "a.md", force=False, color=False)
    assert output.export_format(tmp_path / "A.SVG") is Format.svg


# --------------------------------------------------------------------------- names and modes


@pytest.mark.parametrize("component", ["x" * 256 + ".md", "d" * 300, "é" * 128 + ".md"])
def test_a_name_over_255_bytes_is_73(invoke: Invoke, tmp_path: Path, component: str) -> None:
    target = tmp_path / component / "a.md" if component.startswith("d") else tmp_path / component
    result = run_export(invoke, target)
    assert result.exit_code == 73, result.exception
    assert result.stderr.splitlines() == [f"painsci: cannot write {visible_path(target)}: File name too long"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "name",
    ["a" * 252 + ".md", "腰" * 83 + ".md", "🦴" * 62 + "ab.md", "b" * 251 + ".svg"],
    ids=["ascii", "three-byte", "four-byte", "svg"],
)
def test_a_legal_name_of_up_to_255_bytes_is_written(invoke: Invoke, tmp_path: Path, name: str) -> None:
    assert 250 <= len(os.fsencode(name)) <= 255
    target = tmp_path / name
    result = run_export(invoke, target)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [name]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
def test_force_keeps_the_mode_of_the_file_it_replaces(invoke: Invoke, tmp_path: Path, mode: int) -> None:
    target = tmp_path / "private.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    result = invoke("--data", str(PLOT_KB), "plot", "tens", "--export", str(target), "--force")
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_mode & 0o777 == mode
    assert "old" not in target.read_text(encoding="utf-8")
