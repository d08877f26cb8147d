"""Pins the environment so output never depends on the terminal or cache that runs the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from helpers import MINI, YamlEvents
from painsci_cli.cli import app


@pytest.fixture(autouse=True)
def pinned_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    for name in ("FORCE_COLOR", "PAINSCI_DATA", "PAINSCI_NO_CACHE", "CLICOLOR_FORCE", "TERM", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("PAINSCI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield


@pytest.fixture
def mini_text() -> str:
    return MINI.read_text(encoding="utf-8")


@pytest.fixture
def write_kb(tmp_path: Path) -> Callable[[str | bytes], Path]:
    """Write a KB variant to a file named broken.yaml and return its path."""

    def write(content: str | bytes, name: str = "broken.yaml") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write


@pytest.fixture
def invoke() -> Callable[..., Result]:
    """Run the CLI in-process, stdout and stderr captured separately."""
    runner = CliRunner()

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), env=env)

    return run


@pytest.fixture
def yaml_events(monkeypatch: pytest.MonkeyPatch) -> YamlEvents:
    """Count every YAML event the loader reads (see helpers.YamlEvents)."""
    import yaml

    events = YamlEvents()
    for name in ("CSafeLoader", "SafeLoader"):
        if hasattr(yaml, name):
            monkeypatch.setattr(yaml, name, events.loader(getattr(yaml, name)))
    return events
