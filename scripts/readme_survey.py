"""Count the progress conventions the READMEs in ../shared/corpus/readmes actually use.

.venv/bin/python scripts/readme_survey.py
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from diymasters.files import EncodingError
from diymasters.readme import parse_readme

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "readmes"


def main() -> None:
    """Print each convention with how many items use it and in how many files."""
    uses: Counter[str] = Counter()
    files: Counter[str] = Counter()
    paths = sorted(CORPUS.glob("*.md"))
    for path in paths:
        try:
            document = parse_readme(path.read_bytes(), path.name)
        except EncodingError as error:
            print(f"skipped: {error}")
            continue
        uses.update(document.conventions)
        files.update(document.conventions.keys())
    print(f"{len(paths)} READMEs")
    for name, count in uses.most_common():
        print(f"{count:6}  {name:32} in {files[name]} files")


if __name__ == "__main__":
    main()
