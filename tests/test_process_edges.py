"""The process edges, through the installed entry point: stdout full, closed, gone or
non-blocking, stderr closed, and Ctrl-C at any moment of start-up.

Every byte reaches stdout, or painsci prints one line and exits with a documented code: 74 when
stdout cannot be written (a full disk, an I/O error, a closed descriptor), 141 quietly when its
reader went away, 130 quietly on Ctrl-C. Timeouts here only catch hangs.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MINI

PAINSCI = Path(sys.executable).with_name("painsci")
HANG = 60


def run(args: list[str], **options: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(PAINSCI), *args], capture_output=False, timeout=HANG, check=False, **options)  # type: ignore[call-overload, no-any-return]


def shell(script: str, tmp_path: Path) -> tuple[int, str]:
    """Run `script` with $P as painsci under bash; its status and what it wrote to `err`."""
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; P='{PAINSCI}'; {script}"],
        cwd=tmp_path,
        timeout=HANG,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    err = tmp_path / "err"
    return done.returncode, err.read_text(encoding="utf-8") if err.exists() else ""


@pytest.fixture(scope="module")
def big_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`list --json` of this KB is ~1 MB: far more than a pipe buffer, in one write."""
    from test_hostile import many_treatments

    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(many_treatments(3_000), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- stdout cannot be written

NO_SPACE = "painsci: cannot write to standard output: No space left on device\n"
CLOSED = "painsci: cannot write to standard output: Bad file descriptor\n"


@pytest.mark.parametrize(
    "args",
    [["show", "acupuncture", "--json"], ["list"], ["schema"], ["glossary"], ["--version"], ["--help"]],
    ids=" ".join,
)
@pytest.mark.parametrize(("redirect", "message"), [("> /dev/full", NO_SPACE), (">&-", CLOSED)])
def test_stdout_full_or_closed_is_one_line_and_74(tmp_path: Path, args: list[str], redirect: str, message: str) -> None:
    status, err = shell(f"$P {' '.join(args)} {redirect} 2>err", tmp_path)
    assert (status, err) == (74, message)


def test_a_full_disk_part_way_through_is_74_not_0(tmp_path: Path, big_kb: Path) -> None:
    """RLIMIT_FSIZE refuses writes past 64 KiB, as a disk that fills up does."""
    out = tmp_path / "x.json"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))

    with out.open("wb") as stdout:
        done = subprocess.run(
            [str(PAINSCI), "--data", str(big_kb), "list", "--json"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=HANG,
            check=False,
            preexec_fn=limit,
        )
    assert done.returncode == 74
    assert done.stderr == b"painsci: cannot write to standard output: File too large\n"


def test_closed_stdout_never_writes_into_another_file(tmp_path: Path) -> None:
    """With descriptor 1 closed, the files painsci opens (the KB, the cache) must not become stdout."""
    cache = tmp_path / "cache"
    kb = tmp_path / "kb.yaml"
    kb.write_bytes(MINI.read_bytes())
    for _ in range(2):  # the second run reads the cache the first one wrote
        status, err = shell(f"PAINSCI_CACHE_DIR='{cache}' $P --data '{kb}' show massage --json >&- 2>err", tmp_path)
        assert (status, err) == (74, CLOSED)
    assert kb.read_bytes() == MINI.read_bytes()
    written = sorted(p.name.split("-")[0] for p in cache.iterdir())
    assert written == [".painsci", "kb", "names"]
    for path in cache.glob("[kn]*"):
        assert path.read_bytes().startswith(b"painsci-kb-cache")


# --------------------------------------------------------------------------- the reader went away


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], ["list"], ["show", "acupuncture", "--json"], ["glossary"], ["schema"], ["show"]],
    ids=" ".join,
)
def test_a_reader_that_left_before_the_first_write_is_141(args: list[str]) -> None:
    """The pipe's read end is closed before painsci starts, so every write fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = run(args, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    expected = 2 if args == ["show"] else 141  # a usage error writes nothing to stdout
    assert done.returncode == expected
    if expected == 141:
        assert done.stderr == b""


@pytest.mark.parametrize("args", [["--version"], ["--help"]], ids=" ".join)
def test_version_and_help_into_true(tmp_path: Path, args: list[str]) -> None:
    status, err = shell(f"$P {args[0]} 2>err | true", tmp_path)
    assert status in (0, 141)  # 141 when true exited first; never 1
    assert err == ""


def test_more_than_a_pipe_buffer_in_one_write_into_head(tmp_path: Path, big_kb: Path) -> None:
    status, err = shell(f"$P --data '{big_kb}' list --json 2>err | head -c 10", tmp_path)
    assert (status, err) == (141, "")


# --------------------------------------------------------------------------- a non-blocking pipe


def test_a_non_blocking_pipe_gets_every_byte(big_kb: Path) -> None:
    """O_NONBLOCK on the pipe (set by another process sharing it): a slow reader still gets all."""
    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    child = subprocess.Popen(
        [str(PAINSCI), "--data", str(big_kb), "list", "--json"], stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    chunks = []
    with os.fdopen(read_end, "rb") as reader:
        while chunk := reader.read1(4096):  # small reads: the pipe is full most of the time
            chunks.append(chunk)
    assert child.wait(timeout=HANG) == 0
    assert child.stderr is not None
    assert child.stderr.read() == b""
    document = json.loads(b"".join(chunks))
    assert len(document["treatments"]) == 3_000


# --------------------------------------------------------------------------- stderr closed


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--data", str(MINI), "show", "massage", "--plain"], 0),
        (["--data", str(MINI), "show", "no-such-treatment"], 2),
        (["--data", str(MINI), "list", "--format", "xml"], 2),
        (["--no-such-option"], 2),
        (["--data", "/no/such/kb.yaml", "list"], 66),
        (["--data", str(Path(__file__).parent / "hostile" / "alias_bomb.yaml"), "list"], 65),
    ],
    ids=lambda v: " ".join(v[-2:]) if isinstance(v, list) else str(v),
)
def test_stderr_closed_keeps_the_exit_code(tmp_path: Path, args: list[str], expected: int) -> None:
    quoted = " ".join(f"'{a}'" for a in args)
    status, _ = shell(f"$P {quoted} 2>&- >out", tmp_path)
    assert status == expected
    if expected == 0:
        assert "bottom line\t" in (tmp_path / "out").read_text(encoding="utf-8")


def test_every_stream_closed(tmp_path: Path) -> None:
    status, _ = shell(f"$P --data '{MINI}' show massage <&- >&- 2>&-", tmp_path)
    assert status == 74


# --------------------------------------------------------------------------- Ctrl-C at any moment


def imports_of_a_run() -> list[str]:
    """The modules `painsci list` imports after its SIGINT handler is in place, in order."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "painsci_cli", "--data", str(MINI), "list"],
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )
    names = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    return names[names.index("painsci_cli.stdio") :]


MOMENTS = 12


@pytest.mark.parametrize("moment", range(MOMENTS))
def test_ctrl_c_during_start_up_is_quiet_130(tmp_path: Path, moment: int) -> None:
    """SIGINT as soon as the n-th module after the handler (typer, rich, click …) has imported.

    `-X importtime` reports each import on stderr as it finishes: a clock-free way to hit every
    stage of start-up (the interpreter's own start-up, before any painsci code runs, is outside).
    """
    names = imports_of_a_run()
    target = names[min(len(names) - 1, moment * len(names) // MOMENTS)]
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):  # a one-page pipe: the child cannot run far ahead of the reader
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    child = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "painsci_cli", "--data", str(MINI), "list"],
        stdout=subprocess.PIPE,
        stderr=write_end,
        text=True,
        env={**os.environ, "PAINSCI_CACHE_DIR": str(tmp_path / "cache")},
    )
    os.close(write_end)
    lines = []
    with os.fdopen(read_end, "r") as stderr:
        for line in stderr:
            lines.append(line)
            if line.rsplit("|", 1)[-1].strip() == target and child.poll() is None:
                child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=HANG)
    errors = [line for line in lines if not line.startswith("import time:")]
    assert child.returncode in (130, 0), (target, errors)  # 0: the run had finished before the signal landed
    assert errors == [], target
    if child.returncode == 130:
        assert out == ""


def test_ctrl_c_while_blocked_on_a_full_pipe_is_130(big_kb: Path) -> None:
    """A reader that never reads: painsci waits in write; Ctrl-C ends it quietly."""
    read_end, write_end = os.pipe()
    child = subprocess.Popen(
        [str(PAINSCI), "--data", str(big_kb), "list", "--json"], stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    try:
        os.read(read_end, 1)  # painsci has started writing and the pipe fills
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=HANG) == 130
        assert child.stderr is not None
        assert child.stderr.read() == b""
    finally:
        os.close(read_end)


# --------------------------------------------------------------------------- long paths echoed


@pytest.mark.parametrize("args", [["--data", "{long}", "list"], ["validate", "{long}"]], ids=" ".join)
def test_a_100_kb_path_is_not_echoed_whole(tmp_path: Path, args: list[str]) -> None:
    long = "/tmp/" + "d" * 100_000 + "/kb.yaml"
    done = subprocess.run(
        [str(PAINSCI), *(a.replace("{long}", long) for a in args)],
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )
    assert done.returncode == 66
    [line] = done.stderr.splitlines()
    assert line == "/tmp/" + "d" * 95 + "…" + "d" * 92 + "/kb.yaml: cannot read knowledge base: File name too long"


def test_ctrl_c_wrapped_by_python_is_still_quiet_130() -> None:
    """Python 3.11 wraps a KeyboardInterrupt raised while a class is created (a dataclass field's
    __set_name__, as load/events.py's Document has) in a RuntimeError: still a quiet 130."""
    code = (
        "from painsci_cli import launch\n"
        "def wrapped():\n"
        "    try:\n"
        "        raise KeyboardInterrupt\n"
        "    except KeyboardInterrupt as exc:\n"
        "        raise RuntimeError('Error calling __set_name__') from exc\n"
        "launch._main = wrapped\n"
        "launch.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=HANG, check=False)
    assert (done.returncode, done.stderr) == (130, "")
    other = code.replace("from exc", "from ValueError('not an interrupt')")
    failed = subprocess.run([sys.executable, "-c", other], capture_output=True, text=True, timeout=HANG, check=False)
    assert failed.returncode == 1 and "RuntimeError" in failed.stderr  # any other failure is not hidden
