"""The layers of docs/architecture.md, kept true: imports go only downwards."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "diymasters"
ARCHITECTURE = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
FRONTENDS = {"entry", "__main__", "cli", "web"}
#: Third-party packages only one layer may use.
OWNERS = {
    "sqlalchemy": {"store"},
    "alembic": {"store"},
    "highspy": {"plan"},
    "pyspark": {"spark_engine"},
    "pyarrow": {"spark_engine"},
    "py4j": {"spark_engine"},
    "typer": {"cli"},
    "rich": {"cli"},
    "starlette": {"web"},
    "uvicorn": {"web"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    found.pop("", None)  # the package's own __init__, which re-exports lazily
    return found


def imports(path: Path) -> set[str]:
    """Every module a file imports, ours written relative to the package (`store`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "diymasters":
                found |= {f"diymasters.{alias.name}" for alias in node.names}
    return {
        name.removeprefix("diymasters.") if name.startswith("diymasters.") else name
        for name in found
        if name != "diymasters"
    }


def layer(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def ours(names: set[str]) -> set[str]:
    return {layer(n) for n in names if layer(n) in {layer(m) for m in modules()}}


MODULES = modules()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_core_never_imports_a_frontend(name: str) -> None:
    if layer(name) in FRONTENDS:
        return
    assert not ours(imports(MODULES[name])) & FRONTENDS, f"{name} imports a frontend"


def test_the_web_never_imports_the_cli() -> None:
    for name, path in MODULES.items():
        if layer(name) == "web":
            assert "cli" not in ours(imports(path)), name


@pytest.mark.parametrize("name", ["errors", "serialise", "artefacts", "model", "files", "yamlfile"])
def test_the_bottom_layers_import_only_the_model_and_errors(name: str) -> None:
    allowed = {
        "errors": set(),
        "serialise": set(),
        "artefacts": set(),
        "model": {"errors"},
    }.get(name, {"errors", "model"})
    assert ours(imports(MODULES[name])) <= allowed


#: What a frontend's words look like: an option, an exit status, a command to type.
FRONTEND_WORDS = re.compile(r"(?<![\w-])--[a-z][a-z-]+|exit_code|`diymasters [a-z]")
#: An option on its own is an argument the core passes to another program (git), not ours.
ARGUMENT = re.compile(r"--[a-z][a-z-]+")


def messages(path: Path) -> Iterator[str]:
    """The string literals of a module that are not docstrings: what it may show a user."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = set()
    for node in ast.walk(tree):
        first = node.body[0] if isinstance(node, owners) and node.body else None
        if isinstance(first, ast.Expr):
            docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value
            if isinstance(value, str):
                yield value


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_core_speaks_no_frontend_language(name: str) -> None:
    if layer(name) in FRONTENDS:
        return
    source = MODULES[name].read_text(encoding="utf-8")
    assert "exit_code" not in source, f"{name} defines an exit code"
    spoken = [
        text
        for text in messages(MODULES[name])
        if FRONTEND_WORDS.search(text) and not ARGUMENT.fullmatch(text)
    ]
    assert spoken == [], f"{name} speaks a frontend's language"


@pytest.mark.parametrize("package", sorted(OWNERS))
def test_a_library_is_used_by_its_one_layer(package: str) -> None:
    users = {
        layer(name)
        for name, path in MODULES.items()
        if any(n.split(".")[0] == package for n in imports(path))
    }
    assert users <= OWNERS[package], f"{package} is imported by {sorted(users)}"


def test_every_module_is_in_the_architecture_document() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = [name for name in MODULES if f"| `{name}` |" not in text]
    assert missing == []


def test_the_test_sees_every_module() -> None:
    seen = {"model", "store", "readme", "files", "cli", "web", "web.limits"}
    # A package's modules are checked too, as their package: `store.engine` is `store`.
    assert seen | {"store.engine", "skills.taxonomy"} <= set(MODULES)
    assert {layer("store.engine"), layer("skills.taxonomy")} == {"store", "skills"}
