"""Renderers: one module per output format, all consuming the same view models.

Only `table.py` (and `plot.py`) import rich; `json_doc`, `plain` and `markdown` use the standard
library alone, so piped and `--json` output never pays rich's import cost.
"""
