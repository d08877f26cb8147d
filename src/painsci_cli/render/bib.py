"""`painsci sources --format bibtex|ris`: citations for reference managers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import UsageError
from ..models import Source
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


def _braced(text: str) -> str:
    """BibTeX-safe: braces balanced by removal, so KB text cannot end a field early."""
    return re.sub(r"[{}\\]", "", text)


def bibtex_entry(source: Source) -> str:
    fields = [("author", source.authors.replace(", ", " and ")), ("title", source.title)]
    if source.journal:
        fields.append(("journal", source.journal))
    if source.year:
        fields.append(("year", str(source.year)))
    for name in ("doi", "pmid", "url", "note"):
        value = getattr(source, name)
        if value:
            fields.append((name, value))
    body = ",\n".join(f"  {name} = {{{_braced(value)}}}" for name, value in fields)
    return f"@{_BIBTEX_TYPE[source.kind]}{{{source.id},\n{body}\n}}"


def ris_entry(source: Source) -> str:
    """RIS lines are `TAG  - value`; values are folded to one line each (RIS has no continuation)."""
    tags: list[tuple[str, str]] = [("TY", _RIS_TYPE[source.kind]), ("ID", source.id)]
    tags += [("AU", author.strip()) for author in source.authors.split(",") if author.strip()]
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
