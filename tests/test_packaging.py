from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_templates_migrations_and_types(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("diymasters-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
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
