"""Pins suggest.py: did-you-mean for misspelt names and keys, and the keys allowed at a location.

allowed_keys() walks the model's type hints from KnowledgeBase along a location, through tuples
and optional records (`Blinding | None`, `Effect | None` → `Interval | None`), so a misspelt key
anywhere in the YAML gets the right suggestions.
"""

from __future__ import annotations

import dataclasses

import pytest

from painsci_cli import models
from painsci_cli.models import KnowledgeBase
from painsci_cli.suggest import allowed_keys, close_matches, did_you_mean


@pytest.mark.parametrize(
    ("word", "candidates", "limit", "found"),
    [
        ("masage", ["massage", "tens", "message"], 3, ["massage", "message"]),
        ("masage", ["massage", "tens", "message"], 1, ["massage"]),
        ("tens", ["tens", "pens", "lens"], 3, ["tens", "pens", "lens"]),  # ties: later in the alphabet first
        ("xyz", ["massage", "tens"], 3, []),
        ("", ["a"], 3, []),
        ("a", [], 3, []),
    ],
)
def test_close_matches_best_first(word: str, candidates: list[str], limit: int, found: list[str]) -> None:
    assert close_matches(word, candidates, limit=limit) == found


def test_close_matches_takes_any_iterable() -> None:
    assert close_matches("tnes", iter(["tens", "sham"])) == ["tens"]
    assert close_matches("tnes", {"tens": 1}) == ["tens"]


@pytest.mark.parametrize(
    ("word", "found"),
    [
        ("evidense_gap", "evidence_gap"),
        ("aliasses", "aliases"),
        ("recomendations", "recommendations"),
        ("catgory", "category"),
        ("colour", None),
    ],
)
def test_did_you_mean(word: str, found: str | None) -> None:
    assert did_you_mean(word, allowed_keys(KnowledgeBase, ("treatments", 0))) == found


def fields_of(record: type) -> list[str]:
    return [f.name for f in dataclasses.fields(record)]


@pytest.mark.parametrize(
    ("loc", "record"),
    [
        ((), models.KnowledgeBase),
        (("treatments", 0), models.Treatment),
        (("treatments", 7), models.Treatment),
        (("scales", 0), models.Scale),
        (("sources", 2), models.Source),
        (("guidelines", 0), models.Guideline),
        (("treatments", 0, "findings", 0), models.Finding),
        (("treatments", 0, "findings", 0, "cite"), models.Citation),
        (("treatments", 0, "findings", 0, "blinding"), models.Blinding),  # Blinding | None
        (("treatments", 0, "findings", 0, "effect"), models.Effect),  # Effect | None
        (("treatments", 0, "findings", 0, "effect", "ci95"), models.Interval),  # Interval | None, inside
        (("treatments", 0, "findings", 0, "mcid", "cite"), models.Citation),
        (("treatments", 0, "findings", 0, "time_point"), models.TimePoint),
        (("treatments", 0, "findings", 0, "size", "arms", 1), models.Arm),
        (("treatments", 0, "mechanism"), models.Mechanism),
        (("treatments", 0, "mechanism", "cites", 0), models.Citation),
        (("treatments", 0, "recommendations", 0, "condition"), models.Condition),
        (("treatments", 0, "within_group", 0, "outcome"), models.Outcome),
    ],
)
def test_allowed_keys_follow_the_location(loc: tuple[str | int, ...], record: type) -> None:
    assert allowed_keys(KnowledgeBase, loc) == fields_of(record)


@pytest.mark.parametrize(
    "loc",
    [
        ("reviewed",),  # a str
        ("schema_version",),  # an int
        ("treatments",),  # a tuple, not a record
        ("treatments", 0, "name"),
        ("treatments", 0, "aliases", 0),
        ("treatments", 0, "findings", 0, "time_point", "weeks"),  # int | float | None: not one record
        ("nosuch",),
        ("nosuch", "deeper", 0),
        ("treatments", "x"),  # a name where an index belongs
        ("treatments", 0, 0),  # an index where a name belongs
    ],
)
def test_no_keys_where_there_is_no_record(loc: tuple[str | int, ...]) -> None:
    assert allowed_keys(KnowledgeBase, loc) == []


def test_the_root_can_be_any_record() -> None:
    assert allowed_keys(models.Finding, ("effect", "ci95")) == ["lower", "upper"]
    assert allowed_keys(models.Interval, ()) == ["lower", "upper"]
