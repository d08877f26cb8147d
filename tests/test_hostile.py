"""Hostile knowledge-base files and closed pipes: one line per problem, the documented exit code, no traceback.

The corpus lives in tests/hostile/ with its expected outcomes in tests/hostile/expected.json.
Files that are binary, huge or not files at all are generated here instead (GENERATED below).
Every case is run in-process through the CLI and a handful through the installed entry point.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from helpers import MINI, YamlEvents, hang_guard
from painsci_cli.charset import FORBIDDEN
from painsci_cli.load import events, read

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED: dict[str, dict[str, object]] = {
    name: entry
    for name, entry in json.loads((HOSTILE / "expected.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}
PAINSCI = Path(sys.executable).with_name("painsci")
HANG = 20
"""Seconds after which a run counts as hung: a guard against hangs, not a speed test (see bench/)."""
MOST_EVENTS = 2 * events.MAX_NODES + 16
"""A node is at most two YAML events (start, end): past this, the node budget was not enforced."""
Invoke = Callable[..., Result]


@dataclass(frozen=True)
class Case:
    """What painsci must answer for one input: exit code, first stderr line, line count, other lines."""

    exit: int
    stderr: str | None
    lines: int = 1
    also: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, entry: dict[str, object]) -> Case:
        also = entry.get("also", [])
        assert isinstance(also, list)
        lines = entry.get("lines", 1)
        assert isinstance(lines, int)
        exit_code = entry["exit"]
        assert isinstance(exit_code, int)
        stderr = entry["stderr"]
        assert stderr is None or isinstance(stderr, str)
        return cls(exit_code, stderr, lines, tuple(also))


def check_stderr(stderr: str, case: Case, file: str) -> None:
    """One line per problem, each naming FILE(:LINE), none carrying a control character."""
    assert "Traceback" not in stderr
    assert not FORBIDDEN.search(stderr), repr(stderr)
    lines = stderr.splitlines()
    assert len(lines) == case.lines, stderr
    if case.stderr is None:
        return
    pattern = case.stderr.replace("{file}", re.escape(file))
    assert re.fullmatch(pattern, lines[0]), f"{lines[0]!r} !~ {pattern!r}"
    for extra in case.also:
        pattern = extra.replace("{file}", re.escape(file))
        assert any(re.fullmatch(pattern, line) for line in lines[1:]), f"no line matches {pattern!r}:\n{stderr}"
    for line in lines:
        assert line.startswith(file), line


def run_in_process(invoke: Invoke, args: list[str], case: Case, file: str, events: YamlEvents) -> Result:
    """Run a hostile case; its work is bounded by the node budget, whatever the clock says."""
    with hang_guard(HANG):
        result = invoke(*args)
    assert result.exit_code == case.exit, (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    check_stderr(result.stderr, case, file)
    if case.exit:
        assert result.stdout == ""
    assert events.count <= MOST_EVENTS, f"{events.count:,} YAML events read"
    return result


# --------------------------------------------------------------------------- the committed corpus


def test_every_corpus_file_has_an_expected_outcome() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "expected.json"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("command", ["validate", "list"])
def test_corpus_file(invoke: Invoke, yaml_events: YamlEvents, name: str, command: str) -> None:
    path = str(HOSTILE / name)
    case = Case.from_json(EXPECTED[name])
    args = ["validate", path] if command == "validate" else ["--data", path, "list", "--plain"]
    run_in_process(invoke, args, case, path, yaml_events)


def test_nothing_was_executed_by_a_python_tag(invoke: Invoke, tmp_path: Path) -> None:
    """The !!python/object/apply file would create /tmp/painsci-pwned if any tag were constructed."""
    marker = Path("/tmp/painsci-pwned")
    marker.unlink(missing_ok=True)
    invoke("validate", str(HOSTILE / "python_object_apply.yaml"))
    assert not marker.exists()


# --------------------------------------------------------------------------- generated at test time

MINI_TEXT = MINI.read_text(encoding="utf-8")
MINI_HEAD, MINI_TREATMENTS = MINI_TEXT.split("treatments:\n")


def many_treatments(count: int) -> str:
    """A valid KB with `count` small treatments (11 YAML nodes each)."""
    rows = (
        f"  - {{id: t{i}, name: Treatment {i}, category: passive, description: d {i}, evidence_gap: none}}\n"
        for i in range(count)
    )
    return MINI_HEAD + "treatments:\n" + "".join(rows)


def replicated_entries(size: int) -> str:
    """Valid-looking treatments (copies of mini's, ids renamed) until the text exceeds `size` bytes."""
    blocks = []
    total = 0
    i = 0
    while total <= size:
        block = re.sub(r"(id|parent|treatment): ([a-z-]+)", rf"\1: \2-{i}", MINI_TREATMENTS)
        blocks.append(block)
        total += len(block)
        i += 1
    return MINI_HEAD + "treatments:\n" + "".join(blocks)


def tiny_nodes() -> bytes:
    """7 MB of `1,`: more nodes than the cap, each costing the parser the most per byte."""
    return ("a: [" + "1," * 3_500_000 + "1]\n").encode()


def wrong_items() -> bytes:
    """290,000 integers where treatments belong: just under the node cap, every one an error."""
    return (MINI_HEAD + "treatments: [" + "1, " * 290_000 + "1]\n").encode()


def replaced(old: str, new: str) -> bytes:
    assert old in MINI_TEXT
    return MINI_TEXT.replace(old, new, 1).encode()


def line_with(needle: str) -> int:
    return next(n for n, line in enumerate(MINI_TEXT.splitlines(), start=1) if needle in line)


HANDS = line_with("Hands-on")
GENERATED: dict[str, tuple[Callable[[], bytes], Case]] = {
    "bom_crlf.yaml": (lambda: b"\xef\xbb\xbf" + MINI_TEXT.replace("\n", "\r\n").encode(), Case(0, None, 0)),
    "cr_line_endings.yaml": (lambda: MINI_TEXT.replace("\n", "\r").encode(), Case(0, None, 0)),
    "utf16.yaml": (
        lambda: MINI_TEXT.encode("utf-16"),
        Case(65, r"{file}:1: not valid UTF-8 \(byte 0xFF\); save the file as UTF-8"),
    ),
    "latin1.yaml": (
        lambda: MINI_TEXT.encode("latin-1"),
        Case(65, rf"{{file}}:{line_with('BÄK')}: not valid UTF-8 \(byte 0xC4\); save the file as UTF-8"),
    ),
    "nul_byte.yaml": (
        lambda: replaced("Hands-on", "Hands\x00-on"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+0000 \(NUL\)"),
    ),
    "raw_ansi_escape.yaml": (
        lambda: replaced("Hands-on", "\x1b[31mHands-on\x1b[0m"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+001B \(ESC\)", 2),
    ),
    "raw_osc8_link.yaml": (
        lambda: replaced("Hands-on", "\x1b]8;;https://evil.example\x07Hands-on\x1b]8;;\x07"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+001B \(ESC\)", 4, (rf"{{file}}:{HANDS}: .*U\+0007.*",)),
    ),
    "raw_csi_c1.yaml": (
        lambda: replaced("Hands-on", "\x9b2JHands-on"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+009B \(control character\)"),
    ),
    "raw_bidi_override.yaml": (
        lambda: replaced("Hands-on", "Hands-on \u202egnp.exe"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+202E \(RIGHT-TO-LEFT OVERRIDE\)"),
    ),
    "raw_bidi_isolate.yaml": (
        lambda: replaced("Hands-on", "\u2067Hands-on\u2069"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+2067 \(invisible format character\)", 2),
    ),
    "raw_zero_width_space.yaml": (
        lambda: replaced("Hands-on", "Hands\u200b-on"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+200B \(ZERO WIDTH SPACE\)"),
    ),
    "bom_in_the_middle.yaml": (
        lambda: replaced("Hands-on", "Hands\ufeff-on"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+FEFF \(invisible format character\)"),
    ),
    "noncharacter.yaml": (
        lambda: replaced("Hands-on", "Hands\ufffe-on"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+FFFE \(noncharacter\)"),
    ),
    "cr_line_endings_with_escape.yaml": (
        lambda: replaced("Hands-on", "\x1bHands-on").replace(b"\n", b"\r"),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+001B \(ESC\)"),
    ),
    "crlf_with_latin1_byte.yaml": (
        lambda: replaced("Hands-on", "Hands-on").replace(b"\n", b"\r\n").replace(b"Hands-on", b"Hands\xe9-on"),
        Case(65, rf"{{file}}:{HANDS}: not valid UTF-8 \(byte 0xE9\); save the file as UTF-8"),
    ),
    "many_control_characters.yaml": (
        lambda: replaced("Hands-on", "\x07" * 500),
        Case(65, rf"{{file}}:{HANDS}: forbidden character U\+0007 \(control character\)", 21),
    ),
    "ten_megabytes_of_entries.yaml": (
        lambda: replicated_entries(10 * 1024 * 1024).encode(),
        Case(65, r"{file}: 10,\d{3},\d{3} bytes is over the 8,388,608-byte limit"),
    ),
    "seven_megabytes_of_tiny_nodes.yaml": (
        tiny_nodes,
        Case(65, r"{file}:1: more than 300,000 YAML nodes; not a knowledge base"),
    ),
    "wrong_types_on_every_item.yaml": (
        wrong_items,
        Case(
            65,
            r"{file}:\d+: treatments\[0\]: Input should be an object",
            21,
            (r"{file}: 289,981 more problems not listed",),
        ),
    ),
    "twelve_thousand_valid_treatments.yaml": (lambda: many_treatments(12_000).encode(), Case(0, None, 0)),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_file(invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path, name: str) -> None:
    content, case = GENERATED[name]
    path = tmp_path / name
    path.write_bytes(content())
    run_in_process(invoke, ["validate", str(path)], case, str(path), yaml_events)


def test_the_big_valid_kb_answers_lookups_in_time(invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(many_treatments(12_000), encoding="utf-8")
    for args in (["show", "t11999", "--plain"], ["search", "Treatment 11999", "--json"], ["explain", "t11999"]):
        result = run_in_process(invoke, ["--data", str(path), *args], Case(0, None, 0), str(path), yaml_events)
        assert "11999" in result.stdout


def special_path(kind: str, tmp_path: Path) -> tuple[Path, Case]:
    match kind:
        case "missing":
            return tmp_path / "nope.yaml", Case(66, r"{file}: knowledge base not found")
        case "directory":
            return tmp_path, Case(66, r"{file}: is a directory, not a knowledge base file")
        case "fifo":
            fifo = tmp_path / "fifo.yaml"
            os.mkfifo(fifo)  # nobody writes: a blocking open or read would hang the test
            return fifo, Case(66, r"{file}: not a regular file \(a FIFO, socket or device\?\)")
        case "device":
            return Path("/dev/zero"), Case(66, r"{file}: not a regular file \(a FIFO, socket or device\?\)")
        case "broken_symlink":
            link = tmp_path / "link.yaml"
            link.symlink_to(tmp_path / "gone.yaml")
            return link, Case(66, r"{file}: knowledge base not found")
        case "file_as_directory":
            (tmp_path / "plain").write_text("x")
            return tmp_path / "plain" / "kb.yaml", Case(66, r"{file}: cannot read knowledge base: Not a directory")
    raise AssertionError(kind)


SPECIAL = ["missing", "directory", "fifo", "device", "broken_symlink", "file_as_directory"]


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("command", ["validate", "list"])
def test_not_a_readable_file(invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path, kind: str, command: str) -> None:
    path, case = special_path(kind, tmp_path)
    args = ["validate", str(path)] if command == "validate" else ["--data", str(path), "list"]
    run_in_process(invoke, args, case, str(path), yaml_events)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file; see the simulated variant below")
def test_unreadable_file(invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(MINI_TEXT, encoding="utf-8")
    path.chmod(0)
    case = Case(66, r"{file}: cannot read knowledge base: Permission denied")
    run_in_process(invoke, ["--data", str(path), "list"], case, str(path), yaml_events)


def test_unreadable_file_simulated(
    invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(MINI_TEXT, encoding="utf-8")

    class Refusing:
        """os, except that opening fails as it does for a file without read permission."""

        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        @staticmethod
        def open(file: object, flags: int) -> int:
            raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(read, "os", Refusing())
    case = Case(66, r"{file}: cannot read knowledge base: Permission denied")
    run_in_process(invoke, ["--data", str(path), "list"], case, str(path), yaml_events)


def test_read_error_after_open(
    invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error mid-read (a failing disk, a vanished network share) is 66, not a traceback."""
    path = tmp_path / "flaky.yaml"
    path.write_text(MINI_TEXT, encoding="utf-8")

    class Failing:
        """os, except that reading fails as on a bad disk."""

        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

        @staticmethod
        def read(fd: int, size: int) -> bytes:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(read, "os", Failing())
    case = Case(66, r"{file}: cannot read knowledge base: Input/output error")
    run_in_process(invoke, ["validate", str(path)], case, str(path), yaml_events)


@pytest.mark.parametrize(
    "name", ["evil\x1b[31mred\x1b[0m.yaml", "two\nlines.yaml", "\u202egnp.yaml", os.fsdecode(b"latin\xff.yaml")]
)
def test_hostile_file_name_is_escaped(invoke: Invoke, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    result = invoke("--data", str(path), "list")
    assert result.exit_code == 66
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.endswith(": knowledge base not found")
    result = invoke("validate", str(path))
    assert result.exit_code == 66
    assert len(result.stderr.splitlines()) == 1


def test_hostile_file_name_of_an_invalid_kb_is_escaped(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b]0;pwned\x07.yaml"
    path.write_text("- a list\n", encoding="utf-8")
    result = invoke("--data", str(path), "list")
    assert result.exit_code == 65
    assert (
        result.stderr
        == f"{tmp_path}/evil\\u001b]0;pwned\\u0007.yaml:1: expected a mapping at the top level, got a list\n"
    )


# --------------------------------------------------------------------------- the installed entry point


def run_installed(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed command; the timeout only catches a hang (timings live in bench/refusals.py)."""
    return subprocess.run(
        [str(PAINSCI), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "name", ["empty.yaml", "alias_bomb.yaml", "python_object_apply.yaml", "yaml_escape_ansi.yaml", "wrong_types.yaml"]
)
def test_installed_entry_point_on_corpus(tmp_path: Path, name: str) -> None:
    path = str(HOSTILE / name)
    case = Case.from_json(EXPECTED[name])
    done = run_installed(["--data", path, "list"], tmp_path)
    assert done.returncode == case.exit
    assert done.stdout == ""
    check_stderr(done.stderr, case, path)


@pytest.mark.parametrize("name", ["ten_megabytes_of_entries.yaml", "raw_osc8_link.yaml", "utf16.yaml"])
def test_installed_entry_point_on_generated(tmp_path: Path, name: str) -> None:
    content, case = GENERATED[name]
    path = tmp_path / name
    path.write_bytes(content())
    done = run_installed(["validate", str(path)], tmp_path)
    assert done.returncode == case.exit
    check_stderr(done.stderr, case, str(path))


@pytest.mark.parametrize("kind", ["fifo", "directory", "missing", "device"])
def test_installed_entry_point_on_special_paths(tmp_path: Path, kind: str) -> None:
    path, case = special_path(kind, tmp_path)
    done = run_installed(["--data", str(path), "show", "massage"], tmp_path)
    assert done.returncode == case.exit
    check_stderr(done.stderr, case, str(path))


def test_installed_entry_point_near_the_node_cap(tmp_path: Path) -> None:
    """The slowest refusal: ~300,000 nodes parsed before giving up, interpreter start-up included."""
    content, case = GENERATED["wrong_types_on_every_item.yaml"]
    path = tmp_path / "wrong.yaml"
    path.write_bytes(content())
    done = run_installed(["--data", str(path), "list"], tmp_path)
    assert done.returncode == 65
    check_stderr(done.stderr, case, str(path))


# --------------------------------------------------------------------------- closed pipes


def pipe_to(reader: str, args: list[str], tmp_path: Path) -> tuple[int, str]:
    """`painsci ARGS 2>err | READER` under pipefail: painsci's exit status and its stderr."""
    err = tmp_path / "err"
    command = " ".join(f"'{a}'" for a in [str(PAINSCI), *args])
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} 2>'{err}' | {reader} >/dev/null"],
        cwd=tmp_path,
        timeout=60,
        check=False,
        env={**os.environ, "PAINSCI_CACHE_DIR": str(tmp_path / "cache")},
    )
    return done.returncode, err.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def big_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough treatments that `list` prints more than a pipe buffer (64 KiB), so a write must fail."""
    path = tmp_path_factory.mktemp("pipe") / "big.yaml"
    path.write_text(many_treatments(1_500), encoding="utf-8")
    return path


PIPED = [
    ["list"],
    ["list", "--json"],
    ["list", "--format", "markdown"],
    ["search", "Treatment"],
    ["show", "t7"],
    ["show", "t7", "--json"],
    ["sources"],
    ["glossary"],
    ["schema"],
]


@pytest.mark.parametrize("reader", ["head -1", "true"])
@pytest.mark.parametrize("args", PIPED, ids=" ".join)
def test_closed_pipe_is_quiet(tmp_path: Path, big_kb: Path, reader: str, args: list[str]) -> None:
    status, stderr = pipe_to(reader, ["--data", str(big_kb), *args], tmp_path)
    assert status in (0, 141), stderr
    assert stderr == ""


@pytest.mark.parametrize("args", [["list"], ["glossary"]], ids=" ".join)
def test_closed_pipe_with_the_bundled_kb(tmp_path: Path, args: list[str]) -> None:
    status, stderr = pipe_to("head -1", args, tmp_path)
    assert status in (0, 141), stderr
    assert stderr == ""


@pytest.mark.parametrize(
    "args", [["list", "--format", "table"], ["show", "massage", "--format", "table"]], ids=" ".join
)
def test_closed_pipe_is_quiet_for_tables(tmp_path: Path, args: list[str]) -> None:
    status, stderr = pipe_to("true", ["--data", str(MINI), *args], tmp_path)
    assert status in (0, 141), stderr
    assert stderr == ""


# --------------------------------------------------------------------------- exports


def export_in_subprocess(target: Path, *extra: str, file_size_limit: int | None = None) -> tuple[int, str]:
    """`painsci show … --export TARGET` as installed; optionally with a file-size limit (a full disk)."""

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    done = subprocess.run(
        [str(PAINSCI), "--data", str(MINI), "show", "relaxation-massage", "--export", str(target), *extra],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        preexec_fn=limit,
    )
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    return done.returncode, done.stderr


@pytest.mark.parametrize("suffix", [".svg", ".html", ".md"])
def test_export_to_a_full_destination_leaves_nothing_behind(tmp_path: Path, suffix: str) -> None:
    """RLIMIT_FSIZE makes the kernel refuse the write (EFBIG), as a full disk refuses with ENOSPC."""
    target = tmp_path / f"out{suffix}"
    status, stderr = export_in_subprocess(target, file_size_limit=512)
    assert status == 73
    assert stderr == f"painsci: cannot write {target}: File too large\n"
    assert list(tmp_path.iterdir()) == []


def test_failed_export_keeps_the_existing_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.svg"
    target.write_text("the colleague's figure", encoding="utf-8")
    status, stderr = export_in_subprocess(target, "--force", file_size_limit=512)
    assert status == 73, stderr
    assert target.read_text(encoding="utf-8") == "the colleague's figure"
    assert [p.name for p in tmp_path.iterdir()] == ["out.svg"]


def test_existing_export_file_is_refused_and_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("keep me", encoding="utf-8")
    status, stderr = export_in_subprocess(target)
    assert (status, stderr) == (73, f"painsci: {target} already exists; add --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_existing_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    target = tmp_path / "out.md"
    target.symlink_to(victim)
    status, _ = export_in_subprocess(target)
    assert status == 73
    assert victim.read_text(encoding="utf-8") == "keep me"
    status, _ = export_in_subprocess(target, "--force")  # replaces the link, never writes through it
    assert status == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not target.is_symlink()


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a read-only file system such as /sys")
def test_export_to_a_read_only_destination(tmp_path: Path) -> None:
    target = Path("/sys/painsci-hostile-test.svg")
    status, stderr = export_in_subprocess(target)
    assert status == 73
    assert re.fullmatch(
        rf"painsci: cannot write {re.escape(str(target))}: (Permission denied|Read-only file system)\n", stderr
    )
    assert not target.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
def test_export_into_a_read_only_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        status, stderr = export_in_subprocess(locked / "out.svg")
        assert status == 73
        assert stderr.endswith(": Permission denied\n")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("name", ["evil\x1b]0;pwned\x07.svg", "two\nlines.md", "\u202egvs.svg"])
def test_hostile_export_name_is_escaped(invoke: Invoke, tmp_path: Path, name: str) -> None:
    missing = tmp_path / "no-such-dir" / name
    result = invoke("--data", str(MINI), "show", "massage", "--export", str(missing))
    assert result.exit_code == 73
    assert not FORBIDDEN.search(result.stderr)
    assert len(result.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- known bugs outside the loader (reported)


def test_long_parent_chain_is_checked_in_time(invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path) -> None:
    rows = "".join(
        f"  - {{id: t{i}, name: T {i}, category: passive, description: d, evidence_gap: g"
        + (f", parent: t{i - 1}}}\n" if i else "}\n")
        for i in range(6_000)
    )
    path = tmp_path / "chain.yaml"
    path.write_text(MINI_HEAD + "treatments:\n" + rows, encoding="utf-8")
    run_in_process(invoke, ["validate", str(path)], Case(0, None, 0), str(path), yaml_events)


@pytest.mark.parametrize("fmt", ["plain", "table", "markdown"])
def test_non_utf8_stdout_gets_no_traceback(tmp_path: Path, fmt: str) -> None:
    done = subprocess.run(
        [str(PAINSCI), "--data", str(MINI), "sources", "--format", fmt],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 0


def test_validate_success_with_an_undecodable_file_name(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"k\xff.yaml")
    path.write_bytes(MINI.read_bytes())
    done = subprocess.run(
        [str(PAINSCI), "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 0


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
def test_line_numbers_agree_with_a_regex_count(newline: str) -> None:
    """read.breaks_between counts in C what the parser counts; checked against the plain regex."""
    text = ("a" + newline + "\r" + "b\r\n\n" + newline) * 50
    for start in range(0, len(text), 7):
        for end in range(start, len(text) + 1, 5):
            assert read.breaks_between(text, start, end) == len(re.findall("\r\n|\r|\n", text[start:end]))


def test_only_the_listed_problems_are_worded(
    invoke: Invoke, yaml_events: YamlEvents, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12,000 blank names are 12,000 problems; only the 21 shown cost a message (linear work)."""
    from painsci_cli.load import validate

    worded: list[object] = []
    original = validate.dotted

    def counting(loc: tuple[object, ...]) -> str:
        worded.append(loc)
        return original(loc)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "dotted", counting)
    rows = "".join(
        f"  - {{id: t{i}, name: ' ', category: passive, description: d, evidence_gap: g}}\n" for i in range(12_000)
    )
    path = tmp_path / "blank.yaml"
    path.write_text(MINI_HEAD + "treatments:\n" + rows, encoding="utf-8")
    case = Case(
        65,
        r"{file}:\d+: treatments\[0\]\.name: must not be empty or blank",
        21,
        (r"{file}: 11,980 more problems not listed",),
    )
    run_in_process(invoke, ["validate", str(path)], case, str(path), yaml_events)
    assert len(worded) == 21
