"""Cross-checks: each rule that spans fields or records, shown failing on a bad document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import line_of
from painsci_cli import load
from painsci_cli.errors import KnowledgeBaseInvalid
from painsci_cli.models import Treatment

WriteKb = Callable[..., Path]


def reported(write_kb: WriteKb, text: str) -> tuple[str, ...]:
    path = write_kb(text)
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        load.load_uncached(path.read_bytes(), path.name)
    return caught.value.lines


@pytest.mark.parametrize(
    ("old", "new", "anchor", "expected"),
    [
        (
            "  - id: massage\n",
            "  - id: usual-care\n",
            ("id: usual-care", 2),
            "treatments[1].id: duplicate id 'usual-care'",
        ),
        (
            'cite: {source: cherkin-2011, locator: "abstract, results"',
            'cite: {source: cherkin-2012, locator: "abstract, results"',
            "cherkin-2012",
            "treatments[2].findings[0].cite.source: unknown source 'cherkin-2012'",
        ),
        (
            "scale: rdq-23}",
            "scale: rdq-24}",
            "scale: rdq-24",
            "treatments[2].findings[0].outcome.scale: unknown scale 'rdq-24'",
        ),
        (
            "ci95: {lower: -4.0, upper: -1.8}",
            "ci95: {lower: -1.8, upper: -4.0}",
            "ci95:",
            "treatments[2].findings[0].effect.ci95: lower bound -1.8 is above upper bound -4",
        ),
        (
            "estimate: -2.9",
            "estimate: -4.9",
            "estimate:",
            "treatments[2].findings[0].effect.estimate: estimate -4.9 lies outside its CI",
        ),
        ("n: 136}", "n: 0}", "n: 0}", "treatments[2].findings[0].size.arms[0].n: arm size must be positive, got 0"),
        (
            "aliases: [swedish massage]",
            "aliases: [massage therapy]",
            ("aliases: [massage therapy]", 2),
            "treatments[2].aliases[0]: name 'massage therapy' already belongs to treatment 'massage'",
        ),
        (
            "favours_treatment: negative",
            "favours_treatment: positive",
            "favours_treatment",
            "treatments[2].findings[0].effect.favours_treatment: on rdq-23 (lower_is_better) a benefit is negative",
        ),
        (
            "          value: 2\n",
            "          value: 30\n",
            "value: 30",
            "treatments[2].findings[0].mcid.value: MCID must lie inside the range of rdq-23",
        ),
        (
            "    parent: massage\n",
            "    parent: massages\n",
            "parent: massages",
            "treatments[2].parent: unknown parent treatment 'massages'",
        ),
        (
            "    evidence_gap: No review-level figure in this test KB.\n",
            "",
            "  - id: massage",
            "treatments[1].evidence_gap: no findings: say why in evidence_gap",
        ),
        (
            "        stance: not_addressed\n        strength: null",
            "        stance: for\n        strength: null",
            "strength: null",
            "treatments[0].recommendations[0].strength: a recommendation for or against needs a strength",
        ),
        (
            "treatment: usual-care}",
            "treatment: usual}",
            "treatment: usual}",
            "treatments[2].findings[0].comparator.treatment: unknown treatment 'usual'",
        ),
        (
            "    source: nvl-2017\n    wording_scale",
            "    source: nvl-2018\n    wording_scale",
            "source: nvl-2018",
            "guidelines[0].source: unknown source 'nvl-2018'",
        ),
        (
            "    min: 0\n    max: 23",
            "    min: 23\n    max: 23",
            "max: 23",
            "scales[0].max: max (23) must be greater than min (23)",
        ),
    ],
)
def test_cross_check(
    write_kb: WriteKb, mini_text: str, old: str, new: str, anchor: str | tuple[str, int], expected: str
) -> None:
    assert old in mini_text
    text = mini_text.replace(old, new, 1)
    needle, nth = anchor if isinstance(anchor, tuple) else (anchor, 1)
    assert f"broken.yaml:{line_of(text, needle, nth)}: {expected}" in reported(write_kb, text)


def test_parent_cycle_is_refused(write_kb: WriteKb, mini_text: str) -> None:
    text = mini_text.replace(
        "    aliases: [massage therapy]\n", "    parent: relaxation-massage\n    aliases: [massage therapy]\n"
    )
    lines = reported(write_kb, text)
    line = line_of(text, "parent: relaxation-massage")
    assert f"broken.yaml:{line}: treatments[1].parent: parent chain loops back to this treatment" in lines


def test_missing_required_field_points_at_its_record(write_kb: WriteKb, mini_text: str) -> None:
    text = mini_text.replace("    description: Hands-on treatment of the soft tissues.\n", "")
    line = line_of(text, "  - id: massage")
    assert reported(write_kb, text) == (
        f"broken.yaml:{line}: treatments[1].description: required field 'description' is missing",
    )


def test_parent_cycle_check_reads_each_treatment_once() -> None:
    """A 6,000-long parent chain costs 6,000 steps, not 18 million (the check was once quadratic)."""
    from painsci_cli.rules import _on_parent_cycles

    class Counting(dict[str, Treatment]):
        reads = 0

        def __getitem__(self, key: str) -> Treatment:
            Counting.reads += 1
            return super().__getitem__(key)

    chain = Counting(
        (f"t{i}", Treatment(f"t{i}", f"T {i}", "passive", "d", parent=f"t{i - 1}" if i else None)) for i in range(6_000)
    )
    loop = Counting(
        {"a": Treatment("a", "A", "passive", "d", parent="b"), "b": Treatment("b", "B", "passive", "d", parent="a")}
    )
    assert _on_parent_cycles(chain) == set()
    assert Counting.reads <= 6_000
    assert _on_parent_cycles(loop) == {"a", "b"}
