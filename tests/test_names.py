"""Names are compared in one form at load and at lookup: NFKC, case-folded, spaces normalised;
look-alikes across Latin, Cyrillic and Greek share a skeleton (issue 17, item 14)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helpers import MINI
from painsci_cli import load
from painsci_cli.lookup import resolve
from painsci_cli.names import CONFUSABLES, INVISIBLE, name_problem, normalise_name, skeleton

Invoke = Callable[..., object]
FORMS = ("NFC", "NFD", "NFKC", "NFKD")


@example("\u0345")  # COMBINING YPOGEGRAMMENI folds to Greek iota, itself a look-alike of i
@given(st.text(max_size=40))
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise_name(text)
    assert normalise_name(once) == once
    assert skeleton(skeleton(text)) == skeleton(text)


@given(st.text(max_size=40))
def test_every_normal_form_of_a_name_is_the_same_name(text: str) -> None:
    keys = {normalise_name(unicodedata.normalize(form, text)) for form in FORMS}
    assert len(keys) == 1, keys
    skeletons = {skeleton(unicodedata.normalize(form, text)) for form in FORMS}
    assert len(skeletons) == 1, skeletons


@given(st.text(max_size=40))
def test_a_normalised_name_has_no_edge_or_double_spaces_nor_hyphens(text: str) -> None:
    key = normalise_name(text)
    assert key == key.strip()
    assert "  " not in key
    assert "-" not in key and "_" not in key
    assert key == key.casefold() or normalise_name(key) == key


@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz -"), min_size=1, max_size=30))
def test_fullwidth_and_case_are_the_same_name(text: str) -> None:
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    assert normalise_name(fullwidth) == normalise_name(text.upper()) == normalise_name(text)


@given(st.text(alphabet=st.sampled_from(sorted(CONFUSABLES)), min_size=1, max_size=20))
def test_every_look_alike_has_a_latin_skeleton(text: str) -> None:
    assert skeleton(text).isascii()


@given(
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=10),
    st.sampled_from(sorted(INVISIBLE)),
)
def test_an_invisible_character_is_never_in_a_name(word: str, invisible: str) -> None:
    problem = name_problem(word + invisible)
    assert problem is not None
    assert problem.startswith("contains an invisible character U+")


@pytest.mark.parametrize("name", ["", " ", "-", "_", " - _ ", "\u3000", "\u3164", "\uffa0", "\u2800", "a\u2800b"])
def test_names_with_nothing_to_read_are_refused(name: str) -> None:
    assert name_problem(name) is not None


@pytest.mark.parametrize(
    "name", ["TENS", "[/]", "Massage therapy", "α-lipoic acid", "腰痛の運動療法", "Café", "массаж", "ölmassage"]
)
def test_ordinary_names_pass(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Relaxation massage", "relaxation-massage"),
        ("ＲＥＬＡＸＡＴＩＯＮ ＭＡＳＳＡＧＥ", "relaxation-massage"),  # fullwidth
        ("relaxation-massage", "relaxation-massage"),
        ("SWEDISH MASSAGE", "relaxation-massage"),
        ("m\u0430ssage", "massage"),  # Cyrillic а: the one name it looks like
        ("\u041c\u0410\u0405\u0405\u0410GE", "massage"),  # Cyrillic capitals
        ("us\u03c5al care", "usual-care"),  # Greek upsilon
        ("usual\u00a0care", "usual-care"),  # a no-break space
    ],
)
def test_lookup_applies_the_same_normalisation(typed: str, expected: str) -> None:
    store = load.load(str(MINI))
    assert resolve(store, typed).id == expected


def test_a_name_typed_decomposed_finds_the_composed_alias(write_kb: Callable[..., Path], mini_text: str) -> None:
    path = write_kb(mini_text.replace("[swedish massage]", "[swedish massage, Caf\u00e9 rel\u00e4x]"), "kb.yaml")
    store = load.load(str(path))
    assert resolve(store, unicodedata.normalize("NFD", "CAFÉ RELÄX")).id == "relaxation-massage"
