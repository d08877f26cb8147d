"""Pins options.py: the output options are defined once and every document command has exactly them.

Each decorated command's --help lists --format/-f, --json, --plain, --no-color, --export FILE and
--force beside its own options, and nothing else; commands that print no document have none of
them; the decorator hands the command one `Output` built from what was typed.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable

import pytest
from typer.testing import Result

from helpers import MINI
from painsci_cli.options import OUTPUT_PARAMETERS, output_options
from painsci_cli.output import Output
from painsci_cli.render import Format

Invoke = Callable[..., Result]

SHARED = {"--format", "-f", "--json", "--plain", "--no-color", "--export", "--force", "--no-pager"}
OWN = {
    "show": {"--full", "--section", "--phase"},
    "list": {"--category", "--guideline", "--min-certainty", "--sort", "--phase"},
    "compare": {"--plot", "--phase"},
    "plot": set(),
    "explain": {"--phase"},
    "findings": {"--treatment", "-t", "--comparator", "--phase", "--numeric", "--harms"},
    "search": set(),
    "glossary": set(),
    "sources": set(),
    "coverage": {"--missing"},
}
WITHOUT_OUTPUT = {"validate": set(), "schema": {"--output"}}
PAGE = {"handout": {"--export", "--force", "--format", "-f", "--paper", "--no-pager", "--phase"}}
"""Commands that print a page for a person (options.page_options), not a document."""
HELP = {"--help", "-h"}


def options_in_help(text: str) -> set[str]:
    """Every option name the Options section of a --help lists."""
    section = text.split("Options:", 1)[1]
    found: set[str] = set()
    for line in section.splitlines():
        match = re.match(r"^  (-\w)?(?:, )?(--[\w-]+)?", line)
        if match:
            found.update(name for name in match.groups() if name)
    return found


@pytest.mark.parametrize("command", sorted(OWN))
def test_document_commands_have_exactly_the_shared_options(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0, result.stderr
    assert options_in_help(result.stdout) == SHARED | OWN[command] | HELP


@pytest.mark.parametrize("command", sorted(WITHOUT_OUTPUT))
def test_other_commands_have_none_of_them(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert options_in_help(result.stdout) == WITHOUT_OUTPUT[command] | HELP


def test_every_command_is_accounted_for(invoke: Invoke) -> None:
    listed = [line.split()[0] for line in invoke("--help").stdout.split("Commands:", 1)[1].strip().splitlines()]
    assert sorted(listed) == sorted({*OWN, *WITHOUT_OUTPUT, *PAGE})


def test_the_handout_has_the_page_options_and_no_data_formats(invoke: Invoke) -> None:
    result = invoke("handout", "--help")
    assert result.exit_code == 0, result.stderr
    assert options_in_help(result.stdout) == PAGE["handout"] | HELP
    assert "<text|markdown|html>" in result.stdout or "[text|markdown|html]" in result.stdout


def test_the_shared_help_text(invoke: Invoke) -> None:
    text = " ".join(invoke("show", "--help").stdout.split())
    # typer 0.26 brackets the values [a|b], later releases <a|b>
    assert re.search(r"-f, --format [<[]table\|plain\|csv\|json\|markdown\|svg\|html\|bibtex\|ris[>\]] ", text)
    for fragment in (
        "Output format (default: table on a terminal, plain when piped).",
        "--json Same as --format json: the versioned JSON document.",
        "--plain Same as --format plain: tab-separated, no colour.",
        "--no-color No colour (also: NO_COLOR, TERM=dumb).",
        "--export FILE Write to FILE instead of the screen, in the format its suffix names (.svg, .html, .md, "
        ".json, .txt; .bib and .ris for sources).",
        "--no-pager Print straight to the terminal",
        "--force With --export: replace FILE if it exists.",
    ):
        assert fragment in text


@pytest.mark.parametrize("spelling", ["json", "JSON", "Json"])
def test_format_takes_any_case(invoke: Invoke, spelling: str) -> None:
    result = invoke("--data", str(MINI), "show", "massage", "--format", spelling)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith('{"schema_version":')


def test_short_format_option(invoke: Invoke) -> None:
    result = invoke("--data", str(MINI), "glossary", "mcid", "-f", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith("## ")


def test_a_bad_format_lists_the_formats(invoke: Invoke) -> None:
    result = invoke("--data", str(MINI), "show", "massage", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "painsci: Invalid value for '--format' / '-f': 'pdf' is not one of 'table', 'plain', 'csv', 'json', "
        "'markdown', 'svg', 'html', 'bibtex', 'ris'. (see 'painsci show --help')\n"
    )


# --------------------------------------------------------------------------- the decorator itself


def test_the_parameters_are_the_output_fields() -> None:
    assert list(OUTPUT_PARAMETERS) == ["fmt", "as_json", "plain", "no_color", "export", "force", "no_pager"]
    assert list(OUTPUT_PARAMETERS) == list(Output.__record_fields__)[: len(OUTPUT_PARAMETERS)]
    assert {name: default for name, (_, default) in OUTPUT_PARAMETERS.items()} == {
        "fmt": None,
        "as_json": False,
        "plain": False,
        "no_color": False,
        "export": None,
        "force": False,
        "no_pager": False,
    }


def test_the_decorated_signature_replaces_output_by_the_options() -> None:
    def command(name: str, output: Output, count: int = 1) -> None:
        """Doc."""

    decorated = output_options(command)
    parameters = inspect.signature(decorated).parameters
    assert list(parameters) == ["name", "count", "fmt", "as_json", "plain", "no_color", "export", "force", "no_pager"]
    assert all(parameters[p].kind is inspect.Parameter.KEYWORD_ONLY for p in OUTPUT_PARAMETERS)
    assert decorated.__name__ == "command"
    assert decorated.__doc__ == "Doc."
    assert set(decorated.__annotations__) == set(parameters)


def test_the_command_receives_one_output() -> None:
    received: list[tuple[str, Output]] = []

    @output_options
    def command(name: str, output: Output) -> None:
        received.append((name, output))

    command(
        "tens", fmt=Format.markdown, as_json=False, plain=True, no_color=True, export=None, force=True, no_pager=True
    )
    assert received == [("tens", Output(fmt=Format.markdown, plain=True, no_color=True, force=True, no_pager=True))]
