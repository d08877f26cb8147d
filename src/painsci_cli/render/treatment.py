"""`painsci show`: one screen first, details on demand.

The summary card answers, in this order, what a clinician between two patients needs: the bottom
line and why, the key figures (sham-controlled first) with comparator, time, certainty and
flags, every SMD also in points, up to two yes/no findings per 100 and as NNTs, the arms'
improvement where a trial prints it (render/numbers.py), how long it lasted, harms with their
rates, each guideline in a line, the caveats that matter most, the sub-types of a parent, the
SD the points assume, and how to see more. `--full` is the whole record, laid out as
Summary-of-Findings rows with every stored note where it belongs; `--section NAME` prints one
part. Everything is built from the TreatmentDoc, so JSON and text cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import text as words
from ..absolute import rates_of
from ..models import Caveat, Finding, Treatment
from ..profile import QUESTIONS, Answer, EvidenceProfile
from ..text import NOT_REPORTED, compact_figure, mcid_text, number
from ..usable import points_note
from ..views import Assessment, TreatmentDoc, TreatmentRow
from . import numbers
from .layout import FLAG_WORDS, Section, citation, identifiers, short_name, verdict_of

CARD_LABELS = {"specific": "vs sham/placebo", "pragmatic": "vs usual care etc.", "relative": "vs other treatments"}
"""Short labels for the card's answer rows (usual care etc.: usual care, waiting list, no treatment)."""
SECTION_NAMES = ("effects", "blinding", "harms", "guidelines", "caveats", "sources", "within-group")
CAVEAT_PRIORITY = (
    "sham_equals_real",
    "frustrebo",
    "unblinded_control",
    "short_lived",
    "passive_adjunct_only",
    "population_mismatch",
    "nonspecific_effects",
    "no_better_than_simpler",
    "small_trials",
    "sources_disagree",
    "other",
)
"""Which caveats the card shows first (two at most): those that change what a number means."""
CROWDED = 3
"""A parent with more sub-types than this shows one caveat on its card: each sub-type takes a
row, and exercise therapy's ten would otherwise push the card past one screen."""


def sections(doc: TreatmentDoc, detail: str, wanted: tuple[str, ...]) -> list[Section]:
    if wanted:
        return [part for name in wanted for part in BUILDERS[name](doc)]
    if detail == "full":
        return full(doc)
    return [card(doc)]


# --------------------------------------------------------------------------- the card


def profile_for(doc: TreatmentDoc) -> EvidenceProfile:
    return next(p for p in doc.profiles if p.phase == doc.phase)


def card(doc: TreatmentDoc) -> Section:
    """The one-screen summary (a label: value table, so it stacks naturally when narrow)."""
    t = doc.treatment
    found = profile_for(doc)
    line = found.bottom_line
    rows: list[tuple[str, str]] = [("bottom line", verdict_of(line))]
    why = [r.text for r in line.reasons if not r.code.startswith(("specific_", "pragmatic_", "relative_"))]
    if why:
        rows.append(("why", "; ".join(why)))
    if found.from_subtypes:
        rows.append(("note", f"no finding of its own for {doc.phase} pain: the figures are its sub-types'"))
    for question in QUESTIONS:
        answer = found.answer(question)
        if answer is not None:
            rows.append((CARD_LABELS[question], answer_line(doc, answer)))
    if not any(found.answer(q) for q in QUESTIONS):
        rows.append(("evidence", t.evidence_gap or "no between-group finding in the sources used"))
    rows += numbers.card_absolute_rows(doc, figures(doc))
    rows += numbers.card_arms_rows(doc)
    if found.durability.windows:
        rows.append(("lasts", found.durability.text))
    rows.append(("harms", numbers.harms_line(t.harms, doc.harm_rates, t.harms_note, NOT_REPORTED)))
    for guideline in (g for g in doc.guideline_lines if g.phase == doc.phase):
        rows.append((guideline.short_name, guideline.text.split(": ", 1)[1]))
    shown = top_caveats(t, 1 if len(doc.subtypes) > CROWDED else 2)
    for i, caveat in enumerate(shown, 1):
        more = len(t.caveats) - len(shown) if i == len(shown) else 0
        rows.append(
            ("caveat", f"{caveat.text} [{caveat.cite.source}]" + (f"; {more} more (--section caveats)" if more else ""))
        )
    for sub in doc.subtypes:
        rows.append((card_label(sub.name), subtype_line(sub)))
    other = next(p for p in doc.profiles if p.phase != doc.phase)
    if other.bottom_line.verdict not in ("not studied", "comparator"):
        rows.append((f"{other.phase} pain", f"{verdict_of(other.bottom_line)} (--phase {other.phase})"))
    note = points_note(numbers.card_points(doc))
    if note:  # a row, not a caption, so --plain and Markdown keep the assumption too
        rows.append(("points", note.removeprefix("points = ")))
    rows.append(("more", f"painsci show {t.id} --full or --section NAME; painsci explain {t.id}"))
    title = f"{t.name} · {t.category} · {doc.phase} low back pain"
    return Section(title, ("field", "value"), tuple(rows), key_value=True)


CARD_LABEL = 24
"""A sub-type's label on the card is at most about this wide, or the label column squeezes every value."""


def card_label(name: str) -> str:
    """'McKenzie method' for 'McKenzie method (Mechanical Diagnosis and Therapy)': a long name loses
    its trailing gloss on the card (one long label widens the label column of every row); its own
    card and --full keep the whole name."""
    name = short_name(name)
    if len(name) > CARD_LABEL and name.endswith(")") and " (" in name:
        return name[: name.rindex(" (")]
    return name


def subtype_line(sub: TreatmentRow) -> str:
    """'very uncertain; SMD -0.32 [-0.61, -0.02] vs usual care, about 0.6 to 0.8 points better on
    pain 0-10': short, so a parent's card stays one screen (the sub-type's own card has the rest)."""
    if sub.key_figure == "no figure":
        return verdict_of(sub.bottom_line)
    points = sub.headline.points if sub.headline else None
    return f"{verdict_of(sub.bottom_line)}; {numbers.with_points(sub.key_figure, points, brief=True)}"


def answer_line(doc: TreatmentDoc, answer: Answer) -> str:
    """'SMD -0.75 [-0.9, -0.6] vs inactive; short-term follow-up; certainty very low to low;
    unblinded control' — the figure with its time, its own certainty and every flag on it."""
    finding = next((f for f in doc.treatment.findings if f.id == answer.finding), None)
    if finding is not None:
        assessed = assessment_of(doc, finding)
        scale = assessed.scale if finding.effect is not None else None
        parts = [numbers.with_points(compact_figure(finding, scale), assessed.points), finding.time_point.label]
    else:  # a parent's answer held by one of its sub-types
        sub = next(r for r in doc.subtypes if r.id == answer.treatment)
        figure = sub.answer_figures.get(answer.question, answer.finding)
        points = sub.answer_points.get(answer.question)  # brief: the sub-type's own card has the rest
        parts = [numbers.with_points(figure, points, brief=True), f"from {sub.name}"]
    parts.append(f"certainty {words.certainty_words(answer.certainty, answer.certainty_up_to)}")
    parts += [FLAG_WORDS[f] for f in answer.flags if f != "not_rated"]
    return "; ".join(parts)


def assessment_of(doc: TreatmentDoc, finding: Finding) -> Assessment:
    return next(a for a in doc.assessments if a.finding == finding.id)


def figures(doc: TreatmentDoc) -> dict[str, str]:
    """Finding id -> its compact figure, for naming a responder NNT's same-trial mean difference."""
    return {f.id: compact_figure(f, assessment_of(doc, f).scale) for f in doc.treatment.findings if f.effect}


def top_caveats(t: Treatment, limit: int = 2) -> list[Caveat]:
    ranked = sorted(t.caveats, key=lambda c: CAVEAT_PRIORITY.index(c.kind))
    chosen: list[Caveat] = []
    kinds: set[str] = set()
    for caveat in ranked:
        group = "unblinded" if caveat.kind in ("frustrebo", "unblinded_control") else caveat.kind
        if group not in kinds:
            chosen.append(caveat)
            kinds.add(group)
        if len(chosen) == limit:
            break
    return chosen


# --------------------------------------------------------------------------- the full record


def full(doc: TreatmentDoc) -> list[Section]:
    parts = [overview(doc)]
    for build in (effects, within_group, blinding, harms, guidelines, caveats, sources):
        parts += build(doc)
    return parts


def overview(doc: TreatmentDoc) -> Section:
    t = doc.treatment
    rows: list[tuple[str, str]] = [("category", t.category)]
    if t.parent:
        rows.append(("part of", t.parent))
    if doc.children:
        rows.append(("includes", ", ".join(doc.children)))
    if t.aliases:
        rows.append(("also called", ", ".join(t.aliases)))
    rows.append(("what it is", t.description))
    if t.evidence_gap:
        rows.append(("evidence gap", t.evidence_gap))
    for found in doc.profiles:
        line = found.bottom_line
        rows.append((f"bottom line ({found.phase})", verdict_of(line)))
        rows.append((f"reasons ({found.phase})", "; ".join(f"{r.text} [{r.code}]" for r in line.reasons)))
        if found.phase == doc.phase:  # the card's key figures (sub-types' figures are for this phase)
            if found.from_subtypes:
                note = f"no finding of its own for {found.phase} pain: the figures are its sub-types'"
                rows.append((f"note ({found.phase})", note))
            for question in QUESTIONS:
                answer = found.answer(question)
                if answer is not None:
                    rows.append((f"{CARD_LABELS[question]} ({found.phase})", answer_line(doc, answer)))
            rows += [
                (f"{label} ({found.phase})", text)
                for label, text in numbers.card_absolute_rows(doc, figures(doc), hint=False)
            ]
        if found.durability.windows:
            rows.append((f"lasts ({found.phase})", found.durability.text))
    # as on the card (tests/test_render_treatment.py keeps the two in step); the rest is below
    rows.append(("harms", numbers.harms_line(t.harms, doc.harm_rates, t.harms_note, NOT_REPORTED, hint=False)))
    for sub in doc.subtypes:
        rows.append((short_name(sub.name), subtype_line(sub)))
    assumed = points_note(numbers.card_points(doc))
    if assumed:
        rows.append(("points", assumed.removeprefix("points = ")))
    return Section(t.name, ("field", "value"), tuple(rows), key_value=True)


def effects(doc: TreatmentDoc) -> list[Section]:
    """Summary-of-Findings rows (one line per finding on a wide terminal), then each finding's
    details: the comparator and time in the source's words, size, MCID, blinding, locator, notes."""
    t = doc.treatment
    rows = []
    details = []
    for f in t.findings:
        a = assessment_of(doc, f)
        figure = compact_figure(f, a.scale).rsplit(" vs ", 1)[0]
        certainty = words.certainty_words(f.certainty.level, f.certainty.up_to) if f.certainty else "not rated"
        rows.append(
            (
                f"{f.outcome.label} ({f.population.duration.replace('_', '/')})",
                words.COMPARATOR_SHORT[f.comparator.kind],
                words.WINDOW_SHORT[a.time_window.window],
                figure,
                certainty,
                f.id,
            )
        )
        details.append((f.id, finding_details(f, a)))
    note = (
        "Effect = between-group difference (treatment minus control) as the source prints it. "
        "when: after the end of treatment (end = at its end)."
    )
    if not rows:
        return [Section("Effects vs control", (), (), t.evidence_gap or "no between-group figure in the sources used")]
    columns = ("outcome", "vs", "when", "effect (95% CI)", "certainty", "finding")
    table = Section("Effects vs control", columns, tuple(rows), note, numeric=(3,), brief=((5, 0), (3, 1, 2, 4)))
    parts = [table, Section("Finding details", ("finding", "details"), tuple(details), key_value=True)]
    usable = numbers.numbers_section(doc, figures(doc))
    return parts + ([usable] if usable else [])


def finding_details(f: Finding, a: Assessment) -> str:
    parts = [f"vs {f.comparator.label}", f"time: {f.time_point.label}", f"size: {size_text(f)}"]
    if f.effect is None:
        parts.append(f"result: {f.result or NOT_REPORTED}")
    else:
        parts.append(f"vs MCID: {mcid_text(a.mcid)}")
        parts.append(f"magnitude: {words.MAGNITUDE[a.magnitude.label]}")
        if f.effect.note:
            parts.append(f"effect note: {f.effect.note}")
    if f.outcome.scale_inferred:
        parts.append("scale: inferred, not stated by the source (verdicts on it rest on that inference)")
    elif f.outcome.scale_unnamed:
        parts.append("scale: not named by the source (no size class or MCID verdict)")
    if f.certainty and f.certainty.note:
        parts.append(f"certainty: {f.certainty.note}")
    if f.indirect is not None:
        parts.append(f"indirect: {f.indirect.population or f.indirect.intervention}")
    if f.superseded_by:
        parts.append(f"superseded by {f.superseded_by}")
    if f.population.note:
        parts.append(f"population: {f.population.note}")
    if f.note:
        parts.append(f"note: {f.note}")
    reading = " (read in a secondary source)" if f.cite.reading == "secondary" else ""
    parts.append(f"source: {f.cite.source}, {f.cite.locator}{reading}")
    return "; ".join(parts)


def size_text(finding: Finding) -> str:
    size = finding.size
    if size.arms:
        text = " vs ".join(f"{arm.n}" for arm in size.arms) + " per arm"
    elif size.trials or size.participants:
        text = f"{number(size.trials)} trials, {number(size.participants)} participants"
    else:
        text = NOT_REPORTED
    return text + (f" ({size.note})" if size.note else "")


def within_group(doc: TreatmentDoc) -> list[Section]:
    t = doc.treatment
    if not t.within_group:
        return []
    rows = tuple(
        (w.arm, w.outcome.label, w.time_point.label, w.change, f"{w.cite.source}" + (f"; {w.note}" if w.note else ""))
        for w in t.within_group
    )
    columns = ("arm", "outcome", "when", "change from baseline", "source and note")
    title = "Within-group changes (NOT effects: every arm improves, including the control)"
    return [Section(title, columns, rows), *numbers.arms_sections(doc)]


def blinding(doc: TreatmentDoc) -> list[Section]:
    """Findings grouped by identical blinding: the pattern once, the findings it applies to after."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for f in doc.treatment.findings:
        a = assessment_of(doc, f)
        b = f.blinding
        pattern = (
            " / ".join(words.BLINDING[x] for x in (b.participants, b.providers, b.assessors)) if b else NOT_REPORTED,
            words.COMPARATOR[f.comparator.kind],
            f"{a.blinding_risk.risk}: {a.blinding_risk.reason}",
            (b.note or "") if b else "",
        )
        groups.setdefault(pattern, []).append(f.id)
    rows = tuple((*pattern[:3], pattern[3] or "-", ", ".join(ids)) for pattern, ids in groups.items())
    columns = ("participants / providers / assessors", "control", "bias risk", "note", "findings")
    note = "With patient-reported outcomes the participant is the assessor."
    return [Section("Blinding", columns, rows, note)]


def harms(doc: TreatmentDoc) -> list[Section]:
    t = doc.treatment
    rows = tuple(
        (
            h.description,
            h.rate or NOT_REPORTED,
            rates.text if (rates := rates_of(h, doc.harm_rates)) else "-",
            "serious" if h.serious else "not serious",
            h.cite.source,
        )
        for h in t.harms
    )
    note = t.harms_note if t.harms_note else (None if rows else NOT_REPORTED)
    columns = ("harm", "rate as printed", "as numbers", "severity", "source")
    return [Section("Harms", columns, rows, note)]


def guidelines(doc: TreatmentDoc) -> list[Section]:
    lines = tuple((g.short_name, g.phase, g.text.split(": ", 1)[1]) for g in doc.guideline_lines)
    summary = Section("Guidelines, per phase of pain", ("guideline", "phase", "position"), lines)
    rows = []
    for position in doc.guidelines:
        g, r = position.guideline, position.recommendation
        stance = words.STANCE[r.stance] + (f" ({r.strength})" if r.strength else "")
        condition = NOT_REPORTED
        if r.condition:
            condition = r.condition.phase.replace("_", "/") + (
                " + active treatment only" if r.condition.only_with_active_treatment else ""
            )
            if r.condition.note:
                condition += f" ({r.condition.note})"
        wording = r.wording or (r.note or NOT_REPORTED)
        if r.wording and r.note:
            wording += f" ({r.note})"
        if r.certainty:
            wording += f" [certainty: {words.CERTAINTY[r.certainty]}]"
        number_text = f" {r.number}" if r.number else ""
        rows.append((f"{g.short_name}{number_text}", stance, condition, wording, g.validity))
    columns = ("guideline", "stance", "applies to", "wording", "status")
    return [summary, Section("Guideline wording", columns, tuple(rows))]


def caveats(doc: TreatmentDoc) -> list[Section]:
    t = doc.treatment
    rows: list[tuple[str, str]] = []
    if t.mechanism:
        rows.append(("claimed mechanism", t.mechanism.claim))
        rows.append(("plausibility", f"{t.mechanism.plausibility}: {t.mechanism.assessment}"))
    for c in t.caveats:
        rows.append((f"caveat: {c.kind.replace('_', ' ')}", f"{c.text} [{c.cite.source}]"))
    for cost in t.cost:
        rows.append(("cost", f"{cost.text} [{cost.cite.source}]"))
    return [Section("Mechanism, caveats and cost", ("field", "value"), tuple(rows), key_value=True)]


def sources(doc: TreatmentDoc) -> list[Section]:
    rows = tuple((s.id, citation(s), identifiers(s)) for s in doc.sources)
    return [Section("Sources", ("id", "citation", "identifiers"), rows)]


BUILDERS: dict[str, Callable[[TreatmentDoc], list[Section]]] = {
    "effects": effects,
    "blinding": blinding,
    "harms": harms,
    "guidelines": guidelines,
    "caveats": caveats,
    "sources": sources,
    "within-group": within_group,
}
