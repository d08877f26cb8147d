"""BibTeX and RIS that reference managers accept: every source parsed back by independent readers."""

from __future__ import annotations

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text

from helpers import BUNDLED
from painsci_cli import load
from painsci_cli.models import Authors, Source
from painsci_cli.render.bib import bibtex_entry, ris_entry

SOURCES = load.load_uncached(BUNDLED.read_bytes(), "treatments.yaml").sources

# pylatexenc (under bibtexparser) decodes \textasciicircum{} to U+02C6, the modifier letter: same glyph.
_DECODER_QUIRKS = str.maketrans({"\u02c6": "^"})


def parse_bibtex(text: str) -> list[dict[str, object]]:
    """Entries as dicts, LaTeX decoded; `author` split on "and" first (braces protect an organisation)."""
    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]  # type: ignore[attr-defined]
    entries = []
    for e in library.entries:
        fields = {f.key: f.value for f in e.fields}
        if "author" in fields:
            fields["author"] = [LatexNodes2Text().latex_to_text(name) for name in fields["author"]]
        entries.append({"key": e.key, "type": e.entry_type, **fields})
    return entries


def decoded(value: object) -> object:
    return value.translate(_DECODER_QUIRKS) if isinstance(value, str) else value


def one_line(text: str) -> str:
    return " ".join(text.split())


def expected_bibtex_authors(authors: Authors) -> list[str]:
    return [*authors.names, *(["others"] if authors.et_al else [])]


@pytest.mark.parametrize("source", SOURCES, ids=[s.id for s in SOURCES])
def test_every_source_round_trips_through_a_bibtex_parser(source: Source) -> None:
    (entry,) = parse_bibtex(bibtex_entry(source))
    assert entry["key"] == source.id
    assert entry["author"] == expected_bibtex_authors(source.authors)
    assert decoded(entry["title"]) == one_line(source.title)
    assert entry.get("year") == (str(source.year) if source.year else None)
    assert decoded(entry.get("doi")) == source.doi
    assert entry.get("pmid") == source.pmid
    assert "read_via" not in entry


@pytest.mark.parametrize("source", SOURCES, ids=[s.id for s in SOURCES])
def test_every_source_round_trips_through_a_ris_reader(source: Source) -> None:
    (entry,) = rispy.loads(ris_entry(source) + "\n")
    assert entry["id"] == source.id
    assert entry["authors"] == list(source.authors.names)
    assert not any("et al" in a.lower() for a in entry["authors"])
    assert entry["title"] == one_line(source.title)
    assert entry.get("year") == (str(source.year) if source.year else None)
    assert entry.get("doi") == source.doi
    assert entry.get("accession_number") == (f"PMID:{source.pmid}" if source.pmid else None)


def test_the_whole_export_parses_as_one_file() -> None:
    text = "\n\n".join(bibtex_entry(s) for s in SOURCES)
    assert [e["key"] for e in parse_bibtex(text)] == [s.id for s in SOURCES]
    entries = rispy.loads("\n\n".join(ris_entry(s) for s in SOURCES) + "\n")
    assert [e["id"] for e in entries] == [s.id for s in SOURCES]


HOSTILE_TITLES = [
    "Pain fell by 67% in 12 weeks",
    "Heat & cold: a trial",
    "Trial #2 of 3",
    "Costs $500-1000 for ten massages",
    "snake_case_title with under_scores",
    "Braces {unbalanced and } closed {{twice}}",
    "A back\\slash, a ~tilde~ and a ^caret^",
    "} @misc{injected, title = {gotcha",
    "All of them: \\ { } % & # $ _ ~ ^",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_round_trip(title: str) -> None:
    source = Source(
        id="hostile-2024",
        kind="trial",
        authors=Authors(("O'Brien A", "Müller-Lüdenscheidt B"), et_al=True),
        year=2024,
        title=title,
        journal="J Test & Trials 100%",
        doi="10.1000/a_b%c",
        note="67% & more",
    )
    (entry,) = parse_bibtex(bibtex_entry(source))
    assert entry["key"] == "hostile-2024"
    assert decoded(entry["title"]) == title
    assert decoded(entry["journal"]) == "J Test & Trials 100%"
    assert decoded(entry["doi"]) == "10.1000/a_b%c"
    assert decoded(entry["note"]) == "67% & more"
    assert entry["author"] == ["O'Brien A", "Müller-Lüdenscheidt B", "others"]
    (ris,) = rispy.loads(ris_entry(source) + "\n")
    assert ris["title"] == title
    assert ris["authors"] == ["O'Brien A", "Müller-Lüdenscheidt B"]


def test_latex_specials_are_escaped_not_dropped() -> None:
    source = Source("s-2024", "trial", Authors(("A B",)), 2024, "67% & #1 $5 a_b {x} \\ ~ ^")
    title_line = next(line for line in bibtex_entry(source).splitlines() if line.strip().startswith("title"))
    assert title_line == (
        r"  title = {67\% \& \#1 \$5 a\_b \{x\} \textbackslash{} \textasciitilde{} \textasciicircum{}},"
    )


def test_an_organisation_is_one_braced_author() -> None:
    source = Source("who-2023", "guideline", Authors(("World Health Organization",), organisation=True), 2023, "T")
    assert "  author = {{World Health Organization}}," in bibtex_entry(source)
    (entry,) = parse_bibtex(bibtex_entry(source))
    assert entry["author"] == ["World Health Organization"]
    assert "AU  - World Health Organization" in ris_entry(source).splitlines()


def test_read_via_is_never_exported() -> None:
    source = Source(
        "x-2020", "trial", Authors(("A B",)), 2020, "T", url="https://doi.org/10.1/x", read_via="a scribd copy"
    )
    assert "scribd" not in bibtex_entry(source)
    assert "scribd" not in ris_entry(source)


def test_no_exported_note_or_url_points_at_a_mirror_or_process() -> None:
    """Process notes ("checked on a scribd copy") live in read_via, not in exported fields."""
    process = ("scribd", "chiro.org", "translate.google", "47.251.13.51", "read in", "read at", "checked on")
    for source in SOURCES:
        for value in (source.note or "", source.url or ""):
            assert not any(word in value.lower() for word in process), (source.id, value)
