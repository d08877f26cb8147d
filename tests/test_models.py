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


# --------------------------------------------------------------------------- issue 14: numbers
# A valid extension of the mini KB: a binary finding with per-arm proportions, two within-group
# records (treated and control arm) and a harm with rates, all under relaxation-massage.

NUMBERS = """\
      - id: trial-responders
        cite: {source: cherkin-2011, locator: "table 2", reading: primary}
        design: rct
        population: {duration: chronic}
        comparator: {kind: usual_care, label: usual care}
        size: {}
        blinding: null
        outcome: {construct: function, label: RDQ responders}
        time_point: {label: 10 weeks, anchor: randomisation, weeks: 10}
        effect:
          measure: rr
          estimate: 1.5
          ci95: {lower: 1.1, upper: 2.0}
          favours_treatment: positive
        responders:
          definition: at least 30% better on the RDQ
          treatment: {percent: 60, events: 60, total: 100, ci95: {lower: 50, upper: 70}}
          control: {percent: 40, events: 40, total: 100}
    within_group:
      - id: trial-massage-arm
        cite: {source: cherkin-2011, locator: "table 2", reading: primary}
        arm: relaxation massage
        outcome: {construct: function, label: RDQ, scale: rdq-23}
        time_point: {label: 10 weeks, anchor: randomisation, weeks: 10}
        change: "4 points better"
        role: treatment
        n: 100
        baseline: 12
        improvement: 4
        sd: 4.5
        ci95: {lower: 3, upper: 5}
      - id: trial-usual-care-arm
        cite: {source: cherkin-2011, locator: "table 2", reading: primary}
        arm: usual care
        outcome: {construct: function, label: RDQ, scale: rdq-23}
        time_point: {label: 10 weeks, anchor: randomisation, weeks: 10}
        change: "2 points better"
        role: control
        control: usual_care
        improvement: 2
        percent: 17
    harms:
      - description: soreness after massage
        rate: "5% vs 1 of 100"
        serious: false
        cite: {source: cherkin-2011, locator: "table 3", reading: primary}
        rates:
          - {value: 5, per: 100, of: participants, arm: massage, ci95: {lower: 2, upper: 9}}
          - {events: 1, total: 100, per: 100, of: participants, arm: usual care}
"""


def test_numbers_extension_is_valid(write_kb: WriteKb, mini_text: str) -> None:
    path = write_kb(mini_text + NUMBERS)
    kb = load.load_uncached(path.read_bytes(), path.name)
    [treated, control] = kb.treatments[2].within_group
    assert (treated.role, treated.improvement, control.role, control.control) == (
        "treatment",
        4,
        "control",
        "usual_care",
    )
    responders = kb.treatments[2].findings[1].responders
    assert responders is not None and responders.treatment.events == 60 and not responders.adjusted
    assert [r.per for r in kb.treatments[2].harms[0].rates] == [100, 100]


def test_new_fields_default_so_old_records_stay_valid(write_kb: WriteKb, mini_text: str) -> None:
    old_style = NUMBERS.split("    within_group:\n")[1].split("    harms:\n", maxsplit=1)[0]
    old_style = "\n".join(
        line
        for line in old_style.splitlines()
        if not line.strip().startswith(
            ("role:", "control:", "n:", "baseline:", "improvement:", "sd:", "ci95:", "percent:")
        )
    )
    path = write_kb(mini_text + "    within_group:\n" + old_style + "\n")
    kb = load.load_uncached(path.read_bytes(), path.name)
    change = kb.treatments[2].within_group[0]
    assert (change.role, change.control, change.improvement, change.n) == ("treatment", None, None, None)


WG = "treatments[2].within_group"
RESP = "treatments[2].findings[1].responders"
RATES = "treatments[2].harms[0].rates"


@pytest.mark.parametrize(
    ("old", "new", "anchor", "expected"),
    [
        # within-group changes: checked against their scale like effects are
        (
            "        improvement: 4\n",
            "        improvement: 30\n",
            "improvement: 30",
            f"{WG}[0].improvement: an improvement must lie between 0 and 23 points on rdq-23, got 30",
        ),
        (
            "        improvement: 2\n",
            "        improvement: -2\n",
            "improvement: -2",
            f"{WG}[1].improvement: an improvement must lie between 0 and 23 points on rdq-23, got -2",
        ),
        ("baseline: 12", "baseline: 24", "baseline: 24", f"{WG}[0].baseline: baseline 24 lies outside rdq-23"),
        (
            "ci95: {lower: 3, upper: 5}",
            "ci95: {lower: 5, upper: 6}",
            "ci95: {lower: 5, upper: 6}",
            f"{WG}[0].ci95: the CI 5 to 6 does not contain 4",
        ),
        ("sd: 4.5", "sd: 0", "sd: 0", f"{WG}[0].sd: an SD must be positive, got 0"),
        ("n: 100\n", "n: 0\n", "        n: 0", f"{WG}[0].n: arm size must be positive, got 0"),
        (
            "percent: 17",
            "percent: 117",
            "percent: 117",
            f"{WG}[1].percent: an improvement in percent must lie between 0 and 100, got 117",
        ),
        (
            "        control: usual_care\n",
            "",
            ("- id: trial-usual-care-arm", 1),
            f"{WG}[1].control: a control arm needs its kind of control (usual_care, sham …)",
        ),
        (
            "        role: treatment\n",
            "        role: treatment\n        control: sham\n",
            "control: sham",
            f"{WG}[0].control: only a control arm has a kind of control",
        ),
        (
            "scale: rdq-23}\n        time_point: {label: 10 weeks, anchor: randomisation, weeks: 10}\n"
            '        change: "4 ',
            "scale: null}\n        time_point: {label: 10 weeks, anchor: randomisation, weeks: 10}\n"
            '        change: "4 ',
            "baseline: 12",
            f"{WG}[0].baseline: baseline in points needs the outcome's scale",
        ),
        (
            "      - id: trial-usual-care-arm\n",
            "      - id: trial-massage-arm\n",
            ("- id: trial-massage-arm", 2),
            f"{WG}[1].id: duplicate within-group id 'trial-massage-arm'",
        ),
        # per-arm proportions of a binary finding
        (
            "{percent: 60, events: 60, total: 100, ci95",
            "{percent: 65, events: 60, total: 100, ci95",
            "percent: 65",
            f"{RESP}.treatment.percent: 65% does not match 60/100 (60.0%)",
        ),
        (
            "control: {percent: 40, events: 40, total: 100}",
            "control: {percent: 40, events: 140, total: 100}",
            "events: 140",
            f"{RESP}.control.events: events must lie between 0 and the total (100), got 140",
        ),
        (
            "control: {percent: 40, events: 40, total: 100}",
            "control: {percent: 140}",
            "percent: 140",
            f"{RESP}.control.percent: a percentage must lie between 0 and 100, got 140",
        ),
        (
            "control: {percent: 40, events: 40, total: 100}",
            "control: {events: 40}",
            "control: {events: 40}",
            f"{RESP}.control: give a percent, or events and total",
        ),
        (
            "ci95: {lower: 50, upper: 70}",
            "ci95: {lower: 62, upper: 70}",
            "lower: 62",
            f"{RESP}.treatment.ci95: the CI 62 to 70 does not contain 60",
        ),
        (
            "treatment: {percent: 60, events: 60, total: 100, ci95: {lower: 50, upper: 70}}\n"
            "          control: {percent: 40, events: 40, total: 100}",
            "treatment: {percent: 40, events: 40, total: 100}\n"
            "          control: {percent: 60, events: 60, total: 100}",
            "        responders:",
            f"{RESP}: the two arms' proportions point the other way from the effect: are they swapped?",
        ),
        (
            "          measure: rr\n          estimate: 1.5\n          ci95: {lower: 1.1, upper: 2.0}",
            "          measure: smd\n          estimate: 0.5\n          ci95: {lower: 0.1, upper: 0.9}",
            "        responders:",
            f"{RESP}: per-arm proportions belong to a binary result, not to an SMD",
        ),
        # harms as rates
        (
            "{value: 5, per: 100,",
            "{value: 5, range: {lower: 4, upper: 6}, per: 100,",
            "range: {lower: 4",
            f"{RATES}[0]: give a value or a range, not both",
        ),
        (
            "{events: 1, total: 100, per: 100,",
            "{per: 100,",
            "arm: usual care}",
            f"{RATES}[1]: give a value, a range, or events and total",
        ),
        (
            "{value: 5, per: 100,",
            "{value: 5, per: 50,",
            "per: 50",
            f"{RATES}[0].per: count per one of 100, 1,000, 10,000, 100,000, 1,000,000; got 50",
        ),
        ("{value: 5, per: 100,", "{value: -5, per: 100,", "value: -5", f"{RATES}[0].value: value cannot be negative"),
        (
            "{events: 1, total: 100,",
            "{events: 101, total: 100,",
            "events: 101",
            f"{RATES}[1].events: events (101) cannot exceed the total (100)",
        ),
        (
            "{events: 1, total: 100, per: 100,",
            "{events: 1, per: 100,",
            "{events: 1, per: 100,",
            f"{RATES}[1]: events and total go together (a count without its denominator is not a rate)",
        ),
        (
            "ci95: {lower: 2, upper: 9}",
            "ci95: {lower: 6, upper: 9}",
            "lower: 6, upper: 9",
            f"{RATES}[0].ci95: the CI 6 to 9 does not contain 5",
        ),
        (
            "ci95: {lower: 2, upper: 9}",
            "ci95: {lower: -2, upper: 9}",
            "lower: -2, upper: 9",
            f"{RATES}[0].ci95: a rate cannot be negative",
        ),
    ],
)
def test_numbers_rules(
    write_kb: WriteKb, mini_text: str, old: str, new: str, anchor: str | tuple[str, int], expected: str
) -> None:
    assert NUMBERS.count(old) == 1, old
    text = mini_text + NUMBERS.replace(old, new)
    needle, nth = anchor if isinstance(anchor, tuple) else (anchor, 1)
    assert f"broken.yaml:{line_of(text, needle, nth)}: {expected}" in reported(write_kb, text)


def test_one_arm_shown_under_two_treatments_is_one_record(write_kb: WriteKb, mini_text: str) -> None:
    """The same within-group id under two treatments must be the same record, word for word."""
    copy = NUMBERS.split("    within_group:\n")[1].split("      - id: trial-usual-care-arm", maxsplit=1)[0]
    massage = "    evidence_gap: No review-level figure in this test KB.\n"
    same = mini_text.replace(massage, massage + "    within_group:\n" + copy) + NUMBERS
    path = write_kb(same)
    load.load_uncached(path.read_bytes(), path.name)
    differs = mini_text.replace(massage, massage + "    within_group:\n" + copy.replace("4 points better", "4 points"))
    text = differs + NUMBERS
    line = line_of(text, "- id: trial-massage-arm", 2)
    message = "'trial-massage-arm' is stored differently elsewhere: keep the copies identical"
    expected = f"broken.yaml:{line}: {WG}[0].id: {message}"
    assert expected in reported(write_kb, text)
