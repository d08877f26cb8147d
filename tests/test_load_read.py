"""Pins load/read.py: the byte and character screen every knowledge base passes before YAML.

read_bytes() takes only a readable regular file under the size cap (never blocking on a FIFO);
decode() takes strict UTF-8 with an optional BOM and names every forbidden character with its
line; label() says what kind of character it is; line_at() counts lines as YAML does.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import hang_guard
from painsci_cli.errors import KnowledgeBaseInvalid, KnowledgeBaseUnreadable
from painsci_cli.load import read
from painsci_cli.load.read import MAX_FORBIDDEN, decode, label, line_at, read_bytes

# --------------------------------------------------------------------------- read_bytes


def test_read_bytes_returns_the_file_exactly(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    content = b"\xef\xbb\xbfa: 1\r\nb: \xc3\xa4\n"
    path.write_bytes(content)
    assert read_bytes(path) == content


def test_an_empty_file_is_read_as_no_bytes(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_bytes(b"")
    assert read_bytes(path) == b""


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(tmp_path / "gone.yaml")
    assert caught.value.lines == (f"{tmp_path}/gone.yaml: knowledge base not found",)
    assert caught.value.exit_code == 66


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(tmp_path)
    assert caught.value.lines == (f"{tmp_path}: is a directory, not a knowledge base file",)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "kb.fifo"
    os.mkfifo(fifo)
    with hang_guard(), pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(fifo)
    assert caught.value.lines == (f"{fifo}: not a regular file (a FIFO, socket or device?)",)


def test_a_device_is_not_a_regular_file() -> None:
    with pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(Path("/dev/null"))
    assert caught.value.lines == ("/dev/null: not a regular file (a FIFO, socket or device?)",)


def test_a_nul_byte_in_the_path() -> None:
    with pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(Path("kb\x00.yaml"))
    assert caught.value.lines == ("kb\\u0000.yaml: cannot read knowledge base: invalid path",)


def test_a_file_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    with pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(tmp_path / "plain" / "kb.yaml")
    assert caught.value.lines == (f"{tmp_path}/plain/kb.yaml: cannot read knowledge base: Not a directory",)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission(tmp_path: Path) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text("a: 1\n")
    path.chmod(0)
    with pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(path)
    assert caught.value.lines == (f"{path}: cannot read knowledge base: Permission denied",)


def test_the_path_is_escaped_in_every_message(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseUnreadable) as caught:
        read_bytes(tmp_path / "\x1b[31mkb\u202e.yaml")
    assert caught.value.lines == (f"{tmp_path}/\\u001b[31mkb\\u202e.yaml: knowledge base not found",)


@pytest.mark.parametrize(("size", "refused"), [(99, False), (100, False), (101, True)])
def test_the_size_cap_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, refused: bool
) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 100)
    path = tmp_path / "kb.yaml"
    path.write_bytes(b"#" * size)
    if not refused:
        assert read_bytes(path) == b"#" * size
        return
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        read_bytes(path)
    assert caught.value.lines == (f"{path}: 101 bytes is over the 100-byte limit",)
    assert caught.value.exit_code == 65


def test_the_size_cap_message_groups_digits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 1000)
    path = tmp_path / "kb.yaml"
    path.write_bytes(b"#" * 12_345)
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        read_bytes(path)
    assert caught.value.lines == (f"{path}: 12,345 bytes is over the 1,000-byte limit",)


def test_a_file_that_grows_after_fstat_is_still_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # fstat says the file is empty (it grew after the check): the read itself stops past the cap.
    monkeypatch.setattr(read, "MAX_BYTES", 100)
    path = tmp_path / "kb.yaml"
    path.write_bytes(b"#" * 500)
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        fields = list(info)
        fields[stat.ST_SIZE] = 0
        return os.stat_result(fields)

    monkeypatch.setattr(read.os, "fstat", small_fstat)
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        read_bytes(path)
    assert caught.value.lines == (f"{path}: over the 100-byte limit",)


# --------------------------------------------------------------------------- decode


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"a: 1\n", "a: 1\n"),
        (b"\xef\xbb\xbfa: 1\n", "a: 1\n"),  # a leading BOM is dropped
        (b"a: \xc3\xa4\r\n", "a: ä\r\n"),
        (b"a:\tb\r\n", "a:\tb\r\n"),  # tab and CR are not forbidden
        (b"", ""),
        ("name: Bäk 😀 ½".encode(), "name: Bäk 😀 ½"),
    ],
)
def test_decode_accepts_utf8(raw: bytes, text: str) -> None:
    assert decode(raw, "kb.yaml") == text


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"a: 1\n\xffb", "kb.yaml:2: not valid UTF-8 (byte 0xFF); save the file as UTF-8"),
        (b"a\n" * 3 + b"\xc3\x28", "kb.yaml:4: not valid UTF-8 (byte 0xC3); save the file as UTF-8"),
        (b"a\r\nb\rc\n\xe9t\xe9", "kb.yaml:4: not valid UTF-8 (byte 0xE9); save the file as UTF-8"),
        (b"\xff\xfea\x00", "kb.yaml:1: not valid UTF-8 (byte 0xFF); save the file as UTF-8"),  # UTF-16
        (b"\xed\xa0\x80", "kb.yaml:1: not valid UTF-8 (byte 0xED); save the file as UTF-8"),  # a surrogate
    ],
)
def test_decode_refuses_other_encodings_with_the_line(raw: bytes, line: str) -> None:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        decode(raw, "kb.yaml")
    assert caught.value.lines == (line,)


def test_decode_names_every_forbidden_character_with_its_line() -> None:
    text = "a\x01\nb\r\n\x7f\rc\u202e\n\ufeff"
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        decode(text.encode(), "kb.yaml")
    assert caught.value.lines == (
        "kb.yaml:1: forbidden character U+0001 (control character)",
        "kb.yaml:3: forbidden character U+007F (DEL)",
        "kb.yaml:4: forbidden character U+202E (RIGHT-TO-LEFT OVERRIDE)",
        "kb.yaml:5: forbidden character U+FEFF (invisible format character)",
    )


def test_a_second_bom_is_forbidden() -> None:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        decode(b"\xef\xbb\xbf\xef\xbb\xbfa: 1", "kb.yaml")
    assert caught.value.lines == ("kb.yaml:1: forbidden character U+FEFF (invisible format character)",)


def test_decode_stops_listing_after_the_cap() -> None:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        decode(("\x1b\n" * 30).encode(), "kb.yaml")
    lines = caught.value.lines
    assert len(lines) == MAX_FORBIDDEN + 1 == 21
    assert lines[0] == "kb.yaml:1: forbidden character U+001B (ESC)"
    assert lines[19] == "kb.yaml:20: forbidden character U+001B (ESC)"
    assert lines[20] == "kb.yaml: further forbidden characters not listed"


def test_decode_uses_the_name_it_is_given() -> None:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        decode(b"\x00", "my kb.yaml")
    assert caught.value.lines == ("my kb.yaml:1: forbidden character U+0000 (NUL)",)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"))))
def test_ordinary_text_round_trips(text: str) -> None:
    assert decode(text.encode("utf-8"), "kb.yaml") == text


# --------------------------------------------------------------------------- label


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (0x00, "NUL"),
        (0x1B, "ESC"),
        (0x0D, "CARRIAGE RETURN"),
        (0x7F, "DEL"),
        (0x202E, "RIGHT-TO-LEFT OVERRIDE"),
        (0x200B, "ZERO WIDTH SPACE"),
        (0x01, "control character"),
        (0x0B, "control character"),
        (0x85, "control character"),  # C1
        (0x9F, "control character"),
        (0xAD, "invisible format character"),
        (0x2066, "invisible format character"),
        (0xFEFF, "invisible format character"),
        (0xE0001, "invisible format character"),
        (0xD800, "noncharacter"),
        (0xDFFF, "noncharacter"),
        (0xFDD0, "noncharacter"),
        (0xFDEF, "noncharacter"),
        (0xFFFE, "noncharacter"),
        (0xFFFF, "noncharacter"),
        (0x1FFFE, "noncharacter"),
        (0x10FFFF, "noncharacter"),
    ],
)
def test_label(code: int, name: str) -> None:
    assert label(code) == name


# --------------------------------------------------------------------------- line_at


@pytest.mark.parametrize(
    ("position", "line"),
    [(0, 1), (1, 1), (2, 2), (3, 2), (5, 3), (6, 3), (7, 4), (8, 4), (100, 4)],
)
def test_line_at_counts_lf_crlf_and_lone_cr_as_one_break_each(position: int, line: int) -> None:
    #       a \n b \r \n c \r d
    # index 0  1 2  3  4 5  6 7
    assert line_at("a\nb\r\nc\rd", position) == line


def test_line_at_the_start_of_an_empty_text() -> None:
    assert line_at("", 0) == 1


@given(st.lists(st.text(alphabet="ab "), min_size=1, max_size=20), st.sampled_from(["\n", "\r\n", "\r"]))
def test_line_at_agrees_with_splitting(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    start = 0
    for number, content in enumerate(lines, start=1):
        assert line_at(text, start) == number
        start += len(content) + len(newline)
