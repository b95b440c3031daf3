"""Precision read by hand: random unseen postings, each finding judged right or wrong.

    .venv/bin/python benchmarks/precision_read.py sheets [--count 25] [--seed S] [--out DIR]
    .venv/bin/python benchmarks/precision_read.py score DIR [--verdicts FILE]

`sheets` draws postings from ../shared/corpus/jobs that no annotation in
benchmarks/postings_gold holds (300 to 6,000 characters, near duplicates collapsed), and
writes each one's text and the extractor's findings (dictionary only, as `skills extract`
gives them; soft skills left out, one line a skill) to DIR/NN.txt for a reader. The reader
judges each finding by benchmarks/postings_gold/GUIDELINES.md and writes DIR/verdicts.yaml:
posting number ("01") to a list of `{n: N, verdict: right|wrong}`.

`score` prints the precision of the technical skills, and apart from it how many findings
were degree fields, which the product lists with the soft skills, never as skills to learn.
Nothing of the text is kept in the repository: the sheets stay in DIR. The verdicts of each
read are kept in benchmarks/precision_reads/, numbers only, with the commit and seed that
draw the same sheets again.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from pathlib import Path

import yaml
from posting_gold import GOLD, JOBS

from diymasters.postings import Posting, collapse_duplicates, read_path
from diymasters.skills import FIELD_OF_STUDY, extract

#: The lengths of posting a reader is given, in characters: long enough to ask for something,
#: short enough to read whole.
SHORTEST, LONGEST = 300, 6000
#: A finding's line on a sheet: "N. skill name | the posting's words | required".
_FINDING = re.compile(r"(\d+)\. (.*?) \| .* \| (?:required|preferred)(?: \| (degree field))?$")


def unseen_postings() -> list[Posting]:
    """The corpus's postings of a readable length that no annotation holds."""
    annotated = set()
    for path in GOLD.glob("*.yaml"):
        annotated |= {entry["content"] for entry in yaml.safe_load(path.read_text()) or []}
    postings, _ = collapse_duplicates(read_path(JOBS))
    return [
        posting
        for posting in postings
        if posting.content_hash not in annotated and SHORTEST < len(posting.text) < LONGEST
    ]


def sheet(posting: Posting, number: int) -> str:
    """A posting's text and its findings, numbered, for the reader."""
    lines = [f"posting {number:02d}", f"source: {posting.source}", "---", posting.text, "---"]
    lines.append("FINDINGS (skill name | the words in the posting | required or preferred)")
    seen: set[str] = set()
    for found in extract(posting.text):
        if found.skill.type == "soft skill" or found.skill.id in seen:
            continue
        seen.add(found.skill.id)
        words = posting.text[found.start : found.end]
        asked = "required" if found.required else "preferred"
        field = " | degree field" if found.skill.type == FIELD_OF_STUDY else ""
        lines.append(f"{len(seen)}. {found.skill.name} | {words!r} | {asked}{field}")
    return "\n".join(lines) + "\n"


def write_sheets(count: int, seed: int, out: Path) -> None:
    """Draw `count` unseen postings with `seed` and write their sheets to `out`."""
    out.mkdir(parents=True, exist_ok=True)
    drawn = random.Random(seed).sample(unseen_postings(), count)  # noqa: S311 (a sample)
    for number, posting in enumerate(drawn, 1):
        (out / f"{number:02d}.txt").write_text(sheet(posting, number), encoding="utf-8")
    print(f"{count} sheets written to {out}; judge them into {out / 'verdicts.yaml'}")


def score(sheets: Path, verdicts_file: Path) -> None:
    """Print the precision of the technical findings the reader judged."""
    verdicts = yaml.safe_load(verdicts_file.read_text())
    right = technical = fields = 0
    for number, judged in verdicts.items():
        findings = _findings(sheets / f"{int(number):02d}.txt")
        for entry in judged or []:
            if entry["n"] not in findings:
                raise SystemExit(f"posting {number} has no finding {entry['n']}")
            if findings[entry["n"]]:
                fields += 1
                continue
            technical += 1
            right += entry["verdict"] == "right"
    precision = f"{right / technical:.3f}" if technical else "none judged"
    print(f"technical findings: {technical}, right {right}, precision {precision}")
    print(f"degree fields (listed apart, with the soft skills): {fields}")


def _findings(sheet_path: Path) -> dict[int, bool]:
    """A sheet's findings by number: whether each is a degree field."""
    listed = sheet_path.read_text(encoding="utf-8").rpartition("\nFINDINGS")[2]
    return {
        int(found.group(1)): found.group(3) is not None
        for found in map(_FINDING.match, listed.splitlines())
        if found
    }


def main() -> None:
    """Write sheets, or score the verdicts on them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sheets = commands.add_parser("sheets")
    sheets.add_argument("--count", type=int, default=25)
    sheets.add_argument("--seed", type=int, default=20261205)
    sheets.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "precision")
    scored = commands.add_parser("score")
    scored.add_argument("dir", type=Path)
    scored.add_argument("--verdicts", type=Path, help="default: DIR/verdicts.yaml")
    args = parser.parse_args()
    if args.command == "sheets":
        write_sheets(args.count, args.seed, args.out)
    else:
        score(args.dir, args.verdicts or args.dir / "verdicts.yaml")


if __name__ == "__main__":
    main()
