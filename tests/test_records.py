"""`@record`: every record class is a complete dataclass whenever it is converted, in any order."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from typing import Any, ClassVar

import pytest

from painsci_cli.records import Record, record, to_plain

MODULES = (
    "painsci_cli.models",
    "painsci_cli.derive",
    "painsci_cli.views",
    "painsci_cli.load.store",
    "painsci_cli.rules",
)

LIST_FIELDS = """
import dataclasses, importlib, json, sys
from painsci_cli.records import Record
classes = []
for name in {modules!r}:
    module = importlib.import_module(name)
    classes += [c for c in vars(module).values() if isinstance(c, type) and issubclass(c, Record) and c is not Record
                and c.__module__ == name]
classes.sort(key=lambda c: len(c.__mro__), reverse=sys.argv[1] == "subclasses-first")
fields = {{c.__qualname__: [f.name for f in dataclasses.fields(c)] for c in classes}}
print(json.dumps({{"fields": fields, "records": {{c.__qualname__: list(c.__record_fields__) for c in classes}}}}))
"""


def record_classes() -> list[type[Record]]:
    import importlib

    found: list[type[Record]] = []
    for name in MODULES:
        module = importlib.import_module(name)
        found += [
            c
            for c in vars(module).values()
            if isinstance(c, type) and issubclass(c, Record) and c is not Record and c.__module__ == name
        ]
    return found


@pytest.mark.parametrize("order", ["bases-first", "subclasses-first"])
def test_dataclass_fields_equal_record_fields_in_either_conversion_order(order: str) -> None:
    """Converting a base before its subclass once left the subclass with the base's fields only."""
    done = subprocess.run(
        [sys.executable, "-c", LIST_FIELDS.format(modules=MODULES), order],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    assert found["fields"] == found["records"]
    assert len(found["fields"]) >= 50
    assert found["fields"]["TreatmentDoc"][:5] == [
        "schema_version",
        "schema_minor",
        "painsci_version",
        "kb_reviewed",
        "kind",
    ]


def test_every_output_record_is_described_whole_by_the_output_schema() -> None:
    from painsci_cli.schemas import output_schema

    definitions = output_schema()["$defs"]
    described = 0
    for cls in record_classes():
        schema = definitions.get(cls.__name__)
        if schema is None:
            continue  # not reachable from an output document (e.g. store.Core)
        described += 1
        assert list(schema["properties"]) == list(cls.__record_fields__), cls.__name__
        assert schema["additionalProperties"] is False, cls.__name__
    assert described >= 45


def test_kb_schema_describes_every_model_field() -> None:
    from painsci_cli.schemas import kb_schema

    definitions = kb_schema()["$defs"]
    for cls in record_classes():
        if cls.__module__ == "painsci_cli.models" and cls.__name__ in definitions:
            assert list(definitions[cls.__name__]["properties"]) == list(cls.__record_fields__), cls.__name__


# --------------------------------------------------------------------------- behaviour of one record


@record
class Point(Record):
    x: int
    y: int = 0
    registry: ClassVar[dict[str, int]] = {}


@record
class Labelled(Point):
    label: str = "origin"


def test_fields_skip_class_vars() -> None:
    assert Point.__record_fields__ == ("x", "y")
    assert Labelled.__record_fields__ == ("x", "y", "label")
    assert [f.name for f in dataclasses.fields(Labelled)] == ["x", "y", "label"]
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y"]


def test_equality_hash_and_repr_follow_the_field_values() -> None:
    a, b = Labelled(1, 2), Labelled(1, 2, "origin")
    assert a == b and hash(a) == hash(b)
    assert a != Labelled(1, 3)
    assert Point(1, 2) != Labelled(1, 2)  # different record types never compare equal
    assert repr(a) == "Labelled(x=1, y=2, label='origin')"
    assert {a, b} == {a}


def test_records_are_frozen() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1, 2, "a", 4), {}, "takes 3 arguments"),
        ((1,), {"z": 1}, "unexpected keyword argument 'z'"),
        ((1,), {"x": 1}, "multiple values for argument 'x'"),
        ((), {}, "missing required argument 'x'"),
        ((), {"x": 1, "y": 2, "z": 3}, "unexpected keyword argument 'z'"),  # as many as the fields
    ],
)
def test_the_initialiser_checks_its_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Labelled(*args, **kwargs)


def test_every_field_by_name_in_any_order() -> None:
    assert Labelled(label="a", y=2, x=1) == Labelled(1, 2, "a")
    assert repr(Labelled(y=2, label="a", x=1)) == "Labelled(x=1, y=2, label='a')"


def test_to_plain_nests_records_tuples_and_dicts() -> None:
    value = {"p": (Labelled(1), [Point(2, 3)])}
    assert to_plain(value) == {"p": [{"x": 1, "y": 0, "label": "origin"}, [{"x": 2, "y": 3}]]}
