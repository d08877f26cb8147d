"""The console entry point.

Shell completion is answered here before the CLI (and Typer) is imported, from the treatment
names alone, because the shell runs painsci on every TAB. Everything else goes to `cli.app`.
"""

from __future__ import annotations

import os


def main() -> None:
    if os.environ.get("_PAINSCI_COMPLETE"):
        from .complete import answer

        if answer():
            return
    from .cli import app

    app(prog_name="painsci")
