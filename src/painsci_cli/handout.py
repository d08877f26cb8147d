"""`painsci handout`: a page for the patient, built from the same evidence profile as the bottom line.

Nothing here decides what the evidence says: `judgements.evidence` gives the profile (which
finding answers each question, the bottom line, how long a benefit lasted) exactly as `show`,
`list` and `explain` see it, and this module only words it for a patient (plain_words.py). The
headline is the bottom line's verdict; each sentence about a comparison is worded by its own
finding's certainty but never more strongly than the verdict allows. Numbers in everyday terms
(points on a 0 to 10 scale, "about N in 100 more people") are computed by reexpress.py from
stored figures, and only where a stored figure supports them. Descriptions, harms and what
patients can do themselves come from the knowledge base.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import __version__
from . import plain_words as words
from .derive import INDIVIDUAL_MCID, benefit, significant
from .errors import UsageError
from .guidelines import PHASE_WORDS, GuidelineLine, line
from .judgements import evidence, finding_of
from .load.store import Store
from .lookup import resolve
from .models import Finding, Source, Treatment
from .profile import Answer, EvidenceProfile, Phase, Verdict
from .provenance import NOT_ADVICE
from .records import Record, record
from .reexpress import fraction_words, mid_units, points_from_smd, risk_difference

MAX_TREATMENTS = 6
BENEFIT_VERDICTS = frozenset(words.VERDICT_LEVEL)
NO_FIGURE = "The studies give no figure that we can put into everyday terms."
ACTIVE = "Active treatments are treatments you take part in and keep doing yourself."
CATEGORY_WORDS = {
    "passive": "It is a passive treatment: something that is done to you.",
    "active": "It is an active treatment: something you do yourself and keep doing.",
}
MECHANISM_WORDS = {
    "implausible": "There is no scientific explanation for how it could work.",
    "uncertain": "It is not clear how it could work.",
}
_COVERS = {text: phase for phase, text in PHASE_WORDS.items()}


@record
class Block(Record):
    """One heading of the page: paragraphs, then a list."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@record
class TreatmentPage(Record):
    treatment: str
    name: str
    verdict: Verdict
    """The bottom line this page words (the same as `painsci show`'s for the phase)."""
    short_lived: bool
    headline: str
    """The verdict in a patient's words: the first sentence under "Does it help?"."""
    blocks: tuple[Block, ...]
    sources: tuple[str, ...]
    """Ids of the sources the page rests on, in order of first use."""


@record
class HandoutDoc(Record):
    title: str
    audience: str
    phase: Phase
    painsci_version: str
    kb_reviewed: str
    generated: str
    treatments: tuple[TreatmentPage, ...]
    self_care: Block
    sources: tuple[Source, ...]
    not_advice: str = NOT_ADVICE


def handout_doc(store: Store, names: Sequence[str], phase: Phase, generated: str) -> HandoutDoc:
    if not 1 <= len(names) <= MAX_TREATMENTS:
        raise UsageError(f"painsci: handout takes 1 to {MAX_TREATMENTS} treatments, got {len(names)}")
    chosen = [resolve(store, name) for name in names]
    if len({t.id for t in chosen}) != len(chosen):
        raise UsageError("painsci: the same treatment was named twice")
    pages = tuple(treatment_page(store, t, phase) for t in chosen)
    care, care_sources = self_care(store, phase)
    ids = list(dict.fromkeys([s for page in pages for s in page.sources] + care_sources))
    by_id = {s.id: s for s in store.core.sources}
    names_ = [words.capitalised(words.patient_name(t)) for t in chosen]
    title = (
        " and ".join(names_) if len(names_) < 3 else ", ".join(names_[:-1]) + " and " + names_[-1]
    ) + " for low back pain"
    return HandoutDoc(
        title=title,
        audience=f"Information for patients with {words.PHASE_WORDS[phase]}.",
        phase=phase,
        painsci_version=__version__,
        kb_reviewed=store.core.reviewed,
        generated=generated,
        treatments=pages,
        self_care=care,
        sources=tuple(by_id[i] for i in ids if i in by_id),
    )


def treatment_page(store: Store, t: Treatment, phase: Phase) -> TreatmentPage:
    found = evidence(store, t, phase)
    it = words.patient_name(t)
    verdict = found.bottom_line.verdict
    headline = words.headline(verdict, it, found.bottom_line.short_lived)
    sources: list[str] = []
    blocks = [what_it_is(t, it), does_it_help(store, t, found, it, headline, sources)]
    if verdict not in ("not studied", "comparator"):
        blocks += [how_much(store, t, found, it), how_long(found)]
    blocks += [what_can_go_wrong(store, t, it, sources), guidelines_say(store, t, phase, sources)]
    return TreatmentPage(
        t.id, t.name, verdict, found.bottom_line.short_lived, headline, tuple(blocks), tuple(dict.fromkeys(sources))
    )


def what_it_is(t: Treatment, it: str) -> Block:
    said = [words.capitalised(words.plain(words.first_sentence(t.description)))]
    if t.category in CATEGORY_WORDS:
        said.append(CATEGORY_WORDS[t.category])
    if t.mechanism and t.mechanism.plausibility in MECHANISM_WORDS:
        said.append(MECHANISM_WORDS[t.mechanism.plausibility])
    return Block(f"What is {it}?", tuple(said))


def does_it_help(
    store: Store, t: Treatment, found: EvidenceProfile, it: str, headline: str, sources: list[str]
) -> Block:
    said = [headline]
    verdict = found.bottom_line.verdict
    if verdict in ("not studied", "comparator"):
        return Block("Does it help?", tuple(said))
    if found.from_subtypes:
        parts = dict.fromkeys(words.patient_name(store.treatments[a.treatment]) for a in _answers(found))
        said.append(f"There are no studies of {it} as a whole here; this is based on studies of {_listed(parts)}.")
    for question in ("specific", "pragmatic", "relative"):
        answer = found.answer(question)
        if answer is None:
            if question == "specific":
                said.append(
                    f"We found no result that compares {it} with a fake (sham) version alone. "
                    "So we do not know whether the treatment itself does anything."
                )
            elif question == "pragmatic":
                said.append(f"No study compared {it} with usual care or no treatment.")
            continue
        f = finding_of(store, t, answer)
        sources.append(f.cite.source)
        who = it if answer.treatment == t.id else words.patient_name(store.treatments[answer.treatment])
        sentence = words.answer_sentence(who, control_words(store, f), answer, words.claim_cap(verdict, question))
        said.append(" ".join([sentence, *qualifiers(answer, f)]))
        if question == "specific":
            sham = next((c for c in t.caveats if c.kind == "sham_equals_real"), None)
            if sham is not None:
                sources.append(sham.cite.source)
                said.append(f"In at least one study, a fake version worked about as well as the real {who}.")
    return Block("Does it help?", tuple(said))


def control_words(store: Store, f: Finding) -> str:
    """What the comparison group had: 'a fake (sham) version', 'usual care', or the other treatment."""
    kind = f.comparator.kind
    if kind != "active":
        return words.CONTROL_WORDS[kind]
    other = store.treatments.get(f.comparator.treatment or "")
    if other is not None:
        return words.patient_name(other)
    label = f.comparator.label
    plain_label = len(label) <= 30 and "(" not in label and "control" not in label.casefold()
    return words.plain(label) if plain_label else words.CONTROL_WORDS[kind]


def qualifiers(answer: Answer, f: Finding) -> list[str]:
    """The cautions that travel with one comparison, in the same paragraph."""
    said = []
    if answer.question == "pragmatic" and answer.bias_risk == "high":
        said.append("Also, the people in the comparison group knew they were not getting the treatment.")
        said.append("This can make the treatment look better than it is.")
    if f.indirect is not None:
        what = f.indirect.population or f.indirect.intervention or ""
        said.append(f"The studies behind this were broader: {words.plain(what)}.")
    if "single_small_trial" in answer.flags:
        said.append("This rests on one small study.")
    elif "few_participants" in answer.flags:
        said.append("This rests on fewer than 100 people.")
    if answer.disagreeing:
        said.append("Other studies found something different.")
    return said


def how_much(store: Store, t: Treatment, found: EvidenceProfile, it: str) -> Block:
    """Each comparison that showed a benefit, in everyday terms (sham first), where stored
    figures allow: points on a 0 to 10 scale, "about N in 100 more people", or a size in words."""
    said: list[str] = []
    for answer in _answers(found):
        if answer.shows != "benefit":
            continue
        f = finding_of(store, t, answer)
        who = it if answer.treatment == t.id else words.patient_name(store.treatments[answer.treatment])
        said += [s for s in everyday_size(store, f, answer, who) if s not in said]
    return Block("How much does it help?", tuple(said) or (NO_FIGURE,))


def everyday_size(store: Store, f: Finding, answer: Answer, it: str) -> list[str]:
    control = control_words(store, f)
    if f.responders is not None and significant(f) and f.effect is not None:
        rd = risk_difference(f.responders.treatment, f.responders.control, f.effect)
        if rd is not None and rd.control_risk is not None:
            treated, controls = _per_100(rd.control_risk + rd.estimate), _per_100(rd.control_risk)
            more = "more" if (rd.estimate > 0) == (f.effect.favours_treatment == "positive") else "fewer"
            what = words.plain(f.responders.definition)
            return [
                f"In the studies, {treated} in 100 people who had {it} had {what}. "
                f"With {control}, {controls} in 100 did.",
                f"That is about {_per_100(abs(rd.estimate))} in 100 {more} people.",
            ]
    b = benefit(f)
    scale = store.scale(f.outcome.scale)
    construct = f.outcome.construct
    if b is not None and f.effect is not None and f.effect.measure == "md" and scale is not None:
        span = scale.max - scale.min
        if construct in words.OUTCOME_WORDS and span in (10, 100) and not f.outcome.scale_unnamed:
            on_ten = b.estimate * 10 / span
            said = [
                f"In the studies, {words.OUTCOME_WORDS[construct]} was about {_points(on_ten)} lower "
                f"on a scale from 0 to 10 than with {control}."
            ]
            if scale.id in INDIVIDUAL_MCID:
                share = b.estimate / INDIVIDUAL_MCID[scale.id]
                said.append(_noticed(share, share))
            return said
    if b is not None and f.effect is not None and f.effect.measure == "smd" and construct == "pain":
        in_points = points_from_smd(b.estimate, None, construct)
        if in_points is not None:
            low, high = sorted((in_points.estimate.at_low_sd, in_points.estimate.at_high_sd))
            units = mid_units(in_points)
            return [
                f"In the studies, pain was about {_points(low).split()[0]} to {_points(high)} lower on a scale "
                f"from 0 to 10 than with {control}. The studies used different scales, so this is a rough estimate.",
                _noticed(units.fraction_low, units.fraction_high),
            ]
    size = words.SIZE_WORDS.get(answer.magnitude or "")
    if size is None:
        return []
    what = {"pain": "in pain", "function": "in what people could do in daily life"}.get(construct, "")
    return [f"Compared with {control}, the studies found {size} improvement {what}".rstrip() + "."]


def _points(value: float) -> str:
    """'1.5 points', '1 point': one decimal, as a patient reads a 0 to 10 scale."""
    shown = f"{abs(value):.1f}".removesuffix(".0")
    return f"{shown} point" + ("" if shown == "1" else "s")


def _per_100(share: float) -> int:
    return int(share * 100 + 0.5)


def _noticed(low: float, high: float) -> str:
    """How a difference compares with the change one person notices (Ostelo 2008), in words.

    A range from an SD range (at most 1.25-fold wide) is said at its middle: "between about
    three quarters of and about the same as" reads badly, and the page already calls the
    figure a rough estimate.
    """
    words, join = fraction_words((abs(low) + abs(high)) / 2)
    return f"That is {words} {join} the change one person would notice."


def how_long(found: EvidenceProfile) -> Block:
    lasting = found.durability
    heading = "How long does it last?"
    if not lasting.windows:
        return Block(heading, ("The studies do not show how long any benefit lasts.",))
    if lasting.lasts is None:
        return Block(heading, ("The studies found no benefit that lasted.",))
    said = [f"In the studies, a benefit was still seen {words.WINDOW_WORDS[lasting.lasts]}."]
    if lasting.lasts == "immediate":
        said = ["In the studies, a benefit was seen at the end of treatment."]
    if lasting.gone_by is not None:
        said.append(f"It was no longer seen {words.WINDOW_WORDS[lasting.gone_by]}.")
    elif lasting.lasts != "long":
        said.append("The studies did not check whether it lasted longer.")
    if lasting.disagree:
        said.append("Later results disagree.")
    return Block(heading, (" ".join(said),))


def what_can_go_wrong(store: Store, t: Treatment, it: str, sources: list[str]) -> Block:
    heading = "What can go wrong?"
    harms, said = t.harms, []
    parent = store.treatments.get(t.parent or "")
    if not harms and parent is not None and parent.harms:
        harms = parent.harms
        said.append(f"These side effects are known for {words.patient_name(parent)} in general.")
    if not harms:
        return Block(heading, (f"We found no figures on side effects of {it}.",))
    items = []
    for harm in harms:
        sources.append(harm.cite.source)
        often = words.how_often(harm)
        what = words.capitalised(words.plain(harm.description).rstrip("."))
        flagged = harm.serious and not what.casefold().startswith(("serious", "severe"))
        item = ("Serious: " if flagged else "") + what + "."
        items.append(item + (f" How often: {often}." if often else " How often is not known."))
    return Block(heading, tuple(said), tuple(items))


def guidelines_say(store: Store, t: Treatment, phase: Phase, sources: list[str]) -> Block:
    items = []
    other_phase: Phase = "acute" if phase == "chronic" else "chronic"
    for g in store.core.guidelines:
        sources.append(g.source)
        here = line(g, t, phase, store.core.reviewed)
        there = line(g, t, other_phase, store.core.reviewed)
        items.append(
            guideline_words(words.guideline_name(g), here, there) + " " + words.currency(g, here.past_validity)
        )
    return Block("What do guidelines say?", (), tuple(items))


def guideline_words(name: str, here: GuidelineLine, there: GuidelineLine) -> str:
    """One guideline's position for this phase in plain words, with its condition and what it
    says for the other phase when that differs (SYNTHESIS.md §5)."""
    if here.stance == "out_of_scope":
        return f"{name} covers only {words.COVERS_WORDS['chronic']}."
    if here.stance == "unverified":
        said = f"{name}: we could not check what it says."
    elif here.stance == "not_addressed":
        said = f"{name} does not mention it for this kind of pain."
    else:
        said = f"{name} {_stance(here)}."
        if here.certainty:
            said += f" It rates the evidence for this as {words.CERTAINTY_WORDS[here.certainty]}."
    taking_sides = ("for", "against")
    if (
        there.stance in taking_sides
        and there.covers != here.covers
        and (here.stance not in taking_sides or there.mark != here.mark)
    ):
        covers = words.COVERS_WORDS.get(_COVERS.get(there.covers, "all"), "")
        stance = words.STANCE_WORDS.get((there.stance, there.strength), there.words)
        said += f" For {covers}, it {stance}." if covers else ""
    return said


def _stance(here: GuidelineLine) -> str:
    stance = words.STANCE_WORDS.get((here.stance, here.strength), here.words)
    covers = words.COVERS_WORDS.get(_COVERS.get(here.covers, "all"), "")
    active = ", but only together with exercise or other active treatment" if here.only_with_active_treatment else ""
    return stance + (f" for {covers}" if covers else "") + active


def self_care(store: Store, phase: Phase) -> tuple[Block, list[str]]:
    """What patients can do themselves: what guidelines say about staying active (and bed rest),
    then every active treatment whose bottom line is a benefit, strongest first."""
    items, sources = [], []
    for t in store.all():
        if t.category != "comparator":
            continue
        positions = [line(g, t, phase, store.core.reviewed) for g in store.core.guidelines]
        sides = [s for s in positions if s.stance in ("for", "against")]
        if sides:
            sources += [g.source for g in store.core.guidelines]
            stances = "; ".join(
                f"{s.short_name} {words.STANCE_WORDS.get((s.stance, s.strength), s.words)}" for s in sides
            )
            items.append(f"{t.name}: {words.plain(words.lead(t.description))}. Guidelines: {stances}.")
    helping = []
    for t in store.all():
        if t.category != "active":
            continue
        found = evidence(store, t, phase)
        if found.bottom_line.verdict in BENEFIT_VERDICTS:
            helping.append((found, t))
    helping.sort(key=lambda pair: (-pair[0].bottom_line.rank, pair[1].name.casefold()))
    for found, t in helping:
        answer = found.answer(found.bottom_line.basis) if found.bottom_line.basis else None
        if answer is not None:
            sources.append(finding_of(store, t, answer).cite.source)
        said = words.headline(found.bottom_line.verdict, "it", found.bottom_line.short_lived)
        items.append(f"{t.name}: {said}")
    if not helping:
        items.append("We found no active treatment with a clear benefit for this kind of back pain.")
    return Block("What you can do yourself", (ACTIVE,), tuple(items)), sources


def _answers(found: EvidenceProfile) -> list[Answer]:
    return [a for q in ("specific", "pragmatic", "relative") if (a := found.answer(q)) is not None]


def _listed(items: Sequence[str] | dict[str, None]) -> str:
    names = list(items)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
