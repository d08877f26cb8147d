"""Treatment-name matching shared by the CLI and the import-free completion fast path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


def normalise_name(name: str) -> str:
    """The form names are compared in: case-folded, hyphens and runs of spaces as one space."""
    return " ".join(name.casefold().replace("-", " ").replace("_", " ").split())


def name_index(treatments: Iterable[Sequence[str]]) -> dict[str, str]:
    """Normalised id, name and aliases -> id; each sequence is (id, name, *aliases)."""
    index: dict[str, str] = {}
    for names in treatments:
        for name in names:
            index.setdefault(normalise_name(name), names[0])
    return index


def completions(ids: Sequence[str], names: Mapping[str, str], incomplete: str) -> list[str]:
    """What TAB offers: ids starting with the typed text; failing that, names and aliases.

    Names are offered in their hyphenated form ("swedish-massage"), which the resolver accepts,
    so the shell inserts one word. Matching is by exact prefix because Typer (and the shells)
    drop any offer that does not start with the typed text.
    """
    matching = [i for i in ids if i.startswith(incomplete)]
    if matching:
        return matching
    return sorted({hyphenated for n in names if (hyphenated := n.replace(" ", "-")).startswith(incomplete)})
