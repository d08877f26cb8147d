"""Typer wiring. Each command reads: parse -> load -> query -> render. No domain logic lives here."""

# No `from __future__ import annotations`: Typer then reads evaluated annotations, not strings.

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from . import __version__, kb, query
from .charset import visible
from .derive import CERTAINTY_RANK
from .errors import EXIT_INTERRUPTED, EXIT_USAGE, PainsciError, UsageError
from .location import locate
from .names import completions
from .output import OutputFormat, choose, emit, emit_all, write
from .query import Index, ListFilter, SortKey
from .text import printable
from .views import OutputDoc

CERTAINTY_LEVELS = tuple(CERTAINTY_RANK)


class PainsciGroup(TyperGroup):
    """The edge: a known failure becomes its stderr lines and its documented exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        for stream in (sys.stdout, sys.stderr):  # a byte the terminal cannot encode is shown, not fatal
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except PainsciError as exc:
            _stderr(*exc.lines)
            code = exc.exit_code
        except Exception as exc:
            usage = _click_failure(exc)
            if usage is None:
                raise
            _stderr(usage[0])
            code = usage[1]
        if standalone_mode:
            sys.exit(code)
        return code


MAX_MESSAGE = 200
"""Characters of a usage error kept: a 10,000-character argument must not become the message."""


def _click_failure(exc: Exception) -> tuple[str, int] | None:
    """Typer's vendored click raises its own types; recognise them by name and interface."""
    if type(exc).__name__ == "Abort":
        return "painsci: interrupted", EXIT_INTERRUPTED
    if type(exc).__name__ == "NoArgsIsHelpError":  # bare `painsci`: the help text, as click would
        return str(getattr(exc, "format_message", lambda: "")()).rstrip(), EXIT_USAGE
    format_message = getattr(exc, "format_message", None)
    code = getattr(exc, "exit_code", None)
    if not callable(format_message) or not isinstance(code, int):
        return None
    text = _no_such_option(exc) if type(exc).__name__ == "NoSuchOption" else str(format_message())
    message = " ".join(visible(text).split())
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "…"
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", None) or "painsci"
    return f"painsci: {message} (see '{command} --help')", code or EXIT_USAGE


def _no_such_option(exc: Exception) -> str:
    """Worded here, not by click: typer 0.26.0-0.26.7 printed its suggestion as a tuple's repr."""
    from .suggest import close_matches

    name = str(getattr(exc, "option_name", ""))
    command = getattr(getattr(exc, "ctx", None), "command", None)
    known = [opt for param in getattr(command, "params", ()) for opt in (*param.opts, *param.secondary_opts)]
    known += ["--help", "-h"]
    matches = sorted(close_matches(name, [o for o in known if o.startswith("--")]))
    return f"No such option: {name}" + (f" (Possible options: {', '.join(matches)})" if matches else "")


def _stderr(*lines: str) -> None:
    try:
        sys.stderr.write("".join(line + "\n" for line in lines))
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


app = typer.Typer(
    name="painsci",
    cls=PainsciGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _complete_treatment(ctx: typer.Context, incomplete: str) -> list[str]:
    data = ctx.find_root().params.get("data")
    try:
        index = Index.build(kb.load(data))
        return completions(index.store.directory.ids, index.names, incomplete)
    except Exception:  # completion must never print a traceback into the user's shell
        return []


# Shared options, defined once.
TreatmentArg = Annotated[
    str,
    typer.Argument(
        metavar="TREATMENT",
        help="Id, alias or unique prefix, any case (e.g. tens, 'swedish massage').",
        autocompletion=_complete_treatment,
    ),
]
FormatOpt = Annotated[
    Optional[OutputFormat],
    typer.Option(
        "--format", "-f", help="table, plain, json or markdown (default: table on a terminal, plain when piped)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Same as --format json: the versioned JSON document.")]
PlainOpt = Annotated[bool, typer.Option("--plain", help="Same as --format plain: tab-separated, no colour.")]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour (also: NO_COLOR, TERM=dumb).")]
ExportOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--export",
        metavar="FILE",
        help="Write to FILE instead of the screen; .svg, .html or .md (by its suffix).",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="With --export: replace FILE if it exists.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"painsci {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    data: Annotated[
        Optional[str],
        typer.Option(
            "--data",
            metavar="PATH",
            help="Use this knowledge base instead of the bundled one (also: PAINSCI_DATA).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Example: painsci compare massage tens

    What does the evidence say about this treatment for low back pain? painsci shows the
    between-group difference against a control, whether it reaches the minimal clinically
    important difference, how long it lasted, how well trials were blinded, harms, and what
    four guidelines say. Offline and sourced. Not medical advice.
    """
    if data is not None and not data.strip():
        raise UsageError("painsci: --data needs the path of a knowledge base file")
    ctx.obj = data


def _index(ctx: typer.Context) -> Index:
    return Index.build(kb.load(ctx.obj))


@app.command(short_help="One treatment, Summary-of-Findings style.")
def show(
    ctx: typer.Context,
    treatment: TreatmentArg,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
    export: ExportOpt = None,
    force: ForceOpt = False,
) -> None:
    """Example: painsci show acupuncture --json | jq '.assessments[0].mcid'

    Every between-group effect (outcome x time point x comparator) with its 95% CI, the verdict
    against the MCID, magnitude, size and certainty; then blinding, harms, the four guidelines'
    own wording, mechanism plausibility and sources.
    """
    index = _index(ctx)
    doc = query.treatment_doc(index, query.resolve(index, treatment))
    _deliver([doc], fmt, as_json, plain, no_color, export, force)


@app.command(name="list", short_help="All treatments with their headline effect.")
def list_treatments(
    ctx: typer.Context,
    category: Annotated[
        Optional[str], typer.Option("--category", help="active, passive or comparator.", metavar="CATEGORY")
    ] = None,
    guideline: Annotated[
        Optional[list[str]],
        typer.Option(
            "--guideline",
            metavar="NAME=STANCE",
            help="Keep treatments with this guideline stance (for, against, not_addressed, unverified); "
            "repeatable, e.g. --guideline nice=against.",
        ),
    ] = None,
    min_certainty: Annotated[
        Optional[str],
        typer.Option("--min-certainty", metavar="LEVEL", help="high, moderate, low, very_low or insufficient."),
    ] = None,
    sort: Annotated[str, typer.Option("--sort", metavar="KEY", help="name, effect or certainty.")] = "name",
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Example: painsci list --category passive --guideline who=for --sort effect

    One row per treatment: headline effect vs control with its magnitude and MCID verdict, how
    long it lasted, the best certainty, and the four guidelines in one phrase.
    """
    index = _index(ctx)
    filters = ListFilter(
        category=_one_of("--category", category, ("active", "passive", "comparator")),
        guideline=tuple(_guideline_filter(index, g) for g in guideline or ()),
        min_certainty=_one_of("--min-certainty", min_certainty, CERTAINTY_LEVELS),
        sort=_sort_key(sort),
    )
    emit(query.list_doc(index, filters), choose(fmt, as_json, plain), no_color)


@app.command(short_help="2-6 treatments side by side.")
def compare(
    ctx: typer.Context,
    treatments: Annotated[
        list[str], typer.Argument(metavar="TREATMENT...", help="2 to 6 treatments.", autocompletion=_complete_treatment)
    ],
    with_plot: Annotated[
        bool, typer.Option("--plot", help="Add the forest plot of every finding (as 'painsci plot').")
    ] = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
    export: ExportOpt = None,
    force: ForceOpt = False,
) -> None:
    """Example: painsci compare massage tens acupuncture --plot

    One column per treatment, the same attributes as rows; the best value in each row is marked
    "(best)" in text, so it survives NO_COLOR. With --plot, the forest plot follows the table.
    """
    index = _index(ctx)
    docs: list[OutputDoc] = [query.compare_doc(index, treatments)]
    if with_plot:
        from . import plots

        docs.append(plots.plot_doc(index, treatments))
    _deliver(docs, fmt, as_json, plain, no_color, export, force)


@app.command(short_help="Forest plot and effect over time, drawn in the terminal.")
def plot(
    ctx: typer.Context,
    treatments: Annotated[
        list[str],
        typer.Argument(
            metavar="TREATMENT...",
            help="1 to 6 treatments; each brings its sub-types (massage: relaxation massage …).",
            autocompletion=_complete_treatment,
        ),
    ],
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
    export: ExportOpt = None,
    force: ForceOpt = False,
) -> None:
    """Example: painsci plot massage --export massage.svg

    Every between-group difference vs control as a point (●) with its 95% CI (├─┤), on one axis
    per scale (SMDs and ratios on their own), with the no-effect line (│) and the MCID line (┊);
    each line is labelled with its figures. Then, for outcomes measured at several time points,
    the difference over time, to show whether it fades after treatment ends.
    """
    from . import plots

    index = _index(ctx)
    _deliver([plots.plot_doc(index, treatments)], fmt, as_json, plain, no_color, export, force)


@app.command(short_help="A plain-language paragraph about one treatment.")
def explain(
    ctx: typer.Context,
    treatment: TreatmentArg,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Example: painsci explain massage

    Worded by GRADE certainty ("probably reduces", "may reduce", "very uncertain"), always naming
    the comparator and the time point, and saying why caution applies.
    """
    from .explain import explain as paragraph
    from .views import ExplainDoc

    index = _index(ctx)
    chosen = query.resolve(index, treatment)
    doc = ExplainDoc(*index.header(), kind="explanation", treatment=chosen.id, text=paragraph(index, chosen))
    emit(doc, choose(fmt, as_json, plain), no_color)


@app.command(short_help="Find treatments by name, alias, description or caveat.")
def search(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(metavar="TEXT...")],
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Example: painsci search sham

    Every word must appear in one field of a treatment (case-insensitive).
    """
    emit(query.search_doc(_index(ctx), " ".join(text)), choose(fmt, as_json, plain), no_color)


@app.command(short_help="What every term and badge means.")
def glossary(
    term: Annotated[Optional[str], typer.Argument(metavar="[TERM]")] = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Example: painsci glossary mcid

    MCID, SMD, between-group difference, blinding, sham, nonspecific effects, frustrebo, GRADE
    levels, guideline strength words, AHRQ magnitude classes: every badge the tables use.
    """
    from . import glossary as terms
    from .views import GlossaryDoc

    doc = GlossaryDoc(*_header(), kind="glossary", entries=terms.lookup(term))
    emit(doc, choose(fmt, as_json, plain), no_color)


def _deliver(
    docs: Sequence[OutputDoc],
    fmt: Optional[OutputFormat],
    as_json: bool,
    plain: bool,
    no_color: bool,
    export: Optional[Path],
    force: bool,
) -> None:
    """To the screen in the chosen format, or with --export to a file in the format its suffix names."""
    if export is None:
        emit_all(docs, choose(fmt, as_json, plain), no_color)
        return
    if fmt is not None or as_json or plain:
        raise UsageError("painsci: --export takes its format from the file suffix; drop --format/--json/--plain")
    from .export import export as write_file

    write_file(docs, export, force=force, color=not no_color)
    _stderr(f"painsci: wrote {visible(str(export))}")


def _header() -> tuple[int, str, str]:
    """The glossary reads no knowledge base, so its document's kb_reviewed is "n/a"."""
    from .views import OUTPUT_SCHEMA_VERSION

    return OUTPUT_SCHEMA_VERSION, __version__, "n/a"


@app.command(short_help="Citations, also as BibTeX or RIS.")
def sources(
    ctx: typer.Context,
    treatment: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[TREATMENT]",
            help="Only sources cited for this treatment (and its sub-types).",
            autocompletion=_complete_treatment,
        ),
    ] = None,
    fmt: Annotated[
        Optional[str],
        typer.Option("--format", "-f", metavar="FORMAT", help="table, plain, json, markdown, bibtex or ris."),
    ] = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Example: painsci sources acupuncture --format bibtex > acupuncture.bib

    The citation registry with PMID and DOI, for one treatment or all.
    """
    index = _index(ctx)
    doc = query.sources_doc(index, query.resolve(index, treatment) if treatment is not None else None)
    if fmt in ("bibtex", "ris"):
        from .render import bib

        if as_json or plain:
            raise UsageError(f"painsci: conflicting output options: --format {fmt} with --json/--plain")
        write(bib.bibtex(doc) if fmt == "bibtex" else bib.ris(doc))
        return
    emit(doc, choose(_format(fmt), as_json, plain), no_color)


@app.command(short_help="Which treatments lack between-group figures, and why.")
def coverage(
    ctx: typer.Context,
    missing: Annotated[bool, typer.Option("--missing", help="Only treatments without a numeric figure.")] = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    plain: PlainOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Example: painsci coverage --missing

    Per treatment: how many findings carry a between-group figure, how many only a direction,
    how many within-group changes (never effects), and the knowledge base's reason when there is
    no figure ("no trial in the knowledge base ...").
    """
    emit(query.coverage_doc(_index(ctx), missing), choose(fmt, as_json, plain), no_color)


@app.command(short_help="Check a knowledge base file.")
def validate(
    ctx: typer.Context,
    path: Annotated[
        Optional[Path],
        typer.Argument(metavar="[PATH]", help="Default: --data, PAINSCI_DATA, or the bundled knowledge base."),
    ] = None,
) -> None:
    """Example: painsci validate my-colleagues-kb.yaml

    Prints FILE:LINE: field: problem for every problem at once; exit 65 when invalid, 66 when
    the file is missing or unreadable.
    """
    target = path if path is not None else locate(ctx.obj)
    checked = kb.load_uncached(kb.read_bytes(target), str(target))
    findings = sum(len(t.findings) for t in checked.treatments)
    write(
        f"{visible(str(target))}: valid: {len(checked.treatments)} treatments, {findings} findings, "
        f"{len(checked.sources)} sources (reviewed {checked.reviewed})\n"
    )


@app.command(short_help="JSON Schema of the KB format, or of the --json output.")
def schema(
    output: Annotated[
        bool, typer.Option("--output", help="Schema of the --json output documents instead of the KB format.")
    ] = False,
) -> None:
    """Example: painsci schema --output > painsci-output.schema.json

    Without --output: the JSON Schema of data/treatments.yaml, for editors and validators.
    """
    import json

    from .schemas import kb_schema, output_schema

    write(json.dumps(output_schema() if output else kb_schema(), indent=2, ensure_ascii=True) + "\n")


# --------------------------------------------------------------------------- option parsing


def _one_of(option: str, value: Optional[str], allowed: tuple[str, ...]) -> Optional[str]:
    if value is None or value in allowed:
        return value
    raise UsageError(f"painsci: {option} must be one of {', '.join(allowed)}; got {printable(value)}")


def _sort_key(value: str) -> SortKey:
    if value in ("name", "effect", "certainty"):
        return value  # type: ignore[return-value]
    raise UsageError(f"painsci: --sort must be one of name, effect, certainty; got {printable(value)}")


def _format(value: Optional[str]) -> Optional[OutputFormat]:
    if value is None:
        return None
    try:
        return OutputFormat(value)
    except ValueError:
        raise UsageError(
            f"painsci: --format must be one of table, plain, json, markdown, bibtex, ris; got {printable(value)}"
        ) from None


def _guideline_filter(index: Index, text: str) -> tuple[str, str]:
    name, sep, stance = text.partition("=")
    stance = stance.strip().replace(" ", "_")
    stances = ("for", "against", "not_addressed", "unverified")
    if not sep or stance not in stances:
        raise UsageError(
            f"painsci: --guideline takes NAME=STANCE with STANCE one of {', '.join(stances)}; got {printable(text)}"
        )
    return query.guideline_id(index, name), stance


def run(argv: list[str]) -> None:
    """Run the app, building only the command the command line asks for.

    Typer turns every registered command's signature into click parameters before parsing
    (~0.5 ms each); a lookup needs one. Help, completion and anything unusual get the full app.
    """
    wanted = _requested_command(argv)
    if wanted is not None and not os.environ.get("_PAINSCI_COMPLETE"):
        chosen = [c for c in app.registered_commands if _command_name(c) == wanted]
        if chosen:
            app.registered_commands = chosen
    app(args=argv, prog_name="painsci")


def _command_name(info: Any) -> str:
    callback = info.callback
    return str(info.name or (callback.__name__.lower().replace("_", "-") if callback else ""))


def _requested_command(argv: list[str]) -> str | None:
    """The subcommand named on the line, or None for help, version or anything unclear."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--data":
            if not rest:
                return None
            rest.pop(0)
        elif word.startswith("--data="):
            continue
        elif word.startswith("-"):
            return None  # --help, --version, -h, or an option we do not know: let Typer decide
        else:
            return None if {"--help", "-h"} & set(rest) else word
    return None
