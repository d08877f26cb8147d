"""The shipped knowledge base: coverage of every treatment the seeds name, and pinned figures.

Figures are read through the public JSON, the way a script would, so a change to the KB, the
model or the JSON shape that alters a number fails here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

Invoke = Callable[..., Any]

# Every treatment issue 3 lists, by the name a clinician would type: an id or a natural alias.
REQUIRED = {
    "massage": "massage",
    "relaxation massage": "relaxation-massage",
    "swedish massage": "relaxation-massage",
    "structural massage": "structural-massage",
    "thai massage": "thai-massage",
    "acupressure": "acupressure",
    "trigger point therapy": "trigger-point-therapy",
    "acupuncture": "acupuncture",
    "simulated acupuncture": "simulated-acupuncture",
    "electrotherapy": "electrotherapy",
    "tens": "tens",
    "pens": "pens",
    "interferential current": "interferential-current",
    "spinal manipulation": "spinal-manipulation",
    "chiropractic": "spinal-manipulation",
    "spinal mobilisation": "spinal-mobilisation",
    "osteopathic manipulative treatment": "osteopathic-manipulative-treatment",
    "osteopathy": "osteopathic-manipulative-treatment",
    "muscle energy technique": "muscle-energy-technique",
    "heat": "heat",
    "cold": "cold",
    "kinesiology taping": "kinesiology-taping",
    "short-wave diathermy": "short-wave-diathermy",
    "low-level laser therapy": "low-level-laser-therapy",
    "magnetic field therapy": "magnetic-field-therapy",
    "pemf": "pulsed-electromagnetic-field-therapy",
    "static magnets": "static-magnets",
    "therapeutic ultrasound": "therapeutic-ultrasound",
    "traction": "traction",
    "exercise therapy": "exercise-therapy",
    "strength training": "strength-training",
    "stretching": "stretching",
    "psoas stretch": "stretching",
    "pilates": "pilates",
    "yoga": "yoga",
    "tai chi": "tai-chi",
    "relaxation techniques": "relaxation-techniques",
    "progressive muscle relaxation": "relaxation-techniques",
    "mbsr": "mindfulness-based-stress-reduction",
    "cbt": "cognitive-behavioural-therapy",
    "operant therapy": "operant-therapy",
    "biofeedback": "biofeedback",
    "multidisciplinary rehabilitation": "multidisciplinary-rehabilitation",
    "usual care": "usual-care",
    "advice to stay active": "advice-to-stay-active",
    "bed rest": "bed-rest",
}
GUIDELINES = {"nvl-2017", "nice-ng59", "acp-2017", "who-2023"}


def show(invoke: Invoke, name: str) -> dict[str, Any]:
    result = invoke("show", name, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("typed", "expected"), sorted(REQUIRED.items()))
def test_every_seed_treatment_resolves_and_is_complete(invoke: Invoke, typed: str, expected: str) -> None:
    doc = show(invoke, typed)
    treatment = doc["treatment"]
    assert treatment["id"] == expected
    assert treatment["description"].strip()
    assert treatment["category"] in ("active", "passive", "comparator")
    assert {r["guideline"] for r in treatment["recommendations"]} == GUIDELINES
    assert treatment["findings"] or treatment["evidence_gap"], "a treatment without figures must say why"


def finding(doc: dict[str, Any], finding_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    [stored] = [f for f in doc["treatment"]["findings"] if f["id"] == finding_id]
    [derived] = [a for a in doc["assessments"] if a["finding"] == finding_id]
    return stored, derived


def test_relaxation_massage_vs_usual_care_at_10_weeks(invoke: Invoke) -> None:
    stored, derived = finding(show(invoke, "relaxation-massage"), "cherkin-2011-relaxation-rdq-10w")
    assert stored["effect"]["measure"] == "md"
    assert stored["effect"]["estimate"] == -2.9  # 2.9 points lower on the RDQ ...
    assert stored["effect"]["ci95"] == {"lower": -4.0, "upper": -1.8}  # ... 95% CI 1.8 to 4.0 lower
    assert stored["mcid"]["value"] == 2
    assert stored["mcid"]["basis"] == "trial_prespecified"
    assert stored["comparator"]["kind"] == "usual_care"
    assert stored["cite"] == {"source": "cherkin-2011", "locator": stored["cite"]["locator"], "reading": "primary"}
    assert [arm["n"] for arm in stored["size"]["arms"]] == [136, 133]
    assert derived["benefit"] == {"estimate": 2.9, "lower": 1.8, "upper": 4.0}
    assert derived["mcid"]["verdict"] == "estimate_above_ci_crosses"  # 2.9 >= 2 but the CI reaches 1.8
    assert derived["magnitude"]["label"] == "moderate"  # 2-4 RDQ points (Chou & Huffman 2007)
    assert derived["time_window"]["window"] == "immediate"  # measured as the 10-week course ended
    assert derived["blinding_risk"]["risk"] == "high"  # the usual-care group knew it got no massage


def test_structural_massage_bothersomeness_misses_the_mcid_estimate(invoke: Invoke) -> None:
    doc = show(invoke, "structural-massage")
    [(stored, derived)] = [
        finding(doc, f["id"])
        for f in doc["treatment"]["findings"]
        if f["id"].startswith("cherkin-2011") and f["outcome"]["construct"] == "bothersomeness" and f["effect"]
    ]
    assert (stored["effect"]["estimate"], stored["effect"]["ci95"]) == (-1.4, {"lower": -1.9, "upper": -0.8})
    assert stored["mcid"]["value"] == 1.5
    assert derived["mcid"]["verdict"] == "estimate_below_ci_crosses"


def test_acupuncture_vs_usual_care_mu_2020(invoke: Invoke) -> None:
    doc = show(invoke, "acupuncture")
    pain = [
        f
        for f in doc["treatment"]["findings"]
        if f["cite"]["source"] == "mu-2020"
        and f["effect"]
        and f["comparator"]["kind"] == "usual_care"
        and f["outcome"]["construct"] == "pain"
    ]
    [stored] = pain
    assert stored["effect"]["estimate"] == -10.26
    assert stored["effect"]["ci95"] == {"lower": -17.11, "upper": -3.4}
    assert stored["certainty"]["level"] == "low"


def test_cherkin_2009_records_both_sample_sizes(invoke: Invoke) -> None:
    doc = show(invoke, "acupuncture")
    notes = " ".join(
        f["size"]["note"] or "" for f in doc["treatment"]["findings"] if f["cite"]["source"] == "cherkin-2009"
    )
    assert "638" in notes
    assert "641" in notes


def test_within_group_changes_are_never_findings(invoke: Invoke) -> None:
    doc = show(invoke, "acupuncture")
    changes = doc["treatment"]["within_group"]
    assert any("4.4" in w["change"] for w in changes)
    finding_ids = {f["id"] for f in doc["treatment"]["findings"]}
    assert not finding_ids & {w["id"] for w in changes}


def test_kb_records_when_it_was_reviewed(invoke: Invoke) -> None:
    assert show(invoke, "tens")["kb_reviewed"] == "2026-11-29"


def test_verdicts_on_an_inferred_scale_say_so(invoke: Invoke) -> None:
    doc = show(invoke, "interferential-current")
    stored, derived = finding(doc, "rampazo-2023-ifc-vs-placebo-pain-immediate")
    assert stored["outcome"]["scale"] == "pain-10"
    assert stored["outcome"]["scale_inferred"] is True
    assert derived["scale_inferred"] is True
    assert derived["magnitude"]["convention"].endswith("the scale was inferred, not stated")
    text = invoke("show", "interferential-current", "--section", "effects", "--plain").stdout
    row = next(line for line in text.splitlines() if "rampazo-2023-ifc-vs-placebo-pain-immediate" in line)
    assert "MD -1.57 [-2.17, -0.98] 0-10" in row
    assert "magnitude: moderate" in row
    assert "scale: inferred, not stated by the source" in row
