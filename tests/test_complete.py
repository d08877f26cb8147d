"""TAB completion: the import-free fast path answers exactly what the full CLI answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from helpers import MINI
from painsci_cli import complete, load

BASH = [
    ("painsci show re", 2),
    ("painsci show ", 2),
    ("painsci compare massage ", 2),
    ("painsci compare massage sw", 3),
    ("painsci explain MASS", 2),
    ("painsci sources us", 2),
    ("painsci show zzz", 2),
]
FALLS_THROUGH = [
    ("painsci sh", 1),  # a command name, not a treatment
    ("painsci show relax --for", 3),  # an option
    ("painsci show relax ", 3),  # show takes one treatment
    ("painsci list --sort ", 3),  # the value of an option
    ('painsci show "re', 2),  # an open quote
]


def full_cli(invoke: Callable[..., object], env: dict[str, str]) -> str:
    result = invoke(env=env)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


@pytest.mark.parametrize(("line", "cword"), BASH)
def test_bash_fast_path_matches_the_cli(
    line: str,
    cword: int,
    invoke: Callable[..., object],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = {
        "_PAINSCI_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(cword),
        "PAINSCI_DATA": str(MINI),
    }
    load.load(str(MINI))  # the fast path needs the names of this KB cached
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert complete.answer() is True
    fast = capsys.readouterr().out
    assert fast == full_cli(invoke, env)


def test_zsh_fast_path_matches_the_cli(
    invoke: Callable[..., object], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "_PAINSCI_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": "painsci compare relax ma",
        "PAINSCI_DATA": str(MINI),
    }
    load.load(str(MINI))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert complete.answer() is True
    assert capsys.readouterr().out == full_cli(invoke, env) == "_arguments '*: :((\"massage\"))'\n"


@pytest.mark.parametrize(("line", "cword"), FALLS_THROUGH)
def test_everything_else_is_left_to_the_cli(line: str, cword: int, monkeypatch: pytest.MonkeyPatch) -> None:
    load.load(str(MINI))
    monkeypatch.setenv("_PAINSCI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(cword))
    monkeypatch.setenv("PAINSCI_DATA", str(MINI))
    assert complete.answer() is False


def test_cold_cache_is_left_to_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_PAINSCI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "painsci show re")
    monkeypatch.setenv("COMP_CWORD", "2")
    monkeypatch.setenv("PAINSCI_DATA", str(MINI))
    assert complete.answer() is False


def test_data_option_on_the_line_is_honoured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load.load(str(MINI))
    monkeypatch.setenv("_PAINSCI_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", f"painsci --data {MINI} show sw")
    monkeypatch.setenv("COMP_CWORD", "4")
    assert complete.answer() is True
    assert capsys.readouterr().out == "swedish-massage\n"
