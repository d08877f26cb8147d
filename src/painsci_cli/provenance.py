"""Where an exported page comes from: its title, the date it was made, the knowledge base's review
date, painsci's version, and that it is not medical advice.

A page printed or mailed on loses the terminal it came from, so every exported page (show,
compare, plot, explain … as HTML, SVG or Markdown, and the patient handout) carries these lines.
The date is today's, or the one SOURCE_DATE_EPOCH names (reproducible builds: the README's
generated pictures and the tests use it, so a file does not change with the calendar).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, date, datetime

from . import __version__
from .records import Record, record
from .views import (
    CompareDoc,
    CoverageDoc,
    ExplainDoc,
    FindingsDoc,
    GlossaryDoc,
    ListDoc,
    OutputDoc,
    PlotDoc,
    SearchDoc,
    SourcesDoc,
    TreatmentDoc,
)

NOT_ADVICE = "This is not medical advice. Talk to your doctor or therapist about what is right for you."


@record
class Provenance(Record):
    """The lines every exported page carries."""

    title: str
    generated: str
    """The date the page was made (ISO), or SOURCE_DATE_EPOCH's."""
    kb_reviewed: str
    painsci_version: str
    not_advice: str = NOT_ADVICE

    def line(self) -> str:
        """'painsci 0.1.0 · made 2026-11-30 · knowledge base reviewed 2026-11-29'."""
        return f"painsci {self.painsci_version} · made {self.generated} · knowledge base reviewed {self.kb_reviewed}"


def today() -> str:
    """Today's date, or SOURCE_DATE_EPOCH's (seconds since 1970, UTC) when it is a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return date.today().isoformat()


def of_documents(docs: Sequence[OutputDoc]) -> Provenance:
    """The provenance of a page made of these documents (compare and its plot: the comparison's)."""
    first = docs[0] if docs else None
    reviewed = first.kb_reviewed if first is not None else "n/a"
    version = first.painsci_version if first is not None else __version__
    return Provenance(f"painsci: {title_of(first)}", today(), reviewed, version)


def title_of(doc: OutputDoc | None) -> str:
    """What the page is about, in a few words: 'Massage (chronic low back pain)'."""
    match doc:
        case TreatmentDoc():
            return f"{doc.treatment.name} ({doc.phase} low back pain)"
        case CompareDoc():
            return f"comparison of {', '.join(r.name for r in doc.treatments)} ({doc.phase} low back pain)"
        case PlotDoc():
            names = dict.fromkeys(r.treatment_name for p in doc.panels for r in p.rows)
            return "forest plot of " + (", ".join(names) or ", ".join(doc.treatments))
        case ExplainDoc():
            return f"{doc.treatment} explained ({doc.phase} low back pain)"
        case ListDoc():
            return f"all treatments ({doc.phase} low back pain)"
        case SearchDoc():
            return f"search for {doc.query!r}"
        case GlossaryDoc():
            return "glossary"
        case SourcesDoc():
            return f"sources for {doc.treatment}" if doc.treatment else "sources"
        case CoverageDoc():
            return "coverage of the knowledge base"
        case FindingsDoc():
            return "findings"
        case _:
            return "painsci"
