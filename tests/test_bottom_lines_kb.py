"""The bottom line of every treatment in the shipped knowledge base, as reviewed by hand.

tests/data/bottom_lines.tsv holds, for all treatments and both phases, the verdict, the finding it
rests on, the rules that fired and the flags that travel with the number, each treatment with a
line saying why that is what SYNTHESIS.md and the seed articles lead to. A change to a rule or to
the knowledge base that moves any of them fails here until someone reviews the row again.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import Result

from helpers import BUNDLED, DATA
from painsci_cli import judgements, profile
from painsci_cli.load import load_uncached
from painsci_cli.load.store import Store
from painsci_cli.profile import VERDICT_RANK, EvidenceProfile, Phase

Invoke = Callable[..., Result]


class Expected(NamedTuple):
    treatment: str
    phase: Phase
    verdict: str
    finding: str
    reasons: str
    flags: str


def read_table(path: Path = DATA / "bottom_lines.tsv") -> list[Expected]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            assert len(cells) == 6, f"{path.name}: six tab-separated cells expected: {line!r}"
            rows.append(Expected(*cells))  # type: ignore[arg-type]
    return rows


TABLE = read_table()


@pytest.fixture(scope="module")
def store() -> Store:
    return Store.from_kb(load_uncached(BUNDLED.read_bytes(), str(BUNDLED)))


def evidence(store: Store, treatment: str, phase: Phase) -> EvidenceProfile:
    return judgements.evidence(store, store.treatments[treatment], phase)


def test_the_table_covers_every_treatment_in_both_phases_once(store: Store) -> None:
    keys = [(row.treatment, row.phase) for row in TABLE]
    assert len(keys) == len(set(keys))
    assert set(keys) == {(t, p) for t in store.directory.ids for p in profile.PHASES}


@pytest.mark.parametrize("row", TABLE, ids=[f"{r.treatment}-{r.phase}" for r in TABLE])
def test_bottom_line(store: Store, row: Expected) -> None:
    found = evidence(store, row.treatment, row.phase)
    line = found.bottom_line
    basis = found.answer(line.basis) if line.basis else None
    assert line.verdict + (", short-lived" if line.short_lived else "") == row.verdict
    assert (basis.finding if basis else "") == row.finding
    assert " ".join(r.code for r in line.reasons) == row.reasons
    assert " ".join(basis.flags if basis else ()) == row.flags


# --------------------------------------------------------------------------- the cases issue 12 names


def test_exercise_is_not_no_better_than_sham_on_indirect_evidence(store: Store) -> None:
    found = evidence(store, "exercise-therapy", "chronic")
    assert found.specific is not None and found.specific.finding == "miller-2021-vs-placebo"
    assert found.specific.indirect
    assert found.bottom_line.verdict == "probably helps"
    assert found.bottom_line.basis == "pragmatic"


def test_ultrasound_is_never_spoken_for_by_the_superseded_review(store: Store) -> None:
    found = evidence(store, "therapeutic-ultrasound", "chronic")
    spoken = {a.finding for a in (found.specific, found.pragmatic, found.relative) if a is not None}
    assert not {f for f in spoken if f.startswith("ebadi-2014")}
    assert found.specific is not None and found.specific.finding == "licciardone-2013-us-responder-30-itt"


@pytest.mark.parametrize(
    "treatment", ["pulsed-electromagnetic-field-therapy", "magnetic-field-therapy", "static-magnets"]
)
def test_an_implausible_treatment_never_ranks_above_very_uncertain(store: Store, treatment: str) -> None:
    for phase in profile.PHASES:
        assert evidence(store, treatment, phase).bottom_line.rank <= VERDICT_RANK["very uncertain"]


def test_acupunctures_sham_result_speaks_before_usual_care(store: Store) -> None:
    found = evidence(store, "acupuncture", "chronic")
    assert found.pragmatic is not None and found.pragmatic.shows == "benefit"  # Mu 2020, an upper bound
    assert found.bottom_line.basis == "specific"
    assert found.bottom_line.verdict == "little or no better than sham"


def test_no_treatment_is_marked_best_on_evidence_that_cannot_win(store: Store) -> None:
    """Every pair of the knowledge base: kinesiology taping, acupuncture and the magnets never
    carry an effect "(best)", and whoever does holds a firm answer (SYNTHESIS.md §3)."""
    for phase in profile.PHASES:
        rows = {t: judgements.row(store, store.treatments[t], phase) for t in store.directory.ids}
        marked = 0
        for a, b in itertools.combinations(rows.values(), 2):
            for attribute, winners in judgements.best_in_rows([a, b]).items():
                if not attribute.startswith("effect:"):
                    continue
                marked += 1
                never = {"kinesiology-taping", "acupuncture", "pulsed-electromagnetic-field-therapy", "static-magnets"}
                assert not never & set(winners), (phase, a.id, b.id, attribute)
                question = attribute.split(":")[1]
                for winner in winners:
                    row = rows[winner]
                    answer = next(x for x in row.answers if x.question == question)
                    assert judgements._firm(row, answer), (phase, a.id, b.id, attribute)
        assert marked > 0  # the mark still exists where a firm answer wins


def test_compare_acupuncture_with_its_sham_shows_the_head_to_head_and_marks_nothing(invoke: Invoke) -> None:
    doc = json.loads(invoke("compare", "acupuncture", "simulated-acupuncture", "--json").stdout)
    heads = {(h["treatment"], h["comparator"], h["finding"]) for h in doc["head_to_head"]}
    assert heads == {
        ("acupuncture", "simulated-acupuncture", "mu-2020-vs-sham-pain-immediate"),
        ("acupuncture", "simulated-acupuncture", "mu-2020-vs-sham-function-immediate"),
        ("acupuncture", "simulated-acupuncture", "vickers-2012-vs-sham-pain"),
    }
    assert doc["best"] == {}
    table = invoke("compare", "acupuncture", "simulated-acupuncture", "--format", "table").stdout
    assert "(best)" not in table.split("Each row answers")[0]
    assert table.index("Head to head") < table.index("bottom line")


def test_sorting_puts_lasting_active_help_above_brief_or_implausible_passive_help(invoke: Invoke) -> None:
    """IQWiG: passive treatments help briefly if at all; active treatments matter more."""
    order = [r["id"] for r in json.loads(invoke("list", "--sort", "effect", "--json").stdout)["treatments"]]
    for lasting in ("exercise-therapy", "cognitive-behavioural-therapy", "multidisciplinary-rehabilitation"):
        assert order.index(lasting) < order.index("interferential-current")
    helping = order[: order.index("interferential-current")]
    assert "pulsed-electromagnetic-field-therapy" not in helping
    assert order.index("pulsed-electromagnetic-field-therapy") > order.index("massage")
    assert order.index("kinesiology-taping") > order.index("massage")
