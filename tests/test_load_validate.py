"""Pins load/validate.py: plain data to a KnowledgeBase, every problem as FILE:LINE: path: message.

pydantic's locations are mapped to YAML lines; misspelt keys get a did-you-mean found through
nested optional records; a number where text belongs says how YAML read it ("quote it"); a
literal lists its allowed values; problems come sorted by line; a file with thousands of errors
is summarised after the first twenty.
"""

from __future__ import annotations

import pytest

from helpers import line_of
from painsci_cli.errors import KnowledgeBaseInvalid
from painsci_cli.load import validate as validating
from painsci_cli.load.events import parse
from painsci_cli.load.validate import validate
from painsci_cli.models import Interval, KnowledgeBase

FINDING = "treatments[2].findings[0]"


def check(text: str, name: str = "kb.yaml") -> KnowledgeBase:
    return validate(parse(text, name), name)


def problems(text: str) -> tuple[str, ...]:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        check(text)
    assert caught.value.exit_code == 65
    return caught.value.lines


def edited(mini_text: str, old: str, new: str) -> str:
    assert mini_text.count(old) == 1, old
    return mini_text.replace(old, new)


def test_the_test_kb_validates_to_records(mini_text: str) -> None:
    kb = check(mini_text)
    assert [t.id for t in kb.treatments] == ["usual-care", "massage", "relaxation-massage"]
    effect = kb.treatments[2].findings[0].effect
    assert effect is not None
    assert (effect.estimate, effect.ci95) == (-2.9, Interval(-4.0, -1.8))
    assert type(kb.treatments[2].findings[0].mcid.value) is int  # type: ignore[union-attr]  # 2 stays 2


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "    evidence_gap: No review",
            "    evidense_gap: No review",
            "evidense_gap",
            "treatments[1].evidense_gap: unknown field 'evidense_gap'; did you mean 'evidence_gap'?",
        ),
        (
            "time_point: {label: 10 weeks, anchor: randomisation, weeks: 10,",
            "time_point: {label: 10 weeks, anchor: randomisation, weaks: 10,",
            "weaks",
            f"{FINDING}.time_point.weaks: unknown field 'weaks'; did you mean 'weeks'?",
        ),
        (
            "assessors: blinded}",
            "assessors: blinded, notes: x}",
            "notes: x",
            f"{FINDING}.blinding.notes: unknown field 'notes'; did you mean 'note'?",
        ),
        (
            "          favours_treatment: negative",
            "          favours_treatment: negative\n          favors: negative",
            "favors:",
            f"{FINDING}.effect.favors: unknown field 'favors'",
        ),
        (
            "schema_version: 1",
            "schema_version: 1\ncolour: red",
            "colour",
            "colour: unknown field 'colour'",
        ),
    ],
)
def test_a_misspelt_key_is_located_and_gets_a_suggestion(
    mini_text: str, old: str, new: str, needle: str, message: str
) -> None:
    text = edited(mini_text, old, new)
    assert problems(text) == (f"kb.yaml:{line_of(text, needle)}: {message}",)


def test_a_misspelt_key_inside_an_optional_record_also_misses_the_real_one(mini_text: str) -> None:
    text = edited(mini_text, "ci95: {lower: -4.0,", "ci95: {lowr: -4.0,")
    line = line_of(text, "lowr")
    assert problems(text) == (
        f"kb.yaml:{line}: {FINDING}.effect.ci95.lower: required field 'lower' is missing",
        f"kb.yaml:{line}: {FINDING}.effect.ci95.lowr: unknown field 'lowr'; did you mean 'lower'?",
    )


def test_a_missing_field_points_at_its_record(mini_text: str) -> None:
    text = edited(mini_text, "    name: Massage\n", "")
    assert problems(text) == (
        f"kb.yaml:{line_of(text, '- id: massage')}: treatments[1].name: required field 'name' is missing",
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "category: passive\n    parent",
            "category: pasive\n    parent",
            "pasive",
            "treatments[2].category: 'pasive' is not allowed; input should be 'active', 'passive' or 'comparator'",
        ),
        (
            "kind: usual_care, label",
            "kind: usual, label",
            "kind: usual,",
            f"{FINDING}.comparator.kind: 'usual' is not allowed; input should be 'usual_care', 'sham', 'placebo', "
            "'waitlist', 'no_treatment', 'minimal_intervention', 'inactive_mixed', 'active' or 'mixed'",
        ),
        (
            "measure: md",
            "measure: MD",
            "measure: MD",
            f"{FINDING}.effect.measure: 'MD' is not allowed; input should be 'md', 'smd', 'rr' or 'rd'",
        ),
        (
            "participants: partial",
            "participants: 1",
            "participants: 1",
            f"{FINDING}.blinding.participants: 1 is not allowed; input should be 'blinded', 'not_blinded', "
            "'partial', 'unclear' or 'not_reported'",
        ),
    ],
)
def test_a_value_outside_a_vocabulary_lists_the_allowed_ones(
    mini_text: str, old: str, new: str, needle: str, message: str
) -> None:
    text = edited(mini_text, old, new)
    assert problems(text) == (f"kb.yaml:{line_of(text, needle)}: {message}",)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ('estimate: "-2.9"', "Input should be a number"),
        ("estimate: true", "Input should be a number"),
        ("estimate: ~", "Input should be a number"),
        ("estimate: [1]", "Input should be a number"),
    ],
)
def test_a_figure_that_is_not_a_number_is_reported_once(mini_text: str, new: str, message: str) -> None:
    text = edited(mini_text, "estimate: -2.9", new)
    assert problems(text) == (f"kb.yaml:{line_of(text, 'estimate:')}: {FINDING}.effect.estimate: {message}",)


@pytest.mark.parametrize(
    ("new", "raw", "kind"),
    [
        ("reviewed: 1.10", "1.10", "a decimal number"),
        ("reviewed: true", "true", "true/false"),
        ("reviewed: 20261122", "20261122", "a whole number"),
        ("reviewed: ~", "~", "null (empty)"),
    ],
)
def test_a_number_where_text_belongs_says_how_yaml_read_it(mini_text: str, new: str, raw: str, kind: str) -> None:
    text = edited(mini_text, 'reviewed: "2026-11-22"', new)
    assert problems(text) == (
        f"kb.yaml:3: reviewed: Input should be a valid string (YAML read the unquoted '{raw}' as {kind}; quote it)",
    )


@pytest.mark.parametrize("new", ["reviewed: 20261122", "reviewed: ~"])
def test_the_quote_it_hint_names_the_type_in_words(mini_text: str, new: str) -> None:
    [line] = problems(edited(mini_text, 'reviewed: "2026-11-22"', new))
    assert " as a int;" not in line
    assert "NoneType" not in line


def test_a_quoted_value_gets_no_quote_it_hint(mini_text: str) -> None:
    text = edited(mini_text, "    name: Massage\n", "    name: [Massage]\n")
    assert problems(text) == (
        f"kb.yaml:{line_of(text, 'name: [Massage]')}: treatments[1].name: Input should be a valid string",
    )


def test_a_cross_record_rule_is_located_too(mini_text: str) -> None:
    text = edited(mini_text, "ci95: {lower: -4.0, upper: -1.8}", "ci95: {lower: -1.0, upper: -4.8}")
    assert problems(text) == (
        f"kb.yaml:{line_of(text, 'ci95:')}: {FINDING}.effect.ci95: lower bound -1 is above upper bound -4.8",
    )


def test_an_unknown_reference_is_located(mini_text: str) -> None:
    text = edited(mini_text, 'cite: {source: nvl-2017, locator: "ch. 5"', 'cite: {source: nvl-2016, locator: "ch. 5"')
    assert problems(text) == (
        f"kb.yaml:{line_of(text, 'nvl-2016')}: treatments[0].recommendations[0].cite.source: unknown source 'nvl-2016'",
    )


def test_problems_are_sorted_by_line_not_by_field_order(mini_text: str) -> None:
    # `reviewed` comes before `treatments` in the model but is moved to the end of the file.
    text = edited(mini_text, 'reviewed: "2026-11-22"\n', "") + "reviewed: 20261122\n"
    text = text.replace("    evidence_gap: No review", "    evidense_gap: No review")
    lines = problems(text)
    assert [line.split(":")[1] for line in lines] == [
        str(line_of(text, "evidense_gap")),
        str(line_of(text, "reviewed: 20261122")),
    ]


def test_the_name_given_starts_every_line(mini_text: str) -> None:
    text = edited(mini_text, "measure: md", "measure: mdd")
    [line] = problems_named(text, "some/dir/my kb.yaml")
    assert line.startswith(f"some/dir/my kb.yaml:{line_of(text, 'mdd')}: {FINDING}.effect.measure: ")


def problems_named(text: str, name: str) -> tuple[str, ...]:
    with pytest.raises(KnowledgeBaseInvalid) as caught:
        check(text, name)
    return caught.value.lines


def test_a_hostile_key_is_escaped_and_cut(mini_text: str) -> None:
    key = "a\tb" + "k" * 80  # a raw tab inside double quotes is valid YAML
    text = edited(mini_text, "schema_version: 1", f'schema_version: 1\n"{key}": 1')
    # the path shows the key escaped (\t) and cut at 60; the quoted key is its repr, cut at 60
    assert problems(text) == (f"kb.yaml:3: a\\tb{'k' * 57}…: unknown field 'a\\tb{'k' * 55}…",)


def test_top_level_problems_are_located_at_the_top(mini_text: str) -> None:
    text = edited(mini_text, "schema_version: 1\n", "")
    assert problems(text) == ("kb.yaml:2: schema_version: required field 'schema_version' is missing",)


# --------------------------------------------------------------------------- many problems


def kb_with_bad_categories(count: int) -> str:
    rows = "".join(f"  - {{id: t{i}, name: T{i}, category: bad, description: d}}\n" for i in range(count))
    return f'schema_version: 1\nreviewed: "2026-11-22"\nscales: []\nsources: []\nguidelines: []\ntreatments:\n{rows}'


def test_every_problem_is_listed_when_there_are_few() -> None:
    lines = problems(kb_with_bad_categories(5))
    assert len(lines) == 5
    assert lines[0] == (
        "kb.yaml:7: treatments[0].category: 'bad' is not allowed; input should be 'active', 'passive' or 'comparator'"
    )
    assert lines[4].startswith("kb.yaml:11: treatments[4].category: ")


def test_twenty_one_problems_are_summarised_after_twenty() -> None:
    lines = problems(kb_with_bad_categories(22))
    assert len(lines) == 21
    assert lines[19].startswith("kb.yaml:26: treatments[19].category: ")
    assert lines[20] == "kb.yaml: 2 more problems not listed"


def test_thousands_of_problems_are_counted_not_examined() -> None:
    lines = problems(kb_with_bad_categories(1500))
    assert len(lines) == 21
    assert lines[0].startswith("kb.yaml:7: treatments[0].category: 'bad' is not allowed")
    assert lines[20] == "kb.yaml: 1,480 more problems not listed"


def test_the_cheap_path_decodes_only_the_first_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validating, "DETAILED_ERRORS", 2)
    monkeypatch.setattr(validating, "MAX_PROBLEMS", 3)
    lines = problems(kb_with_bad_categories(30))
    assert lines == (
        "kb.yaml:7: treatments[0].category: 'bad' is not allowed; input should be 'active', 'passive' or 'comparator'",
        "kb.yaml:8: treatments[1].category: 'bad' is not allowed; input should be 'active', 'passive' or 'comparator'",
        "kb.yaml:9: treatments[2].category: 'bad' is not allowed; input should be 'active', 'passive' or 'comparator'",
        "kb.yaml: 27 more problems not listed",
    )
