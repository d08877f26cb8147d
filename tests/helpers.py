"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "data" / "treatments.yaml"


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing `needle`, so tests say what they point at."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in text {nth} times")


def markdown_unescaped(text: str) -> str:
    """What a Markdown reader shows for escaped text: backslash escapes and entities resolved."""
    import html
    import re

    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))


class YamlEvents:
    """Counts the YAML events the loader pulls: the loader's work, measured without a clock.

    Installed over `yaml.CSafeLoader` (and `yaml.SafeLoader`) by the `yaml_events` fixture; a
    refusal that stays within its budget pulls at most about two events per node it may read.
    """

    def __init__(self) -> None:
        self.count = 0

    def loader(self, base: type) -> type:
        counter = self

        class Counting(base):  # type: ignore[misc, valid-type]
            def get_event(self) -> object:
                counter.count += 1
                return super().get_event()

        return Counting


@contextlib.contextmanager
def hang_guard(seconds: float = 20.0) -> Iterator[None]:
    """Fails a test that blocks (a FIFO read, an endless loop) instead of letting it hang CI.

    Generous on purpose: it catches hangs, not slowness, so a busy machine never turns it red.
    """

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
