"""Names to records: a treatment by id, name, alias or unique prefix; a guideline by short name.

Failures are errors that carry their candidates (errors.py words them), so a caller can offer
them in any form; nothing here knows about the command line.
"""

from __future__ import annotations

from .errors import AmbiguousName, EmptyName, UnknownGuideline, UnknownName
from .load.store import Store
from .models import Treatment
from .names import look_alike, normalise_name
from .suggest import close_matches


def resolve(store: Store, name: str) -> Treatment:
    """Id, alias or name in any case, with spaces or hyphens, or a unique prefix of one."""
    key = normalise_name(name)
    if not key:
        raise EmptyName()
    if key in store.names:
        return store.treatments[store.names[key]]
    prefixed = {tid for n, tid in store.names.items() if n.startswith(key)}
    if len(prefixed) == 1:
        return store.treatments[prefixed.pop()]
    if prefixed:
        hyphenated = key.replace(" ", "-")
        raise AmbiguousName(name, sorted(prefixed, key=lambda tid: (not tid.startswith(hyphenated), tid)))
    similar = look_alike(store.names, name)  # Cyrillic "mаssage": the one name it passes for
    if similar is not None:
        return store.treatments[similar]
    raise UnknownName(name, suggest_names(store, key))


def suggest_names(store: Store, key: str, limit: int = 3) -> list[str]:
    """Up to `limit` treatment ids whose names look like `key`."""
    found: list[str] = []
    for match in close_matches(key[:100], store.names, limit=limit * 3):
        tid = store.names[match]
        if tid not in found:
            found.append(tid)
    return found[:limit]


def guideline_id(store: Store, name: str) -> str:
    """'nvl', 'NICE', 'who-2023' … to a guideline id."""
    key = normalise_name(name)
    guidelines = store.core.guidelines
    matches = [
        g.id
        for g in guidelines
        if key and (normalise_name(g.id).startswith(key) or normalise_name(g.short_name).startswith(key))
    ]
    if len(matches) != 1:
        raise UnknownGuideline(name, [g.id for g in guidelines], matches)
    return matches[0]
