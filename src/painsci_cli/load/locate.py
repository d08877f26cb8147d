"""Where the knowledge base is: --data, else PAINSCI_DATA, else the copy shipped with the package."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA = "PAINSCI_DATA"


def bundled_path() -> Path:
    """The KB inside the wheel, or at the repository root for an editable install."""
    package = Path(__file__).resolve().parents[1]  # src/painsci_cli, or site-packages/painsci_cli
    packaged = package / "data" / "treatments.yaml"
    return packaged if packaged.exists() else package.parents[1] / "data" / "treatments.yaml"


def locate(option: str | None) -> Path:
    """--data wins over PAINSCI_DATA, which wins over the bundled KB."""
    chosen = option or os.environ.get(ENV_DATA)
    return Path(chosen) if chosen else bundled_path()
