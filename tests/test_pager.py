"""The pager (output.page), through the installed entry point on a pseudo-terminal.

Like git: on a terminal, output taller than the screen goes through PAINSCI_PAGER, else PAGER,
else `less -FRX`; `--no-pager`, `cat` or an empty value turn it off; a pipe never gets one.
Quitting the pager early (q) and Ctrl-C while it runs are normal ends: exit 0, nothing on
stderr. A fake pager records what it was given (argv, stdin, environment, its terminal).
Timeouts here only catch hangs.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import pty
import select
import shlex
import struct
import subprocess
import sys
import termios
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import MINI
from painsci_cli.output import PAGER_DEFAULT, pager_command

PAINSCI = Path(sys.executable).with_name("painsci")
HANG = 60
ROWS, COLS = 24, 80

FAKE_PAGER = f"""#!{sys.executable}
'''A pager that records what it was given. FAKE_PAGER_MODE: read (everything), quit (read a
little, then leave like `q`), interrupt (Ctrl-C reaches the whole foreground group, then `q`).'''
import json, os, signal, sys

mode = os.environ.get("FAKE_PAGER_MODE", "read")
if mode == "interrupt":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as less does: Ctrl-C does not end it
stdin = os.fdopen(0, "rb")
seen = stdin.read(200) if mode in ("quit", "interrupt") else stdin.read()
if mode == "interrupt":
    os.killpg(os.getpgrp(), signal.SIGINT)  # the terminal sends Ctrl-C to painsci too
    seen += stdin.read()
record = {{
    "argv": sys.argv[1:],
    "stdin": seen.decode("utf-8", "replace"),
    "stdout_is_terminal": os.isatty(1),
    "env": {{name: os.environ.get(name) for name in ("LESS", "LV", "PAGER", "PAINSCI_PAGER")}},
}}
with open(os.environ["FAKE_PAGER_RECORD"], "w", encoding="utf-8") as out:
    json.dump(record, out)
"""


@dataclass(frozen=True)
class Ran:
    status: int
    screen: str
    """What reached the terminal, with the terminal's CR LF turned back into LF."""
    stderr: str
    pager: dict[str, Any] | None
    """The fake pager's record; None if it never ran."""


@pytest.fixture
def fake_pager(tmp_path: Path) -> Path:
    path = tmp_path / "bin" / "fake-pager"
    path.parent.mkdir()
    path.write_text(FAKE_PAGER, encoding="utf-8")
    path.chmod(0o755)
    return path


def environment(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    """The test environment without pager settings or a fixed size: the terminal's size counts."""
    env = {k: v for k, v in os.environ.items() if k not in ("PAGER", "PAINSCI_PAGER", "LESS", "LINES", "COLUMNS")}
    env["FAKE_PAGER_RECORD"] = str(tmp_path / "pager.json")
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def pager_record(tmp_path: Path) -> dict[str, Any] | None:
    path = tmp_path / "pager.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def on_a_terminal(args: list[str], env: dict[str, str], tmp_path: Path, rows: int = ROWS) -> Ran:
    """Run painsci with stdout on a pseudo-terminal of `rows` x 80, in a session of its own (so a
    Ctrl-C sent to its process group reaches painsci and its pager, never pytest)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, COLS, 0, 0))
    err = tmp_path / "stderr"
    with err.open("wb") as stderr:
        process = subprocess.Popen(
            [str(PAINSCI), *args],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=stderr,
            env=env,
            start_new_session=True,
        )
    os.close(slave)
    screen = bytearray()
    try:
        while True:  # drain the terminal, or painsci blocks once its small buffer is full
            ready, _, _ = select.select([master], [], [], HANG)
            assert ready, "painsci hangs"
            try:
                chunk = os.read(master, 65536)
            except OSError as exc:  # EIO: every holder of the terminal has closed it
                assert exc.errno == errno.EIO
                break
            if not chunk:
                break
            screen += chunk
        status = process.wait(timeout=HANG)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    text = screen.decode("utf-8", "replace").replace("\r\n", "\n")
    return Ran(status, text, err.read_text(encoding="utf-8"), pager_record(tmp_path))


def piped(args: list[str], env: dict[str, str], tmp_path: Path) -> Ran:
    done = subprocess.run([str(PAINSCI), *args], capture_output=True, env=env, timeout=HANG, check=False)
    return Ran(done.returncode, done.stdout.decode(), done.stderr.decode(), pager_record(tmp_path))


def fake(path: Path, *flags: str) -> str:
    return shlex.join([str(path), *flags])


LIST = ["list", "--format", "table"]
"""49 lines at 80 columns: taller than a 24-line screen, shorter than a 200-line one."""


# --------------------------------------------------------------------------- when it is used


def test_taller_than_the_screen_on_a_terminal_goes_through_the_pager(tmp_path: Path, fake_pager: Path) -> None:
    ran = on_a_terminal(LIST, environment(tmp_path, PAGER=fake(fake_pager, "-x")), tmp_path)
    assert (ran.status, ran.stderr) == (0, "")
    assert ran.pager is not None
    assert ran.pager["argv"] == ["-x"]
    assert ran.pager["stdout_is_terminal"] is True  # the pager draws on painsci's terminal
    assert ran.pager["stdin"].count("\n") > ROWS
    assert ran.screen == ""  # painsci printed nothing itself: everything went to the pager


def test_the_pager_gets_exactly_what_would_have_been_printed(tmp_path: Path, fake_pager: Path) -> None:
    paged = on_a_terminal(LIST, environment(tmp_path, PAGER=fake(fake_pager)), tmp_path)
    printed = on_a_terminal([*LIST, "--no-pager"], environment(tmp_path, PAGER=fake(fake_pager)), tmp_path)
    assert paged.pager is not None
    assert paged.pager["stdin"] == printed.screen
    assert "Massage" in printed.screen


def test_output_that_fits_the_screen_is_printed_without_a_pager(tmp_path: Path, fake_pager: Path) -> None:
    ran = on_a_terminal(LIST, environment(tmp_path, PAGER=fake(fake_pager)), tmp_path, rows=200)
    assert (ran.status, ran.stderr, ran.pager) == (0, "", None)
    assert "Massage" in ran.screen
    assert ROWS < ran.screen.count("\n") < 200


@pytest.mark.parametrize(
    "args", [LIST, ["list", "--plain"], ["show", "acupuncture", "--full", "--format", "table"]], ids=" ".join
)
def test_a_pipe_never_gets_a_pager(tmp_path: Path, fake_pager: Path, args: list[str]) -> None:
    ran = piped(args, environment(tmp_path, PAGER=fake(fake_pager), PAINSCI_PAGER=fake(fake_pager)), tmp_path)
    assert (ran.status, ran.stderr, ran.pager) == (0, "", None)
    assert ran.screen.count("\n") > ROWS


@pytest.mark.parametrize(
    ("args", "changes"),
    [
        ([*LIST, "--no-pager"], {}),
        (LIST, {"PAGER": "cat", "PAINSCI_PAGER": None}),
        (LIST, {"PAINSCI_PAGER": "cat"}),
        (LIST, {"PAINSCI_PAGER": ""}),
        (LIST, {"PAINSCI_PAGER": "  "}),
        (LIST, {"PAINSCI_PAGER": "'unbalanced"}),
    ],
    ids=["--no-pager", "PAGER=cat", "PAINSCI_PAGER=cat", "PAINSCI_PAGER=empty", "PAINSCI_PAGER=blank", "unparsable"],
)
def test_paging_turned_off(tmp_path: Path, fake_pager: Path, args: list[str], changes: dict[str, str | None]) -> None:
    env = environment(tmp_path, PAGER=fake(fake_pager), PAINSCI_PAGER=fake(fake_pager))
    env = {**env, **{k: v for k, v in changes.items() if v is not None}}
    for name in (k for k, v in changes.items() if v is None):
        env.pop(name)
    ran = on_a_terminal(args, env, tmp_path)
    assert (ran.status, ran.stderr, ran.pager) == (0, "", None)
    assert "Massage" in ran.screen
    assert ran.screen.count("\n") > ROWS


def test_painsci_pager_wins_over_pager(tmp_path: Path, fake_pager: Path) -> None:
    env = environment(tmp_path, PAGER=fake(fake_pager, "from-PAGER"), PAINSCI_PAGER=fake(fake_pager, "from-PAINSCI"))
    ran = on_a_terminal(LIST, env, tmp_path)
    assert ran.pager is not None
    assert ran.pager["argv"] == ["from-PAINSCI"]


def test_the_default_is_less_FRX_and_the_readers_LESS_reaches_it(tmp_path: Path, fake_pager: Path) -> None:
    less = fake_pager.with_name("less")
    fake_pager.rename(less)
    path = f"{less.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    ran = on_a_terminal(LIST, environment(tmp_path, PATH=path, LESS="-S"), tmp_path)
    assert (ran.status, ran.stderr) == (0, "")
    assert ran.pager is not None
    assert ran.pager["argv"] == ["-FRX"]
    assert ran.pager["env"]["LESS"] == "-S"  # the reader's own settings are left alone
    assert ran.pager["env"]["PAGER"] is None


def test_a_bare_less_gets_FRX_when_the_reader_set_no_LESS(tmp_path: Path, fake_pager: Path) -> None:
    """PAGER=less with no flags: as with git, LESS=FRX, so colours are not shown as raw codes."""
    less = fake_pager.with_name("less")
    fake_pager.rename(less)
    path = f"{less.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    ran = on_a_terminal(LIST, environment(tmp_path, PATH=path, PAGER="less"), tmp_path)
    assert ran.pager is not None
    assert ran.pager["argv"] == []
    assert (ran.pager["env"]["LESS"], ran.pager["env"]["LV"]) == ("FRX", "-c")


def test_a_pager_that_does_not_exist_falls_back_to_printing(tmp_path: Path) -> None:
    ran = on_a_terminal(LIST, environment(tmp_path, PAGER=str(tmp_path / "no-such-pager")), tmp_path)
    assert (ran.status, ran.stderr, ran.pager) == (0, "", None)
    assert "Massage" in ran.screen


def test_colours_reach_the_pager(tmp_path: Path, fake_pager: Path) -> None:
    """`less -R` shows them: on a terminal with colour allowed, the pager gets the styled text."""
    ran = on_a_terminal(LIST, environment(tmp_path, PAGER=fake(fake_pager), NO_COLOR=None, TERM="xterm"), tmp_path)
    assert ran.pager is not None
    assert "\x1b[" in ran.pager["stdin"]


# --------------------------------------------------------------------------- leaving the pager


@pytest.fixture(scope="module")
def long_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`list --plain` of this KB is ~200 KB: more than a pipe holds, so a pager that quits early
    leaves painsci writing into a closed pipe."""
    from test_hostile import many_treatments

    path = tmp_path_factory.mktemp("long") / "long.yaml"
    path.write_text(many_treatments(3_000), encoding="utf-8")
    return path


def test_q_in_the_pager_is_a_clean_exit(tmp_path: Path, fake_pager: Path, long_kb: Path) -> None:
    env = environment(tmp_path, PAGER=fake(fake_pager), FAKE_PAGER_MODE="quit")
    ran = on_a_terminal(["--data", str(long_kb), "list", "--plain"], env, tmp_path)
    assert ran.pager is not None
    assert len(ran.pager["stdin"]) == 200  # it left long before the end
    assert (ran.status, ran.stderr, ran.screen) == (0, "", "")  # no traceback, no broken-pipe noise


@pytest.mark.parametrize("args", [LIST, ["--data", "LONG", "list", "--plain"]], ids=["short", "long"])
def test_ctrl_c_in_the_pager_is_a_clean_exit(tmp_path: Path, fake_pager: Path, long_kb: Path, args: list[str]) -> None:
    """Ctrl-C reaches the whole foreground group; the pager handles it, painsci waits for it."""
    args = [str(long_kb) if a == "LONG" else a for a in args]
    ran = on_a_terminal(args, environment(tmp_path, PAGER=fake(fake_pager), FAKE_PAGER_MODE="interrupt"), tmp_path)
    assert ran.pager is not None
    assert ran.pager["stdin"].count("\n") > ROWS  # painsci kept writing after the Ctrl-C
    assert (ran.status, ran.stderr, ran.screen) == (0, "", "")


# --------------------------------------------------------------------------- choosing the command


@pytest.mark.parametrize(
    ("painsci_pager", "pager", "command"),
    [
        (None, None, ["less", "-FRX"]),
        (None, "most -s", ["most", "-s"]),
        ("less -R", "most", ["less", "-R"]),
        ("'my pager' --flag", None, ["my pager", "--flag"]),
        ("cat", "less", None),
        ("", "less", None),
        (None, "cat", None),
        (None, "", None),
        ('"unclosed', None, None),
    ],
)
def test_pager_command(
    monkeypatch: pytest.MonkeyPatch, painsci_pager: str | None, pager: str | None, command: list[str] | None
) -> None:
    for name, value in (("PAINSCI_PAGER", painsci_pager), ("PAGER", pager)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert pager_command() == command
    assert PAGER_DEFAULT == "less -FRX"


def test_the_mini_kb_list_fits_a_screen_so_it_is_never_paged(tmp_path: Path, fake_pager: Path) -> None:
    ran = on_a_terminal(["--data", str(MINI), *LIST], environment(tmp_path, PAGER=fake(fake_pager)), tmp_path)
    assert (ran.status, ran.stderr, ran.pager) == (0, "", None)
    assert 0 < ran.screen.count("\n") < ROWS
