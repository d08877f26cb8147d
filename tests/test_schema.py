"""The published output schema is true: every `--json` document validates against it, closed.

`painsci schema --output` is generated from the very records that make the JSON; these tests
check the result with an independent validator (jsonschema), for every command and every
treatment, and that the schema refuses what it does not declare.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import jsonschema
import pytest

from helpers import BUNDLED
from painsci_cli import load

Invoke = Callable[..., Any]


@cache
def schema() -> dict[str, Any]:
    from painsci_cli.schemas import output_schema

    return output_schema()


def of_kind(name: str) -> dict[str, Any]:
    """The schema narrowed to one document kind, so a failure names the field, not the union."""
    return {"$defs": schema()["$defs"], "$ref": f"#/$defs/{name}"}


@cache
def treatment_ids() -> tuple[str, ...]:
    return tuple(t.id for t in load.load_uncached(BUNDLED.read_bytes(), "treatments.yaml").treatments)


def document(invoke: Invoke, *args: str) -> dict[str, Any]:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.stderr
    found = json.loads(result.stdout)
    assert isinstance(found, dict)
    return found


def test_every_document_kind_lists_its_own_fields_and_no_others() -> None:
    definitions = schema()["$defs"]
    kinds = [ref["$ref"].rsplit("/", 1)[-1] for ref in schema()["anyOf"]]
    assert len(kinds) == 10
    for kind in kinds:
        properties = definitions[kind]["properties"]
        assert {"schema_version", "schema_minor", "painsci_version", "kb_reviewed", "kind"} <= set(properties), kind
        assert len(properties) > 5, f"{kind} lists only the header fields"
        assert definitions[kind]["additionalProperties"] is False


@pytest.mark.parametrize("command", ["show", "explain", "sources", "plot"])
def test_every_treatment_in_every_per_treatment_command_validates(invoke: Invoke, command: str) -> None:
    for treatment in treatment_ids():
        jsonschema.validate(document(invoke, command, treatment), schema())


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--category", "active", "--sort", "certainty"),
        ("list", "--guideline", "nice=against"),
        ("compare", "massage", "tens"),
        ("compare", "acupuncture", "simulated-acupuncture", "exercise-therapy"),
        ("compare", "relaxation-massage", "structural-massage", "yoga", "cbt", "heat", "traction"),
        ("compare", "massage", "tens", "--plot"),
        ("search", "sham"),
        ("search", "nothing-matches-this"),
        ("glossary",),
        ("glossary", "mcid"),
        ("sources",),
        ("coverage",),
        ("coverage", "--missing"),
    ],
    ids=" ".join,
)
def test_every_other_command_validates(invoke: Invoke, args: tuple[str, ...]) -> None:
    if "--plot" in args:  # compare --plot prints two documents: --json refuses, each is checked alone
        args = tuple(a for a in args if a != "--plot")
    jsonschema.validate(document(invoke, *args), schema())


def test_a_key_the_schema_does_not_declare_fails_validation(invoke: Invoke) -> None:
    shown = document(invoke, "show", "massage")
    jsonschema.validate(shown, schema())
    for path in (("undeclared",), ("treatment", "undeclared"), ("assessments", 0, "magnitude", "undeclared")):
        broken = copy.deepcopy(shown)
        target: Any = broken
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = 1
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema())
        with pytest.raises(jsonschema.ValidationError, match="Additional properties are not allowed"):
            jsonschema.validate(broken, of_kind("TreatmentDoc"))


def test_a_missing_field_fails_validation(invoke: Invoke) -> None:
    listed = document(invoke, "list")
    del listed["treatments"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(listed, schema())
    with pytest.raises(jsonschema.ValidationError, match="'treatments' is a required property"):
        jsonschema.validate(listed, of_kind("ListDoc"))


def test_no_two_schema_types_share_a_name() -> None:
    """pydantic 2.7 (the lowest allowed) names a JSON Schema definition by the type's own name, so
    two record classes, or two Literal aliases, of one name in different modules merge into one
    definition: `Durability` in profile.py and views.py made every `show --json` invalid against
    the published schema, and two `Phase` aliases gave a guideline condition the wrong phases."""
    import ast
    from collections import Counter

    from helpers import REPO

    names: Counter[str] = Counter()
    for path in (REPO / "src" / "painsci_cli").rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                names[node.name] += 1
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Subscript)
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "Literal"
            ):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    assert {name for name, count in names.items() if count > 1} == set()
