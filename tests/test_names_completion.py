"""Pins names.py: how treatment names are compared, indexed and offered for TAB completion
(the NFKC and look-alike rules are in test_names.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painsci_cli.names import completions, name_index, normalise_name


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("TENS", "tens"),
        ("Swedish massage", "swedish massage"),
        ("swedish-massage", "swedish massage"),
        ("swedish_massage", "swedish massage"),
        ("  Swedish \t  MASSAGE  ", "swedish massage"),
        ("spinal--manipulation", "spinal manipulation"),
        ("-tens-", "tens"),
        ("Straße", "strasse"),  # casefold, not lower
        ("ÄRZTE", "ärzte"),
        ("", ""),
        ("   ", ""),
        ("-_-", ""),
        ("a\nb", "a b"),
    ],
)
def test_normalise_name(name: str, key: str) -> None:
    assert normalise_name(name) == key


@given(st.text())
def test_normalising_twice_changes_nothing(name: str) -> None:
    once = normalise_name(name)
    assert normalise_name(once) == once
    assert "-" not in once and "_" not in once and "  " not in once
    assert once == once.strip()


@given(st.text(alphabet="abc -_ABC"))
def test_case_and_separators_do_not_matter(name: str) -> None:
    assert normalise_name(name) == normalise_name(name.upper().replace("-", "_").replace(" ", "-"))


def test_name_index_maps_every_name_to_its_id() -> None:
    index = name_index([("tens", "TENS", "transcutaneous electrical nerve stimulation"), ("usual-care", "Usual care")])
    assert index == {
        "tens": "tens",
        "transcutaneous electrical nerve stimulation": "tens",
        "usual care": "usual-care",
    }


def test_name_index_keeps_the_first_owner_of_a_shared_name() -> None:
    index = name_index([("massage", "Massage", "bodywork"), ("shiatsu", "Shiatsu", "Bodywork")])
    assert index["bodywork"] == "massage"


def test_name_index_of_nothing() -> None:
    assert name_index([]) == {}


IDS = ["massage", "relaxation-massage", "structural-massage", "tens", "pens"]
NAMES = {
    "massage": "massage",
    "massage therapy": "massage",
    "relaxation massage": "relaxation-massage",
    "swedish massage": "relaxation-massage",
    "tens": "tens",
    "transcutaneous electrical nerve stimulation": "tens",
    "pens": "pens",
}


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("", IDS),
        ("mass", ["massage"]),
        ("massage", ["massage"]),
        ("r", ["relaxation-massage"]),
        ("s", ["structural-massage"]),  # an id matches: names are not consulted
        ("sw", ["swedish-massage"]),  # no id: names, hyphenated
        ("massage-", ["massage-therapy"]),
        ("trans", ["transcutaneous-electrical-nerve-stimulation"]),
        ("x", []),
        ("Mass", []),  # exact prefix only: the shell drops any other offer
    ],
)
def test_completions(typed: str, offered: list[str]) -> None:
    assert completions(IDS, NAMES, typed) == offered


def test_name_offers_are_sorted_and_unique() -> None:
    names = {"b one": "x", "a one": "y", "a two": "z", "a-one": "y"}
    assert completions([], names, "a") == ["a-one", "a-two"]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz -", max_size=8))
def test_every_offer_starts_with_the_typed_text(typed: str) -> None:
    assert all(offer.startswith(typed) for offer in completions(IDS, NAMES, typed))
