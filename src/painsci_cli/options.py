"""Options shared by commands, defined once (sqlite-utils' shared option decorators are the model).

`@output_options` gives a command --format/-f, --json, --plain, --no-color, --export, --force
and --no-pager;
the command receives them as one `output: Output` argument and hands it to `deliver`. Typer reads
the signature this decorator writes, so --help shows the options as if each command declared them.
`@page_options` does the same for a page printed for a person (the handout): --export, --force,
--format text|markdown|html, --paper and --no-pager, as one `page: PageOutput`.
The arguments several commands share (a treatment with its completion, --phase) and the parsing
of --guideline NAME=POSITION live here too.
"""

# No `from __future__ import annotations`: Typer evaluates annotations at run time.

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .choices import GUIDELINE_POSITIONS, HandoutFormat, PainPhase, PaperSize
from .errors import UsageError, printable
from .load import load
from .load.store import Store
from .lookup import guideline_id
from .output import Output, PageOutput
from .render import Format

OUTPUT_PARAMETERS: dict[str, tuple[Any, Any]] = {
    "fmt": (
        Annotated[
            Optional[Format],
            typer.Option(
                "--format",
                "-f",
                case_sensitive=False,
                help="Output format (default: table on a terminal, plain when piped).",
                show_default=False,
            ),
        ],
        None,
    ),
    "as_json": (
        Annotated[bool, typer.Option("--json", help="Same as --format json: the versioned JSON document.")],
        False,
    ),
    "plain": (
        Annotated[bool, typer.Option("--plain", help="Same as --format plain: tab-separated, no colour.")],
        False,
    ),
    "no_color": (Annotated[bool, typer.Option("--no-color", help="No colour (also: NO_COLOR, TERM=dumb).")], False),
    "export": (
        Annotated[
            Optional[Path],
            typer.Option(
                "--export",
                metavar="FILE",
                help="Write to FILE instead of the screen, in the format its suffix names "
                "(.svg, .html, .md, .json, .txt; .bib and .ris for sources).",
                show_default=False,
            ),
        ],
        None,
    ),
    "force": (Annotated[bool, typer.Option("--force", help="With --export: replace FILE if it exists.")], False),
    "no_pager": (
        Annotated[
            bool,
            typer.Option(
                "--no-pager",
                help="Print straight to the terminal (default: output taller than the screen goes through "
                "PAINSCI_PAGER, PAGER or 'less -FRX'; never when piped).",
            ),
        ],
        False,
    ),
}


def output_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the shared output options to `command`, which takes them as `output: Output`."""
    return _with_options(command, "output", OUTPUT_PARAMETERS, lambda values: Output(**values))


PAGE_PARAMETERS: dict[str, tuple[Any, Any]] = {
    "export": (
        Annotated[
            Optional[Path],
            typer.Option(
                "--export",
                metavar="FILE",
                help="Write to FILE instead of the screen: .html (a printable page), .md or .txt.",
                show_default=False,
            ),
        ],
        None,
    ),
    "force": OUTPUT_PARAMETERS["force"],
    "fmt": (
        Annotated[
            Optional[HandoutFormat],
            typer.Option(
                "--format", "-f", case_sensitive=False, help="text (default), markdown or html.", show_default=False
            ),
        ],
        None,
    ),
    "paper": (
        Annotated[PaperSize, typer.Option("--paper", case_sensitive=False, help="Paper the HTML page prints on.")],
        PaperSize("a4"),
    ),
    "no_pager": (Annotated[bool, typer.Option("--no-pager", help="Print straight to the terminal.")], False),
}
"""A page for a person (the handout): where it goes and on what paper; no data formats."""


def page_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the page options to `command`, which takes them as `page: PageOutput`."""

    def build(values: dict[str, Any]) -> PageOutput:
        fmt, paper = values.pop("fmt"), values.pop("paper")
        return PageOutput(fmt=fmt.value if fmt else None, paper=paper.value, **values)

    return _with_options(command, "page", PAGE_PARAMETERS, build)


def _with_options(
    command: Callable[..., None],
    argument: str,
    parameters: dict[str, tuple[Any, Any]],
    build: Callable[[dict[str, Any]], object],
) -> Callable[..., None]:
    """`command` with `parameters` added to its signature, handed to it as one `argument`."""
    signature = inspect.signature(command)
    own = [p for p in signature.parameters.values() if p.name != argument]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (annotation, default) in parameters.items()
    ]

    @functools.wraps(command)
    def with_options(*args: Any, **kwargs: Any) -> None:
        chosen = build({name: kwargs.pop(name) for name in parameters})
        command(*args, **{argument: chosen}, **kwargs)

    with_options.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
    with_options.__annotations__ = {p.name: p.annotation for p in [*own, *added]}
    return with_options


def complete_treatment(ctx: typer.Context, incomplete: str) -> list[str]:
    from .complete import encodable
    from .names import completions

    try:
        store = load(ctx.find_root().params.get("data"))
        return encodable(completions(store.directory.ids, store.names, incomplete))
    except Exception:  # completion must never print a traceback into the user's shell
        return []


PhaseOpt = Annotated[
    PainPhase,
    typer.Option(
        "--phase",
        case_sensitive=False,
        help="Which pain the verdicts speak for: chronic (12 weeks or more) or acute (acute and subacute).",
    ),
]
TreatmentArg = Annotated[
    str,
    typer.Argument(
        metavar="TREATMENT",
        help="Id, alias or unique prefix, any case (e.g. tens, 'swedish massage').",
        autocompletion=complete_treatment,
    ),
]


def guideline_filter(store: Store, text: str) -> tuple[str, str]:
    """NAME=POSITION (any case) to a guideline id and a position (see choices.GUIDELINE_POSITIONS)."""
    name, sep, position = text.partition("=")
    position = position.strip().casefold().replace(" ", "-")
    position = position.replace("-", "_") if position.replace("-", "_") in ("not_addressed",) else position
    if not sep or position not in GUIDELINE_POSITIONS:
        raise UsageError(
            f"painsci: --guideline takes NAME=POSITION with POSITION one of {', '.join(GUIDELINE_POSITIONS)}; "
            f"got {printable(text)}"
        )
    return guideline_id(store, name), position
