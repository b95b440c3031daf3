"""Merging upstream into a ticked copy: marks kept, conflicts and time, against git merge-file.

    .venv/bin/python benchmarks/upstream_bench.py [--share 0.4] [--seed 1]

For each history in ../shared/corpus/readmes (an older version and a newer one of the same
curated file), the base is the older version with its boxes emptied, "mine" is the base
with a random share of boxes ticked, and upstream is the newer version with its boxes
emptied. `diymasters.readme.upstream.merge` and `git merge-file` (the baseline, run in the same
process on the same three texts) each merge; for both the script prints the conflicts,
how many of the ticks on items upstream still has as checkboxes are kept, and the time.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import tempfile
import time
from pathlib import Path

from diymasters.readme import parse_text
from diymasters.readme.upstream import _items, match_items, merge, unticked

READMES = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "readmes"
CIU = "jwasham__coding-interview-university__README"
DSM = "datasciencemasters__go__transcripts--scott-davis-transcript"
ROADMAP = "csc-bo__csc-bo.github.io__blog--content--posts--roadmap_ml"
NOTES = "danielkaczmarczyk__dk-cs-notes__README"
DAYS = "MichaelCade__90DaysOfDevOps__README"
HISTORIES = [
    (f"{CIU}@5bb0e29.md", f"{CIU}@0b4ae9b.md"),
    (f"{CIU}@0b4ae9b.md", f"{CIU}.md"),
    (f"{CIU}@5bb0e29.md", f"{CIU}.md"),
    (f"{DSM}@a67da2a.md", f"{DSM}@bd079aa.md"),
    (f"{DSM}@bd079aa.md", f"{DSM}.md"),
    (f"{DAYS}@5e0458f.md", f"{DAYS}@63dc4a7.md"),
    (f"{ROADMAP}@6d7a062.md", f"{ROADMAP}.md"),
    (f"{NOTES}@d62ea95.md", f"{NOTES}.md"),
]


def tick(text: str, rng: random.Random, share: float) -> str:
    """Tick a random share of the boxes."""
    boxes = [i.marker for i in parse_text(text).items() if i.marker is not None]
    chosen = [m for m in boxes if rng.random() < share]
    for marker in sorted(chosen, key=lambda m: m.start, reverse=True):
        text = text[: marker.start] + "x" + text[marker.end :]
    return text


def kept_marks(mine: str, upstream: str, merged: str) -> tuple[int, int]:
    """Ticks on items upstream still has as checkboxes, and how many the merged text keeps."""
    yours, theirs, result = _items(mine), _items(upstream), _items(merged)
    in_upstream, in_result = match_items(yours, theirs), match_items(yours, result)
    surviving = [
        n
        for n, item in enumerate(yours)
        if item.item.marker
        and item.item.marker.text == "x"
        and n in in_upstream
        and theirs[in_upstream[n]].item.marker
    ]
    kept = 0
    for n in surviving:
        target = result[in_result[n]].item.marker if n in in_result else None
        kept += target is not None and target.text == "x"
    return kept, len(surviving)


def git_merge_file(base: str, mine: str, upstream: str) -> tuple[str, int, float]:
    """Git's own three-way merge of the three texts: the merged text, conflicts, seconds."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / name for name in ("mine", "base", "upstream")]
        for path, text in zip(paths, (mine, base, upstream), strict=True):
            path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            ["git", "merge-file", "-p", *map(str, paths)],  # noqa: S607
            capture_output=True,
            check=False,
        )
        seconds = time.perf_counter() - started
    return done.stdout.decode(), max(done.returncode, 0), seconds


def main() -> None:
    """Run every history through both merges."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for old, new in HISTORIES:
        base = unticked((READMES / old).read_text(encoding="utf-8"))
        upstream = unticked((READMES / new).read_text(encoding="utf-8"))
        mine = tick(base, random.Random(f"{args.seed}{old}"), args.share)  # noqa: S311
        started = time.perf_counter()
        ours = merge(base, mine, upstream)
        seconds = time.perf_counter() - started
        kept, surviving = kept_marks(mine, upstream, ours.text)
        git_text, git_conflicts, git_seconds = git_merge_file(base, mine, upstream)
        git_kept, _ = kept_marks(mine, upstream, git_text)
        print(f"{old} -> {new.rsplit('@', 1)[-1]} ({len(upstream):,} chars)")
        print(
            f"  diymasters: {len(ours.conflicts)} conflicts, {kept}/{surviving} marks kept, "
            f"{len(ours.marks_on_removed)} on removed items reported, "
            f"{len(ours.marks_on_unboxed)} on unboxed ones, {seconds:.2f} s"
        )
        print(
            f"  git merge-file: {git_conflicts} conflicts, {git_kept}/{surviving} marks kept, "
            f"{git_seconds:.3f} s ({seconds / max(git_seconds, 1e-9):.0f}x its time)"
        )


if __name__ == "__main__":
    main()
