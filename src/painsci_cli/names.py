"""Treatment-name matching shared by the CLI and the import-free completion fast path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def normalise_name(name: str) -> str:
    """The form names are compared in: case-folded, hyphens and runs of spaces as one space."""
    return " ".join(name.casefold().replace("-", " ").replace("_", " ").split())


def completions(ids: Sequence[str], names: Mapping[str, str], incomplete: str) -> list[str]:
    """Ids starting with `incomplete`; failing that, ids whose name or alias starts with it."""
    key = normalise_name(incomplete)
    matching = [i for i in ids if normalise_name(i).startswith(key)]
    return matching or sorted({tid for name, tid in names.items() if name.startswith(key)})
