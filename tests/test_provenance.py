"""Every exported page says where it comes from (issue 16): a title, the date it was made, the
knowledge base's review date, painsci's version and that it is not medical advice; `explain`
exports and prints Markdown as paragraphs."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import Result

from helpers import DATA
from painsci_cli import __version__
from painsci_cli.provenance import NOT_ADVICE, today

PLOT_KB = DATA / "plot.yaml"
REVIEWED = "2026-11-22"  # tests/data/plot.yaml
EPOCH_2026_12_01 = "1796083200"
Invoke = Callable[..., Result]


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_12_01)


def shown_text(path: Path) -> str:
    """What a reader sees in an exported file: SVG text runs, HTML unescaped, Markdown as written."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".svg":
        return "".join(ET.parse(path).getroot().itertext()).replace("\xa0", " ")
    return html.unescape(raw)


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (("show", "relaxation-massage"), "painsci: Relaxation massage (chronic low back pain)"),
        (("compare", "massage", "tens"), "painsci: comparison of Massage, TENS (chronic low back pain)"),
        (("plot", "tens"), "painsci: forest plot of TENS"),
        (("explain", "massage"), "painsci: massage explained (chronic low back pain)"),
    ],
)
@pytest.mark.parametrize("suffix", [".md", ".html", ".svg"])
def test_every_exported_page_carries_its_provenance(
    invoke: Invoke, tmp_path: Path, args: tuple[str, ...], title: str, suffix: str
) -> None:
    target = tmp_path / f"page{suffix}"
    result = invoke("--data", str(PLOT_KB), *args, "--export", str(target))
    assert result.exit_code == 0, result.stderr
    shown = shown_text(target)
    line = f"painsci {__version__} · made 2026-12-01 · knowledge base reviewed {REVIEWED}"
    if suffix == ".md":
        assert shown.startswith(f"# {title}\n\n_{line}_\n\n**{NOT_ADVICE}**\n\n")
    else:
        assert title in shown
        assert line in shown
        assert NOT_ADVICE in shown
    if suffix == ".html":
        assert f"<title>{html.escape(title)}</title>" in target.read_text(encoding="utf-8")


def test_the_screen_and_a_pipe_get_no_provenance_header(invoke: Invoke) -> None:
    result = invoke("--data", str(PLOT_KB), "show", "relaxation-massage", "--format", "markdown")
    assert result.exit_code == 0
    assert NOT_ADVICE not in result.stdout
    assert not result.stdout.startswith("# painsci")


def test_json_exports_keep_their_own_header_only(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "show.json"
    assert invoke("--data", str(PLOT_KB), "show", "tens", "--export", str(target)).exit_code == 0
    document = json.loads(target.read_text(encoding="utf-8"))
    assert (document["painsci_version"], document["kb_reviewed"]) == (__version__, REVIEWED)


def test_a_title_from_the_kb_cannot_break_the_page(
    invoke: Invoke, tmp_path: Path, write_kb: Callable[..., Path]
) -> None:
    """A treatment name with braces and a tag: escaped in <title>, and no str.format accident."""
    text = PLOT_KB.read_text(encoding="utf-8")
    assert text.count("    name: TENS\n") == 1
    data = write_kb(text.replace("    name: TENS\n", "    name: 'TENS {code} <script>x</script>'\n"), "names.yaml")
    for suffix in (".html", ".svg", ".md"):
        target = tmp_path / f"tens{suffix}"
        result = invoke("--data", str(data), "show", "tens", "--export", str(target))
        assert result.exit_code == 0, result.stderr
        raw = target.read_text(encoding="utf-8")
        assert "<script>" not in raw
        assert "TENS {code} <script>x</script> (chronic low back pain)" in shown_text(target).replace("\\", "")


def test_today_is_the_calendar_date_unless_source_date_epoch_names_one(monkeypatch: pytest.MonkeyPatch) -> None:
    assert today() == "2026-12-01"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert today() == date.today().isoformat()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert today() == date.today().isoformat()


# --------------------------------------------------------------------------- explain as prose


def test_explain_markdown_is_paragraphs_not_a_one_cell_table(invoke: Invoke) -> None:
    document = json.loads(invoke("explain", "massage", "--json").stdout)
    paragraphs = document["paragraphs"]
    assert len(paragraphs) >= 3
    assert " ".join(paragraphs) == document["text"]
    assert paragraphs[0].startswith("Bottom line for chronic low back pain: very uncertain")
    assert paragraphs[-1].startswith("Guidelines: NVL 2017: open option (kann), only with active treatment")
    markdown = invoke("explain", "massage", "--format", "markdown").stdout
    assert "|---" not in markdown and "| " not in markdown
    blocks = markdown.strip().split("\n\n")
    assert blocks[0] == "## massage (chronic pain)"
    assert len(blocks) == 1 + len(paragraphs)
    assert blocks[1] == paragraphs[0].replace("[", "\\[").replace("]", "\\]")


def test_explain_exports_a_page(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "massage.md"
    result = invoke("explain", "massage", "--export", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    written = target.read_text(encoding="utf-8")
    assert written.startswith("# painsci: massage explained (chronic low back pain)\n")
    assert "## massage (chronic pain)\n\nBottom line for chronic low back pain: very uncertain" in written
    again = invoke("explain", "massage", "--export", str(target))
    assert again.exit_code == 73  # an existing file needs --force, as for every export
