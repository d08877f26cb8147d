"""`--export FILE`: the same documents written to a file, in the format the file's suffix names.

SVG and HTML record the very rich renderables the terminal shows (render/table.py); Markdown is
the Markdown renderer. A file is written whole or not at all: into a temporary file in the same
directory, then renamed over the target, so a reader never sees half a plot and a failure leaves
no litter. An existing file is only replaced with --force.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Literal

from .charset import visible
from .errors import CannotWrite, UsageError
from .views import OutputDoc

ExportKind = Literal["svg", "html", "markdown"]
SUFFIXES: dict[str, ExportKind] = {".svg": "svg", ".html": "html", ".htm": "html", ".md": "markdown"}
WIDTH = 100
"""Recorded console width: fixed, so an export does not depend on the terminal it was made in."""


def kind_of(path: Path) -> ExportKind:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        shown = visible(path.name)
        raise UsageError(f"painsci: --export needs a file ending in .svg, .html or .md; got '{shown}'")
    return kind


def export(docs: Sequence[OutputDoc], path: Path, force: bool = False, color: bool = True) -> None:
    """Render `docs` one after another into `path`; they become one file (compare, then its plot)."""
    kind = kind_of(path)
    shown = visible(str(path))
    if path.is_dir():
        raise CannotWrite(f"painsci: cannot write {shown}: it is a directory")
    if not force and (path.exists() or path.is_symlink()):
        raise CannotWrite(f"painsci: {shown} already exists; add --force to replace it")
    write_atomically(path, render(docs, kind, color).encode("utf-8"))


def render(docs: Sequence[OutputDoc], kind: ExportKind, color: bool) -> str:
    if kind == "markdown":
        from .render import markdown

        return "\n".join(markdown.render(doc) for doc in docs)
    from .render import table

    return table.export(docs, kind, color, WIDTH)


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file beside the target, flushed to disk, then renamed over it in one step."""
    shown = visible(str(path))
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise CannotWrite(f"painsci: cannot write {shown}: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o666 & ~_umask())  # mkstemp's 0600 would make the export private
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise CannotWrite(f"painsci: cannot write {shown}: {_reason(exc)}") from None
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
