"""TAB completion: the import-free fast path answers exactly what the full CLI answers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import MINI
from painsci_cli import __version__, complete, load

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


# --------------------------------------------------------------------------- requests that never fail

PAINSCI = Path(sys.executable).with_name("painsci")


def installed(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("COMP_WORDS", "COMP_CWORD", "_TYPER_COMPLETE_ARGS")}
    return subprocess.run(
        [str(PAINSCI), *args],
        capture_output=True,
        text=True,
        timeout=30,  # catches a hang only
        check=False,
        env={**base, **env},
    )


@pytest.mark.parametrize(
    "env",
    [
        {"_PAINSCI_COMPLETE": "complete_bash", "COMP_WORDS": "painsci show ma", "COMP_CWORD": "abc"},
        {"_PAINSCI_COMPLETE": "complete_bash", "COMP_WORDS": "painsci show ma", "COMP_CWORD": ""},
        {"_PAINSCI_COMPLETE": "complete_bash", "COMP_WORDS": "painsci show ma", "COMP_CWORD": "-3"},
        {"_PAINSCI_COMPLETE": "complete_bash", "COMP_WORDS": "painsci show ma", "COMP_CWORD": "9" * 5000},
        {"_PAINSCI_COMPLETE": "complete_bash", "COMP_CWORD": "2"},
        {"_PAINSCI_COMPLETE": "complete_bash"},
        {"_PAINSCI_COMPLETE": "complete_bash", "COMP_WORDS": 'painsci show "ma', "COMP_CWORD": "2"},
        {"_PAINSCI_COMPLETE": "complete_zsh"},
        {"_PAINSCI_COMPLETE": "complete_fish"},
        {"_PAINSCI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": 'painsci show "ma'},
    ],
    ids=lambda env: " ".join(f"{k}={v[:12]}" for k, v in env.items()),
)
def test_a_malformed_request_offers_nothing_and_exits_0(env: dict[str, str]) -> None:
    done = installed({**env, "PAINSCI_DATA": str(MINI)})
    assert done.returncode == 0
    assert done.stderr == ""
    assert "Traceback" not in done.stdout


@pytest.mark.parametrize("value", ["1", "yes", "complete", "complete_", "bash_complete", "complete_tcsh", "x_bash"])
def test_a_leaked_variable_is_no_request(value: str) -> None:
    """`_PAINSCI_COMPLETE=1` left exported: every command still runs, with its own exit code."""
    env = {"_PAINSCI_COMPLETE": value}
    done = installed(env, "--data", str(MINI), "show", "massage", "--plain")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("field\tvalue\nbottom line\t")
    done = installed(env, "--data", str(MINI), "show", "no-such-thing")
    assert done.returncode == 2
    assert done.stderr.startswith("painsci: unknown treatment")
    done = installed(env, "--version")
    assert (done.returncode, done.stdout) == (0, f"painsci {__version__}\n")


@pytest.fixture
def accented_kb(write_kb: Callable[..., Path], mini_text: str) -> Path:
    old = "    aliases: [swedish massage]\n"
    assert old in mini_text
    return write_kb(mini_text.replace(old, "    aliases: [swedish massage, ölmassage, öl extra]\n"), "accented.yaml")


@pytest.mark.parametrize("warm", [False, True], ids=["full CLI", "fast path"])
@pytest.mark.parametrize(("encoding", "expected"), [("ascii", "\n"), ("utf-8", "öl-extra\nölmassage\n")])
def test_a_candidate_the_encoding_cannot_carry_is_left_out(
    accented_kb: Path, tmp_path: Path, warm: bool, encoding: str, expected: str
) -> None:
    cache = tmp_path / "cache"
    env = {"PAINSCI_CACHE_DIR": str(cache), "PYTHONIOENCODING": encoding}
    if warm:
        assert installed(env, "--data", str(accented_kb), "list").returncode == 0
    request = {"_PAINSCI_COMPLETE": "complete_bash", "COMP_WORDS": f"painsci --data {accented_kb} show ö"}
    done = installed({**env, **request, "COMP_CWORD": "4"})
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")
