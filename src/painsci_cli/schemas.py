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

    schema = closed(TypeAdapter(OutputDoc).json_schema(mode="serialization"))
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
