"""Paths and small helpers shared by the tests."""

from __future__ import annotations

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
