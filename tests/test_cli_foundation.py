"""validate, schema, --data / PAINSCI_DATA, exit codes, and the package as installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from helpers import MINI, REPO, line_of
from painsci_cli import __version__
from painsci_cli.load import locate

PAINSCI = Path(sys.executable).with_name("painsci")


def test_validate_bundled_kb(invoke: Callable[..., object]) -> None:
    result = invoke("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{locate.bundled_path()}: valid: ")


def test_validate_reports_file_line_and_exit_65(
    invoke: Callable[..., object], write_kb: Callable[..., Path], mini_text: str
) -> None:
    text = mini_text.replace(
        "    category: passive\n    aliases: [massage therapy]", "    category: pasive\n    aliases: [massage therapy]"
    )
    path = write_kb(text)
    result = invoke("--data", str(path), "validate")
    assert result.exit_code == 65
    assert result.stdout == ""
    assert result.stderr == (
        f"{path}:{line_of(text, 'category: pasive')}: treatments[1].category: 'pasive' is not "
        "allowed; input should be 'active', 'passive' or 'comparator'\n"
    )


def test_validate_takes_a_path_argument(invoke: Callable[..., object]) -> None:
    result = invoke("validate", str(MINI))
    assert result.exit_code == 0
    assert result.stdout == f"{MINI}: valid: 3 treatments, 1 findings, 2 sources (reviewed 2026-11-22)\n"


def test_missing_kb_exits_66(invoke: Callable[..., object], tmp_path: Path) -> None:
    result = invoke("--data", str(tmp_path / "gone.yaml"), "list")
    assert result.exit_code == 66
    assert result.stderr == f"{tmp_path / 'gone.yaml'}: knowledge base not found\n"


def test_environment_variable_selects_the_kb(invoke: Callable[..., object]) -> None:
    result = invoke("list", "--json", env={"PAINSCI_DATA": str(MINI)})
    assert result.exit_code == 0
    assert [t["id"] for t in json.loads(result.stdout)["treatments"]] == ["massage", "relaxation-massage", "usual-care"]


def test_data_option_beats_the_environment(invoke: Callable[..., object], tmp_path: Path) -> None:
    result = invoke("--data", str(MINI), "list", "--json", env={"PAINSCI_DATA": str(tmp_path / "gone.yaml")})
    assert result.exit_code == 0


def test_kb_schema_accepts_the_kb_and_rejects_a_typo(invoke: Callable[..., object]) -> None:
    import yaml

    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    document = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    document["treatments"][0]["evidense_gap"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


def test_output_schema_is_a_different_document(invoke: Callable[..., object]) -> None:
    result = invoke("schema", "--output")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "painsci --json output, schema_version 1"
    kinds = {ref["$ref"].rsplit("/", 1)[-1] for ref in schema["anyOf"]}
    assert kinds == {
        "TreatmentDoc",
        "ListDoc",
        "CompareDoc",
        "ExplainDoc",
        "SearchDoc",
        "GlossaryDoc",
        "SourcesDoc",
        "PlotDoc",
        "CoverageDoc",
        "FindingsDoc",
    }


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (("shw", "massage"), "painsci: No such command 'shw'. Did you mean 'show'? (see 'painsci --help')\n"),
        (
            ("show", "massage", "--jsn"),
            "painsci: No such option: --jsn (Possible options: --json) (see 'painsci show --help')\n",
        ),
        (
            ("list", "--sort", "size"),
            "painsci: Invalid value for '--sort': 'size' is not one of 'name', 'bottom-line', 'effect', "
            "'certainty'. "
            "(see 'painsci list --help')\n",
        ),
        (
            ("show", "massage", "--json", "--format", "markdown"),
            "painsci: conflicting output options: --format json and --format markdown\n",
        ),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(
    invoke: Callable[..., object], args: tuple[str, ...], stderr: str
) -> None:
    result = invoke("--data", str(MINI), *args)
    assert result.exit_code == 2
    assert result.stderr == stderr


def test_version(invoke: Callable[..., object]) -> None:
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"painsci {__version__}\n")


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=60, check=False
    )


def test_installed_entry_point_and_module_from_another_directory(tmp_path: Path) -> None:
    for command in ([str(PAINSCI)], [sys.executable, "-m", "painsci_cli"]):
        done = run([*command, "validate"], tmp_path)
        assert done.returncode == 0, done.stderr
        assert ": valid: " in done.stdout
        broken = run([*command, "--data", "nope.yaml", "validate"], tmp_path)
        assert (broken.returncode, broken.stderr) == (66, "nope.yaml: knowledge base not found\n")
        assert "Traceback" not in broken.stderr


def test_source_layout_finds_the_repository_kb(tmp_path: Path) -> None:
    """What an editable install does: src/ on the path, data/ at the repository root."""
    done = run([sys.executable, "-m", "painsci_cli", "validate"], tmp_path, {"PYTHONPATH": str(REPO / "src")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{REPO / 'data' / 'treatments.yaml'}: valid: ")


def test_built_wheel_ships_the_kb(tmp_path: Path) -> None:
    """What `pip install .` does: the KB travels inside the wheel, found from any directory."""
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        tmp_path,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("painsci-*.whl")
    installed = run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(tmp_path / "site"), str(wheel)],
        tmp_path,
    )
    assert installed.returncode == 0, installed.stderr
    packaged = tmp_path / "site" / "painsci_cli" / "data" / "treatments.yaml"
    assert packaged.read_bytes() == (REPO / "data" / "treatments.yaml").read_bytes()
    done = run([sys.executable, "-m", "painsci_cli", "validate"], tmp_path, {"PYTHONPATH": str(tmp_path / "site")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{packaged}: valid: ")


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["show", "tens"], "show"),
        (["--data", "kb.yaml", "compare", "a", "b"], "compare"),
        (["--data=kb.yaml", "list"], "list"),
        (["show", "tens", "--help"], None),
        (["--help"], None),
        (["--version"], None),
        (["--data"], None),
        ([], None),
    ],
)
def test_only_the_requested_command_is_built(argv: list[str], command: str | None) -> None:
    from painsci_cli.edge import _requested_command

    assert _requested_command(argv) == command


def test_entry_point_help_and_errors_with_the_pruned_app(tmp_path: Path) -> None:
    help_text = run([str(PAINSCI), "show", "--help"], tmp_path)
    assert help_text.returncode == 0
    assert "Example: painsci show massage --section guidelines" in help_text.stdout
    unknown = run([str(PAINSCI), "shw", "tens"], tmp_path)
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "painsci: No such command 'shw'. Did you mean 'show'? (see 'painsci --help')\n",
    )
    listed = run([str(PAINSCI), "--help"], tmp_path)
    assert all(name in listed.stdout for name in ("show", "list", "compare", "plot", "coverage", "validate"))
