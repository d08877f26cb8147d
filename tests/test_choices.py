"""Pins choices.py: the vocabularies typed on the command line are the model's, in its order.

--category, --min-certainty, --sort and a --guideline stance equal the Literal values they are
built from; any case is accepted (`--category Passive`, `--sort EFFECT`, `--guideline NVL=Against`);
a bad value exits 2 naming the allowed values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from typing import get_args

import pytest
from typer.testing import Result

from helpers import MINI
from painsci_cli import choices, vocabulary
from painsci_cli.choices import Category, Certainty, Sort, Stance, listed
from painsci_cli.documents import SortKey

Invoke = Callable[..., Result]


@pytest.mark.parametrize(
    ("choice", "vocabulary", "values"),
    [
        (Category, vocabulary.Category, ["active", "passive", "comparator"]),
        (Certainty, vocabulary.CertaintyLevel, ["high", "moderate", "low", "very_low", "insufficient"]),
        (Sort, SortKey, ["name", "bottom-line", "effect", "certainty"]),
        (Stance, vocabulary.Stance, ["for", "against", "not_addressed", "unverified"]),
    ],
    ids=["category", "certainty", "sort", "stance"],
)
def test_choices_are_the_literal_values_in_order(choice: type[StrEnum], vocabulary: object, values: list[str]) -> None:
    assert [member.value for member in choice] == list(get_args(vocabulary)) == values
    assert [member.name for member in choice] == values
    assert all(isinstance(member, str) for member in choice)


def test_choices_compare_equal_to_their_text() -> None:
    assert Category("passive") == "passive"
    assert Sort["effect"] is Sort("effect")


@pytest.mark.parametrize(
    ("choice", "text"),
    [
        (Category, "active, passive, comparator"),
        (Certainty, "high, moderate, low, very_low, insufficient"),
        (Sort, "name, bottom-line, effect, certainty"),
        (Stance, "for, against, not_addressed, unverified"),
    ],
)
def test_listed(choice: type[StrEnum], text: str) -> None:
    assert listed(choice) == text


def test_a_new_vocabulary_is_one_call() -> None:
    made = choices._choices("Duration", vocabulary.Duration)
    assert [m.value for m in made] == list(get_args(vocabulary.Duration))
    assert made.__name__ == "Duration"


def test_help_lists_the_values_in_order(invoke: Invoke) -> None:
    text = invoke("list", "--help").stdout
    # typer 0.26 brackets the values [a|b], later releases <a|b>
    assert re.search(r"--category [<[]active\|passive\|comparator[>\]]", text)
    assert re.search(r"--min-certainty [<[]high\|moderate\|low\|very_low\|insufficient[>\]]", text)
    assert re.search(r"--sort [<[]name\|bottom-line\|effect\|certainty[>\]]", text)
    assert "for, against, not_addressed, unverified, or a strength such as open-for" in " ".join(text.split())


# --------------------------------------------------------------------------- on the command line


def listing(invoke: Invoke, *args: str) -> Result:
    result = invoke("--data", str(MINI), "list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        (("--category", "Passive"), ("--category", "passive")),
        (("--category", "COMPARATOR"), ("--category", "comparator")),
        (("--min-certainty", "Low"), ("--min-certainty", "low")),
        (("--min-certainty", "VERY_LOW"), ("--min-certainty", "very_low")),
        (("--sort", "EFFECT"), ("--sort", "effect")),
        (("--sort", "Certainty"), ("--sort", "certainty")),
        (("--guideline", "NVL=Against"), ("--guideline", "nvl=against")),
        (("--guideline", "nvl=NOT_ADDRESSED"), ("--guideline", "nvl=not_addressed")),
        (("--guideline", "nvl=not addressed"), ("--guideline", "nvl=not_addressed")),
        (("--guideline", "NVL 2017 = For"), ("--guideline", "nvl-2017=for")),
    ],
)
def test_any_case_is_accepted(invoke: Invoke, typed: tuple[str, ...], canonical: tuple[str, ...]) -> None:
    assert listing(invoke, *typed).stdout == listing(invoke, *canonical).stdout


@pytest.mark.parametrize(
    ("option", "value", "allowed"),
    [
        ("--category", "activ", "'active', 'passive', 'comparator'"),
        ("--category", "", "'active', 'passive', 'comparator'"),
        ("--min-certainty", "lo", "'high', 'moderate', 'low', 'very_low', 'insufficient'"),
        ("--min-certainty", "very low", "'high', 'moderate', 'low', 'very_low', 'insufficient'"),
        ("--sort", "size", "'name', 'bottom-line', 'effect', 'certainty'"),
    ],
)
def test_a_bad_value_exits_2_listing_the_allowed_ones(invoke: Invoke, option: str, value: str, allowed: str) -> None:
    result = invoke("--data", str(MINI), "list", option, value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"painsci: Invalid value for '{option}': '{value}' is not one of {allowed}. (see 'painsci list --help')\n"
    )


@pytest.mark.parametrize("typed", ["nvl=maybe", "nvl", "nvl:for", "nvl=", "=", "nvl=for=against"])
def test_a_bad_guideline_stance_lists_the_stances(invoke: Invoke, typed: str) -> None:
    result = invoke("--data", str(MINI), "list", "--guideline", typed)
    assert result.exit_code == 2
    assert result.stderr == (
        "painsci: --guideline takes NAME=POSITION with POSITION one of for, against, not_addressed, unverified, "
        "strong-for, weak-for, open-for, conditional-for, strong-against, weak-against, open-against, "
        "conditional-against; "
        f"got '{typed}'\n"
    )


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("=for", "painsci: --guideline needs a guideline name before '=' (e.g. nice=against)"),
        ("cdc=for", "painsci: unknown guideline 'cdc'; choose one of nvl-2017"),
    ],
)
def test_a_bad_guideline_name(invoke: Invoke, typed: str, line: str) -> None:
    result = invoke("--data", str(MINI), "list", "--guideline", typed)
    assert result.exit_code == 2
    assert result.stderr == line + "\n"


def test_a_guideline_prefix_shared_by_two_is_ambiguous_on_the_command_line(invoke: Invoke) -> None:
    result = invoke("list", "--guideline", "n=for")  # the bundled KB: NVL and NICE
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        result.stderr == "painsci: guideline 'n' matches 2 guidelines: 'nvl-2017', 'nice-ng59'; type more of the name\n"
    )
