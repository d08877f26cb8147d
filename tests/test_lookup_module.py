"""Pins lookup.py: a typed name to a treatment or a guideline, and the exact words of each failure.

resolve() accepts an id, alias or name in any case, with hyphens, underscores or spaces, or a
unique prefix; an ambiguous prefix lists its candidates (ids that start with the typed text
first), an unknown name suggests look-alikes, an empty one says so. guideline_id() takes an id
or short name or a prefix of either. (The commands that use them: test_commands.py.)
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import guideline, knowledge_base, treatment
from painsci_cli.errors import AmbiguousName, EmptyName, UnknownGuideline, UnknownName
from painsci_cli.load.store import Store
from painsci_cli.lookup import guideline_id, resolve, suggest_names
from painsci_cli.names import normalise_name

TREATMENTS = (
    treatment("massage", "Massage", "massage therapy"),
    treatment("relaxation-massage", "Relaxation massage", "swedish massage", parent="massage"),
    treatment("structural-massage", "Structural massage"),
    treatment("spinal-manipulation", "Spinal manipulation", "SMT"),
    treatment("spinal-mobilisation", "Spinal mobilisation"),
    treatment("chiropractic", "Chiropractic care", "spinal manual therapy"),
    treatment("tens", "TENS", "transcutaneous electrical nerve stimulation"),
    treatment("acupuncture", "Acupuncture", "needling"),
    treatment("usual-care", "Usual care"),
)
GUIDELINES = (
    guideline("nvl-2017", "NVL 2017"),
    guideline("nice-ng59", "NICE NG59"),
    guideline("who-2023", "WHO 2023"),
    guideline("acp-2017", "ACP 2017"),
)
CHOICES = "nvl-2017, nice-ng59, who-2023, acp-2017"


@pytest.fixture(scope="module")
def store() -> Store:
    return Store.from_kb(knowledge_base(TREATMENTS, GUIDELINES))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("massage", "massage"),  # id
        ("relaxation-massage", "relaxation-massage"),
        ("Relaxation massage", "relaxation-massage"),  # name
        ("massage therapy", "massage"),  # alias
        ("MASSAGE THERAPY", "massage"),  # any case
        ("Swedish-Massage", "relaxation-massage"),  # hyphens for spaces
        ("relaxation_massage", "relaxation-massage"),  # underscores too
        ("  swedish    massage ", "relaxation-massage"),  # runs of spaces
        ("smt", "spinal-manipulation"),
        ("tEnS", "tens"),
        ("acu", "acupuncture"),  # unique prefix of an id
        ("need", "acupuncture"),  # unique prefix of an alias
        ("usual", "usual-care"),
        ("spinal manip", "spinal-manipulation"),
        ("spinal-mob", "spinal-mobilisation"),
        ("transcutaneous", "tens"),
        ("chiropractic c", "chiropractic"),
        ("t", "tens"),  # a prefix of an id and an alias of the same treatment is unique
    ],
)
def test_resolve(store: Store, typed: str, found: str) -> None:
    assert resolve(store, typed).id == found


def test_an_exact_name_wins_over_a_longer_one_it_prefixes(store: Store) -> None:
    # "massage" is a prefix of "massage therapy" and also exactly an id: no ambiguity.
    assert resolve(store, "Massage").id == "massage"


@pytest.mark.parametrize(
    ("typed", "candidates", "message"),
    [
        (
            "spinal",
            ["spinal-manipulation", "spinal-mobilisation", "chiropractic"],
            "painsci: 'spinal' matches 3 treatments: 'spinal-manipulation', 'spinal-mobilisation', "
            "'chiropractic'; type more of the name",
        ),
        (
            "Spinal M",
            ["spinal-manipulation", "spinal-mobilisation", "chiropractic"],
            "painsci: 'Spinal M' matches 3 treatments: 'spinal-manipulation', 'spinal-mobilisation', "
            "'chiropractic'; type more of the name",
        ),
        (
            "s",
            ["spinal-manipulation", "spinal-mobilisation", "structural-massage", "chiropractic", "relaxation-massage"],
            "painsci: 's' matches 5 treatments: 'spinal-manipulation', 'spinal-mobilisation', "
            "'structural-massage' and 2 more; type more of the name",
        ),
    ],
)
def test_an_ambiguous_prefix_lists_ids_that_start_with_it_first(
    store: Store, typed: str, candidates: list[str], message: str
) -> None:
    with pytest.raises(AmbiguousName) as caught:
        resolve(store, typed)
    assert caught.value.name == typed
    assert caught.value.candidates == candidates
    assert caught.value.lines == (message,)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("typed", "suggestions", "message"),
    [
        ("masage", ["massage"], "painsci: unknown treatment 'masage'; did you mean 'massage'? (see 'painsci list')"),
        (
            "accupuncture",
            ["acupuncture"],
            "painsci: unknown treatment 'accupuncture'; did you mean 'acupuncture'? (see 'painsci list')",
        ),
        ("tns", ["tens"], "painsci: unknown treatment 'tns'; did you mean 'tens'? (see 'painsci list')"),
        (
            "relax massage",
            ["relaxation-massage", "massage", "structural-massage"],
            "painsci: unknown treatment 'relax massage'; did you mean 'relaxation-massage', 'massage' or "
            "'structural-massage'? (see 'painsci list')",
        ),
        ("zzz", [], "painsci: unknown treatment 'zzz' (see 'painsci list')"),
        ("\x1b[31m", [], "painsci: unknown treatment '\\u001b[31m' (see 'painsci list')"),
        ("x" * 200, [], f"painsci: unknown treatment '{'x' * 60}…' (see 'painsci list')"),
    ],
)
def test_an_unknown_name_suggests_look_alikes(store: Store, typed: str, suggestions: list[str], message: str) -> None:
    with pytest.raises(UnknownName) as caught:
        resolve(store, typed)
    assert caught.value.suggestions == suggestions
    assert caught.value.lines == (message,)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("typed", ["", " ", "\t", "-", "_ - _", "  --  "])
def test_an_empty_name(store: Store, typed: str) -> None:
    with pytest.raises(EmptyName) as caught:
        resolve(store, typed)
    assert caught.value.lines == ("painsci: empty treatment name; try 'painsci list'",)
    assert caught.value.exit_code == 2


def test_suggestions_name_each_treatment_once(store: Store) -> None:
    # "massage therapy" and "massage" both look like the typo and both belong to massage.
    assert suggest_names(store, normalise_name("masage therapy")) == ["massage", "chiropractic"]


def test_suggestions_are_capped(store: Store) -> None:
    assert suggest_names(store, "massage", limit=1) == ["massage"]
    assert len(suggest_names(store, "spinal", limit=2)) <= 2


def test_a_huge_name_is_cheap_to_refuse(store: Store) -> None:
    with pytest.raises(UnknownName) as caught:
        resolve(store, "q" * 100_000)
    assert caught.value.suggestions == []


@given(st.sampled_from(TREATMENTS), st.data())
def test_every_spelling_of_every_name_resolves_to_its_treatment(subject: object, data: st.DataObject) -> None:
    names = [subject.id, subject.name, *subject.aliases]  # type: ignore[attr-defined]
    name = data.draw(st.sampled_from(names))
    spelt = "".join(data.draw(st.sampled_from([c.upper(), c.lower()])) for c in name)
    spelt = spelt.replace(" ", data.draw(st.sampled_from([" ", "-", "_", "  "])))
    store = Store.from_kb(knowledge_base(TREATMENTS))
    assert resolve(store, spelt).id == subject.id  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- guidelines


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("nvl-2017", "nvl-2017"),
        ("NVL 2017", "nvl-2017"),
        ("nvl", "nvl-2017"),
        ("NVL", "nvl-2017"),
        ("nice", "nice-ng59"),
        ("NICE", "nice-ng59"),
        ("nice ng", "nice-ng59"),
        ("nice-ng59", "nice-ng59"),
        ("who-2023", "who-2023"),
        ("WHO 2023", "who-2023"),
        ("w", "who-2023"),
        ("acp", "acp-2017"),
        ("  acp_2017 ", "acp-2017"),
    ],
)
def test_guideline_id(store: Store, typed: str, found: str) -> None:
    assert guideline_id(store, typed) == found


@pytest.mark.parametrize("typed", ["cdc", "2017", "nvl-2018", "x" * 10])
def test_an_unknown_guideline_lists_the_choices_in_kb_order(store: Store, typed: str) -> None:
    with pytest.raises(UnknownGuideline) as caught:
        guideline_id(store, typed)
    assert caught.value.lines == (f"painsci: unknown guideline '{typed}'; choose one of {CHOICES}",)
    assert caught.value.choices == ["nvl-2017", "nice-ng59", "who-2023", "acp-2017"]
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("typed", ["", " ", "\t"])
def test_a_blank_guideline_asks_for_a_name(store: Store, typed: str) -> None:
    with pytest.raises(UnknownGuideline) as caught:
        guideline_id(store, typed)
    assert caught.value.lines == ("painsci: --guideline needs a guideline name before '=' (e.g. nice=against)",)


def test_a_guideline_name_is_escaped_and_cut(store: Store) -> None:
    with pytest.raises(UnknownGuideline) as caught:
        guideline_id(store, "\u202e" + "y" * 80)
    assert caught.value.lines == (f"painsci: unknown guideline '\\u202e{'y' * 59}…'; choose one of {CHOICES}",)


def test_a_prefix_shared_by_two_guidelines_is_refused_with_its_candidates(store: Store) -> None:
    with pytest.raises(UnknownGuideline) as caught:
        guideline_id(store, "n")  # nvl-2017 and nice-ng59
    assert caught.value.candidates == ["nvl-2017", "nice-ng59"]
    assert caught.value.lines == (
        "painsci: guideline 'n' matches 2 guidelines: 'nvl-2017', 'nice-ng59'; type more of the name",
    )
    assert caught.value.exit_code == 2


def test_a_prefix_shared_by_two_guidelines_is_not_called_unknown(store: Store) -> None:
    with pytest.raises(UnknownGuideline) as caught:
        guideline_id(store, "n")
    assert "unknown guideline" not in caught.value.lines[0]
