"""The commands. Each reads like a sentence: load the knowledge base, build a document, deliver it.

Domain logic lives in documents.py and below, output in output.py and render/, failures are
turned into messages and exit codes once, in edge.py.
"""

# No `from __future__ import annotations`: Typer then reads evaluated annotations, not strings.

from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__, documents
from .choices import Category, Certainty, Comparator, PainPhase, Section, Sort
from .documents import ListFilter
from .edge import PainsciGroup, run_only
from .errors import UsageError
from .load import load
from .load.store import Store
from .lookup import resolve
from .options import PhaseOpt, TreatmentArg, complete_treatment, guideline_filter, output_options, page_options
from .output import Output, PageOutput, deliver, hand_out, write

app = typer.Typer(
    name="painsci",
    cls=PainsciGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


DEFAULT_SORT = Sort("name")
CHRONIC = PainPhase("chronic")


def _store(ctx: typer.Context) -> Store:
    return load(ctx.obj)


@app.command(short_help="One treatment: a one-screen summary, --full for the whole record.")
@output_options
def show(
    ctx: typer.Context,
    treatment: TreatmentArg,
    output: Output,
    full: Annotated[bool, typer.Option("--full", help="The whole record, Summary-of-Findings style.")] = False,
    section: Annotated[
        Optional[list[Section]],
        typer.Option("--section", case_sensitive=False, help="Only this part; repeatable."),
    ] = None,
    phase: PhaseOpt = CHRONIC,
) -> None:
    """Example: painsci show massage --section guidelines

    The summary card: the bottom line and why, the key figures (against sham first) with their
    comparator, time, own certainty and flags, how long it lasted, harms, each guideline in a
    line, the caveats that matter most, the sub-types. --full adds every finding with its
    details, blinding, the guidelines' own wording, mechanism, cost and sources.
    """
    store = _store(ctx)
    document = documents.treatment_doc(store, resolve(store, treatment), phase.value)  # type: ignore[arg-type]
    view = output.viewing("full" if full else "card", tuple(s.value for s in section or ()))
    deliver([document], view)


@app.command(name="list", short_help="All treatments with their bottom line.")
@output_options
def list_treatments(
    ctx: typer.Context,
    output: Output,
    category: Annotated[
        Optional[Category], typer.Option("--category", case_sensitive=False, help="Only this category.")
    ] = None,
    guideline: Annotated[
        Optional[list[str]],
        typer.Option(
            "--guideline",
            metavar="NAME=STANCE",
            help="Keep treatments with this guideline position for the --phase: for, against, "
            "not_addressed, unverified, or a strength such as open-for, weak-for, strong-against; "
            "repeatable, e.g. --guideline nice=against --guideline nvl=strong-for.",
        ),
    ] = None,
    min_certainty: Annotated[
        Optional[Certainty],
        typer.Option("--min-certainty", case_sensitive=False, help="Only findings rated at least this certain."),
    ] = None,
    sort: Annotated[
        Sort,
        typer.Option(
            "--sort",
            case_sensitive=False,
            help="name; bottom-line (the verdict, then the size of the effect answering the same "
            "question; 'effect' is the same order); certainty (the key finding's own).",
        ),
    ] = DEFAULT_SORT,
    phase: PhaseOpt = CHRONIC,
) -> None:
    """Example: painsci list --category passive --guideline who=for --sort bottom-line

    One row per treatment: the bottom line for the phase of pain, the key figure against its
    control, that figure's own certainty, how long a benefit lasted, and the four guidelines.
    """
    store = _store(ctx)
    filters = ListFilter(
        category=category.value if category else None,
        guideline=tuple(guideline_filter(store, g) for g in guideline or ()),
        min_certainty=min_certainty.value if min_certainty else None,
        sort=sort.value,  # type: ignore[arg-type]
        phase=phase.value,  # type: ignore[arg-type]
    )
    deliver([documents.list_doc(store, filters)], output)


@app.command(short_help="2-6 treatments side by side.")
@output_options
def compare(
    ctx: typer.Context,
    treatments: Annotated[
        list[str], typer.Argument(metavar="TREATMENT...", help="2 to 6 treatments.", autocompletion=complete_treatment)
    ],
    output: Output,
    with_plot: Annotated[
        bool, typer.Option("--plot", help="Add the forest plot of every finding (as 'painsci plot').")
    ] = False,
    phase: PhaseOpt = CHRONIC,
) -> None:
    """Example: painsci compare massage tens acupuncture --plot

    Head-to-head findings first, then one column per treatment: the bottom line, and each
    question answered separately (vs sham, vs usual care, vs other treatments), so like is only
    ever compared with like; "(best)" marks a value only within one question and one unit.
    """
    from . import plots

    store = _store(ctx)
    comparison = documents.compare_doc(store, treatments, phase.value)  # type: ignore[arg-type]
    deliver([comparison, plots.plot_doc(store, treatments)] if with_plot else [comparison], output)


@app.command(short_help="Forest plot and effect over time, drawn in the terminal.")
@output_options
def plot(
    ctx: typer.Context,
    treatments: Annotated[
        list[str],
        typer.Argument(
            metavar="TREATMENT...",
            help="1 to 6 treatments; each brings its sub-types (massage: relaxation massage …).",
            autocompletion=complete_treatment,
        ),
    ],
    output: Output,
) -> None:
    """Example: painsci plot massage --export massage.svg

    Every between-group difference vs control as a point (●) with its 95% CI (├─┤), on one axis
    per scale (SMDs and ratios on their own), with the no-effect line (│) and the MCID line (┊);
    each line is labelled with its figures. Then, for outcomes measured at several time points,
    the difference over time, to show whether it fades after treatment ends. Where a trial
    printed each arm's improvement (acupuncture), a bar per arm with the gap to the treated arm
    (░) and how much of its improvement also happened in the control arm.
    """
    from . import plots

    deliver([plots.plot_doc(_store(ctx), treatments)], output)


@app.command(short_help="A plain-language paragraph about one treatment.")
@output_options
def explain(ctx: typer.Context, treatment: TreatmentArg, output: Output, phase: PhaseOpt = CHRONIC) -> None:
    """Example: painsci explain massage

    The bottom line first, then the sham-controlled result, the comparison with usual care (an
    upper bound) and with other treatments, each worded by its own GRADE certainty ("probably
    reduces", "may reduce", "very uncertain") with comparator and time point; then how long it
    lasted, the mechanism and the guidelines with their strength and conditions.
    """
    store = _store(ctx)
    deliver([documents.explain_doc(store, resolve(store, treatment), phase.value)], output)  # type: ignore[arg-type]


@app.command(short_help="A page for the patient in plain words, to print or hand out.")
@page_options
def handout(
    ctx: typer.Context,
    treatments: Annotated[
        list[str], typer.Argument(metavar="TREATMENT...", help="1 to 6 treatments.", autocompletion=complete_treatment)
    ],
    page: PageOutput,
    phase: PhaseOpt = CHRONIC,
) -> None:
    """Example: painsci handout massage tens --export handout.html

    For each treatment, in short sentences and without statistics: what it is, whether it helps
    compared with a fake (sham) version and with doing nothing, how much (points on a 0 to 10
    scale, "about N in 100 more people" where the figures allow), for how long, what can go
    wrong and how often, and what the guidelines say; then what patients can do themselves. It
    says no more than the bottom line of painsci show. The HTML page is self-contained and prints
    on A4 or Letter, with the date, the knowledge base's review date and painsci's version.
    """
    from .handout import handout_doc
    from .provenance import today

    hand_out(handout_doc(_store(ctx), treatments, phase.value, today()), page)  # type: ignore[arg-type]


@app.command(short_help="Find treatments by name, alias, description or caveat.")
@output_options
def search(ctx: typer.Context, text: Annotated[list[str], typer.Argument(metavar="TEXT...")], output: Output) -> None:
    """Example: painsci search sham

    Every word must appear in one field of a treatment (case-insensitive).
    """
    deliver([documents.search_doc(_store(ctx), " ".join(text))], output)


@app.command(short_help="What every term and badge means.")
@output_options
def glossary(output: Output, term: Annotated[Optional[str], typer.Argument(metavar="[TERM]")] = None) -> None:
    """Example: painsci glossary mcid

    MCID, SMD, between-group difference, blinding, sham, nonspecific effects, frustrebo, GRADE
    levels, guideline strength words, AHRQ magnitude classes: every badge the tables use.
    """
    deliver([documents.glossary_doc(term)], output)


@app.command(short_help="Citations, also as BibTeX or RIS.")
@output_options
def sources(
    ctx: typer.Context,
    output: Output,
    treatment: Annotated[
        Optional[str],
        typer.Argument(
            metavar="[TREATMENT]",
            help="Only sources cited for this treatment (and its sub-types).",
            autocompletion=complete_treatment,
        ),
    ] = None,
) -> None:
    """Example: painsci sources acupuncture --format bibtex > acupuncture.bib

    The citation registry with PMID and DOI, for one treatment or all.
    """
    store = _store(ctx)
    deliver([documents.sources_doc(store, resolve(store, treatment) if treatment is not None else None)], output)


@app.command(short_help="Which treatments lack between-group figures, and why.")
@output_options
def coverage(
    ctx: typer.Context,
    output: Output,
    missing: Annotated[bool, typer.Option("--missing", help="Only treatments without a numeric figure.")] = False,
) -> None:
    """Example: painsci coverage --missing

    Per treatment: how many findings carry a between-group figure, how many only a direction,
    how many within-group changes (never effects), and the knowledge base's reason when there is
    no figure ("no trial in the knowledge base ...").
    """
    deliver([documents.coverage_doc(_store(ctx), missing)], output)


@app.command(short_help="Every finding of the knowledge base in one table, for a spreadsheet.")
@output_options
def findings(
    ctx: typer.Context,
    output: Output,
    treatment: Annotated[
        Optional[list[str]],
        typer.Option(
            "--treatment",
            "-t",
            metavar="TREATMENT",
            help="Only this treatment (with its sub-types); repeatable.",
            autocompletion=complete_treatment,
        ),
    ] = None,
    comparator: Annotated[
        Optional[list[Comparator]],
        typer.Option("--comparator", case_sensitive=False, help="Only findings against this kind of control."),
    ] = None,
    phase: Annotated[
        Optional[PainPhase], typer.Option("--phase", case_sensitive=False, help="Only findings for this phase.")
    ] = None,
    numeric: Annotated[
        bool, typer.Option("--numeric", help="Only findings with a figure (with --harms: only rates as numbers).")
    ] = False,
    harms: Annotated[
        bool,
        typer.Option("--harms", help="One row per harm rate instead: per 100 … per million, as the source counted."),
    ] = False,
) -> None:
    """Example: painsci findings --comparator sham --format csv > sham.csv

    One row per finding: treatment, outcome, scale, comparator, time, measure, estimate, CI,
    what it shows, MCID verdict, size class, certainty, flags, source and locator. With --harms,
    one row per harm rate: the harm, serious or not, the arm, the rate on the basis the source
    counted on (events per 100 … per million, range, CI, events/total), as printed, and its source.
    """
    store = _store(ctx)
    found = documents.findings_doc(
        store,
        treatment or (),
        tuple(c.value for c in comparator or ()),
        phase.value if phase else None,  # type: ignore[arg-type]
        numeric,
        harms,
    )
    deliver([found], output)


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
    from .charset import visible_path
    from .load import load_uncached, read_bytes
    from .load.locate import locate

    target = path if path is not None else locate(ctx.obj)
    checked = load_uncached(read_bytes(target), str(target))
    findings = sum(len(t.findings) for t in checked.treatments)
    write(
        f"{visible_path(target)}: valid: {len(checked.treatments)} treatments, {findings} findings, "
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


def run(argv: list[str]) -> None:
    """Run the app, building only the command the command line asks for (see edge.run_only)."""
    run_only(app, argv)
