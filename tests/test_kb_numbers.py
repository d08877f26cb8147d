"""The shipped KB's numbers for issue 14, pinned through `painsci show X --json` as a script reads them.

Within-group changes per arm, per-arm proportions of binary findings and harm rates: each figure
as its source prints it (see /work/notes/kb14-done.md for the locators). A change to the KB, the
model or the JSON shape that alters one of them fails here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

Invoke = Callable[..., Any]


def show(invoke: Invoke, name: str) -> dict[str, Any]:
    result = invoke("show", name, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def changes(invoke: Invoke, name: str) -> dict[str, dict[str, Any]]:
    return {w["id"]: w for w in show(invoke, name)["treatment"]["within_group"]}


def findings(invoke: Invoke, name: str) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in show(invoke, name)["treatment"]["findings"]}


def arm_numbers(record: dict[str, Any]) -> tuple[Any, ...]:
    fields = ("role", "control", "co_treatment", "n", "baseline", "improvement", "sd", "ci95", "percent")
    return tuple(record[name] for name in fields)


# --------------------------------------------------------------------------- within-group changes


def test_cherkin_2009_arms_as_numbers(invoke: Invoke) -> None:
    """Abstract: RMDQ improved 4.4, 4.5, 4.4 vs 2.1 points; symptoms 1.6 to 1.9 vs 0.7 (Table 1 baselines)."""
    arms = changes(invoke, "acupuncture")
    assert arm_numbers(arms["cherkin-2009-individualised-rmdq-8w"]) == (
        "treatment", None, None, 157, 10.8, 4.4, None, None, None
    )  # fmt: skip
    assert arm_numbers(arms["cherkin-2009-standardised-rmdq-8w"])[3:6] == (158, 10.8, 4.5)
    assert arm_numbers(arms["cherkin-2009-simulated-rmdq-8w"])[:6] == ("control", "sham", None, 162, 9.8, 4.4)
    assert arm_numbers(arms["cherkin-2009-usual-care-rmdq-8w"])[:6] == ("control", "usual_care", None, 161, 11.0, 2.1)
    assert arm_numbers(arms["cherkin-2009-usual-care-symptoms-8w"])[:6] == (
        "control", "usual_care", None, 161, 5.4, 0.7
    )  # fmt: skip
    needles = arms["cherkin-2009-needle-arms-symptoms-8w"]
    assert needles["improvement"] is None  # a range across three arms stays text
    assert needles["change"] == "1.6 to 1.9 points improvement across the three needle arms"
    for record in arms.values():
        assert record["outcome"]["scale"] in ("rdq-23", "bothersomeness-10")
        assert record["time_point"]["weeks"] == 8


def test_one_arm_under_two_treatments_is_the_same_record(invoke: Invoke) -> None:
    acupuncture, sham = changes(invoke, "acupuncture"), changes(invoke, "simulated-acupuncture")
    assert set(sham) == {"cherkin-2009-simulated-rmdq-8w", "cherkin-2009-needle-arms-symptoms-8w"}
    for record_id, record in sham.items():
        assert record == acupuncture[record_id]
    relaxation, usual = changes(invoke, "relaxation-massage"), changes(invoke, "usual-care")
    assert usual["ingraham-usual-care-pain-10w"] == relaxation["ingraham-usual-care-pain-10w"]


def test_approximate_figures_stay_text(invoke: Invoke) -> None:
    """Ingraham's "about 2 points vs about half a point" is approximate: no numbers are stored."""
    arms = changes(invoke, "relaxation-massage")
    massage, usual = arms["ingraham-massage-arms-pain-10w"], arms["ingraham-usual-care-pain-10w"]
    assert massage["change"] == "about 2 points improvement (roughly 30%)"
    assert usual["change"] == "about half a point improvement"
    assert arm_numbers(massage) == ("treatment", None, None, None, None, None, None, None, None)
    assert arm_numbers(usual)[:2] == ("control", "usual_care") and usual["improvement"] is None
    assert massage["time_point"]["weeks"] == usual["time_point"]["weeks"] == 10


def test_weiner_2008_table_4_per_arm(invoke: Invoke) -> None:
    """Table 4, baseline to post-intervention: Roland -2.6, -2.6, -2.7, -3.0; MPQ -2.9, -4.1, -2.3, -3.1."""
    arms = changes(invoke, "pens")
    gcae = "general conditioning and aerobic exercise (GCAE)"
    roland = {
        "weiner-2008-pens-roland-post": ("treatment", None, None, 2.6),
        "weiner-2008-pens-gcae-roland-post": ("treatment", None, gcae, 2.6),
        "weiner-2008-control-pens-roland-post": ("control", "sham", None, 2.7),
        "weiner-2008-control-pens-gcae-roland-post": ("control", "sham", gcae, 3.0),
    }
    for record_id, (role, control, co_treatment, improvement) in roland.items():
        record = arms[record_id]
        assert (record["role"], record["control"], record["co_treatment"], record["improvement"]) == (
            role,
            control,
            co_treatment,
            improvement,
        )
        assert record["sd"] is None  # the table's ± is not explained where it was read
        assert record["outcome"] == {
            "construct": "function",
            "label": "Roland questionnaire",
            "scale": "rdq-24",
            "scale_inferred": True,
            "scale_unnamed": False,
        }
        assert record["time_point"]["anchor"] == "end_of_treatment"
    printed = {"pens": "-2.9±9.2", "pens-gcae": "-4.1±8.2", "control-pens": "-2.3±6.3", "control-pens-gcae": "-3.1±7.9"}
    for arm, figure in printed.items():
        record = arms[f"weiner-2008-{arm}-mpq-post"]
        assert figure in record["change"] and record["improvement"] is None  # no scale entry for the MPQ
    assert "range -2.1 to -3.0" in arms["weiner-2008-all-arms-disability"]["change"]


def test_other_arms_with_numbers(invoke: Invoke) -> None:
    magnets = changes(invoke, "static-magnets")
    assert arm_numbers(magnets["collacott-2000-real-magnet-change"]) == (
        "treatment", None, None, 20, None, 0.49, 0.96, None, None
    )  # fmt: skip
    assert arm_numbers(magnets["collacott-2000-sham-magnet-change"]) == (
        "control", "sham", None, 20, None, 0.44, 1.4, None, None
    )  # fmt: skip
    assert magnets["collacott-2000-real-magnet-change"]["outcome"]["scale_inferred"] is True
    tens = changes(invoke, "tens")
    assert arm_numbers(tens["deyo-1990-tens-arm-pain-1mo"])[8] == 47
    assert arm_numbers(tens["deyo-1990-sham-arm-pain-1mo"])[:2] == ("control", "sham")
    assert tens["deyo-1990-sham-arm-pain-1mo"]["percent"] == 42
    assert tens["deyo-1990-sham-arm-pain-1mo"]["n"] is None  # pooling of the exercise arms is unknown


def test_the_original_within_group_records_are_all_still_there(invoke: Invoke) -> None:
    """The 19 records issue 14 re-entered (the usual-care copy of Ingraham's figure now shares an id)."""
    expected = {
        "relaxation-massage": {"ingraham-massage-arms-pain-10w", "ingraham-usual-care-pain-10w"},
        "acupuncture": {
            "cherkin-2009-individualised-rmdq-8w",
            "cherkin-2009-standardised-rmdq-8w",
            "cherkin-2009-simulated-rmdq-8w",
            "cherkin-2009-usual-care-rmdq-8w",
            "cherkin-2009-needle-arms-symptoms-8w",
            "cherkin-2009-usual-care-symptoms-8w",
        },
        "simulated-acupuncture": {"cherkin-2009-simulated-rmdq-8w", "cherkin-2009-needle-arms-symptoms-8w"},
        "tens": {"deyo-1990-tens-arm-pain-1mo", "deyo-1990-sham-arm-pain-1mo"},
        "pens": {
            "weiner-2008-all-arms-pain",
            "weiner-2008-all-arms-disability",
            "weiner-2003-pens-arm-pain",
            "weiner-2003-sham-arm-pain",
        },
        "static-magnets": {"collacott-2000-real-magnet-change", "collacott-2000-sham-magnet-change"},
        "usual-care": {"ingraham-usual-care-pain-10w"},
    }
    assert sum(len(ids) for ids in expected.values()) == 19
    for name, ids in expected.items():
        assert ids <= set(changes(invoke, name)), name


# --------------------------------------------------------------------------- per-arm proportions


def responders(finding: dict[str, Any]) -> tuple[Any, ...]:
    r = finding["responders"]
    return (r["treatment"], r["control"], r["adjusted"])


def test_mbsr_responders(invoke: Invoke) -> None:
    """AHRQ CER 227 Table 14 (adjusted imputed estimates): 60.5% vs 44.1%; 43.6% vs 26.6%."""
    found = findings(invoke, "mbsr")
    rdq, pain = (
        found["cherkin-2016-mbsr-rdq-responders-26wk"],
        found["cherkin-2016-mbsr-bothersomeness-responders-26wk"],
    )
    assert responders(rdq) == (
        {"percent": 60.5, "events": None, "total": None, "ci95": {"lower": 52.0, "upper": 70.3}},
        {"percent": 44.1, "events": None, "total": None, "ci95": {"lower": 35.9, "upper": 54.2}},
        True,
    )
    assert responders(pain)[0]["percent"] == 43.6 and responders(pain)[1]["percent"] == 26.6
    assert responders(pain)[0]["ci95"] == {"lower": 35.6, "upper": 53.3}
    assert responders(pain)[1]["ci95"] == {"lower": 19.8, "upper": 35.9}
    assert (rdq["effect"]["estimate"], rdq["effect"]["ci95"]) == (1.37, {"lower": 1.06, "upper": 1.77})
    assert (pain["effect"]["estimate"], pain["effect"]["ci95"]) == (1.64, {"lower": 1.15, "upper": 2.34})
    assert "AHRQ CER 227 Table 14" in rdq["cite"]["locator"] and rdq["cite"]["reading"] == "secondary"


def test_licciardone_2013_counts(invoke: Invoke) -> None:
    omt = findings(invoke, "osteopathy")
    moderate, substantial = omt["licciardone-2013-omt-responder-30"], omt["licciardone-2013-omt-responder-50"]
    assert responders(moderate) == (
        {"percent": 63, "events": 145, "total": 230, "ci95": None},
        {"percent": 46, "events": 103, "total": 225, "ci95": None},
        False,
    )
    assert (moderate["effect"]["estimate"], moderate["effect"]["ci95"]) == (1.38, {"lower": 1.16, "upper": 1.64})
    assert [responders(substantial)[0]["events"], responders(substantial)[1]["events"]] == [114, 79]
    assert (substantial["effect"]["estimate"], substantial["effect"]["ci95"]) == (1.41, {"lower": 1.13, "upper": 1.76})
    assert moderate["comparator"]["kind"] == "sham"
    assert moderate["time_point"]["weeks"] == 12

    us = findings(invoke, "therapeutic-ultrasound")
    per_protocol, itt = us["licciardone-2013-us-responder-30"], us["licciardone-2013-us-responder-30-itt"]
    assert per_protocol["effect"]["estimate"] == 1.03 and "per-protocol" in per_protocol["outcome"]["label"]
    assert itt["effect"]["estimate"] == 1.02 and "intention-to-treat" in itt["outcome"]["label"]
    assert itt["effect"]["ci95"] == {"lower": 0.86, "upper": 1.2}
    assert (responders(itt)[0]["events"], responders(itt)[0]["total"]) == (128, 233)
    assert (responders(itt)[1]["events"], responders(itt)[1]["total"]) == (120, 222)
    fifty = us["licciardone-2013-us-responder-50"]
    assert (responders(fifty)[0]["events"], responders(fifty)[1]["events"]) == (103, 90)


def test_percentages_only(invoke: Invoke) -> None:
    acupuncture = findings(invoke, "acupuncture")["cherkin-2009-needling-vs-uc-rmdq-responders-8w"]
    assert responders(acupuncture) == (
        {"percent": 60, "events": None, "total": None, "ci95": None},
        {"percent": 39, "events": None, "total": None, "ci95": None},
        False,
    )
    diathermy = findings(invoke, "short-wave-diathermy")
    assert [responders(diathermy["gibson-1985-swd-work-2m"])[i]["percent"] for i in (0, 1)] == [7, 19]
    assert [responders(diathermy["gibson-1985-swd-analgesics-2m"])[i]["percent"] for i in (0, 1)] == [7, 22]


SHERMAN = {
    # suffix: (stretching %, CI), (book %, CI), RR (CI)
    "rdq30-12w": ((71, 63, 83), (45, 32, 63), (1.58, 1.10, 2.27)),
    "rdq50-12w": ((52, 41, 63), (23, 14, 38), (2.25, 1.29, 3.93)),
    "rdq50-26w": ((51, 41, 63), (31, 21, 48), (1.63, 1.03, 2.59)),
    "bothersomeness30-12w": ((48, 38, 59), (23, 15, 36), (2.07, 1.26, 3.39)),
    "bothersomeness30-26w": ((44, 35, 56), (29, 19, 43), (1.52, 0.96, 2.43)),
    "bothersomeness50-12w": ((18, 12, 27), (11, 6, 20), (1.66, 0.78, 3.51)),
    "bothersomeness50-26w": ((29, 21, 39), (11, 5, 21), (2.73, 1.29, 5.78)),
    "global-6w": ((34, 26, 46), (11, 5, 27), (3.01, 1.24, 7.32)),
}


@pytest.mark.parametrize(("suffix", "expected"), sorted(SHERMAN.items()))
def test_sherman_2011_stretching_vs_book(invoke: Invoke, suffix: str, expected: tuple[Any, ...]) -> None:
    """Table 3 of the author manuscript, column "Stretching vs. Self Care" (adjusted RR)."""
    stretch, book, rr = expected
    finding = findings(invoke, "stretching")[f"sherman-2011-stretching-vs-book-{suffix}"]
    treated, control, adjusted = responders(finding)
    assert (treated["percent"], treated["ci95"]["lower"], treated["ci95"]["upper"]) == stretch
    assert (control["percent"], control["ci95"]["lower"], control["ci95"]["upper"]) == book
    assert adjusted is True
    effect = finding["effect"]
    assert (effect["measure"], effect["estimate"], effect["ci95"]["lower"], effect["ci95"]["upper"]) == ("rr", *rr)
    assert finding["comparator"]["kind"] == "minimal_intervention"
    assert finding["cite"]["source"] == "sherman-2011"


def test_sherman_2011_is_in_the_source_registry(invoke: Invoke) -> None:
    [source] = [s for s in show(invoke, "stretching")["sources"] if s["id"] == "sherman-2011"]
    assert (source["pmid"], source["year"], source["kind"]) == ("22025101", 2011, "trial")


# --------------------------------------------------------------------------- harm rates


def rates(invoke: Invoke, name: str) -> list[list[dict[str, Any]]]:
    return [h["rates"] for h in show(invoke, name)["treatment"]["harms"]]


def rate(value: Any = None, per: int = 100, of: str = "participants", **fields: Any) -> dict[str, Any]:
    base = {"per": per, "of": of, "value": value, "range": None, "ci95": None, "events": None, "total": None}
    return {**base, "arm": None, **fields}


def test_harm_rates(invoke: Invoke) -> None:
    acupuncture = rates(invoke, "acupuncture")
    assert acupuncture[0] == [
        rate(9.31, of="patients", ci95={"lower": 5.1, "upper": 14.62}),
        rate(7.57, of="treatments", ci95={"lower": 1.43, "upper": 17.95}),
    ]
    assert acupuncture[1] == [
        rate(1.01, 10_000, "patients", ci95={"lower": 0.23, "upper": 2.33}),
        rate(7.98, 1_000_000, "treatments", ci95={"lower": 1.39, "upper": 20.0}),
    ]
    assert acupuncture[2] == []  # 95 case reports have no denominator: not a rate
    assert rates(invoke, "massage")[0] == [rate(range={"lower": 1.5, "upper": 25})]
    # two ends on two bases are two entries, never one interval
    assert rates(invoke, "spinal-manipulation")[2] == [
        rate(0.5, 1_000_000, "manipulations"),
        rate(13, 10_000, "patients"),
    ]
    assert rates(invoke, "traction")[0] == [rate(17, arm="traction"), rate(15, arm="exercise")]
    exercise = rates(invoke, "exercise-therapy")
    assert exercise[0] == [
        rate(range={"lower": 3, "upper": 22}, arm="exercise"),
        rate(range={"lower": 0, "upper": 3}, arm="comparators"),
    ]
    assert exercise[1] == [
        rate(range={"lower": 3, "upper": 10}, arm="exercise"),
        rate(0, arm="usual care or no treatment"),
    ]
    laser = rates(invoke, "low-level-laser-therapy")[0]
    assert [(r["events"], r["total"], r["arm"]) for r in laser] == [
        (0, 74, "photobiomodulation (laser)"),
        (0, 74, "placebo"),
    ]


def test_harm_descriptions_match_their_source(invoke: Invoke) -> None:
    """Bäumler 2021: "Half of the AEs were bleeding, pain or flare at the needle site"."""
    [first] = show(invoke, "acupuncture")["treatment"]["harms"][:1]
    assert "Half of the adverse events were bleeding, pain or flare at the needle site" in first["description"]


# --------------------------------------------------------------------------- words a user sees

JARGON = re.compile(r"\bseed\b|dossier|recalled|not read|pages read|sources read|were read|scraped", re.I)


def test_no_authoring_jargon_in_harms_or_within_group_text(invoke: Invoke) -> None:
    listed = json.loads(invoke("list", "--json").stdout)
    for row in listed["treatments"]:
        treatment = show(invoke, row["id"])["treatment"]
        texts = [treatment["harms_note"] or ""]
        for harm in treatment["harms"]:
            texts += [harm["description"], harm["rate"] or ""]
        for change in treatment["within_group"]:
            texts += [change["arm"], change["change"], change["note"] or "", change["outcome"]["label"]]
            texts += [change["time_point"]["label"]]
        for text in texts:
            assert not JARGON.search(text), (row["id"], text)
