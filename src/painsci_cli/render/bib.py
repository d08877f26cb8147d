"""`painsci sources --format bibtex|ris`: citations for reference managers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import UsageError
from ..models import Authors, Source
from ..views import OutputDoc, SourcesDoc

_BIBTEX_TYPE = {
    "trial": "article",
    "systematic_review": "article",
    "meta_analysis": "article",
    "guideline": "misc",
    "article": "misc",
}
_RIS_TYPE = {
    "trial": "JOUR",
    "systematic_review": "JOUR",
    "meta_analysis": "JOUR",
    "guideline": "GEN",
    "article": "ELEC",
}


_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")


def latex_escape(text: str) -> str:
    """Every LaTeX special character escaped, so KB text can neither end a field nor run a command."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], " ".join(text.split()))


def bibtex_authors(authors: Authors) -> str:
    """BibTeX's author list: names joined by "and", an organisation in an extra pair of braces
    (so it is not split into first and last names), "et al." as BibTeX's own "and others"."""
    names = [latex_escape(n) for n in authors.names]
    if authors.organisation:
        names = [f"{{{n}}}" for n in names]
    if authors.et_al:
        names.append("others")
    return " and ".join(names)


def bibtex_entry(source: Source) -> str:
    """One entry; `read_via` (where a copy was read) is provenance, never exported."""
    fields = [("author", bibtex_authors(source.authors)), ("title", latex_escape(source.title))]
    if source.journal:
        fields.append(("journal", latex_escape(source.journal)))
    if source.year:
        fields.append(("year", str(source.year)))
    for name in ("doi", "pmid", "url", "note"):
        value = getattr(source, name)
        if value:
            fields.append((name, latex_escape(value)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{_BIBTEX_TYPE[source.kind]}{{{source.id},\n{body}\n}}"


def ris_entry(source: Source) -> str:
    """RIS lines are `TAG  - value`; values are folded to one line each (RIS has no continuation).

    One AU line per author; a list cut short by the source ("et al.") has no "et al." author.
    `read_via` is never exported.
    """
    tags: list[tuple[str, str]] = [("TY", _RIS_TYPE[source.kind]), ("ID", source.id)]
    tags += [("AU", name) for name in source.authors.names]
    tags.append(("TI", source.title))
    optional = (
        ("JO", source.journal),
        ("PY", str(source.year) if source.year else None),
        ("DO", source.doi),
        ("AN", f"PMID:{source.pmid}" if source.pmid else None),
        ("UR", source.url),
        ("N1", source.note),
    )
    tags += [(tag, value) for tag, value in optional if value]
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in tags]
    return "\n".join([*lines, "ER  - "])


def bibtex(doc: SourcesDoc) -> str:
    return "\n\n".join(bibtex_entry(s) for s in doc.sources) + "\n"


def ris(doc: SourcesDoc) -> str:
    return "\n\n".join(ris_entry(s) for s in doc.sources) + "\n"


def render(docs: Sequence[OutputDoc], kind: str) -> str:
    """Citations of the sources documents; any other document has none to give."""
    if not all(isinstance(doc, SourcesDoc) for doc in docs):
        raise UsageError(f"painsci: --format {kind} is for citations: use it with 'painsci sources'")
    entries = bibtex if kind == "bibtex" else ris
    return "\n".join(entries(doc) for doc in docs if isinstance(doc, SourcesDoc))
