"""Every command x output format, the JSON contract, names, widths and the piped-output rules."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from painsci_cli.render import Format

Invoke = Callable[..., Any]
PAINSCI = Path(sys.executable).with_name("painsci")
ANSI = re.compile(r"\x1b[\[\]]")
COMMANDS = [
    ("list",),
    ("list", "--category", "passive", "--sort", "effect"),
    ("list", "--guideline", "who=for", "--min-certainty", "low", "--sort", "certainty"),
    ("show", "acupuncture"),
    ("show", "massage"),
    ("compare", "massage", "tens"),
    ("compare", "massage", "tens", "acupuncture", "yoga", "cbt", "heat"),
    ("explain", "massage"),
    ("explain", "thai-massage"),
    ("search", "sham"),
    ("glossary",),
    ("glossary", "mcid"),
    ("sources", "acupuncture"),
    ("sources",),
    ("coverage",),
    ("coverage", "--missing"),
]


@cache
def output_schema() -> dict[str, Any]:
    from painsci_cli.schemas import output_schema as build

    return build()


def test_every_format_is_wired() -> None:
    """A new Format member must appear here, so it cannot be half-added."""
    assert [f.value for f in Format] == ["table", "plain", "csv", "json", "markdown", "svg", "html", "bibtex", "ris"]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["table", "plain", "json", "markdown"])
def test_every_command_in_every_format(invoke: Invoke, command: tuple[str, ...], fmt: str) -> None:
    result = invoke(*command, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if not line.startswith("painsci: guideline filters read")]
    assert notes == []
    assert result.stdout.strip()
    assert not ANSI.search(result.stdout)  # NO_COLOR is set by conftest
    if fmt == "json":
        document = json.loads(result.stdout)
        assert (document["schema_version"], document["schema_minor"]) == (1, 3)
        jsonschema.validate(document, output_schema())
    if fmt == "plain":  # a true table: a header row, then the same number of fields in every row
        assert "─" not in result.stdout and "│" not in result.stdout
        fields = {line.count("\t") for line in result.stdout.splitlines()}
        assert len(fields) == 1, fields
        assert not result.stdout.startswith("#")


@pytest.mark.parametrize("fmt", ["bibtex", "ris"])
def test_citations_for_reference_managers(invoke: Invoke, fmt: str) -> None:
    result = invoke("sources", "acupuncture", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "bibtex":
        assert "@article{cherkin-2009," in result.stdout
        assert "doi = {10.1001/archinternmed.2009.65}" in result.stdout
    else:
        assert "ID  - cherkin-2009" in result.stdout
        assert "AN  - PMID:19433697" in result.stdout


@pytest.mark.parametrize(
    ("typed", "resolved"),
    [
        ("TENS", "tens"),
        ("Swedish Massage", "relaxation-massage"),
        ("swedish-massage", "relaxation-massage"),
        ("tai chi", "tai-chi"),
        ("acupunc", "acupuncture"),
        ("Chiropractic", "spinal-manipulation"),
    ],
)
def test_names_in_any_form(invoke: Invoke, typed: str, resolved: str) -> None:
    result = invoke("show", typed, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["treatment"]["id"] == resolved


@pytest.mark.parametrize(
    ("typed", "stderr"),
    [
        (
            "acupunture",
            "painsci: unknown treatment 'acupunture'; did you mean 'acupuncture', 'simulated-acupuncture' "
            "or 'acupressure'? (see 'painsci list')\n",
        ),
        (
            "st",
            "painsci: 'st' matches 8 treatments: 'static-magnets', 'strength-training', 'stretching' and 5 more; "
            "type more of the name\n",
        ),
    ],
)
def test_unknown_or_ambiguous_name_exits_2(invoke: Invoke, typed: str, stderr: str) -> None:
    result = invoke("show", typed)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_json_carries_verdicts_and_provenance(invoke: Invoke) -> None:
    doc = json.loads(invoke("show", "acupuncture", "--json").stdout)
    assert doc["kind"] == "treatment"
    assert {"source", "locator", "reading"} <= set(doc["treatment"]["findings"][0]["cite"])
    assert len(doc["assessments"]) == len(doc["treatment"]["findings"])
    assert {"mcid", "magnitude", "time_window", "blinding_risk", "benefit"} <= set(doc["assessments"][0])
    assert any(s["id"] == "cherkin-2009" and s["pmid"] == "19433697" for s in doc["sources"])


def test_list_filters(invoke: Invoke) -> None:
    doc = json.loads(invoke("list", "--category", "active", "--json").stdout)
    assert doc["treatments"] and {t["category"] for t in doc["treatments"]} == {"active"}
    against = json.loads(invoke("list", "--guideline", "nice=against", "--json").stdout)
    assert "tens" in {t["id"] for t in against["treatments"]}
    assert all(t["guidelines"]["stances"]["nice-ng59"] == "against" for t in against["treatments"])


def test_compare_marks_best_only_like_with_like(invoke: Invoke) -> None:
    """Massage's answer is against inactive controls, TENS's against sham: nothing to rank."""
    doc = json.loads(invoke("compare", "massage", "tens", "--json").stdout)
    assert all(key.split(":")[0] in ("effect", "certainty") for key in doc["best"])
    assert not any(key.startswith("effect:") for key in doc["best"])
    assert "guidelines" not in doc["best"]
    same_unit = json.loads(invoke("compare", "relaxation-massage", "structural-massage", "--json").stdout)
    units = {a["unit"] for r in same_unit["treatments"] for a in r["answers"] if a["question"] == "pragmatic"}
    assert units == {"md:rdq-23"}


@pytest.mark.parametrize("columns", ["80", "120"])
def test_compare_three_never_cuts_a_number(invoke: Invoke, columns: str) -> None:
    names = ("massage", "tens", "acupuncture")
    result = invoke("compare", *names, "--format", "table", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)
    doc = json.loads(invoke("compare", *names, "--json").stdout)
    text = " ".join(result.stdout.split())
    checked = 0
    for row in doc["treatments"]:
        findings = {f["id"]: f for f in json.loads(invoke("show", row["id"], "--json").stdout)["treatment"]["findings"]}
        for answer in row["answers"]:
            effect = findings.get(answer["finding"], {}).get("effect")
            if effect is None or effect["ci95"] is None:
                continue
            for bound in (effect["ci95"]["lower"], effect["ci95"]["upper"], effect["estimate"]):
                assert re.search(rf"(?<![\d.]){re.escape(repr(bound))}(?![\d])", text), (columns, bound)
                checked += 1
    assert checked >= 6
    assert "…" not in result.stdout


def test_explain_opens_with_the_bottom_line_and_puts_sham_first(invoke: Invoke) -> None:
    text = json.loads(invoke("explain", "acupuncture", "--json").stdout)["text"]
    assert text.startswith("Bottom line for chronic low back pain: little or no better than sham")
    assert text.index("Against sham acupuncture") < text.index("Against usual care")
    assert "acupuncture may reduce pain by 10.26 points" in text  # low certainty: "may"
    assert "the control group knew it got no treatment, so this is an upper bound" in text


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("relaxation-massage", "in a source that did not rate its certainty, relaxation massage improved function"),
        ("tens", "Conflicting evidence about whether TENS reduces back pain intensity compared with placebo"),
        # high certainty, but 4.16/100 is below the smallest size class: GRADE 26 "little or no difference"
        (
            "spinal-manipulation",
            "spinal manipulation makes little or no difference to pain (a difference of 4.16 points",
        ),
    ],
)
def test_explain_speaks_grade(invoke: Invoke, name: str, phrase: str) -> None:
    assert phrase in invoke("explain", name, "--plain").stdout


def test_explain_without_figures_says_so_and_names_the_other_phase(invoke: Invoke) -> None:
    text = invoke("explain", "thai-massage", "--plain").stdout
    assert "Bottom line for chronic low back pain: not studied" in text
    heat = invoke("explain", "heat", "--plain").stdout
    # acute heat: the sham-controlled blanket trial (90 people) speaks before the heat-wrap trials,
    # whose participants knew they were heated (an oral placebo): SYNTHESIS.md §1
    assert "For acute pain: very uncertain (painsci explain heat --phase acute)." in heat


def test_help_leads_with_an_example_and_keeps_brackets(invoke: Invoke) -> None:
    for command in (
        "show",
        "list",
        "compare",
        "explain",
        "search",
        "glossary",
        "sources",
        "validate",
        "schema",
        "coverage",
        "plot",
    ):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        description = result.stdout.split("\n\n")[1].strip()
        assert description.startswith("Example: painsci"), command
    assert "[TERM]" in invoke("glossary", "--help").stdout


def run_installed(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PAINSCI), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_piped_output_is_plain_and_uncoloured() -> None:
    done = run_installed("compare", "massage", "tens", env={"NO_COLOR": "", "TERM": "xterm-256color"})
    assert done.returncode == 0, done.stderr
    assert not ANSI.search(done.stdout)
    assert done.stdout.startswith("id\tname\tphase\tbottom_line\tvs_sham\tvs_usual_care\tvs_other\t")
    assert done.stdout.count("\n") == 3  # the header and one row per treatment


def test_json_document_parses_from_the_installed_command() -> None:
    done = run_installed("show", "acupuncture", "--json")
    assert done.returncode == 0, done.stderr
    jsonschema.validate(json.loads(done.stdout), output_schema())


@pytest.mark.parametrize("command", ["list", "show acupuncture", "glossary"])
def test_closed_pipe_is_silent(command: str, tmp_path: Path) -> None:
    errors = tmp_path / "stderr"
    script = f"set -o pipefail; '{PAINSCI}' {command} 2>'{errors}' | head -c 10 >/dev/null"
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode in (0, 141)
    assert errors.read_text() == ""


def test_coverage_names_every_treatment_without_figures_and_why(invoke: Invoke) -> None:
    doc = json.loads(invoke("coverage", "--missing", "--json").stdout)
    assert doc["kind"] == "coverage"
    rows = {r["id"]: r for r in doc["treatments"]}
    assert set(doc["without_figures"]) == set(rows)
    assert {"thai-massage", "cold", "relaxation-techniques", "biofeedback"} <= set(rows)
    assert not {"relaxation-massage", "yoga", "acupressure", "bed-rest"} & set(rows)
    assert all(r["figures"] == 0 and r["gap"] for r in rows.values())
    assert rows["relaxation-techniques"]["direction_only"] > 0
    full = json.loads(invoke("coverage", "--json").stdout)
    assert len(full["treatments"]) == 48


def test_ctrl_c_exits_130_without_a_traceback(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    from painsci_cli import documents

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(documents, "list_doc", interrupted)
    result = invoke("list")
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_direction_only_rows_have_no_size_class(invoke: Invoke) -> None:
    text = invoke("show", "relaxation-massage", "--section", "effects", "--plain").stdout
    header, *rows = (line.split("\t") for line in text.splitlines())
    assert header == ["outcome", "vs", "when", "effect (95% CI)", "certainty", "finding", "details"]
    direction_only = [row for row in rows if "[" not in row[3]]
    assert len(direction_only) >= 3
    for row in direction_only:
        assert "result: " in row[-1] and "magnitude:" not in row[-1]
    assert any("magnitude: moderate" in row[-1] for row in rows if "[" in row[3])


def test_every_word_of_the_bottom_line_has_a_glossary_entry(invoke: Invoke) -> None:
    """A badge nobody explains confuses: every verdict, reason code and flag is in the glossary."""
    from typing import get_args

    from painsci_cli.bottom_line import REASONS
    from painsci_cli.glossary import ENTRIES
    from painsci_cli.profile import Flag, Verdict
    from painsci_cli.render.layout import FLAG_WORDS

    terms = {e.term for e in ENTRIES}
    assert set(get_args(Verdict)) <= terms
    assert set(REASONS) <= terms
    assert {FLAG_WORDS[f] for f in get_args(Flag) if f != "not_rated"} <= terms
    for word in ("little or no better than sham", "sham_did_as_well", "unblinded control"):
        result = invoke("glossary", word, "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["entries"][0]["term"] == word
