"""JSON Schemas generated from the dataclasses: the KB format and the `--json` output documents.

Only `painsci schema` and the tests import this module (it imports pydantic).
"""

from __future__ import annotations

from typing import Any

from . import KB_SCHEMA_VERSION, __version__
from .models import KnowledgeBase
from .views import OUTPUT_SCHEMA_VERSION, OutputDoc

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def kb_schema() -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = TypeAdapter(KnowledgeBase).json_schema(mode="validation")
    return {
        "$schema": _DIALECT,
        "$id": f"https://painsci.invalid/schema/kb-v{KB_SCHEMA_VERSION}.json",
        "title": f"painsci knowledge base, schema_version {KB_SCHEMA_VERSION}",
        "description": "data/treatments.yaml: treatments, between-group findings with provenance, "
        f"guideline recommendations and the source registry (painsci {__version__}).",
        **schema,
    }


def output_schema() -> dict[str, Any]:
    from pydantic import TypeAdapter

    schema = described(closed(TypeAdapter(OutputDoc).json_schema(mode="serialization")))
    return {
        "$schema": _DIALECT,
        "$id": f"https://painsci.invalid/schema/output-v{OUTPUT_SCHEMA_VERSION}.json",
        "title": f"painsci --json output, schema_version {OUTPUT_SCHEMA_VERSION}",
        "description": "One of the documents painsci prints with --json; `kind` says which.",
        **schema,
    }


def closed(schema: dict[str, Any]) -> dict[str, Any]:
    """Every record in the schema refuses keys it does not declare (`additionalProperties: false`).

    The KB's own models forbid unknown keys through their pydantic config; the output records do
    not need that config at run time, so the schema says it for them. A field added to a document
    but missing from the schema then fails validation instead of passing silently.
    """
    for definition in schema.get("$defs", {}).values():
        if definition.get("type") == "object" and "properties" in definition:
            definition["additionalProperties"] = False
    return schema


def described(schema: dict[str, Any]) -> dict[str, Any]:
    """Each documented record's fields carry their docstrings as descriptions, whatever pydantic.

    pydantic reads attribute docstrings of standard-library dataclasses (`use_attribute_docstrings`,
    records.DOCUMENTED) only from 2.10 or so; the lowest release painsci allows (2.7) left every
    output field undescribed. A description pydantic already wrote is kept as it is.
    """
    classes = _documented_records()
    for name, definition in schema.get("$defs", {}).items():
        docs = _attribute_docs(classes[name]) if name in classes else {}
        for field, prop in definition.get("properties", {}).items():
            if field in docs and "description" not in prop:
                prop["description"] = docs[field]
    return schema


def _documented_records() -> dict[str, type]:
    """Record classes with `use_attribute_docstrings`, by name (names are unique: test_schema)."""
    from . import absolute, arms, guidelines, profile, reexpress, usable, views

    found: dict[str, type] = {}
    for module in (views, usable, absolute, arms, reexpress, profile, guidelines):
        for value in vars(module).values():
            config = getattr(value, "__pydantic_config__", None)
            if isinstance(value, type) and isinstance(config, dict) and config.get("use_attribute_docstrings"):
                found[value.__name__] = value
    return found


def _attribute_docs(cls: type) -> dict[str, str]:
    """field -> the string literal written right under its annotation, for the class and its bases."""
    import ast
    import inspect
    import itertools
    import textwrap

    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not hasattr(klass, "__record_fields__"):
            continue
        try:
            body = ast.parse(textwrap.dedent(inspect.getsource(klass))).body[0]
        except (OSError, TypeError, IndexError):
            continue
        statements = body.body if isinstance(body, ast.ClassDef) else []
        for first, second in itertools.pairwise(statements):
            if (
                isinstance(first, ast.AnnAssign)
                and isinstance(first.target, ast.Name)
                and isinstance(second, ast.Expr)
                and isinstance(second.value, ast.Constant)
                and isinstance(second.value.value, str)
            ):
                docs[first.target.id] = inspect.cleandoc(second.value.value)
    return docs
