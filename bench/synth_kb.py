"""Generate a large synthetic knowledge base of the same shape as the shipped one.

    python bench/synth_kb.py --treatments 2000 --out /tmp/painsci-synth.yaml

Treatment records are copied from data/treatments.yaml in turn, with new ids, names and aliases
so that names stay unique; parents and comparator references point at real treatments, so the
result validates. To stay under the loader's caps (8 MiB and 250,000 YAML nodes, which bound
the work a hostile file can cause), each copy keeps its description, mechanism, one finding and
one guideline position, and drops harms, costs, caveats and the optional free-text notes.
Output is block YAML with every string double-quoted (no yaml dependency for the benchmark).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from painsci_cli.load.events import parse  # noqa: E402  (the repository's own loader reads the real KB)
from painsci_cli.load.read import decode  # noqa: E402


def emit(value: Any, indent: int = 0) -> list[str]:
    """Block YAML for plain data; strings as JSON literals, which YAML reads as quoted scalars."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(emit(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {scalar(item)}")
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        lines = []
        for item in value:
            inner = emit(item, indent + 2)
            lines.append(pad + "- " + inner[0].lstrip())
            lines.extend(inner[1:])
        return lines
    return [pad + scalar(value)]


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dict, list)):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(value, ensure_ascii=False)


def drop_notes(value: Any) -> None:
    """Optional free-text notes are most of a record's bytes; copies go without them."""
    if isinstance(value, dict):
        value.pop("note", None)
        for item in value.values():
            drop_notes(item)
    elif isinstance(value, list):
        for item in value:
            drop_notes(item)


def synthesise(real: dict[str, Any], count: int) -> dict[str, Any]:
    originals = real["treatments"]
    out = copy.deepcopy(real)
    treatments = list(copy.deepcopy(originals))
    for i in range(len(originals), count):
        t = copy.deepcopy(originals[i % len(originals)])
        suffix = f"s{i}"
        t["id"] = f"{t['id']}-{suffix}"
        t["name"] = f"{t['name']} ({suffix})"
        t["aliases"] = [f"{alias} {suffix}" for alias in t.get("aliases", [])]
        t["findings"] = t.get("findings", [])[:1]
        t["recommendations"] = t.get("recommendations", [])[:1]
        for bulky in ("within_group", "cost", "harms", "caveats"):
            t.pop(bulky, None)
        t["harms_note"] = "Synthetic copy: harms left out."
        drop_notes(t)
        if not t["findings"] and not t.get("evidence_gap"):
            t["evidence_gap"] = "Synthetic copy without findings."
        treatments.append(t)
    out["treatments"] = treatments
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--treatments", type=int, default=2000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    source = REPO / "data" / "treatments.yaml"
    real = parse(decode(source.read_bytes(), str(source)), str(source)).data
    text = "\n".join(emit(synthesise(real, args.treatments))) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {args.treatments} treatments, {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main()
