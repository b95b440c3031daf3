from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    path = ROOT / "scripts" / "cli_reference.py"
    spec = importlib.util.spec_from_file_location("cli_reference", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rendered(reference: ModuleType) -> str:
    text: str = reference.render()
    return text


def test_cli_reference_is_current(rendered: str) -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == rendered, "run: .venv/bin/python scripts/cli_reference.py"


def test_every_command_has_help_text_and_is_in_the_readme(rendered: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sections = rendered.split("## diymasters ")[1:]
    names = [section.split("\n", 1)[0] for section in sections]
    assert {"status", "import", "sync", "readme check", "readme autosync"} <= set(names)
    for name, section in zip(names, sections, strict=True):
        usage = section.split("```\n")[1].splitlines()
        assert usage[0].startswith(f"Usage: diymasters {name}")
        assert usage[2].strip(), f"{name} has no help text"
        assert f"`{name}" in readme or f"`{name.split()[-1]}" in readme, f"README omits {name}"


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:800]
    assert "make run" in head
    assert "make test" in head
