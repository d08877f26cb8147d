"""Where documents go: the one place that knows a terminal from a pipe or a file.

Every command leaves through `deliver(docs, output)`: the format comes from --format (or its
--json/--plain shorthands), else from the --export file's suffix, else from the destination
(a table on a terminal, plain text in a pipe); the text comes from render/; the destination is
stdout or, with --export, a file written whole or not at all.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .charset import visible_path
from .errors import CannotWrite, OutputClosed, UsageError
from .records import Record, record
from .render import Format, Surface, format_for_suffix, render
from .views import OutputDoc

if TYPE_CHECKING:
    from .handout import HandoutDoc
    from .render.handout import PageFormat, Paper


@record
class Output(Record):
    """The output options every document command shares (see options.py)."""

    fmt: Format | None = None
    as_json: bool = False
    plain: bool = False
    no_color: bool = False
    export: Path | None = None
    force: bool = False
    no_pager: bool = False
    detail: str = "card"
    """show: the one-screen card, or "full"."""
    sections: tuple[str, ...] = ()
    """show --section NAME (repeatable)."""

    def viewing(self, detail: str, sections: tuple[str, ...]) -> Output:
        """The same options with show's view chosen (--full, --section)."""
        values = {name: getattr(self, name) for name in self.__record_fields__}
        return Output(**{**values, "detail": detail, "sections": sections})


def choose(output: Output, terminal: bool) -> Format:
    """--json and --plain are shorthands for --format; two different choices are a usage error."""
    picked = {f for f, on in ((Format.json, output.as_json), (Format.plain, output.plain)) if on}
    if output.fmt is not None:
        picked.add(output.fmt)
    if len(picked) > 1:
        names = " and ".join(sorted(f"--format {f.value}" for f in picked))
        raise UsageError(f"painsci: conflicting output options: {names}")
    if output.export is not None:
        if picked:
            raise UsageError("painsci: --export takes its format from the file suffix; drop --format/--json/--plain")
        return export_format(output.export)
    if picked:
        return picked.pop()
    return Format.table if terminal else Format.plain


def export_format(path: Path) -> Format:
    found = format_for_suffix(path.suffix)
    if found is None or found is Format.table:
        known = [suffix for f in Format for suffix in f.suffixes]
        shown = visible_path(path.name)
        raise UsageError(f"painsci: --export needs a file ending in {', '.join(known)}; got '{shown}'")
    return found


def color_enabled(no_color: bool, terminal: bool) -> bool:
    """Colour only on a terminal, and never with --no-color, NO_COLOR (any value) or TERM=dumb."""
    if no_color or "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return terminal


def deliver(docs: Sequence[OutputDoc], output: Output) -> None:
    """Render the documents once and send them to their one destination."""
    terminal = _stdout_is_terminal()
    fmt = choose(output, terminal)
    if output.export is not None:
        export(docs, fmt, output.export, output.force, not output.no_color, output.detail, output.sections)
        return
    surface = Surface(
        color=color_enabled(output.no_color, terminal),
        terminal=terminal,
        detail=output.detail,
        sections=output.sections,
    )
    rendered = render(docs, fmt, surface)
    if not (terminal and not output.no_pager and page(rendered.text)):
        write(rendered.text)
    for line in rendered.notes:
        note(f"painsci: {line}")


def export(
    docs: Sequence[OutputDoc],
    fmt: Format,
    path: Path,
    force: bool,
    color: bool,
    detail: str = "card",
    sections: tuple[str, ...] = (),
) -> None:
    """--export FILE: the page with its provenance (title, date, KB review date, version, not
    medical advice), written whole or not at all."""
    from .provenance import of_documents

    mode = writable(path, force)
    page = of_documents(docs) if fmt in (Format.svg, Format.html, Format.markdown) else None
    surface = Surface(color=color and fmt in (Format.svg, Format.html), detail=detail, sections=sections, page=page)
    _write(path, render(docs, fmt, surface).text, mode)


def save(path: Path, text: str, force: bool) -> None:
    """Write `text` to an --export FILE: never over an existing file without --force, atomically."""
    _write(path, text, writable(path, force))


def writable(path: Path, force: bool) -> int | None:
    """Refuse a directory, a bad name, or an existing file without --force; else the mode of the
    file being replaced (kept), or None for a new file."""
    shown = visible_path(path)
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        found = None
    except (OSError, ValueError) as exc:  # a name over 255 bytes, a NUL, a file where a folder belongs …
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "invalid path"
        raise CannotWrite(f"painsci: cannot write {shown}: {reason}") from None
    if path.is_dir():
        raise CannotWrite(f"painsci: cannot write {shown}: it is a directory")
    if not force and found is not None:
        raise CannotWrite(f"painsci: {shown} already exists; add --force to replace it")
    return found.st_mode & 0o777 if found is not None and stat.S_ISREG(found.st_mode) else None


def _write(path: Path, text: str, mode: int | None) -> None:
    from .files import write_atomically

    shown = visible_path(path)
    try:
        write_atomically(path, text.encode("utf-8"), mode=mode)
    except OSError as exc:
        raise CannotWrite(f"painsci: cannot write {shown}: {exc.strerror or type(exc).__name__}") from None
    note(f"painsci: wrote {shown}")


PAGER_DEFAULT = "less -FRX"
"""Like git: -F prints output that fits one screen as it is, -R keeps colours, -X leaves it on screen."""


def pager_command() -> list[str] | None:
    """PAINSCI_PAGER, else PAGER, else `less -FRX`; None when paging is off ("cat" or empty)."""
    import shlex

    chosen = os.environ.get("PAINSCI_PAGER", os.environ.get("PAGER", PAGER_DEFAULT))
    try:
        words = shlex.split(chosen)
    except ValueError:
        return None
    if not words or words == ["cat"]:
        return None
    return words


def _pager_environment() -> dict[str, str]:
    """As git does: a bare `less` (PAGER=less) gets FRX unless the user set LESS, so colours
    arrive as colours and short output is not held on screen; `lv` likewise gets -c."""
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")
    environment.setdefault("LV", "-c")
    return environment


def page(text: str) -> bool:
    """Show `text` through the pager when it is taller than the terminal; False: print it instead.

    While the pager runs painsci ignores Ctrl-C (the pager handles it, as with git); quitting
    the pager early (q) is a normal end, not an error.
    """
    import shutil
    import signal
    import subprocess

    height = shutil.get_terminal_size().lines
    if text.count("\n") < height:
        return False
    command = pager_command()
    if command is None:
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=_pager_environment())
        except OSError:
            return False  # no such pager: print as usual
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "backslashreplace"))
            pager.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the reader quit before the end
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True


def write(text: str) -> None:
    """Text to stdout; a reader that went away is the documented quiet exit, not a traceback."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        raise OutputClosed() from None


def note(line: str) -> None:
    """A line for the person, not the data: stderr, so a pipe carries only the document."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


def silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


@record
class PageOutput(Record):
    """Where a page for a person goes (see options.page_options)."""

    fmt: PageFormat | None = None
    export: Path | None = None
    force: bool = False
    paper: Paper = "a4"
    no_pager: bool = False


def hand_out(handout_page: HandoutDoc, options: PageOutput) -> None:
    """The patient handout: text on the screen (through the pager when taller), or --format
    markdown/html; --export FILE takes the format from its suffix (.html, .md, .txt) and writes
    the file whole or not at all."""
    from .render import handout

    export = options.export
    if export is None:
        text = handout.render(handout_page, options.fmt or "text", options.paper)
        if not (not options.no_pager and _stdout_is_terminal() and page(text)):
            write(text)
        return
    if options.fmt is not None:
        raise UsageError("painsci: --export takes its format from the file suffix; drop --format")
    chosen = handout.SUFFIXES.get(export.suffix.lower())
    if chosen is None:
        shown = visible_path(export.name)
        raise UsageError(f"painsci: --export needs a file ending in {', '.join(handout.SUFFIXES)}; got '{shown}'")
    mode = writable(export, options.force)
    _write(export, handout.render(handout_page, chosen, options.paper), mode)
