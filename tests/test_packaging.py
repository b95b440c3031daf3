"""The package a learner installs: what it ships, and that it runs from a clean environment."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "diymasters" / "data"


def build(kind: str, folder: Path) -> Path:
    """Build the wheel or the sdist into `folder`, as a release would."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", kind, "-d", str(folder)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = folder.glob("diymasters-*.whl" if kind == "wheel" else "diymasters-*.tar.gz")
    return built


def test_the_wheel_ships_templates_migrations_and_types(tmp_path: Path) -> None:
    wheel = build("wheel", tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "diymasters/data/LICENSES.md" in names
    assert any(re.fullmatch(r"diymasters-[^/]+\.dist-info/licenses/LICENSE", n) for n in names)
    assert "diymasters/data/templates/ml-engineer.yaml" in names
    assert "diymasters/data/skills/taxonomy.json.gz" in names
    assert "diymasters/data/skills/tagger.crfsuite" in names
    assert "diymasters/migrations/versions/0003_postings.py" in names
    assert "diymasters/migrations/env.py" in names
    assert "diymasters/migrations/script.py.mako" in names
    assert "diymasters/migrations/versions/0001_curriculum.py" in names
    assert "diymasters/py.typed" in names
    assert "diymasters/web/templates/overview.html" in names
    assert "diymasters/web/static/style.css" in names
    assert "diymasters/web/static/app.js" in names
    assert "diymasters/web/templates/site/index.html" in names
    assert "diymasters/data/workflows/diymasters-publish.yml" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "diymasters = diymasters.entry:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_the_sdist_carries_the_licence_and_the_changelog(tmp_path: Path) -> None:
    with tarfile.open(build("sdist", tmp_path)) as sdist:
        names = set(sdist.getnames())
    top = next(iter(names)).split("/")[0]
    for name in ("LICENSE", "CHANGELOG.md", "README.md", "src/diymasters/data/LICENSES.md"):
        assert f"{top}/{name}" in names


def test_every_shipped_data_file_names_its_source_and_licence() -> None:
    listed = set(re.findall(r"^## `([^`]+)`$", (DATA / "LICENSES.md").read_text(), re.MULTILINE))
    shipped = {
        path.relative_to(DATA).as_posix()
        for path in DATA.rglob("*")
        if path.is_file() and path.name != "LICENSES.md" and "__pycache__" not in path.parts
    }
    assert shipped == listed


def pypi_reachable() -> bool:
    """Whether the package index answers: a clean environment installs from it."""
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_the_package_installs_as_a_tool_in_a_clean_environment_and_runs(
    kind: str, tmp_path: Path
) -> None:
    if not pypi_reachable():
        pytest.skip("pypi.org cannot be reached: a clean environment has nowhere to install from")
    package = build(kind, tmp_path / "dist")
    home = tmp_path / "home"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DIYMASTERS_", "VIRTUAL_ENV"))},
        "UV_TOOL_DIR": str(tmp_path / "tools"),
        "UV_TOOL_BIN_DIR": str(tmp_path / "bin"),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NATIVE_TLS": "1",
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "NO_COLOR": "1",
    }
    uv = Path(sys.executable).with_name("uv")
    python = getattr(sys, "_base_executable", sys.executable)
    install = [str(uv), "tool", "install", "--python", python, str(package)]
    subprocess.run(install, env=env, check=True, capture_output=True, timeout=600)
    diymasters = tmp_path / "bin" / "diymasters"

    def run(*args: str) -> str:
        command = [str(diymasters), *args]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert run("--version").strip() == f"diymasters {version('diymasters')}"
    assert "Created 'ML Engineer masters'" in run("init")
    assert "ML Engineer masters" in run("status")
    assert (home / "data" / "diymasters" / "diymasters.db").is_file()


def test_completion_offers_the_commands_a_learner_starts_typing(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "_DIYMASTERS_COMPLETE": "complete_bash",
        "COMP_WORDS": "diymasters sta",
        "COMP_CWORD": "1",
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "diymasters"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.split() == ["status", "start"]
    env.update(COMP_WORDS="diymasters skills ", COMP_CWORD="2")
    done = subprocess.run(
        [sys.executable, "-m", "diymasters"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert {"extract", "corpus", "refresh", "info"} <= set(done.stdout.split())
