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
            "    source: nvl-2017,\n    wording_scale",
            "    source: nvl-2018,\n    wording_scale",
            "source: nvl-2018",
            "guidelines[0].source: unknown source 'nvl-2018'",
        ),
        # --- round 2: authors, guideline dates, context flags, certainty ranges, unnamed scales
        (
            "authors: {names: [Cherkin DC, Sherman KJ, Kahn J], et_al: true}",
            "authors: {names: [Cherkin DC, Sherman KJ, Kahn J, et al.]}",
            "authors: {names: [Cherkin DC",
            "sources[0].authors.names[3]: 'et al.' is not an author: set et_al: true instead",
        ),
        (
            "authors: {names: [Cherkin DC, Sherman KJ, Kahn J], et_al: true}",
            "authors: {names: [], et_al: true}",
            "authors: {names: []",
            "sources[0].authors.names: list at least one author (a person or one organisation)",
        ),
        (
            "authors: {names: [Cherkin DC, Sherman KJ, Kahn J], et_al: true}",
            'authors: {names: [Cherkin DC, " "]}',
            "authors: {names: [Cherkin DC",
            "sources[0].authors.names[1]: an author name cannot be blank",
        ),
        (
            "authors: {names: [BÄK, KBV, AWMF]}",
            "authors: {names: [BÄK, KBV, AWMF], organisation: true}",
            "organisation: true",
            "sources[1].authors.organisation: an organisation is exactly one name, got 3",
        ),
        (
            'published: "2017-03"',
            'published: "March 2017"',
            "published:",
            "guidelines[0].published: 'March 2017' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            'valid_until: "2022-03"',
            'valid_until: "2022-13"',
            "valid_until:",
            "guidelines[0].valid_until: '2022-13' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            'valid_until: "2022-03"',
            'valid_until: "2016-12-31"',
            "valid_until:",
            "guidelines[0].valid_until: valid_until 2016-12-31 is before published 2017-03",
        ),
        (
            'valid_until: "2022-03"',
            'valid_until: "2022-03", last_updated: "2019-02-30"',
            "last_updated:",
            "guidelines[0].last_updated: '2019-02-30' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            "        certainty: null\n",
            "        certainty: null\n        indirect: {}\n",
            "indirect: {}",
            "treatments[2].findings[0].indirect: say what is indirect: the population, the intervention or both",
        ),
        (
            "        certainty: null\n",
            "        certainty: null\n        superseded_by: cherkin-2012\n",
            "superseded_by:",
            "treatments[2].findings[0].superseded_by: unknown source 'cherkin-2012'",
        ),
        (
            "        certainty: null\n",
            "        certainty: null\n        superseded_by: cherkin-2011\n",
            "superseded_by:",
            "treatments[2].findings[0].superseded_by: a source cannot supersede itself",
        ),
        (
            "        certainty: null\n",
            "        certainty: {system: grade, level: low, up_to: very_low}\n",
            "up_to:",
            "treatments[2].findings[0].certainty.up_to: up_to (very_low) must rank above level (low)",
        ),
        (
            "        certainty: null\n",
            "        certainty: {system: grade, level: low, up_to: low}\n",
            "up_to:",
            "treatments[2].findings[0].certainty.up_to: up_to (low) must rank above level (low)",
        ),
        (
            "scale: rdq-23}",
            "scale: null}",
            "scale: null}",
            "treatments[2].findings[0].outcome.scale: a mean difference needs a scale "
            "(or scale_unnamed: true when the source names none)",
        ),
        (
            "scale: rdq-23}",
            "scale: rdq-23, scale_unnamed: true}",
            "scale_unnamed",
            "treatments[2].findings[0].outcome.scale_unnamed: scale_unnamed means the source names no scale: "
            "set scale to null",
        ),
        (
            "scale: rdq-23}",
            "scale: null, scale_unnamed: true, scale_inferred: true}",
            "scale_unnamed",
            "treatments[2].findings[0].outcome.scale_unnamed: a scale is either unnamed or inferred, not both",
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


def test_an_unnamed_scale_carries_a_mean_difference(write_kb: WriteKb, mini_text: str) -> None:
    """scale_unnamed: the MD is stored as printed with no scale, and the document is valid."""
    text = mini_text.replace("scale: rdq-23}", "scale: null, scale_unnamed: true}").replace(
        "        mcid:\n          value: 2\n          basis: trial_prespecified\n"
        '          cite: {source: cherkin-2011, locator: "abstract, methods", reading: primary}\n',
        "",
    )
    path = write_kb(text)
    kb = load.load_uncached(path.read_bytes(), path.name)
    finding = kb.treatments[2].findings[0]
    assert finding.outcome.scale is None and finding.outcome.scale_unnamed


def test_context_flags_and_ranges_load(write_kb: WriteKb, mini_text: str) -> None:
    text = mini_text.replace(
        "        certainty: null\n",
        "        certainty: {system: grade, level: very_low, up_to: low}\n"
        "        indirect: {population: 'chronic musculoskeletal pain, not only low back pain'}\n"
        "        superseded_by: nvl-2017\n",
    )
    path = write_kb(text)
    kb = load.load_uncached(path.read_bytes(), path.name)
    finding = kb.treatments[2].findings[0]
    assert finding.certainty is not None and (finding.certainty.level, finding.certainty.up_to) == ("very_low", "low")
    assert finding.indirect is not None and finding.indirect.intervention is None
    assert finding.superseded_by == "nvl-2017"
