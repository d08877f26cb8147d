"""The patient handout as text (the terminal), Markdown and a printable, self-contained HTML page.

The HTML page has no scripts, no links and no external assets (fonts, images, style sheets): it
opens and prints offline, in any browser, the same everywhere. A print style sheet sets the paper
(`@page`, A4 or Letter), keeps headings with what follows them and lists whole. Every piece of
text is escaped for its format (html.escape; Markdown through markdown.cell), so knowledge-base
text can never become markup. Standard library only: no rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, assert_never

if TYPE_CHECKING:  # --format's and --paper's choices are read at every start-up: imports wait until used
    from ..handout import Block, HandoutDoc
    from ..models import Source

PageFormat = Literal["text", "markdown", "html"]
Paper = Literal["a4", "letter"]
SUFFIXES: dict[str, PageFormat] = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}
TEXT_WIDTH = 80
"""Lines of the text handout are at most this wide (narrower on a narrower terminal)."""


def render(doc: HandoutDoc, fmt: PageFormat, paper: Paper = "a4") -> str:
    match fmt:
        case "text":
            return text(doc)
        case "markdown":
            return markdown(doc)
        case "html":
            return page(doc, paper)
        case _:
            assert_never(fmt)


def provenance(doc: HandoutDoc) -> str:
    return f"Made {doc.generated} · knowledge base reviewed {doc.kb_reviewed} · painsci {doc.painsci_version}"


def reference(source: Source) -> str:
    """A short reference: first author (et al.), year, title, journal; text, never a link."""
    names = source.authors.names
    several = len(names) > 1 or source.authors.et_al
    who = (names[0] if names else "") + (" et al." if several and not source.authors.organisation else "")
    year = f" ({source.year})" if source.year else ""
    journal = f" {source.journal.rstrip('.')}." if source.journal else ""
    return f"{who}{year}. {source.title.rstrip('.')}.{journal}"


# --------------------------------------------------------------------------- text


def text(doc: HandoutDoc) -> str:
    import shutil
    import textwrap

    width = max(40, min(TEXT_WIDTH, shutil.get_terminal_size((TEXT_WIDTH, 24)).columns))
    out = [doc.title, "=" * min(len(doc.title), width), *textwrap.wrap(doc.audience, width)]
    out += [*textwrap.wrap(provenance(doc), width), ""]
    for treatment in doc.treatments:
        out += [treatment.name, "-" * min(len(treatment.name), width)]
        for block in treatment.blocks:
            out += _text_block(block, width)
    out += [doc.self_care.heading, "-" * len(doc.self_care.heading), *_text_block(doc.self_care, width, heading=False)]
    out += ["Sources", "-------"]
    for number, source in enumerate(doc.sources, start=1):
        out += textwrap.wrap(reference(source), width, initial_indent=f"{number:>2}. ", subsequent_indent="    ")
    out += ["", *textwrap.wrap(doc.not_advice, width)]
    return "\n".join(out) + "\n"


def _text_block(block: Block, width: int, heading: bool = True) -> list[str]:
    import textwrap

    out = [block.heading] if heading else []
    for paragraph in block.paragraphs:
        out += textwrap.wrap(paragraph, width, initial_indent="  ", subsequent_indent="  ")
    for item in block.items:
        out += textwrap.wrap(item, width, initial_indent="  - ", subsequent_indent="    ")
    return [*out, ""]


# --------------------------------------------------------------------------- Markdown


def markdown(doc: HandoutDoc) -> str:
    from .markdown import cell

    out = [f"# {cell(doc.title)}", "", cell(doc.audience), "", f"_{cell(provenance(doc))}_", ""]
    for treatment in doc.treatments:
        out += [f"## {cell(treatment.name)}", ""]
        for block in treatment.blocks:
            out += _markdown_block(block, "###")
    out += _markdown_block(doc.self_care, "##")
    out += ["## Sources", ""]
    out += [f"{number}. {cell(reference(source))}" for number, source in enumerate(doc.sources, start=1)]
    out += ["", "---", "", f"**{cell(doc.not_advice)}**", "", f"_{cell(provenance(doc))}_"]
    return "\n".join(out) + "\n"


def _markdown_block(block: Block, level: str) -> list[str]:
    from .markdown import cell

    out = [f"{level} {cell(block.heading)}", ""]
    for paragraph in block.paragraphs:
        out += [cell(paragraph), ""]
    if block.items:
        out += [*(f"- {cell(item)}" for item in block.items), ""]
    return out


# --------------------------------------------------------------------------- HTML

STYLE = """
@page { size: PAPER; margin: 11mm 14mm 13mm 14mm;
  @bottom-left { content: FOOT; font: 7pt Arial, "Liberation Sans", sans-serif; color: #555; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 7pt Arial, sans-serif; color: #555; } }
html { color-scheme: light; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 11pt; line-height: 1.4; color: #1b1b1b; background: #fff;
  max-width: 44em; margin: 1.5em auto; padding: 0 1em; }
header { border-bottom: 2px solid #2a5b84; margin-bottom: 0.8em; }
h1 { font-size: 1.55em; line-height: 1.2; margin: 0 0 0.25em; color: #2a5b84; }
h2 { font-size: 1.25em; margin: 1.1em 0 0.3em; padding-bottom: 0.1em; color: #2a5b84;
  border-bottom: 1px solid #c8d3dd; }
h3 { font-size: 1em; margin: 0.7em 0 0.15em; }
p { margin: 0 0 0.4em; }
ul, ol { margin: 0.1em 0 0.4em; padding-left: 1.3em; }
li { margin: 0 0 0.2em; }
.audience { font-size: 1.05em; margin-bottom: 0.2em; }
.provenance { font-size: 0.85em; color: #4a4a4a; }
.headline { font-weight: bold; }
.sources li { font-size: 0.8em; margin: 0; }
footer { margin-top: 1em; border-top: 2px solid #2a5b84; padding-top: 0.4em; }
.not-advice { font-weight: bold; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; line-height: 1.27; }
  li { margin-bottom: 0.1em; }
  h1 { font-size: 1.45em; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  li, p { break-inside: avoid; page-break-inside: avoid; orphans: 3; widows: 3; }
  h2 { margin-top: 0.8em; }
  .sources ol { columns: 2; column-gap: 1.5em; }
}
"""
PAPER_SIZES: dict[Paper, str] = {"a4": "A4", "letter": "letter"}


def page(doc: HandoutDoc, paper: Paper = "a4") -> str:
    """The handout as one HTML file: inline style sheet, no script, nothing fetched. Printed, every
    page's foot repeats the provenance and that it is not medical advice."""
    e = _escape
    foot = f"{provenance(doc)} · Not medical advice"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="painsci {e(doc.painsci_version)}">',
        f"<title>{e(doc.title)}</title>",
        f"<style>{STYLE.replace('PAPER', PAPER_SIZES[paper], 1).replace('FOOT', _css_string(foot), 1)}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(doc.title)}</h1>",
        f'<p class="audience">{e(doc.audience)}</p>',
        f'<p class="provenance">{e(provenance(doc))}</p>',
        "</header>",
        "<main>",
    ]
    for treatment in doc.treatments:
        out += [f'<article class="treatment" id="{e(treatment.treatment)}">', f"<h2>{e(treatment.name)}</h2>"]
        for block in treatment.blocks:
            out += _html_block(block, "h3", treatment.headline)
        out.append("</article>")
    out += ['<section class="self-care">', *_html_block(doc.self_care, "h2"), "</section>"]
    out += ['<section class="sources">', "<h2>Sources</h2>", "<ol>"]
    out += [f"<li>{e(reference(source))}</li>" for source in doc.sources]
    out += ["</ol>", "</section>", "</main>", "<footer>"]
    out.append(f'<p class="not-advice">{e(doc.not_advice)}</p>')
    out += ["</footer>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _html_block(block: Block, level: str, headline: str | None = None) -> list[str]:
    out = [f"<{level}>{_escape(block.heading)}</{level}>"]
    for paragraph in block.paragraphs:
        css = ' class="headline"' if paragraph == headline else ""
        out.append(f"<p{css}>{_escape(paragraph)}</p>")
    if block.items:
        out += ["<ul>", *(f"<li>{_escape(item)}</li>" for item in block.items), "</ul>"]
    return out


def _escape(value: str) -> str:
    import html

    return html.escape(value, quote=True)


def _css_string(value: str) -> str:
    """A CSS string literal that no text can leave: backslash, quotes and every non-ASCII or
    markup character written as a CSS escape ('<' too, so no '</style>' can close the sheet)."""
    escaped = "".join(c if c.isascii() and (c.isalnum() or c in " .,:;-_()/") else f"\\{ord(c):X} " for c in value)
    return f'"{escaped}"'
