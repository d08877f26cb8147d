"""`painsci handout`: the patient page on the screen and as files, its wording derived from stored
figures, and the printable HTML checked by a parser (issue 16).

Rendering in a real browser is a manual step (README, "Print a handout"): the suite checks that
the page is self-contained, has its print style sheet and carries its provenance.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from painsci_cli import __version__
from painsci_cli.load import load
from painsci_cli.provenance import NOT_ADVICE
from painsci_cli.reexpress import TYPICAL_SD

Invoke = Callable[..., Result]
EPOCH_2026_12_01 = "1796083200"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_12_01)


def kb_reviewed() -> str:
    return load(None).core.reviewed


def finding(invoke: Invoke, treatment: str, finding_id: str) -> dict[str, Any]:
    document = json.loads(invoke("show", treatment, "--json").stdout)
    found: dict[str, Any] = next(f for f in document["treatment"]["findings"] if f["id"] == finding_id)
    return found


def one_line(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- the words, from stored figures


def test_massage_points_come_from_the_stored_smd_and_the_documented_sd_range(invoke: Invoke) -> None:
    smd = finding(invoke, "massage", "furlan-2015-vs-inactive-pain-short")["effect"]["estimate"]
    sd = TYPICAL_SD["pain"]
    low, high = f"{abs(smd) * sd.low:.1f}".removesuffix(".0"), f"{abs(smd) * sd.high:.1f}".removesuffix(".0")
    assert (low, high) == ("1.5", "1.9")  # -0.75 x 2.0 and x 2.5
    text = one_line(invoke("handout", "massage").stdout)
    assert (
        f"In the studies, pain was about {low} to {high} points lower on a scale from 0 to 10 than with no "
        "treatment or a fake treatment." in text
    )


def test_responders_become_about_n_in_100_more_people(invoke: Invoke) -> None:
    stored = finding(invoke, "osteopathic-manipulative-treatment", "licciardone-2013-omt-responder-30")["responders"]
    treated, control = stored["treatment"], stored["control"]
    assert (treated["percent"], control["percent"]) == (63, 46)
    expected = round(100 * (treated["events"] / treated["total"] - control["events"] / control["total"]))
    text = one_line(invoke("handout", "osteopathic manipulative treatment").stdout)
    assert "In the studies, 63 in 100 people who had osteopathic manipulative treatment had at least 30%" in text
    assert "With a fake (sham) version, 46 in 100 did." in text
    assert f"That is about {expected} in 100 more people." in text
    assert expected == 17


@pytest.mark.parametrize(
    ("treatment", "said"),
    [
        ("massage", "More pain, the most common side effect in the massage studies; no serious side effects were "
         "reported in any study. How often: about 2 to 25 in 100 people."),  # stored 1.5 to 25 per 100
        ("acupuncture", "How often: about 1 in 10,000 people; about 8 in 1,000,000 treatment sessions."),
        ("spinal-manipulation", "How often: about 1 in 2,000,000 manipulations; 13 in 10,000 people."),
        ("traction", "How often: with traction: 17 in 100 people; with exercise: 15 in 100 people."),
        ("low-level-laser-therapy", "with photobiomodulation (laser): 0 of 74 people"),
    ],
)  # fmt: skip
def test_harm_rates_are_natural_frequencies_of_the_stored_rates(invoke: Invoke, treatment: str, said: str) -> None:
    assert said in one_line(invoke("handout", treatment).stdout)


def test_harms_of_a_technique_without_its_own_come_from_its_parent(invoke: Invoke) -> None:
    text = one_line(invoke("handout", "relaxation massage").stdout)
    assert "These side effects are known for massage in general." in text
    assert "Allergic reactions to massage oil, such as rashes. How often is not known." in text


def test_guidelines_keep_strength_condition_phase_and_currency(invoke: Invoke) -> None:
    text = one_line(invoke("handout", "massage").stdout)
    assert (
        "NVL 2017 (Germany) says it can be used for pain of 4 weeks or more, but only together with exercise or "
        "other active treatment. This guideline is out of date: it was due for review in 2022." in text
    )
    assert (
        "NICE NG59 (UK) says it can be considered, but only together with exercise or other active treatment. "
        "Published 2016, updated 2020." in text
    )
    assert (
        "ACP 2017 (US) does not mention it for this kind of pain. For pain of less than 12 weeks, it recommends it."
        in text
    )
    assert (
        "WHO 2023 (World Health Organization) says it may be offered for pain of 12 weeks or more. It rates the "
        "evidence for this as very weak. Published 2023." in text
    )


def test_a_sham_that_did_as_well_is_said(invoke: Invoke) -> None:
    text = one_line(invoke("handout", "acupuncture").stdout)
    assert "In studies, acupuncture worked little or no better than a fake (sham) version." in text
    assert "In at least one study, a fake version worked about as well as the real acupuncture." in text


def test_an_unblinded_comparison_is_qualified_in_the_same_paragraph(invoke: Invoke) -> None:
    text = invoke("handout", "massage", "--format", "markdown").stdout
    paragraph = next(p for p in text.split("\n\n") if p.startswith("It is unclear whether massage works better"))
    assert "Also, the people in the comparison group knew they were not getting the treatment." in paragraph


# --------------------------------------------------------------------------- what patients can do, from the KB


def test_self_care_lists_every_active_treatment_with_a_benefit_from_the_list(invoke: Invoke) -> None:
    rows = json.loads(invoke("list", "--category", "active", "--json").stdout)["treatments"]
    benefit = {"helps", "helps a little", "probably helps", "probably helps a little", "may help", "may help a little"}
    helping = [r["name"] for r in rows if r["bottom_line"]["verdict"] in benefit]
    assert "Walking" in helping and "Yoga" in helping
    text = invoke("handout", "tens", "--format", "markdown").stdout
    care = text.split("## What you can do yourself", 1)[1].split("## Sources", 1)[0]
    listed = [line[2:].split(":", 1)[0] for line in care.splitlines() if line.startswith("- ")]
    assert sorted(n for n in listed if n not in ("Advice to stay active", "Bed rest")) == sorted(helping)
    assert "- Walking: It probably helps a little." in care  # indirect: one step below its high certainty
    assert "- Advice to stay active: Advice and information to keep up normal activities as far as possible" in care
    assert (
        "- Bed rest: Lying down and resting for days to spare the back. Guidelines: NVL 2017 recommends against" in care
    )


def test_self_care_follows_the_kb_not_fixed_prose(invoke: Invoke, write_kb: Callable[..., Path]) -> None:
    from helpers import BUNDLED

    text = BUNDLED.read_text(encoding="utf-8")
    assert text.count("    name: Walking\n") == 1
    data = write_kb(text.replace("    name: Walking\n", "    name: Brisk walking outdoors\n"), "kb.yaml")
    care = invoke("--data", str(data), "handout", "tens").stdout.split("What you can do yourself", 1)[1]
    assert "- Brisk walking outdoors: It probably helps a little." in care
    assert "- Walking:" not in care


def test_a_kb_without_active_treatments_says_so(invoke: Invoke) -> None:
    from helpers import MINI

    result = invoke("--data", str(MINI), "handout", "relaxation-massage")
    assert result.exit_code == 0, result.stderr
    assert "We found no active treatment with a clear benefit for this kind of back pain." in one_line(result.stdout)


# --------------------------------------------------------------------------- formats and files


class Page(HTMLParser):
    """The tags, attributes and text of an HTML page, for checks a browser would make."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += attrs
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text.setdefault(self._open[-1], []).append(data)


def test_the_html_page_is_printable_and_self_contained(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "handout.html"
    result = invoke("handout", "massage", "tens", "--export", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"painsci: wrote {target}\n")
    raw = target.read_text(encoding="utf-8")
    page = Page()
    page.feed(raw)
    assert raw.startswith("<!DOCTYPE html>")
    assert not {"script", "link", "img", "iframe", "object", "embed", "a"} & set(page.tags)
    assert not [name for name, _ in page.attributes if name in ("src", "href") or name.startswith("on")]
    style = "".join(page.text["style"])
    assert "url(" not in style and "@import" not in style and "http" not in raw
    assert "@page { size: A4;" in style and "@media print" in style and "break-after: avoid" in style
    assert page.text["title"] == ["Massage and TENS for low back pain"]
    assert page.text["h1"] == ["Massage and TENS for low back pain"]
    assert page.tags.count("article") == 2
    assert page.text["h2"][:2] == ["Massage", "Transcutaneous electrical nerve stimulation (TENS)"]
    assert page.text["h2"][2:] == ["What you can do yourself", "Sources"]
    provenance = f"Made 2026-12-01 · knowledge base reviewed {kb_reviewed()} · painsci {__version__}"
    assert page.text["p"].count(provenance) == 1  # the header; printed, every page's foot has it too:
    assert '@bottom-left { content: "Made 2026-12-01 \\B7  knowledge base reviewed' in style
    assert "Not medical advice" in style and "counter(pages)" in style
    assert NOT_ADVICE in page.text["p"]
    assert page.tags.count("li") > 17  # harms, guidelines, self-care, sources


def test_letter_paper(invoke: Invoke) -> None:
    assert "@page { size: letter;" in invoke("handout", "tens", "--format", "html", "--paper", "letter").stdout


def test_markdown_has_the_same_header_and_footer(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "handout.md"
    assert invoke("handout", "massage", "--export", str(target)).exit_code == 0
    written = target.read_text(encoding="utf-8")
    provenance = f"Made 2026-12-01 · knowledge base reviewed {kb_reviewed()} · painsci {__version__}"
    assert written.startswith(f"# Massage for low back pain\n\nInformation for patients with back pain that has "
                              f"lasted 12 weeks or more (chronic pain).\n\n_{provenance}_\n\n## Massage\n")  # fmt: skip
    assert written.endswith(f"---\n\n**{NOT_ADVICE}**\n\n_{provenance}_\n")
    assert written == invoke("handout", "massage", "--format", "markdown").stdout


def test_the_text_page_is_the_default_and_a_txt_export(invoke: Invoke, tmp_path: Path) -> None:
    shown = invoke("handout", "massage")
    assert shown.exit_code == 0
    assert shown.stdout.startswith("Massage for low back pain\n=========================\n")
    assert max(len(line) for line in shown.stdout.splitlines()) <= 80
    target = tmp_path / "massage.txt"
    assert invoke("handout", "massage", "--export", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == shown.stdout


def test_kb_text_is_escaped_in_every_format(invoke: Invoke, write_kb: Callable[..., Path], tmp_path: Path) -> None:
    from helpers import MINI

    text = MINI.read_text(encoding="utf-8")
    assert text.count("description: Classic Swedish-style massage") == 1
    hostile = "Classic <script>alert(x)</script> *massage* [x](javascript:y)"
    typed = text.replace("description: Classic Swedish-style massage", f"description: '{hostile}", 1)
    data = write_kb(typed.replace("aimed at general relaxation.", "aimed at general relaxation.'", 1), "hostile.yaml")
    for suffix, escaped in (
        (".html", "&lt;script&gt;alert(x)&lt;/script&gt;"),
        (".md", "&lt;script>alert(x)&lt;/script>"),
    ):
        target = tmp_path / f"page{suffix}"
        result = invoke("--data", str(data), "handout", "relaxation-massage", "--export", str(target))
        assert result.exit_code == 0, result.stderr
        raw = target.read_text(encoding="utf-8")
        assert "<script>" not in raw
        assert escaped in raw
    assert "\\*massage\\* \\[x\\](javascript:y)" in (tmp_path / "page.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- usage and exit codes


def test_an_existing_file_needs_force(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "handout.html"
    target.write_text("keep me", encoding="utf-8")
    refused = invoke("handout", "tens", "--export", str(target))
    assert (refused.exit_code, refused.stderr) == (73, f"painsci: {target} already exists; add --force to replace it\n")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert invoke("handout", "tens", "--export", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tens", "--export", "x.pdf"), "painsci: --export needs a file ending in .txt, .md, .html, .htm; got 'x.pdf'"),
        (("tens", "--export", "x.html", "--format", "html"), "painsci: --export takes its format from the file suffix"),
        (("tens", "tens"), "painsci: the same treatment was named twice"),
        (("a", "b", "c", "d", "e", "f", "g"), "painsci: handout takes 1 to 6 treatments, got 7"),
        (("no-such-thing",), "painsci: unknown treatment 'no-such-thing'"),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("handout", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_the_phase_is_the_bottom_lines(invoke: Invoke) -> None:
    acute = json.loads(invoke("show", "massage", "--phase", "acute", "--json").stdout)["profiles"][1]["bottom_line"]
    assert acute["verdict"] == "very uncertain"
    text = one_line(invoke("handout", "massage", "--phase", "acute").stdout)
    assert "Information for patients with back pain that started less than 12 weeks ago (acute pain)." in text
    assert "We do not know whether massage helps." in text


def test_the_readme_shows_the_handouts_own_headlines() -> None:
    from helpers import REPO
    from painsci_cli.handout import handout_doc

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    store = load(None)
    for tid in ("walking", "yoga", "pilates", "massage", "tens", "stretching"):
        page = handout_doc(store, [tid], "chronic", "2026-12-01").treatments[0]
        assert f"| {page.headline} |" in readme, tid


def test_the_printed_foot_is_a_css_string_no_text_can_leave() -> None:
    from painsci_cli.render.handout import _css_string

    said = _css_string('0.1 "x" </style><script>\\ · é')
    assert said == '"0.1 \\22 x\\22  \\3C /style\\3E \\3C script\\3E \\5C  \\B7  \\E9 "'
    assert "<" not in said and said.count('"') == 2
