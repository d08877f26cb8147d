"""Pins load/locate.py: --data wins over PAINSCI_DATA, which wins over the bundled knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BUNDLED
from painsci_cli.load import locating
from painsci_cli.load.locate import ENV_DATA, bundled_path, locate


def test_the_environment_variable_name() -> None:
    assert ENV_DATA == "PAINSCI_DATA"


def test_the_package_imports_the_module_under_its_own_name() -> None:
    assert locating.locate is locate


@pytest.mark.parametrize(
    ("option", "environment", "chosen"),
    [
        ("opt.yaml", "env.yaml", "opt.yaml"),
        ("opt.yaml", None, "opt.yaml"),
        (None, "env.yaml", "env.yaml"),
        ("", "env.yaml", "env.yaml"),  # an empty option is no option
        (None, "", None),  # an empty variable is no variable
        (None, None, None),
        ("", "", None),
    ],
)
def test_precedence(
    monkeypatch: pytest.MonkeyPatch, option: str | None, environment: str | None, chosen: str | None
) -> None:
    if environment is not None:
        monkeypatch.setenv(ENV_DATA, environment)
    assert locate(option) == (Path(chosen) if chosen else bundled_path())


def test_paths_are_taken_as_given() -> None:
    assert locate("~/kb.yaml") == Path("~/kb.yaml")  # not expanded: the shell does that
    assert locate("relative/kb.yaml") == Path("relative/kb.yaml")
    assert locate(" kb.yaml ") == Path(" kb.yaml ")


def test_the_bundled_kb_holds_the_repository_file() -> None:
    # An editable install points at data/treatments.yaml itself; a wheel (what CI installs)
    # carries a copy. Either way the bytes a user reads are the repository's.
    assert bundled_path().name == "treatments.yaml"
    assert bundled_path().is_file()
    assert bundled_path().read_bytes() == BUNDLED.read_bytes()


def test_nothing_is_checked_for_existence(tmp_path: Path) -> None:
    assert locate(str(tmp_path / "gone.yaml")) == tmp_path / "gone.yaml"
