"""Docs that cannot drift: the README's commands, its transcripts, and CI's test command."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import REPO
from painsci_cli.cli import app

README = (REPO / "README.md").read_text(encoding="utf-8")


def fenced_after(heading: str) -> list[str]:
    section = README.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_exactly_two_setup_commands() -> None:
    assert fenced_after("Install and run") == ["pip install . && painsci compare massage tens"]
    assert fenced_after("Run the tests") == ['pip install ".[test]" && pytest']


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    [command] = fenced_after("Run the tests")
    assert command in ci.splitlines()


def test_every_command_is_documented_with_help() -> None:
    for info in app.registered_commands:
        name = info.name or (info.callback.__name__ if info.callback else "")
        assert f"`painsci {name}" in README, name
        assert info.short_help, name
        assert info.callback is not None and (info.callback.__doc__ or "").startswith("Example: painsci"), name


def test_generated_transcripts_are_current() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "docs" / "make_docs.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
